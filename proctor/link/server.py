"""The room's WebSocket endpoint (protocol v2, docs/protocol.md): TLS, a challenge every client
must answer with its own key, then exam machines and consoles speak to RoomService.

Written for a hostile LAN: every frame is bounded and checked, every violation gets an error
reply and is logged once per kind and address a minute, a flood is slowed down per connection,
and nothing a client sends can stop the service or disturb another connection.
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto as sslproto
import gc
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

import msgspec
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode

from ..domain.admission import decide_failed_proof, decide_machine_clash, unknown_machine
from ..domain.refusal import Refused
from ..service import RoomService, RoomUpdate
from . import auth
from . import messages as m
from .transport import Connection, Server, serve

log = logging.getLogger("proctor.link")

HELLO_TIMEOUT_S = 10.0
CLASH_PING_S = 2.0  # a connected machine that does not answer a ping this fast is gone
MAX_CONSOLES = 8  # the proctors' console, the technician's, the standby's: a few, not thousands
CONSOLE_BACKLOG = 256  # updates queued for a console that reads slowly; then it gets a snapshot
CONSOLE_REPLIES_UNREAD = 64  # past this, a console's next request waits for its replies to go out
CONSOLE_DRAIN_S = 10.0  # and a console that does not take them within this is closed
TLS_READ_BUFFER = 32 * 1024
RATE_PER_S, BURST = 50.0, 200  # per connection: saves come every few seconds, beats every second


class _Bucket:
    """Token bucket: a connection may send BURST messages at once and RATE_PER_S after that."""

    def __init__(self) -> None:
        self.tokens, self.at = float(BURST), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * RATE_PER_S)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class _Complaints:
    """What clients did wrong, logged the first time per kind and address in a minute: a flood,
    on one connection or on many, is a line and a count, not a line per message."""

    WINDOW_S = 60.0
    MAX_KEYS = 4096

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], float] = {}

    def first_time(self, code: str, address: str) -> bool:
        now, key = time.monotonic(), (code, address)
        at = self.first.get(key)
        if at is not None and now - at < self.WINDOW_S:
            return False
        if len(self.first) >= self.MAX_KEYS:
            self.first.clear()
        self.first[key] = now
        return True


class _Peer:
    """One connection: who it is, where from, how fast it sends, what it did wrong."""

    def __init__(self, ws: Connection, complaints: _Complaints) -> None:
        self.ws = ws
        addr = ws.remote_address
        self.address = str(addr[0]) if addr else ""
        self.name = self.address
        self.bucket = _Bucket()
        self.complaints: dict[str, int] = {}
        self._logged = complaints
        self.acks_due = 0  # saves decided and not yet acknowledged (`_acker`)
        self._acks_sent: asyncio.Future[None] | None = None

    def complain(self, code: str, detail: str) -> None:
        n = self.complaints.get(code, 0)
        self.complaints[code] = n + 1
        if self._logged.first_time(code, self.address):
            log.warning("%s from %s (%s): %s", code, self.name, self.address, detail)

    def close_note(self) -> None:
        repeats = {code: n - 1 for code, n in self.complaints.items() if n > 1}
        if repeats:
            log.warning("%s (%s) repeated: %s", self.name, self.address, repeats)

    def receive(self) -> asyncio.Future[str | bytes]:
        # A text frame that is not UTF-8 fails the connection (1007) in the WebSocket layer
        # itself, as RFC 6455 requires; the machine reconnects and resends.
        return self.ws.recv()

    async def send(self, data: str) -> None:
        await self.ws.send(data)

    async def reply(self, data: str) -> None:
        """A reply, after those to the requests before it: replies go out in the order the
        requests came, though a save's acknowledgement is sent by its commit (`_acker`)."""
        if self.acks_due:
            self._acks_sent = asyncio.get_running_loop().create_future()
            await self._acks_sent
        await self.ws.send(data)

    def acknowledged(self) -> None:
        self.acks_due -= 1
        if not self.acks_due and self._acks_sent is not None:
            if not self._acks_sent.done():
                self._acks_sent.set_result(None)
            self._acks_sent = None


def _acker(peer: _Peer, save: m.Save) -> Callable[[BaseException | None], None]:
    """What acknowledges a new save, in the turn that commits it: the handler has gone on to
    the machine's next message meanwhile (see `RoomService.save`)."""

    def acknowledge(failed: BaseException | None) -> None:
        if failed is None:
            peer.ws.send_soon(m.encode(m.Ack(id=save.id, seq=save.seq, dup=False)))
        else:  # the log is gone: close the connection, and the machine keeps its saves
            peer.ws.fail(CloseCode.INTERNAL_ERROR, "the room's log failed")
        peer.acknowledged()

    peer.acks_due += 1
    return acknowledge


class _Console:
    """A console's outgoing queue: replies in order, room updates bounded. A console starts with
    a snapshot, and one that falls CONSOLE_BACKLOG updates behind gets a fresh snapshot instead
    of all of them."""

    def __init__(self) -> None:
        self.items: deque[tuple[bool, str]] = deque()  # (is an update, text)
        self.updates = 0
        self.behind = True  # the sender puts a snapshot first
        self.ready = asyncio.Event()
        self.ready.set()
        self.drained = asyncio.Event()  # set while few enough replies wait to go out
        self.drained.set()
        self.closed = False
        self.seq = 0  # the last seq the console has: an update up to it is in its snapshot

    def update(self, text: str, seq: int) -> None:
        if self.behind or seq <= self.seq:
            return
        if self.updates >= CONSOLE_BACKLOG:
            self._drop_updates()
            self.behind = True
        else:
            self.items.append((True, text))
            self.updates += 1
            self.seq = seq
        self.ready.set()

    def catch_up(self, snapshot: str, seq: int) -> None:
        """Every update queued so far is in `snapshot`, and every batch up to `seq` (those
        written and not yet durable too, which are published later): it goes first, in their
        place, and those batches are not sent again."""
        self._drop_updates()
        self.seq = seq
        self.items.appendleft((True, snapshot))
        self.updates, self.behind = 1, False

    def reply(self, text: str) -> None:
        self.items.append((False, text))
        self.ready.set()
        if self.unsent_replies() > CONSOLE_REPLIES_UNREAD:
            self.drained.clear()

    def next(self) -> str:
        is_update, text = self.items.popleft()
        self.updates -= is_update
        if self.unsent_replies() <= CONSOLE_REPLIES_UNREAD // 2:
            self.drained.set()
        return text

    def unsent_replies(self) -> int:
        return len(self.items) - self.updates

    def close(self) -> None:
        self.closed = True
        self.ready.set()

    def _drop_updates(self) -> None:
        self.items = deque(i for i in self.items if not i[0])
        self.updates = 0


def _small_tls_read_buffers() -> None:
    """asyncio gives every TLS connection a zero-filled read buffer of 256 KiB
    (`sslproto.SSLProtocol.max_size`): 1000 exam machines held 256 MB for it, 5000 would hold
    1.3 GB. A TLS record is at most 16 KiB, and a longer message is read in turns, so 32 KiB
    loses nothing (bench/link_load.py measures the service's memory)."""
    sslproto.SSLProtocol.max_size = min(sslproto.SSLProtocol.max_size, TLS_READ_BUFFER)


class _NotAdmitted(Exception):
    def __init__(self, error: m.Error | Refused) -> None:
        super().__init__(error)
        self.error = error


def _read_hello(raw: str | bytes) -> m.Hello:
    try:
        hello: m.Hello = m.decode(m.decode_hello, raw)
    except m.BadMessage as bad:
        raise _NotAdmitted(m.error(bad)) from None
    if hello.v != m.PROTOCOL_VERSION:
        raise _NotAdmitted(
            m.Error(
                code="version",
                message=f"protocol v{hello.v} is not supported (v{m.PROTOCOL_VERSION})",
                message_zh="协议版本不匹配，请更新考试机客户端",
            )
        )
    if hello.role == "machine" and hello.machine is None:
        raise _NotAdmitted(
            m.Error(code="bad_message", message="a machine hello needs its machine id", message_zh="缺少考试机编号")
        )
    return hello


def _too_fast(peer: _Peer, raw: str | bytes) -> str | None:
    """Past its burst a connection is answered, not served: an error for what has an `id`."""
    peer.complain("too_fast", f"more than {RATE_PER_S:.0f} messages a second")
    req = m.readable_id(raw)
    if req is None:
        return None
    return m.encode(m.Error(id=req, code="too_fast", message="too many messages; slow down", message_zh="消息过于频繁"))


class LinkServer:
    def __init__(self, service: RoomService, *, max_consoles: int = MAX_CONSOLES) -> None:
        self.service = service
        self.max_consoles = max_consoles
        self.machines: dict[str, _Peer] = {}
        self._admitting: set[str] = set()
        self._complaints = _Complaints()
        self._handshakes = 0
        self._max_handshakes = 64 + len(service.package.machines)
        self._machine_keys = {
            mc.id: auth.machine_key(service.package.room_key, mc.id) for mc in service.package.machines
        }
        self._console_key = auth.console_key(service.package.room_key)
        self._server: Server | None = None
        self._freeze: asyncio.TimerHandle | None = None
        self._sends: set[asyncio.Task[None]] = set()
        self._consoles: set[_Console] = set()
        service.listen_machines(self._push_to_machine)

    async def start(self, host: str, port: int) -> int:
        _small_tls_read_buffers()
        self._server = await serve(
            self._handle,
            host,
            port,
            ssl=auth.server_context(self.service.package.room_key),
            max_size=m.MAX_MESSAGE_BYTES,  # no compression: PLATFORM.md, deflate doubles the round trip
            ping_interval=20,
            ping_timeout=20,
        )
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._freeze is not None:
            self._freeze.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for t in list(self._sends):
            t.cancel()

    # -- opening: challenge, proof ------------------------------------------------------------------

    async def _handle(self, ws: Connection) -> None:
        peer = _Peer(ws, self._complaints)
        if self._handshakes >= self._max_handshakes:
            peer.complain("busy", "too many connections are saying hello at once")
            await ws.close(1013, "busy, try again")
            return
        self._handshakes += 1
        try:
            hello = await self._hello(peer)
        finally:
            self._handshakes -= 1
        if hello is None:
            return
        if hello.role == "console":
            await self._serve_console(peer)
        elif hello.role == "room":
            await self._serve_room(peer, hello)
        else:
            assert hello.machine is not None
            await self._serve_machine(peer, hello)

    async def _hello(self, peer: _Peer) -> m.Hello | None:
        """The challenge and its answer; None when refused (the reply is sent, the connection closed)."""
        nonce = secrets.token_hex(16)
        try:
            await peer.send(m.encode(m.Challenge(v=m.PROTOCOL_VERSION, nonce=nonce, room=self.service.package.room)))
            raw = await asyncio.wait_for(peer.receive(), HELLO_TIMEOUT_S)
        except (TimeoutError, ConnectionClosed):
            return None
        try:
            hello = _read_hello(raw)
            if hello.role == "console":
                await self._admit_console(peer, hello, nonce)
            elif hello.role == "room":
                self._admit_room(peer, hello, nonce)
            else:
                await self._admit_machine(peer, hello, nonce)
        except _NotAdmitted as no:
            await self._refuse(peer, no.error)
            return None
        return hello

    async def _admit_console(self, peer: _Peer, hello: m.Hello, nonce: str) -> None:
        svc = self.service
        peer.name = "console"
        if not auth.proves(self._console_key, nonce, auth.CONSOLE, auth.CONSOLE, hello.proof):
            raise _NotAdmitted(
                await svc.record_refusal(lambda now: decide_failed_proof(svc.room, None, now, peer=peer.address))
            )
        if len(self._consoles) >= self.max_consoles:
            raise _NotAdmitted(
                m.Error(
                    code="too_many_consoles",
                    message=f"{self.max_consoles} consoles are connected already",
                    message_zh=f"已有 {self.max_consoles} 个控制台连接，请关闭不用的控制台后重试",
                )
            )

    def _admit_room(self, peer: _Peer, hello: m.Hello, nonce: str) -> None:
        """Another room of the site (transfers): it proves the site's key for its name."""
        site, room = self.service.package.site_secret, hello.peer_room or ""
        peer.name = f"room {room[:32]}"
        if not site or not room or room == self.service.package.room:
            raise _NotAdmitted(
                m.Error(code="not_allowed", message="no transfers with this room", message_zh="本考场不接受调入请求")
            )
        if not auth.proves(auth.room_peer_key(site, room), nonce, "room", room, hello.proof):
            peer.complain("bad_proof", f"a room claim that does not prove the site's key ({room[:32]})")
            raise _NotAdmitted(
                m.Error(code="bad_proof", message="not a room of this site", message_zh="不是本考点的考场")
            )

    async def _serve_room(self, peer: _Peer, hello: m.Hello) -> None:
        """One claim, one answer, then the link closes."""
        svc, room = self.service, hello.peer_room or ""
        try:
            raw = await asyncio.wait_for(peer.receive(), HELLO_TIMEOUT_S)
            try:
                claim = m.decode(m.decode_claim, raw)
            except m.BadMessage as bad:
                await peer.send(m.encode(m.error(bad)))
                return
            try:
                candidate = await svc.claim_transfer(room, claim.ticket)
            except Refused as r:
                await peer.send(m.encode(m.refusal(r, claim.id)))
                return
            own = svc.package.room
            mac = auth.transfer_mac(svc.package.site_secret, own, claim.nonce, candidate)
            await peer.send(m.encode(m.TransferGranted(id=claim.id, room=own, candidate=candidate, mac=mac)))
        except (TimeoutError, ConnectionClosed):
            return
        finally:
            peer.close_note()

    async def _admit_machine(self, peer: _Peer, hello: m.Hello, nonce: str) -> None:
        """Known, proven, and not connected already (or its old connection is dead); from here
        until it is served or refused, no second connection for it gets in."""
        svc, machine = self.service, hello.machine
        assert machine is not None
        peer.name = machine
        key = self._machine_keys.get(machine)
        if key is None:
            raise _NotAdmitted(
                await svc.record_refusal(lambda now: unknown_machine(svc.room, machine, now, peer=peer.address))
            )
        if not auth.proves(key, nonce, "machine", machine, hello.proof):
            raise _NotAdmitted(
                await svc.record_refusal(lambda now: decide_failed_proof(svc.room, machine, now, peer=peer.address))
            )
        old = self.machines.get(machine)
        # Asked again after the ping: another connection for it may have come in meanwhile.
        if machine in self._admitting or (old is not None and await self._answers(old)) or machine in self._admitting:
            raise _NotAdmitted(
                await svc.record_refusal(lambda now: decide_machine_clash(svc.room, machine, now, peer=peer.address))
            )
        self._admitting.add(machine)
        if self.machines.get(machine) is old is not None:
            # It did not answer: gone without a close (a pulled cable). Closing it may wait for
            # the peer that is not there, so the close runs on its own.
            del self.machines[machine]
            self._spawn(old.ws.close(1001, "gone: the machine connected again"))

    def _freeze_when_settled(self) -> None:
        """Once machines stop arriving for a second, their connections (thousands of long-lived
        objects) leave the garbage collector's view: a full collection over them stopped the
        loop for 15-60 ms at 1000 machines, every acknowledgement waiting (bench/link_load.py).
        A connection closed later is reclaimed when its own objects are freed, or not at all if
        they form a cycle: a few KB per reconnect, for the life of the process."""
        if self._freeze is not None:
            self._freeze.cancel()
        self._freeze = asyncio.get_running_loop().call_later(1.0, gc.freeze)

    @staticmethod
    async def _answers(peer: _Peer) -> bool:
        """Whether a connection is still there: a machine whose cable was pulled comes back on a
        new connection before the old one has timed out, and must not be locked out by it."""
        try:
            pong = await peer.ws.ping()
            await asyncio.wait_for(pong, CLASH_PING_S)
            return True
        except (TimeoutError, ConnectionClosed):
            return False

    async def _refuse(self, peer: _Peer, error: m.Error | Refused) -> None:
        err = m.refusal(error) if isinstance(error, Refused) else error
        peer.complain(err.code, err.message)
        try:
            await peer.send(m.encode(err))
            await peer.ws.close(1008, err.code)
        except ConnectionClosed:
            pass

    # -- exam machines ---------------------------------------------------------------------------------

    async def _serve_machine(self, peer: _Peer, hello: m.Hello) -> None:
        machine = hello.machine
        assert machine is not None
        try:
            checks = hello.checks
            r = hello.resume
            try:
                info, bound = await self.service.machine_connected(
                    machine,
                    peer=peer.address,
                    clock=hello.clock,
                    internet=checks.internet if checks else None,
                    removable_media=checks.removable_media if checks else None,
                    resume=(r.ticket, r.session, r.acked) if r else None,
                )
            except Refused as refused:
                await self._refuse(peer, refused)
                return
            self.machines[machine] = peer
            self._freeze_when_settled()
        finally:
            self._admitting.discard(machine)
        welcome = m.Welcome(
            v=m.PROTOCOL_VERSION,
            scale=self.service.time.scale,
            heartbeat_s=self.service.policy.heartbeat_interval_s,
            **info,
        )
        try:  # from here on, however the connection ends, the machine is marked gone
            await peer.send(m.encode(welcome))
            await peer.ws.consume(self._machine_messages(peer, machine, bound))
        except ConnectionClosed:
            pass
        finally:
            peer.close_note()
            if self.machines.get(machine) is peer:
                del self.machines[machine]
                await self.service.machine_disconnected(machine)

    def _machine_messages(
        self, peer: _Peer, machine: str, bound: str | None
    ) -> Callable[[str | bytes], Coroutine[Any, Any, None]]:
        """What handles each message of a machine, in the turn that reads it (`consume`): one at
        a time, so the candidate it acts for passes from one to the next."""

        async def handle(raw: str | bytes) -> None:
            nonlocal bound
            reply, bound = await self._on_machine_message(peer, machine, bound, raw)
            if reply is not None:
                await peer.reply(reply)

        return handle

    async def _on_machine_message(
        self, peer: _Peer, machine: str, bound: str | None, raw: str | bytes
    ) -> tuple[str | None, str | None]:
        """The reply to one message, and the candidate this connection now acts for (set by a
        login or a resume: a save or submit for anyone else is refused)."""
        svc = self.service
        if not peer.bucket.take():
            return _too_fast(peer, raw), bound
        try:
            msg = m.decode(m.decode_from_machine, raw)
        except m.BadMessage as bad:
            peer.complain(bad.code, bad.en)
            return m.encode(m.error(bad)), bound
        req = getattr(msg, "id", None)
        try:
            if isinstance(msg, m.Heartbeat):
                await svc.machine_seen(machine, clock=msg.clock)
                return None, bound
            if isinstance(msg, m.Login):
                ok = await svc.login(machine, msg.ticket, msg.id_number, acked=msg.acked)
                return m.encode(m.LoginOk(id=msg.id, **ok)), msg.ticket
            if isinstance(msg, m.NoticeSeen):
                await svc.notice_seen(machine, msg.number)
                return None, bound
            if msg.ticket != bound:
                raise Refused(
                    "not_logged_in",
                    f"candidate {msg.ticket} has not logged in on this connection",
                    "该考生未在本机登录（请先登录）",
                )
            if isinstance(msg, m.Save):
                dup: bool | None = False
                acknowledge = _acker(peer, msg)
                try:
                    dup = await svc.save(machine, msg.ticket, msg.seq, msg.answers, msg.answered, then=acknowledge)
                finally:
                    if dup is not None:  # refused, or a resend: not to be acknowledged by a commit
                        peer.acknowledged()
                return (None if dup is None else m.encode(m.Ack(id=msg.id, seq=msg.seq, dup=dup))), bound
            await svc.submit(machine, msg.ticket)
            return m.encode(m.Submitted(id=msg.id)), bound
        except Refused as r:
            if r.record or r.code in ("resend_differs", "seq_gap"):
                peer.complain(r.code, r.en)
            return m.encode(m.refusal(r, req)), bound
        except Exception:
            if svc.failed is not None:
                raise  # the log is gone: close the connection so the machine keeps its saves
            # A bug must cost one request, not the connection or the room.
            log.exception("internal error on %s from %s", type(msg).__name__, machine)
            return m.encode(
                m.Error(
                    id=req,
                    code="internal",
                    message="internal error, logged",
                    message_zh="监考机内部错误，已记录，请重试或联系技术人员",
                )
            ), bound

    def _push_to_machine(self, machine: str, push: dict[str, Any]) -> None:
        """A candidate's new state or end, or a notice (`"t": "notice"`)."""
        peer = self.machines.get(machine)
        if peer is None:
            return  # a notice waits for the machine's next welcome
        body = {k: v for k, v in push.items() if k != "t"}
        msg = m.Notice(**body) if push.get("t") == "notice" else m.CandidateState(**body)
        self._spawn(self._send(peer, m.encode(msg)))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    @staticmethod
    async def _send(peer: _Peer, data: str) -> None:
        try:
            await peer.send(data)
        except ConnectionClosed:
            pass

    # -- consoles ------------------------------------------------------------------------------------

    async def _serve_console(self, peer: _Peer) -> None:
        console = _Console()
        peer.ws.protocol.max_message_size = m.CONSOLE_MAX_MESSAGE_BYTES  # standalone results
        if not self._consoles:  # the service builds console rows only while someone listens
            self.service.subscribe_console(self._publish_to_consoles)
        self._consoles.add(console)
        sender = asyncio.create_task(self._console_sender(peer, console))
        try:
            while True:
                reply = await self._on_console_message(peer, await peer.receive())
                if reply is not None:
                    console.reply(reply)
                try:  # a console that asks faster than it reads waits for its own replies
                    await asyncio.wait_for(console.drained.wait(), CONSOLE_DRAIN_S)
                except TimeoutError:
                    peer.complain("not_reading", "a console that asks and does not read its replies")
                    await peer.ws.close(1008, "not reading")
                    break
        except ConnectionClosed:
            pass
        finally:
            peer.close_note()
            self._consoles.discard(console)
            if not self._consoles:
                self.service.unsubscribe_console(self._publish_to_consoles)
            console.close()
            await asyncio.gather(sender, return_exceptions=True)

    async def _on_console_message(self, peer: _Peer, raw: str | bytes) -> str | None:
        if not peer.bucket.take():
            return _too_fast(peer, raw)
        try:
            msg = m.decode(m.decode_from_console, raw)
        except m.BadMessage as bad:
            peer.complain(bad.code, bad.en)
            return m.encode(m.error(bad))
        if isinstance(msg, m.HoldingsQuery):
            held = await self.service.holdings_read_apart()
            return m.encode(m.Holdings(id=msg.id, sittings=held, commits=self.service.commit_times.figures()))
        try:
            result = await self.service.execute(msg.cmd, tuple(msg.by))
        except Refused as r:
            return m.encode(m.refusal(r, msg.id))
        except Exception:
            if self.service.failed is not None:
                raise
            log.exception("internal error on %s", type(msg.cmd).__name__)
            return m.encode(
                m.Error(
                    id=msg.id,
                    code="internal",
                    message="internal error, logged",
                    message_zh="监考机内部错误，已记录，请重试或联系技术人员",
                )
            )
        return m.encode(m.Reply(id=msg.id, result=result))

    def _publish_to_consoles(self, update: RoomUpdate) -> None:
        # Encoded once for every console; the events go out exactly as the log holds them.
        events = [msgspec.Raw(se.data) for se in update.events]
        if update.room is not None:
            msg: m.Msg = m.Snapshot(room=update.room, seq=update.seq, events=events)
        else:
            msg = m.Changed(
                seq=update.seq,
                events=events,
                candidates=update.candidates,
                machines=update.machines,
                header=update.header,
            )
        text = m.encode(msg)
        for console in self._consoles:
            console.update(text, update.seq)

    async def _console_sender(self, peer: _Peer, console: _Console) -> None:
        # Console updates go out in order, and a slow console never holds up an acknowledgement.
        while True:
            await console.ready.wait()
            console.ready.clear()
            if console.closed:
                return
            if console.behind:
                seq = self.service.log.last_seq
                console.catch_up(m.encode(m.Snapshot(room=self.service.room_snapshot(), seq=seq)), seq)
            while console.items and not console.behind:
                try:
                    await peer.send(console.next())
                except ConnectionClosed:
                    return
