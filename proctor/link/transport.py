"""The room's WebSocket server connections: websockets' own protocol (sans I/O) on an asyncio
protocol, without its asyncio layer.

At the end of an exam every machine saves within a fraction of a second, and the loop's time
per message decides how long the last one waits. websockets' asyncio connection hands each
message through a queue, futures and a lock in both directions: a bare echo cost about 116 us
of CPU a message on that layer against 74 us on this one (docs/architecture.md). Here a
received message is taken straight from the frame that carries it, and a reply is framed and
written in the caller's turn.

An exam machine's messages go further (`consume`): each is handled in the turn of the loop that
reads it, by a coroutine that runs at once and becomes a task only if it has to wait. In a burst,
a save read in one turn was handled in the next, after the reads of every socket ready in that
turn; and a thousand connections that each waited for their next message in a future held, after
every message, a future, its iterator and a task's wakeup, which every young collection of the
garbage collector went over (about 1.5 ms each at 1000 machines, several times a second).

What the asyncio layer gave and a hostile client needs is kept: the HTTP handshake and every
frame check are websockets' (`ServerProtocol`); messages are bounded in size (1009), text must
be UTF-8 (1007), at most `MAX_QUEUE` unread messages wait before the connection stops being
read; a handshake must finish within `open_timeout`, a peer that does not answer pings within
`ping_timeout` is dropped, a closing handshake waits `close_timeout` at most; a writer that the
peer does not read waits in `send` for the transport to drain.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any

from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.frames import CloseCode, Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

log = logging.getLogger("proctor.link")

MAX_QUEUE = 16  # unread messages on one connection; past this it is not read until they are
MAX_FRAGMENTS = 1024  # frames in one message: a message cut into bytes is a flood, not a message


class Connection(asyncio.Protocol):
    """One client: `recv` and `send` messages, `ping`, `close`. Raises ConnectionClosed (as
    websockets does) once the connection is gone."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self.protocol = ServerProtocol(max_size=server.max_size)
        self.remote_address: Any = None
        self._transport: asyncio.Transport | None = None
        self._loop = asyncio.get_running_loop()
        self._inbox: deque[str | bytes] = deque()
        self._waiter: asyncio.Future[str | bytes] | None = None
        self._reading = True
        self._fragments: tuple[Opcode, bytearray, int] | None = None  # a message that came in parts
        self._drained: asyncio.Future[None] | None = None
        self._pongs: dict[bytes, asyncio.Future[None]] = {}
        self._timer: asyncio.TimerHandle | None = None  # the handshake's deadline, then the next ping
        self._abort: asyncio.TimerHandle | None = None  # the closing handshake's deadline
        self.lost = self._loop.create_future()  # set once the TCP connection is gone
        self.handler: asyncio.Future[None] | None = None
        self._handle: Callable[[str | bytes], Coroutine[Any, Any, None]] | None = None  # `consume`'s
        self._handling = False  # a handler waits: the next messages wait for it
        self._consumed: asyncio.Future[None] | None = None

    # -- asyncio protocol callbacks ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self.remote_address = transport.get_extra_info("peername")
        self._server.connections.add(self)
        self._after(self._server.open_timeout, self._open_timed_out)

    def data_received(self, data: bytes) -> None:
        p = self.protocol
        p.receive_data(data)
        for event in p.events_received():
            if isinstance(event, Request):
                self._accept(event)
            elif isinstance(event, Frame):
                self._frame(event)
        self._write_out()

    def eof_received(self) -> bool | None:
        self.protocol.receive_eof()
        self._write_out()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.protocol.state is not State.CLOSED:
            self.protocol.receive_eof()  # so that close_exc says how it ended
        self._cancel_timer()
        if self._abort is not None:
            self._abort.cancel()
        self._server.connections.discard(self)
        if not self.lost.done():
            self.lost.set_result(None)
        self._wake()
        self._handle_inbox()
        for fut in (self._drained, *self._pongs.values()):
            if fut is not None and not fut.done():
                fut.set_exception(self._closed())
                fut.exception()  # whoever waits for it sees it; nobody need
        self._pongs.clear()

    def pause_writing(self) -> None:
        self._drained = self._loop.create_future()
        self._read_or_not()  # pings answered while nothing is read would pile up pongs

    def resume_writing(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self._drained = None
        self._read_or_not()

    # -- what the handler calls ---------------------------------------------------------------

    def recv(self) -> asyncio.Future[str | bytes]:
        """The next message: a future, done when it has come, or failed with ConnectionClosed when
        the connection ends first. A future and not a coroutine: while a thousand connections
        wait, each holds one object the garbage collector goes over, not a chain of them."""
        fut: asyncio.Future[str | bytes] = self._loop.create_future()
        if self._inbox:
            fut.set_result(self._take())
        elif self._gone():
            fut.set_exception(self._closed())
        else:
            self._waiter = fut
        return fut

    def consume(self, handle: Callable[[str | bytes], Coroutine[Any, Any, None]]) -> asyncio.Future[None]:
        """Instead of `recv`, from now on: each message is handled in the turn that reads it.
        `handle(message)` gives a coroutine, which runs at once; if it has to wait, the rest of
        it runs as a task, and the messages after it wait for it, in order and as bounded as for
        `recv`. The future fails with ConnectionClosed once the connection has ended and every
        message that came is handled, or with what a handler raised; no message is handled after."""
        assert not self._consuming() and self._waiter is None, "one reader at a time"
        self._handle = handle
        self._consumed = self._loop.create_future()
        self._handle_inbox()
        return self._consumed

    def _consuming(self) -> bool:
        return self._consumed is not None and not self._consumed.done()  # (not given up on)

    def _handle_inbox(self) -> None:
        while self._inbox and not self._handling and self._consuming():
            assert self._handle is not None
            coro = self._handle(self._take())
            self._handling = True  # until it is done: what it calls may deliver the next message
            try:
                waits_on = coro.send(None)
            except StopIteration:
                self._handling = False
                continue
            except BaseException as exc:
                self._handling = False
                self._stop_consuming(exc)
                return
            self._server.spawn(_Rest(coro, waits_on)).add_done_callback(self._handled)
        if self._consuming() and not self._handling and self._gone():
            self._stop_consuming(self._closed())

    def _handled(self, rest: asyncio.Future[None]) -> None:
        self._handling = False
        if rest.cancelled():
            if self._consuming():
                self._consumed.cancel()  # type: ignore[union-attr]
        elif (exc := rest.exception()) is not None:
            self._stop_consuming(exc)
        else:
            self._handle_inbox()

    def _stop_consuming(self, exc: BaseException) -> None:
        if self._consuming():
            self._consumed.set_exception(exc)  # type: ignore[union-attr]

    def _take(self) -> str | bytes:
        message = self._inbox.popleft()
        self._read_or_not()
        return message

    async def send(self, message: str) -> None:
        if self.protocol.state is not State.OPEN:
            raise self._closed()
        self.protocol.send_text(message.encode())
        self._write_out()
        if self._drained is not None:  # the peer does not read as fast as we write
            await asyncio.shield(self._drained)

    def send_soon(self, message: str) -> None:
        """`send` for a caller that cannot wait (a commit's acknowledgements): written now. A peer
        that does not read cannot make the write buffer grow by more than what was read from it
        meanwhile, since nothing more is read while it is over its mark (`_read_or_not`). Nothing
        is sent once the connection is closing."""
        if self.protocol.state is State.OPEN:
            self.protocol.send_text(message.encode())
            self._write_out()

    def fail(self, code: int, reason: str) -> None:
        """Close with this code now, without waiting: the handler's next `recv` raises."""
        self._fail(code, reason)
        self._write_out()

    async def ping(self) -> asyncio.Future[None]:
        """Sends a ping; the future it returns is done when the peer answers it."""
        if self.protocol.state is not State.OPEN:
            raise self._closed()
        data = os.urandom(4)
        pong = self._pongs[data] = self._loop.create_future()
        self.protocol.send_ping(data)
        self._write_out()
        return pong

    async def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        """The closing handshake: the peer has `close_timeout` to answer before the TCP connection
        is dropped. Returns once it is gone."""
        if self.protocol.state is State.OPEN:
            self.protocol.send_close(code, reason)
            self._write_out()
        elif self.protocol.state is State.CONNECTING and self._transport is not None:
            self._transport.close()
        await asyncio.shield(self.lost)

    # -- inside ------------------------------------------------------------------------------------

    def _accept(self, request: Request) -> None:
        p = self.protocol
        p.send_response(p.accept(request))
        if p.state is State.OPEN:
            self._cancel_timer()
            self._keepalive()
            self.handler = self._server.spawn(self._serve())

    async def _serve(self) -> None:
        try:
            await self._server.handler(self)
        except Exception:
            log.exception("connection handler failed")
            if self.protocol.state is State.OPEN:
                self.protocol.fail(CloseCode.INTERNAL_ERROR)
                self._write_out()
        await self.close()

    def _frame(self, frame: Frame) -> None:
        op = frame.opcode
        if op is Opcode.TEXT or op is Opcode.BINARY:
            if frame.fin:
                self._deliver(op, frame.data)
            else:
                self._fragments = (op, bytearray(frame.data), 1)
        elif op is Opcode.CONT and self._fragments is not None:
            first, data, n = self._fragments
            data += frame.data
            if n + 1 > MAX_FRAGMENTS:
                self._fragments = None
                self._fail(CloseCode.MESSAGE_TOO_BIG, "too many fragments")
            elif frame.fin:
                self._fragments = None
                self._deliver(first, bytes(data))
            else:
                self._fragments = (first, data, n + 1)
        elif op is Opcode.PONG:
            pong = self._pongs.pop(bytes(frame.data), None)
            if pong is not None and not pong.done():
                pong.set_result(None)

    def _deliver(self, op: Opcode, data: bytes) -> None:
        if op is Opcode.TEXT:
            try:
                message: str | bytes = data.decode()
            except UnicodeDecodeError as bad:
                self._fail(CloseCode.INVALID_DATA, f"{bad.reason} at position {bad.start}")
                return
        else:
            message = data
        if self._consuming():
            self._inbox.append(message)
            self._handle_inbox()
            if self._inbox:  # held behind a handler that waits: past the queue, stop reading
                self._read_or_not()
            return
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():  # not given up on (a timeout cancels it)
            waiter.set_result(message)
            return
        self._inbox.append(message)
        self._read_or_not()

    def _read_or_not(self) -> None:
        """The socket is read while the handler takes its messages and the peer takes what is
        written to it: past MAX_QUEUE unread messages, or while the transport's write buffer is
        over its mark, it is not (until a quarter of the queue is left, and the buffer drained)."""
        t = self._transport
        if t is None or t.is_closing():
            return
        unread = len(self._inbox)
        if self._reading and (unread >= MAX_QUEUE or self._drained is not None):
            self._reading = False
            t.pause_reading()
        elif not self._reading and unread <= MAX_QUEUE // 4 and self._drained is None:
            self._reading = True
            t.resume_reading()

    def _fail(self, code: int, reason: str) -> None:
        if self.protocol.state is State.OPEN:
            self.protocol.fail(code, reason)

    def _write_out(self) -> None:
        t = self._transport
        if t is None:
            return
        for data in self.protocol.data_to_send():
            if data:
                t.write(data)
            else:  # the end of the stream: TLS cannot half-close, so close
                t.close()
        if self.protocol.close_expected() and self._abort is None and not t.is_closing():
            self._abort = self._loop.call_later(self._server.close_timeout, t.abort)

    def _keepalive(self) -> None:
        async def ping() -> None:
            try:
                pong = await self.ping()
                await asyncio.wait_for(pong, self._server.ping_timeout)
            except ConnectionClosed:
                return
            except TimeoutError:
                self._fail(CloseCode.INTERNAL_ERROR, "keepalive ping timeout")
                self._write_out()
                if self._transport is not None:
                    self._transport.abort()
                return
            if self.protocol.state is State.OPEN:
                self._keepalive()

        self._after(self._server.ping_interval, lambda: self._server.spawn(ping()))

    def _open_timed_out(self) -> None:
        if self.protocol.state is State.CONNECTING and self._transport is not None:
            self._transport.abort()

    def _after(self, delay: float, callback: Callable[[], object]) -> None:
        self._cancel_timer()
        self._timer = self._loop.call_later(delay, callback)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _wake(self) -> None:
        """The connection is ending: whoever waits for a message learns it."""
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(self._closed())
            waiter.exception()  # whoever waits sees it; nobody need

    def _gone(self) -> bool:
        return self.lost.done() or self.protocol.state in (State.CLOSING, State.CLOSED) and not self._inbox

    def _closed(self) -> ConnectionClosed:
        p = self.protocol
        if p.state is State.CLOSED:
            return p.close_exc
        return ConnectionClosedError(p.close_rcvd, p.close_sent, p.close_rcvd_then_sent)


class _Rest:
    """The rest of a coroutine that began at once and now waits on `waits_on`: a task runs it,
    resuming it (or throwing into it, when cancelled) each time what it waits on is done, as a
    task does the coroutine it started itself."""

    __slots__ = ("coro", "waits_on")

    def __init__(self, coro: Coroutine[Any, Any, None], waits_on: Any) -> None:
        self.coro, self.waits_on = coro, waits_on

    def __await__(self) -> Generator[Any, None, None]:
        coro, waits_on = self.coro, self.waits_on
        while True:
            try:
                try:
                    yield waits_on
                except BaseException as exc:
                    waits_on = coro.throw(exc)
                else:
                    waits_on = coro.send(None)
            except StopIteration:
                return


class Server:
    """Listens, and runs `handler(connection)` for each connection whose handshake succeeded; the
    connection is closed when the handler returns."""

    def __init__(
        self,
        handler: Callable[[Connection], Awaitable[None]],
        *,
        max_size: int,
        ping_interval: float = 20.0,
        ping_timeout: float = 20.0,
        open_timeout: float = 10.0,
        close_timeout: float = 10.0,
    ) -> None:
        self.handler = handler
        self.max_size = max_size
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        self.open_timeout, self.close_timeout = open_timeout, close_timeout
        self.connections: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Server | None = None

    @property
    def sockets(self) -> tuple[Any, ...]:
        return self._listener.sockets if self._listener is not None else ()

    async def listen(self, host: str, port: int, ssl: Any) -> Server:
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(lambda: Connection(self), host, port, ssl=ssl)
        return self

    def spawn(self, coro: Awaitable[None]) -> asyncio.Future[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        """Stop listening, and close every connection as going away."""
        if self._listener is not None:
            self._listener.close()
        for c in list(self.connections):
            self.spawn(c.close(CloseCode.GOING_AWAY))

    async def wait_closed(self) -> None:
        """Once every connection is gone and every handler has returned."""
        if self._listener is not None:
            await self._listener.wait_closed()
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def serve(
    handler: Callable[[Connection], Awaitable[None]], host: str, port: int, *, ssl: Any, **options: Any
) -> Server:
    return await Server(handler, **options).listen(host, port, ssl)
