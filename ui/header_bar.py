"""The header: which exam, which room, the package's short code, the exam clock and the counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from proctor.link.console_client import RoomView

from . import theme
from .exam_clock import ExamClock, duration_text, next_milestone
from .facts import room_counts
from .i18n import phase_label, translate
from .qr import FingerprintDialog

COUNT_KEYS = ("expected_total", "logged_in", "answering", "submitted", "absent", "offline", "alerts")
ALERTING = ("offline", "alerts")  # chips that turn red when not zero


def count_title(key: str) -> str:
    return {
        "expected_total": translate("Header", "Expected"),
        "logged_in": translate("Header", "Logged in"),
        "answering": translate("Header", "Answering"),
        "submitted": translate("Header", "Submitted"),
        "absent": translate("Header", "Absent"),
        "offline": translate("Header", "Offline"),
        "alerts": translate("Header", "Alerts"),
    }[key]


def count_tooltip(key: str) -> str:
    return {
        "expected_total": translate("Header", "Candidates of this sitting in this room"),
        "logged_in": translate("Header", "Candidates who have logged in (answering and submitted included)"),
        "answering": translate("Header", "Candidates answering now"),
        "submitted": translate("Header", "Candidates who have submitted, by themselves or at their end"),
        "absent": translate("Header", "Not logged in when sign-in closed"),
        "offline": translate("Header", "Logged-in candidates whose exam machine stopped answering"),
        "alerts": translate("Header", "Alerts waiting for a proctor to acknowledge them"),
    }[key]


def clock_hms(epoch: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm:ss")


def clock_hm(epoch: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm")


class ElidedLabel(QLabel):
    """One line that gives way when the row is full: elided in the middle, so an exam's long
    name shrinks and its level (初级) at the end stays; the whole text is in `full`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 8, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self.full) + 4, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideMiddle, self.width())
        if shown != self.text():
            self.setText(shown)


class CountChip(QFrame):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("chip")
        self.setToolTip(count_tooltip(key))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 2, 10, 3)
        lay.setSpacing(0)
        self.number = QLabel("0", self)
        self.number.setObjectName("chipNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(count_title(key), self)
        self.title.setObjectName("chipTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.number)
        lay.addWidget(self.title)

    def set_value(self, value: int, alert: bool = False) -> None:
        self.number.setText(str(value))
        state = "alert" if alert else ""
        if self.property("alert") != state:
            self.setProperty("alert", state)
            self.style().unpolish(self)
            self.style().polish(self)


class HeaderBar(QFrame):
    STYLE = f"""
        #header {{ background: #ffffff; border-bottom: 1px solid #d5dde2; }}
        #title {{ font-size: 15pt; font-weight: bold; color: #1a2b34; }}
        #place {{ color: #37474f; font-size: 11pt; }}
        #shortCode {{ font-family: "DejaVu Sans Mono", monospace; font-size: 11pt; font-weight: bold;
                     color: #0d47a1; border: 1px solid #90caf9; border-radius: 4px; padding: 1px 6px;
                     background: #f3f8fe; }}
        #shortCodeTitle {{ color: #546e7a; }}
        #clock {{ font-family: "DejaVu Sans Mono", monospace; font-size: 22pt; font-weight: bold; color: #102027; }}
        #sitting {{ font-size: 11pt; color: #1a2b34; }}
        #phase {{ font-size: 10pt; color: #37474f; }}
        #countdown {{ font-size: 11pt; font-weight: bold; color: #0d47a1; }}
        #chip {{ background: #f4f7f9; border: 1px solid #dde4e8; border-radius: 6px; }}
        #chip[alert="alert"] {{ background: #fdecea; border-color: {theme.ALERT}; }}
        #chip[alert="alert"] #chipNumber {{ color: {theme.ALERT}; }}
        #chipNumber {{ font-size: 16pt; font-weight: bold; color: #1a2b34; }}
        #chipTitle {{ font-size: 9pt; color: #546e7a; }}
        #proctors {{ color: #37474f; font-size: 10pt; }}
        #proctors[level="short"] {{ color: {theme.WARN}; font-weight: bold; }}
        #proctors[level="none"] {{ color: {theme.ALERT}; font-weight: bold; }}
        #rehearsal {{ color: #ffffff; background: {theme.WARN}; border-radius: 4px; padding: 1px 6px; font-weight: bold; }}
    """

    def __init__(self, view: RoomView, clock: ExamClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.clock = view, clock
        self.fallback: dict[str, Any] = {}  # header from the package until the service speaks
        self.setObjectName("header")
        self.setStyleSheet(self.STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.title = ElidedLabel(self)
        self.title.setObjectName("title")
        self.place = self._label("place")
        self.short_code_title = self._label("shortCodeTitle", translate("Header", "Package code"))
        self.short_code = self._label("shortCode")
        self.short_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.short_code.setToolTip(translate("Header", "Compare with the site's published arrangement"))
        self.qr_button = QToolButton(self)
        self.qr_button.setObjectName("qrButton")
        self.qr_button.setText(translate("Header", "QR code"))
        self.qr_button.setToolTip(translate("Header", "Show the package fingerprint as a QR code for the site's scan"))
        self.qr_button.clicked.connect(self.show_fingerprint)
        self.rehearsal = self._label("rehearsal")
        self.rehearsal.hide()
        self.clock_label = self._label("clock", "--:--:--")
        self.clock_label.setToolTip(translate("Header", "Exam time, as kept by the room service"))
        self.sitting = self._label("sitting")
        self.phase = self._label("phase")
        self.countdown = self._label("countdown")
        self.chips = {k: CountChip(k, self) for k in COUNT_KEYS}
        self.proctors = self._label("proctors")
        self.proctors.setToolTip(
            translate("Header", "The room proctors signed in at the console; every record names them (R02)")
        )
        self.sign_in_button = QToolButton(self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sign_in_button.hide()  # until the window gives it its action

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.title, 1)
        top.addWidget(self.rehearsal)
        top.addWidget(self.place)
        top.addSpacing(8)
        top.addWidget(self.short_code_title)
        top.addWidget(self.short_code)
        top.addWidget(self.qr_button)

        when = QGridLayout()
        when.setHorizontalSpacing(10)
        when.setVerticalSpacing(0)
        when.addWidget(self.sitting, 0, 0, 1, 2)
        when.addWidget(self.phase, 1, 0)
        when.addWidget(self.countdown, 1, 1)
        when.setColumnStretch(2, 1)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        when.addWidget(self.proctors, 0, 3, right)
        when.addWidget(self.sign_in_button, 1, 3, right)

        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        bottom.addWidget(self.clock_label)
        bottom.addSpacing(10)
        bottom.addLayout(when, 1)
        for chip in self.chips.values():
            bottom.addWidget(chip)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addLayout(bottom)
        self.refresh()

    def set_sign_in_action(self, action: QAction) -> None:
        self.sign_in_button.setDefaultAction(action)
        self.sign_in_button.show()

    def show_fingerprint(self) -> FingerprintDialog:
        dialog = FingerprintDialog(self.header(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _label(self, name: str, text: str = "") -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        return label

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
        policy = (h.get("policy") or {}).get("name")
        tip = translate("Header", "Policy: {policy}").format(policy=policy) if policy else ""
        self.title.setToolTip("\n".join(x for x in (self.title.full, tip) if x))
        self.place.setText("  ".join(x for x in (h.get("site"), h.get("room")) if x))
        self.short_code.setText(h.get("short_code") or "----")
        scale = float(h.get("scale") or 1.0)
        self.rehearsal.setVisible(scale != 1.0)
        self.rehearsal.setText(translate("Header", "Rehearsal ×{scale:g}").format(scale=scale))
        s = self.current_sitting()
        if s is None:
            self.sitting.setText("")
        else:
            count = len(h.get("sittings") or [])
            text = translate("Header", "Sitting {n}: {subject}  {start}–{end}").format(
                n=s["number"], subject=s["subject"], start=clock_hm(s["start"]), end=clock_hm(s["end"])
            )
            if count > 1:
                text += translate("Header", " (of {count})").format(count=count)
            self.sitting.setText(text)
        self._show_proctors(h)
        counts = room_counts(self.view)
        for key, chip in self.chips.items():
            chip.set_value(counts[key], alert=key in ALERTING and counts[key] > 0)
        self.tick()

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
        if self.proctors.property("level") != level:
            self.proctors.setProperty("level", level)
            self.proctors.style().unpolish(self.proctors)
            self.proctors.style().polish(self.proctors)

    def tick(self) -> None:
        now = self.clock.now()
        self.clock_label.setText(clock_hms(now) if now is not None else "--:--:--")
        s = self.current_sitting()
        self.phase.setText(phase_label(s["phase"]) if s else "")
        ms = next_milestone(s, now)
        if ms is None:
            self.countdown.setText("")
            return
        kind, left = ms
        what = {
            "start": translate("Header", "Start in {left}"),
            "sign_in_close": translate("Header", "Sign-in closes in {left}"),
            "end": translate("Header", "Ends in {left}"),
        }[kind]
        self.countdown.setText(what.format(left=duration_text(left)))
