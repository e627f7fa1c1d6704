"""How late CloudTrail is: each record's delay before LookupEvents and delivery see it.

AWS delivers events within about 5 minutes of the call on average, with no
guarantee, and LookupEvents lags the same way. With ``Scripts/lab
--event-delay S`` every record gets its own delay, between 0 and ``S``
seconds after its ``eventTime`` (logical seconds on a logical clock): with
``--seed`` derived from the seed and the record's ``eventID``, so that runs
repeat, otherwise drawn at random. Until then the record is not visible:
LookupEvents leaves it out and delivery keeps it pending. The default, 0,
makes every record visible at once.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import random
from typing import Any


class EventDelay:
    """The delays of records: none, random, or derived from a seed."""

    def __init__(self, seconds: float = 0, seed: int | None = None) -> None:  # noqa: D107
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("the event delay is a number of seconds, 0 or more")
        #: The longest delay (``--event-delay``).
        self.seconds = seconds
        self.seed = seed
        self._random = random.Random()

    def draw(self, record: dict[str, Any]) -> float:
        """Seconds after its ``eventTime`` at which ``record`` becomes visible, in [0, seconds]."""
        if not self.seconds:
            return 0.0
        if self.seed is None:
            return self._random.uniform(0, self.seconds)
        digest = hashlib.sha256(f"{self.seed}|event-delay|{record['eventID']}".encode()).digest()
        return self.seconds * int.from_bytes(digest[:8], "big") / (2**64 - 1)

    def visible_at(self, record: dict[str, Any], event_time: _dt.datetime) -> _dt.datetime | None:
        """When ``record``, made at ``event_time``, becomes visible; None without delays: at once."""
        if not self.seconds:
            return None
        return event_time + _dt.timedelta(seconds=self.draw(record))
