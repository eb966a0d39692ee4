"""What every record dialog shares: whom it is about, the rule in force in a box, the form, the
refusal shown in place (what was typed stays), and one command sent on Enter (Esc cancels).
Shown with open(), never exec() (see ask.py). A dialog fills `form`, sets `rule`, and gives
`work()`: the command's coroutine."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from . import commands, theme
from .i18n import translate

MIN_W = 520  # px: the rule and a refusal read on two lines at most


class RecordDialog(QDialog):
    """Signal `done(dict)`: the service's reply once the record is committed."""

    done = Signal(dict)

    STYLE = f"""
        #who {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
        #rule {{ color: {theme.TEXT}; padding: 6px; background: {theme.BOX_FILL};
                 border: 1px solid {theme.BOX_BORDER}; border-radius: 4px; }}
        #error {{ color: {theme.ALERT}; }}
    """

    def __init__(
        self,
        view: RoomView,
        client: ConsoleClient | None,
        ticket: str | None,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        """`ticket` None: a record about the room, not one candidate."""
        super().__init__(parent)
        self.view, self.client, self.ticket = view, client, ticket
        self.tickets = [ticket] if ticket else []
        self._busy = False
        self.setWindowTitle(title)
        self.who = QLabel(self)
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.rule = QLabel(self)
        self.rule.setObjectName("rule")
        self.rule.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setObjectName("confirm")
        self.confirm.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Records", "Cancel (Esc)"))
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()  # above the form: what the record is about
        self.tail = QVBoxLayout()  # under the rule: what was recorded before
        lay = QVBoxLayout(self)
        lay.addWidget(self.who)
        lay.addLayout(self.body)
        lay.addLayout(self.form)
        lay.addWidget(self.rule)
        lay.addWidget(self.error)
        lay.addLayout(self.tail)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setStyleSheet(self.STYLE)
        self.setMinimumWidth(MIN_W)
        self.who.setText(self.who_text())
        self.who.setVisible(bool(self.who.text()))

    def candidate(self) -> dict[str, Any]:
        return (self.view.candidates.get(self.ticket) if self.ticket else None) or {}

    def who_text(self) -> str:
        if self.ticket is None:
            return ""
        c = self.candidate()
        machine = c.get("machine") or c.get("seat") or "—"
        return translate("Records", "{name} ({ticket}), exam machine {machine}").format(
            name=c.get("name") or "—", ticket=self.ticket, machine=machine
        )

    def line_edit(self, name: str, limit: int, hint: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setMaxLength(limit)
        edit.setPlaceholderText(hint)
        return edit

    def add_row(self, label: str, field: QWidget) -> None:
        """A labelled field whose label's &-key puts the keyboard on it."""
        self.form.addRow(label, field)
        buddy = self.form.labelForField(field)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(field)

    def send_on_ctrl_enter(self, edit: QWidget) -> None:
        """For a many-line field, where Enter is a new line: Ctrl+Enter sends from it."""
        self._multiline = edit
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is getattr(self, "_multiline", None)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.send()
            return True
        return super().eventFilter(watched, event)

    def set_confirm_text(self, text: str) -> None:
        self.confirm.setText(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def check(self) -> str | None:
        """What must be filled in before sending, in words; None when ready."""
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        raise NotImplementedError

    def send(self) -> None:
        if self._busy:
            return
        missing = self.check()
        if missing:
            self.show_error(missing)
            return
        self.error.hide()
        self._set_busy(True)
        work = self.work() if self.client is not None else commands.no_client()
        commands.run(self, work, self._done, on_error=self.show_error, always=lambda: self._set_busy(False))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm.setEnabled(not busy)

    def _done(self, reply: dict[str, Any]) -> None:
        self.done.emit(reply)
        self.accept()
