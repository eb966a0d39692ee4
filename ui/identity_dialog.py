"""身份核验: the proctors compare the candidate with the ID card, the admission ticket and the
photo on the exam machine, beside the photo the exam package holds (R57, 001 监考规则 第八条),
and record what they found; a mismatch says what, and is raised."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QWidget

from proctor.link.console_client import ConsoleClient, RoomView

from .candidate_panel import PhotoSource, PhotoView
from .i18n import gender_label, translate
from .record_dialog import RecordDialog

NOTE_MAX = 200
PHOTO_W, PHOTO_H = 150, 200


class IdentityDialog(RecordDialog):
    def __init__(
        self,
        view: RoomView,
        client: ConsoleClient | None,
        ticket: str,
        parent: QWidget | None = None,
        photos: PhotoSource | None = None,
    ) -> None:
        super().__init__(view, client, ticket, translate("Identity", "Identity check"), parent)
        self.setObjectName("identityDialog")
        self.photo = PhotoView(self)
        self.photo.setFixedSize(PHOTO_W, PHOTO_H)
        self.photo.set_photo(photos(ticket) if photos else None)
        self.body.addLayout(self._facts())
        self.matches = QRadioButton(translate("Identity", "&Matches"), self)
        self.matches.setObjectName("identityMatches")
        self.mismatch = QRadioButton(translate("Identity", "Does &not match"), self)
        self.mismatch.setObjectName("identityMismatch")
        group = QButtonGroup(self)
        group.addButton(self.matches)
        group.addButton(self.mismatch)
        self.matches.setChecked(True)
        choice = QHBoxLayout()
        choice.addWidget(self.matches)
        choice.addWidget(self.mismatch)
        choice.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(choice)
        self.add_row(translate("Identity", "Result:"), holder)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(
            translate("Identity", "If it does not match: which (photo, name, ID number, ticket)")
        )
        self.add_row(translate("Identity", "&What:"), self.note)
        self.rule.setText(
            translate(
                "Identity",
                "After the start, compare the candidate with the ID card, the admission ticket and the photo on "
                "the exam machine; a mismatch is raised and dealt with under the rules (R57)",
            )
        )
        self.set_confirm_text(translate("Identity", "Record the check (Enter)"))
        self.matches.setFocus()

    def _facts(self) -> QHBoxLayout:
        c = self.candidate()
        grid = QGridLayout()
        rows = (
            (translate("Identity", "Name"), c.get("name") or "—"),
            (translate("Identity", "Gender"), gender_label(c.get("gender") or "")),
            (translate("Identity", "Ticket number"), self.ticket),
            (translate("Identity", "ID number"), c.get("id_masked") or "—"),
            (translate("Identity", "Seat"), c.get("seat") or "—"),
        )
        for i, (caption, value) in enumerate(rows):
            grid.addWidget(QLabel(caption, self), i, 0)
            shown = QLabel(str(value), self)
            shown.setObjectName(f"fact{i}")
            grid.addWidget(shown, i, 1)
        grid.setRowStretch(len(rows), 1)
        grid.setColumnStretch(1, 1)
        lay = QHBoxLayout()
        lay.addWidget(self.photo)
        lay.addLayout(grid, 1)
        return lay

    def check(self) -> str | None:
        if self.mismatch.isChecked() and not self.note.text().strip():
            self.note.setFocus()
            return translate("Identity", "Say what does not match: the photo, the name, the ID number or the ticket")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        assert self.client is not None
        return self.client.check_identity(self.ticket, self.matches.isChecked(), self.note.text())
