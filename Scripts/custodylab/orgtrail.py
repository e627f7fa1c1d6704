"""``--organization-trail``: an organization trail made at start-up, as an Organization's administrators set one up.

The management account owns a multi-region organization trail with log file
validation, logging from the start, whose bucket belongs to a separate
logging account (the last account; the management account when it is the
only one), as AWS recommends. Made straight in moto's backends before the
lab serves, like the accounts, so it leaves no CloudTrail records; a test
that wants to see the calls makes its trail with ``CreateTrail`` and
``IsOrganizationTrail`` instead.
"""

from __future__ import annotations

from typing import Any

from moto.cloudtrail.models import cloudtrail_backends
from moto.s3.models import s3_backends

from .accounts import HOME_REGION, LabOrganization

TRAIL_NAME = "organization-trail"


def provision(organization: LabOrganization) -> dict[str, Any]:
    """Create the bucket and the organization trail, start logging; returns what ``lab.json`` says of them."""
    logging_account = organization.accounts[-1].id
    bucket = f"{TRAIL_NAME}-{organization.id}"
    s3_backends[logging_account]["aws"].create_bucket(bucket, HOME_REGION)
    backend = cloudtrail_backends[organization.management.id][HOME_REGION]
    trail = backend.create_trail(
        name=TRAIL_NAME,
        bucket_name=bucket,
        s3_key_prefix="",
        sns_topic_name="",
        is_global=True,
        is_multi_region=True,
        log_validation=True,
        is_org_trail=True,
        cw_log_group_arn="",
        cw_role_arn="",
        kms_key_id="",
        tags_list=[],
    )
    backend.start_logging(TRAIL_NAME)
    return {
        "name": TRAIL_NAME,
        "arn": trail.arn,
        "homeRegion": HOME_REGION,
        "bucket": bucket,
        "loggingAccount": logging_account,
        "logPrefix": f"AWSLogs/{organization.id}/",
    }
