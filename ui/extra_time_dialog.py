"""补时: extra time for one candidate (or the candidates selected), with the rule in force said
before the proctor confirms (R19-R23) and, above the direct tier, the provincial authorization
code asked for and entered here (R20). Shown with open(), never exec() (see ask.py)."""

from __future__ import annotations

from collections.abc import Sequence
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

from proctor.domain.events import ExtraTimeReason
from proctor.domain.extra_time import Tier, tier_for
from proctor.link.console_client import CommandRefused, ConsoleClient, RoomView

from . import commands, theme
from .dialog_parts import MIN_W, CodeBox, buddy_labels, confirm_buttons, error_label
from .i18n import reason_label, translate

MAX_MINUTES = 999  # the spin box's top; the service decides what is allowed
NOTE_MAX = 200


def profile_number(header: dict[str, Any], name: str) -> int | None:
    """A number of the profile the service applies, as the header lists it (None: not taken)."""
    for p in (header.get("profile") or {}).get("parameters") or ():
        if p.get("name") == name:
            value = p.get("value")
            return int(value) if value is not None else None
    return None


class ExtraTimeDialog(QDialog):
    """Signal `granted(dict)`: the service's reply (`ends`, `extra_min` per ticket)."""

    granted = Signal(dict)

    STYLE = f"""
        #who {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
        #tier {{ font-weight: bold; color: {theme.TEXT}; padding: 6px;
                 background: {theme.BOX_FILL}; border: 1px solid {theme.BOX_BORDER}; border-radius: 4px; }}
        #tier[tier="code"] {{ color: {theme.WARN}; }}
        #tier[tier="ministry"] {{ color: {theme.ALERT}; }}
        #ownError, #error {{ color: {theme.ALERT}; }}
        #requestCode {{ font-size: 26pt; font-weight: bold; color: {theme.TEXT}; letter-spacing: 4px; }}
        #tries, #hint {{ color: {theme.NOTE}; }}
    """

    def __init__(
        self,
        view: RoomView,
        client: ConsoleClient | None,
        tickets: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("extraTimeDialog")
        self.setWindowTitle(translate("ExtraTime", "Extra time"))
        self.view, self.client = view, client
        self.tickets = list(dict.fromkeys(tickets))
        self.request: str | None = None  # the request code the office answers, for these minutes
        self._requested_for: tuple[tuple[str, ...], int] | None = None
        self._busy = False

        self._build_fields()
        self._build_buttons()
        self._build_layout()
        self._connect()

    def _build_fields(self) -> None:
        self.who = QLabel(self._who_text(), self)
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("minutes")
        self.minutes.setRange(1, MAX_MINUTES)
        self.minutes.setValue(5)
        self.minutes.setSuffix(translate("ExtraTime", " min"))
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        for r in ExtraTimeReason:
            self.reason.addItem(reason_label(r.value), r.value)
        self.own_error = QLabel(
            translate(
                "ExtraTime",
                "Time lost through the candidate's own error earns no extra time (R22): choose the fault or incident",
            ),
            self,
        )
        self.own_error.setObjectName("ownError")
        self.own_error.setWordWrap(True)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(translate("ExtraTime", "Which incident or fault, and who approved it"))
        self.tier_label = QLabel(self)
        self.tier_label.setObjectName("tier")
        self.tier_label.setWordWrap(True)
        self.code_box = self._build_code_box()
        self.error = error_label(self)

    def _build_buttons(self) -> None:
        self.buttons, self.confirm = confirm_buttons(
            self, translate("ExtraTime", "Grant extra time (Enter)"), self.send, self.reject
        )

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(translate("ExtraTime", "&Minutes:"), self.minutes)
        form.addRow(translate("ExtraTime", "R&eason:"), self.reason)
        form.addRow("", self.own_error)
        form.addRow(translate("ExtraTime", "&Note:"), self.note)
        buddy_labels(form, (self.minutes, self.reason, self.note))
        lay = QVBoxLayout(self)
        lay.addWidget(self.who)
        lay.addLayout(form)
        lay.addWidget(self.tier_label)
        lay.addWidget(self.code_box)
        lay.addWidget(self.error)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setStyleSheet(self.STYLE)

    def _connect(self) -> None:
        QWidget.setTabOrder(self.minutes, self.reason)
        QWidget.setTabOrder(self.reason, self.note)
        QWidget.setTabOrder(self.note, self.request_button)
        QWidget.setTabOrder(self.request_button, self.code)
        self.minutes.valueChanged.connect(self.update_rule)
        self.reason.currentIndexChanged.connect(self.update_rule)
        self.confirm.setDefault(True)
        self.minutes.setFocus()
        self.minutes.selectAll()
        self.update_rule()
        self.setMinimumWidth(MIN_W)

    def _build_code_box(self) -> CodeBox:
        box = CodeBox(
            translate(
                "ExtraTime",
                "Read the request code to the provincial exam office by phone and enter the authorization code "
                "it reads back.",
            ),
            self.ask_for_code,
            self,
        )
        # The dialog reads and fills them by these names.
        self.request_button, self.request_code, self.hint = box.request_button, box.request_code, box.hint
        self.tries, self.code = box.tries, box.code
        return box

    # -- what the rule says ------------------------------------------------------------------------

    def _who_text(self) -> str:
        cs = [self.view.candidates.get(t) or {} for t in self.tickets]
        if len(cs) == 1:
            c = cs[0]
            return translate("ExtraTime", "Extra time for {name} ({ticket}), {extra} min given so far").format(
                name=c.get("name") or "—", ticket=self.tickets[0], extra=int(c.get("extra_min") or 0)
            )
        names = "、".join(str(c.get("name") or t) for c, t in zip(cs, self.tickets, strict=True))
        return translate("ExtraTime", "Extra time for {n} candidates: {names}").format(n=len(cs), names=names)

    def already(self) -> int:
        """The most extra time any of these candidates has: the total that decides the tier."""
        return max(int((self.view.candidates.get(t) or {}).get("extra_min") or 0) for t in self.tickets)

    def tier(self) -> Tier:
        h = self.view.header
        direct = profile_number(h, "extra_time_direct_max_min")
        with_code = profile_number(h, "extra_time_code_max_min")
        return tier_for(self.already() + self.minutes.value(), direct, with_code)

    def rule_text(self, tier: Tier) -> str:
        h = self.view.header
        direct = profile_number(h, "extra_time_direct_max_min") or 0
        top = max(profile_number(h, "extra_time_code_max_min") or 0, direct)
        total = self.already() + self.minutes.value()
        if tier is Tier.DIRECT:
            return translate("ExtraTime", "Extra time in all {total} min: the proctors grant it directly (R19)").format(
                total=total
            )
        if tier is Tier.CODE:
            return translate(
                "ExtraTime",
                "Extra time in all {total} min: above {direct} min it needs a provincial authorization code (R20)",
            ).format(total=total, direct=direct)
        if tier is Tier.MINISTRY:
            return translate(
                "ExtraTime",
                "Extra time in all {total} min, above {top} min: ask the ministry's centre for its own tool; "
                "this console cannot grant it (R21)",
            ).format(total=total, top=top)
        return translate(
            "ExtraTime",
            "This profile has no minute tiers: extra time for the time lost; a keyboard, mouse, screen or "
            "software fault only with the approval written in the note, a power failure as the exam office "
            "directs (R23)",
        )

    def reason_value(self) -> ExtraTimeReason:
        return ExtraTimeReason(self.reason.currentData())

    def update_rule(self) -> None:
        tier = self.tier()
        self.tier_label.setText(self.rule_text(tier))
        self.tier_label.setProperty("tier", tier.value)
        self.tier_label.style().unpolish(self.tier_label)
        self.tier_label.style().polish(self.tier_label)
        self.own_error.setVisible(self.reason_value() is ExtraTimeReason.CANDIDATE_ERROR)
        self.code_box.setVisible(tier is Tier.CODE)
        if self._requested_for is not None and self._requested_for != self._asked():
            self._forget_request()  # a code answers exactly the minutes and candidates it was asked for
        self.request_button.setEnabled(not self._busy and self.request is None)
        self.confirm.setEnabled(not self._busy and tier is not Tier.MINISTRY)

    def _asked(self) -> tuple[tuple[str, ...], int]:
        return tuple(self.tickets), self.minutes.value()

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
        asked = self._asked()
        work = self.client.request_authorization(self.tickets, asked[1]) if self.client else commands.no_client()
        commands.run(self, work, lambda r: self._requested(asked, r), on_error=self.show_error, always=self._idle)

    def _requested(self, asked: tuple[tuple[str, ...], int], reply: dict[str, Any]) -> None:
        self.request, self._requested_for = str(reply["request"]), asked
        self.update_rule()
        self.code_box.show_request(self.request, reply.get("tries_left"))

    def _idle(self) -> None:
        self._set_busy(False)

    def send(self) -> None:
        if self._busy or not self.confirm.isEnabled():
            return
        tier = self.tier()
        if tier is Tier.CODE and self.request is not None and not self.code.text().strip():
            self.show_error(translate("ExtraTime", "Enter the authorization code the provincial exam office gave"))
            self.code.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        commands.run(self, self._grant(tier), self._done, on_error=self.show_error, always=self._idle)

    async def _grant(self, tier: Tier) -> dict[str, Any]:
        if self.client is None:
            return await commands.no_client()
        with_code = tier is Tier.CODE and self.request is not None
        try:
            return await self.client.grant_extra_time(
                self.tickets,
                self.minutes.value(),
                self.reason_value(),
                note=self.note.text(),
                request=self.request if with_code else None,
                code=self.code.text().strip() if with_code else None,
            )
        except CommandRefused as exc:
            self.code_box.show_tries((exc.data or {}).get("tries_left"))
            raise

    def _done(self, reply: dict[str, Any]) -> None:
        self.granted.emit(reply)
        self.accept()
