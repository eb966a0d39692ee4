"""Room records: what the proctors saw and did, kept as evidence for the room report.

Identity checked (R57, 001 监考规则 第八条: after the start the proctors compare each candidate
with the ID card, the admission ticket and the photo on the exam machine) and temporary leave
(暂离, 000 附件3 15 and 001 考场规则 第七条: the proctors ask why, record it, and send a proctor
with the candidate). Pure decisions: the state and the time come in, events or a refusal go out.
"""

from __future__ import annotations

from .events import AlertKind, Event, IdentityChecked, LeaveReason, LeftRoom, RemarkRecorded, ReturnedToRoom
from .refusal import Refused
from .room import Flag, RoomState, State, alert_once, candidate_in_sitting

# A candidate in the room at a machine: these can be checked, and can leave for a while.
PRESENT = frozenset({State.LOGGED_IN, State.ANSWERING, State.RESET})
IDENTITY_APPLIES_TO = PRESENT
LEAVE_APPLIES_TO = frozenset({State.ANSWERING})


def is_away(flags: list[str] | tuple[str, ...] | frozenset[str]) -> bool:
    """Whether a candidate with these flags (values, as in a row) is out on a temporary leave:
    their return can be recorded whatever their state."""
    return Flag.AWAY.value in flags


def decide_check_identity(
    room: RoomState, ticket: str, matches: bool, note: str, by: tuple[str, ...], now: float
) -> list[Event]:
    """R57: the check is recorded with the proctors' names; a mismatch must say what did not
    match, and is raised for the proctors to deal with (it may become a violation record)."""
    s, c = candidate_in_sitting(room, ticket, IDENTITY_APPLIES_TO, "核验身份", code="not_present")
    note = note.strip()
    if not matches and not note:
        raise Refused(
            "mismatch_unnamed",
            "say what does not match (photo, name, ID number, ticket)",
            "请写明哪一项不符（照片、姓名、证件号、准考证）",
            rule="R57",
        )
    events: list[Event] = [IdentityChecked(at=now, sitting=s.number, ticket=ticket, matches=matches, note=note, by=by)]
    if not matches:
        events += alert_once(room, AlertKind.IDENTITY_MISMATCH, now, ticket=ticket, machine=c.machine, detail=note)
    return events


def decide_leave_room(
    room: RoomState, ticket: str, reason: LeaveReason, note: str, escort: str, by: tuple[str, ...], now: float
) -> list[Event]:
    """暂离, R32 (000 附件3 15; 001 考场规则 第七条): the reason recorded, a proctor sent along, named."""
    reason = LeaveReason(reason)
    s, c = candidate_in_sitting(room, ticket, LEAVE_APPLIES_TO, "登记暂离", code="not_present")
    if c.away_since is not None:
        raise Refused(
            "already_away",
            f"candidate {ticket} left the room with {c.away_escort} and is not back yet",
            f"考生 {ticket} 已由 {c.away_escort} 陪同暂离，尚未返回",
            allow_en="record the return first",
            allow_zh="请先登记其返回考场",
        )
    escort = escort.strip()
    if not escort:
        raise Refused(
            "no_escort",
            "a candidate leaves the room only with a proctor sent along: name them",
            "考生暂离须由指定的监考人员陪同往返，请填写陪同人员姓名",
        )
    if reason is LeaveReason.OTHER and not note.strip():
        raise Refused("reason_unnamed", "say why the candidate leaves", "请写明暂离原因")
    return [LeftRoom(at=now, sitting=s.number, ticket=ticket, reason=reason, note=note.strip(), escort=escort, by=by)]


def decide_return_to_room(
    room: RoomState, ticket: str, id_checked: bool, by: tuple[str, ...], now: float
) -> list[Event]:
    """R32 (000 附件3 15: 考生临时出入考场需携带有效居民身份证，接受监考人员的查验): back in only
    with the ID card checked; one that does not match is an identity record, not a return."""
    s, c = candidate_in_sitting(room, ticket, PRESENT | {State.SUBMITTED}, "登记返回", code="not_present")
    if c.away_since is None:
        raise Refused("not_away", f"candidate {ticket} is not recorded as away", f"考生 {ticket} 没有暂离记录")
    if not id_checked:
        raise Refused(
            "id_not_checked",
            "a candidate comes back in only after their ID card is checked",
            "考生返回考场须查验其有效居民身份证",
            rule="R32",
            allow_en="check the ID card; if it does not match, record an identity check that says so",
            allow_zh="请查验身份证；如不符，请登记身份核验不符",
        )
    return [ReturnedToRoom(at=now, sitting=s.number, ticket=ticket, left_at=c.away_since, by=by)]


def decide_record_remark(text: str, by: tuple[str, ...], now: float) -> list[Event]:
    """A remark for the report's 备注: some words, kept as written (less the blanks around them)."""
    if not text.strip():
        raise Refused(
            "remark_empty",
            "a remark says something",
            "备注内容为空",
            allow_en="write the remark, then add it",
            allow_zh="请填写备注内容后再添加",
        )
    return [RemarkRecorded(at=now, text=text.strip(), by=by)]
