"""Speaking protocol v2 by hand over a real socket, as a third-party client (or an attacker) would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from proctor.host import RoomOptions, RunningRoom, start_room
from proctor.link.auth import Credential, client_context
from proctor.link.console_client import ConsoleClient
from tests.waiting import until


@contextlib.asynccontextmanager
async def console_client(room: RunningRoom, package: Any) -> AsyncIterator[ConsoleClient]:
    """The console's own client on the room, connected (not signed in)."""
    client = ConsoleClient(room.url, Credential.console(package.room_key))
    client.start()
    try:
        await until(lambda: client.view.connected, "the console to connect")
        yield client
    finally:
        await client.stop()


def run(coro: Awaitable[Any], timeout: float = 60) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout))


@contextlib.asynccontextmanager
async def served(package: Any, tmp_path: Any, **options: Any) -> AsyncIterator[RunningRoom]:
    """A room service on loopback; its sitting started a minute ago unless `options` say otherwise."""
    opts = {"db": tmp_path / "room.db", "first_start_at": time.time() - 60, **options}
    room = await start_room(package, RoomOptions(**opts))
    try:
        yield room
    finally:
        await room.stop()


async def send(ws: ClientConnection, msg: dict[str, Any]) -> None:
    await ws.send(json.dumps(msg, ensure_ascii=False))


async def recv(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def answer(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    """A console's next message that is not the room's own news (`snapshot`, `changed`), which
    may come at any time: whatever was committed before it connected is published once durable."""
    while (msg := await recv(ws, timeout))["t"] in ("snapshot", "changed"):
        pass
    return msg


async def opened(url: str, **options: Any) -> tuple[ClientConnection, dict[str, Any]]:
    """TLS open, and the service's challenge. `options` go to websockets' `connect` (`sock`)."""
    ws = await connect(url, ssl=client_context(), compression=None, open_timeout=10, **options)
    return ws, await recv(ws)


def hello(cred: Credential, challenge: dict[str, Any], **fields: Any) -> dict[str, Any]:
    msg = {"t": "hello", "v": 2, "role": "console" if cred.role == "console" else "machine"}
    if cred.role != "console":
        msg["machine"] = cred.name
    return {**msg, "proof": cred.hello(challenge["nonce"]).proof, **fields}


async def machine(
    url: str, package: Any, machine: str, sock: Any = None, **fields: Any
) -> tuple[ClientConnection, dict[str, Any]]:
    """A machine of the room, with its own key: the connection and the service's answer."""
    ws, challenge = await opened(url, **({"sock": sock} if sock is not None else {}))
    await send(ws, hello(Credential.machine(package.room_key, machine), challenge, **fields))
    return ws, await recv(ws)


async def console(url: str, package: Any) -> tuple[ClientConnection, dict[str, Any]]:
    ws, challenge = await opened(url)
    await send(ws, hello(Credential.console(package.room_key), challenge))
    return ws, await recv(ws)


async def login(ws: ClientConnection, candidate: Any, id: int = 1, **fields: Any) -> dict[str, Any]:
    await send(ws, {"t": "login", "id": id, "ticket": candidate.ticket, "id_number": candidate.id_number, **fields})
    return await recv(ws)


async def answering(
    room: Any, package: Any, i: int = 0, sock: Any = None
) -> tuple[ClientConnection, Any, dict[str, Any]]:
    """Candidate `i` logged in on their own machine: the connection, the candidate, the login's reply."""
    c = package.candidates[i]
    ws, welcome = await machine(room.url, package, c.seat, sock=sock)
    assert welcome["t"] == "welcome", welcome
    ok = await login(ws, c)
    assert ok["t"] == "login_ok", ok
    return ws, c, ok
