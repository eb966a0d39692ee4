"""RoomService: the one owner of a room's state.

Every change takes one path: command -> rule check (proctor.domain) -> events applied and
appended -> committed (group commit, one transaction per loop turn) -> acknowledged ->
published to consoles and exam machines. Nothing else writes state.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable

from .clock import RealClock, SimulatedClock
from .domain.package import ExamPackage
from .domain.policy import Policy
from .domain.room import Event, Refused, RoomState, State, decide_login, decide_machine_offline
from .domain.room import decide_machine_online, decide_save, decide_submit, due_events, next_due
from .store import EventLog, StoredEvent

log = logging.getLogger("proctor.service")

Clock = RealClock | SimulatedClock
ConsoleListener = Callable[[dict[str, Any]], None]
MachineListener = Callable[[str, dict[str, Any]], None]

# Events after which a console needs the whole room again rather than a few rows.
# Events that cannot move the schedule: the scheduler need not wake for them.
_TIMELESS = {"AnswerSaved", "MachineOnline", "MachineOffline", "DuplicateLoginAttempt"}
_ROOM_WIDE = {"ServiceStarted", "ScheduleShifted", "SittingStarted", "SignInClosed", "SittingEnded"}


@dataclass
class Published:
    seq: int
    events: list[StoredEvent]


class RoomService:
    def __init__(
        self,
        package: ExamPackage,
        policy: Policy,
        log_: EventLog,
        clock: Clock,
        *,
        first_start_at: float | None = None,
    ) -> None:
        self.package = package
        self.policy = policy
        self.log = log_
        self.clock = clock
        self.room = RoomState(package, policy)
        self._first_start_at = first_start_at
        self._pending: list[tuple[list[Event], asyncio.Future[list[StoredEvent]]]] = []
        self._flush_scheduled = False
        self._consoles: list[ConsoleListener] = []
        self._machine_listeners: list[MachineListener] = []
        self._last_seen: dict[str, float] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.failed: BaseException | None = None
        self.failed_event = asyncio.Event()  # whoever runs the service restarts it on this

    # -- life ---------------------------------------------------------------------------------

    async def open(self) -> None:
        """Replay the log, then record this start (and a rehearsal's schedule shift once)."""
        self.log.bind_package(self.package.fingerprint)
        fresh = self.log.last_seq == 0
        for se in self.log.replay():
            self.room.apply(se.event)
        now = self.clock.now()
        first: list[Event] = [Event("ServiceStarted", now, {"package": self.package.fingerprint})]
        if fresh and self._first_start_at is not None:
            by = self._first_start_at - self.package.sittings[0].start
            first.append(Event("ScheduleShifted", now, {"by_s": by, "reason": "rehearsal"}))
        await self.commit(first)
        self._tasks = [
            asyncio.create_task(self._run_schedule(), name="schedule"),
            asyncio.create_task(self._run_liveness(), name="liveness"),
        ]

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    # -- the one write path ---------------------------------------------------------------------

    async def commit(self, events: list[Event]) -> list[StoredEvent]:
        """Apply now (so the next check sees it), acknowledge after the batch's commit."""
        if self.failed is not None:
            raise RuntimeError("the event log failed; the service must restart") from self.failed
        if not events:
            return []
        for e in events:
            self.room.apply(e)
        fut: asyncio.Future[list[StoredEvent]] = asyncio.get_running_loop().create_future()
        self._pending.append((events, fut))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)
        return await fut

    def _flush(self) -> None:
        self._flush_scheduled = False
        batch, self._pending = self._pending, []
        try:
            stored = self.log.append([e for events, _ in batch for e in events])
        except BaseException as exc:  # disk full, I/O error: memory is ahead of the log now
            log.critical("event log append failed: %s", exc)
            self.failed = exc
            self.failed_event.set()
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        i = 0
        for events, fut in batch:
            if not fut.done():
                fut.set_result(stored[i : i + len(events)])
            i += len(events)
        self._publish(stored)
        if any(se.event.kind not in _TIMELESS for se in stored):
            self._wake.set()

    def _publish(self, stored: list[StoredEvent]) -> None:
        if self._consoles:
            msg = self._changes_for_consoles(stored)
            for listener in list(self._consoles):
                listener(msg)
        if self._machine_listeners:
            for machine, state in self._machine_pushes(stored):
                for listener in list(self._machine_listeners):
                    listener(machine, state)

    def _changes_for_consoles(self, stored: list[StoredEvent]) -> dict[str, Any]:
        seq = stored[-1].seq
        events = [{"seq": se.seq, "kind": se.event.kind, "at": se.event.at, **_public(se.event.data)} for se in stored]
        if any(se.event.kind in _ROOM_WIDE for se in stored):
            return {"t": "snapshot", "room": self._room_snapshot(), "seq": seq, "events": events}
        s = self.room.sitting
        tickets, machines = [], []
        for se in stored:
            d = se.event.data
            if "ticket" in d and d["ticket"] not in tickets:
                tickets.append(d["ticket"])
            for key in ("machine", "previous"):
                if key in d and d[key] not in machines:
                    machines.append(d[key])
        for t in tickets:
            c = s.candidates.get(t) if s else None
            if c is not None and c.machine and c.machine not in machines:
                machines.append(c.machine)
        for mid in machines:  # a machine going offline flags the candidate on it
            c = self.room.last_at(s, mid) if s else None
            if c is not None and c.ticket not in tickets:
                tickets.append(c.ticket)
        return {
            "t": "changed",
            "seq": seq,
            "events": events,
            "candidates": [
                self.room.candidate_row(s, s.candidates[t]) for t in tickets if s and t in s.candidates
            ],
            "machines": [self.room.machine_row(m) for m in machines if m in self.room.machines],
        }

    def _machine_pushes(self, stored: list[StoredEvent]) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for se in stored:
            e = se.event
            if e.kind not in ("SittingStarted", "CandidateSubmitted"):
                continue
            s = self.room.sitting_no(e.data["sitting"])
            tickets = [e.data["ticket"]] if "ticket" in e.data else list(s.candidates)
            for t in tickets:
                c = s.candidates[t]
                if c.machine and (e.kind == "CandidateSubmitted" or c.state is State.ANSWERING):
                    out.append((c.machine, {"ticket": t, "state": c.state.value, "end": s.end_of(c)}))
        return out

    # -- subscriptions --------------------------------------------------------------------------

    def subscribe_console(self, listener: ConsoleListener) -> tuple[dict[str, Any], int]:
        self._consoles.append(listener)
        return self._room_snapshot(), self.log.last_seq

    def _room_snapshot(self) -> dict[str, Any]:
        # The exam clock rides along so a console shows the same time as the rules use.
        return {**self.room.snapshot(), "now": self.clock.now(), "scale": self.clock.scale}

    def unsubscribe_console(self, listener: ConsoleListener) -> None:
        if listener in self._consoles:
            self._consoles.remove(listener)

    def listen_machines(self, listener: MachineListener) -> None:
        self._machine_listeners.append(listener)

    # -- commands from exam machines --------------------------------------------------------------

    async def machine_connected(self, machine: str, ticket: str | None) -> dict[str, Any]:
        now = self.clock.now()
        await self.commit(decide_machine_online(self.room, machine, now))
        self._last_seen[machine] = self.clock.monotonic()
        s = self.room.sitting
        resume = None
        if s is not None and ticket:
            c = s.candidates.get(ticket)
            if c is not None and c.machine == machine:
                resume = {"ticket": ticket, "state": c.state.value, "last_seq": c.last_seq, "end": s.end_of(c)}
        return {
            "room": self.package.room,
            "now": now,
            "sitting": self.room.sitting_header(s) if s else None,
            "resume": resume,
        }

    async def machine_seen(self, machine: str) -> None:
        """A sign of life; a machine that fell silent but kept its connection comes back online."""
        self._last_seen[machine] = self.clock.monotonic()
        if not self.room.machines[machine].online:
            await self.commit(decide_machine_online(self.room, machine, self.clock.now()))

    async def machine_disconnected(self, machine: str, reason: str = "disconnected") -> None:
        self._last_seen.pop(machine, None)
        await self.commit(decide_machine_offline(self.room, machine, self.clock.now(), reason))

    async def login(self, machine: str, ticket: str, id_number: str) -> dict[str, Any]:
        now = self.clock.now()
        events = decide_login(self.room, machine, ticket, id_number, now)
        await self.commit(events)
        s = self.room.sitting
        assert s is not None
        c = s.candidates[ticket]
        if c.machine != machine:  # a duplicate attempt was recorded, not a login
            raise Refused(
                "duplicate_login",
                f"candidate is logged in on machine {c.machine}",
                f"该考生已在 {c.machine} 登录，不能重复登录，请联系监考人员",
            )
        last = self.log.latest_answer(s.number, ticket)
        row = self.room.candidate_row(s, c)
        return {
            "candidate": {k: row[k] for k in ("ticket", "name", "gender", "id_masked", "seat")},
            "state": c.state.value,
            "end": s.end_of(c),
            "last_seq": last[0] if last else 0,
            "answers": last[1] if last else None,
        }

    async def save(
        self, machine: str, ticket: str, seq: int, answers: Any, answered: int | None
    ) -> bool:
        """Returns True when the save was a resend of one already held."""
        await self.machine_seen(machine)
        events = decide_save(self.room, machine, ticket, seq, answers, answered, self.clock.now())
        await self.commit(events)
        return not events

    async def submit(self, machine: str, ticket: str) -> None:
        await self.commit(decide_submit(self.room, machine, ticket, self.clock.now()))

    def holdings(self) -> dict[str, dict[str, list[int]]]:
        return self.log.holdings()

    # -- time ---------------------------------------------------------------------------------

    async def run_due(self) -> None:
        """Append whatever the schedule makes due by now (start, sign-in close, auto-submit, end)."""
        while due := due_events(self.room, self.clock.now()):
            await self.commit(due)

    async def _run_schedule(self) -> None:
        while True:
            await self.run_due()
            at = next_due(self.room)
            self._wake.clear()
            waits = [asyncio.ensure_future(self._wake.wait())]
            if at is not None:
                waits.append(asyncio.ensure_future(self.clock.sleep_until(at)))
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waits:
                    w.cancel()

    async def _run_liveness(self) -> None:
        interval = self.policy.heartbeat_interval_s
        limit = interval * self.policy.heartbeats_missed_offline
        while True:
            await self.clock.sleep(interval)
            now = self.clock.monotonic()
            silent = [m for m, seen in self._last_seen.items() if now - seen > limit]
            for m in silent:
                del self._last_seen[m]
            events = [
                e for m in silent for e in decide_machine_offline(self.room, m, self.clock.now(), "heartbeat")
            ]
            await self.commit(events)


def _public(data: dict[str, Any]) -> dict[str, Any]:
    # Consoles see that an answer was saved, not the answer itself.
    return {k: v for k, v in data.items() if k != "answers"}

