"""Python's cyclic garbage collector held back while a burst of saves comes in.

Every connection waits for its next message in a chain of coroutines and a future that is made
anew after each message, so the youngest generation fills with them (about 12 objects a
connection) without counting as new allocations: at 1000 machines a young collection traversed
12,000 of them and stopped the loop for 10-26 ms at the end of an exam, every save waiting
(bench/link_load.py). While commits keep coming big (a burst), the collector waits; it is let go
once the burst has passed, or after `most_s` at the latest. Reference counting frees nearly all
of what the burst leaves behind meanwhile.
"""

from __future__ import annotations

import asyncio
import gc

BURST_CHANGES = 8  # a commit of this many changes is part of a burst
QUIET_S = 0.25  # no such commit for this long: the burst has passed
MOST_S = 1.0  # the longest the collector is held at once, commits or not


class CollectorHold:
    """Told of every commit's size (`committed`), on the event loop whose clock it reads."""

    def __init__(self) -> None:
        self._timeout: asyncio.TimerHandle | None = None
        self._last_big = float("-inf")
        self._spent = False  # held for MOST_S in this burst already

    @property
    def held(self) -> bool:
        return self._timeout is not None

    def committed(self, changes: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if changes >= BURST_CHANGES:
            self._last_big = now
            if not self.held and not self._spent and gc.isenabled():
                gc.disable()
                self._timeout = loop.call_later(MOST_S, self._held_too_long)
        elif now - self._last_big >= QUIET_S:
            self._spent = False
            self.release()

    def _held_too_long(self) -> None:
        self._timeout = None
        self._spent = True  # a long burst: collect now, and not hold again until it has passed
        gc.enable()

    def release(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
            gc.enable()
