"""Protocol v1 messages (docs/protocol.md). Every message is a JSON object tagged by "t"."""

from __future__ import annotations

from typing import Any, Literal, Union

import msgspec

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 256 * 1024  # an answer save is a few KB; this bounds a hostile one


class Msg(msgspec.Struct, tag_field="t", forbid_unknown_fields=True, omit_defaults=True):
    pass


# -- from exam machines and consoles --------------------------------------------------------


class Hello(Msg, tag="hello"):
    v: int
    role: Literal["machine", "console"]
    key: str
    machine: str | None = None
    ticket: str | None = None  # a machine that reconnects names the candidate it had


class Login(Msg, tag="login"):
    id: int
    ticket: str
    id_number: str


class Heartbeat(Msg, tag="hb"):
    answered: int | None = None


class Save(Msg, tag="save"):
    id: int
    ticket: str
    seq: int
    answers: Any
    answered: int | None = None


class Submit(Msg, tag="submit"):
    id: int
    ticket: str


class HoldingsQuery(Msg, tag="holdings?"):
    id: int


Incoming = Union[Hello, Login, Heartbeat, Save, Submit, HoldingsQuery]

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
    code: str
    message: str
    message_zh: str
    id: int | None = None
    data: dict[str, Any] | None = None


class Snapshot(Msg, tag="snapshot"):
    room: dict[str, Any]
    seq: int


class Changed(Msg, tag="changed"):
    seq: int
    events: list[dict[str, Any]]
    candidates: list[dict[str, Any]] = []
    machines: list[dict[str, Any]] = []


class Holdings(Msg, tag="holdings"):
    id: int
    sittings: dict[str, dict[str, list[int]]]


Outgoing = Union[Welcome, LoginOk, Ack, Submitted, CandidateState, Error, Snapshot, Changed, Holdings]

_encoder = msgspec.json.Encoder()


def encode(msg: Any) -> str:
    """JSON text (a WebSocket text frame, readable in any capture)."""
    return _encoder.encode(msg).decode()


decode_incoming = msgspec.json.Decoder(Incoming).decode
decode_outgoing = msgspec.json.Decoder(Outgoing).decode
DecodeError = msgspec.DecodeError
