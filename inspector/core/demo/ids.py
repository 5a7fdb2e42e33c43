"""The demo's record ids: version-7 UUIDs (RFC 9562) of the records' own creation times, as the app makes them.

The app gives every new record a time-ordered id (:func:`inspector.db.ids.new_id`: the current time). A demo
batch makes records that were "created" over the last months, so each id carries its record's
``created_at`` instead: the 48-bit Unix time in milliseconds, the version ``7``, a 12-bit counter
(RFC 9562 method 1: records of the same millisecond, such as an inspection's findings, numbered in the
order they are made, so their ids follow the walk-through), the variant bits, then 62 random bits
(``os.urandom``, taken in blocks). A millisecond whose 4,096 numbers are used up lends the next one.
Ids sort as the records' creation times do; the batch makes its inspections in time order, so rows go in
at the end of every B-tree keyed by id.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}  # RFC 9562 variant bits 10
COUNTER_LIMIT = 1 << 12


def milliseconds(when: datetime) -> int:
    """Unix time of an aware datetime in whole milliseconds (exact: no float)."""
    delta = when - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


class TimeOrderedIds:
    """Version-7 UUID texts for records created at given times (:meth:`at`, :meth:`run`)."""

    def __init__(self):
        self._used: dict[int, int] = {}  # millisecond -> counter values taken
        self._parts: list[str] = []  # random tails ``Vrrr-rrrrrrrrrrrr`` not used yet (:meth:`_random`)
        self._next_part = 0

    def at(self, when: datetime) -> str:
        """One id for a record created at ``when``."""
        ms, counter = self._take(milliseconds(when), 1)
        stamp = f"{ms:012x}"
        n = self._next_part
        if n >= len(self._parts):
            self._refill(1)
            n = 0
        self._next_part = n + 1
        return f"{stamp[:8]}-{stamp[8:]}-7{_COUNTER_HEX[counter]}-{self._parts[n]}"

    def run(self, when: datetime, count: int) -> str:
        """``count`` ids for records created at ``when``, in this order, as one text of 36 characters per id."""
        if count <= 0:
            return ""
        ms, first = self._take(milliseconds(when), count)
        stamp = f"{ms:012x}"
        head = f"{stamp[:8]}-{stamp[8:]}-7"
        return "".join([f"{head}{counter}-{part}" for counter, part in
                        zip(_COUNTER_HEX[first:first + count], self._random(count))])

    def _take(self, ms: int, count: int) -> tuple[int, int]:
        if count > COUNTER_LIMIT:
            raise ValueError(f"at most {COUNTER_LIMIT} ids of one millisecond at once")
        used = self._used.get(ms, 0)
        while used + count > COUNTER_LIMIT:  # this millisecond is full: the next one
            ms += 1
            used = self._used.get(ms, 0)
        self._used[ms] = used + count
        return ms, used

    def _random(self, count: int) -> list[str]:
        """``count`` random tails: the variant and the 62 random bits, from os.urandom in blocks."""
        start = self._next_part
        if start + count > len(self._parts):
            self._refill(count)
            start = 0
        self._next_part = start + count
        return self._parts[start:start + count]

    def _refill(self, at_least: int) -> None:
        block = os.urandom(8 * max(4096, at_least)).hex()
        self._parts = [f"{_VARIANT[block[n]]}{block[n + 1:n + 4]}-{block[n + 4:n + 16]}" for n in range(0, len(block), 16)]
        self._next_part = 0


_COUNTER_HEX = [f"{counter:03x}" for counter in range(COUNTER_LIMIT)]
