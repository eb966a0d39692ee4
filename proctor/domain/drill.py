"""Drills (演练): staff rehearse power and network failures, resets, extra time, standalone exams
[004 九(四)] on a demo room. A drill (resources/drills/*.toml) is a script of faults, each some
machines going dark at a minute of the sitting and back at another, and the incident the trainee
should handle by this exam's flowchart. `score` holds the room's log against it: the incident
opened in time for the candidates affected, every step on the way walked (an operation step
passed without its operation is a step skipped), a timer not called repaired past its minutes,
the outcome reached, and each candidate given the minutes they lost. Pure: the log comes in."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .events import (
    BackupMade,
    CandidateGaveUp,
    CandidateReset,
    ChoiceRegistered,
    Event,
    ExamEnded,
    ExamStopped,
    ExtraTimeGranted,
    IncidentClosed,
    IncidentOpened,
    IncidentStep,
    LeftRoom,
    MachineOffline,
    NoticeSent,
    SittingStarted,
    StandaloneExported,
    StandaloneRecovered,
    StartDelayed,
    SubmittedByProctors,
    TransferredOut,
    ViolationRecorded,
)
from .flows import Flow, StepKind, minutes_for, timer_anchor
from .policy import Policy

# What shows in the log that a step's operation was done.
DONE_BY: dict[str, type[Event]] = {
    "grant_extra_time": ExtraTimeGranted,
    "reset_candidate": CandidateReset,
    "record_violation": ViolationRecorded,
    "give_up": CandidateGaveUp,
    "force_submit": SubmittedByProctors,
    "leave_room": LeftRoom,
    "send_notice": NoticeSent,
    "stop_exam": ExamStopped,
    "register_choice": ChoiceRegistered,
    "delay_start": StartDelayed,
    "transfer_out": TransferredOut,
    "export_standalone": StandaloneExported,
    "import_standalone_result": StandaloneRecovered,
    "make_backup": BackupMade,
    "end_exam": ExamEnded,
}

# The events a score reads from the log (EventLog.of_kinds).
SCORED_KINDS = tuple(
    sorted(
        {c.__name__ for c in DONE_BY.values()}
        | {"SittingStarted", "MachineOffline", "IncidentOpened", "IncidentStep", "IncidentClosed", "ExtraTimeGranted"}
    )
)

# The drops one fault causes: within this long of its minute (heartbeats take a few seconds).
FAULT_SPREAD_S = 90.0


class DrillError(ValueError):
    """A drill file that cannot be read."""


@dataclass(frozen=True)
class Fault:
    at_min: float  # minutes after the sitting's start the machines go dark
    back_min: float  # and come back
    incident: str  # the incident kind the trainee should open (a flowchart's `incident`)
    machines: tuple[str, ...] = ()  # these machines, or
    share: float = 0.0  # this share of the machines in use, in seat order
    open_within_min: float = 5.0


@dataclass(frozen=True)
class Drill:
    id: str
    title: str
    cite: str
    faults: tuple[Fault, ...]


def parse(data: Mapping[str, Any], name: str = "") -> Drill:
    try:
        faults = tuple(
            Fault(
                at_min=float(f["at_min"]),
                back_min=float(f["back_min"]),
                incident=str(f["incident"]),
                machines=tuple(str(m) for m in f.get("machines") or ()),
                share=float(f.get("share") or 0.0),
                open_within_min=float(f.get("open_within_min") or 5.0),
            )
            for f in data.get("faults") or ()
        )
        drill = Drill(id=str(data["id"]), title=str(data["title"]), cite=str(data["cite"]), faults=faults)
    except (KeyError, TypeError, ValueError) as exc:
        raise DrillError(f"{name}: {exc}") from exc
    problems = [
        f"fault {i + 1}: {why}"
        for i, f in enumerate(faults)
        for why in (
            "comes back before it goes dark" if f.back_min <= f.at_min else "",
            "names no machines and no share" if not f.machines and not 0 < f.share <= 1 else "",
        )
        if why
    ]
    if not faults:
        problems.append("no faults")
    if problems:
        raise DrillError(f"{name}: " + "; ".join(problems))
    return drill


@dataclass(frozen=True)
class Check:
    what: str  # in the plans' words, for the printed score
    ok: bool
    detail: str = ""


@dataclass
class Score:
    drill: str
    title: str
    checks: list[Check] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(c.ok for c in self.checks)

    def row(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "title": self.title,
            "points": self.points,
            "total": len(self.checks),
            "checks": [{"what": c.what, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


def machines_for(fault: Fault, in_use: list[str]) -> list[str]:
    """The machines one fault takes dark: those named, or its share of those in use (at least one)."""
    if fault.machines:
        return list(fault.machines)
    return in_use[: max(1, math.ceil(len(in_use) * fault.share))]


def score(drill: Drill, events: Iterable[Event], flows: Mapping[str, Flow], policy: Policy) -> Score:
    """The drill's score from the room's log (`events`, oldest first; those of SCORED_KINDS are
    enough), its minutes counted from the first sitting's start."""
    log = list(events)
    out = Score(drill.id, drill.title)
    start = next((e.at for e in log if isinstance(e, SittingStarted)), None)
    if start is None:
        out.checks.append(Check("考试已开考", False, "本考场尚未开考，演练的故障尚未发生"))
        return out
    taken: set[int] = set()
    for fault in drill.faults:
        out.checks += _fault(fault, start, log, flows, policy, taken)
    return out


def _fault(
    fault: Fault, start: float, log: list[Event], flows: Mapping[str, Flow], policy: Policy, taken: set[int]
) -> list[Check]:
    """`start`: the sitting's start (a timer may count from it)."""
    at = start + fault.at_min * 60
    dropped = sorted(
        {e.ticket for e in log if isinstance(e, MachineOffline) and e.ticket and at <= e.at < at + FAULT_SPREAD_S}
    )
    where = f"第 {fault.at_min:g} 分钟"
    opened = next(
        (
            e
            for e in log
            if isinstance(e, IncidentOpened)
            and e.at >= at
            and e.number not in taken
            and (f := flows.get(e.flow)) is not None
            and f.incident == fault.incident
            and policy.id in f.profiles
        ),
        None,
    )
    within = fault.open_within_min
    if opened is None:
        return [Check(f"{where}的故障：{within:g} 分钟内启动应急处理", False, "未启动本考试的应急流程")]
    taken.add(opened.number)
    late = (opened.at - at) / 60
    checks = [
        Check(
            f"{where}的故障：{within:g} 分钟内启动应急处理",
            late <= within,
            f"{late:.1f} 分钟后启动：{opened.title}",
        )
    ]
    missing = [t for t in dropped if opened.candidates and t not in opened.candidates]
    checks.append(
        Check(
            "受影响考生全部纳入",
            not missing,
            f"遗漏 {len(missing)} 人：{'、'.join(missing[:5])}" if missing else f"{len(dropped)} 人掉线，均已纳入",
        )
    )
    flow = flows[opened.flow]
    steps = [e for e in log if isinstance(e, IncidentStep) and e.number == opened.number]
    closed = next((e for e in log if isinstance(e, IncidentClosed) and e.number == opened.number), None)
    entered = opened.at
    lost: dict[str, int] = {}
    for e in steps:
        step = flow.steps.get(e.step)
        if step is None:
            continue
        if step.kind is StepKind.OPERATION and step.operation in DONE_BY:
            done = _done_during(log, DONE_BY[step.operation], opened.at, e.at, opened.candidates)
            checks.append(Check(f"执行操作：{step.text}", done, "已执行" if done else "跳过：未执行此操作即进入下一步"))
        if step.kind is StepKind.TIMER:
            minutes = minutes_for(step, policy)
            if minutes is not None:
                anchor = timer_anchor(step, entered, opened.at, start)
                over = e.answer == "done" and e.at - anchor > minutes * 60
                checks.append(
                    Check(
                        f"计时：{minutes} 分钟内修复与否如实判断",
                        not over,
                        f"超过 {minutes} 分钟仍按已修复处理，应按重大突发事件上报" if over else "判断正确",
                    )
                )
        if e.lost is not None:
            lost = dict(e.lost)
        entered = e.at
    checks.append(
        Check(
            "流程走完，结果已记录",
            closed is not None,
            closed.report if closed is not None else f"停在：{flow.steps[_current(opened, steps)].text}",
        )
    )
    if lost:
        checks.append(_extra_time(log, opened.at, lost))
    return checks


def _extra_time(log: list[Event], since: float, lost: Mapping[str, int]) -> Check:
    given: dict[str, int] = {}
    for e in log:
        if isinstance(e, ExtraTimeGranted) and e.at >= since:
            for t in e.candidates:
                given[t] = given.get(t, 0) + e.minutes
    wrong = [f"{t} 应补 {m} 分钟、实补 {given.get(t, 0)} 分钟" for t, m in sorted(lost.items()) if given.get(t, 0) != m]
    return Check(
        "按每名考生损失的时间补时",
        not wrong,
        "；".join(wrong[:5]) + (f" 等 {len(wrong)} 人" if len(wrong) > 5 else "")
        if wrong
        else f"{len(lost)} 人补时正确",
    )


def _done_during(log: list[Event], kind: type[Event], since: float, until: float, tickets: tuple[str, ...]) -> bool:
    for e in log:
        if isinstance(e, kind) and since <= e.at <= until:
            touched = set(getattr(e, "tickets", ()) or ())
            if not tickets or not touched or touched & set(tickets):
                return True
    return False


def _current(opened: IncidentOpened, steps: list[IncidentStep]) -> str:
    return steps[-1].next if steps else opened.step
