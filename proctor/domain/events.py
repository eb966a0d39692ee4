"""Every change to a room is one typed event; the log and the wire carry the same encoding.

Each event says which candidates (`tickets`) and machines (`machines`) it touches, or that it
touches the whole room (`room_wide`): consoles repaint exactly that, nothing is guessed.
The tag (`"kind"`) is the class name; a new kind is a new class here and one `apply` handler.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar, Literal

import msgspec

# Strings a client sends and an event keeps; bounded so that no message can bloat the log.
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Proctors = tuple[Name, ...]


class AlertKind(str, Enum):
    """Something a proctor must look at, raised by the service and acknowledged by a proctor."""

    MACHINE_OFFLINE = "machine_offline"
    DUPLICATE_LOGIN = "duplicate_login"
    WRONG_SEAT = "wrong_seat"
    UNKNOWN_MACHINE = "unknown_machine"
    CLOCK_STEPPED = "clock_stepped"
    PROCTORS_SHORT = "proctors_short"
    # Admission to the room's link (docs/protocol.md): detail is the address it came from.
    BAD_PROOF = "bad_proof"  # a connection claimed a machine or the console and could not prove it
    MACHINE_CLASH = "machine_clash"  # a second connection claimed a machine that is connected
    MACHINE_CLOCK = "machine_clock"  # R59: the exam machine's own clock is off (detail: "+95 s")
    MACHINE_UNSEALED = "machine_unsealed"  # R60: internet, removable media (detail: what)
    # Saves: what the exam machine holds and the log disagree.
    SAVE_CONFLICT = "save_conflict"  # a resend differs from the save acknowledged (detail: its seq)
    SAVES_MISSING = "saves_missing"  # the machine had saves acknowledged that the log lacks
    ANSWERS_DAMAGED = "answers_damaged"  # saves on disk no longer match the chain (detail: their seqs)
    # The schedule, once a sitting: what the proctors must do now (proctor.domain.room.due_events).
    SIGN_IN_CLOSING = "sign_in_closing"  # R07 ahead: candidates still not logged in (detail: how many)
    END_REMINDER = "end_reminder"  # R12: remind the candidates (detail: minutes to the end)
    AUTHCODE_LOCKED = "authcode_locked"  # too many wrong authorization codes (detail: the request)
    # Reset (重置): a machine the candidate was reset away from still acts for them (detail: where they went).
    RESET_MACHINE = "reset_machine"


class Event(msgspec.Struct, tag_field="kind", tag=True, frozen=True, kw_only=True):
    at: float  # exam time, epoch seconds

    room_wide: ClassVar[bool] = False

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def tickets(self) -> tuple[str, ...]:
        return ()

    @property
    def machines(self) -> tuple[str, ...]:
        return ()


class _OneCandidate(Event, frozen=True, kw_only=True):
    sitting: int
    ticket: str

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,)


# -- the service and the schedule -----------------------------------------------------------------


class ServiceStarted(Event, frozen=True, kw_only=True):
    """The service (re)started: every machine is offline until it says hello again. `wall` and
    `scale` anchor exam time: after a restart it continues from here (see proctor.clock)."""

    package: str
    wall: float
    scale: float = 1.0
    room_wide: ClassVar[bool] = True


class ScheduleShifted(Event, frozen=True, kw_only=True):
    by_s: float
    reason: str
    room_wide: ClassVar[bool] = True


class ClockStepped(Event, frozen=True, kw_only=True):
    """The proctor machine's wall clock jumped by `by_s` against the monotonic clock. Exam time
    did not move with it; `wall` is the new wall reading, the next anchor."""

    by_s: float
    wall: float


class SittingStarted(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


class SignInClosed(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


class SittingEnded(Event, frozen=True, kw_only=True):
    sitting: int
    room_wide: ClassVar[bool] = True


# -- exam machines --------------------------------------------------------------------------------


class _AtMachine(Event, frozen=True, kw_only=True):
    machine: str
    ticket: str | None = None  # who sits there, if anyone: their offline flag follows the machine

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,) if self.ticket else ()

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class MachineOnline(_AtMachine, frozen=True, kw_only=True):
    # Its own wall clock minus the service's, in seconds, from its hello (R59); None: not said.
    clock_offset_s: float | None = None


class MachineOffline(_AtMachine, frozen=True, kw_only=True):
    reason: str


class MachineClockMoved(_AtMachine, frozen=True, kw_only=True):
    """An online exam machine's clock, read again (heartbeat, hello), moved against the service's
    since its offset was last recorded (R59; proctor.domain.admission.decide_machine_clock)."""

    clock_offset_s: float


# -- candidates -----------------------------------------------------------------------------------


class CandidateLoggedIn(_OneCandidate, frozen=True, kw_only=True):
    machine: str
    wrong_seat: bool = False
    previous: str | None = None  # the machine left behind after a reset
    # SHA-256 of the session token given to the machine at this login: a machine that reconnects
    # resumes the candidate only with the token (the ticket alone is printed on paper).
    session: str | None = None

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine, self.previous) if self.previous else (self.machine,)


class DuplicateLoginAttempt(_OneCandidate, frozen=True, kw_only=True):
    machine: str  # where the second login was tried

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class AnswerSaved(_OneCandidate, frozen=True, kw_only=True):
    """The answers themselves are in the log's `answers` table; `digest` (SHA-256 of their
    canonical JSON) ties them to the hash chain, so consoles see this event exactly as logged."""

    seq: int
    digest: str
    answered: int | None = None


class SavesMissing(_OneCandidate, frozen=True, kw_only=True):
    """The exam machine had saves up to `acked` acknowledged; the log held only up to `held`.
    Recorded and raised; the candidate's next save continues from `acked`."""

    machine: str
    held: int
    acked: int

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,)


class CandidateSubmitted(_OneCandidate, frozen=True, kw_only=True):
    by: Literal["candidate", "auto"]


# -- extra time and authorization codes (proctor.domain.extra_time, proctor.domain.authcode) ------


class ExtraTimeReason(str, Enum):
    """Why time was lost (R22: only through no fault of the candidate)."""

    MACHINE_FAULT = "machine_fault"  # the exam machine failed, restarted or was swapped (R61, 003 五)
    POWER = "power"  # power failure (003 一)
    NETWORK = "network"  # the room's network failed
    PERIPHERAL = "peripheral"  # keyboard, mouse, screen (R23, 003 六)
    SOFTWARE = "software"  # input method, answer page (R23, 003 六)
    OTHER_INCIDENT = "other_incident"  # another incident, named in the note
    CANDIDATE_ERROR = "candidate_error"  # the candidate's own operating error: earns none (R22)


class _SomeCandidates(Event, frozen=True, kw_only=True):
    sitting: int
    candidates: tuple[str, ...]

    @property
    def tickets(self) -> tuple[str, ...]:
        return self.candidates


class AuthorizationRequested(_SomeCandidates, frozen=True, kw_only=True):
    """The console asked for a provincial authorization code: `request` is what the proctors
    read to the office, derived from `nonce` and the fields (docs/authorization-codes.md)."""

    request: str
    op: str
    minutes: int
    nonce: str
    by: Proctors


class AuthorizationCodeRejected(_SomeCandidates, frozen=True, kw_only=True):
    """A code that does not verify for `request`: the `attempt`-th wrong one, entered by `by`."""

    request: str
    attempt: int
    by: Proctors


class ExtraTimeGranted(_SomeCandidates, frozen=True, kw_only=True):
    """Each of `candidates` gets `minutes` more (cumulative, R19-R21); `request`: the request
    whose provincial code allowed it, None when the proctors granted directly (R19)."""

    minutes: int
    reason: ExtraTimeReason
    note: str = ""
    by: Proctors
    request: str | None = None
    # Every candidate's end moves and the sitting's last end with it: consoles take the room.
    room_wide: ClassVar[bool] = True


# -- reset (重置, proctor.domain.reset) -----------------------------------------------------------


class ResetKind(str, Enum):
    """Both keep the last acknowledged answers and the candidate's end (R24; 004 附件2 二(二), 003 五)."""

    RESUME = "resume"  # 续考: on a free spare machine (备用机)
    RESTART = "restart"  # on the same machine, restarted or with its keyboard or mouse swapped


class ResetReason(str, Enum):
    MACHINE_FAULT = "machine_fault"  # 考试机故障
    NETWORK = "network"  # 网络原因
    PERIPHERAL = "peripheral"  # 鼠标、键盘等外设故障
    CLOUD_ROOM = "cloud_room"  # R54: the cloud room's system failed (the service resets at once)
    OTHER = "other"  # named in the note


class CandidateReset(_OneCandidate, frozen=True, kw_only=True):
    """The candidate is released from `machine` (fenced from acting for them from now on) and
    logs in again on `to` (None: any free machine, R54), from the last acknowledged answers with
    the same end. `by`: the proctors, empty when the service reset them by `rule` R54."""

    reset_kind: ResetKind
    machine: str | None
    to: str | None
    reason: ResetReason
    note: str = ""
    by: Proctors
    rule: str = "R24"
    # Which spares are free changes on every spare's row: consoles take the room.
    room_wide: ClassVar[bool] = True

    @property
    def machines(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for m in (self.machine, self.to) if m))


# -- proctors and alerts --------------------------------------------------------------------------


class ProctorsSignedIn(Event, frozen=True, kw_only=True):
    """The room proctors at the console now; their names go on every command and the report."""

    names: Proctors
    room_wide: ClassVar[bool] = True


class _AboutAlert(Event, frozen=True, kw_only=True):
    alert: int  # 1, 2, … in the order raised
    ticket: str | None = None
    machine: str | None = None

    @property
    def tickets(self) -> tuple[str, ...]:
        return (self.ticket,) if self.ticket else ()

    @property
    def machines(self) -> tuple[str, ...]:
        return (self.machine,) if self.machine else ()


class AlertRaised(_AboutAlert, frozen=True, kw_only=True):
    alert_kind: AlertKind
    detail: str = ""


class AlertAcknowledged(_AboutAlert, frozen=True, kw_only=True):
    by: Proctors


class IdNumberRevealed(_OneCandidate, frozen=True, kw_only=True):
    """Proctors `by` had a candidate's whole ID number shown (DOMAIN §9: masked elsewhere). The
    number itself goes only in the reply to them, never in the log or to other consoles."""

    by: Proctors


AnyEvent = (
    ServiceStarted
    | ScheduleShifted
    | ClockStepped
    | SittingStarted
    | SignInClosed
    | SittingEnded
    | MachineOnline
    | MachineOffline
    | MachineClockMoved
    | CandidateLoggedIn
    | DuplicateLoginAttempt
    | AnswerSaved
    | SavesMissing
    | CandidateSubmitted
    | ProctorsSignedIn
    | AlertRaised
    | AlertAcknowledged
    | IdNumberRevealed
    | AuthorizationRequested
    | AuthorizationCodeRejected
    | ExtraTimeGranted
    | CandidateReset
)
EVENT_TYPES: tuple[type[Event], ...] = AnyEvent.__args__  # type: ignore[attr-defined]

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(AnyEvent)


def encode_event(e: Event) -> bytes:
    """The one encoding of an event: what the log stores and hashes, and what consoles receive."""
    return _encoder.encode(e)


def decode_event(data: bytes | str) -> Event:
    return _decoder.decode(data)
