"""Which regions exist, and which services answer in one region only."""

from __future__ import annotations

import functools

import botocore.session

#: Services whose API lives in one region of the ``aws`` partition: a
#: credential scope naming another region is refused, as AWS refuses it.
GLOBAL_SERVICE_REGION = {
    "iam": "us-east-1",
    "organizations": "us-east-1",
}

#: Services whose events CloudTrail counts as global service events.
GLOBAL_EVENT_SOURCES = {"iam.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com"}


@functools.lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """The public regions of the ``aws`` partition, from botocore's endpoint data."""
    session = botocore.session.get_session()
    return frozenset(session.get_available_regions("ec2"))


def is_known_region(region: str) -> bool:
    """True when ``region`` is a region of the ``aws`` partition."""
    return region in known_regions()
