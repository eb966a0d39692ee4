"""违纪记录: the act (its category as 004 附件3 sorts it, R31), the facts kept exactly as written,
the evidence files (sent to the room's evidence folder, kept under their hash), and two of the
signed-in proctors confirming it, each ticking their own name (R30). A correction is a new
record that names the one it amends."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import ViolationAct, ViolationCategory
from proctor.domain.violations import CATEGORY_OF, MAX_EVIDENCE, MAX_FACTS
from proctor.link.console_client import ConsoleClient, EvidenceUnreadable, RoomView, read_evidence

from .commands import error_text
from .i18n import translate, violation_act_labels, violation_category_labels
from .record_dialog import RecordDialog

ADD_KEY = QKeySequence("Ctrl+O")


class ViolationDialog(RecordDialog):
    def __init__(
        self, view: RoomView, client: ConsoleClient | None, ticket: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(view, client, ticket, translate("Violation", "Violation record"), parent)
        self.setObjectName("violationDialog")
        self.files: list[Path] = []
        self._build_fields()
        self._build_evidence()
        self._build_confirmations()
        self.rule.setText(
            translate(
                "Violation",
                "Record the candidate's name, ticket and ID numbers and the facts in detail, attach the evidence, "
                "and two or more room proctors confirm it (R30); the act decides the category (004 附件3, R31)",
            )
        )
        self.set_confirm_text(translate("Violation", "Record the violation (Ctrl+Enter)"))
        self.send_on_ctrl_enter(self.facts)  # Enter is a new line there
        self.act.currentIndexChanged.connect(self._act_changed)
        self._act_changed()
        self.act.setFocus()

    def who_text(self) -> str:
        c = self.candidate()
        return translate("Violation", "{name} ({ticket}), ID {id}, exam machine {machine}").format(
            name=c.get("name") or "—",
            ticket=self.ticket,
            id=c.get("id_masked") or "—",
            machine=c.get("machine") or c.get("seat") or "—",
        )

    def _build_fields(self) -> None:
        categories = violation_category_labels()
        self.act = QComboBox(self)
        self.act.setObjectName("act")
        for act, label in violation_act_labels().items():
            category = CATEGORY_OF[act]
            text = f"{label}（{categories[category]}）" if category else label
            self.act.addItem(text, act.value)
        self.category = QComboBox(self)
        self.category.setObjectName("category")
        for category, label in categories.items():
            self.category.addItem(label, category.value)
        self.facts = QPlainTextEdit(self)
        self.facts.setObjectName("facts")
        self.facts.setTabChangesFocus(True)
        self.facts.setPlaceholderText(translate("Violation", "What happened, when, and what the proctors did"))
        self.facts.setMinimumHeight(110)
        self.amends = QComboBox(self)
        self.amends.setObjectName("amends")
        self.amends.addItem(translate("Violation", "A new record"), None)
        for v in self.candidate().get("violations") or ():
            self.amends.addItem(translate("Violation", "Correct record no. {n}").format(n=v["number"]), v["number"])
        self.add_row(translate("Violation", "&Act:"), self.act)
        self.add_row(translate("Violation", "Ca&tegory:"), self.category)
        self.add_row(translate("Violation", "&Facts:"), self.facts)
        if self.amends.count() > 1:
            self.add_row(translate("Violation", "Co&rrects:"), self.amends)
        else:
            self.amends.hide()

    def _build_evidence(self) -> None:
        box = QWidget(self)
        self.evidence = QListWidget(box)
        self.evidence.setObjectName("evidence")
        self.evidence.setMaximumHeight(80)
        self.add_button = QPushButton(translate("Violation", "Add evidence… (Ctrl+O)"), box)
        self.add_button.setObjectName("addEvidence")
        self.add_button.setShortcut(ADD_KEY)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(translate("Violation", "Remove"), box)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.evidence, 1)
        lay.addLayout(buttons)
        self.add_row(translate("Violation", "&Evidence:"), box)

    def _build_confirmations(self) -> None:
        box = QWidget(self)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.confirmations: list[QCheckBox] = []
        names = self.client.proctors if self.client is not None else tuple(self.view.header.get("proctors") or ())
        for name in names:
            tick = QCheckBox(translate("Violation", "{name} confirms").format(name=name), box)
            tick.setProperty("proctor", name)
            lay.addWidget(tick)
            self.confirmations.append(tick)
        lay.addStretch(1)
        self.add_row(translate("Violation", "Confirmed by:"), box)

    def _act_changed(self) -> None:
        act = ViolationAct(self.act.currentData())
        fixed = CATEGORY_OF[act]
        if fixed is not None:
            self.category.setCurrentIndex(self.category.findData(fixed.value))
        self.category.setEnabled(fixed is None)

    # -- evidence ----------------------------------------------------------------------------------

    def choose_files(self) -> QFileDialog:
        chooser = QFileDialog(self, translate("Violation", "Evidence files"))
        chooser.setFileMode(QFileDialog.FileMode.ExistingFiles)
        chooser.filesSelected.connect(lambda paths: self.add_files([Path(p) for p in paths]))
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.open()
        return chooser

    def add_files(self, paths: list[Path]) -> None:
        """Each file checked now, so a proctor hears at once that one cannot be evidence."""
        problems = []
        for path in paths:
            if path in self.files:
                continue
            if len(self.files) >= MAX_EVIDENCE:
                problems.append(translate("Violation", "At most {n} files per record").format(n=MAX_EVIDENCE))
                break
            try:
                size = len(read_evidence(path))
            except EvidenceUnreadable as exc:
                problems.append(error_text(exc))
                continue
            self.files.append(path)
            item = QListWidgetItem(f"{path.name}（{_size_text(size)}）", self.evidence)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
        if problems:
            self.show_error("\n".join(problems))
        else:
            self.error.hide()

    def _remove_selected(self) -> None:
        for item in self.evidence.selectedItems():
            self.files.remove(Path(item.data(Qt.ItemDataRole.UserRole)))
            self.evidence.takeItem(self.evidence.row(item))

    # -- sending -------------------------------------------------------------------------------------

    def confirmed_by(self) -> list[str]:
        return [str(t.property("proctor")) for t in self.confirmations if t.isChecked()]

    def check(self) -> str | None:
        if not self.facts.toPlainText().strip():
            self.facts.setFocus()
            return translate("Violation", "Write down the facts")
        if len(self.facts.toPlainText()) > MAX_FACTS:
            return translate("Violation", "The facts are at most {n} characters").format(n=MAX_FACTS)
        if len(self.confirmed_by()) < 2:
            return translate("Violation", "Two proctors confirm a violation record: each ticks their own name (R30)")
        return None

    def work(self) -> Awaitable[dict[str, Any]]:
        return self._record()

    async def _record(self) -> dict[str, Any]:
        assert self.client is not None
        evidence = [await self.client.add_evidence(path) for path in self.files]
        act = ViolationAct(self.act.currentData())
        return await self.client.record_violation(
            self.ticket,
            act,
            self.facts.toPlainText(),
            self.confirmed_by(),
            category=ViolationCategory(self.category.currentData()) if CATEGORY_OF[act] is None else None,
            evidence=evidence,
            amends=self.amends.currentData(),
        )


def _size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"
