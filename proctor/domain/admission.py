"""Who may join the room's link, and what their arrival says about them.

The service proves who is on the other end (proctor.link.auth); these rules decide what each
arrival means for the room: an unknown machine, a failed proof or a second connection for a
machine that is connected are refused and raised with the address they came from; a machine
whose own clock is off (R59) or that reports internet access or removable media (R60) is
admitted and raised, since a proctor must look at it and the candidate must not lose time.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from .events import AlertKind, Event, MachineClockMoved, MachineOnline
from .refusal import Refused
from .room import _OPEN, RoomState, alert_once

# Alerts about who knocks: the knocker chooses the names and addresses, so at most this many
# wait open at once; past that the refusals go on but are not recorded again.
MAX_OPEN_KNOCKING_ALERTS = 20
_KNOCKING = (AlertKind.UNKNOWN_MACHINE, AlertKind.BAD_PROOF, AlertKind.MACHINE_CLASH)
# An online machine's clock read again (R59) is recorded when it moved by this much or crossed the
# tolerance, and at most once in CLOCK_RECORD_EVERY_S per machine: jitter and a machine that
# reports a new clock on every heartbeat do not fill the log.
CLOCK_MOVE_RECORDED_S = 1.0
CLOCK_RECORD_EVERY_S = 10.0


@dataclass(frozen=True)
class MachineHello:
    """What an exam machine says of itself when it joins (docs/protocol.md, `hello`)."""

    peer: str = ""  # the address it connects from
    clock_skew_s: float | None = None  # its own wall clock minus the proctor machine's
    internet: bool | None = None  # it reports reaching the internet
    removable_media: bool | None = None  # it reports removable storage attached


def session_digest(token: str) -> str:
    """What the log keeps of a session token: enough to check one, useless to resume with."""
    return hashlib.sha256(token.encode()).hexdigest()


def _knock(room: RoomState, kind: AlertKind, now: float, *, machine: str | None, peer: str) -> list[Event]:
    if sum(1 for a in room.open_alerts() if a.kind in _KNOCKING) >= MAX_OPEN_KNOCKING_ALERTS:
        return []
    return alert_once(room, kind, now, machine=machine, detail=peer[:64])


def unknown_machine(room: RoomState, machine: str, now: float, *, peer: str = "") -> Refused:
    """DOMAIN §9: a machine that is not in the package does not join the room."""
    return Refused(
        "unknown_machine",
        f"machine {machine[:32]} is not in this room's package",
        f"考试机 {machine[:32]} 不属于本考场，不能接入",
        record=_knock(room, AlertKind.UNKNOWN_MACHINE, now, machine=machine[:32], peer=peer),
    )


def decide_failed_proof(room: RoomState, machine: str | None, now: float, *, peer: str) -> Refused:
    """A connection that named a machine (or the console) and could not prove it holds its key."""
    who = machine if machine in room.machines else None
    return Refused(
        "bad_proof",
        "the credential does not prove this machine" if machine else "the console credential is wrong",
        "接入凭据验证失败：本机凭据不属于本考场，请联系技术人员",
        record=_knock(room, AlertKind.BAD_PROOF, now, machine=who, peer=peer),
    )


def decide_machine_clash(room: RoomState, machine: str, now: float, *, peer: str) -> Refused:
    """A second connection proved it is a machine that is connected and answering: the first
    one stays, the second is refused and raised (a copied key, or a cloned machine)."""
    return Refused(
        "machine_connected",
        f"machine {machine} is connected already; this connection is refused",
        f"考试机 {machine} 已在线，拒绝重复接入，已报告监考员",
        record=_knock(room, AlertKind.MACHINE_CLASH, now, machine=machine, peer=peer),
    )


def decide_machine_online(room: RoomState, machine: str, now: float, hello: MachineHello | None = None) -> list[Event]:
    """A machine of the room joined (or spoke again after falling silent)."""
    hello = hello or MachineHello()
    if machine not in room.machines:
        raise unknown_machine(room, machine, now, peer=hello.peer)
    events: list[Event] = []
    skew = hello.clock_skew_s
    if not room.machines[machine].online:
        s = room.sitting
        occupant = room.occupant(s, machine) if s else None
        ticket = occupant.ticket if occupant else None
        events.append(MachineOnline(at=now, machine=machine, ticket=ticket, clock_offset_s=skew))
    elif skew is not None:  # a new connection for a machine still online (the old one went silent)
        events += decide_machine_clock(room, machine, now, skew)
    if skew is not None and _clock_off(room, skew):
        events += _clock_alert(room, machine, now, skew, events)
    unsealed = unsealed_reasons(hello)
    if unsealed:
        # R60 (001 考务规则 第八条): no internet, no removable storage on an exam machine.
        events += alert_once(
            room, AlertKind.MACHINE_UNSEALED, now, machine=machine, detail=", ".join(unsealed), pending=events
        )
    return events


def decide_machine_clock(room: RoomState, machine: str, now: float, skew: float) -> list[Event]:
    """R59 during the exam: an online machine's clock, read again (its heartbeat), is recorded
    when it moved (CLOCK_MOVE_RECORDED_S) or crossed the tolerance, and raised when it goes past
    the tolerance, or moves by more than the tolerance while past it (one alert while open)."""
    m = room.machines.get(machine)
    if m is None or not m.online:
        return []
    was = m.clock_offset_s
    if was is not None:
        crossed = _clock_off(room, was) != _clock_off(room, skew)
        if not crossed and abs(skew - was) < CLOCK_MOVE_RECORDED_S:
            return []
        if m.clock_read_at is not None and now - m.clock_read_at < CLOCK_RECORD_EVERY_S:
            return []  # the next reading after the pause records it
    events: list[Event] = [MachineClockMoved(at=now, machine=machine, clock_offset_s=skew)]
    stepped = was is None or not _clock_off(room, was) or abs(skew - was) > room.policy.machine_clock_tolerance_s
    if _clock_off(room, skew) and stepped:
        events += _clock_alert(room, machine, now, skew, events)
    return events


def _clock_off(room: RoomState, skew: float) -> bool:
    return room.clock_off(skew)


def _clock_alert(room: RoomState, machine: str, now: float, skew: float, pending: list[Event]) -> list[Event]:
    # R59 (004 附件2 问题二): machines' clocks are calibrated under supervision before the exam.
    sign = "+" if skew >= 0 else "−"
    detail = f"{sign}{abs(skew):.0f} s"
    return alert_once(room, AlertKind.MACHINE_CLOCK, now, machine=machine, detail=detail, pending=pending)


def unsealed_reasons(hello: MachineHello) -> list[str]:
    """R60: what an exam machine has that it must not: internet access (it says so, or it comes
    from an internet address) and removable storage."""
    out = []
    if hello.internet:
        out.append("internet")
    if hello.removable_media:
        out.append("removable_media")
    try:
        if hello.peer and ipaddress.ip_address(hello.peer).is_global:
            out.append(f"address {hello.peer}")
    except ValueError:
        pass
    return out


def resumable(room: RoomState, machine: str, ticket: str, token: str) -> bool:
    """A machine that reconnects continues its candidate only with the token of their login on
    this machine: the ticket number alone is printed on paper."""
    s = room.sitting
    c = s.candidates.get(ticket) if s else None
    return (
        c is not None
        and c.machine == machine
        and c.state in _OPEN
        and c.session is not None
        and c.session == session_digest(token)
    )
