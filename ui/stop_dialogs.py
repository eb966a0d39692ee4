"""停止考试 as the exam office directs (CPA 003 一、七), and each affected candidate's choice
after it: the exam arranged again, or a refund of the fee (R46, 003 七)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from .i18n import translate
from .record_dialog import RecordDialog


class StopDialog(RecordDialog):
    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(view, client, None, translate("Stop", "Stop the exam"), parent)
        self.setObjectName("stopDialog")
        self.directed_by = QLineEdit(self)
        self.directed_by.setObjectName("directedBy")
        self.directed_by.setMaxLength(32)
        self.directed_by.setPlaceholderText(translate("Stop", "Who gave the word, e.g. 财政部考办 …"))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(translate("Stop", "The fault, and how long it has lasted"))
        self.add_row(translate("Stop", "&Directed by:"), self.directed_by)
        self.add_row(translate("Stop", "&Fault:"), self.reason)
        self.rule.setText(
            translate(
                "Stop",
                "The exam office stops the exam when a fault is not solved within the profile's minutes (CPA: 50, "
                "003 一、七); what each candidate saved stays and nobody answers on. Then each affected candidate "
                "registers retake or refund (R46)",
            )
        )
        self.set_confirm_text(translate("Stop", "Stop the exam (Enter)"))
        self.directed_by.setFocus()

    def check(self) -> str | None:
        if not (self.directed_by.text().strip() and self.reason.text().strip()):
            return translate("Stop", "Name who gave the word and the fault")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        return self.client.stop_exam(self.directed_by.text(), self.reason.text())


class ChoiceDialog(RecordDialog):
    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Stop", "The candidate's choice after the stop"), parent)
        self.setObjectName("choiceDialog")
        self.retake = QRadioButton(translate("Stop", "Take the exam arranged again"), self)
        self.retake.setObjectName("retake")
        self.refund = QRadioButton(translate("Stop", "A refund of the subject's fee"), self)
        self.refund.setObjectName("refund")
        group = QButtonGroup(self)
        group.addButton(self.retake)
        group.addButton(self.refund)
        self.retake.setChecked(self.candidate().get("stop_choice") != "refund")
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.retake)
        row.addWidget(self.refund)
        row.addStretch(1)
        self.add_row(translate("Stop", "Choice:"), box)
        self.rule.setText(
            translate(
                "Stop",
                "After the exam office stops the exam, each affected candidate registers at the room which they "
                "take: the exam arranged again, or a refund (003 七, R46)",
            )
        )
        self.set_confirm_text(translate("Stop", "Register the choice (Enter)"))
        self.retake.setFocus()

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None and self.ticket is not None
        return self.client.register_choice(self.ticket, "retake" if self.retake.isChecked() else "refund")
