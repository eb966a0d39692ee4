"""The room's proctors during a simulated run: a console over the real link that signs in and,
at random moments, applies operations to the candidates answering, as proctors do while the
machines keep saving. The simulator (`proctor sim --operations`) and bench/link_load.py run it
beside their machines; what the machines must still show is that no acknowledged save is lost.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ..domain.events import ExtraTimeReason, ResetKind, ResetReason
from ..link.auth import Credential
from ..link.console_client import CommandRefused, ConsoleClient, NotConnected, RoomView

PROCTORS = ("张三", "李四")
DIRECT_MINUTES = 1  # one minute at a time keeps each candidate inside the direct tier (R19) for ten grants


@dataclass
class OperationsTally:
    done: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # "operation:code"
    ms: list[float] = field(default_factory=list)  # request → reply, each operation

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.ms)
        return {
            "done": dict(self.done),
            "refused": dict(self.refused),
            "op_p50_ms": round(ordered[len(ordered) // 2], 1) if ordered else None,
            "op_max_ms": round(ordered[-1], 1) if ordered else None,
        }


Operation = Callable[["Operator", str], Awaitable[bool]]  # False: nothing to do for this candidate


class Operator:
    """Every `every_s` seconds (randomly spread) one operation on a random candidate answering."""

    def __init__(
        self,
        url: str,
        room_key: str,
        rng: random.Random,
        every_s: float = 2.0,
        *,
        moved: Callable[[str, str], None] | None = None,
    ) -> None:
        """`moved(ticket, machine)`: a candidate was reset onto `machine`; whoever plays the
        machines walks them there (without it, no reset is given)."""
        self.view = RoomView()
        self.moved = moved
        self.client = ConsoleClient(url, Credential.console(room_key), self.view)
        self.rng, self.every_s = rng, every_s
        self.tally = OperationsTally()
        self.direct_max = 10
        self.extra_min: dict[str, int] = {}  # each candidate's total, as the last grant's reply said

    def answering(self) -> list[str]:
        return sorted(t for t, c in self.view.candidates.items() if c.get("state") == "answering")

    async def run(self, deadline: float) -> OperationsTally:
        self.client.start()
        try:
            await self._signed_in(deadline)
            while time.monotonic() < deadline:
                await asyncio.sleep(
                    min(self.rng.uniform(0.5, 1.5) * self.every_s, max(0.0, deadline - time.monotonic()))
                )
                tickets = self.answering()
                if time.monotonic() >= deadline or not tickets:
                    continue
                name, op = self.rng.choice(OPERATIONS)
                await self._timed(name, op, self.rng.choice(tickets))
        finally:
            await self.client.stop()
        return self.tally

    async def _signed_in(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                await self.client.sign_in(PROCTORS)
                self.direct_max = _direct_max(self.view.header) or self.direct_max
                return
            except NotConnected:
                await asyncio.sleep(0.1)

    async def _timed(self, name: str, op: Operation, ticket: str) -> None:
        t = time.monotonic()
        try:
            if not await op(self, ticket):
                return
            self.tally.done[name] += 1
        except CommandRefused as r:
            self.tally.refused[f"{name}:{r.code}"] += 1
        except (NotConnected, TimeoutError):
            self.tally.refused[f"{name}:no_link"] += 1
        self.tally.ms.append((time.monotonic() - t) * 1000)


async def grant_extra_time(op: Operator, ticket: str) -> bool:
    """A minute for a machine fault, to a candidate still inside the direct tier (R19)."""
    # The reply's total, not the row: the row may arrive after the reply.
    total = max(op.view.candidates[ticket].get("extra_min") or 0, op.extra_min.get(ticket, 0))
    if total + DIRECT_MINUTES > op.direct_max:
        return False
    reply = await op.client.grant_extra_time(
        [ticket], DIRECT_MINUTES, ExtraTimeReason.MACHINE_FAULT, note="模拟：考试机卡顿"
    )
    op.extra_min[ticket] = reply["extra_min"][ticket]
    return True


async def reveal_id_number(op: Operator, ticket: str) -> bool:
    await op.client.reveal_id_number(ticket)
    return True


async def read_timeline(op: Operator, ticket: str) -> bool:
    await op.client.history_page(ticket)
    return True


async def reset_onto_a_spare(op: Operator, ticket: str) -> bool:
    """重置: the candidate's machine "fails"; they go on at a free spare (R24)."""
    spares = sorted(m for m, row in op.view.machines.items() if row.get("free_spare"))
    if op.moved is None or not spares:
        return False
    reply = await op.client.reset_candidate(
        ticket, ResetKind.RESUME, op.rng.choice(spares), ResetReason.MACHINE_FAULT, note="模拟：考试机死机"
    )
    op.moved(ticket, str(reply["to"]))
    return True


async def send_notice(op: Operator, ticket: str) -> bool:
    """A notice to the candidate's machine (the simulated machines show and acknowledge it)."""
    machine = op.view.candidates[ticket].get("machine")
    if not machine:
        return False
    await op.client.send_notice("模拟通知：第 3 题题干更正", "correction", [machine])
    return True


OPERATIONS: tuple[tuple[str, Operation], ...] = (
    ("reset", reset_onto_a_spare),
    ("notice", send_notice),
    ("extra_time", grant_extra_time),
    ("reveal_id_number", reveal_id_number),
    ("timeline", read_timeline),
)


def _direct_max(header: dict[str, object]) -> int | None:
    for p in (header.get("profile") or {}).get("parameters") or ():  # type: ignore[union-attr]
        if p.get("name") == "extra_time_direct_max_min" and p.get("value") is not None:
            return int(p["value"])
    return None
