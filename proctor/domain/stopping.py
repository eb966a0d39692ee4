"""A stopped exam (停止考试) and the affected candidates' choices. Where the profile has a stop
rule (CPA: `fault_stop_after_min`, 003 一、七), the exam office may stop a sitting after a fault
unsolved that long; the proctors record it with who gave the word. What each candidate saved
stays and nobody answers on. R46 (003 七): each affected candidate then registers at the room
whether they take the exam the office arranges again or a refund of the fee. Pure decisions."""

from __future__ import annotations

from .events import ChoiceRegistered, Event, ExamStopped, StopChoice
from .refusal import Refused
from .room import Phase, RoomState, State

# Those the stop affected: every candidate the room saw (a candidate absent was not affected).
AFFECTED = frozenset({State.LOGGED_IN, State.ANSWERING, State.RESET, State.SUBMITTED, State.STANDALONE})


def decide_stop(room: RoomState, directed_by: str, reason: str, by: tuple[str, ...], now: float) -> list[Event]:
    p = room.policy
    if p.fault_stop_after_min is None:
        raise Refused(
            "no_stop_rule",
            f"{p.name} has no rule for stopping the exam from this room",
            f"{p.name}没有由考场停止考试的规定：故障按应急预案处理，重大情况逐级上报",
            rule="R44",
        )
    s = room.sitting
    if s is None or s.phase is Phase.SCHEDULED:
        raise Refused("not_started", "only a sitting under way can be stopped", "考试尚未开始，不能停止考试")
    if not directed_by.strip() or not reason.strip():
        raise Refused(
            "direction_unnamed",
            "the exam office decides a stop: name who gave the word, and the fault",
            f"停止考试由财政部考办决定：请填写下达决定的人员和故障情况（考试开始后 {p.fault_stop_after_min} 分钟内未能解决）",
            rule="R44",
        )
    return [ExamStopped(at=now, sitting=s.number, directed_by=directed_by.strip(), reason=reason.strip(), by=by)]


def decide_register_choice(
    room: RoomState, ticket: str, choice: StopChoice, by: tuple[str, ...], now: float
) -> list[Event]:
    """R46: after the stop, at the room; a later registration replaces the earlier."""
    s = next((x for x in room.sittings if x.number in room.stopped), None)
    if s is None:
        raise Refused(
            "not_stopped",
            "choices are registered after the exam office stopped the exam",
            "考试未被停止，无需登记考生选择",
            rule="R46",
        )
    c = s.candidates.get(ticket)
    if c is None or c.state not in AFFECTED:
        raise Refused(
            "not_affected",
            f"candidate {ticket[:32]} was not sitting this exam in this room",
            f"准考证号 {ticket[:32]} 的考生未在本考场参加此次考试，不能登记",
            rule="R46",
        )
    return [ChoiceRegistered(at=now, sitting=s.number, ticket=ticket, choice=StopChoice(choice), by=by)]
