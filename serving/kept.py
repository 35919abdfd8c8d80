"""A bounded, thread-safe keeper of bytes by key: least recently used forgotten first beyond a byte budget."""

from __future__ import annotations

import threading
from collections import OrderedDict


class KeptBytes:
    """Bytes by key within a budget; a value larger than the whole budget is not kept."""

    def __init__(self, budget: int):
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        return None

    def set(self, key: str, value: bytes) -> None:
        if len(value) > self._budget:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = value
            self._size += len(value)
            while self._size > self._budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)
