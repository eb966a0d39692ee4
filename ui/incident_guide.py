"""应急处理: the incident guide. The proctors open an incident by its flowchart (resources/flows,
the ones for this exam's profile) for the candidates affected (by default those whose machines
are offline), then walk it: the current step large, its answers as buttons, a timer counting
down to the profile's threshold, the chart with the current step marked, and, for a step that
is an operation, that operation's dialog opened filled in (extra time: the minutes lost). Each
answer is recorded by the service; the incident survives a restart of either side."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.flows import Flow, StepKind
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.resources import shipped_flows

from . import commands, theme
from .exam_clock import duration_text
from .flow_chart import FlowChart, timer_answers
from .i18n import translate
from .report_print import RoomFormsDialog


def level_name(level: str) -> str:
    """Whom an escalation step reports to, in the plans' words."""
    return {
        "room": lambda: translate("Incident", "the room"),
        "site": lambda: translate("Incident", "the site"),
        "city": lambda: translate("Incident", "the city exam office"),
        "province": lambda: translate("Incident", "the provincial exam office"),
        "ministry": lambda: translate("Incident", "the national exam office"),
    }[level]()


class IncidentGuide(QDialog):
    """One window for the room's incidents: open one, or walk the one chosen."""

    STYLE = f"""
        #stepText {{ font-size: 16pt; font-weight: bold; color: {theme.TEXT}; padding: 8px;
                     background: {theme.BOX_FILL}; border: 2px solid {theme.WARN}; border-radius: 6px; }}
        #elapsed {{ font-size: 12pt; color: {theme.TEXT}; }}
        #countdown {{ font-size: 20pt; font-weight: bold; color: {theme.WARN}; }}
        #countdown[over="yes"] {{ color: {theme.ALERT}; }}
        #cite {{ color: {theme.NOTE}; }}
        #duty {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
        #error {{ color: {theme.ALERT}; }}
    """

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentGuide")
        self.setWindowTitle(translate("Incident", "Incident guide"))
        self.view, self.client = view, client
        self.flows = shipped_flows()
        self.number: int | None = None
        self.answer_buttons: dict[str, QPushButton] = {}
        self._build()
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._show_time)
        self.tick.start()
        bridge = getattr(parent, "bridge", None)
        if bridge is not None:
            bridge.changed.connect(lambda *_: self.refresh())
        self.refresh()

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.flow_choice = QComboBox(self)
        self.flow_choice.setObjectName("flowChoice")
        policy = str((self.view.header.get("policy") or {}).get("id") or "")
        for f in sorted(self.flows.values(), key=lambda f: f.title):
            if not policy or policy in f.profiles:
                self.flow_choice.addItem(f.title, f.id)
        self.affected = QLabel(self)
        self.affected.setWordWrap(True)
        self.open_button = QPushButton(translate("Incident", "Start handling (Enter)"), self)
        self.open_button.setObjectName("openIncident")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_incident)
        self.incident_choice = QComboBox(self)
        self.incident_choice.setObjectName("incidentChoice")
        self.incident_choice.currentIndexChanged.connect(self._chosen)
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.elapsed = QLabel(self)
        self.elapsed.setObjectName("elapsed")
        self.countdown = QLabel(self)
        self.countdown.setObjectName("countdown")
        self.step_text = QLabel(self)
        self.step_text.setObjectName("stepText")
        self.step_text.setWordWrap(True)
        self.duty = QLabel(self)
        self.duty.setObjectName("duty")
        self.duty.setWordWrap(True)
        self.duty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._shown: tuple[int | None, str] | None = None  # the step on screen (incident, step)
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(translate("Incident", "What was reported, to whom, and their answer (recorded)"))
        self.cite = QLabel(self)
        self.cite.setObjectName("cite")
        self.cite.setWordWrap(True)
        self.answers = QHBoxLayout()
        self.chart = FlowChart(self)
        self.chart_area = QScrollArea(self)
        self.chart_area.setWidget(self.chart)
        self.chart_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.chart_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        start = QHBoxLayout()
        start.addWidget(QLabel(translate("Incident", "New incident:"), self))
        start.addWidget(self.flow_choice, 1)
        start.addWidget(self.open_button)
        walking = QVBoxLayout()
        walking.addWidget(self.incident_choice)
        walking.addWidget(self.title)
        times = QHBoxLayout()
        times.addWidget(self.elapsed, 1)
        times.addWidget(self.countdown)
        walking.addLayout(times)
        walking.addWidget(self.step_text)
        walking.addWidget(self.duty)
        walking.addWidget(self.note)
        walking.addWidget(self.cite)
        walking.addLayout(self.answers)
        walking.addWidget(self.error)
        walking.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(walking, 1)
        body.addWidget(self.chart_area, 1)
        self.print_button = QPushButton(translate("Incident", "Print this incident…"), self)
        self.print_button.setObjectName("printIncident")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_incident)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(start)
        lay.addWidget(self.affected)
        lay.addLayout(body, 1)
        lay.addWidget(buttons)
        self.setStyleSheet(self.STYLE)
        self.resize(1010, 600)

    # -- what the room says ---------------------------------------------------------------------------

    def offline_tickets(self) -> list[str]:
        """Whom a new incident is for, by default: those answering whose machines are offline."""
        return sorted(
            t
            for t, c in self.view.candidates.items()
            if c.get("state") == "answering" and "offline" in c.get("flags", ())
        )

    def incidents(self) -> list[dict[str, Any]]:
        return list(self.view.header.get("incidents") or ())

    def refresh(self) -> None:
        n = len(self.offline_tickets())
        self.affected.setText(
            translate("Incident", "For the {n} candidates whose machines are offline now").format(n=n)
            if n
            else translate("Incident", "For the whole room")
        )
        open_ = [i for i in self.incidents() if i.get("closed_at") is None]
        self.incident_choice.blockSignals(True)
        self.incident_choice.clear()
        for i in self.incidents():
            state = translate("Incident", "closed") if i.get("closed_at") else translate("Incident", "open")
            self.incident_choice.addItem(f"{i['number']}. {i['title']}（{state}）", i["number"])
        if self.number is None and open_:
            self.number = open_[-1]["number"]
        if self.number is not None:
            self.incident_choice.setCurrentIndex(self.incident_choice.findData(self.number))
        self.incident_choice.blockSignals(False)
        self._show_incident()

    def _chosen(self) -> None:
        self.number = self.incident_choice.currentData()
        self._show_incident()

    def _row(self) -> dict[str, Any] | None:
        return next((i for i in self.incidents() if i["number"] == self.number), None)

    def _show_incident(self) -> None:
        row = self._row()
        for b in self.answer_buttons.values():
            b.deleteLater()
        self.answer_buttons = {}
        self.chart.show_progress(None, [], None)
        if row is None:
            self.title.setText(translate("Incident", "No incident open"))
            self.step_text.setText("")
            self.cite.setText("")
            return
        flow = self.flows.get(row["flow"])
        self.title.setText(row["title"])
        if flow is None:
            self.step_text.setText(row["step"])
            return
        self._draw_chart(flow, row)
        self.duty.hide()
        self.note.hide()
        if row.get("closed_at") is not None:
            step = flow.steps[row["outcome"]]
            self.step_text.setText(translate("Incident", "Closed: {text}").format(text=step.text))
            self.cite.setText(step.cite)
            return
        step = flow.steps[row["step"]]
        self.step_text.setText(self._step_words(step))
        self.cite.setText(step.cite)
        if self._shown != (self.number, step.id):  # a new step: its own note
            self._shown = (self.number, step.id)
            self.note.clear()
        reporting = step.kind is StepKind.ESCALATE and step.to is not None
        self.duty.setText(self.duty_text(step.to.value) if reporting and step.to else "")
        self.duty.setVisible(reporting)
        self.note.setVisible(reporting)
        for key, label in self._answers(step):
            button = QPushButton(label, self)
            button.setObjectName(f"answer_{key or 'done'}")
            button.clicked.connect(lambda _=False, a=key: self.answer(a))
            self.answers.addWidget(button)
            self.answer_buttons[key] = button
        if step.kind is StepKind.OPERATION:
            self._operation_buttons(step.operation or "", row)
        self._show_time()

    def _operation_buttons(self, command: str, row: dict[str, Any]) -> None:
        """The step's operation, opened filled in: extra time one button per number of minutes
        lost (as the service measured them for each candidate), any other operation its dialog."""
        from .operations import BY_COMMAND

        op = BY_COMMAND.get(command)
        if op is None:
            return
        if command == "grant_extra_time":
            for i, (minutes, tickets) in enumerate(self.lost_groups(row)):
                label = translate("Incident", "补时 {m} min ({n} candidates)").format(m=minutes, n=len(tickets))
                self._add_operation(
                    f"__operation{i or ''}", label, lambda _=False, t=tickets, m=minutes: self.open_extra_time(t, m)
                )
            return
        label = translate("Incident", "Open: {op}").format(op=op.text().rstrip("…"))
        self._add_operation("__operation", label, lambda _=False: self.open_step_operation(command))

    def _add_operation(self, key: str, label: str, slot: Any) -> None:
        button = QPushButton(label, self)
        button.setObjectName("openOperation")
        button.clicked.connect(slot)
        self.answers.addWidget(button)
        self.answer_buttons[key] = button

    def _step_words(self, step: Any) -> str:
        if step.kind is StepKind.ESCALATE and step.to is not None:
            return translate("Incident", "Report to {whom}: {text}").format(
                whom=level_name(step.to.value), text=step.text
            )
        return step.text

    def _answers(self, step: Any) -> list[tuple[str, str]]:
        if step.kind is StepKind.TIMER:
            return timer_answers()
        if step.answers:
            return [(a, a) for a, _ in step.answers]
        return [("", translate("Incident", "Done, next step"))]

    def _draw_chart(self, flow: Flow, row: dict[str, Any]) -> None:
        done = [s["step"] for s in row.get("steps") or ()]
        current = row.get("outcome") if row.get("closed_at") else row["step"]
        self.chart.show_progress(flow, done, current)
        rect = self.chart.current_rect()
        if rect is not None:
            self.chart_area.ensureVisible(int(rect.center().x()), int(rect.center().y()), 120, int(rect.height()))

    def _show_time(self) -> None:
        row = self._row()
        now = self.now()
        if row is None or now is None:
            self.elapsed.setText("")
            self.countdown.setText("")
            return
        self.elapsed.setText(
            translate("Incident", "Since it began: {t}").format(t=duration_text(max(0.0, now - row["opened_at"])))
        )
        deadline = row.get("deadline")
        if deadline and row.get("closed_at") is None:
            left = deadline - now
            over = left <= 0
            self.countdown.setProperty("over", "yes" if over else "no")
            self.countdown.style().unpolish(self.countdown)
            self.countdown.style().polish(self.countdown)
            self.countdown.setText(
                translate("Incident", "Threshold passed {t} ago").format(t=duration_text(-left))
                if over
                else translate("Incident", "Threshold in {t}").format(t=duration_text(left))
            )
        else:
            self.countdown.setText("")

    # -- doing ----------------------------------------------------------------------------------------

    def open_incident(self) -> None:
        flow = self.flow_choice.currentData()
        if not flow or self.client is None:
            return
        self.error.hide()
        commands.run(
            self, self.client.open_incident(flow, self.offline_tickets()), self._opened, on_error=self._show_error
        )

    def _opened(self, reply: dict[str, Any]) -> None:
        self.number = int(reply["number"])
        self.refresh()

    def duty_text(self, level: str) -> str:
        """Whom to call at this level: the duty telephones the exam package sets (值班电话)."""
        contacts = [d for d in self.view.header.get("duty") or () if d.get("level") == level]
        if not contacts:
            return translate("Incident", "No duty telephone for {whom} in the exam package").format(
                whom=level_name(level)
            )
        calls = "；".join(f"{d['who']} {d['phone']}" for d in contacts)
        return translate("Incident", "Call: {calls}").format(calls=calls)

    def answer(self, answer: str) -> None:
        if self.number is None or self.client is None:
            return
        self.error.hide()
        note = "" if self.note.isHidden() else self.note.text().strip()
        commands.run(
            self,
            self.client.answer_incident(self.number, answer, note),
            lambda _: self.refresh(),
            on_error=self._show_error,
        )

    def lost_groups(self, row: dict[str, Any]) -> list[tuple[int, list[str]]]:
        """The candidates by the minutes each lost (measured by the service), most first."""
        groups: dict[int, list[str]] = {}
        for ticket, minutes in (row.get("lost") or {}).items():
            if minutes > 0:
                groups.setdefault(int(minutes), []).append(ticket)
        return sorted(groups.items(), key=lambda g: (-len(g[1]), -g[0]))

    def now(self) -> float | None:
        """Exam time as the window's clock has it (the service's, between its messages)."""
        clock = getattr(self.parent(), "clock", None)
        now = clock.now() if clock is not None else None
        return now if now is not None else self.view.header.get("now")

    def open_extra_time(self, tickets: list[str], minutes: int) -> QDialog | None:
        """补时 for these candidates, filled in with the minutes they lost."""
        from .operations import EXTRA_TIME

        opener = getattr(self.parent(), "open_operation", None)
        if opener is None:
            return None
        dialog = opener(EXTRA_TIME, tickets)
        dialog.minutes.setValue(max(1, minutes))
        return dialog

    def open_step_operation(self, command: str) -> QDialog | None:
        """The dialog of the operation the step names: for a candidate's, the first affected
        candidate it applies to."""
        from .operations import BY_COMMAND, RoomOperation

        op, parent, row = BY_COMMAND[command], self.parent(), self._row()
        if isinstance(op, RoomOperation):
            opener = getattr(parent, "open_room_operation", None)
            return opener(op) if opener is not None else None
        opener = getattr(parent, "open_operation", None)
        tickets = list((row or {}).get("tickets") or ()) or list(self.view.candidates)
        ticket = next((t for t in tickets if op.applies(self.view.candidates.get(t), self.view.header)), None)
        if opener is None or ticket is None:
            self._show_error(
                translate("Incident", "No affected candidate can have this operation now: {op}").format(op=op.text())
            )
            return None
        return opener(op, [ticket])

    def print_incident(self) -> QDialog:
        """打印本事件…: the room's print dialog on this incident's form, as the log holds it
        (preview, print or PDF, the same form as `proctor report --form incident`)."""
        dialog = RoomFormsDialog(self.view, self.client, self)
        dialog.choose("incident", self.number)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
