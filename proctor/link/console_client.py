"""The console's side of the link: a Qt-free live copy of the room, kept by a WebSocket client.

`RoomView` holds what the service last published (a snapshot, then row deltas) and tells
listeners exactly which candidates and machines changed; the Qt models in ui/ adapt it.
`ConsoleClient` keeps the connection, reconnecting with backoff, and feeds the view.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from . import messages as m

log = logging.getLogger("proctor.console")


@dataclass(frozen=True)
class RoomChange:
    """What one message from the service changed. `whole` means: re-read everything."""

    whole: bool
    tickets: tuple[str, ...] = ()
    machines: tuple[str, ...] = ()
    events: tuple[dict[str, Any], ...] = ()


Listener = Callable[[RoomChange], None]


@dataclass
class RoomView:
    header: dict[str, Any] = field(default_factory=dict)
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)  # ticket -> row, in roster order
    machines: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> tile
    seq: int = 0
    connected: bool = False
    _listeners: list[Listener] = field(default_factory=list)

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, change: RoomChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._emit(RoomChange(whole=False))

    def apply_message(self, msg: dict[str, Any]) -> RoomChange | None:
        kind = msg.get("t")
        if kind == "snapshot":
            room = msg["room"]
            self.header = {k: v for k, v in room.items() if k not in ("candidates", "machines")}
            self.candidates = {c["ticket"]: c for c in room["candidates"]}
            self.machines = {mc["id"]: mc for mc in room["machines"]}
            self.seq = msg["seq"]
            change = RoomChange(whole=True, events=tuple(msg.get("events", ())))
        elif kind == "changed":
            for row in msg.get("candidates", ()):
                self.candidates[row["ticket"]] = row
            for row in msg.get("machines", ()):
                self.machines.setdefault(row["id"], {}).update(row)
            self.seq = msg["seq"]
            change = RoomChange(
                whole=False,
                tickets=tuple(r["ticket"] for r in msg.get("candidates", ())),
                machines=tuple(r["id"] for r in msg.get("machines", ())),
                events=tuple(msg.get("events", ())),
            )
        else:
            return None
        self._emit(change)
        return change

    # -- reading --------------------------------------------------------------------------------

    def state_counts(self) -> Counter[str]:
        return Counter(c["state"] for c in self.candidates.values())


class ConsoleClient:
    """Connects as role "console", keeps `view` current, reconnects after any loss."""

    def __init__(self, url: str, key: str, view: RoomView | None = None) -> None:
        self.url, self.key = url, key
        self.view = view or RoomView()
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            try:
                async with connect(self.url, compression=None, open_timeout=5, max_size=64 * 1024 * 1024) as ws:
                    await ws.send(m.encode(m.Hello(v=m.PROTOCOL_VERSION, role="console", key=self.key)))
                    backoff = 0.2
                    async for raw in ws:
                        msg = json.loads(raw)
                        if msg.get("t") == "error":
                            self.last_error = msg.get("message_zh") or msg.get("message")
                            log.warning("service refused the console: %s", msg)
                            continue
                        self.last_error = None
                        self.view.apply_message(msg)
                        self.view.set_connected(True)
            except (OSError, ConnectionClosed, InvalidHandshake, InvalidURI, asyncio.TimeoutError) as exc:
                self.last_error = self.last_error or str(exc)
            except Exception as exc:  # a message we could not apply: start over from a snapshot
                log.exception("console link failed; reconnecting")
                self.last_error = str(exc)
            self.view.set_connected(False)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)
