"""Where each candidate's answer saves are in the event log, kept in memory.

A save's rows go at the end of `events` and `answers`. An index row per save on disk, keyed by
candidate, put each save of a burst on a page of its own: it doubled what a commit wrote and made
the write a third dearer in CPU. So the log finds a candidate's saves here instead, built from
`events` when first needed and kept up as saves are appended (docs/architecture.md has the
figures).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator


class _Saves:
    """One candidate's saves, oldest first: the event seq, the sitting and the machine's seq."""

    __slots__ = ("events", "sittings", "seqs")

    def __init__(self) -> None:
        self.events = array("q")
        self.sittings = array("q")
        self.seqs = array("q")


class SaveIndex:
    def __init__(self) -> None:
        self._by_ticket: dict[str, _Saves] = {}
        self.through = 0  # the seq of the newest save indexed

    def add(self, event: int, sitting: int, ticket: str, seq: int) -> None:
        saves = self._by_ticket.get(ticket)
        if saves is None:
            saves = self._by_ticket[ticket] = _Saves()
        saves.events.append(event)
        saves.sittings.append(sitting)
        saves.seqs.append(seq)
        self.through = event

    def extend(self, rows: Iterable[tuple[int, int, str, int]]) -> None:
        """(event seq, sitting, ticket, seq) of saves, oldest first, all after `through`."""
        for row in rows:
            self.add(*row)

    def newest_first(self, sitting: int, ticket: str) -> Iterator[tuple[int, int]]:
        """(event seq, machine's seq) of the candidate's saves in this sitting, newest first."""
        saves = self._by_ticket.get(ticket)
        if saves is None:
            return
        for i in range(len(saves.events) - 1, -1, -1):
            if saves.sittings[i] == sitting:
                yield saves.events[i], saves.seqs[i]

    def events_after(self, ticket: str, after: int, limit: int) -> list[int]:
        """The event seqs of the candidate's saves (any sitting) above `after`, oldest first."""
        saves = self._by_ticket.get(ticket)
        if saves is None:
            return []
        first = bisect.bisect_right(saves.events, after)  # event seqs rise
        return list(saves.events[first : first + limit])
