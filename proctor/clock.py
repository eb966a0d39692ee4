"""Time for the service and the simulator: real, scaled (rehearsals, demos) or simulated (tests).

Two readings: `now()` is exam time (epoch seconds, what schedules and rules read) and
`monotonic()` measures link liveness. A scaled clock speeds up the exam but not the network,
so heartbeats stay real seconds; a simulated clock moves both only when a test advances it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time


class RealClock:
    def __init__(self, scale: float = 1.0, origin: float | None = None) -> None:
        self.scale = scale
        self._real0 = time.time()
        self._origin = self._real0 if origin is None else origin

    def now(self) -> float:
        return self._origin + (time.time() - self._real0) * self.scale

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def sleep_until(self, at: float) -> None:
        # Re-read after waking: the wall clock may have been stepped meanwhile.
        while (left := at - self.now()) > 0:
            await asyncio.sleep(min(left / self.scale, 1.0))


class SimulatedClock:
    """Moves only when `advance` is awaited; wakes sleepers in time order."""

    scale = 1.0

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + max(0.0, seconds))

    async def sleep_until(self, at: float) -> None:
        if at <= self._now:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (at, next(self._order), fut))
        await fut

    async def advance(self, seconds: float) -> None:
        """Step to now+seconds, stopping at every wake-up so woken tasks run in order."""
        target = self._now + seconds
        await _settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            at, _, fut = heapq.heappop(self._sleepers)
            self._now = max(self._now, at)
            if not fut.done():
                fut.set_result(None)
            await _settle()
        self._now = target
        await _settle()


async def _settle(rounds: int = 20) -> None:
    # Let woken tasks (and what they wake in turn) run before time moves again.
    for _ in range(rounds):
        await asyncio.sleep(0)
