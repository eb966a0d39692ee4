"""考场超排 (R34): an arrival in an overbooked room is sent to a free exam machine chosen at random;
the dialog says which, large, to read out. Nothing binds the candidate to it."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from . import theme
from .i18n import translate
from .record_dialog import RecordDialog


class SeatDialog(RecordDialog):
    STYLE = RecordDialog.STYLE + f"#seat {{ font-size: 40pt; font-weight: bold; color: {theme.TEXT}; }}"

    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Seat", "Seat an arrival"), parent)
        self.setObjectName("seatDialog")
        self.seat = QLabel(self)
        self.seat.setObjectName("seat")
        self.body.addWidget(self.seat)
        self.rule.setText(
            translate(
                "Seat",
                "In an overbooked room the proctors seat each arrival at random among the free exam machines; "
                "the system binds no seat (004 附件4 三(一), R34)",
            )
        )
        self.set_confirm_text(translate("Seat", "Choose a free machine at random (Enter)"))
        self.setStyleSheet(self.STYLE)
        self.machine: str | None = None

    def work(self) -> Awaitable[str]:
        assert self.client is not None
        return self.client.assign_seat(self.ticket or "")

    def _done(self, reply: Any) -> None:
        """Stay open with the machine shown large; Enter again closes."""
        if self.machine is not None:
            self.accept()
            return
        self.machine = str(reply)
        self.seat.setText(translate("Seat", "Exam machine {machine}").format(machine=self.machine))
        self.set_confirm_text(translate("Seat", "Done (Enter)"))
        self.confirm.clicked.disconnect()
        self.confirm.clicked.connect(self.accept)
        self.done.emit({"machine": self.machine})
