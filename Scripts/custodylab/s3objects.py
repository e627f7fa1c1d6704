"""Reading and writing objects of moto's S3 directly, as an AWS service does on its own behalf.

Athena reads log files from and writes query results to S3 as itself, not
as an API call of the caller's: straight to moto's backend, unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from moto.s3.models import s3_backends


@dataclass(frozen=True)
class S3Object:
    """One stored object: where it is, how big, its bytes."""

    bucket: str
    key: str
    size: int
    body: bytes

    @property
    def url(self) -> str:
        """``s3://bucket/key``."""
        return f"s3://{self.bucket}/{self.key}"


def split_url(url: str) -> tuple[str, str]:
    """``s3://bucket/key/prefix`` as (bucket, key prefix)."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"{url!r} is not an s3://bucket/prefix location")
    return parsed.netloc, parsed.path.lstrip("/")


def _bucket(name: str) -> Any | None:
    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account_id = owner
    return s3_backends[account_id][partition].buckets.get(name)


def bucket_exists(name: str) -> bool:
    """Whether bucket ``name`` exists (in any account)."""
    return _bucket(name) is not None


def object_size(bucket_name: str, key: str) -> int:
    """The size of the object at ``key``; 0 if it or its bucket does not exist."""
    bucket = _bucket(bucket_name)
    stored = bucket.keys.get(key) if bucket is not None else None
    return int(getattr(stored, "size", 0) or 0) if stored is not None else 0


def list_objects(bucket_name: str, prefix: str) -> list[S3Object]:
    """The objects of ``bucket_name`` whose keys start with ``prefix``, in key order; none if the bucket is gone."""
    bucket = _bucket(bucket_name)
    if bucket is None:
        return []
    found = []
    for key in sorted(k for k in list(bucket.keys.keys()) if k.startswith(prefix)):
        stored = bucket.keys.get(key)
        if stored is None or getattr(stored, "value", None) is None:
            continue
        body = stored.value
        found.append(S3Object(bucket=bucket_name, key=key, size=len(body), body=body))
    return found


def put_object(bucket_name: str, key: str, body: bytes, content_type: str) -> bool:
    """Store ``body`` at ``key``; False if the bucket does not exist."""
    owner = s3_backends.bucket_accounts.get(bucket_name)
    if owner is None:
        return False
    partition, account_id = owner
    stored = s3_backends[account_id][partition].put_object(bucket_name, key, body)
    stored.set_metadata({"Content-Type": content_type})
    return True
