"""The candidate panel: one candidate as a proctor checks them at their seat.

The photo, large enough to hold beside the face and the ID card (R57); who they are, where they
sit, their state and flags in words; their remaining time and own end; what they did (their
timeline, read from the 考场服务器 and followed live); and the operations that apply now.
An operation not built yet has no button here.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QHideEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import AnswerSaved, Event, MachineOffline
from proctor.domain.package import ExamPackage
from proctor.domain.room import Flag, State
from proctor.link.console_client import ConsoleClient, RoomChange, RoomView

from . import commands, icons, theme
from .candidate_timeline import TimelineModel
from .exam_clock import ExamClock, duration_text
from .facts import flags_of
from .header_bar import clock_hms
from .i18n import alert_detail, alert_label, flag_label, gender_label, state_label, translate
from .operations import CANDIDATE_OPERATIONS
from .room_bridge import RoomBridge
from .theme import Glyph

PhotoSource = Callable[[str], bytes | None]

REVEAL_S = 60  # a revealed ID number masks itself again after this many seconds
REMINDER_S = 15 * 60  # R12: the reminder 15 minutes before the end; the time turns amber then
PAGE = 200  # events asked for at once
PAGES = 10  # pages read in one go; the rest on the next turn
PHOTO_W, PHOTO_H = 192, 256  # logical pixels: an ID photo (3:4) at a size that reads a step away
NAME_PT, TIME_PT = 19.0, 22.0
REVEAL_KEY = QKeySequence("Ctrl+I")
CLOSE_KEY = QKeySequence(Qt.Key.Key_Escape)
# Alt+1 … Alt+9 for the candidate's open alerts, oldest first.
ACK_KEYS = tuple(QKeySequence(f"Alt+{n}") for n in range(1, 10))
ENDED = (State.SUBMITTED.value, State.ABSENT.value, State.TRANSFERRED_OUT.value, State.GAVE_UP.value)


def package_photos(package: ExamPackage | None) -> PhotoSource:
    """The photo source for a loaded exam package: a candidate's photo file's bytes, or None."""

    def photo(ticket: str) -> bytes | None:
        if package is None:
            return None
        c = package.candidate(ticket)
        return package.photos.get(c.photo) if c is not None and c.photo else None

    return photo


def with_key(text: str, key: QKeySequence) -> str:
    return f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)})"


class PhotoView(QWidget):
    """The ID photo scaled to fit with its aspect kept, smooth and crisp at any device pixel
    ratio; or a placeholder that says why there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo")
        self.setFixedSize(PHOTO_W, PHOTO_H)
        self.image: QImage | None = None
        self.note = ""
        self._scaled: QPixmap | None = None

    def set_photo(self, data: bytes | None) -> None:
        self.image, self._scaled = None, None
        if data:
            image = QImage.fromData(data)
            if image.isNull():
                self.note = translate("CandidatePanel", "The photo in the exam package cannot be read")
            else:
                # Palette images (the demo's) scale by nearest pixel: convert so that scaling is smooth.
                self.image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        else:
            self.note = translate("CandidatePanel", "No photo in the exam package")
        self.setToolTip("" if self.image is not None else self.note)
        self.update()

    @property
    def has_photo(self) -> bool:
        return self.image is not None

    def image_rect(self) -> QRect:
        """Where the photo is drawn: centred, its aspect kept."""
        if self.image is None:
            return QRect()
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect((self.width() - size.width()) // 2, (self.height() - size.height()) // 2, *size.toTuple())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled = None
        super().resizeEvent(event)

    def _pixmap(self) -> QPixmap:
        # Scaled once per size and screen, in device pixels: smooth, and never blurred twice.
        dpr = self.devicePixelRatioF()
        target = self.image_rect().size() * dpr
        if self._scaled is None or self._scaled.size() != target:
            assert self.image is not None
            scaled = self.image.scaled(
                target, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            self._scaled = QPixmap.fromImage(scaled)
            self._scaled.setDevicePixelRatio(dpr)
        return self._scaled

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.image is not None:
            r = self.image_rect()
            p.drawPixmap(r.topLeft(), self._pixmap())
            p.setPen(QPen(theme.color(theme.EMPTY_BORDER), 1))
            p.drawRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5))
            return
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        p.fillRect(box, theme.color(theme.EMPTY_FILL_ONLINE))
        p.setPen(QPen(theme.color(theme.PLACEHOLDER), 1.5, Qt.PenStyle.DashLine))
        p.drawRect(box)
        icon_box = QRectF(box.center().x() - 36, box.top() + box.height() * 0.22, 72, 72)
        icons.draw_glyph(p, Glyph.PERSON, icon_box, theme.color(theme.PLACEHOLDER))
        p.setPen(theme.color(theme.TEXT_DIM))
        text_box = QRectF(box.left() + 12, icon_box.bottom() + 12, box.width() - 24, box.bottom() - icon_box.bottom())
        p.drawText(
            text_box,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap),
            self.note,
        )


class Chip(QWidget):
    """A state or a flag: its glyph and its word, in its colours (never the colour alone)."""

    PAD = 6

    def __init__(self, text: str, glyph: Glyph, fg: str, bg: str, border: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text, self.glyph, self.fg, self.bg, self.border = text, glyph, fg, bg, border
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    @classmethod
    def for_state(cls, state: str, parent: QWidget | None = None) -> Chip:
        t = theme.tint(state)
        return cls(state_label(state), t.glyph, t.accent, t.fill, t.accent, parent)

    @classmethod
    def for_flag(cls, flag: str, parent: QWidget | None = None) -> Chip:
        b = theme.badge(flag)
        if b.solid:  # needs a proctor now: filled
            return cls(flag_label(flag), b.glyph, theme.WHITE, b.colour, b.colour, parent)
        return cls(flag_label(flag), b.glyph, b.colour, theme.WHITE, b.colour, parent)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        h = fm.height() + 8
        return QSize(self.PAD + 16 + 4 + fm.horizontalAdvance(self.text) + self.PAD + 2, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(theme.color(self.border), 1))
        p.setBrush(theme.color(self.bg))
        p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        glyph_box = QRectF(self.PAD, (self.height() - 16) / 2, 16, 16)
        icons.draw_glyph(p, self.glyph, glyph_box, theme.color(self.fg))
        p.setPen(theme.color(self.fg))
        text_box = QRectF(glyph_box.right() + 4, 0, self.width() - glyph_box.right() - 4, self.height())
        p.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.text)


class FlowLayout(QLayout):
    """Left to right, wrapping to the next line when the panel is narrow (the chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self._gap, 0
            if move:
                item.setGeometry(QRect(x, y, hint.width(), hint.height()))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y()


class CandidatePanel(QWidget):
    """Open with `show_candidate(ticket)`. Signals: `revealRequested(ticket)` (answer with
    `show_revealed`), `acknowledgeRequested(alert id)`, `operationRequested(operation name, ticket)`
    (a button of ui/operations.py: 补时…; the main window's menu holds their keys),
    `closeRequested()` (Esc)."""

    revealRequested = Signal(str)
    acknowledgeRequested = Signal(int)
    operationRequested = Signal(str, str)
    closeRequested = Signal()

    STYLE = f"""
        #content {{ background: {theme.WHITE}; }}
        #name {{ color: {theme.TEXT}; }}
        #prompt {{ color: {theme.TEXT_DIM}; padding: 24px 0; }}
        #ticketLine {{ color: {theme.MACHINE_TEXT}; }}
        #caption, #field {{ color: {theme.NOTE}; }}
        #value {{ color: {theme.TEXT}; }}
        #section {{ color: {theme.MACHINE_TEXT}; font-weight: bold; border-bottom: 1px solid {theme.RULE_LINE};
                    padding-top: 6px; padding-bottom: 2px; }}
        #timeBox {{ background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER}; border-radius: 6px; }}
        #remaining {{ color: {theme.TEXT}; }}
        #remaining[level="warn"] {{ color: {theme.WARN}; }}
        #remaining[level="alert"] {{ color: {theme.ALERT}; }}
        #revealNote, #note {{ color: {theme.NOTE}; }}
        #idNumber[revealed="yes"] {{ color: {theme.ALERT}; font-weight: bold; }}
        #error {{ color: {theme.ALERT}; }}
        #alertText {{ color: {theme.ALERT}; }}
    """

    def __init__(
        self,
        view: RoomView,
        clock: ExamClock,
        photos: PhotoSource | None = None,
        parent: QWidget | None = None,
        *,
        bridge: RoomBridge | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("candidatePanel")
        self.view, self.clock = view, clock
        self.photos: PhotoSource = photos or (lambda _ticket: None)
        self.reveal_s: float = REVEAL_S
        self._ticket: str | None = None
        self._client: ConsoleClient | None = None
        self._gen = 0  # bumped on every candidate shown: late answers for another are dropped
        self._cursor = 0  # the log's seq up to which this candidate's events are here
        self._fetch_task: asyncio.Task[None] | None = None
        self._again = False  # a change came while reading: read once more after
        self._offline_since: float | None = None
        self._last_save: AnswerSaved | None = None
        self._revealed: str | None = None
        self._pending_acks: set[int] = set()
        self._chips_key: tuple[str, tuple[str, ...]] | None = None
        self._ops_key: tuple[str | None, tuple[int, ...]] | None = None

        self.bridge = bridge or RoomBridge(view, self)
        self.bridge.changed.connect(self.on_change)
        self._build()
        self.setStyleSheet(self.STYLE)

        self.reveal_timer = QTimer(self)
        self.reveal_timer.setSingleShot(True)
        self.reveal_timer.timeout.connect(self.hide_revealed)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self.tick)
        self.show_candidate(None)

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.content = QWidget()
        self.content.setObjectName("content")
        self.prompt = self._label("prompt", wrap=True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QWidget(self.content)
        outer_lay = QVBoxLayout(self.content)
        outer_lay.setContentsMargins(12, 8, 12, 12)
        outer_lay.addWidget(self.prompt)
        outer_lay.addWidget(self.body, 1)
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addLayout(self._build_top())
        lay.addLayout(self._build_identity())
        lay.addWidget(self._build_time())
        # What needs a proctor's hand comes before the particulars: on a 768-line screen it shows
        # without scrolling.
        lay.addWidget(self._section(translate("CandidatePanel", "Operations")))
        lay.addLayout(self._build_operations())
        lay.addWidget(self._section(translate("CandidatePanel", "Details")))
        lay.addLayout(self._build_details())
        lay.addWidget(self._section(translate("CandidatePanel", "Timeline")))
        lay.addWidget(self._build_timeline(), 1)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.setMinimumWidth(280)

    def _label(self, name: str, text: str = "", *, wrap: bool = False) -> QLabel:
        label = QLabel(text, self.content)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # names and numbers come from the package: never markup
        label.setWordWrap(wrap)
        return label

    def _section(self, text: str) -> QLabel:
        return self._label("section", text)

    def _build_top(self) -> QHBoxLayout:
        self.photo = PhotoView(self.content)
        self.close_button = QToolButton(self.content)
        self.close_button.setObjectName("close")
        self.close_button.setIcon(icons.glyph_icon(Glyph.CROSS, theme.MACHINE_TEXT))
        self.close_button.setToolTip(with_key(translate("CandidatePanel", "Close the candidate panel"), CLOSE_KEY))
        self.close_button.setAccessibleName(translate("CandidatePanel", "Close the candidate panel"))
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.close_button.clicked.connect(self.closeRequested)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        top.addStretch(1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        # The close button's width again on the left, so the photo stays centred.
        top.insertSpacing(0, self.close_button.sizeHint().width())
        return top

    def _build_identity(self) -> QVBoxLayout:
        self.name = self._label("name", wrap=True)
        font = QFont(self.font())  # the application's family chain, with its rare-character fallbacks
        font.setPointSizeF(NAME_PT)
        font.setBold(True)
        self.name.setFont(font)
        self.name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ticket_line = self._label("ticketLine")
        self.ticket_line.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.chips_box = QWidget(self.content)
        self.chips = FlowLayout(self.chips_box)
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addWidget(self.name)
        box.addWidget(self.ticket_line)
        box.addWidget(self.chips_box)
        return box

    def _build_time(self) -> QFrame:
        frame = QFrame(self.content)
        frame.setObjectName("timeBox")
        self.time_caption = self._label("caption")
        self.remaining = self._label("remaining")
        font = QFont(self.font())
        font.setPointSizeF(TIME_PT)
        font.setBold(True)
        self.remaining.setFont(font)
        self.remaining.setToolTip(translate("CandidatePanel", "Time left to this candidate, extra time included"))
        self.end_line = self._label("note", wrap=True)
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(0)
        lay.addWidget(self.time_caption)
        lay.addWidget(self.remaining)
        lay.addWidget(self.end_line)
        return frame

    def _build_details(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.fields: dict[str, QLabel] = {}
        rows = (
            ("gender", translate("CandidatePanel", "Gender")),
            ("id", translate("CandidatePanel", "ID no.")),
            ("seat", translate("CandidatePanel", "Seat")),
            ("machine", translate("CandidatePanel", "Exam machine")),
            ("answered", translate("CandidatePanel", "Answered")),
            ("extra", translate("CandidatePanel", "Extra time")),
            ("contact", translate("CandidatePanel", "Last contact")),
            ("saved", translate("CandidatePanel", "Last save")),
            ("logged_in", translate("CandidatePanel", "Logged in at")),
        )
        for row, (key, title) in enumerate(rows):
            field = self._label("field", title)
            field.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = self._label("value", wrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(field, row, 0)
            if key == "id":
                value.setObjectName("idNumber")
                value.setWordWrap(False)
                self.reveal_button = QPushButton(translate("CandidatePanel", "Show full ID no."), self.content)
                self.reveal_button.setObjectName("reveal")
                self.reveal_button.setShortcut(REVEAL_KEY)
                self.reveal_button.clicked.connect(self._reveal_clicked)
                self.reveal_note = self._label("revealNote", wrap=True)
                line = QHBoxLayout()
                line.addWidget(self.reveal_button)
                line.addStretch(1)
                cell = QVBoxLayout()
                cell.setSpacing(2)
                cell.addWidget(value)
                cell.addLayout(line)
                cell.addWidget(self.reveal_note)
                grid.addLayout(cell, row, 1)
            else:
                grid.addWidget(value, row, 1)
            self.fields[key] = value
        return grid

    def _build_operations(self) -> QVBoxLayout:
        self.ops = QVBoxLayout()
        self.ops.setSpacing(4)
        self.no_ops = self._label("note", wrap=True)
        self.ops.addWidget(self.no_ops)
        self.alert_rows: list[QWidget] = []
        self.ack_buttons: dict[int, QPushButton] = {}
        self.error = self._label("error", wrap=True)
        self.error.hide()
        buttons = FlowLayout(spacing=6)
        self.operation_buttons: dict[str, QPushButton] = {}
        for op in CANDIDATE_OPERATIONS:
            button = QPushButton(op.text(), self.content)
            button.setObjectName(f"{op.name}Button")
            button.setShortcut(op.shortcut())
            button.setToolTip(with_key(op.tooltip(), op.shortcut()))
            button.clicked.connect(lambda _=False, name=op.name: self._operation_clicked(name))
            buttons.addWidget(button)
            self.operation_buttons[op.name] = button
        box = QVBoxLayout()
        box.addLayout(buttons)
        box.addLayout(self.ops)
        box.addWidget(self.error)
        return box

    def _clock_offset(self, machine: str) -> float | None:
        if float(self.view.header.get("scale") or 1.0) != 1.0:
            return None  # a rehearsal: exam time runs apart from any wall clock
        return (self.view.machines.get(machine) or {}).get("clock_offset_s")

    def _build_timeline(self) -> QWidget:
        box = QWidget(self.content)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.timeline = TimelineModel(self, self._clock_offset)
        self.timeline_view = QTableView(box)
        self.timeline_view.setObjectName("timeline")
        self.timeline_view.setModel(self.timeline)
        t = self.timeline_view
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setWordWrap(True)
        t.setShowGrid(False)
        t.setAlternatingRowColors(True)
        t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        t.verticalHeader().hide()
        t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = t.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        t.setColumnWidth(0, self.fontMetrics().horizontalAdvance("00:00:00") + 16)
        t.setMinimumHeight(220)
        t.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.timeline.rowsInserted.connect(self._timeline_grew)
        self.timeline_status = self._label("note", wrap=True)
        lay.addWidget(self.timeline_status)
        lay.addWidget(t, 1)
        return box

    # -- the integrator's side ------------------------------------------------------------------

    @property
    def ticket(self) -> str | None:
        return self._ticket

    def set_client(self, client: ConsoleClient | None) -> None:
        """The console's link: the timeline is read through it."""
        self._client = client
        if self._ticket is not None:
            self._fetch()

    def show_candidate(self, ticket: str | None) -> None:
        """Show this candidate (None: nobody); their timeline is read afresh."""
        if ticket != self._ticket:
            self._gen += 1
            self._cursor = 0
            self._again = False
            if self._fetch_task is not None:
                self._fetch_task.cancel()
                self._fetch_task = None
            self.timeline.clear()
            self._offline_since = None
            self._last_save = None
            self._pending_acks.clear()
            self.hide_revealed()
            self.error.hide()
        self._ticket = ticket
        self.photo.set_photo(self.photos(ticket) if ticket else None)
        self.refresh()
        self.scroll.verticalScrollBar().setValue(0)
        self._fetch()

    def show_revealed(self, ticket: str, number: str) -> None:
        """The service's answer to `revealRequested`: shown for REVEAL_S seconds, then masked."""
        if ticket != self._ticket:
            return  # the proctor has moved on to someone else
        self._revealed = number[:32]
        self.reveal_timer.start(int(self.reveal_s * 1000))
        self.error.hide()
        self._show_id()

    def hide_revealed(self) -> None:
        self.reveal_timer.stop()
        self._revealed = None
        if hasattr(self, "reveal_button"):
            self._show_id()

    def show_error(self, text: str) -> None:
        """A refused or failed operation, in the proctor's words; the buttons are free again."""
        self.error.setText(text)
        self.error.show()
        self._pending_acks.clear()
        for button in self.ack_buttons.values():
            button.setEnabled(True)

    # -- following the room ---------------------------------------------------------------------

    def on_change(self, change: RoomChange) -> None:
        t = self._ticket
        if t is None:
            return
        if change.whole:
            self._set_tick_interval()  # a new snapshot may bring a rehearsal clock
        if change.whole or t in change.tickets or any(t in e.tickets for e in change.events):
            self.refresh()
            self._fetch()

    def candidate(self) -> dict[str, Any] | None:
        return self.view.candidates.get(self._ticket) if self._ticket else None

    def refresh(self) -> None:
        c = self.candidate()
        if c is None:
            self._show_nobody()
            return
        self.prompt.hide()
        self.body.show()
        self.name.setText(c.get("name") or "")
        self.name.setToolTip(c.get("name") or "")
        self.ticket_line.setText(translate("CandidatePanel", "Ticket no. {ticket}").format(ticket=c["ticket"]))
        self._show_chips(c)
        f = self.fields
        f["gender"].setText(gender_label(c.get("gender") or ""))
        f["seat"].setText(c.get("seat") or translate("CandidatePanel", "Given at login (overbooked room)"))
        f["machine"].setText(self._machine_text(c))
        answered = c.get("answered")
        f["answered"].setText(
            translate("CandidatePanel", "Not reported by the exam machine")
            if answered is None
            else translate("CandidatePanel", "{n} questions").format(n=answered)
        )
        extra = int(c.get("extra_min") or 0)
        f["extra"].setText(
            translate("CandidatePanel", "{n} min").format(n=extra) if extra else translate("CandidatePanel", "None")
        )
        f["logged_in"].setText(clock_hms(c["logged_in_at"]) if c.get("logged_in_at") else "—")
        self._show_contact(c)
        self._show_id()
        self.reveal_button.setEnabled(True)
        self._show_operations(c)
        self.tick()

    def _show_nobody(self) -> None:
        self.body.hide()
        self.prompt.show()
        self.prompt.setText(
            translate("CandidatePanel", "No candidate with ticket no. {ticket} in this room").format(
                ticket=self._ticket
            )
            if self._ticket
            else translate("CandidatePanel", "Click a seat or a row to see a candidate")
        )
        self.ticket_line.setText("")
        self._show_chips(None)
        for label in self.fields.values():
            label.setText("")
        self.reveal_button.setEnabled(False)
        self.reveal_note.setText("")
        self.time_caption.setText("")
        self.remaining.setText("")
        self.end_line.setText("")
        self._show_operations(None)
        self._status("")

    def _machine_text(self, c: dict[str, Any]) -> str:
        machine = c.get("machine")
        if not machine:
            return translate("CandidatePanel", "Not logged in")
        if Flag.WRONG_SEAT.value in c.get("flags", ()):
            return translate("CandidatePanel", "{machine} (not the assigned seat)").format(machine=machine)
        return machine

    def _show_chips(self, c: dict[str, Any] | None) -> None:
        key = (c["state"], tuple(flags_of(c))) if c is not None else None
        if key == self._chips_key:
            return
        self._chips_key = key
        while (item := self.chips.takeAt(0)) is not None:
            w = item.widget()
            if w is not None:
                w.deleteLater()
        if c is None:
            return
        chips = [Chip.for_state(c["state"], self.chips_box)] + [Chip.for_flag(f, self.chips_box) for f in flags_of(c)]
        for chip in chips:
            self.chips.addWidget(chip)
            chip.show()
        self.chips_box.updateGeometry()

    def chip_texts(self) -> list[str]:
        """The state, then the flags, as the chips say them."""
        items = (self.chips.itemAt(i) for i in range(self.chips.count()))
        return [w.text for item in items if isinstance(w := item.widget(), Chip)]

    def _show_contact(self, c: dict[str, Any]) -> None:
        f = self.fields
        machine = c.get("machine")
        online = bool(machine and (self.view.machines.get(machine) or {}).get("online"))
        if Flag.OFFLINE.value in c.get("flags", ()):
            f["contact"].setText(
                translate("CandidatePanel", "Offline since {t}").format(t=clock_hms(self._offline_since))
                if self._offline_since is not None
                else translate("CandidatePanel", "Offline")
            )
        elif online:
            f["contact"].setText(translate("CandidatePanel", "Connected now"))
        else:
            f["contact"].setText("—")
        s = self._last_save
        if s is not None and s.seq >= int(c.get("last_seq") or 0):
            f["saved"].setText(translate("CandidatePanel", "{t}, save {n}").format(t=clock_hms(s.at), n=s.seq))
        elif c.get("last_seq"):
            f["saved"].setText(translate("CandidatePanel", "Save {n}").format(n=c["last_seq"]))
        else:
            f["saved"].setText(translate("CandidatePanel", "No save yet"))

    def _show_id(self) -> None:
        c = self.candidate()
        label = self.fields["id"]
        revealed = self._revealed is not None and c is not None
        label.setText(self._revealed if revealed else (c or {}).get("id_masked") or "")
        label.setProperty("revealed", "yes" if revealed else "")
        label.style().unpolish(label)
        label.style().polish(label)
        if revealed:
            self.reveal_button.setText(translate("CandidatePanel", "Hide"))
            self.reveal_button.setToolTip(
                with_key(translate("CandidatePanel", "Mask the ID number again now"), REVEAL_KEY)
            )
        else:
            self.reveal_button.setText(translate("CandidatePanel", "Show full ID no."))
            self.reveal_button.setToolTip(
                with_key(
                    translate(
                        "CandidatePanel", "Show the whole ID number for {s} s; the room server records who asked"
                    ).format(s=int(self.reveal_s)),
                    REVEAL_KEY,
                )
            )
        self._tick_reveal()

    def _tick_reveal(self) -> None:
        if self._revealed is None:
            self.reveal_note.setText("")
            self.reveal_note.hide()
            return
        left = min(math.ceil(self.reveal_s), max(0, (self.reveal_timer.remainingTime() + 999) // 1000))
        self.reveal_note.setText(translate("CandidatePanel", "Masked again in {s} s").format(s=left))
        self.reveal_note.show()

    def _show_operations(self, c: dict[str, Any] | None) -> None:
        alerts = (
            sorted((a for a in self.view.alerts.values() if a.get("ticket") == self._ticket), key=lambda a: a["id"])
            if c is not None
            else []
        )
        for op in CANDIDATE_OPERATIONS:
            button = self.operation_buttons[op.name]
            button.setVisible(c is not None)
            button.setEnabled(op.applies(c))
        key = (self._ticket, tuple(a["id"] for a in alerts))
        if key == self._ops_key:
            return
        self._ops_key = key
        for row in self.alert_rows:
            row.deleteLater()
        self.alert_rows, self.ack_buttons = [], {}
        self._pending_acks &= {a["id"] for a in alerts}
        previous: QWidget = self.close_button
        for button in self.operation_buttons.values():
            QWidget.setTabOrder(previous, button)
            previous = button
        for n, a in enumerate(alerts):
            row, button = self._alert_row(a, ACK_KEYS[n] if n < len(ACK_KEYS) else None)
            self.ops.addWidget(row)
            row.show()
            self.alert_rows.append(row)
            self.ack_buttons[a["id"]] = button
            QWidget.setTabOrder(previous, button)
            previous = button
        if c is None:
            self.no_ops.setText("")
        elif alerts:
            self.no_ops.setText(translate("CandidatePanel", "Open alerts about this candidate:"))
        else:
            self.no_ops.setText(translate("CandidatePanel", "No open alert about this candidate."))
        # Tab goes down the panel as it reads: close, the alerts, the ID number, the timeline.
        QWidget.setTabOrder(previous, self.reveal_button)
        QWidget.setTabOrder(self.reveal_button, self.timeline_view)

    def _alert_row(self, a: dict[str, Any], key: QKeySequence | None) -> tuple[QWidget, QPushButton]:
        """One open alert: when and what, in words and its glyph, and its 确认 button."""
        row = QWidget(self.content)
        icon = QLabel(row)
        icon.setPixmap(icons.alert_icon(a["kind"]).pixmap(QSize(16, 16), self.devicePixelRatioF()))
        detail = alert_detail(a["kind"], a.get("detail") or "")
        text = QLabel(f"{clock_hms(a['at'])} {alert_label(a['kind'])}" + (f"\n{detail}" if detail else ""), row)
        text.setObjectName("alertText")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        button = QPushButton(icons.glyph_icon(Glyph.CHECK, theme.OK), translate("CandidatePanel", "Acknowledge"), row)
        button.setObjectName(f"acknowledge{a['id']}")
        tip = translate("CandidatePanel", "A proctor has seen this alert and deals with it; recorded with your names")
        if key is not None:
            button.setShortcut(key)
            tip = with_key(tip, key)
        button.setToolTip(tip)
        button.setEnabled(a["id"] not in self._pending_acks)
        button.clicked.connect(lambda _=False, alert=a["id"]: self._acknowledge(alert))
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(text, 1)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row, button

    def _acknowledge(self, alert: int) -> None:
        if alert in self._pending_acks:
            return
        self._pending_acks.add(alert)
        button = self.ack_buttons.get(alert)
        if button is not None:
            button.setEnabled(False)
        self.error.hide()
        self.acknowledgeRequested.emit(alert)

    def leave_keys_to_menu(self) -> None:
        """A window whose 操作 menu holds the operations' keys takes them from the buttons (one
        key, one owner); the tooltips still say them."""
        for button in self.operation_buttons.values():
            button.setShortcut(QKeySequence())

    def _operation_clicked(self, name: str) -> None:
        if self._ticket is not None:
            self.error.hide()
            self.operationRequested.emit(name, self._ticket)

    def _reveal_clicked(self) -> None:
        if self._ticket is None:
            return
        if self._revealed is not None:
            self.hide_revealed()
            return
        self.error.hide()
        self.revealRequested.emit(self._ticket)

    # -- time -----------------------------------------------------------------------------------

    def _set_tick_interval(self) -> None:
        # A rehearsal clock runs faster: tick often enough that it does not jump by many seconds.
        scale = self.clock.scale
        self.ticker.setInterval(1000 if scale <= 1 else max(100, int(1000 / scale)))

    def _sitting(self) -> dict[str, Any] | None:
        h = self.view.header
        sittings = h.get("sittings") or []
        number = h.get("sitting")
        return next((s for s in sittings if s["number"] == number), sittings[0] if sittings else None)

    def tick(self) -> None:
        self._tick_reveal()
        c = self.candidate()
        if c is None:
            return
        caption, value, level = self._remaining(c)
        self.time_caption.setText(caption)
        self.remaining.setText(value)
        if self.remaining.property("level") != level:
            self.remaining.setProperty("level", level)
            self.remaining.style().unpolish(self.remaining)
            self.remaining.style().polish(self.remaining)
        self.end_line.setText(self._end_text(c))

    def _remaining(self, c: dict[str, Any]) -> tuple[str, str, str]:
        """(caption, the big figure, "" | "warn" | "alert")."""
        state = c["state"]
        if state == State.SUBMITTED.value:
            at = c.get("submitted_at")
            return translate("CandidatePanel", "Submitted at"), clock_hms(at) if at else "—", ""
        if state in ENDED:
            return translate("CandidatePanel", "Remaining time"), "—", ""
        now, end = self.clock.now(), c.get("end")
        if now is None or end is None:
            return translate("CandidatePanel", "Remaining time"), "--:--", ""
        s = self._sitting()
        start = float(s["start"]) if s else now
        if now < start:
            return translate("CandidatePanel", "Remaining time (not started)"), duration_text(end - start), ""
        left = max(0.0, float(end) - now)
        if left <= 0:
            return translate("CandidatePanel", "Remaining time: time is up"), duration_text(0), "alert"
        return translate("CandidatePanel", "Remaining time"), duration_text(left), "warn" if left <= REMINDER_S else ""

    def _end_text(self, c: dict[str, Any]) -> str:
        end = c.get("end")
        if end is None:
            return ""
        text = translate("CandidatePanel", "Own end {t}").format(t=clock_hms(end))
        extra = int(c.get("extra_min") or 0)
        if extra:
            text += translate("CandidatePanel", " (with {n} min extra time)").format(n=extra)
        return text

    # -- the timeline ---------------------------------------------------------------------------

    def _fetch(self) -> None:
        """Read the candidate's events newer than those here; one read at a time."""
        if self._ticket is None or self.candidate() is None:
            return
        if self._client is None:
            self._status(
                translate("CandidatePanel", "The timeline shows once this console is connected to the room server.")
            )
            return
        if self._fetch_task is not None and not self._fetch_task.done():
            self._again = True
            return
        self._again = False
        gen, ticket, after, client = self._gen, self._ticket, self._cursor, self._client
        if not self.timeline.rowCount():
            self._status(translate("CandidatePanel", "Reading the timeline from the room server…"))
        self._fetch_task = commands.run(
            self,
            self._read(client, ticket, after),
            lambda got: self._got(gen, *got),
            on_error=lambda text: self._fetch_failed(gen, text),
        )

    @staticmethod
    async def _read(client: ConsoleClient, ticket: str, after: int) -> tuple[list[Event], int, bool]:
        events: list[Event] = []
        for _ in range(PAGES):
            page = await client.history_page(ticket=ticket, after=after, limit=PAGE)
            events.extend(page.events)
            after = max(after, page.cursor)
            if page.next is None:
                return events, after, False
        return events, after, True

    def _got(self, gen: int, events: list[Event], cursor: int, more: bool) -> None:
        if gen != self._gen:
            return
        self._fetch_task = None
        self._cursor = max(self._cursor, cursor)
        for e in events:
            if isinstance(e, MachineOffline):
                self._offline_since = e.at
            elif isinstance(e, AnswerSaved):
                self._last_save = e
        self.timeline.extend(events)
        self._status(
            "" if self.timeline.rowCount() else translate("CandidatePanel", "Nothing recorded for this candidate yet.")
        )
        c = self.candidate()
        if c is not None and events:
            self._show_contact(c)
        if more or self._again:
            self._fetch()

    def _fetch_failed(self, gen: int, text: str) -> None:
        if gen != self._gen:
            return
        self._fetch_task = None
        self._status(
            translate(
                "CandidatePanel", "The timeline could not be read: {error}. It is read again at the next change."
            ).format(error=text)
        )

    def _status(self, text: str) -> None:
        self.timeline_status.setText(text)
        self.timeline_status.setVisible(bool(text))

    def _timeline_grew(self, *_: Any) -> None:
        # Follow the newest event, unless the proctor has scrolled up to read an older one.
        bar = self.timeline_view.verticalScrollBar()
        if bar.value() >= bar.maximum() - 4:
            QTimer.singleShot(0, self.timeline_view.scrollToBottom)

    # -- showing and keyboard -------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._set_tick_interval()
        self.ticker.start()
        self.tick()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.ticker.stop()  # a closed dock costs nothing

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.closeRequested.emit()
            return
        super().keyPressEvent(event)
