"""Answers worked out from one file's content, kept from one scanned commit to the next.

A history walk scans commit after commit in one process. Most files have the same blob id in the
next sampled commit, so whatever was read, parsed or computed from that blob can be reused: the
decoded facts, a parsed YAML document, the secrets found in it, a probe's per-file partial result.
Keys are (what, blob id); values must be treated as read-only by whoever gets them.

Memory stays bounded by two commits' worth: an entry not used while scanning the previous
commit or this one is dropped when the walk moves on (`advance`).
"""

from __future__ import annotations

from typing import Any, Hashable


class ContentMemo:
    def __init__(self) -> None:
        self._current: dict[Hashable, Any] = {}
        self._previous: dict[Hashable, Any] = {}
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        value = self._current.get(key)
        if value is None:
            value = self._previous.pop(key, None)
            if value is not None:
                self._current[key] = value
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._current[key] = value

    def advance(self) -> None:
        """The walk moves to the next commit: forget what the last two commits did not use."""
        self._previous, self._current = self._current, {}
