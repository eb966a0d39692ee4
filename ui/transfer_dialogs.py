"""调出 / 调入 (考场超排, 004 附件4 三(二)): an overflowing room transfers an arrival out (R35), and
settles before the end a transfer no room received (R36); another room of the site transfers the
candidate in, its service asking the sending room, which receives the first claim only."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from .i18n import translate
from .record_dialog import RecordDialog

NOTE_MAX = 200


class TransferOutDialog(RecordDialog):
    """Out for an arrival; for a candidate out and received by no room, the settlement (R36)."""

    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Transfer", "Transfer out"), parent)
        self.setObjectName("transferOutDialog")
        self.settle = self.candidate().get("state") == "transferred_out"
        self.note = self.line_edit("note", NOTE_MAX, translate("Transfer", "Why, or what the site's staff found"))
        self.sat = QCheckBox(translate("Transfer", "The candidate sat the exam in another room"), self)
        self.sat.setObjectName("sat")
        self.add_row(translate("Transfer", "&Note:"), self.note)
        if self.settle:
            self.add_row("", self.sat)
            self.rule.setText(
                translate(
                    "Transfer",
                    "Transferred out and received by no room: before the end this room finds out whether the "
                    "candidate sat and records it (004 附件4 三(二), R36)",
                )
            )
            self.set_confirm_text(translate("Transfer", "Record what was found (Enter)"))
        else:
            self.sat.hide()
            self.rule.setText(
                translate(
                    "Transfer",
                    "The room overflows: the arrival is transferred out and goes to another room of the site, "
                    "whose console transfers them in; they cannot log in here (004 附件4 三(二), R35)",
                )
            )
            self.set_confirm_text(translate("Transfer", "Transfer out (Enter)"))
        self.note.setFocus()

    def check(self) -> str | None:
        if not self.note.text().strip():
            return translate("Transfer", "Say why, or what was found")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None and self.ticket is not None
        if self.settle:
            return self.client.resolve_transfer(self.ticket, self.sat.isChecked(), self.note.text())
        return self.client.transfer_out(self.ticket, self.note.text())


class TransferInDialog(RecordDialog):
    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(view, client, None, translate("Transfer", "Transfer in"), parent)
        self.setObjectName("transferInDialog")
        self.from_room = self.line_edit("fromRoom", 32, translate("Transfer", "e.g. 第03考场"))
        self.from_url = self.line_edit("fromUrl", 200, "wss://10.0.3.2:8765")
        self.ticket_field = self.line_edit("ticket", 32, translate("Transfer", "Ticket number on the admission ticket"))
        self.add_row(translate("Transfer", "From &room:"), self.from_room)
        self.add_row(translate("Transfer", "Its &address:"), self.from_url)
        self.add_row(translate("Transfer", "&Ticket number:"), self.ticket_field)
        self.rule.setText(
            translate(
                "Transfer",
                "This room asks the sending room, which gives the candidate to the first room that asks; then "
                "they log in here with their ticket and ID number (004 附件4 三(二), R35)",
            )
        )
        self.set_confirm_text(translate("Transfer", "Transfer in (Enter)"))
        self.from_room.setFocus()

    def check(self) -> str | None:
        if not (self.from_room.text().strip() and self.ticket_field.text().strip()):
            return translate("Transfer", "Give the sending room and the ticket number")
        if not self.from_url.text().strip().startswith("wss://"):
            self.from_url.setFocus()
            return translate("Transfer", "The address reads wss://ADDRESS:PORT")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        return self.client.transfer_in(
            self.from_room.text().strip(), self.from_url.text().strip(), self.ticket_field.text().strip()
        )
