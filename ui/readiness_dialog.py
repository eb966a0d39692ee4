"""考前检查: the room check list before the start. Each item as the room shows it now (read by
the service's rules), ticked by the proctors with the time and their names; an item short of its
rule is ticked only with a note of what was done; the package's code is typed as read from the
arrangement (R55). Shown with open(), never exec()."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import ReadinessItem
from proctor.link.console_client import ConsoleClient, RoomView

from . import commands, theme
from .header_bar import clock_hms
from .i18n import translate

NOTE_MAX = 200
NOTE_W = 220  # px


def item_labels() -> dict[ReadinessItem, str]:
    return {
        ReadinessItem.MACHINES_AT_LOGIN: translate("Readiness", "Exam machines on, at the login screen"),
        ReadinessItem.SPARES: translate("Readiness", "Spare exam machines"),
        ReadinessItem.PAPERS_IMPORTED: translate("Readiness", "Papers imported an hour before the start"),
        ReadinessItem.PROCTORS: translate("Readiness", "Proctors for the room's size"),
        ReadinessItem.PACKAGE_CHECKED: translate("Readiness", "Room data checked against its code"),
    }


class ReadinessDialog(QDialog):
    STYLE = f"""
        #facts[met="no"] {{ color: {theme.ALERT}; }}
        #ticked {{ color: {theme.OK}; }}
        #error {{ color: {theme.ALERT}; }}
    """

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readinessDialog")
        self.setWindowTitle(translate("Readiness", "Check list before the start"))
        self.view, self.client = view, client
        self.rows: dict[ReadinessItem, dict[str, Any]] = {}
        grid = QGridLayout()
        labels = item_labels()
        for i, item in enumerate(ReadinessItem):
            name = QLabel(labels[item], self)
            facts = QLabel("…", self)
            facts.setObjectName("facts")
            facts.setWordWrap(True)
            note = QLineEdit(self)
            note.setObjectName(f"note_{item.value}")
            note.setMaxLength(NOTE_MAX)
            note.setPlaceholderText(
                translate("Readiness", "Code as printed on the arrangement")
                if item is ReadinessItem.PACKAGE_CHECKED
                else translate("Readiness", "If short of the rule: what was done")
            )
            tick = QPushButton(translate("Readiness", "Tick"), self)
            tick.setObjectName(f"tick_{item.value}")
            tick.setAutoDefault(False)
            tick.clicked.connect(lambda _=False, it=item: self.tick(it))
            note.returnPressed.connect(lambda it=item: self.tick(it))
            note.setMinimumWidth(NOTE_W)
            ticked = QLabel(self)
            ticked.setObjectName("ticked")
            ticked.setWordWrap(True)
            for col, w in enumerate((name, facts, note, tick)):
                grid.addWidget(w, 2 * i, col)
            grid.addWidget(ticked, 2 * i + 1, 1, 1, 3)  # the tick under its item: when, who, the note
            self.rows[item] = {"facts": facts, "note": note, "tick": tick, "ticked": ticked}
        grid.setColumnStretch(1, 1)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        rule = QLabel(
            translate(
                "Readiness",
                "R04: all exam machines at the login screen 90 min before; R01: about 5% spares; R03: papers an "
                "hour before; R02: two proctors per 25 candidates; R55: the room's data checked by its code",
            ),
            self,
        )
        rule.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)  # Enter in a row ticks that row; Esc closes
        close.setDefault(False)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addWidget(rule)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setStyleSheet(self.STYLE)
        self.setMinimumWidth(880)  # within the smallest proctor screen, 1024 px
        self.refresh()

    def refresh(self) -> None:
        work = self.client.readiness() if self.client is not None else commands.no_client()
        commands.run(self, work, self.show_items, on_error=self.show_error)

    def show_items(self, items: list[dict[str, Any]]) -> None:
        for row in items:
            item = ReadinessItem(row["item"])
            w = self.rows[item]
            w["facts"].setText(f"{row['facts']}（{row['rule']}）")
            w["facts"].setProperty("met", "yes" if row["met"] else "no")
            w["facts"].style().unpolish(w["facts"])
            w["facts"].style().polish(w["facts"])
            ticked = row.get("ticked")
            if ticked:
                text = translate("Readiness", "{time} {names}").format(
                    time=clock_hms(ticked["at"]), names="、".join(ticked["by"])
                )
                w["ticked"].setText("✓ " + text + (f"：{ticked['note']}" if ticked.get("note") else ""))
            else:
                w["ticked"].setText("")

    def tick(self, item: ReadinessItem) -> None:
        w = self.rows[item]
        text = w["note"].text()
        code = text if item is ReadinessItem.PACKAGE_CHECKED else ""
        note = "" if item is ReadinessItem.PACKAGE_CHECKED else text
        self.error.hide()
        work = self.client.tick_readiness(item, note, code) if self.client is not None else commands.no_client()
        commands.run(self, work, self.show_items, on_error=self.show_error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
