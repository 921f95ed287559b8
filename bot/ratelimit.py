"""A per-user sliding-window rate limit: at most N questions in any 60 seconds."""
from __future__ import annotations

import math
import time
from collections import deque

__all__ = ["RateLimiter"]


class RateLimiter:
    """Users whose window is empty are forgotten (the table holds only who asked within the last minute), and a
    refused user is told once per window, not once per message of a flood (``should_tell``)."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self.seen: dict[int, deque[float]] = {}
        self.told: dict[int, float] = {}  # when a refused user was last told to wait
        self._pruned = clock()

    def wait_seconds(self, user_id: int) -> int:
        """0 if the user may ask now (and count it), else the seconds until they may."""
        if self.per_minute <= 0:
            return 0
        now = self.clock()
        self._prune(now)
        window = self.seen.setdefault(user_id, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return max(1, math.ceil(60 - (now - window[0])))
        window.append(now)
        self.told.pop(user_id, None)
        return 0

    def should_tell(self, user_id: int) -> bool:
        """Whether to reply to a refused question: the first refusal of a window is answered, the rest are not."""
        now = self.clock()
        window = self.seen.get(user_id)
        told = self.told.get(user_id)
        if told is not None and window and told >= window[0]:
            return False
        self.told[user_id] = now
        return True

    def _prune(self, now: float) -> None:
        if now - self._pruned < 60:
            return
        self._pruned = now
        for user in [u for u, w in self.seen.items() if not w or now - w[-1] >= 60]:
            del self.seen[user]
            self.told.pop(user, None)
