"""What a console may ask of the room service: one typed command each, tagged by `"c"`.

The same structs are decoded from the wire, built by the `proctor do` command line and passed
to the rules. A `reads`-only command (a query) changes nothing and needs no signed-in proctor.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

from .events import (
    ClosingItem,
    Evidence,
    ExtraTimeReason,
    LeaveReason,
    Name,
    NoticeKind,
    ReadinessItem,
    ResetKind,
    ResetReason,
    StartDelayReason,
    StopChoice,
    ViolationAct,
    ViolationCategory,
)

Count = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Ticket = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class Command(msgspec.Struct, tag_field="c", frozen=True, kw_only=True, forbid_unknown_fields=True):
    reads_only: ClassVar[bool] = False
    help: ClassVar[str] = ""


class SignInProctors(Command, tag="sign_in_proctors", frozen=True, kw_only=True):
    names: Annotated[tuple[Name, ...], msgspec.Meta(max_length=12)]
    help: ClassVar[str] = "the room proctors sign in at the console (their names go on every record)"


class AcknowledgeAlert(Command, tag="acknowledge_alert", frozen=True, kw_only=True):
    alert: Annotated[int, msgspec.Meta(ge=1, le=2**31)]
    help: ClassVar[str] = "a proctor has seen an alert and deals with it"


class RevealIdNumber(Command, tag="reveal_id_number", frozen=True, kw_only=True):
    """The reply carries the candidate's whole ID number; the log records who asked, not the number."""

    ticket: Ticket
    help: ClassVar[str] = "show a candidate's whole ID number to the proctors (recorded with their names)"


class History(Command, tag="history", frozen=True, kw_only=True):
    """The room's events in order after `after` (a page of at most `limit`), or one candidate's."""

    ticket: Ticket | None = None
    after: Count = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 200
    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "the room's event history in pages, or one candidate's timeline"


Tickets = Annotated[tuple[Ticket, ...], msgspec.Meta(min_length=1, max_length=200)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]  # whole minutes; the tiers bound them further
Note = Annotated[str, msgspec.Meta(max_length=200)]


class RequestAuthorization(Command, tag="request_authorization", frozen=True, kw_only=True):
    """Ask the provincial office for a code: the reply's `request` is what a proctor reads to it.
    Extra time names its `tickets`; a delayed start names none (the code is for the sitting)."""

    op: Literal["extra_time", "delayed_start"] = "extra_time"
    tickets: Tickets | None = None
    minutes: Minutes
    help: ClassVar[str] = "ask for a provincial authorization code (the reply is the request code to read out)"


class GrantExtraTime(Command, tag="grant_extra_time", frozen=True, kw_only=True):
    """Extra time (补时) for one candidate or a group, with its reason (R19-R22); above the
    direct tier only with the provincial `code` answering `request`."""

    tickets: Tickets
    minutes: Minutes
    reason: ExtraTimeReason
    note: Note = ""
    request: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    code: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    help: ClassVar[str] = "give candidates extra time for time lost through no fault of theirs (R19-R22)"


# -- room records (proctor.domain.records) ---------------------------------------------------------


class CheckIdentity(Command, tag="check_identity", frozen=True, kw_only=True):
    """R57: the proctors compared the candidate with the ID card, the ticket and the photo."""

    ticket: Ticket
    matches: bool
    note: Note = ""
    help: ClassVar[str] = "record a candidate's identity check against the photo and ID card (R57)"


class LeaveRoom(Command, tag="leave_room", frozen=True, kw_only=True):
    """暂离: the candidate leaves the room for a while, with a proctor sent along."""

    ticket: Ticket
    reason: LeaveReason
    escort: Name
    note: Note = ""
    help: ClassVar[str] = "record that a candidate left the room for a while, and who went with them"


class ReturnToRoom(Command, tag="return_to_room", frozen=True, kw_only=True):
    """R32: the proctors checked the candidate's ID card on the way back in."""

    ticket: Ticket
    id_checked: bool
    help: ClassVar[str] = "record that a candidate came back from a temporary leave, their ID card checked (R32)"


# -- violations (proctor.domain.violations) --------------------------------------------------------

Sha256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]


class AddEvidence(Command, tag="add_evidence", frozen=True, kw_only=True):
    """One part of an evidence file (base64, at most 96 KiB raw each), kept in the room's evidence
    folder once all parts are in and their hash is `sha256`. A record then attaches it by hash."""

    sha256: Sha256
    size: Annotated[int, msgspec.Meta(ge=1, le=2**31)]  # the service says when it is too large
    part: Annotated[int, msgspec.Meta(ge=0, le=127)]
    parts: Annotated[int, msgspec.Meta(ge=1, le=128)]
    data: Annotated[str, msgspec.Meta(max_length=131_072)]
    help: ClassVar[str] = "send one part of an evidence file for a record (the console sends whole files)"


class RecordViolation(Command, tag="record_violation", frozen=True, kw_only=True):
    """违纪记录 (R30, R31): confirmed by two proctors signed in; `amends` names the record corrected."""

    ticket: Ticket
    act: ViolationAct
    category: ViolationCategory | None = None  # only for OTHER: the act decides it otherwise
    facts: Annotated[str, msgspec.Meta(max_length=4000)]
    evidence: Annotated[tuple[Evidence, ...], msgspec.Meta(max_length=20)] = ()
    confirmed_by: Annotated[tuple[Name, ...], msgspec.Meta(max_length=12)]
    amends: Annotated[int, msgspec.Meta(ge=1, le=2**31)] | None = None
    help: ClassVar[str] = "record a violation with its facts and evidence, confirmed by two proctors (R30, R31)"


# -- leaving and submissions (proctor.domain.submissions) -----------------------------------------


class GiveUp(Command, tag="give_up", frozen=True, kw_only=True):
    """放弃考试 (R53)."""

    ticket: Ticket
    reason: Note
    help: ClassVar[str] = "record that a candidate gives up the sitting (R53: enclosed until the room closes)"


class UndoSubmit(Command, tag="undo_submit", frozen=True, kw_only=True):
    ticket: Ticket
    reason: Note
    approved_by: Name  # the chief examiner
    help: ClassVar[str] = "undo a candidate's submission made by mistake, with the chief examiner's consent"


class ForceSubmit(Command, tag="force_submit", frozen=True, kw_only=True):
    ticket: Ticket
    reason: Note
    approved_by: Name  # the chief examiner
    help: ClassVar[str] = "submit for a candidate whose exam machine cannot, with the chief examiner's consent"


# -- notices (proctor.domain.notices) -----------------------------------------------------------------
# -- reset (重置) ---------------------------------------------------------------------------------

MachineId = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class SendNotice(Command, tag="send_notice", frozen=True, kw_only=True):
    """通知 to every exam machine of the room (`machines` None) or to those named."""

    kind: NoticeKind = NoticeKind.OTHER
    text: Annotated[str, msgspec.Meta(max_length=500)]
    machines: Annotated[tuple[MachineId, ...], msgspec.Meta(max_length=2000)] | None = None
    help: ClassVar[str] = "send a notice to all exam machines, or those named, to show the candidates"


# -- the room check list before the start (proctor.domain.readiness) -------------------------------


class Readiness(Command, tag="readiness", frozen=True, kw_only=True):
    """Each check-list item as the room shows it now, with its tick."""

    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "the room check list before the start, as the room shows it now"


class TickReadiness(Command, tag="tick_readiness", frozen=True, kw_only=True):
    item: ReadinessItem
    note: Note = ""
    code: Annotated[str, msgspec.Meta(max_length=32)] = ""  # R55: the code read from the arrangement
    help: ClassVar[str] = "tick an item of the check list before the start (R01-R04, R55)"


# -- overbooked rooms (proctor.domain.overbooking) --------------------------------------------------


class AssignSeat(Command, tag="assign_seat", frozen=True, kw_only=True):
    """R34: a free exam machine for an arrival in an overbooked room, chosen at random."""

    ticket: Ticket
    help: ClassVar[str] = "seat an arrival in an overbooked room at a free machine chosen at random (R34)"


# -- the console lock (proctor.domain.console_lock) -------------------------------------------------


class LockConsole(Command, tag="lock_console", frozen=True, kw_only=True):
    help: ClassVar[str] = "record that the proctors locked the console as they stepped away"


class UnlockConsole(Command, tag="unlock_console", frozen=True, kw_only=True):
    """`how`: "code" (the console checked the code it holds) or "sign_in" (two proctors again)."""

    how: Literal["code", "sign_in"] = "code"
    help: ClassVar[str] = "record that the console was unlocked"


class UnlockFailed(Command, tag="unlock_failed", frozen=True, kw_only=True):
    help: ClassVar[str] = "record a wrong unlock code typed at the console"


# -- transfers between rooms (proctor.domain.transfers) ---------------------------------------------


class TransferOut(Command, tag="transfer_out", frozen=True, kw_only=True):
    """调出 (R35): the overbooked room is full; the arrival goes to another room of the site."""

    ticket: Ticket
    reason: Note
    help: ClassVar[str] = "transfer an arrival out of an overflowing overbooked room (R35)"


class TransferIn(Command, tag="transfer_in", frozen=True, kw_only=True):
    """调入: receive a candidate `from_room` transferred out; its service at `from_url` decides."""

    from_room: Name
    from_url: Annotated[str, msgspec.Meta(min_length=6, max_length=200, pattern="^wss://")]
    ticket: Ticket
    help: ClassVar[str] = "receive a candidate another room of the site transferred out (调入)"


class ResolveTransfer(Command, tag="resolve_transfer", frozen=True, kw_only=True):
    """R36: a candidate transferred out that no room received, settled before the end."""

    ticket: Ticket
    sat: bool
    note: Note
    help: ClassVar[str] = "settle a transfer no room received: did the candidate sit elsewhere (R36)"


class TransferSlip(Command, tag="transfer_slip", frozen=True, kw_only=True):
    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "the transfer slip: every candidate moved in or out of this room (R37)"


class RecordRemark(Command, tag="record_remark", frozen=True, kw_only=True):
    """A remark (备注) for the room report, in the proctors' own words."""

    text: Annotated[str, msgspec.Meta(max_length=1000)]
    help: ClassVar[str] = "add a remark (备注) to the room report, recorded with the proctors' names"


class RoomForm(Command, tag="room_form", frozen=True, kw_only=True):
    """One of the room's printed forms as HTML, built from the room's log (docs/architecture.md,
    "The room report"): the reply's `html` is painted onto A4 by the console (`qr`: the image
    the page names -> the text of its QR code). `incident` names the incident of that form. The
    forms hold full ID numbers: signed-in proctors only, recorded (FormIssued)."""

    form: Literal["report", "violations", "transfers", "incident"]
    incident: Annotated[int, msgspec.Meta(ge=0, le=2**31)] = 0
    help: ClassVar[str] = "a printed form of the room (report, violations, transfers, incident N) as HTML (recorded)"


# -- a stopped exam (proctor.domain.stopping) ----------------------------------------------------------


class StopExam(Command, tag="stop_exam", frozen=True, kw_only=True):
    """停止考试 as the exam office directs (CPA 003 一、七)."""

    directed_by: Name
    reason: Note
    help: ClassVar[str] = "record that the exam office stopped the exam in this room (CPA 003 一、七)"


class RegisterChoice(Command, tag="register_choice", frozen=True, kw_only=True):
    ticket: Ticket
    choice: StopChoice
    help: ClassVar[str] = "an affected candidate's choice after a stop: retake or refund (R46)"


# -- incidents (proctor.domain.incidents) -----------------------------------------------------------


class OpenIncident(Command, tag="open_incident", frozen=True, kw_only=True):
    """An incident handled by the flowchart `flow` (resources/flows), for these candidates."""

    flow: Name
    tickets: Annotated[tuple[Ticket, ...], msgspec.Meta(max_length=2000)] = ()
    help: ClassVar[str] = "open an incident, handled step by step by its flowchart"


class AnswerIncident(Command, tag="answer_incident", frozen=True, kw_only=True):
    """The current step of incident `number` done: a question's answer, a timer's done/expired."""

    number: Annotated[int, msgspec.Meta(ge=1, le=2**31)]
    answer: Annotated[str, msgspec.Meta(max_length=32)] = ""
    note: Note = ""  # e.g. a report up: whom, by which telephone, what they said
    help: ClassVar[str] = "answer the current step of an incident's flowchart"


class ScoreDrill(Command, tag="score_drill", frozen=True, kw_only=True):
    """The score of drill `drill` (resources/drills) held against the room's log (演练评分)."""

    drill: Name
    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "score a drill (演练) against what the room's log shows was done"


# -- the end of the exam (proctor.domain.closing) ---------------------------------------------------


class Closing(Command, tag="closing", frozen=True, kw_only=True):
    """The end-of-exam check list of the sitting to end, as the room shows it now."""

    reads_only: ClassVar[bool] = True
    help: ClassVar[str] = "the end-of-exam check list (R27), as the room shows it now"


class TickClosing(Command, tag="tick_closing", frozen=True, kw_only=True):
    item: ClosingItem
    help: ClassVar[str] = "the proctors have reviewed an item of the end-of-exam check list (R27)"


class EndExam(Command, tag="end_exam", frozen=True, kw_only=True):
    help: ClassVar[str] = "结束考试: end the sitting's exam once its check list is complete (R27)"


class MakeBackup(Command, tag="make_backup", frozen=True, kw_only=True):
    """Into `folder` on the proctor machine (an absolute path: the USB stick's)."""

    folder: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    help: ClassVar[str] = "back up the room's data, encrypted, into a folder on the proctor machine (R15, R56)"


# -- start and delayed start (proctor.domain.start) -------------------------------------------------


class DelayStart(Command, tag="delay_start", frozen=True, kw_only=True):
    """Delayed start (延时开考) of the current sitting, before it has started: `minutes` in all
    after its scheduled start, with the city's `consent` (≤30, R16) or the provincial `code`
    answering `request` (≤60, R17); later is refused (R18). A second one replaces the first."""

    minutes: Minutes
    reason: StartDelayReason
    note: Note = ""
    consent: Name | None = None
    request: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    code: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    help: ClassVar[str] = "delay the sitting's start before it starts (R16-R18): minutes after the scheduled start"


# -- standalone exam 单机考试 (proctor.domain.standalone, docs/standalone.md) ----------------------

# A result file: the offline machine's saves, each bounded like an online save. 4 MiB holds a
# sitting's worth; the console's link takes a request of this size (base64) and no more.
RESULT_MAX_BYTES = 4 * 1024 * 1024
PackageId = Annotated[str, msgspec.Meta(min_length=32, max_length=32, pattern="^[0-9a-f]{32}$")]
# Empty is the rules' to refuse, in words (R25, R26), not the decoder's.
Reason = Annotated[str, msgspec.Meta(max_length=200)]


class ExportStandalone(Command, tag="export_standalone", frozen=True, kw_only=True):
    """R25: the candidate goes on offline on `machine`, with the chief examiner's consent. The
    reply's `package` is the sealed package file (bytes)."""

    ticket: Ticket
    machine: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    chief: Annotated[str, msgspec.Meta(max_length=32)]  # the chief examiner (主考) who consented
    reason: Reason
    help: ClassVar[str] = "export a candidate's standalone package for an exam machine (chief examiner's consent, R25)"


class ImportStandaloneResult(Command, tag="import_standalone_result", frozen=True, kw_only=True):
    """R26: the offline machine's sealed result file, merged into the log."""

    result: Annotated[bytes, msgspec.Meta(min_length=1, max_length=RESULT_MAX_BYTES)]
    help: ClassVar[str] = "recover a standalone exam's answers from its result file (R26)"


class WriteOffStandalone(Command, tag="write_off_standalone", frozen=True, kw_only=True):
    """R26: a package whose answers cannot be recovered, recorded by two proctors (`by`)."""

    package_id: PackageId
    reason: Reason
    help: ClassVar[str] = "record a standalone package as unrecoverable (two proctors, R26)"


class ResetCandidate(Command, tag="reset_candidate", frozen=True, kw_only=True):
    """Reset (重置) a candidate off a failed machine (R24): `resume` on the free spare `machine`,
    or `restart` on their own machine (`machine` omitted or the same)."""

    ticket: Ticket
    kind: ResetKind = ResetKind.RESUME
    machine: MachineId | None = None
    reason: ResetReason
    note: Note = ""
    help: ClassVar[str] = "reset a candidate onto a free spare machine, or their own after a restart (R24)"


AnyCommand = (
    SignInProctors
    | AcknowledgeAlert
    | RevealIdNumber
    | History
    | RequestAuthorization
    | GrantExtraTime
    | CheckIdentity
    | LeaveRoom
    | ReturnToRoom
    | AddEvidence
    | RecordViolation
    | GiveUp
    | UndoSubmit
    | ForceSubmit
    | SendNotice
    | Readiness
    | TickReadiness
    | Closing
    | TickClosing
    | EndExam
    | MakeBackup
    | AssignSeat
    | DelayStart
    | ExportStandalone
    | ImportStandaloneResult
    | WriteOffStandalone
    | ResetCandidate
    | LockConsole
    | UnlockConsole
    | UnlockFailed
    | TransferOut
    | TransferIn
    | ResolveTransfer
    | TransferSlip
    | RoomForm
    | RecordRemark
    | StopExam
    | RegisterChoice
    | OpenIncident
    | AnswerIncident
    | ScoreDrill
)
COMMAND_TYPES: tuple[type[Command], ...] = AnyCommand.__args__  # type: ignore[attr-defined]


def command_name(cmd: type[Command] | Command) -> str:
    return (cmd if isinstance(cmd, type) else type(cmd)).__struct_config__.tag  # type: ignore[return-value]
