"""One candidate's timeline: their events in order, in the proctor's words.

A candidate saves every few seconds, so a run of saves with nothing between is one row
("保存作答 ×37") that grows; everything else is a row of its own. Times are the exam time the
考场服务器 recorded: no event carries the exam machine's own clock yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from proctor.domain.events import (
    AlertAcknowledged,
    AlertRaised,
    AnswerSaved,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    CandidateGaveUp,
    CandidateLoggedIn,
    CandidateReset,
    CandidateSubmitted,
    ChoiceRegistered,
    DuplicateLoginAttempt,
    Event,
    ExtraTimeGranted,
    IdentityChecked,
    IdNumberRevealed,
    IncidentOpened,
    LeaveReason,
    LeftRoom,
    MachineOffline,
    MachineOnline,
    ReturnedToRoom,
    SavesMissing,
    SeatAssigned,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
    SubmissionUndone,
    SubmittedByProctors,
    TransferReceived,
    TransferredIn,
    TransferredOut,
    TransferResolved,
    ViolationRecorded,
)

from . import icons, theme
from .header_bar import clock_hms
from .i18n import (
    alert_detail,
    alert_label,
    leave_reason_labels,
    reason_label,
    reset_kind_label,
    reset_reason_label,
    translate,
    violation_act_labels,
    violation_category_labels,
)
from .theme import Glyph

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("at", "what")
MAX_ROWS = 5000  # a flood of alerts about one candidate must not grow the screen without end


@dataclass
class Entry:
    """One row: an event, or a run of saves (`first` … `last`, `count` of them)."""

    first: Event
    last: Event
    count: int = 1
    machine: str | None = None  # the exam machine the candidate was at, as far as the timeline says


def column_title(key: str) -> str:
    return {
        "at": translate("Timeline", "Time"),
        "what": translate("Timeline", "Event"),
    }[key]


def comma() -> str:
    return translate("Timeline", ", ")


def title(e: Event, count: int = 1) -> str:
    """What happened, in the proctor's words."""
    if isinstance(e, CandidateLoggedIn):
        return translate("Timeline", "Logged in")
    if isinstance(e, DuplicateLoginAttempt):
        return translate("Timeline", "Second login tried")
    if isinstance(e, AnswerSaved):
        if count > 1:
            return translate("Timeline", "Answers saved ×{n}").format(n=count)
        return translate("Timeline", "Answers saved")
    if isinstance(e, SavesMissing):
        return translate("Timeline", "Acknowledged saves missing")
    if isinstance(e, CandidateSubmitted):
        if e.by == "auto":
            return translate("Timeline", "Submitted automatically at the end")
        if e.by == "standalone":
            return translate("Timeline", "Submitted (standalone exam recovered)")
        return translate("Timeline", "Submitted")
    if isinstance(e, MachineOnline):
        return translate("Timeline", "Exam machine connected")
    if isinstance(e, MachineOffline):
        return translate("Timeline", "Offline")
    if isinstance(e, AlertRaised):
        return translate("Timeline", "Alert: {what}").format(what=alert_label(e.alert_kind.value))
    if isinstance(e, AlertAcknowledged):
        return translate("Timeline", "Alert acknowledged")
    if isinstance(e, IdNumberRevealed):
        return translate("Timeline", "Whole ID number shown")
    if isinstance(e, ExtraTimeGranted):
        return translate("Timeline", "Extra time +{n} min").format(n=e.minutes)
    if isinstance(e, AuthorizationRequested):
        return translate("Timeline", "Authorization code requested")
    if isinstance(e, AuthorizationCodeRejected):
        return translate("Timeline", "Wrong authorization code")
    if isinstance(e, IdentityChecked):
        if e.matches:
            return translate("Timeline", "Identity checked: matches")
        return translate("Timeline", "Identity checked: does not match")
    if isinstance(e, LeftRoom):
        return translate("Timeline", "Left the room (temporary leave)")
    if isinstance(e, ReturnedToRoom):
        return translate("Timeline", "Back in the room")
    if isinstance(e, SeatAssigned):
        return translate("Timeline", "Seated at random: {machine}").format(machine=e.machine)
    if isinstance(e, IncidentOpened):
        return translate("Timeline", "Incident: {title}").format(title=e.title)
    if isinstance(e, ChoiceRegistered):
        if e.choice.value == "refund":
            return translate("Timeline", "After the stop: a refund")
        return translate("Timeline", "After the stop: the exam arranged again")
    if isinstance(e, TransferredOut):
        return translate("Timeline", "Transferred out")
    if isinstance(e, TransferReceived):
        return translate("Timeline", "Received by {room}").format(room=e.to_room)
    if isinstance(e, TransferResolved):
        return translate("Timeline", "Transfer settled")
    if isinstance(e, TransferredIn):
        return translate("Timeline", "Transferred in from {room}").format(room=e.from_room)
    if isinstance(e, CandidateGaveUp):
        return translate("Timeline", "Gave up the exam")
    if isinstance(e, SubmissionUndone):
        return translate("Timeline", "Submission undone")
    if isinstance(e, SubmittedByProctors):
        return translate("Timeline", "Submitted by the proctors")
    if isinstance(e, ViolationRecorded):
        if e.amends is not None:
            return translate("Timeline", "Violation record no. {n}, correcting no. {old}").format(
                n=e.number, old=e.amends
            )
        return translate("Timeline", "Violation record no. {n}").format(n=e.number)
    # Standalone exam
    if isinstance(e, StandaloneExported):
        return translate("Timeline", "Standalone exam package exported")
    if isinstance(e, StandaloneRecovered):
        return translate("Timeline", "Standalone answers recovered")
    if isinstance(e, StandaloneWrittenOff):
        return translate("Timeline", "Standalone answers recorded as unrecoverable")
    if isinstance(e, CandidateReset):
        return translate("Timeline", "Reset: {kind}").format(kind=reset_kind_label(e.reset_kind.value))
    return e.kind


def detail(first: Event, last: Event, count: int = 1) -> str:
    """The particulars: which machine, which saves, by whom."""
    if isinstance(first, CandidateLoggedIn):
        parts = [translate("Timeline", "Exam machine {machine}").format(machine=first.machine)]
        if first.wrong_seat:
            parts.append(translate("Timeline", "not the assigned seat"))
        if first.previous:
            parts.append(translate("Timeline", "moved from {machine}").format(machine=first.previous))
        return comma().join(parts)
    if isinstance(first, DuplicateLoginAttempt):
        return translate("Timeline", "At exam machine {machine}").format(machine=first.machine)
    if isinstance(first, AnswerSaved) and isinstance(last, AnswerSaved):
        if count > 1:
            text = translate("Timeline", "Saves {a}–{b}, the last at {t}").format(
                a=first.seq, b=last.seq, t=clock_hms(last.at)
            )
        else:
            text = translate("Timeline", "Save {n}").format(n=first.seq)
        if last.answered is not None:
            text += comma() + translate("Timeline", "{n} answered").format(n=last.answered)
        return text
    if isinstance(first, SavesMissing):
        return translate("Timeline", "The log held saves up to {held}, the exam machine had {acked}").format(
            held=first.held, acked=first.acked
        )
    if isinstance(first, (MachineOnline, MachineOffline)):
        text = translate("Timeline", "Exam machine {machine}").format(machine=first.machine)
        if isinstance(first, MachineOffline):
            reason = alert_detail("machine_offline", first.reason)
            text = f"{text}{comma()}{reason}" if reason else text
        return text
    if isinstance(first, AlertRaised):
        return alert_detail(first.alert_kind.value, first.detail)
    if isinstance(first, (AlertAcknowledged, IdNumberRevealed)):
        return translate("Timeline", "By {names}").format(names="、".join(first.by))
    if isinstance(first, IdentityChecked):
        return comma().join(p for p in (first.note, by_names(first.by)) if p)
    if isinstance(first, LeftRoom):
        why = reason_text(first.reason, first.note)
        escort = translate("Timeline", "with {escort}").format(escort=first.escort)
        return comma().join((why, escort, by_names(first.by)))
    if isinstance(first, (SeatAssigned, TransferredIn, ChoiceRegistered, IncidentOpened)):
        return by_names(first.by)
    if isinstance(first, TransferredOut):
        return comma().join((first.reason, by_names(first.by)))
    if isinstance(first, TransferResolved):
        sat = translate("Timeline", "sat elsewhere") if first.sat else translate("Timeline", "did not sit")
        return comma().join((sat, first.note, by_names(first.by)))
    if isinstance(first, CandidateGaveUp):
        return comma().join((first.reason, by_names(first.by)))
    if isinstance(first, (SubmissionUndone, SubmittedByProctors)):
        chief = translate("Timeline", "chief examiner {name} consented").format(name=first.approved_by)
        return comma().join((first.reason, chief, by_names(first.by)))
    if isinstance(first, ViolationRecorded):
        act = violation_act_labels()[first.act]
        category = violation_category_labels()[first.category]
        files = translate("Timeline", "{n} evidence files").format(n=len(first.evidence)) if first.evidence else ""
        confirmed = translate("Timeline", "confirmed by {names}").format(names="、".join(first.confirmed_by))
        return comma().join(p for p in (f"{act}（{category}）", files, confirmed) if p)
    if isinstance(first, ReturnedToRoom):
        away = translate("Timeline", "out {m} min {s} s").format(
            m=int(first.at - first.left_at) // 60, s=int(first.at - first.left_at) % 60
        )
        return comma().join((away, by_names(first.by)))
    if isinstance(first, ExtraTimeGranted):
        how = (
            translate("Timeline", "with the code for request {request}").format(request=first.request)
            if first.request
            else translate("Timeline", "granted by the proctors")
        )
        return comma().join(p for p in (reason_label(first.reason.value), first.note, how) if p)
    if isinstance(first, AuthorizationRequested):
        return translate("Timeline", "Request {request}, {n} min").format(request=first.request, n=first.minutes)
    if isinstance(first, AuthorizationCodeRejected):
        return translate("Timeline", "Request {request}, attempt {n}").format(request=first.request, n=first.attempt)
    # Standalone exam
    if isinstance(first, StandaloneExported):
        return translate(
            "Timeline", "Exam machine {machine}, chief examiner {chief}, {minutes} min left, from save {seq}; {reason}"
        ).format(
            machine=first.machine,
            chief=first.chief,
            minutes=int(first.remaining_s // 60),
            seq=first.last_seq,
            reason=first.reason,
        )
    if isinstance(first, StandaloneRecovered):
        return translate("Timeline", "From exam machine {machine}, {n} saves, up to save {seq}").format(
            machine=first.machine, n=first.saves, seq=first.last_seq
        )
    if isinstance(first, StandaloneWrittenOff):
        return comma().join((first.reason, translate("Timeline", "By {names}").format(names="、".join(first.by))))
    if isinstance(first, CandidateReset):
        where = (
            translate("Timeline", "from {machine} to {to}").format(machine=first.machine or "—", to=first.to)
            if first.to
            else translate("Timeline", "from {machine} to any free machine").format(machine=first.machine or "—")
        )
        who = (
            translate("Timeline", "By {names}").format(names="、".join(first.by))
            if first.by
            else translate("Timeline", "by the room server at once (R54)")
        )
        return comma().join(p for p in (where, reset_reason_label(first.reason.value), first.note, who) if p)
    return ""


def by_names(names: tuple[str, ...]) -> str:
    return translate("Timeline", "By {names}").format(names="、".join(names))


def reason_text(reason: LeaveReason, note: str) -> str:
    label = leave_reason_labels()[reason]
    return f"{label}：{note}" if note else label


def icon(e: Event) -> QIcon | None:
    """A shape beside the words, in the colour of the state or flag it is about."""
    if isinstance(e, CandidateLoggedIn):
        return icons.state_icon("logged_in")
    if isinstance(e, AnswerSaved):
        return icons.state_icon("answering")
    if isinstance(e, CandidateSubmitted):
        return icons.state_icon("submitted")
    if isinstance(e, DuplicateLoginAttempt):
        return icons.flag_icon("duplicate_login")
    if isinstance(e, MachineOffline):
        return icons.flag_icon("offline")
    if isinstance(e, MachineOnline):
        return icons.glyph_icon(Glyph.DOT, theme.OK)
    if isinstance(e, SavesMissing):
        return icons.alert_icon("saves_missing")
    if isinstance(e, AlertRaised):
        return icons.alert_icon(e.alert_kind.value)
    if isinstance(e, AlertAcknowledged):
        return icons.glyph_icon(Glyph.CHECK, theme.OK)
    if isinstance(e, IdentityChecked):
        return icons.flag_icon("id_checked") if e.matches else icons.alert_icon("identity_mismatch")
    if isinstance(e, (LeftRoom, ReturnedToRoom)):
        return icons.flag_icon("away")
    if isinstance(e, ViolationRecorded):
        return icons.flag_icon("violation")
    if isinstance(e, CandidateGaveUp):
        return icons.state_icon("gave_up")
    if isinstance(e, (SubmissionUndone, SubmittedByProctors)):
        return icons.state_icon("submitted")
    if isinstance(e, CandidateReset):
        return icons.state_icon("reset")
    return None


def colour(e: Event) -> str | None:
    if isinstance(e, (AlertRaised, SavesMissing, DuplicateLoginAttempt)):
        return theme.ALERT
    if isinstance(e, MachineOffline):
        return theme.OFFLINE_PILL
    return None


class TimelineModel(QAbstractTableModel):
    """Rows of one candidate's events, oldest first; `extend` appends what the service sent."""

    def __init__(
        self, parent: QObject | None = None, clock_offset: Callable[[str], float | None] = lambda _: None
    ) -> None:
        super().__init__(parent)
        self.entries: list[Entry] = []
        # An exam machine's own clock against the proctor machine's (R59), None when unknown or
        # when exam time is not the wall clock (a rehearsal): then only the server's time shows.
        self.clock_offset = clock_offset
        self._machine: str | None = None

    def clear(self) -> None:
        self.beginResetModel()
        self.entries = []
        self._machine = None
        self.endResetModel()

    def extend(self, events: list[Event]) -> None:
        for e in events:
            last = self.entries[-1] if self.entries else None
            if isinstance(e, AnswerSaved) and last is not None and isinstance(last.last, AnswerSaved):
                last.last, last.count = e, last.count + 1
                row = len(self.entries) - 1
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                continue
            if isinstance(e, CandidateLoggedIn):
                self._machine = e.machine
            if len(self.entries) >= MAX_ROWS:
                self.beginRemoveRows(QModelIndex(), 0, 0)
                del self.entries[0]
                self.endRemoveRows()
            row = len(self.entries)
            self.beginInsertRows(QModelIndex(), row, row)
            self.entries.append(Entry(e, e, machine=self._machine))
            self.endInsertRows()

    def events(self) -> list[Event]:
        """The first and last event of every row (a run of saves gives two)."""
        out: list[Event] = []
        for x in self.entries:
            out.append(x.first)
            if x.last is not x.first:
                out.append(x.last)
        return out

    def texts(self) -> list[str]:
        """Each row as one line, for tests and the clipboard."""
        return [f"{clock_hms(x.first.at)} {self._what(x)}" for x in self.entries]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return column_title(COLUMNS[section])
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section] == "at":
                return translate(
                    "Timeline",
                    "Exam time as the room server recorded it; below it, the exam machine's own clock "
                    "at that moment when it is off by a second or more (R59)",
                )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        x = self.entries[index.row()]
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._when(x) if key == "at" else self._what(x)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._what(x)
        if key == "what":
            if role == Qt.ItemDataRole.DecorationRole:
                return icon(x.first)
            if role == Qt.ItemDataRole.ForegroundRole:
                c = colour(x.first)
                return theme.brush(c) if c else None
        if key == "at" and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _when(self, x: Entry) -> str:
        at = clock_hms(x.first.at)
        offset = self.clock_offset(x.machine) if x.machine else None
        if offset is None or abs(offset) < 1:
            return at
        return translate("Timeline", "{at}\nmachine {machine_at}").format(
            at=at, machine_at=clock_hms(x.first.at + offset)
        )

    @staticmethod
    def _what(x: Entry) -> str:
        d = detail(x.first, x.last, x.count)
        t = title(x.first, x.count)
        return f"{t}\n{d}" if d else t
