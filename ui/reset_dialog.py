"""重置: reset one candidate off a failed machine (R24): onto a free spare (续考), or on their own
machine after a restart or a keyboard or mouse swap; the rule in force said before the proctor
confirms, refusals shown here with what was chosen kept. Shown with open(), never exec()."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import ResetKind, ResetReason
from proctor.link.console_client import ConsoleClient, RoomChange, RoomView

from . import commands, theme
from .dialog_parts import MIN_W, buddy_labels, confirm_buttons, error_label
from .i18n import reset_kind_label, reset_reason_label, state_label, translate
from .room_bridge import RoomBridge

NOTE_MAX = 200


def free_spares(view: RoomView) -> list[str]:
    """The spares the service says a reset may send a candidate to now, in the room's order."""
    return [m for m, row in view.machines.items() if row.get("spare") and row.get("free_spare")]


class ResetDialog(QDialog):
    """Signal `done(dict)`: the service's reply (`to`, `end`, `last_seq`)."""

    done = Signal(dict)

    STYLE = f"""
        #who {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
        #where {{ color: {theme.TEXT}; }}
        #rule {{ font-weight: bold; color: {theme.TEXT}; padding: 6px;
                 background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER}; border-radius: 4px; }}
        #noSpare, #error {{ color: {theme.ALERT}; }}
        #extraTimeHint {{ color: {theme.NOTE}; }}
    """

    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resetDialog")
        self.setWindowTitle(translate("Reset", "Reset"))
        self.view, self.client, self.ticket = view, client, ticket
        self._busy = False
        self._build_fields()
        self._build_buttons()
        self._build_layout()
        self.bridge = RoomBridge(view, self)
        self.bridge.changed.connect(self._room_changed)
        self._connect()

    # -- building ------------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.who = QLabel(self)
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.where = QLabel(self)
        self.where.setObjectName("where")
        self.where.setWordWrap(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for k in ResetKind:
            self.kind.addItem(reset_kind_label(k.value), k.value)
        self.spares = QListWidget(self)
        self.spares.setObjectName("spares")
        self.spares.setMaximumHeight(96)  # five rows; more scroll
        self.no_spare = QLabel(translate("Reset", "No free spare machine: switch a spare on at its login screen"), self)
        self.no_spare.setObjectName("noSpare")
        self.no_spare.setWordWrap(True)
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        for r in ResetReason:
            self.reason.addItem(reset_reason_label(r.value), r.value)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(translate("Reset", "What failed (required for another reason)"))
        self.rule = QLabel(self)
        self.rule.setObjectName("rule")
        self.rule.setWordWrap(True)
        self.hint = QLabel(
            translate(
                "Reset",
                "Time the candidate lost is not given back by the reset: grant it with Extra time (Ctrl+T) (R61)",
            ),
            self,
        )
        self.hint.setObjectName("extraTimeHint")
        self.hint.setWordWrap(True)
        self.error = error_label(self)

    def _build_buttons(self) -> None:
        self.buttons, self.confirm = confirm_buttons(self, translate("Reset", "Reset (Enter)"), self.send, self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(translate("Reset", "&Kind:"), self.kind)
        form.addRow(translate("Reset", "&Free spares:"), self.spares)
        form.addRow("", self.no_spare)
        form.addRow(translate("Reset", "R&eason:"), self.reason)
        form.addRow(translate("Reset", "&Note:"), self.note)
        buddy_labels(form, (self.kind, self.spares, self.reason, self.note))
        lay = QVBoxLayout(self)
        lay.addWidget(self.who)
        lay.addWidget(self.where)
        lay.addLayout(form)
        lay.addWidget(self.rule)
        lay.addWidget(self.hint)
        lay.addWidget(self.error)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setStyleSheet(self.STYLE)

    def _connect(self) -> None:
        QWidget.setTabOrder(self.kind, self.spares)
        QWidget.setTabOrder(self.spares, self.reason)
        QWidget.setTabOrder(self.reason, self.note)
        self.kind.currentIndexChanged.connect(self.update_rule)
        self.spares.currentItemChanged.connect(lambda *_: self.update_rule())
        self.reason.currentIndexChanged.connect(self.update_rule)
        self.confirm.setDefault(True)
        self.refresh()
        self.spares.setFocus()
        self.setMinimumWidth(MIN_W)

    # -- what the room and the rule say --------------------------------------------------------------

    def candidate(self) -> dict[str, Any]:
        return self.view.candidates.get(self.ticket) or {}

    def _room_changed(self, change: RoomChange) -> None:
        if change.whole or change.machines or self.ticket in change.tickets:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the candidate and the free spares, keeping the spare chosen while it is free."""
        c = self.candidate()
        self.who.setText(
            translate("Reset", "Reset {name} ({ticket})").format(name=c.get("name") or "—", ticket=self.ticket)
        )
        self.where.setText(
            translate("Reset", "On exam machine {machine}, {state}").format(
                machine=c.get("machine") or "—", state=state_label(str(c.get("state") or ""))
            )
        )
        chosen = self.spare()
        free = free_spares(self.view)
        if [self.spares.item(i).text() for i in range(self.spares.count())] != free:
            self.spares.blockSignals(True)
            self.spares.clear()
            for m in free:
                QListWidgetItem(m, self.spares)
            self.spares.blockSignals(False)
            row = free.index(chosen) if chosen in free else 0
            if free:
                self.spares.setCurrentRow(row)
        self.update_rule()

    def kind_value(self) -> ResetKind:
        return ResetKind(self.kind.currentData())

    def reason_value(self) -> ResetReason:
        return ResetReason(self.reason.currentData())

    def spare(self) -> str | None:
        item = self.spares.currentItem()
        return item.text() if item is not None else None

    def rule_text(self) -> str:
        own = str(self.candidate().get("machine") or "—")
        if self.kind_value() is ResetKind.RESTART:
            return translate(
                "Reset",
                "Restart: the candidate logs in again on their own machine {machine} and goes on from the last "
                "acknowledged answers; the end does not change (R24)",
            ).format(machine=own)
        spare = self.spare()
        if spare is None:
            return translate("Reset", "Resume: choose a free spare machine (R24)")
        return translate(
            "Reset",
            "Resume: the candidate logs in on spare {spare} and goes on from the last acknowledged answers; "
            "the end does not change; {machine} can no longer save for them (R24)",
        ).format(spare=spare, machine=own)

    def update_rule(self) -> None:
        resume = self.kind_value() is ResetKind.RESUME
        self.spares.setEnabled(resume)
        self.no_spare.setVisible(resume and self.spares.count() == 0)
        self.rule.setText(self.rule_text())
        self.confirm.setEnabled(not self._busy and (not resume or self.spare() is not None))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.update_rule()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- the command -----------------------------------------------------------------------------------

    def send(self) -> None:
        if self._busy or not self.confirm.isEnabled():
            return
        self.error.hide()
        self._set_busy(True)
        resume = self.kind_value() is ResetKind.RESUME
        work = (
            self.client.reset_candidate(
                self.ticket,
                self.kind_value(),
                self.spare() if resume else None,
                self.reason_value(),
                note=self.note.text(),
            )
            if self.client is not None
            else commands.no_client()
        )
        commands.run(self, work, self._done, on_error=self.show_error, always=lambda: self._set_busy(False))

    def _done(self, reply: dict[str, Any]) -> None:
        self.done.emit(reply)
        self.accept()
