"""A bounded store per process for values that are costly to build and never change under
their key (content-addressed fragments, aggregates keyed by the data's change stamp)."""

import threading
from collections import OrderedDict


class LRUStore:
    """Values by key, at most `max_entries`, the least recently used dropped first. Shared by
    a process's threads. Values are kept as they are (not pickled, unlike Django's per-process
    cache), so they must not be changed by whoever reads them."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys) -> dict:
        found = {}
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, mapping: dict) -> None:
        with self._lock:
            self._entries.update(mapping)
            for key in mapping:
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get(self, key):
        return self.get_many([key]).get(key)

    def remembered(self, key, make):
        """The value kept under `key`, else `make()`, then kept (it must not be None)."""
        value = self.get(key)
        if value is None:
            value = make()
            self.set(key, value)
        return value

    def remembered_many(self, keys: list, make) -> list:
        """The value of each key, in order: kept ones found in one pass, the others made by
        `make(key)` once per distinct key and kept together."""
        found = self.get_many(keys)
        missing: dict = {}
        values = []
        for key in keys:
            value = found.get(key)
            if value is None:
                value = missing.get(key)
                if value is None:
                    value = missing[key] = make(key)
            values.append(value)
        if missing:
            self.set_many(missing)
        return values

    def set(self, key, value) -> None:
        self.set_many({key: value})

    def values(self) -> list:
        with self._lock:
            return list(self._entries.values())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
