"""A sliding-window rate limit: at most ``rate`` requests per second per key."""

from __future__ import annotations

import collections
import threading
import time


class RateLimiter:
    """Allow at most ``rate`` calls in any one-second window, per key."""

    def __init__(self, rate: float, clock=time.monotonic) -> None:  # noqa: D107
        self.rate = rate
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[object, collections.deque[float]] = collections.defaultdict(collections.deque)

    def allow(self, key: object) -> bool:
        """Count one call for ``key``; False when it would exceed the rate."""
        if self.rate <= 0:
            return True
        now = self._clock()
        with self._lock:
            window = self._seen[key]
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= self.rate:
                return False
            window.append(now)
            return True
