"""Room state and the rules that decide what may change it.

Every change is a typed event (proctor.domain.events). `decide_*` functions check a command
against the state and the policy and return the events to append, or raise `Refused`;
`RoomState.apply` is the only code that changes state, both live and when the log is replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

import msgspec

from .authcode import AuthRequest
from .deadlines import Deadline, sitting_deadlines
from .events import (
    AlertAcknowledged,
    AlertKind,
    AlertRaised,
    AnswerSaved,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    BackupMade,
    CandidateGaveUp,
    CandidateLoggedIn,
    CandidateReset,
    CandidateSubmitted,
    ChoiceRegistered,
    ClockStepped,
    ClosingTicked,
    ConsoleLocked,
    ConsoleUnlocked,
    ConsoleUnlockFailed,
    DuplicateLoginAttempt,
    Event,
    ExamEnded,
    ExamStopped,
    ExtraTimeGranted,
    FormIssued,
    IdentityChecked,
    IdNumberRevealed,
    IncidentClosed,
    IncidentOpened,
    IncidentStep,
    LeftRoom,
    MachineClockMoved,
    MachineOffline,
    MachineOnline,
    NoticeAcknowledged,
    NoticeSent,
    ProctorsSignedIn,
    ReadinessTicked,
    RemarkRecorded,
    ReturnedToRoom,
    SavesMissing,
    ScheduleShifted,
    SeatAssigned,
    ServiceStarted,
    SignInClosed,
    SittingEnded,
    SittingStarted,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
    StartDelayed,
    SubmissionUndone,
    SubmittedByProctors,
    TransferReceived,
    TransferredIn,
    TransferredOut,
    TransferResolved,
    ViolationRecorded,
)
from .flows import Flow, StepKind, minutes_for, timer_anchor
from .idcard import id_digest, mask_id
from .package import Candidate, ExamPackage
from .policy import Policy
from .refusal import Refused

__all__ = ["Refused", "RoomState", "State", "Flag", "Phase", "Event", "ATTENTION_FLAGS", "needs_attention"]


class State(str, Enum):
    """A candidate's one state, in the order a proctor reads a room (DOMAIN §3)."""

    EXPECTED = "expected"  # 未登录
    LOGGED_IN = "logged_in"  # 已登录 (before the start)
    ANSWERING = "answering"  # 作答中
    SUBMITTED = "submitted"  # 已交卷
    ABSENT = "absent"  # 缺考
    RESET = "reset"  # 已重置
    STANDALONE = "standalone"  # 单机考试
    TRANSFERRED_OUT = "transferred_out"  # 已调出
    GAVE_UP = "gave_up"  # 放弃考试


class Flag(str, Enum):
    """Any number of these on a candidate (DOMAIN §3)."""

    OFFLINE = "offline"
    AWAY = "away"
    VIOLATION = "violation"
    ID_CHECKED = "id_checked"
    EXTRA_TIME = "extra_time"
    WRONG_SEAT = "wrong_seat"
    DUPLICATE_LOGIN = "duplicate_login"
    ALERT = "alert"  # an alert about this candidate waits for a proctor


# "Needs attention" (须处理): a flag that asks a proctor to go and look. Checked and extra time
# are settled facts, not calls to act.
ATTENTION_FLAGS = frozenset(
    {Flag.ALERT, Flag.OFFLINE, Flag.AWAY, Flag.VIOLATION, Flag.WRONG_SEAT, Flag.DUPLICATE_LOGIN}
)


def needs_attention(flags: Iterable[str]) -> bool:
    """Whether a candidate with these flags (values, as in a row) needs a proctor now."""
    return any(f in ATTENTION_FLAGS for f in flags)


class Phase(str, Enum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    SIGN_IN_CLOSED = "sign_in_closed"
    ENDED = "ended"


@dataclass
class CandidateRun:
    ticket: str
    state: State = State.EXPECTED
    machine: str | None = None
    flags: set[Flag] = field(default_factory=set)
    last_seq: int = 0
    answered: int | None = None
    extra_min: int = 0
    logged_in_at: float | None = None
    submitted_at: float | None = None
    submitted_by: str | None = None
    session: str | None = None  # digest of the token the machine must show to resume this candidate
    last_contact: float | None = None  # the exam machine's last recorded word for them
    offline_since: float | None = None  # their machine offline since (exam time); back at a login or online
    offline_spans: list[tuple[float, float]] = field(default_factory=list)  # (offline, back) in this sitting
    away_since: float | None = None  # 暂离: out of the room since (exam time), with `away_escort`
    away_escort: str | None = None
    away_raised: bool = False  # this leave's "too long" alert was raised


def _back_online(c: CandidateRun, at: float) -> None:
    """A login or a machine back: the candidate's time offline ends (kept for the incidents' lost minutes)."""
    if c.offline_since is not None:
        c.offline_spans.append((c.offline_since, at))
        c.offline_since = None


@dataclass
class SittingRun:
    number: int
    subject: str
    start: float
    duration_min: int
    phase: Phase = Phase.SCHEDULED
    started_at: float | None = None
    candidates: dict[str, CandidateRun] = field(default_factory=dict)
    by_machine: dict[str, str] = field(default_factory=dict)  # machine -> last ticket logged in there
    announced: set[AlertKind] = field(default_factory=set)  # the schedule's alerts raised in this sitting
    delay_min: int = 0  # delayed start (R16-R18): `start` is this many minutes after the scheduled one

    @property
    def scheduled_start(self) -> float:
        """The scheduled (统一) start, which a delayed start counts from [004 附件2 二(一)]."""
        return self.start - self.delay_min * 60

    @property
    def end(self) -> float:
        return self.start + self.duration_min * 60

    def end_of(self, c: CandidateRun) -> float:
        return self.end + c.extra_min * 60


@dataclass
class ResetRun:
    """A candidate's resets in a sitting (proctor.domain.reset): where they were sent (None: any
    free machine, R54), by which rule, and the machines they were reset away from (fenced)."""

    to: str | None
    rule: str
    away: set[str] = field(default_factory=set)


@dataclass
class MachineRun:
    id: str
    online: bool = False
    clock_offset_s: float | None = None  # its wall clock minus the service's, last recorded (R59)
    clock_read_at: float | None = None  # when that was recorded, exam time


@dataclass
class Alert:
    id: int
    kind: AlertKind
    at: float
    ticket: str | None
    machine: str | None
    detail: str
    acknowledged_at: float | None = None
    acknowledged_by: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "at": self.at,
            "ticket": self.ticket,
            "machine": self.machine,
            "detail": self.detail,
            "acknowledged_at": self.acknowledged_at,
            "acknowledged_by": list(self.acknowledged_by),
        }


@dataclass
class ViolationRun:
    number: int
    ticket: str
    act: str
    category: str
    superseded_by: int | None = None


@dataclass
class TransferRun:
    """A candidate transferred out of this room (proctor.domain.transfers)."""

    sitting: int
    at: float
    reason: str
    received_by: str | None = None
    resolved: bool = False
    sat: bool | None = None


@dataclass
class IncidentRun:
    """An incident walked by its flowchart (proctor.domain.incidents)."""

    number: int
    flow: str
    title: str
    tickets: tuple[str, ...]
    opened_at: float
    step: str
    step_at: float
    deadline: float | None = None  # when the current step's timer runs out
    recovered_at: float | None = None  # a timer answered `done`: the fault repaired
    closed_at: float | None = None
    outcome: str | None = None
    report: str = ""
    steps: list[dict[str, Any]] = field(default_factory=list)  # what was answered, when, by whom
    lost: dict[str, int] = field(default_factory=dict)  # minutes each candidate lost, measured for the extra time

    def row(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "flow": self.flow,
            "title": self.title,
            "tickets": list(self.tickets),
            "opened_at": self.opened_at,
            "step": self.step,
            "step_at": self.step_at,
            "deadline": self.deadline,
            "recovered_at": self.recovered_at,
            "closed_at": self.closed_at,
            "outcome": self.outcome,
            "report": self.report,
            "steps": self.steps,
            "lost": self.lost,
        }


@dataclass
class NoticeRun:
    number: int
    kind: str
    text: str
    at: float
    targets: tuple[str, ...]
    by: tuple[str, ...]
    acknowledged: dict[str, float] = field(default_factory=dict)  # machine -> when it showed it

    def message(self) -> dict[str, Any]:
        """What an exam machine is given."""
        return {"number": self.number, "kind": self.kind, "text": self.text, "at": self.at}

    def row(self, in_use: Callable[[str], bool]) -> dict[str, Any]:
        """What consoles show: the machines in use (`in_use`) that have not shown it yet. An idle
        spare that was sent it gets it if it joins, and is not waited for."""
        shown_to = [m for m in self.targets if m in self.acknowledged or in_use(m)]
        return {
            **self.message(),
            "by": list(self.by),
            "targets": len(shown_to),
            "acknowledged": len(self.acknowledged),
            "waiting": [m for m in shown_to if m not in self.acknowledged],
        }


class PackageStatus(str, Enum):
    """A standalone package (proctor.domain.standalone): out, its answers back, or written off."""

    OUTSTANDING = "outstanding"
    RECOVERED = "recovered"
    WRITTEN_OFF = "written_off"


@dataclass
class StandaloneRun:
    """One exported standalone package, as its events recorded it."""

    package_id: str
    sitting: int
    ticket: str
    machine: str
    exported_at: float
    remaining_s: float
    last_seq: int
    digest: str  # SHA-256 of the sealed package file
    chief: str
    status: PackageStatus = PackageStatus.OUTSTANDING
    result_digest: str | None = None
    resolved_at: float | None = None

    def row(self) -> dict[str, Any]:
        return {
            "package_id": self.package_id,
            "sitting": self.sitting,
            "ticket": self.ticket,
            "machine": self.machine,
            "exported_at": self.exported_at,
            "remaining_s": self.remaining_s,
            "last_seq": self.last_seq,
            "chief": self.chief,
            "status": self.status.value,
        }


@dataclass(frozen=True)
class ClockAnchor:
    """Exam time `exam` was read when the wall clock said `wall`; exam time runs `scale` times
    as fast as real time. Moved by ServiceStarted and ClockStepped (proctor.clock.ExamTime)."""

    exam: float
    wall: float
    scale: float = 1.0


_OPEN = (State.LOGGED_IN, State.ANSWERING)
# Their time runs: a reset candidate not back by their end is submitted then too (R11, R24).
_RUNNING = (*_OPEN, State.RESET)
# Raised by the schedule once a sitting. How long before sign-in closes the proctors hear that
# candidates are still missing is ours (the seeds set the close, R07, not a warning).
SCHEDULE_ALERTS = frozenset({AlertKind.SIGN_IN_CLOSING, AlertKind.END_REMINDER})
SIGN_IN_CLOSING_WARNING_MIN = 5
BACKUP_WITHIN_MIN = 30  # R15
# A save every second for a 3-hour sitting is 10 800: more missing than this is not believed.
MAX_MISSING_SAVES = 20_000

E = TypeVar("E", bound=Event)
_APPLY: dict[type[Event], Callable[[RoomState, Any], None]] = {}


def _applies(kind: type[E]) -> Callable[[Callable[[RoomState, E], None]], Callable[[RoomState, E], None]]:
    def register(fn: Callable[[RoomState, E], None]) -> Callable[[RoomState, E], None]:
        _APPLY[kind] = fn
        return fn

    return register


class RoomState:
    def __init__(self, package: ExamPackage, policy: Policy) -> None:
        self.package = package
        self.policy = policy
        self.sittings = [
            SittingRun(
                s.number,
                s.subject,
                s.start,
                s.duration_min,
                candidates={t: CandidateRun(t) for t in s.tickets},
            )
            for s in package.sittings
        ]
        self.machines = {m.id: MachineRun(m.id) for m in package.machines}
        self.alerts: dict[int, Alert] = {}
        self.wide_outage_at: float | None = None  # the last WIDE_OUTAGE raised
        self.proctors: tuple[str, ...] = ()
        self.requests: dict[str, AuthRequest] = {}  # authorization requests by request code
        # The end of the exam (proctor.domain.closing): ticks per sitting, sittings ended, backups.
        self.closing_ticks: dict[int, dict[str, dict[str, Any]]] = {}
        self.closed: set[int] = set()
        self.backed_up: set[int] = set()
        self.sitting_ended_at: dict[int, float] = {}
        self.backup_raised: set[int] = set()  # sittings whose R15 alert was raised
        self.seat_assignments: dict[str, SeatAssigned] = {}  # ticket -> the seat given on entry (R34)
        # Transfers (proctor.domain.transfers): out of this room by ticket; into it, the received.
        self.transfers: dict[str, TransferRun] = {}
        self.arrivals: dict[str, TransferredIn] = {}
        self.stopped: dict[int, ExamStopped] = {}  # sittings the exam office stopped (proctor.domain.stopping)
        self.choices: dict[str, str] = {}  # R46: ticket -> retake / refund
        # Incidents by number, walked by the flowcharts the service loaded (resources/flows).
        self.incidents: dict[int, IncidentRun] = {}
        self.flows: dict[str, Flow] = {}
        self.incident_raised: set[tuple[int, str]] = set()  # timers whose running out was raised
        self.console_locked = False  # proctor.domain.console_lock
        self.unlock_failures = 0  # wrong unlock codes since the lock
        self.readiness: dict[str, dict[str, Any]] = {}  # check-list item -> its last tick (proctor.domain.readiness)
        self.notices: dict[int, NoticeRun] = {}  # notices to the machines by number (proctor.domain.notices)
        self.violations: dict[int, ViolationRun] = {}  # violation records by number (proctor.domain.violations)
        self.resets: dict[tuple[int, str], ResetRun] = {}  # by (sitting, ticket)
        self.clock_anchor: ClockAnchor | None = None
        self.last_event_at: float | None = None
        self.standalone: dict[str, StandaloneRun] = {}  # standalone packages by package id

    # -- reading ---------------------------------------------------------------------------

    @property
    def sitting(self) -> SittingRun | None:
        """The current sitting: the first that has not ended."""
        return next((s for s in self.sittings if s.phase is not Phase.ENDED), None)

    @property
    def shown_sitting(self) -> SittingRun:
        """What consoles show: the current sitting, or the last one once all have ended."""
        return self.sitting or self.sittings[-1]

    def sitting_no(self, number: int) -> SittingRun:
        return self.sittings[number - 1]

    def occupant(self, sitting: SittingRun, machine: str) -> CandidateRun | None:
        c = self.last_at(sitting, machine)
        return c if c is not None and c.state in _OPEN else None

    def last_at(self, sitting: SittingRun, machine: str) -> CandidateRun | None:
        ticket = sitting.by_machine.get(machine)
        c = sitting.candidates[ticket] if ticket else None
        return c if c is not None and c.machine == machine else None

    def sign_in_closes(self, s: SittingRun) -> float:
        return s.start + self.policy.sign_in_closes_after_start_min * 60

    def login_opens(self, s: SittingRun) -> float:
        # From the scheduled start: a delayed start does not close a login already open (R05).
        return s.scheduled_start - self.policy.login_opens_before_start_min * 60

    def earliest_submit(self, s: SittingRun, c: CandidateRun) -> float:
        return self.policy.earliest_submit(s.start, s.end_of(c))

    def open_alerts(self) -> list[Alert]:
        return [a for a in self.alerts.values() if a.acknowledged_at is None]

    def next_alert_id(self) -> int:
        return len(self.alerts) + 1

    def has_open_alert(self, kind: AlertKind, ticket: str | None = None, machine: str | None = None) -> bool:
        return any(a.kind is kind and a.ticket == ticket and a.machine == machine for a in self.open_alerts())

    def proctors_required(self) -> int:
        """R02 (001 监考规则 第二条): 2 per room of up to 25 candidates, one more per further 25."""
        per = self.policy.candidates_per_two_proctors
        n = max((len(s.candidates) for s in self.sittings), default=0)
        return 2 + max(0, math.ceil((n - per) / per))

    def person(self, ticket: str) -> Candidate | None:
        """Who holds this ticket: a candidate of the package, or one transferred in (whose ID
        number this room keeps only masked and as a digest)."""
        p = self.package.candidate(ticket)
        if p is not None:
            return p
        a = self.arrivals.get(ticket)
        return Candidate(ticket, a.name, a.gender, "", None, None) if a is not None else None

    def id_matches(self, ticket: str, id_number: str) -> bool:
        a = self.arrivals.get(ticket)
        if a is not None:
            return hmac.compare_digest(id_digest(id_number), a.id_digest)
        p = self.package.candidate(ticket)
        return p is not None and p.id_number.upper() == id_number.strip().upper()

    # -- changing ----------------------------------------------------------------------------

    def apply(self, e: Event) -> None:
        _APPLY[type(e)](self, e)
        self.last_event_at = e.at

    @_applies(ServiceStarted)
    def _started(self, e: ServiceStarted) -> None:
        self.clock_anchor = ClockAnchor(e.at, e.wall, e.scale)
        for m in self.machines.values():
            m.online = False
        for s in self.sittings:
            for c in s.candidates.values():
                if c.state in _OPEN:
                    c.flags.add(Flag.OFFLINE)

    @_applies(ScheduleShifted)
    def _shifted(self, e: ScheduleShifted) -> None:
        for s in self.sittings:
            s.start += e.by_s

    @_applies(ClockStepped)
    def _clock_stepped(self, e: ClockStepped) -> None:
        scale = self.clock_anchor.scale if self.clock_anchor else 1.0
        self.clock_anchor = ClockAnchor(e.at, e.wall, scale)

    @_applies(MachineOnline)
    def _online(self, e: MachineOnline) -> None:
        m = self.machines[e.machine]
        m.online = True
        if e.clock_offset_s is not None:  # back from silence without a hello: the last one stays
            m.clock_offset_s, m.clock_read_at = e.clock_offset_s, e.at
        if (c := self._candidate(e.ticket)) is not None:
            c.flags.discard(Flag.OFFLINE)
            c.last_contact = e.at
            _back_online(c, e.at)

    @_applies(MachineClockMoved)
    def _clock_moved(self, e: MachineClockMoved) -> None:
        m = self.machines[e.machine]
        m.clock_offset_s, m.clock_read_at = e.clock_offset_s, e.at

    @_applies(MachineOffline)
    def _offline(self, e: MachineOffline) -> None:
        self.machines[e.machine].online = False
        if (c := self._candidate(e.ticket)) is not None:
            c.flags.add(Flag.OFFLINE)
            if c.offline_since is None:
                c.offline_since = e.at

    @_applies(CandidateLoggedIn)
    def _logged_in(self, e: CandidateLoggedIn) -> None:
        s = self.sitting_no(e.sitting)
        c = s.candidates[e.ticket]
        c.machine = e.machine
        c.session = e.session
        s.by_machine[c.machine] = c.ticket
        c.logged_in_at = c.logged_in_at or e.at
        c.last_contact = e.at
        c.state = State.ANSWERING if s.phase is not Phase.SCHEDULED else State.LOGGED_IN
        c.flags.discard(Flag.OFFLINE)
        c.flags.discard(Flag.DUPLICATE_LOGIN)
        _back_online(c, e.at)
        if e.wrong_seat:
            c.flags.add(Flag.WRONG_SEAT)
        else:
            c.flags.discard(Flag.WRONG_SEAT)

    @_applies(DuplicateLoginAttempt)
    def _duplicate(self, e: DuplicateLoginAttempt) -> None:
        self.sitting_no(e.sitting).candidates[e.ticket].flags.add(Flag.DUPLICATE_LOGIN)

    @_applies(SittingStarted)
    def _sitting_started(self, e: SittingStarted) -> None:
        s = self.sitting_no(e.sitting)
        s.phase, s.started_at = Phase.STARTED, e.at
        for c in s.candidates.values():
            if c.state is State.LOGGED_IN:
                c.state = State.ANSWERING

    @_applies(SignInClosed)
    def _sign_in_closed(self, e: SignInClosed) -> None:
        s = self.sitting_no(e.sitting)
        s.phase = Phase.SIGN_IN_CLOSED
        for c in s.candidates.values():
            if c.state is State.EXPECTED:
                c.state = State.ABSENT

    @_applies(AnswerSaved)
    def _saved(self, e: AnswerSaved) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.last_seq = max(c.last_seq, e.seq)  # a lost save restored by its resend is below the top
        c.last_contact = e.at
        if e.answered is not None:
            c.answered = e.answered

    @_applies(SavesMissing)
    def _saves_missing(self, e: SavesMissing) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.last_seq = max(c.last_seq, e.acked)

    @_applies(CandidateSubmitted)
    def _submitted(self, e: CandidateSubmitted) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.state, c.submitted_at, c.submitted_by = State.SUBMITTED, e.at, e.by
        if e.by == "candidate":
            c.last_contact = e.at

    @_applies(SittingEnded)
    def _sitting_ended(self, e: SittingEnded) -> None:
        self.sitting_no(e.sitting).phase = Phase.ENDED
        self.sitting_ended_at[e.sitting] = e.at

    @_applies(ProctorsSignedIn)
    def _proctors(self, e: ProctorsSignedIn) -> None:
        self.proctors = tuple(e.names)

    @_applies(AlertRaised)
    def _alert(self, e: AlertRaised) -> None:
        if e.alert != self.next_alert_id():
            raise ValueError(f"alert {e.alert} out of order (next is {self.next_alert_id()})")
        self.alerts[e.alert] = Alert(e.alert, e.alert_kind, e.at, e.ticket, e.machine, e.detail)
        if e.alert_kind in SCHEDULE_ALERTS and self.sitting is not None:
            self.sitting.announced.add(e.alert_kind)
        if e.alert_kind is AlertKind.AWAY_TOO_LONG and (c := self._candidate(e.ticket)) is not None:
            c.away_raised = True
        if e.alert_kind is AlertKind.WIDE_OUTAGE:
            self.wide_outage_at = e.at
        if e.alert_kind is AlertKind.BACKUP_DUE and e.detail.isdigit():
            self.backup_raised.add(int(e.detail))
        if e.alert_kind is AlertKind.INCIDENT_THRESHOLD and "/" in e.detail:
            number, _, step = e.detail.partition("/")
            if number.isdigit():
                self.incident_raised.add((int(number), step))
        self._flag_alert(e.ticket)

    @_applies(AlertAcknowledged)
    def _alert_acknowledged(self, e: AlertAcknowledged) -> None:
        a = self.alerts[e.alert]
        a.acknowledged_at, a.acknowledged_by = e.at, tuple(e.by)
        self._flag_alert(e.ticket)

    @_applies(IdNumberRevealed)
    def _id_revealed(self, e: IdNumberRevealed) -> None:
        pass  # evidence only: the room does not change

    # Extra time and authorization codes (decided in proctor.domain.extra_time).

    @_applies(AuthorizationRequested)
    def _auth_requested(self, e: AuthorizationRequested) -> None:
        self.requests[e.request] = AuthRequest(
            e.request, e.op, e.sitting, tuple(e.candidates), e.minutes, e.at, tuple(e.by)
        )

    @_applies(AuthorizationCodeRejected)
    def _auth_code_rejected(self, e: AuthorizationCodeRejected) -> None:
        self.requests[e.request].wrong.append((e.at, tuple(e.by)))

    @_applies(ExtraTimeGranted)
    def _extra_time(self, e: ExtraTimeGranted) -> None:
        s = self.sitting_no(e.sitting)
        for t in e.candidates:
            c = s.candidates[t]
            c.extra_min += e.minutes
            c.flags.add(Flag.EXTRA_TIME)
        if e.request is not None:
            self.requests[e.request].used_at = e.at

    # Room records (decided in proctor.domain.records).

    @_applies(IdentityChecked)
    def _identity_checked(self, e: IdentityChecked) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        if e.matches:
            c.flags.add(Flag.ID_CHECKED)
        else:
            c.flags.discard(Flag.ID_CHECKED)

    @_applies(LeftRoom)
    def _left_room(self, e: LeftRoom) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.away_since, c.away_escort, c.away_raised = e.at, e.escort, False
        c.flags.add(Flag.AWAY)

    @_applies(ReturnedToRoom)
    def _returned(self, e: ReturnedToRoom) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.away_since = c.away_escort = None
        c.flags.discard(Flag.AWAY)

    # Leaving and submissions (decided in proctor.domain.submissions).

    @_applies(CandidateGaveUp)
    def _gave_up(self, e: CandidateGaveUp) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.state, c.submitted_at, c.submitted_by = State.GAVE_UP, e.at, "gave_up"

    @_applies(SubmissionUndone)
    def _submission_undone(self, e: SubmissionUndone) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.state, c.submitted_at, c.submitted_by = State.ANSWERING, None, None

    @_applies(SubmittedByProctors)
    def _submitted_by_proctors(self, e: SubmittedByProctors) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.state, c.submitted_at, c.submitted_by = State.SUBMITTED, e.at, "proctors"

    @_applies(ReadinessTicked)
    def _readiness(self, e: ReadinessTicked) -> None:
        self.readiness[e.item.value] = {"at": e.at, "met": e.met, "facts": e.facts, "note": e.note, "by": list(e.by)}

    @_applies(SeatAssigned)
    def _seat_assigned(self, e: SeatAssigned) -> None:
        self.seat_assignments[e.ticket] = e

    # Transfers (decided in proctor.domain.transfers).

    @_applies(TransferredOut)
    def _transferred_out(self, e: TransferredOut) -> None:
        self.sitting_no(e.sitting).candidates[e.ticket].state = State.TRANSFERRED_OUT
        self.transfers[e.ticket] = TransferRun(e.sitting, e.at, e.reason)

    @_applies(TransferReceived)
    def _transfer_received(self, e: TransferReceived) -> None:
        self.transfers[e.ticket].received_by = e.to_room

    @_applies(TransferResolved)
    def _transfer_resolved(self, e: TransferResolved) -> None:
        t = self.transfers[e.ticket]
        t.resolved, t.sat = True, e.sat

    @_applies(TransferredIn)
    def _transferred_in(self, e: TransferredIn) -> None:
        self.arrivals[e.ticket] = e
        self.sitting_no(e.sitting).candidates[e.ticket] = CandidateRun(e.ticket)

    @_applies(ExamStopped)
    def _exam_stopped(self, e: ExamStopped) -> None:
        s = self.sitting_no(e.sitting)
        self.stopped[e.sitting] = e
        for c in s.candidates.values():
            if c.state in (*_OPEN, State.RESET):
                c.state, c.submitted_at, c.submitted_by = State.SUBMITTED, e.at, "stopped"
        s.phase = Phase.ENDED
        self.sitting_ended_at[e.sitting] = e.at

    @_applies(ChoiceRegistered)
    def _choice(self, e: ChoiceRegistered) -> None:
        self.choices[e.ticket] = e.choice.value

    # Incidents (decided in proctor.domain.incidents).

    def _deadline(self, run: IncidentRun, step_id: str, at: float) -> float | None:
        flow = self.flows.get(run.flow)
        step = flow.steps.get(step_id) if flow else None
        if step is None or step.kind is not StepKind.TIMER:
            return None
        minutes = minutes_for(step, self.policy)
        s = self.sitting or self.shown_sitting
        return None if minutes is None else timer_anchor(step, at, run.opened_at, s.start if s else None) + minutes * 60

    @_applies(IncidentOpened)
    def _incident_opened(self, e: IncidentOpened) -> None:
        run = IncidentRun(e.number, e.flow, e.title, tuple(e.candidates), e.at, e.step, e.at)
        run.deadline = self._deadline(run, e.step, e.at)
        self.incidents[e.number] = run

    @_applies(IncidentStep)
    def _incident_step(self, e: IncidentStep) -> None:
        run = self.incidents[e.number]
        run.steps.append({"step": e.step, "answer": e.answer, "at": e.at, "by": list(e.by), "note": e.note})
        if e.answer == "done" and run.deadline is not None:
            run.recovered_at = e.at
        if e.lost is not None:
            run.lost = dict(e.lost)
        run.step, run.step_at = e.next, e.at
        run.deadline = self._deadline(run, e.next, e.at)

    @_applies(IncidentClosed)
    def _incident_closed(self, e: IncidentClosed) -> None:
        run = self.incidents[e.number]
        run.closed_at, run.outcome, run.report, run.deadline = e.at, e.outcome, e.report, None

    @_applies(ConsoleLocked)
    def _console_locked(self, e: ConsoleLocked) -> None:
        self.console_locked, self.unlock_failures = True, 0

    @_applies(ConsoleUnlocked)
    def _console_unlocked(self, e: ConsoleUnlocked) -> None:
        self.console_locked, self.unlock_failures = False, 0

    @_applies(ConsoleUnlockFailed)
    def _unlock_failed(self, e: ConsoleUnlockFailed) -> None:
        self.unlock_failures = e.attempt

    @_applies(ClosingTicked)
    def _closing_ticked(self, e: ClosingTicked) -> None:
        self.closing_ticks.setdefault(e.sitting, {})[e.item.value] = {"at": e.at, "facts": e.facts, "by": list(e.by)}

    @_applies(ExamEnded)
    def _exam_ended(self, e: ExamEnded) -> None:
        self.closed.add(e.sitting)

    @_applies(BackupMade)
    def _backup_made(self, e: BackupMade) -> None:
        self.backed_up.add(e.sitting)

    @_applies(FormIssued)
    def _form_issued(self, e: FormIssued) -> None:
        pass  # who took the room's forms: nothing in the room changes

    @_applies(RemarkRecorded)
    def _remark(self, e: RemarkRecorded) -> None:
        pass  # words for the report's 备注: nothing in the room changes

    def backup_due_at(self, s: SittingRun) -> float | None:
        """R15 (000 附件3 19): a sitting's data is backed up within 30 minutes of its end."""
        if s.number in self.backed_up or s.number not in self.sitting_ended_at:
            return None
        return self.sitting_ended_at[s.number] + BACKUP_WITHIN_MIN * 60

    @_applies(NoticeSent)
    def _notice_sent(self, e: NoticeSent) -> None:
        self.notices[e.number] = NoticeRun(e.number, e.notice_kind.value, e.text, e.at, tuple(e.targets), tuple(e.by))

    @_applies(NoticeAcknowledged)
    def _notice_acknowledged(self, e: NoticeAcknowledged) -> None:
        self.notices[e.number].acknowledged.setdefault(e.machine, e.at)

    @_applies(ViolationRecorded)
    def _violation(self, e: ViolationRecorded) -> None:
        self.violations[e.number] = ViolationRun(e.number, e.ticket, e.act.value, e.category.value)
        if e.amends is not None:
            self.violations[e.amends].superseded_by = e.number
        self.sitting_no(e.sitting).candidates[e.ticket].flags.add(Flag.VIOLATION)

    # Start and delayed start (decided in proctor.domain.start).

    @_applies(StartDelayed)
    def _start_delayed(self, e: StartDelayed) -> None:
        s = self.sitting_no(e.sitting)
        s.start, s.delay_min = e.start, e.minutes
        if e.request is not None:
            self.requests[e.request].used_at = e.at

    # Standalone exam (decided in proctor.domain.standalone).

    def standalone_outstanding(self, sitting: int) -> list[StandaloneRun]:
        return [p for p in self.standalone.values() if p.sitting == sitting and p.status is PackageStatus.OUTSTANDING]

    @_applies(StandaloneExported)
    def _standalone_exported(self, e: StandaloneExported) -> None:
        s = self.sitting_no(e.sitting)
        c = s.candidates[e.ticket]
        c.state, c.machine = State.STANDALONE, e.machine
        c.session = None  # no online machine resumes them: fenced until the result comes back
        c.flags.discard(Flag.OFFLINE)
        s.by_machine[e.machine] = e.ticket
        self.standalone[e.package_id] = StandaloneRun(
            e.package_id, e.sitting, e.ticket, e.machine, e.at, e.remaining_s, e.last_seq, e.digest, e.chief
        )

    @_applies(StandaloneRecovered)
    def _standalone_recovered(self, e: StandaloneRecovered) -> None:
        p = self.standalone[e.package_id]
        p.status, p.result_digest, p.resolved_at = PackageStatus.RECOVERED, e.digest, e.at

    @_applies(StandaloneWrittenOff)
    def _standalone_written_off(self, e: StandaloneWrittenOff) -> None:
        p = self.standalone[e.package_id]
        p.status, p.resolved_at = PackageStatus.WRITTEN_OFF, e.at

    # Reset (decided in proctor.domain.reset).

    @_applies(CandidateReset)
    def _reset(self, e: CandidateReset) -> None:
        c = self.sitting_no(e.sitting).candidates[e.ticket]
        c.state = State.RESET
        c.session = None  # the old machine's token no longer resumes them
        c.flags -= {Flag.OFFLINE, Flag.DUPLICATE_LOGIN}
        run = self.resets.setdefault((e.sitting, e.ticket), ResetRun(e.to, e.rule))
        run.to, run.rule = e.to, e.rule
        if e.machine:
            run.away.add(e.machine)

    def _flag_alert(self, ticket: str | None) -> None:
        c = self._candidate(ticket)
        if c is None:
            return
        if any(a.ticket == ticket for a in self.open_alerts()):
            c.flags.add(Flag.ALERT)
        else:
            c.flags.discard(Flag.ALERT)

    def _candidate(self, ticket: str | None) -> CandidateRun | None:
        """The candidate in the shown sitting: machine and alert flags are about the sitting now."""
        return self.shown_sitting.candidates.get(ticket) if ticket else None

    # -- views ------------------------------------------------------------------------------

    def candidate_row(self, s: SittingRun, c: CandidateRun) -> dict[str, Any]:
        p = self.person(c.ticket)
        assert p is not None
        arrival = self.arrivals.get(c.ticket)
        return {
            "ticket": c.ticket,
            "name": p.name,
            "gender": p.gender,
            "id_masked": arrival.id_masked if arrival else mask_id(p.id_number),
            "transferred_from": arrival.from_room if arrival else None,
            "stop_choice": self.choices.get(c.ticket),
            "seat": p.seat,
            "machine": c.machine,
            "state": c.state.value,
            "flags": sorted(f.value for f in c.flags),
            "last_seq": c.last_seq,
            "answered": c.answered,
            "extra_min": c.extra_min,
            "end": s.end_of(c),
            "logged_in_at": c.logged_in_at,
            "submitted_at": c.submitted_at,
            "last_contact": c.last_contact,
            "away_since": c.away_since,
            "away_escort": c.away_escort,
            "assigned_seat": (a.machine if (a := self.seat_assignments.get(c.ticket)) else None),
            "violations": [  # the records in force (an amended one is superseded by its amendment)
                {"number": v.number, "act": v.act, "category": v.category}
                for v in self.violations.values()
                if v.ticket == c.ticket and v.superseded_by is None
            ],
        }

    def in_use(self, machine: str) -> bool:
        """A machine a notice waits for: online, or with a candidate of the sitting at it."""
        return self.machines[machine].online or self.occupant(self.shown_sitting, machine) is not None

    def clock_off(self, skew: float) -> bool:
        """R59: an exam machine's clock this far from the proctor machine's needs a technician."""
        return abs(skew) > self.policy.machine_clock_tolerance_s

    def machine_row(self, machine: str) -> dict[str, Any]:
        # A machine keeps showing who submitted on it, so the map stays readable.
        occupant = self.last_at(self.shown_sitting, machine)
        offset = self.machines[machine].clock_offset_s
        return {
            "id": machine,
            "online": self.machines[machine].online,
            "ticket": occupant.ticket if occupant else None,
            "clock_offset_s": offset,
            "clock_off": offset is not None and self.clock_off(offset),
            "free_spare": _free_spare(self, machine),
        }

    def sitting_header(self, s: SittingRun) -> dict[str, Any]:
        return {
            "number": s.number,
            "subject": s.subject,
            "start": s.start,
            "end": s.end,
            "phase": s.phase.value,
            "sign_in_closes": self.sign_in_closes(s),
            "scheduled_start": s.scheduled_start,
            "delay_min": s.delay_min,
            "deadlines": [
                d.row()
                for d in sitting_deadlines(
                    s.start, s.end, self.policy, self.last_end(s), scheduled_start=s.scheduled_start
                )
            ],
        }

    def last_end(self, s: SittingRun) -> float:
        """When the sitting's last candidate ends, extra time included."""
        return max((s.end_of(c) for c in s.candidates.values()), default=s.end)

    def header(self) -> dict[str, Any]:
        """The room's header: what the console shows above the seat map (also before the
        service has answered, from a RoomState of the package alone)."""
        pkg = self.package
        return {
            "exam": pkg.exam,
            "level": pkg.level,
            "batch": pkg.batch,
            "site": pkg.site,
            "room": pkg.room,
            "policy": {"id": self.policy.id, "name": self.policy.name, "defaulted": list(self.policy.defaulted)},
            "profile": {"source": self.policy.source, "parameters": self.policy.parameters()},
            "fingerprint": pkg.fingerprint,
            "short_code": pkg.short_code,
            "overbooked": pkg.overbooked,
            "duty": [{"level": d.level, "who": d.who, "phone": d.phone} for d in pkg.duty],
            "sittings": [self.sitting_header(x) for x in self.sittings],
            "sitting": self.shown_sitting.number,
            "proctors": list(self.proctors),
            "proctors_required": self.proctors_required(),
            "readiness": self.readiness,
            "console_locked": self.console_locked,
            "stopped": sorted(self.stopped),
            "incidents": [i.row() for i in self.incidents.values()],
            "notices": [n.row(self.in_use) for n in self.notices.values()],
            "standalone": [p.row() for p in self.standalone.values()],
        }

    def snapshot(self) -> dict[str, Any]:
        s = self.shown_sitting
        return {
            **self.header(),
            "machines": [
                {"id": m.id, "row": m.row, "col": m.col, "spare": m.spare, **self.machine_row(m.id)}
                for m in self.package.machines
            ],
            "candidates": [self.candidate_row(s, c) for c in s.candidates.values()],
            "alerts": [a.row() for a in self.open_alerts()],
        }


def _free_spare(room: RoomState, machine: str) -> bool:
    from .reset import is_free_spare  # the rule is reset's; it reads this module

    return is_free_spare(room, machine)


# -- decisions -------------------------------------------------------------------------------


# A state in the proctors' words, for the rules' refusals (the screen has its own translated labels).
STATE_ZH = {
    State.EXPECTED: "未登录",
    State.LOGGED_IN: "已登录，未开考",
    State.ANSWERING: "作答中",
    State.SUBMITTED: "已交卷",
    State.ABSENT: "缺考",
    State.RESET: "已重置",
    State.STANDALONE: "单机考试",
    State.TRANSFERRED_OUT: "已调出",
    State.GAVE_UP: "放弃考试",
}


def candidate_in_sitting(
    room: RoomState,
    ticket: str,
    states: frozenset[State] | None = None,
    what_zh: str = "",
    *,
    code: str = "not_applicable",
) -> tuple[SittingRun, CandidateRun]:
    """The candidate of the sitting under way, in one of `states` when given; else refused, in
    words that say their state and what cannot be done (`what_zh`)."""
    s = _current(room)
    c = s.candidates.get(ticket)
    if c is None:
        raise Refused(
            "unknown_candidate",
            f"no candidate with ticket number {ticket[:32]} in this sitting",
            f"本场次没有准考证号为 {ticket[:32]} 的考生，请核对准考证号",
        )
    if states is not None and c.state not in states:
        raise Refused(
            code,
            f"candidate {ticket} is {c.state.value}",
            f"考生 {ticket} 当前为「{STATE_ZH[c.state]}」，不能{what_zh}",
            state=c.state.value,
        )
    return s, c


def _current(room: RoomState) -> SittingRun:
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    return s


def alert_once(
    room: RoomState,
    kind: AlertKind,
    now: float,
    *,
    ticket: str | None = None,
    machine: str | None = None,
    detail: str = "",
    pending: Sequence[Event] = (),
) -> list[Event]:
    """One alert, unless the same one still waits for a proctor. `pending`: the events decided
    with it and not yet applied, so that two alerts of one decision are numbered in turn."""
    raised = [e for e in pending if isinstance(e, AlertRaised)]
    if room.has_open_alert(kind, ticket, machine) or any(
        (e.alert_kind, e.ticket, e.machine) == (kind, ticket, machine) for e in raised
    ):
        return []
    number = room.next_alert_id() + len(raised)
    return [AlertRaised(at=now, alert=number, alert_kind=kind, ticket=ticket, machine=machine, detail=detail)]


def decide_machine_offline(room: RoomState, machine: str, now: float, reason: str) -> list[Event]:
    m = room.machines.get(machine)
    if m is None or not m.online:
        return []
    s = room.sitting
    occupant = room.occupant(s, machine) if s else None
    ticket = occupant.ticket if occupant else None
    events: list[Event] = [MachineOffline(at=now, machine=machine, reason=reason, ticket=ticket)]
    if ticket is not None:  # a machine nobody uses may come and go; one in use needs a proctor
        events += alert_once(room, AlertKind.MACHINE_OFFLINE, now, ticket=ticket, machine=machine, detail=reason)
        events += _wide_outage(room, ticket, now, events)
    return events


# A wide outage: this share of the machines in use dropped within this window (and at least
# WIDE_OUTAGE_MIN of them). Not a rule of the seeds: the moment a proctor should be offered the
# emergency plan [001 应急预案 第七条(二)] rather than look at one machine at a time.
WIDE_OUTAGE_SHARE = 1 / 3
WIDE_OUTAGE_WINDOW_S = 60.0
WIDE_OUTAGE_MIN = 3
_AT_MACHINE = {State.LOGGED_IN, State.ANSWERING}


def _wide_outage(room: RoomState, ticket: str, now: float, pending: Sequence[Event]) -> list[Event]:
    """Raised once an outage: not again within the window of the last, nor while an incident is open."""
    s = room.sitting
    last = room.wide_outage_at
    if s is None or (last is not None and now - last < WIDE_OUTAGE_WINDOW_S):
        return []
    if any(run.closed_at is None for run in room.incidents.values()):
        return []
    in_use = [c for c in s.candidates.values() if c.state in _AT_MACHINE and c.machine]
    since = now - WIDE_OUTAGE_WINDOW_S
    dropped = sum(1 for c in in_use if c.ticket == ticket or (c.offline_since is not None and c.offline_since >= since))
    if dropped < max(WIDE_OUTAGE_MIN, len(in_use) * WIDE_OUTAGE_SHARE):
        return []
    return alert_once(room, AlertKind.WIDE_OUTAGE, now, detail=f"{dropped}/{len(in_use)}", pending=pending)


def decide_login(
    room: RoomState, machine: str, ticket: str, id_number: str, now: float, *, session: str | None = None
) -> list[Event]:
    """R06 login with ticket + ID number; R05 opens at T-30; R07 closes at T+30. `session`: the
    digest of the token the machine gets, which it must show to resume this candidate later."""
    s = _current(room)
    c = s.candidates.get(ticket)
    person = room.person(ticket)
    if c is None or person is None or not room.id_matches(ticket, id_number):
        raise Refused(
            "bad_credentials",
            "ticket number and ID number do not match a candidate of this sitting",
            "准考证号与证件号不匹配本场次的考生，请核对后重新输入",
            rule="R06",
        )
    if now < room.login_opens(s):
        raise Refused(
            "login_not_open",
            "login opens 30 minutes before the start",
            "登录尚未开放（开考前规定时间起方可登录）",
            rule=room.policy.rule("login_opens_before_start_min", "R05"),
            opens=room.login_opens(s),
        )
    if c.state is State.SUBMITTED:
        raise Refused("already_submitted", "this candidate has submitted", "该考生已交卷，不能再次登录")
    if c.state is State.ABSENT or (c.state is State.EXPECTED and now >= room.sign_in_closes(s)):
        raise Refused(
            "sign_in_closed",
            "sign-in has closed; the candidate is absent",
            "开考后规定时间已过，停止登录，按缺考处理",
            rule=room.policy.rule("sign_in_closes_after_start_min", "R07"),
        )
    if c.state is State.STANDALONE:  # R26: fenced until the standalone result is recovered
        raise Refused(
            "standalone",
            "the candidate is answering offline in a standalone exam",
            "该考生正在单机考试，不能在联网考试机上登录",
            rule="R25",
        )
    if c.state is State.TRANSFERRED_OUT:
        to = room.transfers[ticket].received_by
        raise Refused(
            "transferred_out",
            "the candidate was transferred out of this room",
            f"该考生已调出本考场，请到{to or '接收考场'}登录",
            rule="R35",
        )
    if c.state not in (State.EXPECTED, State.RESET, *_OPEN):
        raise Refused("not_allowed", f"login not allowed in state {c.state.value}", "该考生当前状态不允许登录")
    occupant = room.occupant(s, machine)
    if occupant is not None and occupant.ticket != ticket:
        raise Refused(
            "machine_occupied",
            f"machine {machine} is in use by another candidate",
            f"考试机 {machine} 已有其他考生登录",
        )
    if c.state in _OPEN and c.machine != machine:
        assert c.machine is not None
        if room.machines[c.machine].online:
            raise Refused(
                "duplicate_login",
                f"candidate is logged in on machine {c.machine}",
                f"该考生已在 {c.machine} 登录，不能重复登录，请联系监考人员",
                record=[
                    DuplicateLoginAttempt(at=now, sitting=s.number, ticket=ticket, machine=machine),
                    *alert_once(room, AlertKind.DUPLICATE_LOGIN, now, ticket=ticket, machine=machine),
                ],
            )
        raise Refused(
            "needs_reset",
            f"candidate is bound to machine {c.machine}; a proctor must reset first",
            f"该考生已在 {c.machine} 登录，需监考人员重置后才能在本机登录",
            rule="R24",
        )
    # A candidate reset onto a spare sits where a proctor sent them: not a wrong seat.
    wrong_seat = bool(person.seat) and person.seat != machine and c.state is not State.RESET
    events: list[Event] = [
        CandidateLoggedIn(
            at=now,
            sitting=s.number,
            ticket=ticket,
            machine=machine,
            wrong_seat=wrong_seat,
            previous=c.machine if c.machine and c.machine != machine else None,
            session=session,
        )
    ]
    if wrong_seat:
        events += alert_once(room, AlertKind.WRONG_SEAT, now, ticket=ticket, machine=machine, detail=person.seat or "")
    return events


def _bound(room: RoomState, machine: str, ticket: str) -> tuple[SittingRun, CandidateRun]:
    s = room.sitting
    c = s.candidates.get(ticket) if s else None
    if c is None or c.machine != machine or c.state not in _OPEN:
        if _submitted_at_end(room, machine, ticket):
            # A save or submit that crossed the candidate's end on the wire (R11).
            raise Refused("time_over", "the candidate's time is over", "作答时间已到，已自动交卷", rule="R11")
        _current(room)  # once every sitting has ended, that is what to say
        raise Refused(
            "not_logged_in",
            f"candidate {ticket[:32]} is not logged in on machine {machine}",
            "该考生未在本机登录",
        )
    return s, c


def _submitted_at_end(room: RoomState, machine: str, ticket: str) -> bool:
    """Whether the system submitted this candidate at their end on this machine (any sitting)."""
    for s in room.sittings:
        c = s.candidates.get(ticket)
        if c is not None and c.machine == machine and c.submitted_by == "auto":
            return True
    return False


def canonical_answers(answers: Any) -> bytes:
    """The answers as they are kept and hashed: compact JSON with sorted keys."""
    return msgspec.json.encode(answers, order="sorted")


def answers_digest(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def decide_save(
    room: RoomState,
    machine: str,
    ticket: str,
    seq: int,
    digest: str,
    answered: int | None,
    now: float,
    *,
    held: str | None = None,
) -> list[Event]:
    """An answer save. `seq` rises by one per save; a resend (`seq` at or below the last) is
    compared with `held`, the digest of the save the log holds at that `seq`: the same is a
    duplicate and changes nothing, a different one is refused and raised (what was
    acknowledged stands), and one the log lacks is recorded again."""
    s, c = _bound(room, machine, ticket)
    if seq <= c.last_seq and held is not None:
        if held == digest:
            return []
        raise Refused(
            "resend_differs",
            f"save {seq} was acknowledged with other answers; the acknowledged answers stand",
            f"第 {seq} 次保存已确认，重发内容与之不同，以已确认的作答为准",
            record=alert_once(room, AlertKind.SAVE_CONFLICT, now, ticket=ticket, machine=machine, detail=str(seq)),
            seq=seq,
        )
    if seq > c.last_seq + 1:
        raise Refused(
            "seq_gap",
            f"save {seq} skips saves: the next is {c.last_seq + 1}",
            f"保存序号不连续，应为 {c.last_seq + 1}",
            expected=c.last_seq + 1,
        )
    if c.state is not State.ANSWERING:
        raise Refused("not_started", "the sitting has not started", "考试尚未开始")
    if now >= s.end_of(c):
        raise Refused("time_over", "the candidate's time is over", "作答时间已到，已自动交卷", rule="R11")
    return [AnswerSaved(at=now, sitting=s.number, ticket=ticket, seq=seq, digest=digest, answered=answered)]


def check_reported_ack(room: RoomState, ticket: str, acked: int) -> None:
    """More saves missing than a whole exam makes is not a lost tail but a wrong or hostile
    client: believed, it would leave the candidate no `seq` to save with."""
    s = _current(room)
    c = s.candidates.get(ticket)
    if c is not None and acked - c.last_seq > MAX_MISSING_SAVES:
        raise Refused(
            "acked_implausible",
            f"acked {acked} is more than {MAX_MISSING_SAVES} saves beyond the {c.last_seq} held",
            "考试机报告的已确认保存序号不可信，请联系技术人员",
            held=c.last_seq,
        )


def decide_reported_ack(room: RoomState, machine: str, ticket: str, acked: int, now: float) -> list[Event]:
    """The exam machine says the service acknowledged its saves up to `acked`. A log that holds
    less lost acknowledged saves (a restored copy, a disk that lied): record it, raise it, and
    let the candidate's next save continue from there rather than be refused as a gap."""
    check_reported_ack(room, ticket, acked)
    s, c = _bound(room, machine, ticket)
    if acked <= c.last_seq:
        return []
    return [
        SavesMissing(at=now, sitting=s.number, ticket=ticket, machine=machine, held=c.last_seq, acked=acked),
        *alert_once(room, AlertKind.SAVES_MISSING, now, ticket=ticket, machine=machine, detail=f"{c.last_seq}/{acked}"),
    ]


def decide_answers_damaged(
    room: RoomState, machine: str, ticket: str, damaged: tuple[int, ...], now: float
) -> list[Event]:
    """The saves at `damaged` no longer match the digests the chain recorded for them (edited
    or deleted on disk): the candidate goes on from the newest intact one, and a proctor is told."""
    if not damaged:
        return []
    detail = ",".join(map(str, damaged[:8])) + ("…" if len(damaged) > 8 else "")
    return alert_once(room, AlertKind.ANSWERS_DAMAGED, now, ticket=ticket, machine=machine, detail=detail)


def decide_submit(room: RoomState, machine: str, ticket: str, now: float) -> list[Event]:
    """R08-R10: not before the policy's earliest submit time."""
    s, c = _bound(room, machine, ticket)
    if c.state is not State.ANSWERING:
        raise Refused("not_started", "the sitting has not started", "考试尚未开始")
    opens = room.earliest_submit(s, c)
    if now < opens:
        p = room.policy
        rule = (
            p.rule("earliest_submit_after_start_min", "R08")
            if p.earliest_submit_before_end_min is None
            else p.rule("earliest_submit_before_end_min", "R09")
        )
        raise Refused("too_early", "submission is not open yet", "未到允许交卷时间", rule=rule, opens=opens)
    return [CandidateSubmitted(at=now, sitting=s.number, ticket=ticket, by="candidate")]


def decide_sign_in_proctors(room: RoomState, names: tuple[str, ...], now: float) -> list[Event]:
    """The room proctors sign in; their names go on every record and on the report.

    R02 (001 监考规则 第二条): at least two per room, so two must sign in; fewer than the room's
    size calls for (2 per 25 candidates, one more per further 25) is accepted but raised.
    """
    clean = tuple(n.strip() for n in names)
    if any(not n for n in clean) or len(set(clean)) != len(clean):
        raise Refused("bad_names", "each proctor signs in once, by name", "每位监考员签到一次，须填写姓名")
    if len(clean) < 2:
        raise Refused(
            "too_few_proctors",
            "a room needs at least two proctors signed in",
            "每个考场至少需两名监考员签到",
            rule="R02",
            allow_en="the second room proctor signs in too",
            allow_zh="请第二名监考员一同签到",
        )
    events: list[Event] = [ProctorsSignedIn(at=now, names=clean)]
    need = room.proctors_required()
    if len(clean) < need:
        detail = f"{len(clean)}/{need}"
        events += alert_once(room, AlertKind.PROCTORS_SHORT, now, detail=detail)
    return events


def decide_acknowledge_alert(room: RoomState, alert: int, by: tuple[str, ...], now: float) -> list[Event]:
    a = room.alerts.get(alert)
    if a is None:
        raise Refused("unknown_alert", f"there is no alert {alert}", f"没有编号为 {alert} 的提醒")
    if a.acknowledged_at is not None:
        raise Refused(
            "already_acknowledged",
            f"alert {alert} was acknowledged by {'、'.join(a.acknowledged_by)}",
            f"提醒 {alert} 已由 {'、'.join(a.acknowledged_by)} 确认",
        )
    return [AlertAcknowledged(at=now, alert=alert, by=by, ticket=a.ticket, machine=a.machine)]


def decide_reveal_id_number(room: RoomState, ticket: str, by: tuple[str, ...], now: float) -> list[Event]:
    """DOMAIN §9: ID numbers are masked except where a proctor needs one; each showing is
    recorded with the proctors' names (the number itself stays out of the record)."""
    s = next((x for x in (room.shown_sitting, *room.sittings) if ticket in x.candidates), None)
    if s is None or room.package.candidate(ticket) is None:  # one transferred in: check their ID card
        raise Refused(
            "unknown_candidate",
            f"no candidate with ticket number {ticket[:32]} in this room",
            f"本考场没有准考证号为 {ticket[:32]} 的考生，请核对准考证号",
        )
    return [IdNumberRevealed(at=now, sitting=s.number, ticket=ticket, by=by)]


def decide_clock_step(room: RoomState, by_s: float, wall: float, now: float) -> list[Event]:
    """The wall clock jumped (NTP, or a person): record it and raise it; exam time runs on."""
    sign = "+" if by_s >= 0 else "−"
    return [
        ClockStepped(at=now, by_s=by_s, wall=wall),
        *alert_once(room, AlertKind.CLOCK_STEPPED, now, detail=f"{sign}{abs(by_s):.0f} s"),
    ]


def due_events(room: RoomState, now: float) -> list[Event]:
    """What the schedule makes happen by `now`: start, the sign-in warning, sign-in close, the
    reminder before the end, auto-submit, end."""
    out: list[Event] = _backup_alerts(room, now)
    out += _incident_alerts(room, now, out)
    s = room.sitting
    if s is None:
        return out
    if s.phase is Phase.SCHEDULED and now >= s.start:
        out.append(SittingStarted(at=s.start, sitting=s.number))
    out += _schedule_alerts(room, s, now, out)
    if s.phase in (Phase.SCHEDULED, Phase.STARTED) and now >= room.sign_in_closes(s):
        out.append(SignInClosed(at=room.sign_in_closes(s), sitting=s.number))
    if s.phase is not Phase.SCHEDULED or out:
        # R11: everyone not submitted is submitted at their own end.
        for c in s.candidates.values():
            if c.state in _RUNNING and now >= s.end_of(c):
                out.append(CandidateSubmitted(at=s.end_of(c), sitting=s.number, ticket=c.ticket, by="auto"))
        latest_end = max([s.end_of(c) for c in s.candidates.values()], default=s.end)
        if now >= max(latest_end, s.end) and now >= room.sign_in_closes(s):
            # R26/R27 (004 附件2 二(四), 问题三 第一步): not before every standalone package is back.
            held = room.standalone_outstanding(s.number)
            if held:
                detail = ",".join(p.ticket for p in held)[:200]
                out += alert_once(room, AlertKind.STANDALONE_OUTSTANDING, now, detail=detail, pending=out)
            else:
                done = [p.resolved_at or 0.0 for p in room.standalone.values() if p.sitting == s.number]
                out.append(SittingEnded(at=max(latest_end, s.end, *done), sitting=s.number))
    return out


def _sign_in_warning_at(room: RoomState, s: SittingRun) -> float:
    return room.sign_in_closes(s) - SIGN_IN_CLOSING_WARNING_MIN * 60


def _reminder_at(room: RoomState, s: SittingRun) -> float | None:
    return next((d.at for d in sitting_deadlines(s.start, s.end, room.policy) if d.kind is Deadline.REMINDER), None)


def _schedule_alerts(room: RoomState, s: SittingRun, now: float, pending: list[Event]) -> list[Event]:
    """The proctors' own deadlines, each raised once a sitting while it still means something."""
    out: list[Event] = []
    started = s.phase is Phase.STARTED or any(isinstance(e, SittingStarted) for e in pending)
    close = room.sign_in_closes(s)
    if started and AlertKind.SIGN_IN_CLOSING not in s.announced and _sign_in_warning_at(room, s) <= now < close:
        missing = sum(1 for c in s.candidates.values() if c.state is State.EXPECTED)  # only in its window
        if missing:
            out += alert_once(room, AlertKind.SIGN_IN_CLOSING, now, detail=str(missing), pending=[*pending, *out])
    out += _away_alerts(room, s, now, [*pending, *out])
    reminder = _reminder_at(room, s)
    # R12 (001 监考规则 第十二条): the proctors remind the candidates before the end.
    if (
        s.phase in (Phase.STARTED, Phase.SIGN_IN_CLOSED)
        and AlertKind.END_REMINDER not in s.announced
        and reminder is not None
        and reminder <= now < s.end
    ):
        minutes = str(room.policy.reminder_before_end_min)
        out += alert_once(room, AlertKind.END_REMINDER, max(reminder, now), detail=minutes, pending=[*pending, *out])
    return out


def _backup_alerts(room: RoomState, now: float) -> list[Event]:
    """R15: a sitting ended more than 30 minutes ago whose data is not backed up, raised once."""
    out: list[Event] = []
    for s in room.sittings:
        due = room.backup_due_at(s)
        if due is not None and now >= due and s.number not in room.backup_raised:
            out += alert_once(room, AlertKind.BACKUP_DUE, due, detail=str(s.number), pending=out)
    return out


def _incident_deadlines(room: RoomState) -> list[tuple[IncidentRun, float]]:
    return [
        (run, run.deadline)
        for run in room.incidents.values()
        if run.deadline is not None and run.closed_at is None and (run.number, run.step) not in room.incident_raised
    ]


def _incident_alerts(room: RoomState, now: float, pending: list[Event]) -> list[Event]:
    """A flowchart's timer that ran out while its step waits: raised once (e.g. not repaired
    within the profile's 30 minutes: the incident is major)."""
    out: list[Event] = []
    for run, at in _incident_deadlines(room):
        if now >= at:
            out += alert_once(
                room, AlertKind.INCIDENT_THRESHOLD, at, detail=f"{run.number}/{run.step}", pending=[*pending, *out]
            )
    return out


def away_alert_at(room: RoomState, c: CandidateRun) -> float | None:
    """When a temporary leave has lasted longer than the site allows (a site's number, not a
    seed's: 000 附件3 15 asks only that it be recorded and escorted)."""
    if c.away_since is None or c.away_raised:
        return None
    return c.away_since + room.policy.away_alert_after_min * 60


def _away_alerts(room: RoomState, s: SittingRun, now: float, pending: list[Event]) -> list[Event]:
    out: list[Event] = []
    for c in s.candidates.values():
        at = away_alert_at(room, c)
        if at is not None and now >= at and c.state in _OPEN:
            minutes = str(math.floor((now - (c.away_since or now)) / 60))
            out += alert_once(
                room, AlertKind.AWAY_TOO_LONG, max(at, 0.0), ticket=c.ticket, detail=minutes, pending=[*pending, *out]
            )
    return out


def next_due(room: RoomState, now: float | None = None) -> float | None:
    """The next time `due_events` will have something to say (after `now`, for the alerts it
    raises only while they mean something)."""
    watched = [
        t
        for x in room.sittings
        if x.number not in room.backup_raised and (t := room.backup_due_at(x)) is not None and (now is None or t > now)
    ]
    watched += [t for _, t in _incident_deadlines(room) if now is None or t > now]
    s = room.sitting
    if s is None:
        return min(watched, default=None)
    if s.phase is Phase.SCHEDULED:
        return min([s.start, *watched])
    times = [max(s.end_of(c) for c in s.candidates.values()) if s.candidates else s.end, s.end]
    alerts = []
    if s.phase is Phase.STARTED:
        times.append(room.sign_in_closes(s))
        if AlertKind.SIGN_IN_CLOSING not in s.announced and any(
            c.state is State.EXPECTED for c in s.candidates.values()
        ):
            alerts.append(_sign_in_warning_at(room, s))
    reminder = _reminder_at(room, s)
    if reminder is not None and AlertKind.END_REMINDER not in s.announced:
        alerts.append(reminder)
    times += [t for t in alerts if now is None or t > now]
    times += [s.end_of(c) for c in s.candidates.values() if c.state in _RUNNING]
    times += [t for c in s.candidates.values() if c.state in _OPEN and (t := away_alert_at(room, c)) is not None]
    if room.standalone_outstanding(s.number):  # the end waits for a recovery, not for a time
        times = [t for t in times if now is None or t > now]
        return min([*times, *watched], default=None)
    return min([*times, *watched])
