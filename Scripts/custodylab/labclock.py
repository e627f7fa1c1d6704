"""The lab's clock: the real one, or a logical one that moves only when told.

With ``Scripts/lab --clock TIME`` every time the lab writes (event times,
moto's CreateDate, LaunchTime, credential expirations, log file names,
digest times) comes from a logical clock that starts at ``TIME`` and does
not move by itself: ``POST /lab-api/clock`` moves it, and so does the
scenario runner, a fixed step after each step. Calls made while it stands
still (a collector's many parallel reads) all carry the same time, so the
order in which they arrive does not show in what the lab records.

Two things stay on the real clock: the SigV4 time-skew check (a client
signs with its own, real clock) and the LookupEvents rate limit.
"""

from __future__ import annotations

import datetime as _dt
import threading

UTC = _dt.timezone.utc


class LabClock:
    """The real clock until :meth:`start_logical`; then a logical one."""

    def __init__(self) -> None:  # noqa: D107
        self._lock = threading.Lock()
        self._logical: _dt.datetime | None = None

    @property
    def logical(self) -> bool:
        """Whether the clock is logical (moves only when told)."""
        return self._logical is not None

    @staticmethod
    def real_now() -> _dt.datetime:
        """The real time, timezone-aware, in UTC, without microseconds."""
        return _dt.datetime.now(UTC).replace(microsecond=0)

    def now(self) -> _dt.datetime:
        """The lab's time, timezone-aware, in UTC, without microseconds."""
        with self._lock:
            if self._logical is not None:
                return self._logical
        return self.real_now()

    def start_logical(self, moment: _dt.datetime) -> None:
        """From now on, the time is ``moment`` until told otherwise."""
        with self._lock:
            self._logical = moment.astimezone(UTC).replace(microsecond=0)

    def advance(self, seconds: int) -> _dt.datetime:
        """Move a logical clock ``seconds`` (whole, not negative) forward; returns the new time."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError("advance takes whole seconds, 0 or more")
        with self._lock:
            if self._logical is None:
                raise ValueError("the lab runs on the real clock: start it with --clock to move time")
            self._logical += _dt.timedelta(seconds=seconds)
            return self._logical

    def set(self, moment: _dt.datetime) -> _dt.datetime:
        """Set a logical clock to ``moment``, which may not be earlier than the current time."""
        moment = moment.astimezone(UTC).replace(microsecond=0)
        with self._lock:
            if self._logical is None:
                raise ValueError("the lab runs on the real clock: start it with --clock to move time")
            if moment < self._logical:
                raise ValueError(f"the clock never goes back: it is {self._logical:%Y-%m-%dT%H:%M:%SZ} already")
            self._logical = moment
            return self._logical


#: The one clock of the running lab (timefmt and moto's patched time read it).
CLOCK = LabClock()
