"""The operations a proctor or technician applies, in one table: the 操作 menu, the seat map's
context menu and the candidate panel's buttons are all built from it, so an operation is added
in one place. Which candidates an operation applies to is the rules' (each `applies_to` comes
from `proctor.domain`); the service decides again when it is asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from proctor.domain import extra_time, records, reset, standalone, stopping, submissions, transfers, violations
from proctor.domain.room import State
from proctor.link.console_client import ConsoleClient, RoomView

from .i18n import translate

CandidateDialog = Callable[[RoomView, ConsoleClient | None, list[str], QWidget], QDialog]
RoomDialog = Callable[[RoomView, ConsoleClient | None, QWidget], QDialog]


def _extra_time(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .extra_time_dialog import ExtraTimeDialog

    return ExtraTimeDialog(view, client, tickets, parent)


def _identity(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .identity_dialog import IdentityDialog

    return IdentityDialog(view, client, tickets[0], parent, photos=getattr(parent, "photos", None))


def _leave(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .leave_dialog import LeaveDialog

    return LeaveDialog(view, client, tickets[0], parent)


def _violation(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .violation_dialog import ViolationDialog

    return ViolationDialog(view, client, tickets[0], parent)


def _give_up(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .submission_dialogs import GiveUpDialog

    return GiveUpDialog(view, client, tickets[0], parent)


def _submission(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .submission_dialogs import SubmissionDialog

    return SubmissionDialog(view, client, tickets[0], parent)


def _readiness(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .readiness_dialog import ReadinessDialog

    return ReadinessDialog(view, client, parent)


def _closing(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .closing_dialog import ClosingDialog

    return ClosingDialog(view, client, parent)


def _incident(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .incident_guide import IncidentGuide

    return IncidentGuide(view, client, parent)


def _notice(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .notice_dialog import NoticeDialog

    chosen = getattr(parent, "selected_machines", lambda: [])()
    return NoticeDialog(view, client, parent, machines=chosen)


def _seat(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .seat_dialog import SeatDialog

    return SeatDialog(view, client, tickets[0], parent)


def _transfer_out(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .transfer_dialogs import TransferOutDialog

    return TransferOutDialog(view, client, tickets[0], parent)


def _transfer_slip(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .transfer_slip import TransferSlipDialog

    return TransferSlipDialog(view, client, parent)


def _transfer_in(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .transfer_dialogs import TransferInDialog

    return TransferInDialog(view, client, parent)


def _stop(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .stop_dialogs import StopDialog

    return StopDialog(view, client, parent)


def _choice(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .stop_dialogs import ChoiceDialog

    return ChoiceDialog(view, client, tickets[0], parent)


@dataclass(frozen=True)
class CandidateOperation:
    """An operation on one candidate, or on several selected at once when `group`."""

    name: str  # stem of the widgets' object names: "extraTime" → extraTimeAction, extraTimeButton, tileExtraTime
    text: Callable[[], str]  # translated when asked: the language may change while the console runs
    tooltip: Callable[[], str]
    key: str
    applies_to: frozenset[State]
    dialog: CandidateDialog
    group: bool = False
    # Whether it applies besides its states, from the candidate's flags (the rules' own test).
    also_applies: Callable[[list[str]], bool] | None = None
    # Only in a room like this (from the room's header): e.g. an overbooked one.
    room_has: Callable[[dict[str, Any]], bool] | None = None

    def shortcut(self) -> QKeySequence:
        return QKeySequence(self.key)

    def applies(self, row: dict[str, Any] | None, header: dict[str, Any] | None = None) -> bool:
        """Whether the operation applies to the candidate whose row this is, in this room."""
        if not row or (self.room_has is not None and not self.room_has(header or {})):
            return False
        if row.get("state") in {s.value for s in self.applies_to}:
            return True
        return self.also_applies is not None and self.also_applies(list(row.get("flags") or ()))


@dataclass(frozen=True)
class RoomOperation:
    """An operation on the room or the sitting, in the 操作 menu only."""

    name: str
    text: Callable[[], str]
    tooltip: Callable[[], str]
    key: str
    dialog: RoomDialog

    def shortcut(self) -> QKeySequence:
        return QKeySequence(self.key)


EXTRA_TIME = CandidateOperation(
    name="extraTime",
    text=lambda: translate("Operations", "Extra time…"),
    tooltip=lambda: translate(
        "Operations", "Extra time for time lost to a fault, for one candidate or those selected (R19–R23)"
    ),
    key="Ctrl+T",
    applies_to=extra_time.APPLIES_TO,
    dialog=_extra_time,
    group=True,
)

IDENTITY = CandidateOperation(
    name="identity",
    text=lambda: translate("Operations", "Identity check…"),
    tooltip=lambda: translate(
        "Operations", "Record the check of the candidate against the ID card, the ticket and the photo (R57)"
    ),
    key="Ctrl+K",
    applies_to=records.IDENTITY_APPLIES_TO,
    dialog=_identity,
)

LEAVE = CandidateOperation(
    name="leave",
    text=lambda: translate("Operations", "Temporary leave…"),
    tooltip=lambda: translate(
        "Operations", "Record that the candidate leaves the room with a proctor, or comes back (000 附件3 15)"
    ),
    key="Ctrl+J",
    applies_to=records.LEAVE_APPLIES_TO,
    dialog=_leave,
    also_applies=records.is_away,
)

VIOLATION = CandidateOperation(
    name="violation",
    text=lambda: translate("Operations", "Violation record…"),
    tooltip=lambda: translate(
        "Operations", "Record a violation: the facts, the evidence, two proctors confirming (R30, R31)"
    ),
    key="Ctrl+G",
    applies_to=violations.APPLIES_TO,
    dialog=_violation,
)

GIVE_UP = CandidateOperation(
    name="giveUp",
    text=lambda: translate("Operations", "Gives up…"),
    tooltip=lambda: translate("Operations", "Record that the candidate gives up the exam (R53)"),
    key="Ctrl+Shift+G",
    applies_to=submissions.GIVE_UP_APPLIES_TO,
    dialog=_give_up,
)

SUBMISSION = CandidateOperation(
    name="submission",
    text=lambda: translate("Operations", "Correct the submission…"),
    tooltip=lambda: translate(
        "Operations", "Undo a submission made by mistake, or submit for a candidate whose machine cannot"
    ),
    key="Ctrl+Shift+S",
    applies_to=submissions.UNDO_APPLIES_TO | submissions.FORCE_APPLIES_TO,
    dialog=_submission,
)

SEAT = CandidateOperation(
    name="seat",
    text=lambda: translate("Operations", "Seat at random…"),
    tooltip=lambda: translate(
        "Operations", "Overbooked room: send the arrival to a free machine chosen at random (R34)"
    ),
    key="Ctrl+Shift+A",
    applies_to=frozenset({State.EXPECTED}),
    dialog=_seat,
    room_has=lambda header: bool(header.get("overbooked")),
)

# Start and delayed start (R16-R18).


def _delayed_start(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .delayed_start_dialog import DelayedStartDialog

    return DelayedStartDialog(view, client, parent)


DELAYED_START = RoomOperation(
    name="delayedStart",
    text=lambda: translate("Operations", "Delayed start…"),
    tooltip=lambda: translate(
        "Operations", "Delay the sitting's start before it starts: city consent, provincial code (R16–R18)"
    ),
    key="Ctrl+D",
    dialog=_delayed_start,
)


# -- standalone exam 单机考试 ------------------------------------------------------------------------


def _standalone(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .standalone_dialog import StandaloneExportDialog

    return StandaloneExportDialog(view, client, tickets, parent)


def _standalone_recover(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .standalone_dialog import StandaloneRecoverDialog

    return StandaloneRecoverDialog(view, client, parent)


STANDALONE = CandidateOperation(
    name="standalone",
    text=lambda: translate("Operations", "Standalone exam…"),
    tooltip=lambda: translate(
        "Operations",
        "Export the candidate's standalone package for an exam machine, with the chief examiner's consent (R25)",
    ),
    key="Ctrl+U",
    applies_to=standalone.MAY_GO_STANDALONE,
    dialog=_standalone,
)

STANDALONE_RECOVER = RoomOperation(
    name="standaloneRecover",
    text=lambda: translate("Operations", "Recover standalone answers…"),
    tooltip=lambda: translate(
        "Operations", "Import a standalone exam's result file, or record a lost one as unrecoverable (R26)"
    ),
    key="Ctrl+Shift+U",
    dialog=_standalone_recover,
)


# Reset (重置)


def _reset(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .reset_dialog import ResetDialog

    return ResetDialog(view, client, tickets[0], parent)


RESET = CandidateOperation(
    name="reset",
    text=lambda: translate("Operations", "Reset…"),
    tooltip=lambda: translate(
        "Operations",
        "Reset a candidate off a failed machine: onto a free spare, or the same machine after a restart (R24)",
    ),
    key="Ctrl+E",
    applies_to=reset.APPLIES_TO,
    dialog=_reset,
)

TRANSFER_OUT = CandidateOperation(
    name="transferOut",
    text=lambda: translate("Operations", "Transfer out…"),
    tooltip=lambda: translate(
        "Operations", "Overbooked room full: transfer the arrival to another room; or settle a transfer (R35, R36)"
    ),
    key="Ctrl+Shift+O",
    applies_to=transfers.OUT_APPLIES_TO,
    dialog=_transfer_out,
    room_has=lambda header: bool(header.get("overbooked")),
)

TRANSFER_IN = RoomOperation(
    name="transferIn",
    text=lambda: translate("Operations", "Transfer in…"),
    tooltip=lambda: translate("Operations", "Receive a candidate another room of the site transferred out (R35)"),
    key="Ctrl+Shift+I",
    dialog=_transfer_in,
)

STOP = RoomOperation(
    name="stop",
    text=lambda: translate("Operations", "Stop the exam…"),
    tooltip=lambda: translate("Operations", "Record that the exam office stopped the exam (CPA 003 一、七)"),
    key="Ctrl+Shift+X",
    dialog=_stop,
)

CHOICE = CandidateOperation(
    name="choice",
    text=lambda: translate("Operations", "Choice after the stop…"),
    tooltip=lambda: translate("Operations", "Register the candidate's choice after a stop: retake or refund (R46)"),
    key="Ctrl+Shift+C",
    applies_to=stopping.AFFECTED,
    dialog=_choice,
    room_has=lambda header: bool(header.get("stopped")),
)

TRANSFER_SLIP = RoomOperation(
    name="transferSlip",
    text=lambda: translate("Operations", "Transfer slip…"),
    tooltip=lambda: translate("Operations", "Every candidate moved out of or into this room (R37)"),
    key="Ctrl+Shift+T",
    dialog=_transfer_slip,
)

INCIDENT = RoomOperation(
    name="incident",
    text=lambda: translate("Operations", "Incident guide…"),
    tooltip=lambda: translate("Operations", "Handle an incident step by step by this exam's emergency plan"),
    key="Ctrl+Shift+H",
    dialog=_incident,
)

CANDIDATE_OPERATIONS: tuple[CandidateOperation, ...] = (
    EXTRA_TIME,
    RESET,
    STANDALONE,
    IDENTITY,
    LEAVE,
    VIOLATION,
    GIVE_UP,
    SUBMISSION,
    SEAT,
    TRANSFER_OUT,
    CHOICE,
)
NOTICE = RoomOperation(
    name="notice",
    text=lambda: translate("Operations", "Notice to the exam machines…"),
    tooltip=lambda: translate(
        "Operations", "Send a notice to all exam machines or those of the candidates selected (R12 reminder)"
    ),
    key="Ctrl+Shift+N",
    dialog=_notice,
)

READINESS = RoomOperation(
    name="readiness",
    text=lambda: translate("Operations", "Check list before the start…"),
    tooltip=lambda: translate("Operations", "Tick the room's checks before the start (R01–R04, R55)"),
    key="Ctrl+Shift+R",
    dialog=_readiness,
)

CLOSING = RoomOperation(
    name="closing",
    text=lambda: translate("Operations", "End of the exam…"),
    tooltip=lambda: translate("Operations", "The end-of-exam check list, 结束考试 and the backup (R27, R15, R56)"),
    key="Ctrl+Shift+E",
    dialog=_closing,
)


def _drill(view: RoomView, client: ConsoleClient | None, parent: QWidget) -> QDialog:
    from .drill_dialog import DrillDialog

    return DrillDialog(view, client, parent)


DRILL = RoomOperation(
    name="drill",
    text=lambda: translate("Operations", "Drill score…"),
    tooltip=lambda: translate(
        "Operations", "Score a drill (演练) against what the room's log shows was done, and print it (004 九(四))"
    ),
    key="Ctrl+Shift+Y",
    dialog=_drill,
)

ROOM_OPERATIONS: tuple[RoomOperation, ...] = (
    INCIDENT,
    READINESS,
    DELAYED_START,
    NOTICE,
    STANDALONE_RECOVER,
    TRANSFER_IN,
    TRANSFER_SLIP,
    STOP,
    CLOSING,
    DRILL,
)

# The operation a flowchart's step names (resources/flows `operation`), by its console command.
BY_COMMAND: dict[str, CandidateOperation | RoomOperation] = {
    "grant_extra_time": EXTRA_TIME,
    "reset_candidate": RESET,
    "record_violation": VIOLATION,
    "give_up": GIVE_UP,
    "force_submit": SUBMISSION,
    "leave_room": LEAVE,
    "export_standalone": STANDALONE,
    "import_standalone_result": STANDALONE_RECOVER,
    "delay_start": DELAYED_START,
    "send_notice": NOTICE,
    "stop_exam": STOP,
    "register_choice": CHOICE,
    "transfer_out": TRANSFER_OUT,
    "make_backup": CLOSING,
    "end_exam": CLOSING,
}
