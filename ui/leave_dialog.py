"""暂离: a candidate leaves the room for a while, with the proctor sent along named, and is
recorded back (000 附件3 15; 001 考场规则 第七条). The same dialog records either, by whether the
candidate is out."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from proctor.domain.events import LeaveReason
from proctor.link.console_client import ConsoleClient, RoomView

from .extra_time_dialog import profile_number
from .header_bar import clock_hms
from .i18n import leave_reason_labels, translate
from .record_dialog import RecordDialog

NOTE_MAX = 200
NAME_MAX = 32


class LeaveDialog(RecordDialog):
    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Leave", "Temporary leave"), parent)
        self.setObjectName("leaveDialog")
        c = self.candidate()
        self.away_since: float | None = c.get("away_since")
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        for r, label in leave_reason_labels().items():
            self.reason.addItem(label, r.value)
        self.escort = QLineEdit(self)
        self.escort.setObjectName("escort")
        self.escort.setMaxLength(NAME_MAX)
        self.escort.setPlaceholderText(translate("Leave", "The proctor who goes with the candidate"))
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(NOTE_MAX)
        if self.away_since is None:
            self.add_row(translate("Leave", "&Reason:"), self.reason)
            self.add_row(translate("Leave", "&Escort:"), self.escort)
            self.add_row(translate("Leave", "&Note:"), self.note)
            self.set_confirm_text(translate("Leave", "Record the leave (Enter)"))
            self.reason.setFocus()
        self.id_checked = QCheckBox(translate("Leave", "&ID card checked at the door (R32)"), self)
        self.id_checked.setObjectName("idChecked")
        if self.away_since is None:
            self.id_checked.hide()
        else:
            for w in (self.reason, self.escort, self.note):
                w.hide()
            self.add_row("", self.id_checked)
            self.set_confirm_text(translate("Leave", "Record the return (Enter)"))
            self.id_checked.setFocus()
        self.rule.setText(self.rule_text())

    def rule_text(self) -> str:
        if self.away_since is not None:
            escort = self.candidate().get("away_escort") or "—"
            return translate("Leave", "Out of the room since {time} with {escort}: record the return").format(
                time=clock_hms(self.away_since), escort=escort
            )
        minutes = profile_number(self.view.header, "away_alert_after_min")
        return translate(
            "Leave",
            "A candidate who must leave the room is asked why, recorded, and goes and comes back with a "
            "proctor sent along (000 附件3 15); the proctors are told after {minutes} min out",
        ).format(minutes=minutes if minutes is not None else "—")

    def check(self) -> str | None:
        if self.away_since is not None:
            if not self.id_checked.isChecked():
                self.id_checked.setFocus()
                return translate("Leave", "Check the candidate's ID card before they come back in (R32)")
            return None
        if not self.escort.text().strip():
            self.escort.setFocus()
            return translate("Leave", "Name the proctor who goes with the candidate")
        if self.reason.currentData() == LeaveReason.OTHER.value and not self.note.text().strip():
            self.note.setFocus()
            return translate("Leave", "Say why the candidate leaves")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        if self.away_since is not None:
            return self.client.return_to_room(self.ticket, id_checked=True)
        return self.client.leave_room(self.ticket, self.reason.currentData(), self.escort.text(), self.note.text())
