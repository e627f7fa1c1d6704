#!/usr/bin/env python3
"""Generates random requests, signs each with botocore's SigV4Auth or S3SigV4Auth, and prints one JSON line per
request with botocore's canonical request and Authorization header. AWSClientTests signs the same requests and
compares.

Usage: python3 sigv4-differential.py COUNT SEED
Covers unreserved and reserved characters, UTF-8 and dot segments in paths, repeated query keys, empty values,
headers with inner spaces, tabs and several values, Date headers, session tokens, empty and large bodies.
"""
import base64
import datetime
import json
import random
import sys
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = datetime.datetime(2015, 8, 30, 12, 36, 0)
botocore.auth.get_current_datetime = lambda: FIXED

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
RESERVED = "!$&'()*+,;=:@"
OTHER = " \"<>[]{}|^`%"
UNICODE = ["é", "ß", "ሴ", "中", "😀", "ü"]


class Capturing:
    def __init__(self, cls, *args):
        self.auth = cls(*args)
        self.canonical = None
        original = self.auth.canonical_request

        def capture(request):
            self.canonical = original(request)
            return self.canonical

        self.auth.canonical_request = capture


def text(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def path_segment(rng):
    kind = rng.random()
    if kind < 0.08:
        return rng.choice([".", ".."])
    if kind < 0.12:
        return ""
    pool = UNRESERVED * 3 + RESERVED + OTHER
    seg = text(rng, pool, 1, 12)
    if rng.random() < 0.2:
        seg += rng.choice(UNICODE)
    return seg


def wire_path(rng, s3):
    segments = [path_segment(rng) for _ in range(rng.randint(0, 5))]
    if s3:
        segments = [s for s in segments if s not in (".", "..")]
        # S3 keys go on the wire encoded once, '/' kept.
        path = "/" + "/".join(quote(s, safe="-_.~") for s in segments)
    else:
        # A wire path as a client may send it: reserved sub-delims raw, the rest encoded.
        path = "/" + "/".join(quote(s, safe="-_.~!$&'()*+,;=:@") for s in segments)
    if rng.random() < 0.3:
        path += "/"
    if rng.random() < 0.1:
        path = path.replace("/", "//", 1)
    return path


def query(rng):
    if rng.random() < 0.3:
        return ""
    keys = [text(rng, UNRESERVED + RESERVED + OTHER + "".join(UNICODE), 1, 8) for _ in range(rng.randint(1, 4))]
    pairs = []
    for _ in range(rng.randint(1, 8)):
        key = rng.choice(keys)
        value = "" if rng.random() < 0.15 else text(rng, UNRESERVED + RESERVED + OTHER + "".join(UNICODE), 0, 16)
        pairs.append((key, value))
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)


def header_value(rng):
    words = [text(rng, UNRESERVED + RESERVED + "/\"", 1, 10) for _ in range(rng.randint(1, 4))]
    out = ""
    for i, word in enumerate(words):
        if i:
            out += rng.choice([" ", "  ", "\t", " \t "])
        out += word
    if rng.random() < 0.3:
        out = " " * rng.randint(1, 3) + out
    if rng.random() < 0.3:
        out = out + " " * rng.randint(1, 3)
    return out


def headers(rng):
    names = ["X-Custom-" + text(rng, "abcdefghijklmnopqrstuvwxyz0123456789-", 1, 6) for _ in range(rng.randint(0, 4))]
    names += rng.sample(["Content-Type", "Accept", "User-Agent", "Expect", "x-amz-meta-Owner", "Range",
                         "X-Amzn-Trace-Id", "Connection", "Cache-Control"], rng.randint(0, 4))
    out = []
    for name in names:
        for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
            cased = "".join(c.upper() if rng.random() < 0.3 else c for c in name)
            out.append([cased, header_value(rng)])
    if rng.random() < 0.05:
        out.append(["Date", "Mon, 01 Jan 2001 00:00:00 GMT"])
    rng.shuffle(out)
    return out


def body(rng):
    kind = rng.random()
    if kind < 0.35:
        return b"", None
    if kind < 0.96:
        raw = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300)))
        return raw, {"base64": base64.b64encode(raw).decode()}
    size = rng.randint(64 * 1024, 1024 * 1024)
    seed = rng.randint(0, 255)
    block = bytes((i * 31 + seed) % 256 for i in range(256))
    raw = (block * (size // 256 + 1))[:size]
    return raw, {"size": size, "seed": seed}


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    for index in range(count):
        s3 = rng.random() < 0.25
        scheme = rng.choice(["https", "http"])
        host = rng.choice(["example.amazonaws.com", "iam.amazonaws.com", "bucket.s3.eu-west-1.amazonaws.com",
                           "127.0.0.1"])
        port = rng.choice([None, None, 8443, 5000])
        path = wire_path(rng, s3)
        q = query(rng)
        hs = headers(rng)
        raw, body_spec = body(rng)
        method = rng.choice(["GET", "POST", "PUT", "HEAD", "DELETE"])
        token = text(rng, UNRESERVED + "/+=", 20, 60) if rng.random() < 0.3 else None
        service = "s3" if s3 else rng.choice(["iam", "sts", "ec2", "service"])
        region = rng.choice(["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"])
        netloc = host + (f":{port}" if port else "")
        url = f"{scheme}://{netloc}{path}" + (f"?{q}" if q else "")
        request = AWSRequest(method=method, url=url, data=raw)
        for name, value in hs:
            request.headers[name] = value
        credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
        cls = botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth
        signer = Capturing(cls, credentials, service, region)
        signer.auth.add_auth(request)
        print(json.dumps({
            "id": index, "method": method, "scheme": scheme, "host": host, "port": port, "path": path,
            "query": q, "headers": hs, "body": body_spec, "token": token, "service": service, "region": region,
            "s3": s3, "canonical": signer.canonical, "authorization": request.headers["Authorization"],
        }))


if __name__ == "__main__":
    main()
