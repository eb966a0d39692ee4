"""Colours of states and flags, shared by the seat map, the table and the header.

Colour is never the only cue: every state and flag is also written out (i18n labels)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor


@dataclass(frozen=True)
class Tint:
    accent: str  # the state's strong colour: tile bar, label pill, table text
    fill: str  # the tile's background


STATE_TINTS = {
    "expected": Tint("#78909c", "#f4f6f7"),
    "logged_in": Tint("#1565c0", "#e3effc"),
    "answering": Tint("#2e7d32", "#e6f4e7"),
    "submitted": Tint("#4527a0", "#ece8f7"),
    "absent": Tint("#6d4c41", "#efe9e6"),
    "reset": Tint("#e65100", "#fff0e0"),
    "standalone": Tint("#8e24aa", "#f5e6f8"),
    "transferred_out": Tint("#455a64", "#e9edef"),
    "gave_up": Tint("#616161", "#ececec"),
}
UNKNOWN = Tint("#616161", "#f0f0f0")

# Flags in the order their badges are drawn: what needs a proctor first.
FLAG_TINTS = {
    "violation": "#c62828",
    "duplicate_login": "#c62828",
    "offline": "#616161",
    "wrong_seat": "#6a1b9a",
    "away": "#ef6c00",
    "extra_time": "#00838f",
    "id_checked": "#2e7d32",
}

OFFLINE_FILL = "#dcdcdc"
EMPTY_BORDER = "#b0bec5"
ALERT = "#c62828"
WARN = "#b26a00"
OK = "#2e7d32"


def tint(state: str) -> Tint:
    return STATE_TINTS.get(state, UNKNOWN)


@cache
def color(hex_: str) -> QColor:
    return QColor(hex_)


@cache
def brush(hex_: str) -> QBrush:
    return QBrush(QColor(hex_))


@cache
def hatch() -> QBrush:
    return QBrush(QColor("#b5b5b5"), Qt.BrushStyle.BDiagPattern)
