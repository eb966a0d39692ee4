"""Transfers between the rooms of a site (考场超排, 004 附件4 三(二)): a room that overflows
transfers later arrivals out (调出, R35); another room of the site transfers them in (调入), asking
the sending room, which receives each claim in order: the first room's claim takes the candidate,
any later one is refused (a candidate is received by exactly one room and logs in in at most
one). A transfer no room received is settled by the sending room before the end (R36); the
transfer slip lists every candidate moved (R37). Pure decisions."""

from __future__ import annotations

from dataclasses import dataclass

from .events import Event, TransferReceived, TransferredIn, TransferredOut, TransferResolved
from .idcard import id_digest, mask_id
from .refusal import Refused
from .room import RoomState, State, candidate_in_sitting

OUT_APPLIES_TO = frozenset({State.EXPECTED, State.TRANSFERRED_OUT})  # out, or settle one out


@dataclass(frozen=True)
class Claimed:
    """What the sending room tells the receiving one about the candidate it received."""

    sitting: int
    ticket: str
    name: str
    gender: str
    id_number: str

    def row(self) -> dict[str, object]:
        return {
            "sitting": self.sitting,
            "ticket": self.ticket,
            "name": self.name,
            "gender": self.gender,
            "id_number": self.id_number,
        }


def decide_transfer_out(room: RoomState, ticket: str, reason: str, by: tuple[str, ...], now: float) -> list[Event]:
    """R35: only in an overbooked room, for a candidate who came and is not logged in."""
    if not room.package.overbooked:
        raise Refused(
            "not_overbooked",
            "transfers out are for an overbooked room that overflows",
            "本考场不是超排考场，不能调出考生",
            rule="R35",
        )
    s, _ = candidate_in_sitting(room, ticket, frozenset({State.EXPECTED}), "调出", code="not_applicable")
    if not reason.strip():
        raise Refused("reason_unnamed", "say why", "请写明调出原因（如：本考场已满）", rule="R35")
    return [TransferredOut(at=now, sitting=s.number, ticket=ticket, reason=reason.strip(), by=by)]


def decide_claim(room: RoomState, ticket: str, to_room: str, now: float) -> tuple[list[Event], Claimed]:
    """Another room of the site claims a candidate transferred out of this one: the first claim
    receives them; a second is refused naming the room that has them."""
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    c = s.candidates.get(ticket)
    if c is None or c.state is not State.TRANSFERRED_OUT:
        raise Refused(
            "not_transferred_out",
            f"{room.package.room} has not transferred out candidate {ticket[:32]}",
            f"{room.package.room}没有调出准考证号为 {ticket[:32]} 的考生",
            rule="R35",
        )
    t = room.transfers[ticket]
    if t.received_by is not None:
        raise Refused(
            "already_received",
            f"candidate {ticket} was received by {t.received_by}",
            f"考生 {ticket} 已由{t.received_by}调入，不能再次调入",
            rule="R35",
            room=t.received_by,
        )
    if t.resolved:
        raise Refused(
            "transfer_settled",
            f"{room.package.room} settled this transfer already",
            f"{room.package.room}已对该调出考生作出处理，不能调入",
            rule="R36",
        )
    person = room.person(ticket)
    assert person is not None
    claimed = Claimed(s.number, ticket, person.name, person.gender, person.id_number)
    return [TransferReceived(at=now, sitting=s.number, ticket=ticket, to_room=to_room)], claimed


def check_can_receive(room: RoomState, ticket: str) -> None:
    """Before asking the sending room (which then gives the candidate up): can this room take them?"""
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    if ticket in s.candidates:
        raise Refused(
            "already_here", f"candidate {ticket} is a candidate of this room already", f"考生 {ticket} 已是本考场考生"
        )


def decide_transfer_in(
    room: RoomState, claimed: Claimed, from_room: str, by: tuple[str, ...], now: float
) -> list[Event]:
    check_can_receive(room, claimed.ticket)
    s = room.sitting
    assert s is not None
    return [
        TransferredIn(
            at=now,
            sitting=s.number,
            ticket=claimed.ticket,
            from_room=from_room,
            name=claimed.name,
            gender=claimed.gender,
            id_masked=mask_id(claimed.id_number),
            id_digest=id_digest(claimed.id_number),
            by=by,
        )
    ]


def decide_resolve(room: RoomState, ticket: str, sat: bool, note: str, by: tuple[str, ...], now: float) -> list[Event]:
    """R36 (004 附件4 三(二)): 须由调出考场确认该应试人员实际参考情况，在系统中做出相应处理 —
    also after the sitting's time is over, until 结束考试 (it blocks that)."""
    t = room.transfers.get(ticket)
    if t is None:
        raise Refused(
            "not_transferred_out",
            f"{room.package.room} has not transferred out candidate {ticket[:32]}",
            f"{room.package.room}没有调出准考证号为 {ticket[:32]} 的考生",
            rule="R36",
        )
    if t.sitting in room.closed:
        raise Refused("exam_ended", "the exam of that sitting has ended", "该场次已结束考试", rule="R36")
    if t.resolved:
        raise Refused("transfer_settled", "this transfer was settled already", "该调出考生已处理", rule="R36")
    if t.received_by is not None:
        raise Refused(
            "already_received",
            f"candidate {ticket} was received by {t.received_by}",
            f"考生 {ticket} 已由{t.received_by}调入，无需处理",
            rule="R36",
        )
    if not note.strip():
        raise Refused("note_missing", "say what was found", "请写明核实情况（在何考场参考或未参考）", rule="R36")
    return [TransferResolved(at=now, sitting=t.sitting, ticket=ticket, sat=sat, note=note.strip(), by=by)]


def unresolved(room: RoomState, sitting: int) -> list[str]:
    """Transferred out of this room, received by none and not settled (R36)."""
    return sorted(
        t for t, x in room.transfers.items() if x.sitting == sitting and x.received_by is None and not x.resolved
    )


def slip(room: RoomState) -> list[dict[str, object]]:
    """R37: the transfer slip (跨考场调动单), every candidate moved in or out of this room."""
    rows: list[dict[str, object]] = []
    for ticket, x in sorted(room.transfers.items(), key=lambda kv: kv[1].at):
        person = room.person(ticket)
        rows.append(
            {
                "direction": "out",
                "ticket": ticket,
                "name": person.name if person else "",
                "at": x.at,
                "room": x.received_by,
                "resolved": x.resolved,
                "reason": x.reason,
            }
        )
    for ticket, a in sorted(room.arrivals.items(), key=lambda kv: kv[1].at):
        rows.append(
            {"direction": "in", "ticket": ticket, "name": a.name, "at": a.at, "room": a.from_room, "resolved": None}
        )
    return rows
