"""The room service fuzzed over a real socket on loopback: hypothesis sends malformed frames and
hellos, and random sequences of logins, saves, submits, heartbeats, garbage and reconnects from
three exam machines. Every frame gets its answer, a connection closes only where the protocol
says so, the service stays up, its log stays intact and replays after a restart, and every save
it acknowledged is held with exactly the answers that were acknowledged."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from websockets.exceptions import ConnectionClosed

from proctor.domain.room import answers_digest, canonical_answers
from proctor.host import RoomOptions, RunningRoom, start_room
from proctor.link import messages as m
from proctor.link.auth import Credential
from tests import wire
from tests.fuzzing import fuzz_settings

FUZZ = fuzz_settings(150)
# The room lives on from one example to the next, so a shrunk replay would meet another room:
# a failing sequence is reported as it was found.
SEQUENCES = settings(FUZZ, max_examples=50, stateful_step_count=30, phases=[Phase.explicit, Phase.generate])

FUZZ_MACHINE = "C01"  # no candidate is seated there; the sequences use A01-A03
HELLO_MACHINE = "C02"
SENTINEL = 9_007_199_254_000_001  # a request id no strategy draws: marks the end of a frame's replies
PUSHED = {"state", "snapshot", "changed"}  # what the service sends unasked
SITTING = 1


class _LiveRoom:
    """A room service on an event loop of its own thread. Hypothesis calls a plain function per
    example; `run` hands that example's coroutine to the room's loop, where the socket clients,
    the service and the reads of its log all run."""

    def __init__(self, package: Any, db: Path) -> None:
        self.package = package
        self.opts = RoomOptions(db=db, first_start_at=time.time() - 60)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="room-service", daemon=True)
        self.thread.start()
        self.room: RunningRoom | None = None
        try:
            self.room = self.run(start_room(package, self.opts))
        except BaseException:
            self.close()
            raise

    @property
    def url(self) -> str:
        assert self.room is not None
        return self.room.url

    def run(self, coro: Any, timeout: float = 30.0) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def call(self, fn: Any) -> Any:
        """`fn()` on the room's loop, where its log may be read."""

        async def on_loop() -> Any:
            return fn()

        return self.run(on_loop())

    def finish(self) -> None:
        """The service never failed, its log's chain holds, and a restart replays it to the same
        holdings."""

        async def check() -> None:
            assert self.room is not None
            service = self.room.service
            assert service.failed is None
            assert service.log.verify_chain() is None
            held = service.log.holdings()
            await self.room.stop()
            self.room = None
            self.room = await start_room(self.package, self.opts)
            assert self.room.service.log.holdings() == held

        self.run(check())

    def close(self) -> None:
        async def stop() -> None:
            if self.room is not None:
                await self.room.stop()
            rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in rest:
                t.cancel()
            await asyncio.gather(*rest, return_exceptions=True)
            await self.loop.shutdown_asyncgens()

        try:
            self.run(stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


@pytest.fixture
def live(package, tmp_path):
    room = _LiveRoom(package, tmp_path / "room.db")
    yield room
    room.close()


# -- what is sent ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    data: str | bytes
    text: bool = True  # bytes sent as a text frame: not UTF-8

    def __repr__(self) -> str:  # a frame can be 256 KiB: enough of it to see what it was
        return f"Frame({self.data[:300]!r}, text={self.text}, length={len(self.data)})"

    def closes_with(self, role: str = "machine") -> int | None:
        """The close code the WebSocket layer must fail this frame with, if any (RFC 6455). A
        proven console may send more (a standalone exam's result)."""
        size = len(self.data.encode()) if isinstance(self.data, str) else len(self.data)
        if size > (m.CONSOLE_MAX_MESSAGE_BYTES if role == "console" else m.MAX_MESSAGE_BYTES):
            return 1009
        if self.text and isinstance(self.data, bytes):
            try:
                self.data.decode()
            except UnicodeDecodeError:
                return 1007
        return None


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASTRAL = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF) | st.characters(
    min_codepoint=0x1F300, max_codepoint=0x1F64F
)
texts = st.one_of(
    st.text(max_size=12),
    st.text(CJK | ASTRAL, max_size=12),
    st.sampled_from(["", "林𠮷祥", "\x00", "\ufeff", "\u202e", "A01", "a" * 33, "𠮷" * 40, "字" * 65537]),
)
numbers = st.one_of(
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 1, 2**31, 2**53, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**400]),
    st.floats(),  # NaN and Infinity too, which are not JSON
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
    max_leaves=16,
)
TAGS = ["hello", "login", "hb", "save", "submit", "holdings?", "request", "challenge", "welcome", "ack", "error"]
RAW_NUMBERS = ["1e999", "-0", "1E400", "00", "01", ".5", "1.", "0x10", "+1", "9" * 5000, "-", "1e-999", "true"]


def _templates(ticket: str, id_number: str) -> list[dict[str, Any]]:
    """Messages of each tag as a client sends them, to break."""
    return [
        {"t": "login", "id": 1, "ticket": ticket, "id_number": id_number, "acked": 0},
        {"t": "hb", "answered": 3},
        {"t": "save", "id": 2, "ticket": ticket, "seq": 1, "answers": {"1": "A", "2": ["A", "C"]}, "answered": 2},
        {"t": "save", "id": 3, "ticket": ticket, "seq": 2, "answers": {"7": [{"借": "银行存款", "金额": 100.5}]}},
        {"t": "submit", "id": 4, "ticket": ticket},
        {"t": "holdings?", "id": 5},
        {"t": "request", "id": 6, "cmd": {"c": "history", "ticket": ticket, "after": 0, "limit": 1}},
        {"t": "request", "id": 7, "by": [], "cmd": {"c": "sign_in_proctors", "names": ["林𠮷祥", "王芳"]}},
        {"t": "request", "id": 8, "by": ["林𠮷祥", "王芳"], "cmd": {"c": "acknowledge_alert", "alert": 1}},
        {"t": "hello", "v": 2, "role": "machine", "machine": "A01", "proof": "0" * 64},
    ]


@st.composite
def _messages(draw, templates: list[dict[str, Any]]) -> dict[str, Any]:
    """A template with fields set to values of any type, dropped, added, or nested into."""
    msg = json.loads(json.dumps(draw(st.sampled_from(templates))))
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["set", "set", "inner", "drop", "add", "tag"]))
        keys = sorted(msg)
        if how == "set" and keys:
            msg[draw(st.sampled_from(keys))] = draw(json_values)
        elif how == "inner" and any(isinstance(v, dict) for v in msg.values()):
            inner = msg[draw(st.sampled_from([k for k in keys if isinstance(msg[k], dict)]))]
            inner[draw(st.sampled_from([*sorted(inner), "x"]))] = draw(json_values)
        elif how == "drop" and keys:
            del msg[draw(st.sampled_from(keys))]
        elif how == "add":
            msg[draw(st.text(max_size=8))] = draw(json_values)
        elif how == "tag":
            msg["t"] = draw(st.sampled_from(TAGS) | texts)
    return msg


def _dump(msg: Any, ascii: bool = False) -> str:
    return json.dumps(msg, ensure_ascii=ascii)


@st.composite
def frames(draw, templates: list[dict[str, Any]]) -> Frame:
    kind = draw(
        st.sampled_from(
            [
                "valid",
                "valid",
                "message",
                "message",
                "message",
                "json",
                "text",
                "binary",
                "duplicate",
                "cut",
                "deep",
                "raw_number",
                "two",
                "bom",
                "bad_utf8",
                "too_big",
            ]
        )
    )
    if kind == "valid":
        return Frame(_dump(draw(st.sampled_from(templates)), draw(st.booleans())))
    if kind == "message":
        return Frame(_dump(draw(_messages(templates)), draw(st.booleans())))
    if kind == "json":
        return Frame(_dump(draw(json_values)))
    if kind == "text":
        return Frame(draw(st.text(max_size=200)))
    if kind == "binary":
        return Frame(draw(st.binary(max_size=200) | _messages(templates).map(lambda v: _dump(v).encode())), text=False)
    if kind == "duplicate":  # a key twice, each time with its own value
        pairs = list(draw(_messages(templates)).items())
        if pairs:
            key = draw(st.sampled_from([k for k, _ in pairs]))
            pairs.insert(draw(st.integers(0, len(pairs))), (key, draw(json_values)))
        return Frame("{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in pairs) + "}")
    if kind == "cut":  # cut in the middle, as a broken connection or a buggy client would
        text = _dump(draw(_messages(templates)))
        return Frame(text[: draw(st.integers(0, max(0, len(text) - 1)))])
    if kind == "deep":
        depth = draw(st.sampled_from([10, 200, 1500, 20000]))
        open_, close = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        deep = open_ * depth + "1" + close * depth
        field = draw(st.sampled_from(["answers", "cmd", "x", "id"]))
        front = draw(st.booleans())
        head = '"t":"save","id":9,"ticket":"x","seq":1'
        return Frame("{" + (f'{head},"{field}":{deep}' if front else f'"{field}":{deep},{head}') + "}")
    if kind == "raw_number":  # numbers as no JSON encoder writes them
        msg = draw(_messages(templates))
        key = draw(st.sampled_from([*sorted(msg), "id"]))
        msg[key] = "\x00NUMBER\x00"
        return Frame(_dump(msg).replace('"\\u0000NUMBER\\u0000"', draw(st.sampled_from(RAW_NUMBERS))))
    if kind == "two":  # two messages in one frame
        return Frame(_dump(draw(_messages(templates))) + draw(st.sampled_from(["", " ", "\n"])) + _dump({"t": "hb"}))
    if kind == "bom":
        return Frame("\ufeff" + _dump(draw(_messages(templates))))
    if kind == "bad_utf8":  # a text frame that is not UTF-8 (Latin-1, GBK, a lone byte)
        text = _dump(draw(_messages(templates)))
        cut = draw(st.integers(0, len(text)))
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", "考".encode("gbk"), "é".encode("latin-1")]))
        return Frame(text[:cut].encode() + bad + text[cut:].encode(), text=True)
    # At the 256 KiB bound, just under it, or over it.
    size = m.MAX_MESSAGE_BYTES + draw(st.integers(-2, 2) | st.integers(3, 4096))
    head, tail = '{"t":"save","id":11,"ticket":"x","seq":1,"answers":{"1":"', '"}}'
    fill = draw(st.sampled_from(["A", "字"]))
    text = head + fill * ((size - len(head) - len(tail)) // len(fill.encode())) + tail
    return Frame(text, text=draw(st.booleans()))


# -- what must come back ---------------------------------------------------------------------------

UNREADABLE = object()


def _strict_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _surrogates(value: Any) -> bool:
    todo = [value]
    while todo:  # not recursive: the value may be nested as deep as a parser allows
        v = todo.pop()
        if isinstance(v, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in v):
            return True
        if isinstance(v, list):
            todo += v
        elif isinstance(v, dict):
            todo += [*v.keys(), *v.values()]
    return False


def _parsed(data: str | bytes) -> Any:
    """The frame as strict JSON (UTF-8, RFC 8259, no duplicate keys, no lone surrogates), or
    UNREADABLE."""
    try:
        text = data.decode() if isinstance(data, bytes) else data
        value = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_strict_pairs)
    except (ValueError, RecursionError):
        return UNREADABLE
    return UNREADABLE if _surrogates(value) else value


def _request_id(value: Any) -> Any:
    """The `id` a reply must carry: None for a message without one, UNREADABLE for a frame that is
    not strict JSON (the reply may carry an `id` the frame shows near its front, or none)."""
    if value is UNREADABLE:
        return UNREADABLE
    req = value.get("id") if isinstance(value, dict) else None
    return req if type(req) is int and 0 <= req <= 2**53 else None


def _is_heartbeat(frame: Frame, value: Any) -> bool | None:
    """Whether the frame is a valid heartbeat (which gets no reply); None when it cannot be told."""
    if isinstance(frame.data, bytes):
        return False
    if value is UNREADABLE:
        return None if '"hb"' in frame.data else False
    if not isinstance(value, dict) or value.get("t") != "hb" or not set(value) <= {"t", "answered"}:
        return False
    answered = value.get("answered")
    return answered is None or (type(answered) is int and 0 <= answered <= 100_000)


def _ids_in(data: str | bytes) -> set[int]:
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    return {int(n) for n in re.findall(r'"id"\s*:\s*(\d{1,17})', text)}


def _check_replies(frame: Frame, replies: list[dict[str, Any]], role: str) -> None:
    value = _parsed(frame.data)
    heartbeat = role == "machine" and _is_heartbeat(frame, value)
    if heartbeat:
        assert replies == [], (frame, replies)
    elif heartbeat is None:
        assert len(replies) <= 1, (frame, replies)
    else:
        assert len(replies) == 1, (frame, replies)
    req = _request_id(value)
    for reply in replies:
        assert reply["t"] != "error" or reply["code"] != "internal", (frame, reply)
        if req is UNREADABLE:
            assert reply.get("id") is None or reply["id"] in _ids_in(frame.data), (frame, reply)
        else:
            assert reply.get("id") == req, (frame, reply)


def _sentinel(role: str) -> dict[str, Any]:
    if role == "console":
        return {"t": "holdings?", "id": SENTINEL}
    return {"t": "submit", "id": SENTINEL, "ticket": "-"}  # not this connection's candidate: refused


async def _replies_to(ws: Any, role: str) -> list[dict[str, Any]]:
    """Everything answered since the last sentinel: a sentinel is sent and read up to its reply."""
    await wire.send(ws, _sentinel(role))
    out = []
    while True:
        msg = await wire.recv(ws)
        if msg["t"] in PUSHED:
            continue
        if msg.get("id") == SENTINEL:
            assert msg["t"] == ("holdings" if role == "console" else "error"), msg
            return out
        out.append(msg)


async def _answers(ws: Any, n: int) -> list[dict[str, Any]]:
    """The next `n` messages that answer something, leaving out what is pushed."""
    out: list[dict[str, Any]] = []
    while len(out) < n:
        msg = await wire.recv(ws)
        if msg["t"] not in PUSHED:
            out.append(msg)
    return out


async def _closed_with(ws: Any, code: int) -> None:
    """The connection is failed with `code`, and nothing is answered before that."""
    try:
        while True:
            msg = await wire.recv(ws)
            assert msg["t"] in PUSHED, msg
    except ConnectionClosed as closed:
        assert closed.rcvd is not None and closed.rcvd.code == code, closed


async def _send(ws: Any, frame: Frame) -> None:
    await ws.send(frame.data, text=frame.text)


# -- malformed frames after a valid hello ----------------------------------------------------------


@dataclass
class _Acked:
    """Saves acknowledged to the fuzzer: (ticket, seq) -> answers."""

    saves: dict[tuple[str, int], Any]

    def note(self, frame: Frame, reply: dict[str, Any]) -> None:
        value = _parsed(frame.data)
        if reply["t"] != "ack" or value is UNREADABLE:
            return
        key = (value["ticket"], value["seq"])
        if reply.get("dup"):  # only for the very answers acknowledged at that seq
            assert key in self.saves, (frame, reply)
            assert _digest(value["answers"]) == _digest(self.saves[key]), (frame, reply)
        else:
            assert key not in self.saves, (frame, reply)
            self.saves[key] = value["answers"]

    def check(self, room: RunningRoom) -> None:
        for (ticket, seq), answers in self.saves.items():
            assert room.service.log.answer_digest(SITTING, ticket, seq) == _digest(answers), (ticket, seq)


def _digest(answers: Any) -> str:
    return answers_digest(canonical_answers(answers))


async def _open(live: _LiveRoom, role: str) -> Any:
    if role == "console":
        ws, first = await wire.console(live.url, live.package)
        assert first["t"] == "snapshot", first
    else:
        ws, first = await wire.machine(live.url, live.package, FUZZ_MACHINE)
        assert first["t"] == "welcome", first
    return ws


async def _exchange(live: _LiveRoom, role: str, login: bool, sent: list[Frame], acked: _Acked) -> None:
    ws = await _open(live, role)
    try:
        if login and role == "machine":  # the frames then act for a candidate: saves are acknowledged
            assert (await wire.login(ws, live.package.candidates[0]))["t"] == "login_ok"
        for frame in sent:
            await _send(ws, frame)
            code = frame.closes_with(role)
            if code is not None:
                await _closed_with(ws, code)
                return
            replies = await _replies_to(ws, role)
            _check_replies(frame, replies, role)
            for reply in replies:
                acked.note(frame, reply)
    finally:
        await ws.close()


@pytest.mark.parametrize("role", ["machine", "console"])
def test_malformed_frames_after_the_hello_each_get_their_answer(live, package, role):
    c = package.candidates[0]
    templates = _templates(c.ticket, c.id_number)
    acked = _Acked({})

    @FUZZ
    @given(st.booleans(), st.lists(frames(templates), min_size=1, max_size=5))
    # Hypothesis draws on the project's own literals, so what it generates moves as code is
    # added: one save that must be acknowledged is always among the cases.
    @example(True, [Frame(_dump(templates[2]))])
    def case(login, sent):
        live.run(_exchange(live, role, login, sent, acked))

    case()
    assert role == "console" or acked.saves
    live.call(lambda: acked.check(live.room))
    live.finish()
    live.call(lambda: acked.check(live.room))


# -- malformed hellos ---------------------------------------------------------------------------------


@st.composite
def _proven_hellos(draw, tickets: list[str], machines: list[str]) -> dict[str, Any]:
    """A hello with a valid proof, and in its other fields mostly what a machine sends, at times
    anything."""

    def sometimes(valid: st.SearchStrategy) -> Any:  # one field in five of any value and type
        return draw(st.one_of(valid, valid, valid, valid, json_values))

    fields: dict[str, Any] = {"role": draw(st.sampled_from(["machine", "machine", "console"]))}
    if draw(st.integers(0, 4)) == 0:
        fields["v"] = draw(st.sampled_from([1, 3, 0, -1, 2**64, 2.0, "2"]) | json_values)
    if draw(st.booleans()):
        fields["clock"] = sometimes(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**60), 2**60))
    if draw(st.booleans()):
        fields["checks"] = sometimes(
            st.fixed_dictionaries({"internet": st.booleans(), "removable_media": st.booleans()})
        )
    if draw(st.integers(0, 4)) == 0:
        fields["machine"] = draw(st.sampled_from(machines) | texts)  # not the one the proof is for
    if draw(st.booleans()):
        resume = {"ticket": st.sampled_from(tickets) | texts, "session": texts, "acked": numbers}
        fields["resume"] = sometimes(st.fixed_dictionaries(resume))
    if draw(st.integers(0, 4)) == 0:
        fields[draw(st.text(max_size=8))] = draw(json_values)
    return fields


def _hello_text(package: Any, challenge: dict[str, Any], fields: dict[str, Any]) -> str:
    role = fields["role"]
    cred = (
        Credential.console(package.room_key)
        if role == "console"
        else Credential.machine(package.room_key, HELLO_MACHINE)
    )
    return _dump({**wire.hello(cred, challenge), **fields})


async def _hello_exchange(live: _LiveRoom, sent: Frame | dict[str, Any]) -> None:
    ws, challenge = await wire.opened(live.url)
    try:
        assert challenge["t"] == "challenge", challenge
        frame = sent if isinstance(sent, Frame) else Frame(_hello_text(live.package, challenge, sent))
        await _send(ws, frame)
        code = frame.closes_with()
        if code is not None:
            await _closed_with(ws, code)
        else:
            reply = await wire.recv(ws)
            if reply["t"] in ("welcome", "snapshot"):
                assert isinstance(sent, dict), (frame, reply)  # only a proven hello is let in
                assert reply.get("resume") is None, reply  # a random token resumes nobody
            else:
                assert reply["t"] == "error" and reply["code"] != "internal", (frame, reply)
                _check_replies(frame, [reply], "hello")
                await _closed_with(ws, 1008)
    finally:
        await ws.close()
    # The room still lets a machine in.
    ws = await _open(live, "machine")
    await ws.close()


def test_malformed_hellos_get_an_error_and_a_close_and_the_room_goes_on(live, package):
    c = package.candidates[0]
    templates = _templates(c.ticket, c.id_number)
    templates += [{"t": "hello", "v": 2, "role": "console", "proof": "f" * 64}]
    tickets, machines = [c.ticket for c in package.candidates], [mc.id for mc in package.machines]

    @FUZZ
    @given(frames(templates) | _proven_hellos(tickets, machines))
    def case(sent):
        live.run(_hello_exchange(live, sent))

    case()
    live.finish()


# -- sequences: what was acknowledged stands ------------------------------------------------------

SEATS = 3
who = st.integers(0, SEATS - 1)
choices = st.sampled_from(
    ["A", "B", "C", "D", "AB", "ACD", "对", "错", "林𠮷祥", "", 0, 1, 1.0, 100.5, -0.0, True, None]
)
answer_values = st.one_of(
    choices,
    st.lists(choices, max_size=3),
    st.dictionaries(st.sampled_from(["借", "贷", "金额", "科目"]), choices, max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["借", "贷", "金额"]), choices, max_size=2), max_size=2),
)
answer_sets = st.dictionaries(st.sampled_from([str(q) for q in range(1, 9)]), answer_values, max_size=4)
# Answers past the protocol's bounds, and one past the message size.
OVERSIZE = {
    "long string": {"1": "字" * 65537},
    "many questions": {str(q): "A" for q in range(5001)},
    "long key": {"k" * 65: "A"},
    "too deep": {"1": [[["A"]]]},
    "long list": {"1": ["A"] * 1001},
    "not an object": ["A", "B"],
    "over 256 KiB": {q: q * 60000 for q in "12345"},
}


class _Held:
    """What the room holds, as the machines saw it; kept across examples, like the room itself.
    Per ticket: the answers acknowledged at each seq, the saves sent whose acknowledgement never
    came back (the machine resends them), and the latest login's token."""

    def __init__(self, candidates: list[Any]) -> None:
        self.candidates = candidates
        self.acked: dict[str, dict[int, Any]] = {c.ticket: {} for c in candidates}
        self.unacked: dict[str, list[tuple[int, Any]]] = {c.ticket: [] for c in candidates}
        self.sessions: dict[str, str] = {}

    def last(self, ticket: str) -> int:
        return max(self.acked[ticket], default=0)

    def at(self, ticket: str, seq: int) -> Any:
        """The answers sent at `seq`, acknowledged or not (None for seq 0)."""
        if seq in self.acked[ticket]:
            return self.acked[ticket][seq]
        return dict(self.unacked[ticket]).get(seq)

    def check_reported(self, ticket: str, seq: int) -> None:
        """A `last_seq` the service reports: every acknowledged save, and perhaps some of those
        whose acknowledgement was lost."""
        last = self.last(ticket)
        assert last <= seq <= last + len(self.unacked[ticket]), (ticket, seq, last, self.unacked[ticket])

    def check(self, room: RunningRoom, every_seq: bool) -> dict[str, int]:
        """The log holds every acknowledged save as acknowledged; the highest seq held per ticket."""
        log = room.service.log
        tops = {}
        for ticket, saves in self.acked.items():
            latest = log.latest_answer(SITTING, ticket)
            top, answers = (latest[0], latest[1]) if latest else (0, None)  # (seq, answers, ...)
            self.check_reported(ticket, top)
            assert _canon(answers) == _canon(self.at(ticket, top)), (ticket, top)
            for seq in sorted(saves) if every_seq else sorted(saves)[-1:]:
                assert log.answer_digest(SITTING, ticket, seq) == _digest(saves[seq]), (ticket, seq)
            tops[ticket] = top
        return tops


def _canon(value: Any) -> str:
    """Equal for equal JSON only (1, 1.0 and true differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class RoomSequences(RuleBasedStateMachine):
    """Three exam machines, each at the seat of its own candidate, and a console that checks
    after every step that the room answers and holds every acknowledged save."""

    def __init__(self, live: _LiveRoom, held: _Held) -> None:
        super().__init__()
        self.live, self.held = live, held
        self.ws: list[Any] = [None] * SEATS
        self.bound = [False] * SEATS
        self.req = 0
        self.garbage = _templates("0" * 12, "0" * 18)  # no candidate's: garbage never logs in or saves
        self.console = self.live.run(_open(live, "console"))

    def teardown(self) -> None:
        async def close() -> None:
            for ws in [*self.ws, self.console]:
                if ws is not None:
                    await ws.close()

        self.live.run(close())
        self.live.call(lambda: self.held.check(self.live.room, every_seq=True))

    def _id(self) -> int:
        self.req += 1
        return self.req

    def _do(self, coro: Any) -> Any:
        return self.live.run(coro)

    async def _connect(self, i: int, resume: bool) -> None:
        c = self.held.candidates[i]
        fields = {}
        if resume and c.ticket in self.held.sessions:
            last = self.held.last(c.ticket)
            fields["resume"] = {"ticket": c.ticket, "session": self.held.sessions[c.ticket], "acked": last}
        if self.ws[i] is not None:
            await self.ws[i].close()
        self.ws[i], self.bound[i] = None, False
        self.ws[i], welcome = await wire.machine(self.live.url, self.live.package, c.seat, **fields)
        assert welcome["t"] == "welcome", welcome
        if fields:
            assert welcome["resume"]["ticket"] == c.ticket, welcome
            self.bound[i] = True
            await self._resend(i, welcome["resume"]["last_seq"])
        else:
            assert welcome.get("resume") is None, welcome

    def _ready(self, i: int) -> None:
        """A machine whose connection is gone reconnects before it sends anything, resuming
        its candidate and resending what was never acknowledged."""
        if self.ws[i] is None:
            self._do(self._connect(i, resume=True))

    async def _resend(self, i: int, reported: int) -> None:
        """What the service says it holds; then the saves never acknowledged, sent again."""
        ticket = self.held.candidates[i].ticket
        self.held.check_reported(ticket, reported)
        sent = [
            {"t": "save", "id": self._id(), "ticket": ticket, "seq": seq, "answers": answers}
            for seq, answers in self.held.unacked[ticket]
        ]
        for msg in sent:
            await wire.send(self.ws[i], msg)
        for msg, reply in zip(sent, await _answers(self.ws[i], len(sent)), strict=True):
            assert (reply["t"], reply["id"], reply["seq"]) == ("ack", msg["id"], msg["seq"]), reply
            if msg["seq"] <= reported:  # held already: the resend changes nothing
                assert reply.get("dup") is True, reply
            self.held.acked[ticket][msg["seq"]] = msg["answers"]
        self.held.unacked[ticket] = []

    async def _ask(self, i: int, msg: dict[str, Any]) -> dict[str, Any]:
        await wire.send(self.ws[i], msg)
        (reply,) = await _answers(self.ws[i], 1)
        assert reply.get("id") == msg.get("id"), (msg, reply)
        return reply

    def _save(self, i: int, seq: int, answers: Any) -> dict[str, Any] | None:
        """The reply to a save; None when the machine is not logged in (and it was refused)."""
        c = self.held.candidates[i]
        msg = {"t": "save", "id": self._id(), "ticket": c.ticket, "seq": seq, "answers": answers}
        reply = self._do(self._ask(i, msg))
        if self.bound[i]:
            return reply
        assert (reply["t"], reply["code"]) == ("error", "not_logged_in"), reply
        return None

    async def _frame(self, i: int, frame: Frame) -> None:
        """A frame that may be anything: its answer is checked, and it changes nothing."""
        await _send(self.ws[i], frame)
        code = frame.closes_with()
        if code is not None:
            await _closed_with(self.ws[i], code)
            await self.ws[i].close()
            self.ws[i], self.bound[i] = None, False
            return
        replies = await _replies_to(self.ws[i], "machine")
        _check_replies(frame, replies, "machine")
        assert not any(r["t"] in ("ack", "login_ok", "submitted") for r in replies), (frame, replies)

    # -- connections --

    @initialize()
    def machines_connect(self):
        for i in range(SEATS):
            self._do(self._connect(i, resume=True))

    @rule(i=who, resume=st.booleans())
    def reconnect(self, i, resume):
        """A new connection, the old one closed; it resumes its candidate or not."""
        self._do(self._connect(i, resume))

    @rule(i=who)
    def disconnect(self, i):
        if self.ws[i] is not None:
            self._do(self.ws[i].close())
        self.ws[i], self.bound[i] = None, False

    @rule(i=who, report=st.booleans())
    def login(self, i, report):
        self._ready(i)
        c = self.held.candidates[i]
        last = self.held.last(c.ticket)
        msg = {"t": "login", "id": self._id(), "ticket": c.ticket, "id_number": c.id_number}
        if report:
            msg["acked"] = last
        reply = self._do(self._ask(i, msg))
        assert reply["t"] == "login_ok", reply
        reported = reply.get("last_seq", 0)
        assert _canon(reply.get("answers")) == _canon(self.held.at(c.ticket, reported)), reply
        self.held.sessions[c.ticket] = reply["session"]
        self.bound[i] = True
        self._do(self._resend(i, reported))

    # -- saves --

    @rule(i=who, saves=st.lists(answer_sets, min_size=1, max_size=6))
    def save_next(self, i, saves):
        """The next saves, sent at once (a machine catching up), and answered in order."""
        self._ready(i)
        c = self.held.candidates[i]
        first = self.held.last(c.ticket) + 1
        sent = [
            {"t": "save", "id": self._id(), "ticket": c.ticket, "seq": seq, "answers": answers}
            for seq, answers in enumerate(saves, first)
        ]

        async def go() -> list[dict[str, Any]]:
            for msg in sent:
                await wire.send(self.ws[i], msg)
            return await _answers(self.ws[i], len(sent))

        for msg, reply in zip(sent, self._do(go()), strict=True):
            if self.bound[i]:
                assert reply == {"t": "ack", "id": msg["id"], "seq": msg["seq"]}, reply
                self.held.acked[c.ticket][msg["seq"]] = msg["answers"]
            else:
                assert (reply["t"], reply["code"], reply["id"]) == ("error", "not_logged_in", msg["id"]), reply

    @rule(i=who, saves=st.lists(answer_sets, min_size=1, max_size=4), abort=st.booleans())
    def save_and_drop(self, i, saves, abort):
        """Saves sent, and the connection gone (closed, or cut) before their acknowledgements."""
        self._ready(i)
        ticket = self.held.candidates[i].ticket

        async def go() -> None:
            if not self.bound[i]:
                return
            first = self.held.last(ticket) + 1
            for seq, answers in enumerate(saves, first):
                await wire.send(
                    self.ws[i], {"t": "save", "id": self._id(), "ticket": ticket, "seq": seq, "answers": answers}
                )
            if abort:
                self.ws[i].transport.abort()
            await self.ws[i].close()
            self.ws[i], self.bound[i] = None, False
            self.held.unacked[ticket] = list(enumerate(saves, first))

        self._do(go())

    @rule(saves=st.lists(answer_sets, min_size=SEATS, max_size=SEATS))
    def all_save_at_once(self, saves):
        """Every machine's next save at the same moment: committed together, each acknowledged."""
        for i in range(SEATS):
            self._ready(i)

        async def one(i: int, answers: Any) -> tuple[dict[str, Any], dict[str, Any]]:
            ticket = self.held.candidates[i].ticket
            msg = {
                "t": "save",
                "id": self._id(),
                "ticket": ticket,
                "seq": self.held.last(ticket) + 1,
                "answers": answers,
            }
            await wire.send(self.ws[i], msg)
            (reply,) = await _answers(self.ws[i], 1)
            return msg, reply

        async def all_at_once() -> list[tuple[dict[str, Any], dict[str, Any]]]:
            return await asyncio.gather(*(one(i, answers) for i, answers in enumerate(saves)))

        for i, (msg, reply) in enumerate(self._do(all_at_once())):
            if self.bound[i]:
                assert reply == {"t": "ack", "id": msg["id"], "seq": msg["seq"]}, reply
                self.held.acked[msg["ticket"]][msg["seq"]] = msg["answers"]
            else:
                assert (reply["t"], reply["code"], reply["id"]) == ("error", "not_logged_in", msg["id"]), reply

    @rule(i=who, pick=st.integers(0, 2**20), answers=answer_sets | st.none())
    def resend(self, i, pick, answers):
        """A save again at a seq already acknowledged: the same answers (None) or others."""
        self._ready(i)
        ticket = self.held.candidates[i].ticket
        last = self.held.last(ticket)
        if not last:
            return
        seq = 1 + pick % last
        held = self.held.acked[ticket][seq]
        reply = self._save(i, seq, held if answers is None else answers)
        if reply is None:
            return
        if answers is None or _canon(answers) == _canon(held):
            assert reply == {"t": "ack", "id": reply["id"], "seq": seq, "dup": True}, reply
        else:
            assert (reply["t"], reply["code"], reply["data"]["seq"]) == ("error", "resend_differs", seq), reply

    @rule(i=who, gap=st.integers(2, 2**53))
    def skip(self, i, gap):
        self._ready(i)
        ticket = self.held.candidates[i].ticket
        last = self.held.last(ticket)
        reply = self._save(i, min(last + gap, 2**53), {"1": "A"})
        if reply is not None:
            assert (reply["t"], reply["code"], reply["data"]["expected"]) == ("error", "seq_gap", last + 1), reply

    @rule(i=who, what=st.sampled_from(sorted(OVERSIZE)))
    def save_too_big(self, i, what):
        self._ready(i)
        ticket = self.held.candidates[i].ticket
        msg = {"t": "save", "id": self._id(), "ticket": ticket, "seq": self.held.last(ticket) + 1}
        frame = Frame(_dump({**msg, "answers": OVERSIZE[what]}))
        if frame.closes_with() is not None:  # over 256 KiB: closed (1009), and resumed after
            self._do(self._frame(i, frame))
            return
        reply = self._do(self._ask(i, json.loads(frame.data)))
        assert (reply["t"], reply["code"]) == ("error", "bad_message"), reply

    # -- the rest --

    @rule(i=who)
    def submit(self, i):
        self._ready(i)
        reply = self._do(self._ask(i, {"t": "submit", "id": self._id(), "ticket": self.held.candidates[i].ticket}))
        expected = "too_early" if self.bound[i] else "not_logged_in"  # R08: 120 minutes in, not 1
        assert (reply["t"], reply["code"]) == ("error", expected), reply

    @rule(i=who, answered=st.none() | st.integers(0, 100_000))
    def heartbeat(self, i, answered):
        self._ready(i)
        frame = Frame(_dump({"t": "hb"} if answered is None else {"t": "hb", "answered": answered}))
        self._do(self._frame(i, frame))

    @rule(i=who, data=st.data())
    def garbage(self, i, data):
        self._ready(i)
        self._do(self._frame(i, data.draw(frames(self.garbage))))

    @invariant()
    def room_answers_and_holds_what_it_acknowledged(self):
        async def ask() -> tuple[dict[str, Any], dict[str, Any]]:
            history = {"t": "request", "id": self._id(), "cmd": {"c": "history", "limit": 1}}
            holdings = {"t": "holdings?", "id": self._id()}
            out = []
            for msg in (history, holdings):
                await wire.send(self.console, msg)
                (reply,) = await _answers(self.console, 1)
                assert reply.get("id") == msg["id"], reply
                out.append(reply)
            return out[0], out[1]

        history, holdings = self._do(ask())
        assert history["t"] == "reply" and len(history["result"]["events"]) == 1, history
        assert holdings["t"] == "holdings", holdings
        held = holdings["sittings"].get(str(SITTING), {})
        tops = self.live.call(lambda: self.held.check(self.live.room, every_seq=False))
        for ticket, top in tops.items():
            assert held.get(ticket) == ([top, top] if top else None), (ticket, held)


def test_random_sequences_from_three_machines_lose_no_acknowledged_save(live, package):
    held = _Held(list(package.candidates[:SEATS]))
    run_state_machine_as_test(lambda: RoomSequences(live, held), settings=SEQUENCES)
    live.finish()
    # The machines come back to the restarted room, resume, and resend what was never acknowledged.
    back = RoomSequences(live, held)
    for i in range(SEATS):
        back._ready(i)
    back.teardown()
    assert all(back.bound) and not any(held.unacked.values())
    assert all(held.acked.values())
