"""Colours and glyphs of states, flags and alerts, and the screen's other colours.

One table per kind of thing, keyed by the domain's own enums (proctor.domain), so a state or
flag added there shows up here as missing (tests/ui/test_legend.py). Colour is never the only
cue: every entry has a glyph (ui/icons.py draws it) and a label (ui/i18n.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from proctor.domain.events import AlertKind
from proctor.domain.room import Flag, State


class Glyph(Enum):
    """Shapes for icons; each state, flag and alert kind has one (ui/icons.py draws them)."""

    RING = "ring"  # hollow circle: waited for
    DOT = "dot"  # filled circle: here
    PLAY = "play"  # triangle: running
    CHECK = "check"
    CROSS = "cross"
    CYCLE = "cycle"  # circular arrow: reset
    SQUARE = "square"  # one machine on its own
    ARROW = "arrow"  # out of the room
    MINUS = "minus"
    SLASH = "slash"  # ring struck through: no connection
    PAUSE = "pause"
    WARNING = "warning"  # exclamation in a triangle
    CARD = "card"  # an ID card
    PLUS = "plus"
    DIAMOND = "diamond"
    DOUBLE = "double"  # two overlapping squares
    BANG = "bang"  # exclamation in a circle
    QUESTION = "question"
    CLOCK = "clock"
    PERSON = "person"


@dataclass(frozen=True)
class Tint:
    accent: str  # the state's strong colour: tile bar, label pill, table text, icon
    fill: str  # the tile's and the table cell's background
    glyph: Glyph


@dataclass(frozen=True)
class Badge:
    colour: str
    glyph: Glyph
    solid: bool = False  # a filled pill: needs a proctor now; outlined: for information


# In the order of State (a candidate's one state).
STATE_TINTS: dict[State, Tint] = {
    State.EXPECTED: Tint("#78909c", "#f4f6f7", Glyph.RING),
    State.LOGGED_IN: Tint("#1565c0", "#e3effc", Glyph.DOT),
    State.ANSWERING: Tint("#2e7d32", "#e6f4e7", Glyph.PLAY),
    State.SUBMITTED: Tint("#4527a0", "#ece8f7", Glyph.CHECK),
    State.ABSENT: Tint("#6d4c41", "#efe9e6", Glyph.CROSS),
    State.RESET: Tint("#e65100", "#fff0e0", Glyph.CYCLE),
    State.STANDALONE: Tint("#8e24aa", "#f5e6f8", Glyph.SQUARE),
    State.TRANSFERRED_OUT: Tint("#455a64", "#e9edef", Glyph.ARROW),
    State.GAVE_UP: Tint("#616161", "#ececec", Glyph.MINUS),
}
UNKNOWN = Tint("#616161", "#f0f0f0", Glyph.QUESTION)

# Flags in the order their badges are drawn: what needs a proctor first.
FLAG_BADGES: dict[Flag, Badge] = {
    Flag.ALERT: Badge("#c62828", Glyph.BANG, solid=True),
    Flag.VIOLATION: Badge("#c62828", Glyph.WARNING, solid=True),
    Flag.DUPLICATE_LOGIN: Badge("#c62828", Glyph.DOUBLE, solid=True),
    Flag.OFFLINE: Badge("#616161", Glyph.SLASH, solid=True),
    Flag.WRONG_SEAT: Badge("#6a1b9a", Glyph.DIAMOND),
    Flag.AWAY: Badge("#ef6c00", Glyph.PAUSE),
    Flag.EXTRA_TIME: Badge("#00838f", Glyph.PLUS),
    Flag.ID_CHECKED: Badge("#2e7d32", Glyph.CARD),
}
UNKNOWN_BADGE = Badge("#616161", Glyph.QUESTION)

# In the order of AlertKind; a kind that is also a flag looks like the flag.
ALERT_BADGES: dict[AlertKind, Badge] = {
    AlertKind.MACHINE_OFFLINE: FLAG_BADGES[Flag.OFFLINE],
    AlertKind.DUPLICATE_LOGIN: FLAG_BADGES[Flag.DUPLICATE_LOGIN],
    AlertKind.WRONG_SEAT: FLAG_BADGES[Flag.WRONG_SEAT],
    AlertKind.UNKNOWN_MACHINE: Badge("#c62828", Glyph.QUESTION, solid=True),
    AlertKind.CLOCK_STEPPED: Badge("#b26a00", Glyph.CLOCK, solid=True),
    AlertKind.PROCTORS_SHORT: Badge("#b26a00", Glyph.PERSON, solid=True),
    AlertKind.BAD_PROOF: Badge("#c62828", Glyph.CROSS, solid=True),
    AlertKind.MACHINE_CLASH: Badge("#c62828", Glyph.DOUBLE, solid=True),
    AlertKind.MACHINE_CLOCK: Badge("#b26a00", Glyph.CLOCK),
    AlertKind.MACHINE_UNSEALED: Badge("#c62828", Glyph.WARNING, solid=True),
    AlertKind.SAVE_CONFLICT: Badge("#c62828", Glyph.BANG, solid=True),
    AlertKind.SAVES_MISSING: Badge("#c62828", Glyph.MINUS, solid=True),
    AlertKind.ANSWERS_DAMAGED: Badge("#c62828", Glyph.SLASH, solid=True),
    AlertKind.SIGN_IN_CLOSING: Badge("#b26a00", Glyph.RING, solid=True),
    AlertKind.END_REMINDER: Badge("#1565c0", Glyph.CLOCK, solid=True),
    AlertKind.AUTHCODE_LOCKED: Badge("#c62828", Glyph.CROSS, solid=True),
    AlertKind.IDENTITY_MISMATCH: Badge("#c62828", Glyph.CARD, solid=True),
    AlertKind.AWAY_TOO_LONG: Badge("#ef6c00", Glyph.PAUSE, solid=True),
    AlertKind.BACKUP_DUE: Badge("#b26a00", Glyph.SQUARE, solid=True),
    AlertKind.STANDALONE_OUTSTANDING: Badge("#c62828", Glyph.SQUARE, solid=True),  # standalone exam
    AlertKind.RESET_MACHINE: Badge("#c62828", Glyph.CYCLE, solid=True),  # reset (重置)
    AlertKind.UNLOCK_FAILED: Badge("#c62828", Glyph.PERSON, solid=True),  # the console lock
    AlertKind.INCIDENT_THRESHOLD: Badge("#c62828", Glyph.CLOCK, solid=True),  # an incident's timer
    AlertKind.WIDE_OUTAGE: Badge("#c62828", Glyph.SLASH, solid=True),  # many machines dropped: an incident
}

# Everything else on the screen.
ALERT = "#c62828"
WARN = "#b26a00"
OK = "#2e7d32"
WHITE = "#ffffff"
TEXT = "#111111"
TEXT_DIM = "#616161"  # a name not (or no longer) at the machine
MACHINE_TEXT = "#263238"
PLACEHOLDER = "#90a4ae"  # "---", "备用" on an empty tile
NOTE = "#607d8b"  # small print: the answered count
OFFLINE_FILL = "#dcdcdc"
OFFLINE_ACCENT = "#9e9e9e"  # tile border and bar, machine column text
OFFLINE_PILL = "#757575"
EMPTY_BORDER = "#b0bec5"
EMPTY_FILL_ONLINE = "#fafafa"
EMPTY_FILL_OFFLINE = "#f0f0f0"
HATCH = "#b5b5b5"

# The frame around the room: header, panels and boxes (stylesheets use these, never a literal).
HEADING = "#1a2b34"  # titles and big numbers
TEXT_SECOND = "#37474f"  # secondary lines (place, phase)
EMPHASIS = "#0d47a1"  # what to read first: the countdown, the package code
BOX_FILL = "#f4f7f9"  # a count's or a time's box
BOX_BORDER = "#dde4e8"
BOX_HOVER = "#90a4ae"  # a box under the pointer
TEXT_MUTED = "#546e7a"  # small titles and notes
ALERT_FILL = "#fdecea"  # behind something that needs a proctor
CODE_FILL = "#f3f8fe"  # behind the package code
RULE_LINE = "#d5dde2"  # lines between parts of the screen
CODE_BORDER = "#90caf9"
CLOCK_TEXT = "#102027"  # the exam clock
DEFAULTED_FILL = "#fff4dc"  # a profile number that took the national default


def _state(value: str) -> State | None:
    try:
        return State(value)
    except ValueError:
        return None


def _flag(value: str) -> Flag | None:
    try:
        return Flag(value)
    except ValueError:
        return None


def tint(state: str) -> Tint:
    """A state's colours; a state this console does not know yet gets UNKNOWN."""
    s = _state(state)
    return STATE_TINTS.get(s, UNKNOWN) if s is not None else UNKNOWN


def badge(flag: str) -> Badge:
    f = _flag(flag)
    return FLAG_BADGES.get(f, UNKNOWN_BADGE) if f is not None else UNKNOWN_BADGE


def alert_badge(kind: str) -> Badge:
    try:
        return ALERT_BADGES.get(AlertKind(kind), UNKNOWN_BADGE)
    except ValueError:
        return UNKNOWN_BADGE


def flag_rank(flag: str) -> int:
    """Where a flag's badge goes: the most urgent first, unknown flags last."""
    return _FLAG_RANK.get(flag, len(_FLAG_RANK))


_FLAG_RANK = {f.value: i for i, f in enumerate(FLAG_BADGES)}


@cache
def color(hex_: str) -> QColor:
    return QColor(hex_)


@cache
def brush(hex_: str) -> QBrush:
    return QBrush(QColor(hex_))


@cache
def hatch() -> QBrush:
    return QBrush(QColor(HATCH), Qt.BrushStyle.BDiagPattern)
