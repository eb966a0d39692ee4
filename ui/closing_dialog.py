"""结束考试: the end-of-exam check list of the sitting to end (R27), each item as the room shows
it now; the proctors tick the records they have reviewed; 结束考试 is refused, naming what is
open, until every item is met; then the backup (R15, within 30 minutes; encrypted, R56) into a
folder on the proctor machine (the USB stick). Shown with open(), never exec()."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.closing import TICKED
from proctor.domain.events import ClosingItem
from proctor.link.console_client import ConsoleClient, RoomView

from . import commands, theme
from .header_bar import clock_hms
from .i18n import translate


def item_labels() -> dict[ClosingItem, str]:
    return {
        ClosingItem.SITTING_OVER: translate("Closing", "Every candidate's time over, standalone answers recovered"),
        ClosingItem.TRANSFERS_RESOLVED: translate("Closing", "Candidates transferred out received or settled"),
        ClosingItem.ABSENCES_REVIEWED: translate("Closing", "Absence records reviewed"),
        ClosingItem.VIOLATIONS_REVIEWED: translate("Closing", "Violation records reviewed"),
        ClosingItem.EXCEPTIONS_REVIEWED: translate("Closing", "Exceptions reviewed"),
        ClosingItem.ANSWER_SETS_MATCH: translate("Closing", "Answer sets recovered = candidates who sat"),
    }


class ClosingDialog(QDialog):
    STYLE = f"""
        #facts[met="no"] {{ color: {theme.ALERT}; }}
        #ticked, #done {{ color: {theme.OK}; }}
        #error {{ color: {theme.ALERT}; }}
        #sitting {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
    """

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closingDialog")
        self.setWindowTitle(translate("Closing", "End of the exam"))
        self.view, self.client = view, client
        self.rows: dict[ClosingItem, dict[str, Any]] = {}
        self.sitting = QLabel(self)
        self.sitting.setObjectName("sitting")
        grid = QGridLayout()
        labels = item_labels()
        for i, item in enumerate(ClosingItem):
            name = QLabel(labels[item], self)
            facts = QLabel("…", self)
            facts.setObjectName("facts")
            facts.setWordWrap(True)
            ticked = QLabel(self)
            ticked.setObjectName("ticked")
            grid.addWidget(name, i, 0)
            grid.addWidget(facts, i, 1)
            grid.addWidget(ticked, i, 3)
            row: dict[str, Any] = {"facts": facts, "ticked": ticked}
            if item in TICKED:
                tick = QPushButton(translate("Closing", "Reviewed"), self)
                tick.setObjectName(f"tick_{item.value}")
                tick.setAutoDefault(False)
                tick.clicked.connect(lambda _=False, it=item: self.tick(it))
                grid.addWidget(tick, i, 2)
                row["tick"] = tick
            self.rows[item] = row
        grid.setColumnStretch(1, 1)
        self.end_button = QPushButton(translate("Closing", "End the exam"), self)
        self.end_button.setObjectName("endExam")
        self.end_button.setAutoDefault(False)
        self.end_button.clicked.connect(self.end)
        self.done = QLabel(self)
        self.done.setObjectName("done")
        self.done.setWordWrap(True)
        self.folder = QLineEdit(self)
        self.folder.setObjectName("folder")
        self.folder.setPlaceholderText(translate("Closing", "Backup folder on this computer (the USB stick)"))
        browse = QPushButton(translate("Closing", "Choose…"), self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self.choose_folder)
        self.backup_button = QPushButton(translate("Closing", "Back up"), self)
        self.backup_button.setObjectName("backup")
        self.backup_button.setAutoDefault(False)
        self.backup_button.clicked.connect(self.backup)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.folder, 1)
        backup_row.addWidget(browse)
        backup_row.addWidget(self.backup_button)
        rule = QLabel(
            translate(
                "Closing",
                "Before 结束考试: recover standalone answers, check the absence and violation records and the number "
                "of answer sets (R27); within 30 minutes of the end, back up the exam data (R15), encrypted (R56)",
            ),
            self,
        )
        rule.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.sitting)
        lay.addLayout(grid)
        lay.addWidget(self.end_button)
        lay.addWidget(self.done)
        lay.addLayout(backup_row)
        lay.addWidget(rule)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setStyleSheet(self.STYLE)
        self.setMinimumWidth(880)
        self.refresh()

    def refresh(self) -> None:
        work = self.client.closing() if self.client is not None else commands.no_client()
        commands.run(self, work, self.show_list, on_error=self.show_error)

    def show_list(self, reply: dict[str, Any]) -> None:
        sitting = reply.get("sitting")
        ended = reply.get("ended") or []
        if sitting is None:
            self.sitting.setText(
                translate("Closing", "Every sitting's exam is ended") if ended else translate("Closing", "Not started")
            )
        else:
            self.sitting.setText(translate("Closing", "Sitting {n}").format(n=sitting))
        for row in reply.get("items") or ():
            item = ClosingItem(row["item"])
            w = self.rows[item]
            w["facts"].setText(row["facts"])
            w["facts"].setProperty("met", "yes" if row["met"] else "no")
            w["facts"].style().unpolish(w["facts"])
            w["facts"].style().polish(w["facts"])
            ticked = row.get("ticked")
            w["ticked"].setText(f"✓ {clock_hms(ticked['at'])} {'、'.join(ticked['by'])}" if ticked else "")
        self.end_button.setEnabled(sitting is not None)

    def tick(self, item: ClosingItem) -> None:
        self.error.hide()
        work = self.client.tick_closing(item) if self.client is not None else commands.no_client()
        commands.run(self, work, self.show_list, on_error=self.show_error)

    def end(self) -> None:
        self.error.hide()
        work = self.client.end_exam() if self.client is not None else commands.no_client()
        commands.run(self, work, self._ended, on_error=self.show_error)

    def _ended(self, reply: dict[str, Any]) -> None:
        self.done.setText(
            translate("Closing", "Sitting {n}: exam ended. Back up within 30 minutes (R15).").format(n=reply["sitting"])
        )
        self.folder.setFocus()
        self.refresh()

    def choose_folder(self) -> QFileDialog:
        chooser = QFileDialog(self, translate("Closing", "Backup folder"))
        chooser.setFileMode(QFileDialog.FileMode.Directory)
        chooser.fileSelected.connect(self.folder.setText)
        chooser.open()
        return chooser

    def backup(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            self.show_error(translate("Closing", "Choose the backup folder first"))
            return
        self.error.hide()
        work = self.client.make_backup(folder) if self.client is not None else commands.no_client()
        commands.run(self, work, self._backed_up, on_error=self.show_error)

    def _backed_up(self, reply: dict[str, Any]) -> None:
        self.done.setText(
            translate("Closing", "Backed up, encrypted: {path} ({mb:.1f} MB)").format(
                path=reply["path"], mb=reply["size"] / (1024 * 1024)
            )
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
