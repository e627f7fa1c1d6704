"""Custody's local AWS lab.

A stand-in for AWS that the collector's integration tests, the benchmarks
and the training scenario run against: moto's server with IAM
authentication switched on, wrapped in a WSGI layer of our own that checks
SigV4 strictly, records every call as a CloudTrail record, answers
CloudTrail ``LookupEvents`` and ``ListPublicKeys``, and delivers log and
digest files to the buckets of trails that are logging.

Modules, one idea each:

- ``timefmt``: the time formats CloudTrail uses.
- ``regions``: which regions exist and which services are global.
- ``errors``: AWS error responses in each wire protocol.
- ``sigv4``: parsing and strict verification of SigV4 signatures.
- ``services``: which service and operation a request is, its parameters.
- ``credentials``: temporary credentials the lab issues itself.
- ``principals``: who an access key belongs to, as a CloudTrail identity.
- ``mothooks``: where moto is patched (the other modules that reach into moto are named below).
- ``records``: building CloudTrail records.
- ``eventstore``: the event history and its LookupEvents query.
- ``throttle``: the LookupEvents rate limit.
- ``signing``: the RSA key that signs digest files.
- ``delivery``: log and digest files delivered to trail buckets.
- ``cloudtrail_api``: LookupEvents and ListPublicKeys.
- ``accounts``: the Organization, its accounts and their administrators.
- ``statefiles``: ``lab.json`` and the AWS CLI config files.
- ``labapi``: the lab-only ``/lab-api/`` routes.
- ``ssoportal``: IAM Identity Center's portal (``GetRoleCredentials``) and OIDC (``CreateToken``).
- ``ssologin``: writes an ``aws sso login``'s token cache and config into a home folder, for tests.
- ``app``: the WSGI layer that ties the above together.
- ``server``: the ``Scripts/lab`` entry point.
- ``client``: reading a running lab's state, boto3 clients for actors.
- ``scenario``: the training scenario runner behind ``Scripts/scenario``.

Reaching into moto: ``mothooks`` patches moto's classes and functions
(authentication, IAM policy checks, STS token responses, access key last
use, the clock and random ids). Other modules read or change moto's
in-memory backends directly, which are not a public API either:
``accounts`` (IAM, Organizations), ``principals`` (IAM, STS),
``labapi`` (EC2, STS), ``ssoportal`` (IAM, STS), ``delivery`` (CloudTrail trails, S3 objects),
``app`` (moto's WSGI dispatcher, settings, IAM requests, EC2, CloudTrail,
S3) and ``labids`` (moto's random source). That is why
``Scripts/bootstrap`` pins moto's version.
"""
