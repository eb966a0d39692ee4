"""A drill's faults (proctor.domain.drill) injected into a room: which exam machines go dark when,
and come back when. One plan; two runners: in the room service's own process on its clock
(tests, rehearsals on the simulated clock), and the demo's simulated machines
(SimMachine.power_off)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.drill import Drill, machines_for
from ..domain.package import ExamPackage
from ..service import RoomService


@dataclass(frozen=True, order=True)
class Blackout:
    dark_at: float  # exam time
    back_at: float
    machine: str


def fault_plan(drill: Drill, start: float, in_use: list[str]) -> list[Blackout]:
    """The drill's blackouts for a sitting started at `start`, `in_use` the machines with a
    candidate at them in seat order."""
    return sorted(
        Blackout(start + f.at_min * 60, start + f.back_min * 60, m)
        for f in drill.faults
        for m in machines_for(f, in_use)
    )


def machines_in_use(package: ExamPackage) -> list[str]:
    """The first sitting's seated machines in seat order (the plan's `in_use` before anyone logs in)."""
    seats = {c.seat for t in package.sittings[0].tickets if (c := package.candidate(t)) is not None and c.seat}
    return [m.id for m in sorted(package.machines, key=lambda m: (m.row, m.col)) if m.id in seats]


async def run_in_service(service: RoomService, plan: list[Blackout]) -> None:
    """Each blackout in turn on the service's clock: the machine dropped, then back with its
    candidate logged in again (as an exam machine resumes after a restart)."""
    steps = sorted([(b.dark_at, 0, b.machine) for b in plan] + [(b.back_at, 1, b.machine) for b in plan])
    for at, back, machine in steps:
        wait = at - service.now()
        if wait > 0:
            await service.clock.sleep(wait / service.time.scale)
        if not back:
            await service.machine_disconnected(machine, "drill: power off")
            continue
        await service.machine_connected(machine)
        s = service.room.sitting
        ticket = s.by_machine.get(machine) if s else None
        candidate = service.package.candidate(ticket) if ticket else None
        if candidate is not None:
            await service.login(machine, candidate.ticket, candidate.id_number)
