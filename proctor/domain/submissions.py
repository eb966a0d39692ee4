"""Leaving the sitting other than by submitting: giving up (放弃考试, R53), and the proctors'
corrections to a submission: undoing one made by mistake, and submitting for a candidate whose
exam machine cannot. No seed names who approves a correction; as for a standalone exam (004
附件2 二(四)), the chief examiner (主考) consents, by name. Pure decisions."""

from __future__ import annotations

from .events import CandidateGaveUp, Event, SubmissionUndone, SubmittedByProctors
from .refusal import Refused
from .room import RoomState, State, candidate_in_sitting

GIVE_UP_APPLIES_TO = frozenset({State.LOGGED_IN, State.ANSWERING, State.RESET})
UNDO_APPLIES_TO = frozenset({State.SUBMITTED})
FORCE_APPLIES_TO = frozenset({State.ANSWERING, State.RESET})
FEW_ANSWERS = 3  # ours: a submission with this many answers or fewer is listed for the proctors to look at


def few_answers(state: str, answered: int | None) -> bool:
    """A submission the proctors look at before the end: nothing or next to nothing answered."""
    return state == State.SUBMITTED.value and (answered is None or answered <= FEW_ANSWERS)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Refused("reason_unnamed", "say why", "请写明原因")
    return reason


def _approved(approved_by: str) -> str:
    name = approved_by.strip()
    if not name:
        raise Refused(
            "chief_consent",
            "the chief examiner's consent, by name, changes a submission",
            "更改交卷须经主考同意，请填写主考姓名",
            allow_en="the chief examiner consents",
            allow_zh="请主考同意后填写其姓名",
        )
    return name


def decide_give_up(room: RoomState, ticket: str, reason: str, by: tuple[str, ...], now: float) -> list[Event]:
    """R53 (004 附件2 二): what the candidate saved stays; they stay enclosed until the room closes."""
    s, _ = candidate_in_sitting(room, ticket, GIVE_UP_APPLIES_TO, "登记放弃考试")
    return [CandidateGaveUp(at=now, sitting=s.number, ticket=ticket, reason=_reason(reason), by=by)]


def decide_undo_submit(
    room: RoomState, ticket: str, reason: str, approved_by: str, by: tuple[str, ...], now: float
) -> list[Event]:
    """Only the candidate's own submission, before their end: the system's at the end is final."""
    s, c = candidate_in_sitting(room, ticket, UNDO_APPLIES_TO, "撤销交卷")
    if c.submitted_by != "candidate":
        raise Refused(
            "not_by_candidate",
            "only a submission the candidate made can be undone",
            "只能撤销考生本人的误交卷；系统在结束时间的自动交卷不能撤销",
            rule="R11",
        )
    if now >= s.end_of(c):
        raise Refused("time_over", "the candidate's time is over", "该考生的作答时间已到，不能撤销交卷", rule="R11")
    return [
        SubmissionUndone(
            at=now, sitting=s.number, ticket=ticket, reason=_reason(reason), approved_by=_approved(approved_by), by=by
        )
    ]


def decide_force_submit(
    room: RoomState, ticket: str, reason: str, approved_by: str, by: tuple[str, ...], now: float
) -> list[Event]:
    """Not before the earliest submission time (R08-R10): before it, a candidate who stops gives up."""
    s, c = candidate_in_sitting(room, ticket, FORCE_APPLIES_TO, "代为交卷")
    opens = room.earliest_submit(s, c)
    if now < opens:
        p = room.policy
        rule = (
            p.rule("earliest_submit_after_start_min", "R08")
            if p.earliest_submit_before_end_min is None
            else p.rule("earliest_submit_before_end_min", "R09")
        )
        raise Refused(
            "too_early",
            "submission is not open yet; a candidate who stops now gives up",
            "未到允许交卷时间，不能代为交卷；考生如不再作答，请登记放弃考试",
            rule=rule,
            opens=opens,
        )
    return [
        SubmittedByProctors(
            at=now, sitting=s.number, ticket=ticket, reason=_reason(reason), approved_by=_approved(approved_by), by=by
        )
    ]
