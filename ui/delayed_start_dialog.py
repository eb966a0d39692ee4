"""延时开考: delay the sitting's start before it has started, with the rule in force for the
minutes typed said before the proctor confirms (R16-R18, 004 附件2 二(一)): the city exam office's
consent named, or the provincial authorization code asked for and entered here. Shown with open(),
never exec() (see ask.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import StartDelayReason
from proctor.domain.start import Tier, tier_for
from proctor.link.console_client import CommandRefused, ConsoleClient, RoomView

from . import commands, theme
from .dialog_parts import MIN_W, CodeBox, buddy_labels, confirm_buttons, error_label
from .extra_time_dialog import profile_number
from .header_bar import clock_hm
from .i18n import translate

MAX_MINUTES = 999  # the spin box's top; the service decides what is allowed
NOTE_MAX = 200
NAME_MAX = 32


def delay_reason_labels() -> dict[StartDelayReason, str]:
    return {
        StartDelayReason.POWER: translate("DelayedStart", "Power failure"),
        StartDelayReason.NETWORK: translate("DelayedStart", "Network failure"),
        StartDelayReason.OTHER: translate("DelayedStart", "Another cause (say which in the note)"),
    }


class DelayedStartDialog(QDialog):
    """Signal `delayed(dict)`: the service's reply (`start`, `end`, `scheduled_start`)."""

    delayed = Signal(dict)

    STYLE = f"""
        #when {{ font-size: 12pt; color: {theme.TEXT}; }}
        #tier {{ font-weight: bold; color: {theme.TEXT}; padding: 6px;
                 background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER}; border-radius: 4px; }}
        #tier[tier="code"] {{ color: {theme.WARN}; }}
        #tier[tier="ministry"], #tier[tier="not_taken"], #tier[tier="started"] {{ color: {theme.ALERT}; }}
        #error {{ color: {theme.ALERT}; }}
        #requestCode {{ font-size: 26pt; font-weight: bold; color: {theme.TEXT}; letter-spacing: 4px; }}
        #tries, #hint {{ color: {theme.NOTE}; }}
    """

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("delayedStartDialog")
        self.setWindowTitle(translate("DelayedStart", "Delayed start"))
        self.view, self.client = view, client
        self.request: str | None = None  # the request code the office answers, for these minutes
        self._requested_for: int | None = None
        self._busy = False

        self._build_fields()
        self._build_buttons()
        self._build_layout()
        self._connect()

    # -- building ------------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.when = QLabel(self)
        self.when.setObjectName("when")
        self.when.setWordWrap(True)
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("minutes")
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setValue(int(self.sitting().get("delay_min") or 0) or 10)
        self.minutes.setSuffix(translate("DelayedStart", " min after the scheduled start"))
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        for r, label in delay_reason_labels().items():
            self.reason.addItem(label, r.value)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(translate("DelayedStart", "What happened, e.g. the room's switch failed at 08:52"))
        self.consent = QLineEdit(self)
        self.consent.setObjectName("consent")
        self.consent.setMaxLength(NAME_MAX)
        self.consent.setPlaceholderText(
            translate("DelayedStart", "Name of the city exam office's person who consented")
        )
        self.tier_label = QLabel(self)
        self.tier_label.setObjectName("tier")
        self.tier_label.setWordWrap(True)
        self.code_box = self._build_code_box()
        self.error = error_label(self)

    def _build_buttons(self) -> None:
        self.buttons, self.confirm = confirm_buttons(
            self, translate("DelayedStart", "Delay the start (Enter)"), self.send, self.reject
        )

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(translate("DelayedStart", "&Delay:"), self.minutes)
        form.addRow(translate("DelayedStart", "R&eason:"), self.reason)
        form.addRow(translate("DelayedStart", "&Note:"), self.note)
        form.addRow(translate("DelayedStart", "&Consent by:"), self.consent)
        self.consent_label = form.labelForField(self.consent)
        buddy_labels(form, (self.minutes, self.reason, self.note, self.consent))
        lay = QVBoxLayout(self)
        lay.addWidget(self.when)
        lay.addLayout(form)
        lay.addWidget(self.tier_label)
        lay.addWidget(self.code_box)
        lay.addWidget(self.error)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setStyleSheet(self.STYLE)

    def _build_code_box(self) -> CodeBox:
        box = CodeBox(
            translate(
                "DelayedStart",
                "Read the room, the request code and the minutes to the provincial exam office by phone and "
                "enter the authorization code it reads back.",
            ),
            self.ask_for_code,
            self,
        )
        # The dialog reads and fills them by these names.
        self.request_button, self.request_code, self.hint = box.request_button, box.request_code, box.hint
        self.tries, self.code = box.tries, box.code
        return box

    def _connect(self) -> None:
        QWidget.setTabOrder(self.minutes, self.reason)
        QWidget.setTabOrder(self.reason, self.note)
        QWidget.setTabOrder(self.note, self.consent)
        QWidget.setTabOrder(self.consent, self.request_button)
        QWidget.setTabOrder(self.request_button, self.code)
        self.minutes.valueChanged.connect(self.update_rule)
        self.confirm.setDefault(True)
        self.minutes.setFocus()
        self.minutes.selectAll()
        self.update_rule()
        self.setMinimumWidth(MIN_W)

    # -- what the rule says ------------------------------------------------------------------------

    def sitting(self) -> dict[str, Any]:
        """The sitting the console shows, as the service last published it."""
        h = self.view.header
        number = h.get("sitting") or 1
        return next((s for s in h.get("sittings") or () if s.get("number") == number), {})

    def scheduled_start(self) -> float | None:
        s = self.sitting()
        at = s.get("scheduled_start", s.get("start"))
        return float(at) if at is not None else None

    def started(self) -> bool:
        return self.sitting().get("phase", "scheduled") != "scheduled"

    def tier(self) -> Tier:
        h = self.view.header
        city = profile_number(h, "delayed_start_city_max_min")
        top = profile_number(h, "delayed_start_code_max_min")
        return tier_for(self.minutes.value(), city, top)

    def when_text(self) -> str:
        s = self.sitting()
        scheduled = self.scheduled_start()
        if scheduled is None:
            return ""
        text = translate("DelayedStart", "Sitting {n}, {subject}: scheduled start {at}").format(
            n=s.get("number", 1), subject=s.get("subject", ""), at=clock_hm(scheduled)
        )
        delay = int(s.get("delay_min") or 0)
        if delay:
            text += translate("DelayedStart", "; now starts at {at} ({m} min later)").format(
                at=clock_hm(float(s["start"])), m=delay
            )
        if self.started() or self.tier() not in (Tier.CONSENT, Tier.CODE):
            return text
        return text + translate("DelayedStart", "; the new start would be {at}").format(
            at=clock_hm(scheduled + self.minutes.value() * 60)
        )

    def rule_text(self, tier: Tier) -> str:
        h = self.view.header
        m = self.minutes.value()
        city = profile_number(h, "delayed_start_city_max_min") or 0
        top = max(profile_number(h, "delayed_start_code_max_min") or 0, city)
        if self.started():
            return translate(
                "DelayedStart",
                "The sitting has started: a delayed start is only before the start; time lost after it is "
                "made good as extra time (R16, R19)",
            )
        if tier is Tier.CONSENT:
            return translate(
                "DelayedStart",
                "Delayed start of {m} min: within {city} min after the scheduled start, with the consent of "
                "the city-level exam office (R16)",
            ).format(m=m, city=city)
        if tier is Tier.CODE:
            return translate(
                "DelayedStart",
                "Delayed start of {m} min: {city} to {top} min after the scheduled start needs a provincial "
                "authorization code (R17)",
            ).format(m=m, city=city, top=top)
        if tier is Tier.MINISTRY:
            return translate(
                "DelayedStart",
                "Delayed start of {m} min: later than {top} min after the scheduled start, report to the "
                "ministry's centre, which decides; this console cannot give it (R18)",
            ).format(m=m, top=top)
        stop = profile_number(h, "fault_stop_after_min")
        return translate(
            "DelayedStart",
            "This exam has no delayed start by consent or code: a fault before the start solved within {stop} "
            "min of it goes on with the exam time extended; otherwise the exam office stops the exam",
        ).format(stop=stop if stop is not None else "—")

    def reason_value(self) -> StartDelayReason:
        return StartDelayReason(self.reason.currentData())

    def update_rule(self) -> None:
        tier = self.tier()
        shown = "started" if self.started() else tier.value
        self.when.setText(self.when_text())
        self.tier_label.setText(self.rule_text(tier))
        self.tier_label.setProperty("tier", shown)
        self.tier_label.style().unpolish(self.tier_label)
        self.tier_label.style().polish(self.tier_label)
        allowed = not self.started() and tier in (Tier.CONSENT, Tier.CODE)
        self.consent.setVisible(tier is Tier.CONSENT and allowed)
        if self.consent_label is not None:
            self.consent_label.setVisible(tier is Tier.CONSENT and allowed)
        self.code_box.setVisible(tier is Tier.CODE and allowed)
        if self._requested_for is not None and self._requested_for != self.minutes.value():
            self._forget_request()  # a code answers exactly the minutes it was asked for
        self.request_button.setEnabled(not self._busy and self.request is None)
        self.confirm.setEnabled(not self._busy and allowed)

    def _forget_request(self) -> None:
        self.request, self._requested_for = None, None
        self.request_code.setText("")
        self.tries.setText("")
        self.code.clear()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.update_rule()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # -- commands ------------------------------------------------------------------------------------

    def ask_for_code(self) -> None:
        if self._busy or self.tier() is not Tier.CODE:
            return
        self.error.hide()
        self._set_busy(True)
        minutes = self.minutes.value()
        work = self.client.request_delayed_start_code(minutes) if self.client else commands.no_client()
        commands.run(self, work, lambda r: self._requested(minutes, r), on_error=self.show_error, always=self._idle)

    def _requested(self, minutes: int, reply: dict[str, Any]) -> None:
        self.request, self._requested_for = str(reply["request"]), minutes
        self.update_rule()
        self.code_box.show_request(self.request, reply.get("tries_left"))

    def _idle(self) -> None:
        self._set_busy(False)

    def send(self) -> None:
        if self._busy or not self.confirm.isEnabled():
            return
        tier = self.tier()
        if tier is Tier.CODE and self.request is not None and not self.code.text().strip():
            self.show_error(translate("DelayedStart", "Enter the authorization code the provincial exam office gave"))
            self.code.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        commands.run(self, self._delay(tier), self._done, on_error=self.show_error, always=self._idle)

    async def _delay(self, tier: Tier) -> dict[str, Any]:
        if self.client is None:
            return await commands.no_client()
        with_code = tier is Tier.CODE and self.request is not None
        consent = self.consent.text().strip() if tier is Tier.CONSENT else ""
        try:
            return await self.client.delay_start(
                self.minutes.value(),
                self.reason_value(),
                note=self.note.text(),
                consent=consent or None,
                request=self.request if with_code else None,
                code=self.code.text().strip() if with_code else None,
            )
        except CommandRefused as exc:
            self.code_box.show_tries((exc.data or {}).get("tries_left"))
            raise

    def _done(self, reply: dict[str, Any]) -> None:
        self.delayed.emit(reply)
        self.accept()
