#!/usr/bin/env python3
"""Seeds a running lab for Benchmarks/collect: users, roles, instances and CloudTrail events across its accounts.

Usage: collect_seed.py STATE_DIR REGION[,REGION...] USERS ROLES INSTANCES EVENTS (totals over all accounts)
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def main() -> int:
    state, regions = sys.argv[1], sys.argv[2].split(",")
    users, roles, instances, events = (int(value) for value in sys.argv[3:7])
    lab = json.load(open(f"{state}/lab.json"))
    accounts = lab["accounts"]

    def seed(index: int, account: dict) -> None:
        admin = account["administrator"]
        session = boto3.session.Session(
            aws_access_key_id=admin["accessKeyId"], aws_secret_access_key=admin["secretAccessKey"], region_name="us-east-1")
        iam = session.client("iam", endpoint_url=lab["endpoint"])
        share = lambda total: total // len(accounts) + (1 if index < total % len(accounts) else 0)  # noqa: E731
        for number in range(share(users)):
            name = f"bench-user-{number:04d}"
            iam.create_user(UserName=name)
            if number % 2 == 0:
                iam.create_access_key(UserName=name)
        for number in range(share(roles)):
            iam.create_role(RoleName=f"bench-role-{number:04d}", AssumeRolePolicyDocument=TRUST)
        count = share(instances)
        for position, region in enumerate(regions):
            ec2 = session.client("ec2", region_name=region, endpoint_url=lab["endpoint"])
            here = count // len(regions) + (1 if position < count % len(regions) else 0)
            if here:
                ec2.run_instances(ImageId="ami-12c6146b", MinCount=here, MaxCount=here, InstanceType="t3.micro")
        per_region = share(events) // len(regions)
        for region in regions:
            body = json.dumps({"account": account["id"], "region": region, "count": per_region, "minutes": 120}).encode()
            request = urllib.request.Request(lab["labApi"]["flush"].replace("flush", "seed-events"), data=body, method="POST")
            urllib.request.urlopen(request).read()

    with ThreadPoolExecutor(len(accounts)) as pool:
        list(pool.map(lambda pair: seed(*pair), enumerate(accounts)))
    print(f"seeded {users} users, {roles} roles, {instances} instances, {events} events over {len(accounts)} accounts and {len(regions)} regions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
