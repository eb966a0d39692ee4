"""考场超排 (R34, 004 附件4 三(一)): in an overbooked room nobody has a seat until they come; the
proctors seat each arrival at random among the free machines. The system binds no ticket to a
machine: the choice is recorded for the report, and a login elsewhere is no wrong seat. Pure:
the service passes the random pick in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .events import Event, SeatAssigned
from .refusal import Refused
from .room import RoomState, State, candidate_in_sitting

HOLD_S = 10 * 60  # a machine just given to an arrival is not given to the next for this long


def free_seats(room: RoomState, now: float) -> list[str]:
    """Machines for an arrival: not spare, nobody logged in there, not just given to someone."""
    s = room.sitting
    if s is None:
        return []
    held = {
        a.machine
        for a in room.seat_assignments.values()
        if now - a.at < HOLD_S and s.candidates[a.ticket].state is State.EXPECTED
    }
    return [
        m.id
        for m in room.package.machines
        if not m.spare and room.occupant(s, m.id) is None and room.last_at(s, m.id) is None and m.id not in held
    ]


def decide_assign_seat(
    room: RoomState, ticket: str, by: tuple[str, ...], now: float, pick: Callable[[Sequence[str]], str]
) -> list[Event]:
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    if not room.package.overbooked:
        raise Refused(
            "has_seats",
            "this room's candidates have their seats on the arrangement",
            "本考场不是超排考场，考生按座次表就座",
            rule="R34",
        )
    _, c = candidate_in_sitting(room, ticket)
    if c.state is not State.EXPECTED:
        raise Refused(
            "already_seated", f"candidate {ticket} is {c.state.value}", f"考生 {ticket} 已登录或已不在本场次考试中"
        )
    free = free_seats(room, now)
    if not free:
        raise Refused(
            "room_full",
            "no free exam machine: the room overflows; transfer the candidate out",
            "本考场已无空闲机位（溢出）：请使用“调出”，由考务人员安排到其他考场",
            rule="R35",
        )
    return [SeatAssigned(at=now, sitting=s.number, ticket=ticket, machine=pick(free), by=by)]
