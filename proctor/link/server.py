"""The room's WebSocket endpoint: exam machines and consoles speak protocol v1 to RoomService."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import msgspec
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from ..domain.refusal import Refused
from ..service import RoomService, RoomUpdate
from . import messages as m

log = logging.getLogger("proctor.link")

HELLO_TIMEOUT_S = 10.0


class LinkServer:
    def __init__(self, service: RoomService) -> None:
        self.service = service
        self.machines: dict[str, ServerConnection] = {}
        self._server: Server | None = None
        self._sends: set[asyncio.Task[None]] = set()
        self._consoles: set[asyncio.Queue[str | None]] = set()
        service.listen_machines(self._push_to_machine)

    async def start(self, host: str, port: int) -> int:
        self._server = await serve(
            self._handle,
            host,
            port,
            compression=None,  # PLATFORM.md: deflate doubles the round trip; answers are small
            max_size=m.MAX_MESSAGE_BYTES,
            ping_interval=20,
            ping_timeout=20,
        )
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for t in list(self._sends):
            t.cancel()

    # -- connections ------------------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        try:
            raw = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT_S)
            hello = m.decode_incoming(raw)
        except (TimeoutError, ConnectionClosed):
            return
        except m.DecodeError as exc:
            await self._refuse(ws, "bad_message", f"invalid hello: {exc}", "握手消息格式错误")
            return
        if not isinstance(hello, m.Hello):
            await self._refuse(ws, "hello_first", "the first message must be hello", "首条消息必须是 hello")
            return
        if hello.v != m.PROTOCOL_VERSION:
            await self._refuse(
                ws, "version", f"protocol v{hello.v} is not supported (v1)", "协议版本不匹配，请更新考试机客户端"
            )
            return
        if not hmac.compare_digest(hello.key.encode(), self.service.package.room_key.encode()):
            log.warning("refused %s: wrong room key", ws.remote_address)
            await self._refuse(ws, "bad_key", "wrong room key", "考场密钥错误，本机不能接入本考场")
            return
        if hello.role == "console":
            await self._serve_console(ws)
        elif hello.machine:
            await self._serve_machine(ws, hello)
        else:
            await self._refuse(ws, "bad_message", "a machine hello needs a machine id", "缺少考试机编号")

    async def _refuse(self, ws: ServerConnection, code: str, en: str, zh: str) -> None:
        try:
            await ws.send(m.encode(m.Error(code=code, message=en, message_zh=zh)))
            await ws.close(1008, code)
        except ConnectionClosed:
            pass

    async def _serve_machine(self, ws: ServerConnection, hello: m.Hello) -> None:
        machine = hello.machine
        assert machine is not None
        peer = ws.remote_address[0] if ws.remote_address else ""
        try:
            info = await self.service.machine_connected(machine, hello.ticket, peer=str(peer))
        except Refused as r:
            await self._refuse(ws, r.code, r.en, r.zh)
            return
        old = self.machines.get(machine)
        self.machines[machine] = ws
        if old is not None and old is not ws:
            await old.close(1000, "replaced by a new connection")
        welcome = m.Welcome(
            v=m.PROTOCOL_VERSION,
            scale=self.service.time.scale,
            heartbeat_s=self.service.policy.heartbeat_interval_s,
            **info,
        )
        try:  # from here on, however the connection ends, the machine is marked gone
            await ws.send(m.encode(welcome))
            async for raw in ws:
                reply = await self._on_machine_message(machine, raw)
                if reply is not None:
                    await ws.send(reply)
        except ConnectionClosed:
            pass
        finally:
            if self.machines.get(machine) is ws:
                del self.machines[machine]
                await self.service.machine_disconnected(machine)

    async def _on_machine_message(self, machine: str, raw: str | bytes) -> str | None:
        svc = self.service
        try:
            msg = m.decode_incoming(raw)
        except m.DecodeError as exc:
            log.warning("bad message from %s: %s", machine, exc)
            return m.encode(m.Error(code="bad_message", message=str(exc), message_zh="消息格式错误，已忽略"))
        req = getattr(msg, "id", None)
        try:
            if isinstance(msg, m.Heartbeat):
                await svc.machine_seen(machine)
                return None
            if isinstance(msg, m.Save):
                dup = await svc.save(machine, msg.ticket, msg.seq, msg.answers, msg.answered)
                return m.encode(m.Ack(id=msg.id, seq=msg.seq, dup=dup))
            if isinstance(msg, m.Login):
                return m.encode(m.LoginOk(id=msg.id, **await svc.login(machine, msg.ticket, msg.id_number)))
            if isinstance(msg, m.Submit):
                await svc.submit(machine, msg.ticket)
                return m.encode(m.Submitted(id=msg.id))
            return m.encode(
                m.Error(
                    id=req,
                    code="not_allowed",
                    message=f"{type(msg).__name__} is not for machines",
                    message_zh="考试机不能发送此消息",
                )
            )
        except Refused as r:
            return m.encode(m.refusal(r, req))
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
            )

    async def _serve_console(self, ws: ServerConnection) -> None:
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        room, seq = self.service.room_snapshot(), self.service.log.last_seq
        if not self._consoles:  # the service builds console rows only while someone listens
            self.service.subscribe_console(self._publish_to_consoles)
        self._consoles.add(queue)
        sender = asyncio.create_task(self._console_sender(ws, queue))
        try:
            queue.put_nowait(m.encode(m.Snapshot(room=room, seq=seq)))
            async for raw in ws:
                reply = await self._on_console_message(raw)
                queue.put_nowait(reply)
        except ConnectionClosed:
            pass
        finally:
            self._consoles.discard(queue)
            if not self._consoles:
                self.service.unsubscribe_console(self._publish_to_consoles)
            queue.put_nowait(None)
            await asyncio.gather(sender, return_exceptions=True)

    async def _on_console_message(self, raw: str | bytes) -> str:
        try:
            msg = m.decode_incoming(raw)
        except m.DecodeError as exc:
            log.warning("bad console message: %s", exc)
            return m.encode(m.Error(code="bad_message", message=str(exc), message_zh="消息格式错误，已忽略"))
        if isinstance(msg, m.HoldingsQuery):
            return m.encode(m.Holdings(id=msg.id, sittings=self.service.holdings()))
        if not isinstance(msg, m.Request):
            return m.encode(
                m.Error(
                    id=getattr(msg, "id", None),
                    code="not_allowed",
                    message="not a console message",
                    message_zh="控制台不能发送此消息",
                )
            )
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
            msg = m.Changed(seq=update.seq, events=events, candidates=update.candidates, machines=update.machines)
        text = m.encode(msg)
        for queue in self._consoles:
            queue.put_nowait(text)

    async def _console_sender(self, ws: ServerConnection, queue: asyncio.Queue[str | None]) -> None:
        # Console updates go out in order, and a slow console never holds up an acknowledgement.
        while (item := await queue.get()) is not None:
            try:
                await ws.send(item)
            except ConnectionClosed:
                return

    def _push_to_machine(self, machine: str, state: dict[str, Any]) -> None:
        ws = self.machines.get(machine)
        if ws is None:
            return
        task = asyncio.create_task(self._send(ws, m.encode(m.CandidateState(**state))))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    @staticmethod
    async def _send(ws: ServerConnection, data: str) -> None:
        try:
            await ws.send(data)
        except ConnectionClosed:
            pass
