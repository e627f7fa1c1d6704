#!/usr/bin/env python3
"""The reference for Benchmarks/collect: the same reads as `custody collect`, one after another, with boto3.

Usage: collect_reference.py STATE_DIR REGION[,REGION...] SINCE_EPOCH UNTIL_EPOCH
Prints one JSON line: {"seconds": …, "calls": …, "events": …}.
"""
import json
import sys
import time

import boto3
from botocore.config import Config


def main() -> int:
    state, regions, since, until = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3]), float(sys.argv[4])
    lab = json.load(open(f"{state}/lab.json"))
    calls = 0
    events = 0
    started = time.monotonic()
    config = Config(retries={"max_attempts": 10, "mode": "standard"})

    def count(pages_or_response):
        nonlocal calls
        calls += 1
        return pages_or_response

    for account in lab["accounts"]:
        admin = account["administrator"]
        session = boto3.session.Session(
            aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"], region_name="us-east-1")
        client = lambda service, region="us-east-1": session.client(  # noqa: E731
            service, region_name=region, endpoint_url=lab["endpoint"], config=config)
        sts, iam = client("sts"), client("iam")
        count(sts.get_caller_identity())
        count(client("ec2").describe_regions())
        try:
            count(client("organizations").describe_organization())
        except Exception:  # noqa: BLE001 - the reference only counts
            pass
        users = []
        for page in iam.get_paginator("get_account_authorization_details").paginate():
            count(page)
            users += page["UserDetailList"]
        for user in users:
            name = user["UserName"]
            for page in iam.get_paginator("list_access_keys").paginate(UserName=name):
                count(page)
                for key in page["AccessKeyMetadata"]:
                    count(iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"]))
            try:
                count(iam.get_login_profile(UserName=name))
            except iam.exceptions.NoSuchEntityException:
                calls += 1
            for operation in ("list_mfa_devices", "list_ssh_public_keys", "list_signing_certificates"):
                for page in iam.get_paginator(operation).paginate(UserName=name):
                    count(page)
            count(iam.list_service_specific_credentials(UserName=name))
        for page in iam.get_paginator("list_instance_profiles").paginate():
            count(page)
        count(iam.list_saml_providers())
        count(iam.list_open_id_connect_providers())
        count(iam.list_account_aliases())
        while count(iam.generate_credential_report())["State"] != "COMPLETE":
            time.sleep(1)
        count(iam.get_credential_report())
        for region in regions:
            ec2 = client("ec2", region)
            for operation in ("describe_instances", "describe_vpc_endpoints", "describe_security_groups"):
                for page in ec2.get_paginator(operation).paginate():
                    count(page)
            count(ec2.describe_key_pairs())
            for page in client("guardduty", region).get_paginator("list_detectors").paginate():
                count(page)
            count(client("cloudtrail", region).describe_trails())
            cloudtrail = client("cloudtrail", region)
            token = None
            while True:
                # AWS allows 2 LookupEvents calls per second per account and region.
                before = time.monotonic()
                arguments = {"StartTime": since, "EndTime": until, "MaxResults": 50}
                if token:
                    arguments["NextToken"] = token
                page = count(cloudtrail.lookup_events(**arguments))
                events += len(page["Events"])
                token = page.get("NextToken")
                if not token:
                    break
                time.sleep(max(0.0, 0.5 - (time.monotonic() - before)))
    print(json.dumps({"seconds": round(time.monotonic() - started, 2), "calls": calls, "events": events}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
