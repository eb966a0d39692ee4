"""The operations a proctor or technician applies, in one table: the 操作 menu, the seat map's
context menu and the candidate panel's buttons are all built from it, so an operation is added
in one place. Which candidates an operation applies to is the rules' (each `applies_to` comes
from `proctor.domain`); the service decides again when it is asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from proctor.domain import extra_time, reset
from proctor.domain.room import State
from proctor.link.console_client import ConsoleClient, RoomView

from .i18n import translate

CandidateDialog = Callable[[RoomView, ConsoleClient | None, list[str], QWidget], QDialog]
RoomDialog = Callable[[RoomView, ConsoleClient | None, QWidget], QDialog]


def _extra_time(view: RoomView, client: ConsoleClient | None, tickets: list[str], parent: QWidget) -> QDialog:
    from .extra_time_dialog import ExtraTimeDialog

    return ExtraTimeDialog(view, client, tickets, parent)


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

    def shortcut(self) -> QKeySequence:
        return QKeySequence(self.key)

    def applies(self, state: str | None) -> bool:
        return state is not None and state in {s.value for s in self.applies_to}


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

CANDIDATE_OPERATIONS: tuple[CandidateOperation, ...] = (EXTRA_TIME, RESET)
ROOM_OPERATIONS: tuple[RoomOperation, ...] = ()
