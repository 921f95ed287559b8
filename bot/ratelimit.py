"""A per-user sliding-window rate limit: at most N questions in any 60 seconds."""
from __future__ import annotations

import math
import time
from collections import deque

__all__ = ["RateLimiter"]


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self.seen: dict[int, deque[float]] = {}

    def wait_seconds(self, user_id: int) -> int:
        """0 if the user may ask now (and count it), else the seconds until they may."""
        if self.per_minute <= 0:
            return 0
        now = self.clock()
        window = self.seen.setdefault(user_id, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return max(1, math.ceil(60 - (now - window[0])))
        window.append(now)
        return 0
