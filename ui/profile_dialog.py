"""The policy profile (适用规则) the room service applies: every number, its rule rows, the seed
article the profile quotes, and which numbers took the national default because the profile is
silent on them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.policy import MEANINGS

from . import theme
from .commands import chinese
from .i18n import translate

COLUMNS = ("parameter", "value", "rules", "source")


def parameter_label(name: str) -> str:
    """What a number of the profile is, in the console's language; a name this console does not
    know (a newer service) shows as it is."""
    meaning = MEANINGS.get(name)
    if meaning is None:
        return name
    return meaning.zh if chinese() else meaning.en


def value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_title(key: str) -> str:
    return {
        "parameter": translate("Profile", "Parameter"),
        "value": translate("Profile", "Value"),
        "rules": translate("Profile", "Rule"),
        "source": translate("Profile", "Where it comes from"),
    }[key]


class ProfileDialog(QDialog):
    """Shown with open(), never exec() (see ask.py)."""

    def __init__(self, header: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle(translate("Profile", "Policy profile"))
        policy = header.get("policy") or {}
        profile = header.get("profile") or {}
        self.parameters: list[dict[str, Any]] = list(profile.get("parameters") or ())

        self.name = QLabel(translate("Profile", "Policy profile: {name}").format(name=policy.get("name") or "—"), self)
        self.name.setObjectName("profileName")
        self.name.setWordWrap(True)
        self.source = QLabel(
            translate("Profile", "Based on: {source}").format(source=profile.get("source") or "—"),
            self,
        )
        self.source.setWordWrap(True)
        defaulted = sum(1 for p in self.parameters if p.get("defaulted"))
        self.note = QLabel(self)
        self.note.setObjectName("profileNote")
        self.note.setWordWrap(True)
        self.note.setText(
            translate(
                "Profile",
                "{n} numbers are not set by this profile and take the national default (marked “default”).",
            ).format(n=defaulted)
            if defaulted
            else translate("Profile", "This profile sets every number itself.")
        )
        self.table = self._table()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(self.name)
        lay.addWidget(self.source)
        lay.addWidget(self.note)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.setStyleSheet(
            f"#profileName {{ font-size: 13pt; font-weight: bold; }} #profileNote {{ color: {theme.WARN}; }}"
            " #profileTable::item { padding: 4px 6px; }"
        )
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(900, screen.width() - 40), min(620, screen.height() - 60))

    def _table(self) -> QTableWidget:
        t = QTableWidget(len(self.parameters), len(COLUMNS), self)
        t.setObjectName("profileTable")
        t.setHorizontalHeaderLabels([column_title(c) for c in COLUMNS])
        t.verticalHeader().hide()
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setWordWrap(True)
        italic = QFont(t.font())
        italic.setItalic(True)
        shade = theme.brush(theme.DEFAULTED_FILL)
        for row, p in enumerate(self.parameters):
            defaulted = bool(p.get("defaulted"))
            if defaulted:
                source = translate("Profile", "Default: the profile is silent")
            elif p.get("taken") is False:  # the profile declines the rule, citing what applies instead
                source = translate("Profile", "Not taken: {source}").format(source=p.get("source") or "—")
            elif p.get("value") is None:  # the other of two ways to set a number (R08 or R09/R10)
                source = translate("Profile", "Not used by this profile")
            else:
                source = p.get("source") or "—"
            cells = (
                parameter_label(str(p.get("name", ""))),
                value_text(p.get("value")),
                "/".join(p.get("rules") or ()) or "—",
                source,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if defaulted:
                    item.setBackground(shade)
                    if col == 3:
                        item.setFont(italic)
                if col in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                t.setItem(row, col, item)
        header = t.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # wrapped text fits
        t.setCurrentCell(-1, -1)
        return t

    def defaulted_names(self) -> list[str]:
        """The labels of the numbers that took the national default, as listed."""
        col = COLUMNS.index("parameter")
        return [self.table.item(row, col).text() for row, p in enumerate(self.parameters) if p.get("defaulted")]
