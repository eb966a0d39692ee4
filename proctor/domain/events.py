"""Every change to a room is one typed event; the log and the wire carry the same encoding.

Each event says which candidates (`tickets`) and machines (`machines`) it touches, or that it
touches the whole room (`room_wide`): consoles repaint exactly that, nothing is guessed.
The tag (`"kind"`) is the class name; a new kind is a new class here and one `apply` handler.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar, Literal

import msgspec

# Strings a client sends and an event keeps; bounded so that no message can bloat the log.
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Proctors = tuple[Name, ...]


class AlertKind(str, Enum):
    """Something a proctor must look at, raised by the service and acknowledged by a proctor."""

    MACHINE_OFFLINE = "machine_offline"
    DUPLICATE_LOGIN = "duplicate_login"
    WRONG_SEAT = "wrong_seat"
    UNKNOWN_MACHINE = "unknown_machine"
    CLOCK_STEPPED = "clock_stepped"
    PROCTORS_SHORT = "proctors_short"
    # Admission to the room's link (docs/protocol.md): detail is the address it came from.
    BAD_PROOF = "bad_proof"  # a connection claimed a machine or the console and could not prove it
    MACHINE_CLASH = "machine_clash"  # a second connection claimed a machine that is connected
    MACHINE_CLOCK = "machine_clock"  # R59: the exam machine's own clock is off (detail: "+95 s")
    MACHINE_UNSEALED = "machine_unsealed"  # R60: internet, removable media (detail: what)
    # Saves: what the exam machine holds and the log disagree.
    SAVE_CONFLICT = "save_conflict"  # a resend differs from the save acknowledged (detail: its seq)
    SAVES_MISSING = "saves_missing"  # the machine had saves acknowledged that the log lacks
    ANSWERS_DAMAGED = "answers_damaged"  # saves on disk no longer match the chain (detail: their seqs)
    # The schedule, once a sitting: what the proctors must do now (proctor.domain.room.due_events).
    SIGN_IN_CLOSING = "sign_in_closing"  # R07 ahead: candidates still not logged in (detail: how many)
    END_REMINDER = "end_reminder"  # R12: remind the candidates (detail: minutes to the end)
    AUTHCODE_LOCKED = "authcode_locked"  # too many wrong authorization codes (detail: the request)
    # Room records (proctor.domain.records).
    IDENTITY_MISMATCH = "identity_mismatch"  # R57: the person does not match the photo or ID (detail: note)
    AWAY_TOO_LONG = "away_too_long"  # a temporary leave longer than the site allows (detail: minutes)
    # The end of the exam (proctor.domain.closing).
    BACKUP_DUE = "backup_due"  # R15: no backup 30 minutes after the sitting's end (detail: sitting)
    # Standalone exam: the sitting's end is reached with a package not recovered (R26; detail: tickets).
    STANDALONE_OUTSTANDING = "standalone_outstanding"
    # Reset (重置): a machine the candidate was reset away from still acts for them (detail: where they went).
    RESET_MACHINE = "reset_machine"
    # The console lock: wrong unlock codes (detail: how many since the lock).
    UNLOCK_FAILED = "unlock_failed"
    # Incidents: a flowchart's timer ran out before its step was answered (detail: incident/step).
    INCIDENT_THRESHOLD = "incident_threshold"
    # Many machines in use dropped at once (detail: "dropped/in use"): the console offers 应急处理.
    WIDE_OUTAGE = "wide_outage"


class Event(msgspec.Struct, tag_field="kind", tag=True, frozen=True, kw_only=True):
    at: float  # exam time, epoch seconds

    room_wide: ClassVar[bool] = False
    # Changes the room's header (deadlines, proctors, notices, check lists, packages out) besides
    # the rows it names: consoles get the header and those rows, not the whole room.
    header_wide: ClassVar[bool] = False

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def tickets(self) -> tuple[str, ...]:
        return ()

    @property
    def machines(self) -> tuple[str, ...]:
        return ()


class _OneCandidate(Event, frozen=True, kw_only=True):
    sitting: int
    ticket: str

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,)


# -- the service and the schedule -----------------------------------------------------------------


class ServiceStarted(Event, frozen=True, kw_only=True):
    """The service (re)started: every machine is offline until it says hello again. `wall` and
    `scale` anchor exam time: after a restart it continues from here (see proctor.clock)."""

    package: str
    wall: float
    scale: float = 1.0
    room_wide: ClassVar[bool] = True


class ScheduleShifted(Event, frozen=True, kw_only=True):
    by_s: float
    reason: str
    room_wide: ClassVar[bool] = True


class ClockStepped(Event, frozen=True, kw_only=True):
    """The proctor machine's wall clock jumped by `by_s` against the monotonic clock. Exam time
    did not move with it; `wall` is the new wall reading, the next anchor."""

    by_s: float
    wall: float


class SittingStarted(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


class SignInClosed(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


class SittingEnded(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


# -- exam machines --------------------------------------------------------------------------------


class _AtMachine(Event, frozen=True, kw_only=True):
    machine: str
    ticket: str | None = None  # who sits there, if anyone: their offline flag follows the machine

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,) if self.ticket else ()

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class MachineOnline(_AtMachine, frozen=True, kw_only=True):
    # Its own wall clock minus the service's, in seconds, from its hello (R59); None: not said.
    clock_offset_s: float | None = None


class MachineOffline(_AtMachine, frozen=True, kw_only=True):
    reason: str


class MachineClockMoved(_AtMachine, frozen=True, kw_only=True):
    """An online exam machine's clock, read again (heartbeat, hello), moved against the service's
    since its offset was last recorded (R59; proctor.domain.admission.decide_machine_clock)."""

    clock_offset_s: float


# -- candidates -----------------------------------------------------------------------------------


class CandidateLoggedIn(_OneCandidate, frozen=True, kw_only=True):
    machine: str
    wrong_seat: bool = False
    previous: str | None = None  # the machine left behind after a reset
    # SHA-256 of the session token given to the machine at this login: a machine that reconnects
    # resumes the candidate only with the token (the ticket alone is printed on paper).
    session: str | None = None

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine, self.previous) if self.previous else (self.machine,)


class DuplicateLoginAttempt(_OneCandidate, frozen=True, kw_only=True):
    machine: str  # where the second login was tried

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class AnswerSaved(_OneCandidate, frozen=True, kw_only=True):
    """The answers themselves are in the log's `answers` table; `digest` (SHA-256 of their
    canonical JSON) ties them to the hash chain, so consoles see this event exactly as logged."""

    seq: int
    digest: str
    answered: int | None = None


class SavesMissing(_OneCandidate, frozen=True, kw_only=True):
    """The exam machine had saves up to `acked` acknowledged; the log held only up to `held`.
    Recorded and raised; the candidate's next save continues from `acked`."""

    machine: str
    held: int
    acked: int

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class CandidateSubmitted(_OneCandidate, frozen=True, kw_only=True):
    by: Literal["candidate", "auto", "standalone"]


# -- extra time and authorization codes (proctor.domain.extra_time, proctor.domain.authcode) ------


class ExtraTimeReason(str, Enum):
    """Why time was lost (R22: only through no fault of the candidate)."""

    MACHINE_FAULT = "machine_fault"  # the exam machine failed, restarted or was swapped (R61, 003 五)
    POWER = "power"  # power failure (003 一)
    NETWORK = "network"  # the room's network failed
    PERIPHERAL = "peripheral"  # keyboard, mouse, screen (R23, 003 六)
    SOFTWARE = "software"  # input method, answer page (R23, 003 六)
    OTHER_INCIDENT = "other_incident"  # another incident, named in the note
    CANDIDATE_ERROR = "candidate_error"  # the candidate's own operating error: earns none (R22)


class _SomeCandidates(Event, frozen=True, kw_only=True):
    sitting: int
    candidates: tuple[str, ...]

    @property
    def tickets(self) -> tuple[str, ...]:
        return self.candidates


class AuthorizationRequested(_SomeCandidates, frozen=True, kw_only=True):
    """The console asked for a provincial authorization code: `request` is what the proctors
    read to the office, derived from `nonce` and the fields (docs/authorization-codes.md)."""

    request: str
    op: str
    minutes: int
    nonce: str
    by: Proctors


class AuthorizationCodeRejected(_SomeCandidates, frozen=True, kw_only=True):
    """A code that does not verify for `request`: the `attempt`-th wrong one, entered by `by`."""

    request: str
    attempt: int
    by: Proctors


class ExtraTimeGranted(_SomeCandidates, frozen=True, kw_only=True):
    """Each of `candidates` gets `minutes` more (cumulative, R19-R21); `request`: the request
    whose provincial code allowed it, and `code` that code (single use: printed on the room
    report, not a secret once used), both None when the proctors granted directly (R19)."""

    minutes: int
    reason: ExtraTimeReason
    note: str = ""
    by: Proctors
    request: str | None = None
    code: str | None = None
    # The candidates' ends move, and the sitting's last end with them (the header's deadlines).
    header_wide: ClassVar[bool] = True


# -- reset (重置, proctor.domain.reset) -----------------------------------------------------------


class ResetKind(str, Enum):
    """Both keep the last acknowledged answers and the candidate's end (R24; 004 附件2 二(二), 003 五)."""

    RESUME = "resume"  # 续考: on a free spare machine (备用机)
    RESTART = "restart"  # on the same machine, restarted or with its keyboard or mouse swapped


class ResetReason(str, Enum):
    MACHINE_FAULT = "machine_fault"  # 考试机故障
    NETWORK = "network"  # 网络原因
    PERIPHERAL = "peripheral"  # 鼠标、键盘等外设故障
    CLOUD_ROOM = "cloud_room"  # R54: the cloud room's system failed (the service resets at once)
    OTHER = "other"  # named in the note


class CandidateReset(_OneCandidate, frozen=True, kw_only=True):
    """The candidate is released from `machine` (fenced from acting for them from now on) and
    logs in again on `to` (None: any free machine, R54), from the last acknowledged answers with
    the same end. `by`: the proctors, empty when the service reset them by `rule` R54."""

    reset_kind: ResetKind
    machine: str | None
    to: str | None
    reason: ResetReason
    note: str = ""
    by: Proctors
    rule: str = "R24"
    # Which spares are free changes on the rows of the machine left and the one promised.

    @property
    def machines(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for m in (self.machine, self.to) if m))


# -- proctors and alerts --------------------------------------------------------------------------


class ProctorsSignedIn(Event, frozen=True, kw_only=True):
    """The room proctors at the console now; their names go on every command and the report."""

    names: Proctors
    header_wide: ClassVar[bool] = True


class _AboutAlert(Event, frozen=True, kw_only=True):
    alert: int  # 1, 2, … in the order raised
    ticket: str | None = None
    machine: str | None = None

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,) if self.ticket else ()

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,) if self.machine else ()


class AlertRaised(_AboutAlert, frozen=True, kw_only=True):
    alert_kind: AlertKind
    detail: str = ""


class AlertAcknowledged(_AboutAlert, frozen=True, kw_only=True):
    by: Proctors


class IdNumberRevealed(_OneCandidate, frozen=True, kw_only=True):
    """Proctors `by` had a candidate's whole ID number shown (DOMAIN §9: masked elsewhere). The
    number itself goes only in the reply to them, never in the log or to other consoles."""

    by: Proctors


# -- room records (proctor.domain.records) ---------------------------------------------------------


class IdentityChecked(_OneCandidate, frozen=True, kw_only=True):
    """R57 (001 监考规则 第八条): proctors `by` compared the candidate with the ID card, the admission
    ticket and the photo on screen; `matches` False is raised. A later check supersedes."""

    matches: bool
    note: str = ""
    by: Proctors


class LeaveReason(str, Enum):
    """Why a candidate leaves the room for a while (000 附件3 15: the proctors ask and record it)."""

    TOILET = "toilet"
    ILLNESS = "illness"
    OTHER = "other"  # named in the note


class LeftRoom(_OneCandidate, frozen=True, kw_only=True):
    """暂离: the candidate left the room with `escort`, the proctor sent with them (000 附件3 15;
    001 考场规则 第七条)."""

    reason: LeaveReason
    note: str = ""
    escort: Name
    by: Proctors


class ReturnedToRoom(_OneCandidate, frozen=True, kw_only=True):
    """Back from a temporary leave that began at `left_at` (exam time), the ID card checked at
    the door (R32, 000 附件3 15)."""

    left_at: float
    id_checked: bool = True
    by: Proctors


# -- violations (proctor.domain.violations) --------------------------------------------------------


class ViolationCategory(str, Enum):
    """How serious, as 004 附件3 二–四 sorts the acts (R31), under 人社部令第31号."""

    SCORE_VOID = "score_void"  # 当次该科目考试成绩无效
    SERIOUS = "serious"  # 严重违纪违规
    ESPECIALLY_SERIOUS = "especially_serious"  # 特别严重违纪违规


class ViolationAct(str, Enum):
    """What the candidate did, in 004 附件3's words; OTHER is named in the facts."""

    MARKED_ANSWERS = "marked_answers"  # 在电子答卷上作标记或者在非署名处署名
    SWITCHED_OFF_MACHINE = "switched_off_machine"  # 擅自关闭或重启考试机
    MOVED_EQUIPMENT = "moved_equipment"  # 大幅度调整显示屏摆放位置和角度、搬动主机箱
    SWAPPED_OR_DAMAGED_EQUIPMENT = "swapped_or_damaged_equipment"  # 擅自更换或故意损毁机考设施设备
    OWN_DEVICE = "own_device"  # 使用自带外接设备
    CHEATING_TOOL = "cheating_tool"  # 安装作弊工具和程序
    SYSTEM_INTRUSION = "system_intrusion"  # 非法侵入考试系统，获取、删除、修改、增加考试信息系统数据
    OTHER = "other"


class Evidence(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A file attached to a record: kept in the room's evidence folder under its SHA-256."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    sha256: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    size: Annotated[int, msgspec.Meta(ge=1, le=2**31)]


class ViolationRecorded(_OneCandidate, frozen=True, kw_only=True):
    """违纪记录 (R30, 000 附件3 16; 001 监考规则 第十五条): the act, its category (R31), the facts as
    the proctors wrote them, the evidence, and the two proctors who confirm it. `amends`: the
    number of the record this one corrects (that one stays, superseded)."""

    number: int
    act: ViolationAct
    category: ViolationCategory
    facts: str
    evidence: tuple[Evidence, ...] = ()
    confirmed_by: Proctors
    amends: int | None = None
    by: Proctors


# -- leaving and submissions (proctor.domain.submissions) -----------------------------------------


class CandidateGaveUp(_OneCandidate, frozen=True, kw_only=True):
    """放弃考试: the candidate gives up the sitting; what they saved stays. R53 (004 附件2 二): they
    stay enclosed until the room closes."""

    reason: str
    by: Proctors


class SubmissionUndone(_OneCandidate, frozen=True, kw_only=True):
    """A submission made by mistake is undone with the chief examiner's consent: the candidate
    answers on until their own end."""

    reason: str
    approved_by: Name
    by: Proctors


class SubmittedByProctors(_OneCandidate, frozen=True, kw_only=True):
    """The proctors submit for a candidate whose exam machine cannot (after the earliest
    submission time), with the chief examiner's consent."""

    reason: str
    approved_by: Name
    by: Proctors


# -- notices to exam machines (proctor.domain.notices) ---------------------------------------------


class NoticeKind(str, Enum):
    CORRECTION = "correction"  # a question corrected (002 第二十二条)
    REMINDER = "reminder"  # the reminder before the end (R12, 001 监考规则 第十二条)
    INCIDENT = "incident"  # what the candidates must know about an incident
    OTHER = "other"


class NoticeSent(Event, frozen=True, kw_only=True):
    """通知 number `number` to the exam machines `targets`, shown to the candidates; each machine
    acknowledges it (NoticeAcknowledged). One that is offline gets it when it comes back."""

    number: int
    notice_kind: NoticeKind
    text: str
    targets: tuple[str, ...]
    by: Proctors
    # The header lists the notices; each acknowledgement then updates its row.
    header_wide: ClassVar[bool] = True


class NoticeAcknowledged(Event, frozen=True, kw_only=True):
    """Exam machine `machine` showed notice `number` to its candidate."""

    number: int
    machine: str

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


# -- the room check list before the start (proctor.domain.readiness) -------------------------------


class ReadinessItem(str, Enum):
    """考前检查: what the proctors check and tick before the start, each with its rule row."""

    MACHINES_AT_LOGIN = "machines_at_login"  # R04: machines on, at the login screen (000 附件3 2)
    SPARES = "spares"  # R01: about 5% spare machines (001 考务规则 第七条)
    PAPERS_IMPORTED = "papers_imported"  # R03: papers imported an hour before (001 考务规则 第十一条)
    PROCTORS = "proctors"  # R02: proctors for the room's size (001 监考规则 第二条)
    PACKAGE_CHECKED = "package_checked"  # R55: the room's data checked by its code (004 附件2 一 问题一)


class ReadinessTicked(Event, frozen=True, kw_only=True):
    """A check-list item ticked: what the room showed then (`facts`), whether that met the rule,
    and, when it did not, what the proctors did about it (`note`)."""

    item: ReadinessItem
    met: bool
    facts: str
    note: str = ""
    by: Proctors
    header_wide: ClassVar[bool] = True


# -- overbooked rooms (proctor.domain.overbooking) --------------------------------------------------


class SeatAssigned(_OneCandidate, frozen=True, kw_only=True):
    """考场超排 (R34, 004 附件4 三(一)): a proctor sent the candidate to `machine`, chosen at random
    among the free ones. The system binds nothing: the candidate may log in at any free machine."""

    machine: str
    by: Proctors

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


# -- the console lock (proctor.domain.console_lock) -------------------------------------------------


class ConsoleLocked(Event, frozen=True, kw_only=True):
    """The proctors stepped away and locked the console (its unlock code stays on the console)."""

    by: Proctors
    header_wide: ClassVar[bool] = True


class ConsoleUnlocked(Event, frozen=True, kw_only=True):
    """Unlocked with the code set at the lock (`how` "code"), or, on a console that does not hold
    it (restarted meanwhile), by the proctors signing in again (`how` "sign_in")."""

    how: Literal["code", "sign_in"]
    by: Proctors
    header_wide: ClassVar[bool] = True


class ConsoleUnlockFailed(Event, frozen=True, kw_only=True):
    """A wrong unlock code, the `attempt`-th since the lock."""

    attempt: int


# -- transfers between rooms (proctor.domain.transfers) ---------------------------------------------


class TransferredOut(_OneCandidate, frozen=True, kw_only=True):
    """调出 (R35, 004 附件4 三(二)): the room overflows; the candidate is sent to another room of
    the site and cannot log in here. The room that claims them first receives them (R35)."""

    reason: str
    by: Proctors


class TransferReceived(_OneCandidate, frozen=True, kw_only=True):
    """Room `to_room` of the site received the candidate transferred out of this one (once)."""

    to_room: Name


class TransferResolved(_OneCandidate, frozen=True, kw_only=True):
    """R36: a candidate transferred out and received by no room, settled by this room before the
    end: `sat` whether they sat the exam elsewhere (as the site's staff found), with a note."""

    sat: bool
    note: str
    by: Proctors


class TransferredIn(_OneCandidate, frozen=True, kw_only=True):
    """调入: a candidate of another room of the site, received here; they log in with their ticket
    and ID number. The ID number is kept only masked and as a digest (DOMAIN §9)."""

    from_room: Name
    name: str
    gender: str
    id_masked: str
    id_digest: str
    by: Proctors
    # A new row in the room: consoles take the room.
    room_wide: ClassVar[bool] = True


# -- a stopped exam and the candidates' choices (proctor.domain.stopping) --------------------------


class ExamStopped(Event, frozen=True, kw_only=True):
    """停止考试: the exam office stopped the sitting in this room (CPA 003 一、七: 财政部考办 decides
    after a fault unsolved within 50 minutes); `directed_by` who gave the word. What every
    candidate saved stays; nobody answers on."""

    sitting: int
    directed_by: Name
    reason: str
    by: Proctors
    room_wide: ClassVar[bool] = True


class StopChoice(str, Enum):
    RETAKE = "retake"  # 参加另行组织的考试
    REFUND = "refund"  # 退还受影响科目的考试报名费


class ChoiceRegistered(_OneCandidate, frozen=True, kw_only=True):
    """R46 (003 七): an affected candidate registered at the room which the office's offers they take."""

    choice: StopChoice
    by: Proctors


# -- incidents (proctor.domain.incidents, resources/flows) ------------------------------------------


class IncidentOpened(Event, frozen=True, kw_only=True):
    """An incident (突发事件) the proctors handle by the flowchart `flow`, for the candidates named
    (empty: the whole room); its first step is `step`."""

    number: int
    flow: Name
    title: str
    candidates: tuple[str, ...] = ()
    step: Name
    by: Proctors
    header_wide: ClassVar[bool] = True

    @property
    def tickets(self) -> tuple[str, ...]:
        return self.candidates


class IncidentStep(Event, frozen=True, kw_only=True):
    """Step `step` of incident `number` done (`answer`: the question's answer, a timer's `done` or
    `expired`); the next is `next`. `lost`: where the next step gives extra time, the minutes each
    affected candidate lost, as measured then (proctor.domain.incidents.measured_lost)."""

    number: int
    step: Name
    answer: str = ""
    next: Name
    by: Proctors
    lost: dict[str, int] | None = None
    note: str = ""  # what the proctors wrote: whom they called, what was said
    header_wide: ClassVar[bool] = True


class IncidentClosed(Event, frozen=True, kw_only=True):
    """The incident reached its outcome `outcome`; `report`: the words that go into the report."""

    number: int
    outcome: Name
    report: str
    by: Proctors
    header_wide: ClassVar[bool] = True


# -- the end of the exam (proctor.domain.closing) ---------------------------------------------------


class ClosingItem(str, Enum):
    """结束考试's check list (R27, 004 附件2 一(二) 问题三 第一步): two the room shows by itself,
    three the proctors tick once they have looked."""

    SITTING_OVER = "sitting_over"  # every candidate's time over and their answers in (standalone ones too)
    TRANSFERS_RESOLVED = "transfers_resolved"  # R36: each transferred out received or settled
    ABSENCES_REVIEWED = "absences_reviewed"  # 核对缺考记录
    VIOLATIONS_REVIEWED = "violations_reviewed"  # 核对违纪记录
    EXCEPTIONS_REVIEWED = "exceptions_reviewed"  # not submitted, zero or few answers, machines offline
    ANSWER_SETS_MATCH = "answer_sets_match"  # 回收作答数据人数 = the candidates who sat


class ClosingTicked(Event, frozen=True, kw_only=True):
    sitting: int
    item: ClosingItem
    facts: str
    by: Proctors
    header_wide: ClassVar[bool] = True


class ExamEnded(Event, frozen=True, kw_only=True):
    """结束考试 for sitting `sitting`, every item of the check list met (`facts`, one line each)."""

    sitting: int
    facts: tuple[str, ...]
    by: Proctors
    header_wide: ClassVar[bool] = True


class RemarkRecorded(Event, frozen=True, kw_only=True):
    """A remark (备注) the proctors `by` wrote for the room report (000 附件3 18: they fill in the
    report); printed under 备注 with its time and their names."""

    text: Annotated[str, msgspec.Meta(max_length=1000)]
    by: Proctors


class FormIssued(Event, frozen=True, kw_only=True):
    """A printed form of the room (proctor.report: the room report, violation sheets, transfer
    slip, one incident) given to the proctors `by` to preview, print or save. It holds the full
    ID numbers of the candidates in it, so who took it is recorded, and the last event it reads
    (`upto`: the digest it prints)."""

    form: Name
    incident: int = 0
    upto: int
    by: Proctors


class BackupMade(Event, frozen=True, kw_only=True):
    """The room's data (log, answers, evidence), encrypted under the room's key (R56), written to
    `path` on the proctor machine (R15: within 30 minutes of the end)."""

    sitting: int
    path: Annotated[str, msgspec.Meta(max_length=1000)]
    sha256: str
    size: int
    by: Proctors
    header_wide: ClassVar[bool] = True


# -- start and delayed start (proctor.domain.start) ---------------------------------------------


class StartDelayReason(str, Enum):
    """Why the sitting cannot start on time [004 附件2 二(一): 停电、网络故障等]."""

    POWER = "power"  # 停电
    NETWORK = "network"  # 网络故障
    OTHER = "other"  # another cause, named in the note


class StartDelayed(Event, frozen=True, kw_only=True):
    """The sitting starts `minutes` after its scheduled (统一) start, at `start` (was `previous`):
    R16 with the city exam office's `consent` (the person who consented), R17 with the
    provincial `code` answering `request` (printed on the room report). A later one for the same
    sitting replaces the delay."""

    sitting: int
    minutes: int
    start: float
    previous: float
    reason: StartDelayReason
    note: str = ""
    consent: str | None = None
    request: str | None = None
    code: str | None = None
    by: Proctors
    # Every candidate's start, deadlines and end move: consoles take the room.
    room_wide: ClassVar[bool] = True


# -- standalone exam 单机考试 (proctor.domain.standalone, docs/standalone.md) ----------------------


class _Standalone(_OneCandidate, frozen=True, kw_only=True):
    package_id: str  # 32 hex digits, fresh per export
    machine: str  # the exam machine the package is sealed for
    # The header lists the packages out.
    header_wide: ClassVar[bool] = True

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class StandaloneExported(_Standalone, frozen=True, kw_only=True):
    """R25 (004 附件2 二(四)): with the chief examiner's consent, the candidate goes on offline on
    `machine` from the acknowledged answers up to `last_seq`, with `remaining_s` left. `digest`:
    SHA-256 of the sealed package file. No online machine saves for them from here on."""

    chief: Name
    reason: str
    remaining_s: float
    last_seq: int
    digest: str
    by: Proctors
    previous: str | None = None  # the machine they answered on, told they went standalone

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine, self.previous) if self.previous and self.previous != self.machine else (self.machine,)


class StandaloneRecovered(_Standalone, frozen=True, kw_only=True):
    """R26: the offline machine's result merged: saves `first_seq`..`last_seq` (none when
    `saves` is 0) appended as AnswerSaved before this event. `digest`: SHA-256 of the result file."""

    digest: str
    saves: int
    first_seq: int
    last_seq: int
    by: Proctors


class StandaloneWrittenOff(_Standalone, frozen=True, kw_only=True):
    """R26: a package whose answers cannot be brought back, recorded by two proctors with the
    reason, so that the sitting can end."""

    reason: str
    by: Proctors


AnyEvent = (
    ServiceStarted
    | ScheduleShifted
    | ClockStepped
    | SittingStarted
    | SignInClosed
    | SittingEnded
    | MachineOnline
    | MachineOffline
    | MachineClockMoved
    | CandidateLoggedIn
    | DuplicateLoginAttempt
    | AnswerSaved
    | SavesMissing
    | CandidateSubmitted
    | ProctorsSignedIn
    | AlertRaised
    | AlertAcknowledged
    | IdNumberRevealed
    | AuthorizationRequested
    | AuthorizationCodeRejected
    | ExtraTimeGranted
    | IdentityChecked
    | LeftRoom
    | ReturnedToRoom
    | ViolationRecorded
    | CandidateGaveUp
    | SubmissionUndone
    | SubmittedByProctors
    | NoticeSent
    | NoticeAcknowledged
    | ReadinessTicked
    | ClosingTicked
    | ExamEnded
    | BackupMade
    | FormIssued
    | RemarkRecorded
    | SeatAssigned
    | StartDelayed
    | StandaloneExported
    | StandaloneRecovered
    | StandaloneWrittenOff
    | CandidateReset
    | ConsoleLocked
    | ConsoleUnlocked
    | ConsoleUnlockFailed
    | TransferredOut
    | TransferReceived
    | TransferResolved
    | TransferredIn
    | ExamStopped
    | ChoiceRegistered
    | IncidentOpened
    | IncidentStep
    | IncidentClosed
)
EVENT_TYPES: tuple[type[Event], ...] = AnyEvent.__args__  # type: ignore[attr-defined]

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(AnyEvent)


def encode_event(e: Event) -> bytes:
    """The one encoding of an event: what the log stores and hashes, and what consoles receive."""
    return _encoder.encode(e)


def decode_event(data: bytes | str) -> Event:
    return _decoder.decode(data)
