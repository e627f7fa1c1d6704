#!/usr/bin/env python3
"""The lab side of Benchmarks/sweep: fill the organization trail, plant the suspect's activity, and measure.

    sweep_lab.py seed STATE EVENTS HOURS REGIONS HISTORY
        writes EVENTS events of every account (POST /lab-api/seed-trail, one account at a time, into
        the history too when HISTORY is 1), then makes the suspect's calls for real, through the
        lab: an IAM user "intruder" of one member account with a key, the suspect, that reads, creates
        a second key and assumes a role in two other member accounts; the second key and both
        sessions make calls of their own. Flushes delivery and prints JSON: the suspect key, the keys
        it created or opened, the window, the trail's log files and bytes as stored in S3, and the bucket
        made for Athena's results.
    sweep_lab.py table STATE REGIONS SINCE
        creates the Athena table org_trail over the organization trail's logs, as the security team of
        an Organization keeps one: AWS's CloudTrail table with partition projection over account,
        region and day (the statement custody sweep --athena-create-table runs), as the logging account.
    sweep_lab.py expected STATE KEYS
        the events of the lab's own record (every account's history, GET /lab-api/events) made with
        one of KEYS (comma-separated) or naming one in requestParameters.accessKeyId, as the sweep
        asks: prints JSON {"eventIds": [...], "accounts": [...]}.
    sweep_lab.py archives CASE KEYS
        the CloudTrail evidence of every archive in CASE: bytes and members under cloudtrail/
        (log files and digests copied from S3 with the digests' metadata, or LookupEvents members),
        the log and digest files among them, and the ids of the events of
        KEYS found in them (read from the log files, or the LookupEvents lines). Prints JSON.
    sweep_lab.py calls LOG FROM
        the calls the lab logged from line FROM on: all, and those that read the trail (LookupEvents;
        S3 reads of the trail's bucket; Athena). Prints JSON.
"""
import gzip
import io
import json
import os
import re
import sys
import tarfile
import time
import urllib.request
from collections import Counter

import boto3

SUSPECT_ROLE = "partner-audit"


def lab_json(state):
    return json.load(open(os.path.join(state, "lab.json")))


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=7200) as answer:
        return json.loads(answer.read())


def seed(state, events, hours, regions, history):
    lab = lab_json(state)
    endpoint = lab["endpoint"]
    trail = lab["options"]["organizationTrail"]
    accounts = [a["id"] for a in lab["accounts"]]
    totals = Counter()
    window = None
    started = time.monotonic()
    for number, account in enumerate(accounts, 1):
        answer = post(endpoint + "/lab-api/seed-trail", {
            "events": events, "hours": hours, "regions": regions, "accounts": [account], "history": history})
        window = window or (answer["from"], answer["to"])
        totals.update({k: answer[k] for k in ("events", "logFiles", "digestFiles", "bytes")})
        print(f"\rseeded {number}/{len(accounts)} accounts, {totals['events']} events, "
              f"{time.monotonic() - started:.0f} s", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    # The suspect: a key of one member account, active in two more through roles that trust it.
    os.environ["AWS_CONFIG_FILE"] = lab["awsConfigFile"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = lab["awsSharedCredentialsFile"]
    members = [a for a in accounts if a not in (accounts[0], trail["loggingAccount"])]
    home, second, third = members[0], members[len(members) // 2], members[-1]

    def client(service, region="us-east-1", profile=None, **keys):
        session = boto3.Session(**keys) if keys else boto3.Session(profile_name=f"lab-{profile}")
        return session.client(service, endpoint_url=endpoint, region_name=region)

    iam = client("iam", profile=home)
    iam.create_user(UserName="intruder")
    iam.attach_user_policy(UserName="intruder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    suspect = iam.create_access_key(UserName="intruder")["AccessKey"]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{home}:root"}, "Action": "sts:AssumeRole"}]})
    for account in (second, third):
        admin = client("iam", profile=account)
        admin.create_role(RoleName=SUSPECT_ROLE, AssumeRolePolicyDocument=trust)
        admin.attach_role_policy(RoleName=SUSPECT_ROLE, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")

    as_suspect = dict(aws_access_key_id=suspect["AccessKeyId"], aws_secret_access_key=suspect["SecretAccessKey"])
    client("sts", **as_suspect).get_caller_identity()
    client("iam", **as_suspect).list_users()
    client("s3", **as_suspect).list_buckets()
    client("ec2", "eu-west-1", **as_suspect).describe_instances()
    created = client("iam", **as_suspect).create_access_key(UserName="intruder")["AccessKey"]
    as_created = dict(aws_access_key_id=created["AccessKeyId"], aws_secret_access_key=created["SecretAccessKey"])
    client("sts", **as_created).get_caller_identity()
    client("ec2", regions[-1], **as_created).describe_instances()
    sessions = []
    for account, region in ((second, regions[1 % len(regions)]), (third, regions[-1])):
        credentials = client("sts", **as_suspect).assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{SUSPECT_ROLE}", RoleSessionName="audit")["Credentials"]
        sessions.append(credentials["AccessKeyId"])
        as_session = dict(aws_access_key_id=credentials["AccessKeyId"],
                          aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])
        client("s3", **as_session).list_buckets()
        client("ec2", region, **as_session).describe_instances()
        client("iam", **as_session).list_roles()
    post(endpoint + "/lab-api/flush", {})

    s3 = client("s3", profile=trail["loggingAccount"])
    results = f"sweep-results-{trail['loggingAccount']}"
    s3.create_bucket(Bucket=results)  # where Athena writes the sweep's query results
    files = size = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=trail["bucket"], Prefix=trail["logPrefix"]):
        for stored in page.get("Contents", []):
            if "/CloudTrail/" in stored["Key"]:
                files += 1
                size += stored["Size"]
    print(json.dumps({
        "suspect": suspect["AccessKeyId"], "created": [created["AccessKeyId"]] + sessions,
        "accounts": [home, second, third], "from": window[0], "to": window[1],
        "seeded": dict(totals), "trailLogFiles": files, "trailBytes": size, "resultsBucket": results,
    }))


TABLE = """CREATE EXTERNAL TABLE `org_trail` (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
    accesskeyid: STRING, username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
  eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING, useragent STRING,
  errorcode STRING, errormessage STRING, requestparameters STRING, responseelements STRING, additionaleventdata STRING,
  requestid STRING, eventid STRING, readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING, apiversion STRING, recipientaccountid STRING, serviceeventdetails STRING, sharedeventid STRING,
  vpcendpointid STRING, vpcendpointaccountid STRING, eventcategory STRING,
  addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
  sessioncredentialfromconsole STRING, edgedevicedetails STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
PARTITIONED BY (`account` STRING, `region` STRING, `timestamp` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '@LOCATION@'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'='@ACCOUNTS@',
  'projection.region.type'='enum',
  'projection.region.values'='@REGIONS@',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='@SINCE@,NOW',
  'storage.location.template'='@LOCATION@${account}/CloudTrail/${region}/${timestamp}')"""


def table(state, regions, since):
    lab = lab_json(state)
    trail = lab["options"]["organizationTrail"]
    os.environ["AWS_CONFIG_FILE"] = lab["awsConfigFile"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = lab["awsSharedCredentialsFile"]
    athena = boto3.Session(profile_name=f"lab-{trail['loggingAccount']}").client(
        "athena", endpoint_url=lab["endpoint"], region_name="us-east-1")
    statement = (TABLE.replace("@LOCATION@", f"s3://{trail['bucket']}/{trail['logPrefix']}")
                 .replace("@ACCOUNTS@", ",".join(a["id"] for a in lab["accounts"]))
                 .replace("@REGIONS@", regions).replace("@SINCE@", since[:10].replace("-", "/")))
    execution = athena.start_query_execution(
        QueryString=statement, ResultConfiguration={"OutputLocation": f"s3://sweep-results-{trail['loggingAccount']}/ddl/"})
    for _ in range(3):
        state_now = athena.get_query_execution(QueryExecutionId=execution["QueryExecutionId"])["QueryExecution"]["Status"]
    if state_now["State"] != "SUCCEEDED":
        sys.exit(f"the table was not created: {state_now}")


def involves(record, keys):
    identity = record.get("userIdentity") or {}
    parameters = record.get("requestParameters")
    named = parameters.get("accessKeyId") if isinstance(parameters, dict) else None
    return identity.get("accessKeyId") in keys or named in keys


def expected(state, keys):
    lab = lab_json(state)
    found, accounts = [], set()
    for account in (a["id"] for a in lab["accounts"]):
        with urllib.request.urlopen(f"{lab['endpoint']}/lab-api/events?account={account}", timeout=600) as answer:
            records = json.loads(answer.read())["Records"]
        for record in records:
            if involves(record, keys):
                found.append(record["eventID"])
                accounts.add(record["recipientAccountId"])
    print(json.dumps({"eventIds": sorted(found), "accounts": sorted(accounts)}))


def archives(case, keys):
    total = Counter()
    found = set()
    for root, _, names in os.walk(case):
        for name in names:
            if not name.endswith(".tar"):
                continue
            total["archives"] += 1
            with tarfile.open(os.path.join(root, name)) as archive:
                for member in archive:
                    if not member.isfile() or not member.name.startswith("cloudtrail/"):
                        continue
                    total["bytes"] += member.size
                    total["members"] += 1
                    if member.name.endswith(".metadata.json"):
                        continue  # a digest's S3 metadata (its signature), beside it
                    data = archive.extractfile(member).read()
                    if "/CloudTrail-Digest/" in member.name:
                        total["digestFiles"] += 1
                        continue
                    if "/CloudTrail/" in member.name:
                        total["logFiles"] += 1
                        for record in json.loads(gzip.decompress(data)).get("Records", []):
                            if involves(record, keys):
                                found.add(record["eventID"])
                    elif member.name.endswith(".jsonl.gz"):
                        for line in io.BytesIO(gzip.decompress(data)):
                            record = json.loads(json.loads(line)["CloudTrailEvent"])
                            if involves(record, keys):
                                found.add(record["eventID"])
    print(json.dumps({**total, "eventIds": sorted(found)}))


def calls(log, start):
    counts = Counter()
    pattern = re.compile(r"^\S+ \S+ (\d{3}) (\S+)\.(\S+) account=")
    with open(log, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            match = pattern.match(line) if number >= start else None
            if not match:
                continue
            status, service, operation = match.groups()
            counts["all"] += 1
            counts["throttled"] += status == "400" and "Throttl" in line
            if operation == "LookupEvents":
                counts["lookup"] += 1
            elif service == "s3" and operation in ("GetObject", "ListObjectsV2", "ListObjects", "HeadObject"):
                counts["s3Reads"] += 1
            elif service in ("athena", "glue"):
                counts["athena"] += 1
    print(json.dumps(counts))


def main():
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "seed":
        seed(arguments[0], int(arguments[1]), float(arguments[2]), arguments[3].split(","), arguments[4] == "1")
    elif command == "table":
        table(arguments[0], arguments[1], arguments[2])
    elif command == "expected":
        expected(arguments[0], set(arguments[1].split(",")))
    elif command == "archives":
        archives(arguments[0], set(arguments[1].split(",")))
    elif command == "calls":
        calls(arguments[0], int(arguments[1]))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
