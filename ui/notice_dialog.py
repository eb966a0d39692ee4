"""通知: a notice to all the room's exam machines or to those named (a corrected question, the
reminder before the end, an incident), and what became of the ones sent: which machines have
not shown theirs yet. When R12's reminder is due the dialog offers its words."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from proctor.domain.events import AlertKind, NoticeKind
from proctor.domain.notices import MAX_TEXT, reminder_text
from proctor.link.console_client import ConsoleClient, RoomView

from .extra_time_dialog import profile_number
from .header_bar import clock_hms
from .i18n import translate
from .record_dialog import RecordDialog

SHOWN_SENT = 5  # the latest notices listed under the form
WAITING_SHOWN = 12  # machine numbers listed per notice before "…"


def notice_kind_labels() -> dict[NoticeKind, str]:
    return {
        NoticeKind.CORRECTION: translate("Notice", "Question corrected"),
        NoticeKind.REMINDER: translate("Notice", "Reminder before the end"),
        NoticeKind.INCIDENT: translate("Notice", "Incident"),
        NoticeKind.OTHER: translate("Notice", "Other"),
    }


class NoticeDialog(RecordDialog):
    def __init__(
        self,
        view: RoomView,
        client: ConsoleClient | None,
        parent: QWidget | None = None,
        machines: list[str] | None = None,
    ) -> None:
        """`machines`: those of the candidates selected, offered as the chosen ones."""
        super().__init__(view, client, None, translate("Notice", "Notice to the exam machines"), parent)
        self.setObjectName("noticeDialog")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for kind, label in notice_kind_labels().items():
            self.kind.addItem(label, kind.value)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(80)
        self.send_on_ctrl_enter(self.text)  # Enter is a new line there
        self.to_all = QRadioButton(translate("Notice", "&All exam machines"), self)
        self.to_chosen = QRadioButton(translate("Notice", "&These:"), self)
        self.chosen = QLineEdit(", ".join(machines or []), self)
        self.chosen.setObjectName("machines")
        self.chosen.setPlaceholderText(translate("Notice", "Exam machine numbers, separated by commas"))
        group = QButtonGroup(self)
        group.addButton(self.to_all)
        group.addButton(self.to_chosen)
        (self.to_chosen if machines else self.to_all).setChecked(True)
        targets = QWidget(self)
        row = QHBoxLayout(targets)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.to_all)
        row.addWidget(self.to_chosen)
        row.addWidget(self.chosen, 1)
        self.add_row(translate("Notice", "&Kind:"), self.kind)
        self.add_row(translate("Notice", "Te&xt:"), self.text)
        self.add_row(translate("Notice", "To:"), targets)
        self.sent = QLabel(self)
        self.sent.setObjectName("sent")
        self.sent.setWordWrap(True)
        self.sent.setTextFormat(Qt.TextFormat.PlainText)
        self.tail.addWidget(QLabel(translate("Notice", "Sent:"), self))
        self.tail.addWidget(self.sent)
        self.rule.setText(
            translate(
                "Notice",
                "Each exam machine shows the notice to its candidate and says so; one that is offline gets it when "
                "it comes back. The reminder before the end: R12",
            )
        )
        self.set_confirm_text(translate("Notice", "Send (Ctrl+Enter)"))
        self._offer_reminder()
        self.show_sent()
        bridge = getattr(parent, "bridge", None)  # the window's: acknowledgements arrive while it is open
        if bridge is not None:
            bridge.changed.connect(lambda *_: self.show_sent())
        self.text.setFocus()

    def _offer_reminder(self) -> None:
        """R12: when the schedule has raised the reminder, its words are ready to send."""
        due = any(a.get("kind") == AlertKind.END_REMINDER.value for a in self.view.alerts.values())
        if due and not self.text.toPlainText():
            minutes = profile_number(self.view.header, "reminder_before_end_min") or 15
            self.kind.setCurrentIndex(self.kind.findData(NoticeKind.REMINDER.value))
            self.text.setPlainText(reminder_text(minutes))

    def show_sent(self) -> None:
        notices = sorted(self.view.notices.values(), key=lambda n: n["number"])[-SHOWN_SENT:]
        lines = []
        for n in notices:
            waiting = list(n.get("waiting") or ())
            state = (
                translate("Notice", "all {n} shown").format(n=n["targets"])
                if not waiting
                else translate("Notice", "{a}/{n} shown; not yet: {machines}").format(
                    a=n["acknowledged"],
                    n=n["targets"],
                    machines="、".join(waiting[:WAITING_SHOWN]) + ("…" if len(waiting) > WAITING_SHOWN else ""),
                )
            )
            lines.append(f"{n['number']}. {clock_hms(n['at'])} {n['text'][:40]} — {state}")
        self.sent.setText("\n".join(lines) or translate("Notice", "No notice sent yet"))

    def machines(self) -> list[str] | None:
        if self.to_all.isChecked():
            return None
        return [m.strip() for m in self.chosen.text().replace("，", ",").split(",") if m.strip()]

    def check(self) -> str | None:
        text = self.text.toPlainText().strip()
        if not text:
            self.text.setFocus()
            return translate("Notice", "Write what the candidates must read")
        if len(text) > MAX_TEXT:
            return translate("Notice", "A notice is at most {n} characters").format(n=MAX_TEXT)
        if self.machines() == []:
            self.chosen.setFocus()
            return translate("Notice", "Name the exam machines, or send to all")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        return self.client.send_notice(self.text.toPlainText(), self.kind.currentData(), self.machines())
