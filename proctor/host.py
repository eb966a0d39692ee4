"""Running a room: the service and its link endpoint on one asyncio loop, in the foreground or
in a thread of its own (so a busy or crashed UI never delays an acknowledgement)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from websockets.exceptions import WebSocketException

from .clock import RealClock
from .domain.package import ExamPackage
from .domain.refusal import Refused
from .link import room_link
from .link.auth import LinkError
from .link.server import LinkServer
from .resources import load_policy, shipped_drills, shipped_flows
from .service import RoomService
from .store import EventLog

log = logging.getLogger("proctor.host")


def parse_when(text: str, now: float | None = None) -> float:
    """'now', 'now+90s', 'now+5m', 'now-25m' or an ISO 8601 time with offset -> epoch seconds."""
    now = time.time() if now is None else now
    m = re.fullmatch(r"now(?:([+-])(\d+(?:\.\d+)?)([smh]))?", text.strip())
    if m:
        if not m.group(1):
            return now
        amount = float(m.group(2)) * {"s": 1, "m": 60, "h": 3600}[m.group(3)]
        return now + amount if m.group(1) == "+" else now - amount
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a time: {text!r} (use now, now+90s, now-25m or 2027-05-15T08:30:00+08:00)") from None
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset (write e.g. +08:00)")
    return dt.timestamp()


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"not HOST:PORT: {text!r}")
    return host or "127.0.0.1", int(port)


@dataclass
class RoomOptions:
    db: Path
    host: str = "127.0.0.1"
    port: int = 0
    first_start_at: float | None = None  # rehearsal: move the schedule so sitting 1 starts here
    time_scale: float = 1.0


class RunningRoom:
    """A started service and endpoint; `port` is the bound port."""

    def __init__(self, service: RoomService, link: LinkServer, port: int) -> None:
        self.service, self.link, self.port = service, link, port

    @property
    def url(self) -> str:
        return f"wss://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        await self.link.stop()
        await self.service.close()
        self.service.log.close()


async def start_room(package: ExamPackage, opts: RoomOptions) -> RunningRoom:
    policy = load_policy(package.policy)
    log_ = EventLog(opts.db, checkpoint_every_s=0.2, sync_apart=True)  # checkpoints and syncs off the event loop
    try:
        # The whole chain first: a damaged log is refused as damaged, whatever its events say.
        log_.check()
        service = RoomService(
            package,
            policy,
            log_,
            RealClock(),
            scale=opts.time_scale,
            first_start_at=opts.first_start_at,
            flows=shipped_flows(),
            drills=shipped_drills(),
        )
        await service.open()
    except sqlite3.Error as exc:  # the disk filled up or failed under the start's first writes
        log_.close()
        raise log_.refused(exc) from None
    except BaseException:
        log_.close()
        raise
    service.claim_from = _claimer(package)
    link = LinkServer(service)
    port = await link.start(opts.host, opts.port)
    return RunningRoom(service, link, port)


def _claimer(package: ExamPackage) -> Callable[[str, str, str], Awaitable[dict[str, Any]]]:
    """How this room asks another room of its site for a candidate it transferred out (调入)."""

    async def claim_from(url: str, from_room: str, ticket: str) -> dict[str, Any]:
        try:
            return await room_link.claim(url, package.site_secret, package.room, from_room, ticket)
        except LinkError as no:
            raise Refused("claim_failed", str(no), no.zh, rule="R35") from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise Refused(
                "claim_failed",
                f"no answer from {from_room} at {url}: {exc}",
                f"无法连接{from_room}的考场服务器（{url}），请核对地址后重试",
                rule="R35",
            ) from None

    return claim_from


class RoomThread(threading.Thread):
    """The room service on its own thread and loop, for the console's embedded demo."""

    def __init__(self, package: ExamPackage, opts: RoomOptions) -> None:
        super().__init__(name="room-service", daemon=True)
        self.package, self.opts = package, opts
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.room: RunningRoom | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        try:
            self.room = await start_room(self.package, self.opts)
        except BaseException as exc:  # reported to the starter through .error
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        try:
            await self._stop_event.wait()
        finally:
            await self.room.stop()

    def start_and_wait(self, timeout: float = 15.0) -> RunningRoom:
        self.start()
        if not self.ready.wait(timeout):
            raise TimeoutError("the room service did not start")
        if self.error is not None:
            raise self.error
        assert self.room is not None
        return self.room

    def stop(self, timeout: float = 5.0) -> None:
        if self._loop is not None and self._stop_event is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop_event.set)
        self.join(timeout)
