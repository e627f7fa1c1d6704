#!/usr/bin/env python3
"""The reference for Benchmarks/diff: the least a script does to answer the same questions from
the same sealed archives, with Python's standard library and no checking at all (no signature,
no hashes, no rules).

    diff_reference.py diff BEFORE.tar AFTER.tar
        reads every snapshot member of both archives, matches users, access keys, roles and
        instances by id, and counts the added, removed and changed ones.
    diff_reference.py hunt ARCHIVE.tar
        decompresses every CloudTrail member and parses each LookupEvents line and the record
        inside it, counting the events and their principals.

Prints one line: the time, the peak resident memory, and how many changes or events it found.
"""
import gzip
import io
import json
import resource
import sys
import tarfile
import time


def members(path, prefix):
    with tarfile.open(path) as archive:
        for member in archive:
            if member.isfile() and member.name.startswith(prefix):
                yield member.name, archive.extractfile(member).read()


def entities(path):
    found = {}
    for name, data in members(path, "snapshot/"):
        if not name.endswith(".json"):
            continue
        value = json.loads(data)
        if name.endswith("iam/users.json"):
            for user in value:
                found[("user", user["userId"])] = {k: v for k, v in user.items() if k != "accessKeys"}
                for key in user["accessKeys"]:
                    found[("key", key["accessKeyId"])] = key
        elif name.endswith("iam/roles.json"):
            for role in value:
                found[("role", role["roleId"])] = role
        elif name.endswith("instances.json"):
            for instance in value:
                found[("instance", instance["instanceId"])] = instance
    return found


def diff(before, after):
    old, new = entities(before), entities(after)
    added = sum(1 for key in new if key not in old)
    removed = sum(1 for key in old if key not in new)
    changed = sum(1 for key, value in new.items() if key in old and old[key] != value)
    return added + removed + changed


def hunt(archive):
    events = 0
    principals = set()
    for name, data in members(archive, "cloudtrail/"):
        if not name.endswith(".gz"):
            continue
        for line in io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(data)), encoding="utf-8"):
            record = json.loads(json.loads(line)["CloudTrailEvent"])
            principals.add(record.get("userIdentity", {}).get("arn"))
            events += 1
    return events


def main() -> int:
    started = time.monotonic()
    count = diff(sys.argv[2], sys.argv[3]) if sys.argv[1] == "diff" else hunt(sys.argv[2])
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{seconds:.2f} s  {peak} MB peak  ({count} found)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
