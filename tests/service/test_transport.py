"""The room's WebSocket connections (proctor.link.transport), each guarantee tried as a client
that breaks it would: over real sockets on loopback, with short timeouts."""

from __future__ import annotations

import asyncio

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK
from websockets.frames import Frame, Opcode

from proctor.link import transport
from proctor.link.auth import client_context, server_context
from tests import waiting, wire


async def _echo(conn: transport.Connection) -> None:
    while True:
        message = await conn.recv()
        await conn.send(message if isinstance(message, str) else f"binary {len(message)}")


async def _echo_consuming(conn: transport.Connection) -> None:
    async def echo(message: str | bytes) -> None:
        await conn.send(message if isinstance(message, str) else f"binary {len(message)}")

    await conn.consume(echo)


async def _served(handler=_echo, **options) -> transport.Server:
    options = {"max_size": 4096, **options}
    return await transport.serve(handler, "127.0.0.1", 0, ssl=None, **options)


def _url(server: transport.Server) -> str:
    return f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def _closed_with(ws: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def _send_frames(ws: ClientConnection, frames: list[Frame]) -> None:
    for frame in frames:
        ws.protocol.send_frame(frame)
    ws.send_data()


async def _stop(server: transport.Server) -> None:
    server.close()
    await asyncio.wait_for(server.wait_closed(), 10)


@pytest.mark.parametrize("echo", [_echo, _echo_consuming], ids=["recv", "consume"])
def test_messages_go_both_ways_in_order_text_and_binary_apart(echo):
    async def main():
        server = await _served(echo)
        async with connect(_url(server)) as ws:
            for i in range(50):
                await ws.send(f"m{i} 汉字")
            await ws.send(b"\x00\x01")
            assert [await ws.recv() for _ in range(50)] == [f"m{i} 汉字" for i in range(50)]
            assert await ws.recv() == "binary 2"
        await _stop(server)

    wire.run(main())


def test_a_message_in_parts_arrives_whole_and_one_in_too_many_parts_closes_the_connection_1009():
    async def main():
        server = await _served(max_size=1 << 16)
        async with connect(_url(server)) as ws:
            parts = [Frame(Opcode.TEXT, "汉".encode()[:1], fin=False)]
            parts += [Frame(Opcode.CONT, "汉".encode()[1:2], fin=False), Frame(Opcode.CONT, "汉".encode()[2:] + b"!")]
            await _send_frames(ws, parts)  # a character cut across frames
            assert await ws.recv() == "汉!"
            many = [Frame(Opcode.TEXT, b"a", fin=False)]
            many += [Frame(Opcode.CONT, b"a", fin=False)] * transport.MAX_FRAGMENTS + [Frame(Opcode.CONT, b"a")]
            await _send_frames(ws, many)
            assert await _closed_with(ws) == 1009
        await _stop(server)

    wire.run(main())


def test_a_message_over_the_bound_closes_1009_and_text_that_is_not_utf8_closes_1007():
    async def main():
        server = await _served(max_size=100)
        async with connect(_url(server)) as ws:
            await ws.send("x" * 101)
            assert await _closed_with(ws) == 1009
        async with connect(_url(server)) as ws:
            await _send_frames(ws, [Frame(Opcode.TEXT, b"\xff\xfe")])
            assert await _closed_with(ws) == 1007
        async with connect(_url(server)) as ws:  # the server goes on for everyone else
            await ws.send("still here")
            assert await ws.recv() == "still here"
        await _stop(server)

    wire.run(main())


@pytest.mark.parametrize("reader", ["recv", "consume"])
def test_a_client_that_floods_without_being_read_is_not_read_either(reader):
    async def main():
        taken = asyncio.Event()
        conns: list[transport.Connection] = []

        async def slow(conn: transport.Connection) -> None:
            conns.append(conn)
            await taken.wait()
            while True:
                await conn.recv()

        async def slow_handler(conn: transport.Connection) -> None:  # its first message waits
            async def take(message: str | bytes) -> None:
                await taken.wait()

            conns.append(conn)
            await conn.consume(take)

        server = await _served(slow if reader == "recv" else slow_handler)
        async with connect(_url(server)) as ws:
            for _ in range(2000):
                await ws.send("x" * 1000)  # 2 MB the server is not reading
            await asyncio.sleep(0.2)
            # What waits in the server is the queue and one socket read's worth (256 KiB), not 2 MB.
            assert len(conns[0]._inbox) <= transport.MAX_QUEUE + 256 * 1024 // 1000 + 1
            taken.set()
            await ws.send("last")
            await ws.ping()
        await _stop(server)

    wire.run(main())


def test_a_peer_that_does_not_read_makes_the_sender_wait_not_the_memory_grow():
    async def main():
        sent = 0
        waiting = asyncio.Event()

        async def writer(conn: transport.Connection) -> None:
            nonlocal sent
            while True:
                task = asyncio.ensure_future(conn.send("y" * 4000))
                done, _ = await asyncio.wait([task], timeout=0.5)
                if not done:
                    waiting.set()
                    await task
                sent += 1

        server = await _served(writer, close_timeout=0.5)
        async with connect(_url(server), max_queue=1, close_timeout=0.5) as ws:
            ws.transport.pause_reading()
            await asyncio.wait_for(waiting.wait(), 10)
            held = sent
            assert held * 4000 < 8 << 20  # it waited long before sending the peer 8 MB
            await asyncio.sleep(0.2)
            assert sent == held
            ws.transport.resume_reading()
            for _ in range(5):
                await ws.recv()
        await _stop(server)

    wire.run(main())


def test_a_connection_that_never_completes_its_handshake_is_dropped():
    async def main():
        server = await _served(open_timeout=0.2)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed by the server
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # not a WebSocket upgrade
        answer = await asyncio.wait_for(reader.read(), 10)
        assert answer.startswith(b"HTTP/1.1 426") or answer.startswith(b"HTTP/1.1 400")
        writer.close()
        assert not server.connections or all(c.lost.done() for c in server.connections)
        await _stop(server)

    wire.run(main())


def test_a_peer_that_stops_answering_pings_is_dropped():
    async def main():
        server = await _served(ping_interval=0.1, ping_timeout=0.3, close_timeout=0.5)
        async with connect(_url(server), ping_interval=None, close_timeout=0.5) as ws:
            await ws.send("a")
            assert await ws.recv() == "a"
            await asyncio.sleep(0.5)  # pings were answered meanwhile
            await ws.send("b")
            assert await ws.recv() == "b"
            ws.transport.pause_reading()  # a pulled cable: no pong comes back
            await asyncio.wait_for(_gone(server), 10)
        await _stop(server)

    wire.run(main())


async def _gone(server: transport.Server) -> None:
    while server.connections:
        await asyncio.sleep(0.05)


def test_closing_the_server_closes_every_connection_as_going_away_and_a_handler_end_closes_normally():
    async def main():
        async def once(conn: transport.Connection) -> None:
            await conn.send(await conn.recv())

        server = await _served(once)
        async with connect(_url(server)) as ws:
            await ws.send("only")
            assert await ws.recv() == "only"
            assert await _closed_with(ws) == 1000
        await _stop(server)
        server = await _served()
        clients = [await connect(_url(server)) for _ in range(3)]
        await _stop(server)
        assert [await _closed_with(ws) for ws in clients] == [1001] * 3

    wire.run(main())


def test_over_tls_a_client_that_speaks_plain_tcp_gets_nothing_and_the_server_goes_on(package):
    async def main():
        tls = server_context(package.room_key)
        server = await transport.serve(_echo, "127.0.0.1", 0, ssl=tls, max_size=4096)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 10)  # the server ends it
        assert not answer.startswith(b"HTTP")  # a TLS alert or nothing, never HTTP in the clear
        writer.close()
        async with connect(f"wss://127.0.0.1:{port}", ssl=client_context()) as ws:
            await ws.send("secret")
            assert await ws.recv() == "secret"
        await _stop(server)

    wire.run(main())


def test_a_wait_for_a_message_given_up_by_a_timeout_loses_no_message():
    async def main():
        got: list[str | bytes] = []

        async def impatient(conn: transport.Connection) -> None:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(conn.recv(), 0.05)
            await conn.send("timed out")
            await asyncio.sleep(0.2)  # the message comes while nobody waits for one
            got.append(await conn.recv())
            await conn.send("got it")

        server = await _served(impatient)
        async with connect(_url(server)) as ws:
            assert await ws.recv() == "timed out"
            await ws.send("after")
            assert await ws.recv() == "got it"
        assert got == ["after"]
        await _stop(server)

    wire.run(main())


def test_a_frame_that_claims_an_enormous_length_closes_1009_before_anything_is_read_into_memory():
    async def main():
        server = await _served(max_size=4096)
        async with connect(_url(server)) as ws:
            # A masked text frame whose 64-bit length says 2^63 - 1 bytes follow; none do.
            ws.transport.write(b"\x81\xff" + (2**63 - 1).to_bytes(8, "big") + b"\x00\x00\x00\x00")
            assert await _closed_with(ws) == 1009
        async with connect(_url(server)) as ws:
            await ws.send("next")
            assert await ws.recv() == "next"
        await _stop(server)

    wire.run(main())


def test_a_client_that_pings_and_does_not_read_the_pongs_is_not_read_either():
    async def main():
        conns: list[transport.Connection] = []

        async def echo(conn: transport.Connection) -> None:
            conns.append(conn)
            await _echo(conn)

        server = await _served(echo)
        async with connect(_url(server), ping_interval=None) as ws:
            await ws.send("hello")
            assert await ws.recv() == "hello"
            ws.transport.pause_reading()
            ping = Frame(Opcode.PING, b"p" * 125)
            for _ in range(40):  # 100,000 pings, 13 MB, whose pongs nobody reads
                for _ in range(2500):
                    ws.protocol.send_frame(ping)
                ws.send_data()
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.5)
            # The server stopped reading once its pongs stopped going out: a bounded backlog.
            assert conns[0]._transport.get_write_buffer_size() < 2 << 20
            ws.transport.resume_reading()
            await ws.send("after")
            assert await asyncio.wait_for(ws.recv(), 30) == "after"
        await _stop(server)

    wire.run(main())


def _consuming(handle, conns: list[transport.Connection], ended: list[BaseException]):
    async def handler(conn: transport.Connection) -> None:
        conns.append(conn)
        try:
            await conn.consume(lambda message: handle(conn, message))
        except BaseException as exc:
            ended.append(exc)

    return handler


def test_consumed_messages_are_handled_where_they_are_read_and_wait_in_order_behind_one_that_waits():
    async def main():
        gate = asyncio.Event()
        handled: list[tuple[str | bytes, bool]] = []  # (message, whether in a task)

        async def handle(conn: transport.Connection, message: str | bytes) -> None:
            handled.append((message, asyncio.current_task() is not None))
            if message == "wait":
                await gate.wait()
                handled.append(("waited", asyncio.current_task() is not None))
            await conn.send(f"done {message}")

        conns: list[transport.Connection] = []
        server = await _served(_consuming(handle, conns, []))
        async with connect(_url(server)) as ws:
            await ws.send("a")
            assert await ws.recv() == "done a"
            for message in ("wait", "b", "c"):
                await ws.send(message)
            await asyncio.wait_for(await ws.ping(), 10)  # answered once b and c have been read
            assert handled == [("a", False), ("wait", False)]
            assert list(conns[0]._inbox) == ["b", "c"]
            gate.set()
            assert [await ws.recv() for _ in range(3)] == ["done wait", "done b", "done c"]
        # Not in a task, but in the callback that read them; the rest of one that waited, in one.
        assert handled == [("a", False), ("wait", False), ("waited", True), ("b", False), ("c", False)]
        await _stop(server)

    wire.run(main())


@pytest.mark.parametrize("when", ["at once", "after waiting"])
def test_a_handler_that_raises_ends_consume_with_its_error_and_no_message_after_is_handled(when):
    async def main():
        handled: list[str | bytes] = []

        async def handle(conn: transport.Connection, message: str | bytes) -> None:
            handled.append(message)
            if message == "boom":
                if when == "after waiting":
                    await asyncio.sleep(0.01)
                raise ValueError("boom")

        conns: list[transport.Connection] = []
        ended: list[BaseException] = []
        server = await _served(_consuming(handle, conns, ended))
        async with connect(_url(server)) as ws:
            for message in ("x", "boom", "y"):
                await ws.send(message)
            assert await _closed_with(ws) == 1000  # the handler returned: closed normally
        assert handled == ["x", "boom"]
        assert [type(e) for e in ended] == [ValueError]
        await _stop(server)

    wire.run(main())


def test_consume_ends_once_the_connection_has_gone_and_every_message_that_came_is_handled():
    async def main():
        gate = asyncio.Event()
        handled: list[str | bytes] = []

        async def handle(conn: transport.Connection, message: str | bytes) -> None:
            if message == "wait":
                await gate.wait()
            handled.append(message)

        conns: list[transport.Connection] = []
        ended: list[BaseException] = []
        server = await _served(_consuming(handle, conns, ended))
        async with connect(_url(server)) as ws:
            for message in ("a", "wait", "b"):
                await ws.send(message)
            await asyncio.wait_for(await ws.ping(), 10)
        await asyncio.wait_for(asyncio.shield(conns[0].lost), 10)
        assert handled == ["a"] and not ended  # gone, but "wait" is still being handled
        gate.set()
        await waiting.until(lambda: bool(ended), "consume ended")
        assert handled == ["a", "wait", "b"]
        assert [type(e) for e in ended] == [ConnectionClosedOK]
        await _stop(server)

    wire.run(main())


def test_a_consume_given_up_handles_no_message_after():
    async def main():
        handled: list[str | bytes] = []
        checked = asyncio.Event()

        async def handle(message: str | bytes) -> None:
            handled.append(message)

        async def impatient(conn: transport.Connection) -> None:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(conn.consume(handle), 0.2)
            await conn.send("gave up")
            await checked.wait()

        server = await _served(impatient)
        async with connect(_url(server)) as ws:
            await ws.send("a")
            assert await ws.recv() == "gave up"
            await ws.send("b")
            await asyncio.wait_for(await ws.ping(), 10)
            assert handled == ["a"]
            checked.set()
        await _stop(server)

    wire.run(main())
