"""A simulated room: N exam machines with candidates who come on time, late or not at all."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from typing import Any

from ..domain.package import Candidate, ExamPackage
from .machines import Plan, SimMachine, Tally, count_lost, holdings
from .operator import Operator


def seat_candidates(package: ExamPackage, machines: int) -> list[tuple[str, Candidate | None]]:
    """The first `machines` machines (regular before spare) and who sits at each."""
    ordered = sorted(package.machines, key=lambda mc: (mc.spare, mc.row, mc.col))[:machines]
    first = package.sittings[0]
    sitting = [package.candidate(t) for t in first.tickets]
    by_seat = {c.seat: c for c in sitting if c is not None and c.seat}
    free = [c for c in sitting if c is not None and not c.seat]  # overbooked: first come, first seated
    out: list[tuple[str, Candidate | None]] = []
    for mc in ordered:
        c = by_seat.get(mc.id)
        if c is None and free and not mc.spare:
            c = free.pop(0)
        out.append((mc.id, c))
    return out


def plan_for(rng: random.Random, duration: float, save_every: float) -> Plan:
    roll = rng.random()
    if roll < 0.06:
        return Plan(login_after_s=None, submit_after_s=None, save_every_s=save_every)
    login = rng.uniform(0.2, 0.5) * duration if roll < 0.14 else rng.uniform(0.0, min(3.0, 0.1 * duration))
    submit = rng.uniform(0.6, 0.9) * duration if rng.random() < 0.3 else None
    return Plan(login_after_s=login, submit_after_s=submit, save_every_s=save_every)


async def simulate(
    url: str,
    package: ExamPackage,
    machines: int,
    duration: float,
    *,
    seed: int = 1,
    save_every: float = 3.0,
    tally: Tally | None = None,
    operations_every: float | None = None,
) -> dict[str, Any]:
    """`operations_every`: the proctors at a console apply an operation (extra time, …) about
    this often, in seconds, while the machines answer (proctor.sim.operator)."""
    rng = random.Random(seed)
    tally = tally if tally is not None else Tally()
    started = time.monotonic()
    deadline = started + duration
    sims = [
        SimMachine(url, package, mid, c, plan_for(rng, duration, save_every), tally, random.Random(rng.random()))
        for mid, c in seat_candidates(package, machines)
    ]
    lag: list[float] = []
    ticker = asyncio.create_task(_loop_lag(lag))
    at = {s.machine: s for s in sims}
    sat = {s.candidate.ticket: s for s in sims if s.candidate is not None}

    def moved(ticket: str, machine: str) -> None:
        before, spare = sat[ticket], at.get(machine)
        if spare is not None and before.candidate is not None:
            spare.take_over(before.candidate, before.plan)
            sat[ticket] = spare

    operator = (
        Operator(url, package.room_key, random.Random(seed), operations_every, moved=moved)
        if operations_every
        else None
    )
    try:
        await asyncio.gather(*(s.run(started, deadline) for s in sims), *([operator.run(deadline)] if operator else []))
    finally:
        ticker.cancel()
    held = await holdings(url, package.room_key)
    ack = sorted(tally.ack_ms)
    # The second half: everyone who comes has logged in (late arrivals come by half-time), as
    # in bench/link_load.py's steady phase; the first half has the logins' own work in it.
    later = sorted(ms for ms, at in zip(tally.ack_ms, tally.ack_at, strict=True) if at >= started + duration / 2)
    lag.sort()
    return {
        "machines": len(sims),
        "sent": tally.sent,
        "acked": tally.acked,
        "lost": count_lost(tally, held),
        "refused": tally.refused,
        "logged_in": tally.logged_in,
        "submitted": tally.submitted,
        "auto_submitted": tally.auto_submitted,
        "reconnects": tally.reconnects,
        "notices": tally.notices,
        "errors": tally.errors,
        "ack_p50_ms": round(statistics.median(ack), 2) if ack else None,
        "ack_p99_ms": _p99(ack),
        "ack_p99_ms_second_half": _p99(later),
        # How late this process's own loop ran (a 10 ms timer's overshoot): acknowledgement
        # times include it, so a busy simulator measures itself as much as the service.
        "client_lag_p99_ms": _p99(lag),
        **({"operations": operator.tally.summary()} if operator else {}),
    }


def _p99(ordered: list[float]) -> float | None:
    return round(ordered[int(len(ordered) * 0.99) - 1], 2) if len(ordered) >= 100 else None


async def _loop_lag(out: list[float], every: float = 0.01) -> None:
    loop = asyncio.get_running_loop()
    while True:
        at = loop.time()
        await asyncio.sleep(every)
        out.append((loop.time() - at - every) * 1000)
