"""Protocol v2 messages (docs/protocol.md). Every message is a JSON object tagged by "t"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

import msgspec

from ..domain.commands import AnyCommand
from ..domain.events import AnyEvent, Name

PROTOCOL_VERSION = 2
MAX_MESSAGE_BYTES = 256 * 1024  # an answer save is a few KB; this bounds a hostile one
# Standalone exam: a console's request may carry a result file (RESULT_MAX_BYTES, base64 in
# JSON: 4/3 of it). Raised for proven consoles only, after their hello; machines keep the above.
CONSOLE_MAX_MESSAGE_BYTES = 6 * 1024 * 1024

# Numbers a client chooses: JSON-safe integers, never negative (a huge one must not reach SQLite).
ReqId = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Seq = Annotated[int, msgspec.Meta(ge=1, le=2**53)]
Acked = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Hex = Annotated[str, msgspec.Meta(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]

# Answers: an object of question ids, each a value, a list or an object of values, at most two
# levels deeper (accounting entries: a list of objects of fields). Bounded in every direction,
# so that no save can exhaust the service (the whole message is within MAX_MESSAGE_BYTES too).
Key = Annotated[str, msgspec.Meta(max_length=64)]
Scalar = Annotated[str, msgspec.Meta(max_length=65536)] | int | float | bool | None
Leaf = (
    Scalar
    | Annotated[list[Scalar], msgspec.Meta(max_length=1000)]
    | Annotated[dict[Key, Scalar], msgspec.Meta(max_length=1000)]
)
Part = (
    Scalar
    | Annotated[list[Leaf], msgspec.Meta(max_length=1000)]
    | Annotated[dict[Key, Leaf], msgspec.Meta(max_length=1000)]
)
Answers = Annotated[dict[Key, Part], msgspec.Meta(max_length=5000)]


class Msg(msgspec.Struct, tag_field="t", forbid_unknown_fields=True, omit_defaults=True):
    pass


# -- from exam machines and consoles --------------------------------------------------------


class Checks(Msg):
    """An exam machine's own report of what it must not have (R60)."""

    internet: bool
    removable_media: bool


class Resume(Msg):
    """A machine that reconnects: the candidate it had, the token of their login, and the
    highest `seq` the service had acknowledged to it."""

    ticket: Id
    session: Token
    acked: Acked = 0


class Hello(Msg, tag="hello"):
    """The answer to the service's challenge. `proof`: HMAC-SHA256 of the challenge under the
    client's key (proctor.link.auth)."""

    v: int
    role: Literal["machine", "console", "room"]
    proof: Hex
    machine: Id | None = None
    clock: Annotated[float, msgspec.Meta(ge=0, le=2**32)] | None = None  # its own wall clock, epoch s (R59)
    checks: Checks | None = None
    resume: Resume | None = None
    peer_room: Annotated[str, msgspec.Meta(min_length=1, max_length=32)] | None = None  # role "room": which


class Login(Msg, tag="login"):
    id: ReqId
    ticket: Id
    id_number: Annotated[str, msgspec.Meta(max_length=32)]
    acked: Acked = 0  # the highest seq acknowledged to this machine for this candidate, if any


class Heartbeat(Msg, tag="hb"):
    answered: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    clock: Annotated[float, msgspec.Meta(ge=0, le=2**32)] | None = None  # as in hello (R59)


class Save(Msg, tag="save"):
    id: ReqId
    ticket: Id
    seq: Seq
    answers: Answers
    answered: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None


class Submit(Msg, tag="submit"):
    id: ReqId
    ticket: Id


class NoticeSeen(Msg, tag="notice_ack"):
    """The machine showed notice `number` to its candidate."""

    number: Annotated[int, msgspec.Meta(ge=1, le=2**31)]


class ClaimTransfer(Msg, tag="claim_transfer"):
    """Another room of the site claims a candidate this room transferred out (调入). `nonce`: the
    claiming room's, which the answer's `mac` covers, so that it knows this room answered."""

    id: ReqId
    ticket: Id
    nonce: Hex


class HoldingsQuery(Msg, tag="holdings?"):
    id: ReqId


class Request(Msg, tag="request"):
    """A console's command. `by`: the signed-in room proctors who give it (empty for a query)."""

    id: ReqId
    cmd: AnyCommand
    by: Annotated[list[Name], msgspec.Meta(max_length=12)] = []


FromMachine = Login | Heartbeat | Save | Submit | NoticeSeen
FromConsole = Request | HoldingsQuery

# -- from the service ------------------------------------------------------------------------


class Challenge(Msg, tag="challenge"):
    """The service's first message on every connection: answer with `hello` within 10 s."""

    v: int
    nonce: str
    room: str


class Welcome(Msg, tag="welcome"):
    v: int
    room: str
    now: float  # exam clock, epoch seconds
    scale: float  # exam seconds per real second (1 outside rehearsals)
    heartbeat_s: float
    sitting: dict[str, Any] | None = None
    resume: dict[str, Any] | None = None
    notices: list[dict[str, Any]] = []  # the notices this machine has not acknowledged yet


class LoginOk(Msg, tag="login_ok"):
    id: int
    candidate: dict[str, Any]
    state: str
    end: float
    session: str
    last_seq: int = 0
    answers: Any = None
    start: float | None = None  # the sitting's start, moved by a delayed start


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
    start: float | None = None  # a delayed start: the new start (with `end`)
    continue_on: str | None = None  # reset: the machine the candidate logs in on (absent: any free one)


class Notice(Msg, tag="notice"):
    """通知: show it to the candidate, then answer `notice_ack` with its number."""

    number: int
    kind: str
    text: str
    at: float


class TransferGranted(Msg, tag="transfer_granted"):
    """The candidate is the claiming room's now; `mac`: HMAC under this room's site key of the
    claim's nonce and the candidate (docs/protocol.md, Rooms)."""

    id: int
    room: str
    candidate: dict[str, Any]
    mac: str


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
    header: dict[str, Any] | None = None  # the room's header, when the events changed it


class Holdings(Msg, tag="holdings"):
    id: int
    sittings: dict[str, dict[str, list[int]]]
    commits: dict[str, Any] | None = None  # RoomService.commit_times


Outgoing = (
    Challenge
    | Welcome
    | LoginOk
    | Ack
    | Submitted
    | CandidateState
    | Notice
    | TransferGranted
    | Error
    | Reply
    | Snapshot
    | Changed
    | Holdings
)

_encoder = msgspec.json.Encoder()


def encode(msg: Any) -> str:
    """JSON text (a WebSocket text frame, readable in any capture)."""
    return _encoder.encode(msg).decode()


decode_hello = msgspec.json.Decoder(Hello).decode
decode_from_machine = msgspec.json.Decoder(FromMachine).decode
decode_claim = msgspec.json.Decoder(ClaimTransfer).decode
decode_from_console = msgspec.json.Decoder(FromConsole).decode
decode_outgoing = msgspec.json.Decoder(Outgoing).decode


class BadMessage(Exception):
    """A message that breaks the protocol: `code` and `id` go back in the error reply."""

    def __init__(self, code: str, en: str, zh: str, id: int | None = None) -> None:
        super().__init__(en)
        self.code, self.en, self.zh, self.id = code, en, zh, id


class _Envelope(msgspec.Struct):
    id: ReqId | None = None


_envelope = msgspec.json.Decoder(_Envelope).decode
_LEADING_ID = re.compile(rb'^\s*\{\s*(?:"t"\s*:\s*"[^"\\]{0,16}"\s*,\s*)?"id"\s*:\s*(\d{1,16})\s*[,}]')


def readable_id(raw: str | bytes) -> int | None:
    """The `id` of a message that could not be read whole, where it can be read at all."""
    try:
        return _envelope(raw).id
    except (msgspec.DecodeError, RecursionError):
        pass
    head = raw[:200].encode() if isinstance(raw, str) else raw[:200]
    found = _LEADING_ID.match(head)  # too deeply nested to skip: `id` near the front only
    return int(found.group(1)) if found and int(found.group(1)) <= 2**53 else None


def decode(decoder: Callable[[str], Any], raw: str | bytes) -> Any:
    """One message from a text frame, or BadMessage saying what is wrong with it."""
    if isinstance(raw, bytes):
        raise BadMessage("text_only", "a message is one text frame, not binary", "消息须为文本帧", readable_id(raw))
    try:
        return decoder(raw)
    except msgspec.DecodeError as exc:
        raise BadMessage("bad_message", str(exc)[:200], "消息格式错误，已忽略", readable_id(raw)) from None
    except RecursionError:
        raise BadMessage("bad_message", "nested too deeply", "消息嵌套层数过多", readable_id(raw)) from None


def error(bad: BadMessage) -> Error:
    return Error(id=bad.id, code=bad.code, message=bad.en, message_zh=bad.zh)


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
