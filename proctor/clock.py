"""Time for the service: the machine's clocks (real, or simulated in tests) and exam time.

A clock gives two readings: `wall()` (epoch seconds, which NTP or a person may step) and
`monotonic()` (never stepped). `ExamTime` runs exam time on the monotonic clock from an anchor
kept in the event log, so a step of the wall clock moves nobody's remaining time, a restart
continues the exam clock where it was, and a rehearsal's scaled clock never runs backwards.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol

from .domain.room import ClockAnchor

# A wall clock that drifts from the monotonic one by more than this has been stepped.
STEP_TOLERANCE_S = 2.0


class Clock(Protocol):
    def wall(self) -> float: ...
    def monotonic(self) -> float: ...
    async def sleep(self, seconds: float) -> None: ...
    async def sleep_until(self, mono: float) -> None: ...


class RealClock:
    def wall(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def sleep_until(self, mono: float) -> None:
        await asyncio.sleep(max(0.0, mono - time.monotonic()))


class SimulatedClock:
    """Moves only when `advance` is awaited; wakes sleepers in time order. `step_wall` moves the
    wall reading alone, as NTP or a person changing the clock would."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._wall_offset = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        """Simulated time: the exam time of a service that started on this clock at scale 1."""
        return self._now

    def monotonic(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._now + self._wall_offset

    def step_wall(self, by: float) -> None:
        self._wall_offset += by

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + max(0.0, seconds))

    async def sleep_until(self, mono: float) -> None:
        if mono <= self._now:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (mono, next(self._order), fut))
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


class ExamTime:
    """Exam time = anchor + monotonic time elapsed since × scale.

    `resume` anchors it when the service starts: on a fresh log at the wall clock, after a
    restart where the log's last anchor puts it (the time the service was down counts, at the
    scale it ran at), never before the last recorded event.
    """

    def __init__(self, clock: Clock, scale: float = 1.0) -> None:
        if not scale > 0:
            raise ValueError(f"time scale must be positive, not {scale}")
        self.clock, self.scale = clock, scale
        self._exam0 = clock.wall()
        self._mono0 = clock.monotonic()
        self._wall0 = self._exam0

    def resume(self, anchor: ClockAnchor | None, last_event_at: float | None) -> float | None:
        """Anchor exam time for a (re)start. Returns how far the wall clock went back while the
        service was down (negative seconds), when the log proves that it did."""
        wall, mono = self.clock.wall(), self.clock.monotonic()
        exam, stepped = wall, None
        if anchor is not None:
            exam = anchor.exam + (wall - anchor.wall) * anchor.scale
            floor = max(anchor.exam, last_event_at or anchor.exam)
            if exam < floor:
                stepped = (exam - floor) / anchor.scale
                exam = floor
        self._exam0, self._mono0, self._wall0 = exam, mono, wall
        return stepped

    def now(self) -> float:
        return self._exam0 + (self.clock.monotonic() - self._mono0) * self.scale

    def wall(self) -> float:
        """The wall reading that goes with `now()` in an anchor (ServiceStarted, ClockStepped)."""
        return self._wall0 + (self.clock.monotonic() - self._mono0)

    def mono_at(self, exam: float) -> float:
        """The monotonic reading at which exam time reaches `exam`."""
        return self._mono0 + (exam - self._exam0) / self.scale

    def wall_step(self) -> float | None:
        """How far the wall clock jumped since the last check (seconds, + forward), when it did
        by more than the tolerance. The wall reference follows every check (so NTP's slow slew
        never adds up to a step); exam time never follows the wall clock."""
        wall, mono = self.clock.wall(), self.clock.monotonic()
        drift = wall - (self._wall0 + (mono - self._mono0))
        self._wall0 += drift
        return drift if abs(drift) > STEP_TOLERANCE_S else None


async def _settle(rounds: int = 20) -> None:
    # Let woken tasks (and what they wake in turn) run before time moves again.
    for _ in range(rounds):
        await asyncio.sleep(0)
