"""The room situation report (考场情况报告单) as data, from the room's log alone: the room and its
sittings, who sat and who was absent, every violation, incident, reset, extra-time grant,
standalone exam, temporary leave, notice and transfer, those who gave up and the choices after a
stop, the profile's defaulted numbers, the proctors signed in, and the digest of the log it was
built from. Rendering (a PDF to sign) reads this and nothing else. Pure: the package, the profile
and the stored events come in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..domain.events import (
    CandidateGaveUp,
    CandidateReset,
    ChoiceRegistered,
    ExamEnded,
    ExtraTimeGranted,
    IncidentStep,
    LeftRoom,
    NoticeSent,
    ProctorsSignedIn,
    RemarkRecorded,
    ReturnedToRoom,
    ServiceStarted,
    SittingEnded,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
    StartDelayed,
    ViolationRecorded,
)
from ..domain.flows import Flow, StepKind
from ..domain.package import ExamPackage
from ..domain.policy import Policy
from ..domain.room import RoomState, SittingRun, State
from ..domain.transfers import slip
from ..store import StoredEvent


class NotThisRoom(ValueError):
    """The log is another package's: a report must hold nothing of another room."""


@dataclass(frozen=True)
class Person:
    ticket: str
    name: str
    id_number: str  # in full: the report is the legal record
    seat: str


@dataclass(frozen=True)
class SittingPart:
    number: int
    subject: str
    start: float
    end: float  # the sitting's end (a candidate's own end may be later by their extra time)
    ended_at: float | None  # when the last candidate's time was over (SittingEnded)
    expected: int
    present: int
    absent: tuple[Person, ...]
    submitted: int


@dataclass(frozen=True)
class Violation:
    number: int
    at: float
    who: Person
    act: str
    category: str
    facts: str
    evidence: tuple[tuple[str, int, str], ...]  # (file name, bytes, sha256)
    confirmed_by: tuple[str, ...]
    amends: int | None
    sitting: int
    machine: str  # the exam machine the candidate was on when it was recorded ("" if none)


@dataclass(frozen=True)
class IncidentStepLine:
    at: float
    step: str  # the flowchart's words
    answer: str
    by: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Incident:
    number: int
    title: str
    opened_at: float
    closed_at: float | None
    affected: tuple[Person, ...]  # empty: the whole room
    steps: tuple[IncidentStepLine, ...]
    outcome: str  # the report's words; "" while open
    lost: tuple[tuple[Person, int], ...]


@dataclass(frozen=True)
class Entry:
    """One line of the record: an operation on one or more candidates."""

    at: float
    kind: str  # delayed_start, exam_ended, reset, extra_time, standalone_out/back/written_off, leave, return, gave_up, choice
    # who: empty for the whole room
    who: tuple[Person, ...]
    what: str  # the facts in a few words (minutes, machines, reasons)
    by: tuple[str, ...]


@dataclass(frozen=True)
class RoomReport:
    exam: str
    level: str
    batch: str
    site: str
    room: str
    timezone: str
    machines: int
    spares: int
    profile: str
    title: str  # the profile's name for the form: 考场情况报告单 or 考场情况记录单
    defaulted: tuple[str, ...]  # the profile's numbers that took the national default
    proctors: tuple[str, ...]
    sittings: tuple[SittingPart, ...]
    violations: tuple[Violation, ...]
    incidents: tuple[Incident, ...]
    entries: tuple[Entry, ...]
    notices: tuple[tuple[float, str, str, int], ...]  # (at, kind, text, machines)
    transfers: tuple[dict[str, object], ...]  # the transfer slip's rows (R37)
    last_seq: int
    last_hash: str  # the log's digest: `proctor audit` checks the paper against the data
    remarks: tuple[tuple[float, str, tuple[str, ...]], ...] = ()  # (at, text, by): 备注 as recorded


def build(
    package: ExamPackage, policy: Policy, stored: Iterable[StoredEvent], flows: dict[str, Flow] | None = None
) -> RoomReport:
    room = RoomState(package, policy)
    room.flows = dict(flows or {})
    people = {c.ticket: Person(c.ticket, c.name, c.id_number, c.seat or "") for c in package.candidates}

    def who(ticket: str) -> Person:
        return people.get(ticket) or Person(ticket, "", "", "")

    proctors: list[str] = []
    violations: list[Violation] = []
    entries: list[Entry] = []
    notices: list[tuple[float, str, str, int]] = []
    steps: dict[int, list[IncidentStepLine]] = {}
    ended: dict[int, float] = {}
    remarks: list[tuple[float, str, tuple[str, ...]]] = []
    last_seq, last_hash = 0, ""
    for se in stored:
        e = se.event
        if isinstance(e, ServiceStarted) and package.fingerprint and e.package != package.fingerprint:
            raise NotThisRoom(f"the log is package {e.package[:16]}'s, not {package.fingerprint[:16]}'s")
        room.apply(e)
        last_seq, last_hash = se.seq, se.hash
        if isinstance(e, ProctorsSignedIn):
            proctors += [n for n in e.names if n not in proctors]
        elif isinstance(e, ViolationRecorded):
            violations.append(
                Violation(
                    e.number,
                    e.at,
                    who(e.ticket),
                    e.act.value,
                    e.category.value,
                    e.facts,
                    tuple((x.name, x.size, x.sha256) for x in e.evidence),
                    tuple(e.confirmed_by),
                    e.amends,
                    e.sitting,
                    _machine_of(room, e.sitting, e.ticket),
                )
            )
        elif isinstance(e, IncidentStep):
            flow = room.flows.get(room.incidents[e.number].flow)
            step = flow.steps.get(e.step) if flow else None
            words = step.text if step else e.step
            answer = TIMER_WORDS.get(e.answer, e.answer) if step and step.kind is StepKind.TIMER else e.answer
            steps.setdefault(e.number, []).append(IncidentStepLine(e.at, words, answer, tuple(e.by), e.note))
        elif isinstance(e, SittingEnded):
            ended[e.sitting] = e.at
        elif isinstance(e, RemarkRecorded):
            remarks.append((e.at, e.text, tuple(e.by)))
        elif isinstance(e, NoticeSent):
            notices.append((e.at, e.notice_kind.value, e.text, len(e.targets)))
        elif (entry := _entry(e, who)) is not None:
            entries.append(entry)
    incidents = tuple(
        Incident(
            run.number,
            run.title,
            run.opened_at,
            run.closed_at,
            tuple(who(t) for t in run.tickets),
            tuple(steps.get(run.number, ())),
            run.report,
            tuple((who(t), m) for t, m in sorted(run.lost.items())),
        )
        for run in room.incidents.values()
    )
    return RoomReport(
        exam=package.exam,
        level=package.level,
        batch=package.batch,
        site=package.site,
        room=package.room,
        timezone=package.timezone,
        machines=sum(not m.spare for m in package.machines),
        spares=sum(m.spare for m in package.machines),
        profile=policy.name,
        title=policy.report_form,
        defaulted=tuple(policy.defaulted),
        proctors=tuple(proctors),
        sittings=tuple(_sitting(room, s, who, ended.get(s.number)) for s in room.sittings),
        violations=tuple(violations),
        incidents=incidents,
        entries=tuple(entries),
        notices=tuple(notices),
        transfers=tuple(slip(room)),
        last_seq=last_seq,
        last_hash=last_hash,
        remarks=tuple(remarks),
    )


_ABSENT = {State.EXPECTED, State.ABSENT}


def _machine_of(room: RoomState, sitting: int, ticket: str) -> str:
    run = next((s for s in room.sittings if s.number == sitting), None)
    c = run.candidates.get(ticket) if run else None
    return (c.machine or "") if c else ""


def _sitting(room: RoomState, s: SittingRun, who: Callable[[str], Person], ended_at: float | None) -> SittingPart:
    absent = tuple(who(t) for t, c in s.candidates.items() if c.state in _ABSENT)
    gone = sum(c.state is State.TRANSFERRED_OUT for c in s.candidates.values())
    return SittingPart(
        s.number,
        s.subject,
        s.start,
        s.end,
        ended_at,
        expected=len(s.candidates) - gone,
        present=len(s.candidates) - gone - len(absent),
        absent=absent,
        submitted=sum(c.state is State.SUBMITTED for c in s.candidates.values()),
    )


# The printed form's words for the reasons the log records by code.
REASON_WORDS = {
    "machine_fault": "考试机故障",
    "power": "停电",
    "network": "网络故障",
    "peripheral": "鼠标、键盘等外设故障",
    "software": "输入法、作答页面等软件故障",
    "other_incident": "其他突发事件",
    "cloud_room": "云机房系统故障",
    "other": "其他",
    "candidate_error": "考生自身操作失误",
    "toilet": "如厕",
    "illness": "身体不适",
    "retake": "参加另行组织的考试",
    "refund": "退还该科目考试报名费",
}


# A timer step's two answers (the flowcharts' `done` and `expired`).
TIMER_WORDS = {"done": "已在时限内修复", "expired": "未在时限内修复"}


def _words(code: str) -> str:
    return REASON_WORDS.get(code, code)


def _by_code(request: str | None, code: str | None) -> str:
    """Who allowed it, when the province did: the request read out and the code read back."""
    return f"省级考试机构授权，申请码 {request}，授权码 {code or '—'}"


def _entry(e: object, who: Callable[[str], Person]) -> Entry | None:
    if isinstance(e, StartDelayed):
        how = f"市级考试机构 {e.consent} 同意" if e.consent else _by_code(e.request, e.code)
        note = f"，{e.note}" if e.note else ""
        return Entry(
            e.at,
            "delayed_start",
            (),
            f"第 {e.sitting} 场延迟 {e.minutes} 分钟开考（{_words(e.reason.value)}{note}；{how}）",
            e.by,
        )
    if isinstance(e, ExtraTimeGranted):
        how = _by_code(e.request, e.code) if e.request else "监考员补时" + (f"，{e.note}" if e.note else "")
        return Entry(
            e.at,
            "extra_time",
            tuple(map(who, e.candidates)),
            f"{e.minutes} 分钟（{_words(e.reason.value)}，{how}）",
            e.by,
        )
    if isinstance(e, CandidateReset):
        return Entry(
            e.at,
            "reset",
            (who(e.ticket),),
            f"{e.machine or '—'} → {e.to or '任一空闲考试机'}（{_words(e.reason.value)}）",
            e.by,
        )
    if isinstance(e, StandaloneExported):
        moved = f"{e.previous} → {e.machine}" if e.previous and e.previous != e.machine else e.machine
        return Entry(e.at, "standalone_out", (who(e.ticket),), f"{moved}，主考 {e.chief} 同意：{e.reason}", e.by)
    if isinstance(e, ExamEnded):
        return Entry(e.at, "exam_ended", (), f"第 {e.sitting} 场：" + "；".join(e.facts), e.by)
    if isinstance(e, StandaloneRecovered):
        return Entry(e.at, "standalone_back", (who(e.ticket),), f"回收作答 {e.saves} 次", e.by)
    if isinstance(e, StandaloneWrittenOff):
        return Entry(e.at, "standalone_written_off", (who(e.ticket),), e.reason, e.by)
    if isinstance(e, LeftRoom):
        return Entry(e.at, "leave", (who(e.ticket),), f"{_words(e.reason.value)}，陪同 {e.escort}", e.by)
    if isinstance(e, ReturnedToRoom):
        return Entry(e.at, "return", (who(e.ticket),), f"离开 {round((e.at - e.left_at) / 60)} 分钟", e.by)
    if isinstance(e, CandidateGaveUp):
        return Entry(e.at, "gave_up", (who(e.ticket),), e.reason, e.by)
    if isinstance(e, ChoiceRegistered):
        return Entry(e.at, "choice", (who(e.ticket),), _words(e.choice.value), e.by)
    return None
