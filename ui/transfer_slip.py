"""跨考场调动单 (R37): every candidate moved out of or into this room, as the service lists them;
the room report prints it for the chief examiner's signature."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from . import commands
from .header_bar import clock_hms
from .i18n import translate


class TransferSlipDialog(QDialog):
    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferSlip")
        self.setWindowTitle(translate("Transfer", "Transfer slip"))
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [
                translate("Transfer", "Direction"),
                translate("Transfer", "Ticket number"),
                translate("Transfer", "Name"),
                translate("Transfer", "Time"),
                translate("Transfer", "Room"),
                translate("Transfer", "State"),
            ]
        )
        self.table.verticalHeader().hide()
        self.note = QLabel(
            translate("Transfer", "Printed with the room report; the chief examiner signs it (004 附件4 三(二), R37)"),
            self,
        )
        self.error = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.table, self.note, self.error, buttons):
            lay.addWidget(w)
        self.resize(720, 360)
        work = client.request_slip() if client is not None else commands.no_client()
        commands.run(self, work, self.show_rows, on_error=self.error.setText)

    def show_rows(self, reply: dict[str, Any]) -> None:
        rows = reply.get("rows") or []
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            out = r["direction"] == "out"
            if out:
                state = (
                    translate("Transfer", "received")
                    if r.get("room")
                    else translate("Transfer", "settled")
                    if r.get("resolved")
                    else translate("Transfer", "not received yet")
                )
            else:
                state = translate("Transfer", "received here")
            cells = (
                translate("Transfer", "Out") if out else translate("Transfer", "In"),
                r["ticket"],
                r.get("name") or "",
                clock_hms(r["at"]),
                r.get("room") or "—",
                state,
            )
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(str(text)))
        self.table.resizeColumnsToContents()
