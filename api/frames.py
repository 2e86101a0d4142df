"""A bounded in-memory cache of stored batches' rows, by database and batch.

A stored batch never changes once committed (nothing is updated or deleted),
so its rows, once read or written, can be served from memory with no risk of
staleness: the cache is exact, only bounded. Entries are evicted least
recently used first when the cached rows pass the budget
(``SLA_FRAME_CACHE_ROWS``; 0 turns the cache off). Each worker process has
its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import polars as pl


class FrameCache:
    """A batch's key (database, id, body hash, time stored) -> its frame; at most ``budget`` rows in all."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._frames: OrderedDict[str, pl.DataFrame] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> pl.DataFrame | None:
        with self._lock:
            frame = self._frames.get(key)
            if frame is not None:
                self._frames.move_to_end(key)
            return frame

    def put(self, key: str, frame: pl.DataFrame) -> None:
        """Remember a committed batch's rows; a frame over the whole budget is not kept."""
        with self._lock:
            if frame.height > self.budget or key in self._frames:
                return
            self._frames[key] = frame
            self._rows += frame.height
            while self._rows > self.budget:
                _, evicted = self._frames.popitem(last=False)
                self._rows -= evicted.height

    def clear(self, budget: int | None = None) -> None:
        with self._lock:
            self._frames.clear()
            self._rows = 0
            if budget is not None:
                self.budget = budget


FRAMES = FrameCache(2_000_000)
