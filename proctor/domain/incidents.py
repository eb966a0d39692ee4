"""Incidents (突发事件) walked by their flowchart (proctor.domain.flows): opened for the candidates
affected, each step answered in turn and recorded with the proctors' names, a timer's `expired`
allowed only once its minutes (the profile's own number) have passed, the outcome closing it
with the words for the report. Several may be open at once; they live in the log, so they
survive a restart. Pure: the flowchart, the room and the time come in."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .events import Event, IncidentClosed, IncidentOpened, IncidentStep
from .flows import Flow, Step, StepKind, minutes_for
from .refusal import Refused
from .room import IncidentRun, RoomState, State


def decide_open(room: RoomState, flow: Flow, tickets: Sequence[str], by: tuple[str, ...], now: float) -> list[Event]:
    if room.policy.id not in flow.profiles:
        raise Refused(
            "flow_not_for_profile",
            f"{flow.id} is not {room.policy.name}'s plan",
            f"流程“{flow.title}”不适用于{room.policy.name}，请选择本考试的应急流程",
        )
    s = room.sitting or room.shown_sitting
    unknown = [t for t in tickets if t not in s.candidates]
    if unknown:
        raise Refused(
            "unknown_candidate",
            f"not candidates of this sitting: {', '.join(unknown[:5])}",
            f"不是本场次的考生：{'、'.join(unknown[:5])}",
        )
    number = len(room.incidents) + 1
    return [
        IncidentOpened(
            at=now,
            number=number,
            flow=flow.id,
            title=flow.title,
            candidates=tuple(dict.fromkeys(tickets)),
            step=flow.start,
            by=by,
        )
    ]


def decide_answer(
    room: RoomState, flow: Flow, number: int, answer: str, by: tuple[str, ...], now: float, note: str = ""
) -> list[Event]:
    """The current step done: a question by one of its answers, a timer by `done` or `expired`
    (not before its minutes), any other step by ""; reaching an outcome closes the incident."""
    run = room.incidents.get(number)
    if run is None or run.flow != flow.id:
        raise Refused("unknown_incident", f"there is no incident {number}", f"没有编号为 {number} 的突发事件")
    if run.closed_at is not None:
        raise Refused("incident_closed", f"incident {number} is closed", f"突发事件 {number} 已处理完毕")
    step = flow.steps[run.step]
    nxt = _next(flow, step, answer)
    if step.kind is StepKind.TIMER and answer == "expired":
        ends = run.deadline
        if ends is not None and now < ends:
            left = math.ceil((ends - now) / 60)
            raise Refused(
                "timer_running",
                f"the {minutes_for(step, room.policy)} min have not passed: {left} min left",
                f"规定的 {minutes_for(step, room.policy)} 分钟尚未到，还剩 {left} 分钟",
                rule=step.cite.split(":")[0],
            )
    target = flow.steps[nxt]
    lost = None
    if target.kind is StepKind.OPERATION and target.operation == "grant_extra_time":
        lost = measured_lost(room, run, now)
    events: list[Event] = [
        IncidentStep(at=now, number=number, step=step.id, answer=answer, next=nxt, by=by, lost=lost, note=note.strip())
    ]
    if target.kind is StepKind.OUTCOME:
        events.append(IncidentClosed(at=now, number=number, outcome=nxt, report=target.report, by=by))
    return events


def _next(flow: Flow, step: Step, answer: str) -> str:
    if step.kind is StepKind.OUTCOME:
        raise Refused("incident_closed", "the incident has reached its outcome", "该突发事件已处理完毕")
    if step.answers:
        target = dict(step.answers).get(answer)
        if target is None:
            words = "、".join(a for a, _ in step.answers)
            raise Refused("unknown_answer", f"answer one of: {words}", f"请选择：{words}")
        return target
    assert step.next is not None
    return step.next


# Whom a whole-room incident affects: those at an exam machine, or who should be.
_SITTING = {State.LOGGED_IN, State.ANSWERING, State.RESET}


def lost_minutes(run: IncidentRun, now: float) -> int:
    """The minutes the incident itself lasted: from its opening until recovery."""
    end = run.recovered_at if run.recovered_at is not None else now
    return max(0, math.ceil((end - run.opened_at) / 60))


def measured_lost(room: RoomState, run: IncidentRun, now: float) -> dict[str, int]:
    """The minutes each affected candidate lost, for the extra time on recovery [001 应急预案
    第九条(二)(三)]: their machine's time offline (from its drop, even before the incident was
    opened, to their login again or the machine back, or now) over every drop still open or ended
    after the incident began; a candidate whose machine never dropped lost the incident's own
    time, from its opening to the repair. Only exam time counts: nothing before the start. Minutes
    round up: a started minute is lost."""
    s = room.sitting or room.shown_sitting
    tickets = run.tickets or tuple(t for t, c in s.candidates.items() if c.state in _SITTING)
    out: dict[str, int] = {}
    for t in tickets:
        c = s.candidates.get(t)
        if c is None:
            continue
        spans = [(a, b) for a, b in c.offline_spans if b > run.opened_at]
        if c.offline_since is not None:
            spans.append((c.offline_since, now))
        if not spans:
            spans = [(run.opened_at, run.recovered_at if run.recovered_at is not None else now)]
        lost = sum(max(0.0, b - max(a, s.start)) for a, b in spans)
        out[t] = math.ceil(lost / 60)
    return out
