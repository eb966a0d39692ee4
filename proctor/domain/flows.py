"""Incident flowcharts as data (resources/flows/*.toml): the emergency plans of the seeds as steps
a proctor walks — questions with answers, timers whose minutes come from the profile, escalation,
the operations to open, outcomes with the words for the report. Each step cites the seed article
it implements. `check` says what is wrong with a chart, in words: an unreachable step, a dead end
without an outcome, an unknown operation, a threshold that contradicts the profile, a citation
missing. Pure: the parsed chart, the operations known and the profiles come in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .policy import Policy

# A citation: a seed's number, the article, a colon, then its words as the seed prints them.
CITATION = re.compile(r"^\d{3} [^:]+: .+$", re.S)


class StepKind(str, Enum):
    QUESTION = "question"  # answers lead on
    STEP = "step"  # something to do, then on
    TIMER = "timer"  # a clock started: on to `answers.done` or `answers.expired`
    ESCALATE = "escalate"  # report up: room → site → city → province → ministry
    OPERATION = "operation"  # open a console operation (a command), filled in
    OUTCOME = "outcome"  # where the incident ends, and what the report says


class CountsFrom(str, Enum):
    """Where a timer's minutes are counted from."""

    STEP = "step"  # from when the step is reached
    INCIDENT = "incident"  # from the incident's opening (the fault)
    # From the fault, or from the start for a fault before it (CPA, R44/R45, 003 七).
    INCIDENT_OR_START = "incident_or_start"


class Level(str, Enum):
    ROOM = "room"
    SITE = "site"
    CITY = "city"
    PROVINCE = "province"
    MINISTRY = "ministry"


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    text: str
    cite: str
    answers: tuple[tuple[str, str], ...] = ()  # (answer, next step)
    next: str | None = None
    operation: str | None = None
    to: Level | None = None
    parameter: str | None = None  # a timer's minutes: this profile number
    minutes: int | None = None  # written out too, it must agree with every profile's
    counts_from: CountsFrom = CountsFrom.STEP  # a timer's: `from` in the file
    report: str = ""

    def targets(self) -> list[str]:
        return [t for _, t in self.answers] + ([self.next] if self.next else [])


@dataclass(frozen=True)
class Flow:
    id: str
    incident: str
    title: str
    profiles: tuple[str, ...]
    start: str
    steps: dict[str, Step] = field(default_factory=dict)


class FlowError(ValueError):
    """A chart that cannot be read at all."""


def parse(data: Mapping[str, Any], name: str = "") -> Flow:
    try:
        steps = {}
        for sid, raw in dict(data.get("steps") or {}).items():
            kind = StepKind(raw["kind"])
            steps[sid] = Step(
                id=sid,
                kind=kind,
                text=str(raw.get("text") or ""),
                cite=str(raw.get("cite") or ""),
                answers=tuple((str(a), str(t)) for a, t in dict(raw.get("answers") or {}).items()),
                next=raw.get("next"),
                operation=raw.get("operation"),
                to=Level(raw["to"]) if raw.get("to") else None,
                parameter=raw.get("parameter"),
                minutes=raw.get("minutes"),
                counts_from=CountsFrom(raw.get("from") or "step"),
                report=str(raw.get("report") or ""),
            )
        return Flow(
            id=str(data["id"]),
            incident=str(data["incident"]),
            title=str(data["title"]),
            profiles=tuple(data.get("profiles") or ()),
            start=str(data["start"]),
            steps=steps,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise FlowError(f"{name}: cannot be read as a flowchart: {exc}") from None


def timer_anchor(step: Step, reached: float, opened: float, start: float | None) -> float:
    """When a timer's minutes start: the step reached, the incident opened, or (for a fault that
    began before the sitting's start, where the rule says so) the start [003 七]."""
    if step.counts_from is CountsFrom.STEP:
        return reached
    if step.counts_from is CountsFrom.INCIDENT_OR_START and start is not None:
        return max(opened, start)
    return opened


def check(flow: Flow, operations: Iterable[str], profiles: Mapping[str, Policy]) -> list[str]:
    """Every problem with `flow`, in words (empty: it may be shipped). `operations`: the console
    commands a step may open; `profiles`: the policy profiles by id, to check its thresholds."""
    known = set(operations)
    problems: list[str] = []
    if flow.start not in flow.steps:
        return [f"{flow.id}: the start {flow.start!r} is not a step"]
    for p in flow.profiles:
        if p not in profiles:
            problems.append(f"{flow.id}: no policy profile {p!r}")
    for s in flow.steps.values():
        where = f"{flow.id}.{s.id}"
        if not CITATION.match(s.cite):
            problems.append(f'{where}: no citation of a seed article ("NNN article: its words")')
        for t in s.targets():
            if t not in flow.steps:
                problems.append(f"{where}: leads to {t!r}, which is no step")
        if s.kind is StepKind.OUTCOME:
            if s.targets():
                problems.append(f"{where}: an outcome leads nowhere further")
            if not s.report:
                problems.append(f"{where}: an outcome says what goes into the report")
        elif not s.targets():
            problems.append(f"{where}: a dead end without an outcome")
        if s.kind is StepKind.QUESTION and len(s.answers) < 2:
            problems.append(f"{where}: a question has two answers or more")
        if s.kind is StepKind.OPERATION and s.operation not in known:
            problems.append(f"{where}: unknown operation {s.operation!r}")
        if s.kind is StepKind.ESCALATE and s.to is None:
            problems.append(f"{where}: an escalation says to whom")
        if s.kind is StepKind.TIMER:
            problems += _threshold(flow, s, profiles)
        elif s.counts_from is not CountsFrom.STEP:
            problems.append(f"{where}: only a timer counts its minutes `from` somewhere")
    reached = _reachable(flow)
    for sid in flow.steps:
        if sid not in reached:
            problems.append(f"{flow.id}.{sid}: unreachable from the start")
    if not any(flow.steps[s].kind is StepKind.OUTCOME for s in reached):
        problems.append(f"{flow.id}: no outcome can be reached")
    return problems


def _threshold(flow: Flow, s: Step, profiles: Mapping[str, Policy]) -> list[str]:
    where = f"{flow.id}.{s.id}"
    if {a for a, _ in s.answers} != {"done", "expired"}:
        return [f"{where}: a timer goes on by 'done' or 'expired'"]
    if s.parameter is None:
        return [f"{where}: a timer's minutes are a profile number (`parameter`)"]
    out = []
    for p in flow.profiles:
        policy = profiles.get(p)
        if policy is None:
            continue
        value = getattr(policy, s.parameter, "missing")
        if value == "missing":
            out.append(f"{where}: the profile has no number {s.parameter!r}")
        elif value is None:
            out.append(f"{where}: {p} does not take {s.parameter!r}: this chart's threshold is not its rule")
        elif s.minutes is not None and s.minutes != value:
            out.append(f"{where}: {s.minutes} min contradicts {p}'s {s.parameter} = {value}")
    return out


def _reachable(flow: Flow) -> set[str]:
    seen: set[str] = set()
    todo = [flow.start]
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in flow.steps:
            continue
        seen.add(sid)
        todo += flow.steps[sid].targets()
    return seen


def minutes_for(step: Step, policy: Policy) -> int | None:
    """A timer's minutes under `policy`."""
    value = getattr(policy, step.parameter, None) if step.parameter else None
    return int(value) if isinstance(value, int) else None
