"""Simulated exam machines over real sockets: they log in, answer, save, submit, and survive outages.

Each machine keeps every save until the service acknowledges it and resends after a reconnect,
as a real answer client must. The run's tally says what was sent, what was acknowledged and
whether the service still holds every acknowledged save.
"""

from __future__ import annotations

import asyncio
import json
import random
import string
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from ..domain.package import Candidate, ExamPackage
from ..link import messages as m
from ..link.auth import Credential, LinkError, open_link


@dataclass
class Tally:
    sent: int = 0
    acked: int = 0
    refused: int = 0
    logged_in: int = 0
    submitted: int = 0
    auto_submitted: int = 0
    notices: int = 0  # notices shown to the candidate and acknowledged
    reconnects: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    ack_ms: list[float] = field(default_factory=list)
    ack_at: list[float] = field(default_factory=list)  # when each was sent (time.monotonic())
    acked_seqs: dict[str, list[int]] = field(default_factory=dict)  # ticket -> acked seqs

    def error(self, code: str) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1


@dataclass
class Plan:
    """What one candidate will do, in real seconds from the start of the run."""

    login_after_s: float | None  # None: never comes (absent)
    submit_after_s: float | None  # None: sits to the end (auto-submit)
    save_every_s: float = 3.0
    answer_bytes: int = 2048


class SimMachine:
    def __init__(
        self,
        url: str,
        package: ExamPackage,
        machine: str,
        candidate: Candidate | None,
        plan: Plan,
        tally: Tally,
        rng: random.Random,
    ) -> None:
        self.url, self.package, self.machine = url, package, machine
        self.candidate, self.plan, self.tally, self.rng = candidate, plan, tally, rng
        self.ticket: str | None = None  # set once logged in
        self.session: str | None = None  # the login's token: what resumes the candidate
        self.acked = 0  # the highest seq the service acknowledged
        self.credential = Credential.machine(package.room_key, machine)
        self.state = "expected"
        self.seq = 0
        self.unacked: dict[int, tuple[float, Any]] = {}  # seq -> (sent at, answers)
        self.scale = 1.0
        self.heartbeat_s = 1.0
        self.clock_skew_s = 0.0  # how far this machine's own clock is off (R59)
        self._req = 0
        self._replies: dict[int, asyncio.Future[Any]] = {}
        self.notices_seen: set[int] = set()
        self._arrival = asyncio.Event()  # a candidate reset onto this (spare) machine walks up
        self._answering = asyncio.Event()
        self._done = False
        self.reset_to: str | None = None  # where a reset sent the candidate (None: any free machine)
        self._welcome_now = 0.0
        self._welcome_mono = 0.0

    def _next_id(self) -> int:
        self._req += 1
        return self._req

    async def run(self, started: float, deadline: float) -> None:
        """Connect and keep connected until the deadline, reconnecting after any loss."""
        backoff = 0.1
        first = True
        while not self._done and time.monotonic() < deadline:
            try:
                resume = (
                    m.Resume(ticket=self.ticket, session=self.session, acked=self.acked)
                    if self.ticket and self.session
                    else None
                )
                async with open_link(
                    self.url,
                    self.credential,
                    open_timeout=5,
                    clock=time.time() + self.clock_skew_s,
                    checks=m.Checks(internet=False, removable_media=False),
                    resume=resume,
                ) as (ws, welcome):
                    if not first:
                        self.tally.reconnects += 1
                    first = False
                    backoff = 0.1
                    await self._session(ws, welcome, started, deadline)
            except (TimeoutError, OSError, ConnectionClosed, InvalidHandshake, InvalidURI, LinkError):
                pass
            if self._done:
                return
            await asyncio.sleep(min(backoff, max(0.0, deadline - time.monotonic())))
            backoff = min(backoff * 2, 1.0)

    async def _session(self, ws: ClientConnection, welcome: m.Msg, started: float, deadline: float) -> None:
        if isinstance(welcome, m.Error):
            self.tally.error(welcome.code)
            self._done = True
            return
        assert isinstance(welcome, m.Welcome)
        self.scale, self.heartbeat_s = welcome.scale, welcome.heartbeat_s
        if self.ticket and welcome.resume is None:
            self.ticket = None  # the service no longer binds us: log in again
        elif welcome.resume is not None:
            self._set_state(welcome.resume["state"])
        self._welcome_now, self._welcome_mono = welcome.now, time.monotonic()
        for notice in welcome.notices:  # sent while this machine was away
            await self._show(ws, int(notice["number"]))
        reader = asyncio.create_task(self._read(ws))
        beats = asyncio.create_task(self._heartbeats(ws))
        actor = asyncio.create_task(self._act(ws, started, deadline))
        try:
            # The session ends when the actor is done or the connection drops, whichever is first.
            await asyncio.wait([reader, actor], return_when=asyncio.FIRST_COMPLETED)
            if actor.done() and not actor.cancelled():
                exc = actor.exception()
                if exc is not None and not isinstance(exc, ConnectionClosed):
                    raise exc
        finally:
            for t in (reader, beats, actor):
                t.cancel()
            await asyncio.gather(reader, beats, actor, return_exceptions=True)
            self._replies.clear()

    async def _read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            msg = m.decode_outgoing(raw)
            if isinstance(msg, m.Notice):
                await self._show(ws, msg.number)
                continue
            if isinstance(msg, m.CandidateState):
                if msg.ticket == self.ticket:
                    if msg.state == "reset":
                        self._reset_away(msg.continue_on)
                    elif msg.state == "submitted":
                        self._submitted_at_end()
                    else:
                        self._set_state(msg.state)
                continue
            fut = self._replies.pop(getattr(msg, "id", None) or -1, None)
            if fut is not None and not fut.done():
                fut.set_result(msg)

    async def _show(self, ws: ClientConnection, number: int) -> None:
        """The candidate has read the notice: say so (each time it is given, as a machine would)."""
        if number not in self.notices_seen:
            self.notices_seen.add(number)
            self.tally.notices += 1
        await ws.send(m.encode(m.NoticeSeen(number=number)))

    def _reset_away(self, continue_on: str | None) -> None:
        """The proctors reset the candidate off this machine (R24): it acts for them no more; its
        unacknowledged saves are not theirs to keep (the candidate goes on from the acknowledged)."""
        self.reset_to = continue_on
        self.unacked.clear()
        self.state = "reset"
        self._done = True
        self._answering.set()  # wakes the actor, which sees it is done

    async def _heartbeats(self, ws: ClientConnection) -> None:
        # The first beat at a random moment within the interval (docs/protocol.md): machines
        # that reconnect together must not beat together, or every beat is a burst.
        await asyncio.sleep(self.rng.uniform(0, self.heartbeat_s))
        while True:
            await ws.send(m.encode(m.Heartbeat(clock=time.time() + self.clock_skew_s)))
            await asyncio.sleep(self.heartbeat_s)

    async def _request(self, ws: ClientConnection, msg: Any) -> Any:
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._replies[msg.id] = fut
        await ws.send(m.encode(msg))
        return await fut

    def _set_state(self, state: str) -> None:
        self.state = state
        if state == "answering":
            self._answering.set()
        else:
            self._answering.clear()
        if state == "submitted":
            self._done = True

    def take_over(self, candidate: Candidate, plan: Plan) -> None:
        """The proctors reset `candidate` onto this machine (R24): they log in here at once and go
        on from what the service acknowledged (its `last_seq`)."""
        self.candidate = candidate
        self.plan = Plan(login_after_s=0.0, submit_after_s=plan.submit_after_s, save_every_s=plan.save_every_s)
        self._arrival.set()

    async def _act(self, ws: ClientConnection, started: float, deadline: float) -> None:
        if self.candidate is None:  # a spare: idle unless a candidate is reset onto it
            try:
                await asyncio.wait_for(self._arrival.wait(), max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                return
        c, plan = self.candidate, self.plan
        if c is None or plan.login_after_s is None:
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))  # nobody came
            return
        if self.ticket is None:
            await asyncio.sleep(max(0.0, started + plan.login_after_s - time.monotonic()))
            reply = await self._request(
                ws, m.Login(id=self._next_id(), ticket=c.ticket, id_number=c.id_number, acked=self.acked)
            )
            if isinstance(reply, m.Error):
                self.tally.error(reply.code)
                self._done = True
                return
            if self.seq == 0:
                self.tally.logged_in += 1
            self.ticket, self.session = c.ticket, reply.session
            self.seq = max(self.seq, reply.last_seq)
            self._set_state(reply.state)
        await self._resend(ws)
        while time.monotonic() < deadline and not self._done:
            if not self._answering.is_set():
                try:
                    await asyncio.wait_for(self._answering.wait(), max(0.01, deadline - time.monotonic()))
                except TimeoutError:
                    return
                continue
            if plan.submit_after_s is not None and time.monotonic() >= started + plan.submit_after_s:
                await self._submit(ws, started)
                continue
            wait = plan.save_every_s * self.rng.uniform(0.7, 1.3)
            await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))
            if time.monotonic() < deadline and self._answering.is_set():
                self.seq += 1
                await self._save(ws, self.seq, self._answers())

    async def _resend(self, ws: ClientConnection) -> None:
        for seq in sorted(self.unacked):
            await self._save(ws, seq, self.unacked[seq][1], resend=True)

    async def _save(self, ws: ClientConnection, seq: int, answers: Any, resend: bool = False) -> None:
        assert self.ticket is not None
        if not resend:
            self.tally.sent += 1
        sent_at = time.monotonic()
        self.unacked[seq] = (sent_at, answers)
        reply = await self._request(
            ws, m.Save(id=self._next_id(), ticket=self.ticket, seq=seq, answers=answers, answered=seq % 100)
        )
        if isinstance(reply, m.Ack):
            self.unacked.pop(seq, None)
            self.acked = max(self.acked, seq)
            self.tally.acked += 1
            self.tally.ack_ms.append((time.monotonic() - sent_at) * 1000)
            self.tally.ack_at.append(sent_at)
            self.tally.acked_seqs.setdefault(self.ticket, []).append(seq)
        else:
            self.unacked.pop(seq, None)
            self.seq = max(self.acked, max(self.unacked, default=0))  # a refused save uses no seq
            self.tally.refused += 1
            self.tally.error(reply.code)
            if reply.code == "time_over":  # the service submitted us at our end (R11)
                self._submitted_at_end()

    def _submitted_at_end(self) -> None:
        # Told by the push or by a save refused as too late, whichever comes first: counted once.
        if self.state != "submitted":
            self.tally.auto_submitted += 1
        self._set_state("submitted")

    async def _submit(self, ws: ClientConnection, started: float) -> None:
        assert self.ticket is not None
        reply = await self._request(ws, m.Submit(id=self._next_id(), ticket=self.ticket))
        if isinstance(reply, m.Submitted):
            self.tally.submitted += 1
            self._set_state("submitted")
        elif reply.code == "too_early" and reply.data and "opens" in reply.data:
            # Try again when the service says submission opens (exam seconds -> real seconds).
            wait = (reply.data["opens"] - self._exam_now_guess()) / self.scale
            self.plan.submit_after_s = time.monotonic() - started + max(0.5, wait)
        else:
            self.tally.error(reply.code)
            self.plan.submit_after_s = None

    def _exam_now_guess(self) -> float:
        return self._welcome_now + (time.monotonic() - self._welcome_mono) * self.scale

    def _answers(self) -> dict[str, Any]:
        n = max(16, self.plan.answer_bytes - 64)
        text = "".join(self.rng.choices(string.ascii_letters + "甲乙丙丁借贷", k=n // 2))
        return {"q": self.seq % 60 + 1, "text": text}


async def holdings(url: str, room_key: str) -> dict[str, dict[str, list[int]]]:
    return (await holdings_reply(url, room_key))["sittings"]


async def holdings_reply(url: str, room_key: str) -> dict[str, Any]:
    """The service's `holdings` reply: what it holds (`sittings`) and how its commits went (`commits`)."""
    async with open_link(url, Credential.console(room_key), open_timeout=5, max_size=64 * 1024 * 1024) as (ws, first):
        if isinstance(first, m.Error):
            raise LinkError(f"{first.code}: {first.message}", first.message_zh)
        await ws.send(m.encode(m.HoldingsQuery(id=1)))
        while True:
            msg = json.loads(await ws.recv())
            if msg.get("t") == "holdings":
                return msg


def count_lost(tally: Tally, held: dict[str, dict[str, list[int]]]) -> int:
    """Acknowledged saves the service does not hold. Sent seqs are 1..n per ticket, so a held
    count below the held maximum is a gap, and an acked seq above the maximum is missing."""
    merged: dict[str, list[int]] = {}
    for per_ticket in held.values():
        for ticket, (top, n) in per_ticket.items():
            cur = merged.get(ticket, [0, 0])
            merged[ticket] = [max(cur[0], top), cur[1] + n]
    lost = 0
    for ticket, seqs in tally.acked_seqs.items():
        top, n = merged.get(ticket, [0, 0])
        lost += sum(1 for s in set(seqs) if s > top)
        lost += max(0, top - n) if seqs else 0
    return lost
