"""The header: which exam and room, the exam clock, the sitting's next deadline, the counts, the
proctors, the policy profile (适用规则) and the package's short code (考场数据校验码)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QStackedLayout,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.deadlines import Deadline
from proctor.domain.room import Flag, Phase, State
from proctor.link.console_client import RoomView

from . import icons, theme
from .exam_clock import ExamClock, duration_text
from .facts import SIDE_STATES, room_counts
from .i18n import flag_label, phase_label, state_label, translate
from .profile_dialog import ProfileDialog
from .qr import FingerprintDialog


@dataclass(frozen=True)
class Count:
    key: str  # in ui.facts.room_counts
    filter: str  # what a click asks the candidate list to show: "" (all), "present", "state:x", "flag:x"


# Always shown, always in the same place. Before sign-in closes the fifth slot counts who has not
# logged in yet (未登录); from then on it counts the absent (缺考), and 已登录 reads 实到.
MAIN_COUNTS = (
    Count("expected_total", ""),
    Count("logged_in", "present"),
    Count("answering", "state:answering"),
    Count("submitted", "state:submitted"),
    Count("not_logged_in", "state:expected"),
    Count("absent", "state:absent"),
    Count("offline", "flag:offline"),
    Count("alerts", "flag:alert"),
)
# Shown only when some candidate is in them, beside the main counts; what needs a proctor first.
SIDE_COUNTS = (
    Count(Flag.VIOLATION.value, f"flag:{Flag.VIOLATION.value}"),
    Count(Flag.AWAY.value, f"flag:{Flag.AWAY.value}"),
    Count(State.RESET.value, f"state:{State.RESET.value}"),
    Count(State.STANDALONE.value, f"state:{State.STANDALONE.value}"),
    Count(State.TRANSFERRED_OUT.value, f"state:{State.TRANSFERRED_OUT.value}"),
    Count(State.GAVE_UP.value, f"state:{State.GAVE_UP.value}"),
)
# As many as fit beside the main counts without making the header taller (more when wide).
SIDE_ROWS, SIDE_COLUMNS, SIDE_COLUMNS_WIDE = 2, 2, 3
SIDE_LABEL_EM = 7  # a longer label (English) is shortened; its tooltip has it whole
ALERTING = ("offline", "alerts")  # chips that turn red when not zero
CLOSED = (Phase.SIGN_IN_CLOSED.value, Phase.ENDED.value)


def count_title(key: str, closed: bool = False) -> str:
    if key == "logged_in" and closed:
        return translate("Header", "Present")
    return {
        "expected_total": translate("Header", "Expected"),
        "logged_in": translate("Header", "Logged in"),
        "answering": translate("Header", "Answering"),
        "submitted": translate("Header", "Submitted"),
        "not_logged_in": translate("Header", "Not in yet"),
        "absent": translate("Header", "Absent"),
        "offline": translate("Header", "Offline"),
        "alerts": translate("Header", "Alerts"),
    }[key]


def count_tooltip(key: str) -> str:
    what = {
        "expected_total": translate("Header", "Candidates of this sitting in this room"),
        "logged_in": translate("Header", "Candidates who have logged in (answering and submitted included)"),
        "answering": translate("Header", "Candidates answering now"),
        "submitted": translate("Header", "Candidates who have submitted, by themselves or at their end"),
        "not_logged_in": translate(
            "Header", "Candidates who have not logged in yet; absent if still so at sign-in close"
        ),
        "absent": translate("Header", "Not logged in when sign-in closed"),
        "offline": translate("Header", "Logged-in candidates whose exam machine stopped answering"),
        "alerts": translate("Header", "Alerts waiting for a proctor to acknowledge them"),
    }[key]
    return what + "\n" + translate("Header", "Click to list them")


def side_label(key: str) -> str:
    return state_label(key) if any(s.value == key for s in SIDE_STATES) else flag_label(key)


def side_icon(count: Count) -> QIcon:
    return icons.state_icon(count.key) if count.filter.startswith("state:") else icons.flag_icon(count.key)


def deadline_title(kind: str, minutes: int = 0) -> str:
    """A deadline in the list: what happens then."""
    titles = {
        Deadline.LOGIN_OPENS.value: translate("Header", "Login opens"),
        Deadline.START.value: translate("Header", "Start"),
        Deadline.SIGN_IN_CLOSES.value: translate("Header", "Sign-in closes"),
        Deadline.EARLIEST_SUBMIT.value: translate("Header", "Submission opens"),
        Deadline.REMINDER.value: translate("Header", "Remind candidates: {min} minutes left").format(min=minutes),
        Deadline.END.value: translate("Header", "End"),
        Deadline.LAST_END.value: translate("Header", "Last extra time ends"),
    }
    return titles.get(kind, kind)


def deadline_countdown(kind: str, left: str, minutes: int = 0) -> str:
    """The next deadline and the time left until it, as the header shows it."""
    texts = {
        Deadline.LOGIN_OPENS.value: translate("Header", "Login opens in {left}"),
        Deadline.START.value: translate("Header", "Start in {left}"),
        Deadline.SIGN_IN_CLOSES.value: translate("Header", "Sign-in closes in {left}"),
        Deadline.EARLIEST_SUBMIT.value: translate("Header", "Submission opens in {left}"),
        Deadline.REMINDER.value: translate("Header", "{min}-minute reminder in {left}"),
        Deadline.END.value: translate("Header", "Ends in {left}"),
        Deadline.LAST_END.value: translate("Header", "Extra time ends in {left}"),
    }
    text = texts.get(kind)
    return text.format(left=left, min=minutes) if text else f"{kind} {left}"


def clock_hms(epoch: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm:ss")


def clock_hm(epoch: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm")


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a property the style sheet reads, and repolish only when it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class ElidedLabel(QLabel):
    """One line that gives way when the row is full: elided in the middle, so an exam's long
    name shrinks and its level (初级) at the end stays; the whole text is in `full`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        if text == self.full and self.text():
            return
        self.full = text
        self.updateGeometry()
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 8, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self.full) + 4, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # Until it is shown and laid out its width means nothing: keep the whole text.
        width = self.width() if self.isVisible() else 1 << 20
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideMiddle, width)
        if shown != self.text():
            self.setText(shown)


class CountChip(QFrame):
    """A count with its title under it; a click asks for the candidates counted."""

    clicked = Signal(str)

    def __init__(self, count: Count, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.filter = count.key, count.filter
        self.setObjectName("chip")
        self.setToolTip(count_tooltip(count.key))
        # No keyboard focus: the candidate filter beside the table offers the same lists by keyboard.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 3)
        lay.setSpacing(0)
        self.number = QLabel("0", self)
        self.number.setObjectName("chipNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(count_title(count.key), self)
        self.title.setObjectName("chipTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.number)
        lay.addWidget(self.title)

    def set_value(self, value: int, alert: bool = False) -> None:
        self.number.setText(str(value))
        self.setAccessibleName(f"{self.title.text()} {value}")
        restyle(self, "alert", "alert" if alert else "")

    def fit(self, titles: list[str], digits: int) -> None:
        """A fixed width that holds any of `titles` and a number of `digits`: a count that grows
        or a title that changes does not move its neighbours."""
        self.ensurePolished()
        self.number.ensurePolished()
        self.title.ensurePolished()
        wide = max(
            self.number.fontMetrics().horizontalAdvance("8" * digits),
            *(self.title.fontMetrics().horizontalAdvance(t) for t in titles),
        )
        m = self.layout().contentsMargins()
        self.setFixedWidth(wide + m.left() + m.right() + 2 * self.frameWidth() + 6)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.filter)
        super().mouseReleaseEvent(event)


class SideChip(QToolButton):
    """A side state or flag with its count on one line: shown only when not zero."""

    def __init__(self, count: Count, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.filter = count.key, count.filter
        self.value = 0
        self.setObjectName("sideChip")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(12, 12))
        self.setIcon(side_icon(count))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(
            translate("Header", "Candidates: {label}").format(label=side_label(count.key))
            + "\n"
            + translate("Header", "Click to list them")
        )
        self.hide()

    def minimumSizeHint(self) -> QSize:
        # Gives way (Qt elides the text) before the header would force the window wider.
        hint = super().minimumSizeHint()
        return QSize(self.iconSize().width() + self.fontMetrics().horizontalAdvance("M" * 4), hint.height())

    def set_value(self, value: int) -> None:
        self.value = value
        self.ensurePolished()
        label = side_label(self.key)
        fm = self.fontMetrics()
        short = fm.elidedText(label, Qt.TextElideMode.ElideMiddle, fm.horizontalAdvance("M") * SIDE_LABEL_EM)
        self.setText(f"{short} {value}")
        self.setAccessibleName(f"{label} {value}")


class MoreChip(QToolButton):
    """The side counts that do not fit, in a menu: each entry lists its candidates."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sideChip")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMenu(QMenu(self))
        self.hide()

    def set_counts(self, counts: list[tuple[Count, int]]) -> None:
        menu = self.menu()
        menu.clear()
        for count, value in counts:
            action = menu.addAction(side_icon(count), f"{side_label(count.key)} {value}")
            action.triggered.connect(lambda _=False, f=count.filter: self.picked.emit(f))
        self.setText(translate("Header", "{n} more").format(n=len(counts)))
        self.setToolTip("\n".join(f"{side_label(c.key)} {v}" for c, v in counts))


class DeadlineLabel(QLabel):
    """The next deadline; its tooltip lists them all, and a click shows the list at once."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.toolTip():
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), self.toolTip(), self)
        super().mousePressEvent(event)


class HeaderBar(QFrame):
    # A count was clicked: "" (every candidate), "present" (everyone who logged in), "state:x", "flag:x".
    countClicked = Signal(str)

    STYLE = f"""
        #header {{ background: {theme.WHITE}; border-bottom: 1px solid {theme.RULE_LINE}; }}
        #title {{ font-size: 15pt; font-weight: bold; color: {theme.HEADING}; }}
        #place, #batch {{ color: {theme.TEXT_SECOND}; font-size: 11pt; }}
        #shortCode {{ font-family: "DejaVu Sans Mono", monospace; font-size: 11pt; font-weight: bold;
                     color: {theme.EMPHASIS}; border: 1px solid {theme.CODE_BORDER}; border-radius: 4px; padding: 1px 6px;
                     background: {theme.CODE_FILL}; }}
        #shortCodeTitle {{ color: {theme.TEXT_MUTED}; }}
        #clock {{ font-family: "DejaVu Sans Mono", monospace; font-size: 22pt; font-weight: bold; color: {theme.CLOCK_TEXT}; }}
        #sitting {{ font-size: 11pt; color: {theme.HEADING}; }}
        #phase {{ font-size: 10pt; color: {theme.TEXT_SECOND}; }}
        #countdown {{ font-size: 11pt; font-weight: bold; color: {theme.EMPHASIS}; }}
        #countdown[soon="soon"] {{ color: {theme.WARN}; }}
        #chip {{ background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER}; border-radius: 6px; }}
        #chip:hover {{ border-color: {theme.BOX_HOVER}; }}
        #chip[alert="alert"] {{ background: {theme.ALERT_FILL}; border-color: {theme.ALERT}; }}
        #chip[alert="alert"] #chipNumber {{ color: {theme.ALERT}; }}
        #chipNumber {{ font-size: 16pt; font-weight: bold; color: {theme.HEADING}; }}
        #chipTitle {{ font-size: 9pt; color: {theme.TEXT_MUTED}; }}
        #sideChip {{ font-size: 9pt; color: {theme.HEADING}; background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER};
                    border-radius: 4px; padding: 0px 4px; }}
        #sideChip:hover {{ border-color: {theme.BOX_HOVER}; }}
        #proctors {{ color: {theme.TEXT_SECOND}; font-size: 10pt; }}
        #proctors[level="short"] {{ color: {theme.WARN}; font-weight: bold; }}
        #proctors[level="none"] {{ color: {theme.ALERT}; font-weight: bold; }}
        #policyButton {{ color: {theme.EMPHASIS}; }}
        /* On a wide screen, read from a step away. */
        #header[wide="wide"] #title {{ font-size: 18pt; }}
        #header[wide="wide"] #place, #header[wide="wide"] #batch {{ font-size: 13pt; }}
        #header[wide="wide"] #clock {{ font-size: 30pt; }}
        #header[wide="wide"] #sitting {{ font-size: 13pt; }}
        #header[wide="wide"] #phase {{ font-size: 12pt; }}
        #header[wide="wide"] #countdown {{ font-size: 15pt; }}
        #header[wide="wide"] #chipNumber {{ font-size: 22pt; }}
        #header[wide="wide"] #chipTitle {{ font-size: 11pt; }}
        #header[wide="wide"] #sideChip {{ font-size: 11pt; }}
        #header[wide="wide"] #proctors {{ font-size: 12pt; }}
        #rehearsal {{ color: {theme.WHITE}; background: {theme.WARN}; border-radius: 4px; padding: 1px 6px;
                      font-weight: bold; }}
    """
    SOON_S = 5 * 60  # the countdown turns amber this close to its deadline
    WIDE_PX = 1600  # from this width on, larger type

    def __init__(self, view: RoomView, clock: ExamClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.clock = view, clock
        self.fallback: dict[str, Any] = {}  # header from the package until the service speaks
        self._digits = 0
        self._deadlines_tip = ""
        self._policy_name = ""
        self.setObjectName("header")
        self.setStyleSheet(self.STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._build_identity()
        self._build_time()
        self._build_counts()
        self._build_people()
        self._lay_out()
        self.refresh()

    # -- building -------------------------------------------------------------------------------

    def _label(self, name: str, text: str = "", cls: type[QLabel] = QLabel) -> QLabel:
        label = cls(text, self)
        label.setObjectName(name)
        return label

    def _build_identity(self) -> None:
        self.title = ElidedLabel(self)
        self.title.setObjectName("title")
        self.rehearsal = self._label("rehearsal")
        self.rehearsal.hide()
        self.place = self._label("place")
        self.batch = self._label("batch")
        self.batch.setToolTip(translate("Header", "Batch"))

    def _build_time(self) -> None:
        self.clock_label = self._label("clock", "--:--:--")
        self.clock_label.setToolTip(translate("Header", "Exam time, as kept by the room server"))
        self.sitting = ElidedLabel(self)
        self.sitting.setObjectName("sitting")
        self.phase = ElidedLabel(self)
        self.phase.setObjectName("phase")
        self.countdown = self._label("countdown", cls=DeadlineLabel)

    def _build_counts(self) -> None:
        self.chips = {c.key: CountChip(c, self) for c in MAIN_COUNTS}
        for chip in self.chips.values():
            chip.clicked.connect(self.countClicked)
        # 未登录 until sign-in closes, then 缺考: one slot, so nothing beside it moves.
        self.sign_in_slot = QWidget(self)
        self.sign_in_stack = QStackedLayout(self.sign_in_slot)
        self.sign_in_stack.addWidget(self.chips["not_logged_in"])
        self.sign_in_stack.addWidget(self.chips["absent"])
        self.side = {c.key: SideChip(c, self) for c in SIDE_COUNTS}
        for side in self.side.values():
            side.clicked.connect(lambda _=False, f=side.filter: self.countClicked.emit(f))
        self.more = MoreChip(self)
        self.more.picked.connect(self.countClicked)
        self.side_box = QWidget(self)
        self.side_grid = QGridLayout(self.side_box)
        self.side_grid.setContentsMargins(0, 0, 0, 0)
        self.side_grid.setSpacing(2)
        self._side_shown: tuple[str, ...] = ()

    def _build_people(self) -> None:
        self.proctors = self._label("proctors")
        self.proctors.setToolTip(
            translate("Header", "The room proctors signed in at the console; every record names them (R02)")
        )
        self.sign_in_button = QToolButton(self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sign_in_button.hide()  # until the window gives it its action
        self.policy_button = QToolButton(self)
        self.policy_button.setObjectName("policyButton")
        self.policy_button.setAutoRaise(True)
        self.policy_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.policy_button.clicked.connect(self.show_profile)
        self.short_code_title = self._label("shortCodeTitle", translate("Header", "Package code"))
        self.short_code = self._label("shortCode")
        self.short_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.short_code.setToolTip(translate("Header", "Compare with the site's published arrangement"))
        self.qr_button = QToolButton(self)
        self.qr_button.setObjectName("qrButton")
        self.qr_button.setText(translate("Header", "QR code"))
        self.qr_button.setToolTip(translate("Header", "Show the package fingerprint as a QR code for the site's scan"))
        self.qr_button.clicked.connect(self.show_fingerprint)

    def _lay_out(self) -> None:
        who = QHBoxLayout()
        who.setSpacing(12)
        who.addWidget(self.title, 1)
        who.addWidget(self.rehearsal)
        who.addWidget(self.place)
        who.addWidget(self.batch)

        when = QVBoxLayout()
        when.setSpacing(0)
        when.addWidget(self.sitting)
        when.addWidget(self.phase)
        when.addWidget(self.countdown)

        now = QHBoxLayout()
        now.setSpacing(6)
        now.addWidget(self.clock_label)
        now.addSpacing(6)
        now.addLayout(when, 1)
        now.addWidget(self.side_box)
        now.addSpacing(4)
        for count in MAIN_COUNTS:
            if count.key == "not_logged_in":
                now.addWidget(self.sign_in_slot)
            elif count.key != "absent":
                now.addWidget(self.chips[count.key])

        people = QHBoxLayout()
        people.setSpacing(8)
        people.addWidget(self.proctors)
        people.addWidget(self.sign_in_button)
        people.addStretch(1)
        people.addWidget(self.policy_button)
        people.addSpacing(8)
        people.addWidget(self.short_code_title)
        people.addWidget(self.short_code)
        people.addWidget(self.qr_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 4, 10, 4)
        lay.setSpacing(2)
        lay.addLayout(who)
        lay.addLayout(now)
        lay.addLayout(people)

    # -- what it opens ----------------------------------------------------------------------------

    def set_sign_in_action(self, action: QAction) -> None:
        self.sign_in_button.setDefaultAction(action)
        self.sign_in_button.show()

    def show_fingerprint(self) -> FingerprintDialog:
        dialog = FingerprintDialog(self.header(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_profile(self) -> ProfileDialog:
        dialog = ProfileDialog(self.header(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- reading the room -------------------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        return self.view.header or self.fallback

    def current_sitting(self) -> dict[str, Any] | None:
        h = self.header()
        number = h.get("sitting")
        sittings = h.get("sittings") or []
        return next((s for s in sittings if s["number"] == number), sittings[0] if sittings else None)

    def refresh(self) -> None:
        h = self.header()
        exam = " · ".join(x for x in (h.get("exam"), h.get("level")) if x)
        self.title.set_full_text(exam or translate("Header", "Room proctor console"))
        self.title.setToolTip(self.title.full)
        self.place.setText("  ".join(x for x in (h.get("site"), h.get("room")) if x))
        self.batch.setText(h.get("batch") or "")
        self.batch.setVisible(bool(h.get("batch")))
        self.short_code.setText(h.get("short_code") or "----")
        scale = float(h.get("scale") or 1.0)
        self.rehearsal.setVisible(scale != 1.0)
        self.rehearsal.setText(translate("Header", "Rehearsal ×{scale:g}").format(scale=scale))
        s = self.current_sitting()
        if s is None:
            self.sitting.set_full_text("")
        else:
            count = len(h.get("sittings") or [])
            text = translate("Header", "Sitting {n}: {subject}  {start}–{end}").format(
                n=s["number"], subject=s["subject"], start=clock_hm(s["start"]), end=clock_hm(s["end"])
            )
            if count > 1:
                text += translate("Header", " (of {count})").format(count=count)
            self.sitting.set_full_text(text)
        self.sitting.setToolTip(self.sitting.full)
        self._show_policy(h)
        self._show_proctors(h)
        self._show_counts(s)
        self.tick()

    def _show_counts(self, s: dict[str, Any] | None) -> None:
        counts = room_counts(self.view)
        closed = s is not None and s.get("phase") in CLOSED
        self.chips["logged_in"].title.setText(count_title("logged_in", closed))
        self.sign_in_stack.setCurrentWidget(self.chips["absent" if closed else "not_logged_in"])
        digits = max(2, len(str(counts["expected_total"])))
        if digits != self._digits:
            self._digits = digits
            self._fit_chips()
        for key, chip in self.chips.items():
            chip.set_value(counts[key], alert=key in ALERTING and counts[key] > 0)
        for key, side in self.side.items():
            side.set_value(counts[key])
        nonzero = tuple(k for k in self.side if counts[k] > 0)
        room = SIDE_ROWS * (SIDE_COLUMNS_WIDE if self.property("wide") else SIDE_COLUMNS)
        shown = nonzero if len(nonzero) <= room else nonzero[: room - 1]
        rest = [(c, counts[c.key]) for c in SIDE_COUNTS if c.key in nonzero[len(shown) :]]
        self.more.set_counts(rest)
        if shown + (("more",) if rest else ()) != self._side_shown:
            self._side_shown = shown + (("more",) if rest else ())
            for w in (*self.side.values(), self.more):
                self.side_grid.removeWidget(w)
                w.hide()
            placed = [self.side[k] for k in shown] + ([self.more] if rest else [])
            for i, w in enumerate(placed):  # column by column, from the top
                self.side_grid.addWidget(w, i % SIDE_ROWS, i // SIDE_ROWS)
                w.show()

    def _fit_chips(self) -> None:
        for key, chip in self.chips.items():
            titles = [count_title(key), count_title(key, True)]
            if key in ("not_logged_in", "absent"):  # one slot: one width
                titles = [count_title("not_logged_in"), count_title("absent")]
            chip.fit(titles, self._digits)

    def _show_policy(self, h: dict[str, Any]) -> None:
        policy = h.get("policy") or {}
        name = policy.get("name") or ""
        self.policy_button.setEnabled(bool(name))
        self._policy_name = name
        self._policy_text()
        if not name:
            self.policy_button.setToolTip(translate("Header", "The room server has not said which profile applies yet"))
            return
        defaulted = len(policy.get("defaulted") or ())
        tip = translate("Header", "Policy profile: {policy}").format(policy=name)
        if defaulted:
            tip += "\n" + translate(
                "Header", "{n} numbers take the national default: the profile is silent on them"
            ).format(n=defaulted)
        tip += "\n" + translate("Header", "Click to see every number, its rule and where it comes from")
        self.policy_button.setToolTip(tip)

    def _policy_text(self) -> None:
        """适用规则：<name>, the name shortened in the middle only when the header is narrow."""
        name = self._policy_name or "—"
        fm = self.policy_button.fontMetrics()
        budget = max(fm.horizontalAdvance("M") * 12, self.width() // 3)
        shown = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, budget)
        self.policy_button.setText(translate("Header", "Policy profile: {policy}").format(policy=shown))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = "wide" if self.width() >= self.WIDE_PX else ""
        if self.property("wide") != wide:
            self.setProperty("wide", wide)
            for w in (self, *self.findChildren(QWidget)):
                w.style().unpolish(w)
                w.style().polish(w)
            self._digits = 0  # fit the chips to the new type
            self._side_shown = ()
            self.refresh()
            self.layout().invalidate()
        self._policy_text()

    def _show_proctors(self, h: dict[str, Any]) -> None:
        names = list(h.get("proctors") or ())
        need = int(h.get("proctors_required") or 2)
        if not names:
            text, level = translate("Header", "No proctor signed in"), "none"
        elif len(names) < need:
            text = translate("Header", "Proctors {n}/{need}: {names}").format(
                n=len(names), need=need, names="、".join(names)
            )
            level = "short"
        else:
            text, level = translate("Header", "Proctors: {names}").format(names="、".join(names)), ""
        self.proctors.setText(text)
        restyle(self.proctors, "level", level)

    # -- the clock --------------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock.now()
        self.clock_label.setText(clock_hms(now) if now is not None else "--:--:--")
        s = self.current_sitting()
        self.phase.set_full_text(phase_label(s["phase"]) if s else "")
        deadlines = list((s or {}).get("deadlines") or ())
        ahead = next((d for d in deadlines if now is not None and d["at"] > now), None)
        self._show_deadlines(s, deadlines, ahead)
        if ahead is None:
            self.countdown.setText("")
            restyle(self.countdown, "soon", "")
            return
        left = ahead["at"] - now
        self.countdown.setText(deadline_countdown(ahead["kind"], duration_text(left), self._minutes(s, ahead)))
        restyle(self.countdown, "soon", "soon" if left <= self.SOON_S else "")

    @staticmethod
    def _minutes(s: dict[str, Any] | None, d: dict[str, Any]) -> int:
        """The reminder's minutes before the end, as the profile set them."""
        return round((s["end"] - d["at"]) / 60) if s and d["kind"] == Deadline.REMINDER.value else 0

    def _show_deadlines(self, s: dict[str, Any] | None, deadlines: list[dict[str, Any]], ahead: Any) -> None:
        """Every deadline of the sitting in the countdown's tooltip: passed ones grey, the next bold."""
        if not deadlines:
            tip = ""
        else:
            rows = []
            passed = True  # until the next one; all of them when none is ahead
            for d in deadlines:
                if d is ahead:
                    passed = False
                what = escape(deadline_title(d["kind"], self._minutes(s, d)))
                rule = f" ({escape(d['rule'])})" if d.get("rule") else ""
                style = "font-weight:bold" if d is ahead else f"color:{theme.NOTE}" if passed else ""
                mark = "▶" if d is ahead else "✓" if passed else ""
                rows.append(
                    f"<tr style='{style}'><td>{mark}</td><td>{clock_hm(d['at'])}</td><td>{what}{rule}</td></tr>"
                )
            title = escape(translate("Header", "Deadlines of this sitting"))
            tip = f"<b>{title}</b><table cellspacing='4'>{''.join(rows)}</table>"
        if tip != self._deadlines_tip:
            self._deadlines_tip = tip
            self.countdown.setToolTip(tip)
            self.phase.setToolTip(tip)
