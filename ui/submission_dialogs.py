"""放弃考试 (R53) and the corrections to a submission: undo a submission made by mistake, or
submit for a candidate whose machine cannot, each with the chief examiner's consent by name."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from .i18n import translate
from .record_dialog import RecordDialog

NOTE_MAX = 200
NAME_MAX = 32


class GiveUpDialog(RecordDialog):
    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Submission", "Gives up the exam"), parent)
        self.setObjectName("giveUpDialog")
        self.reason = self.line_edit("reason", NOTE_MAX, translate("Submission", "Why the candidate stops"))
        self.add_row(translate("Submission", "&Reason:"), self.reason)
        self.rule.setText(
            translate(
                "Submission",
                "What the candidate saved is kept and their exam machine stops taking answers; a candidate who "
                "gives up stays enclosed until the room closes (004 附件2 二, R53)",
            )
        )
        self.set_confirm_text(translate("Submission", "Record giving up (Enter)"))
        self.reason.setFocus()

    def check(self) -> str | None:
        if not self.reason.text().strip():
            return translate("Submission", "Say why")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        return self.client.give_up(self.ticket, self.reason.text())


class SubmissionDialog(RecordDialog):
    """Undo for a candidate who has submitted; submit for one who is answering."""

    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        self.undo = (view.candidates.get(ticket) or {}).get("state") == "submitted"
        title = (
            translate("Submission", "Undo a submission made by mistake")
            if self.undo
            else translate("Submission", "Submit for the candidate")
        )
        super().__init__(view, client, ticket, title, parent)
        self.setObjectName("submissionDialog")
        self.reason = self.line_edit("reason", NOTE_MAX, translate("Submission", "What happened"))
        self.chief = self.line_edit("chief", NAME_MAX, translate("Submission", "The chief examiner who consents"))
        self.add_row(translate("Submission", "&Reason:"), self.reason)
        self.add_row(translate("Submission", "&Chief examiner:"), self.chief)
        if self.undo:
            self.rule.setText(
                translate(
                    "Submission",
                    "The candidate's own submission is undone and they answer on until their end, with the chief "
                    "examiner's consent; the system's submission at the end is final (R11)",
                )
            )
            self.set_confirm_text(translate("Submission", "Undo the submission (Enter)"))
        else:
            self.rule.setText(
                translate(
                    "Submission",
                    "The proctors submit for a candidate whose exam machine cannot, from the earliest submission "
                    "time (R08–R10), with the chief examiner's consent; before it, a candidate who stops gives up",
                )
            )
            self.set_confirm_text(translate("Submission", "Submit for the candidate (Enter)"))
        self.reason.setFocus()

    def check(self) -> str | None:
        if not self.reason.text().strip():
            self.reason.setFocus()
            return translate("Submission", "Say why")
        if not self.chief.text().strip():
            self.chief.setFocus()
            return translate("Submission", "Name the chief examiner who consents")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        send = self.client.undo_submit if self.undo else self.client.force_submit
        return send(self.ticket, self.reason.text(), self.chief.text())
