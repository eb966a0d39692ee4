"""Protocol v1 messages (docs/protocol.md). Every message is a JSON object tagged by "t"."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from ..domain.commands import AnyCommand
from ..domain.events import AnyEvent, Name

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 256 * 1024  # an answer save is a few KB; this bounds a hostile one

# Numbers a client chooses: JSON-safe integers, never negative (a huge one must not reach SQLite).
ReqId = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Seq = Annotated[int, msgspec.Meta(ge=1, le=2**53)]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class Msg(msgspec.Struct, tag_field="t", forbid_unknown_fields=True, omit_defaults=True):
    pass


# -- from exam machines and consoles --------------------------------------------------------


class Hello(Msg, tag="hello"):
    v: int
    role: Literal["machine", "console"]
    key: Annotated[str, msgspec.Meta(max_length=256)]
    machine: Id | None = None
    ticket: Id | None = None  # a machine that reconnects names the candidate it had


class Login(Msg, tag="login"):
    id: ReqId
    ticket: Id
    id_number: Annotated[str, msgspec.Meta(max_length=32)]


class Heartbeat(Msg, tag="hb"):
    answered: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None


class Save(Msg, tag="save"):
    id: ReqId
    ticket: Id
    seq: Seq
    answers: Any
    answered: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None


class Submit(Msg, tag="submit"):
    id: ReqId
    ticket: Id


class HoldingsQuery(Msg, tag="holdings?"):
    id: ReqId


class Request(Msg, tag="request"):
    """A console's command. `by`: the signed-in room proctors who give it (empty for a query)."""

    id: ReqId
    cmd: AnyCommand
    by: Annotated[list[Name], msgspec.Meta(max_length=12)] = []


Incoming = Hello | Login | Heartbeat | Save | Submit | HoldingsQuery | Request

# -- from the service ------------------------------------------------------------------------


class Welcome(Msg, tag="welcome"):
    v: int
    room: str
    now: float  # exam clock, epoch seconds
    scale: float  # exam seconds per real second (1 outside rehearsals)
    heartbeat_s: float
    sitting: dict[str, Any] | None = None
    resume: dict[str, Any] | None = None


class LoginOk(Msg, tag="login_ok"):
    id: int
    candidate: dict[str, Any]
    state: str
    end: float
    last_seq: int = 0
    answers: Any = None


class Ack(Msg, tag="ack"):
    id: int
    seq: int
    dup: bool = False


class Submitted(Msg, tag="submitted"):
    id: int


class CandidateState(Msg, tag="state"):
    ticket: str
    state: str
    end: float


class Error(Msg, tag="error"):
    """A refusal or a fault. `rule`: the RULES.md row that refused it; `allow`/`allow_zh`: what
    would allow it (a consent, a code, a time)."""

    code: str
    message: str
    message_zh: str
    id: int | None = None
    rule: str | None = None
    allow: str | None = None
    allow_zh: str | None = None
    data: dict[str, Any] | None = None


class Reply(Msg, tag="reply"):
    """A console command done: after its events are committed (their `seq` in `result`)."""

    id: int
    result: dict[str, Any]


class Snapshot(Msg, tag="snapshot"):
    room: dict[str, Any]
    seq: int
    events: list[AnyEvent] = []


class Changed(Msg, tag="changed"):
    seq: int
    events: list[AnyEvent]
    candidates: list[dict[str, Any]] = []
    machines: list[dict[str, Any]] = []


class Holdings(Msg, tag="holdings"):
    id: int
    sittings: dict[str, dict[str, list[int]]]


Outgoing = Welcome | LoginOk | Ack | Submitted | CandidateState | Error | Reply | Snapshot | Changed | Holdings

_encoder = msgspec.json.Encoder()


def encode(msg: Any) -> str:
    """JSON text (a WebSocket text frame, readable in any capture)."""
    return _encoder.encode(msg).decode()


decode_incoming = msgspec.json.Decoder(Incoming).decode
decode_outgoing = msgspec.json.Decoder(Outgoing).decode
DecodeError = msgspec.DecodeError


def refusal(r: Any, id: int | None = None) -> Error:
    """The wire form of a `Refused`."""
    return Error(
        id=id,
        code=r.code,
        message=r.en,
        message_zh=r.zh,
        rule=r.rule,
        allow=r.allow_en or None,
        allow_zh=r.allow_zh or None,
        data=r.data or None,
    )
