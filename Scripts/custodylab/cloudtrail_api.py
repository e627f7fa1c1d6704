"""CloudTrail's LookupEvents and ListPublicKeys, which moto does not implement."""

from __future__ import annotations

import base64
import datetime as _dt
from typing import Any

from . import timefmt
from .errors import LabError
from .eventstore import LOOKUP_ATTRIBUTES, EventStore, InvalidNextToken
from .labclock import CLOCK
from .signing import DigestSigner

MAX_RESULTS = 50


def _time(value: Any, name: str) -> _dt.datetime | None:
    if value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            return _dt.datetime.fromtimestamp(value, timefmt.UTC)
        text = str(value)
        try:
            return _dt.datetime.fromtimestamp(float(text), timefmt.UTC)
        except ValueError:
            return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timefmt.UTC)
    except (ValueError, OverflowError, OSError):
        raise LabError(f"{name} is not a valid timestamp: {value!r}", code="InvalidTimeRangeException") from None


def horizon() -> tuple[_dt.datetime, _dt.datetime | None]:
    """``(now, visible_before)``: what of the history LookupEvents shows at this moment.

    An event shows once its delay (``--event-delay``) has passed by ``now``. On a logical clock,
    also only once the clock has moved past it (AWS's history takes minutes): so a collector's
    LookupEvents never sees its own parallel calls, which would make what it reads depend on how
    far they had got.
    """
    now = timefmt.utcnow()
    return now, (now if CLOCK.logical else None)


def lookup_events(store: EventStore, account_id: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
    """Answer LookupEvents for ``account_id`` in ``region``."""
    attributes = params.get("LookupAttributes") or []
    if not isinstance(attributes, list) or len(attributes) > 1:
        raise LabError("You can specify only one lookup attribute.", code="InvalidLookupAttributesException")
    attribute = None
    if attributes:
        key = attributes[0].get("AttributeKey")
        value = attributes[0].get("AttributeValue")
        if key not in LOOKUP_ATTRIBUTES:
            raise LabError(
                f"Lookup attribute key '{key}' is not valid: use one of {', '.join(LOOKUP_ATTRIBUTES)}.",
                code="InvalidLookupAttributesException",
            )
        if not isinstance(value, str) or not value:
            raise LabError("Lookup attribute value must be a non-empty string.", code="InvalidLookupAttributesException")
        attribute = (key, value)
    max_results = params.get("MaxResults", MAX_RESULTS)
    if not isinstance(max_results, int) or not 1 <= max_results <= MAX_RESULTS:
        raise LabError(f"MaxResults must be between 1 and {MAX_RESULTS}.", code="InvalidMaxResultsException")
    start = _time(params.get("StartTime"), "StartTime")
    end = _time(params.get("EndTime"), "EndTime")
    if start and end and start > end:
        raise LabError("Start time must be earlier than end time.", code="InvalidTimeRangeException")
    if params.get("EventCategory") == "insight":
        return {"Events": []}
    now, visible_before = horizon()
    try:
        page, token = store.lookup(
            account_id, region, attribute, start, end, max_results, params.get("NextToken"), visible_before, now
        )
    except InvalidNextToken as error:
        raise LabError(str(error), code="InvalidNextTokenException") from None
    answer: dict[str, Any] = {"Events": [event.lookup_shape() for event in page]}
    if token:
        answer["NextToken"] = token
    return answer


def list_public_keys(signer: DigestSigner, params: dict[str, Any]) -> dict[str, Any]:
    """Answer ListPublicKeys: the digest signing key, when valid in the range asked."""
    start = _time(params.get("StartTime"), "StartTime") or timefmt.utcnow()
    end = _time(params.get("EndTime"), "EndTime") or timefmt.utcnow()
    if start > end:
        raise LabError("Start time must be earlier than end time.", code="InvalidTimeRangeException")
    keys = []
    if start <= signer.valid_until and end >= signer.valid_from:
        keys.append(
            {
                "Value": base64.b64encode(signer.public_der).decode(),
                "ValidityStartTime": signer.valid_from.timestamp(),
                "ValidityEndTime": signer.valid_until.timestamp(),
                "Fingerprint": signer.fingerprint,
            }
        )
    return {"PublicKeyList": keys}
