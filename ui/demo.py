"""`--demo`: a whole room on this machine. The room service runs in its own thread on a
rehearsal clock; simulated exam machines run in another, over real sockets.

Timeline in real seconds from launch (exam clock ×20, so the 120-minute sitting takes 6 minutes):
  0–3 s    most candidates log in (已登录)         8 s   the sitting starts (作答中)
  11, 13 s two exam machines drop off (离线)       14 s  a duplicate login is tried on a spare (重复登录)
  12–80 s  late arrivals log in                    38, 60 s the two come back; 45–75 s a third is away
  98 s     sign-in closes: no-shows become 缺考      368 s the sitting ends, everyone is submitted
One candidate sits at the free seat instead of their own (座位不符); one exam machine's clock is
95 s ahead (R59).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from proctor.domain.drill import Drill
from proctor.domain.package import Candidate, ExamPackage
from proctor.host import RoomOptions, RoomThread, RunningRoom, parse_when
from proctor.package.demo import DEMO_DUTY
from proctor.resources import load_drill, load_policy, resources_dir, sample_package_dir
from proctor.sim.drill import fault_plan
from proctor.sim.machines import Plan, SimMachine, Tally
from proctor.sim.room import plan_for, seat_candidates

SCALE = 20.0  # exam seconds per real second
LEAD_S = 8.0  # real seconds from launch to the start
MACHINES_STAY_S = 4 * 3600.0  # simulated machines stay as long as anyone watches
SAVE_EVERY_S = 3.0
# (real second the machine drops, real seconds it stays away), for the first early arrivals.
OUTAGES = ((11.0, 27.0), (13.0, 47.0), (45.0, 30.0))
DUPLICATE_AT_S = 14.0
SKEWED_CLOCK_S = 95.0  # one machine's clock is this far ahead: the map shows it (R59)


@dataclass
class Script:
    """Who does what, decided before the machines start (the same every run)."""

    seats: list[tuple[str, Candidate | None]]
    plans: list[Plan]
    outages: dict[str, tuple[float, float]]  # machine -> (drop at, away for)
    duplicate: tuple[str, Candidate] | None  # (spare machine, candidate already logged in elsewhere)
    skewed: str | None = None  # a machine whose own clock is off (R59)


def load_demo_package() -> ExamPackage:
    from proctor.package import load_package

    return load_package(sample_package_dir())


def demo_package(machines: int) -> ExamPackage:
    """A generated room of `machines` machines, about 5 in 100 of its seats left empty."""
    from proctor.package.demo import generate

    spares = max(1, (machines * load_policy("national-accounting").spare_machines_percent + 50) // 100)
    seats = machines - spares
    return generate(candidates=max(1, seats - max(1, seats // 20)), machines=machines, aisle=True)


def make_script(package: ExamPackage, seed: int = 1) -> Script:
    rng = random.Random(seed)
    seats = seat_candidates(package, len(package.machines))
    plans = [plan_for(rng, MACHINES_STAY_S, SAVE_EVERY_S) for _ in seats]
    sign_in_real = _sign_in_real_s(package)
    for plan in plans:
        if plan.login_after_s is not None and plan.login_after_s > 3.0:
            # Late arrivals come between the start and the close of sign-in, so the demo shows them.
            plan.login_after_s = LEAD_S + rng.uniform(4.0, sign_in_real - 10.0)
        plan.submit_after_s = None  # accounting: earliest submit is the end, so everyone sits it out

    # One candidate sits at the free regular seat instead of their own: 座位不符.
    free = next((i for i, (mid, c) in enumerate(seats) if c is None and not _spare(package, mid)), None)
    early = [
        i
        for i, (_, c) in enumerate(seats)
        if c is not None and plans[i].login_after_s is not None and plans[i].login_after_s <= 3.0
    ]
    if free is not None and early:
        mover = early.pop(len(early) // 2)
        seats[free], seats[mover] = (seats[free][0], seats[mover][1]), (seats[mover][0], None)
        plans[free], plans[mover] = plans[mover], Plan(login_after_s=None, submit_after_s=None)
        early = [free if i == mover else i for i in early]
    outages = {seats[i][0]: o for i, o in zip(early[:: max(1, len(early) // 4)], OUTAGES, strict=False)}
    spare = next((mid for mid, c in seats if c is None and _spare(package, mid)), None)
    victim = next((seats[i][1] for i in early if seats[i][0] not in outages), None)
    duplicate = (spare, victim) if spare and victim else None
    skewed = next((seats[i][0] for i in early[1:] if seats[i][0] not in outages), None)
    return Script(seats, plans, outages, duplicate, skewed)


def _spare(package: ExamPackage, machine: str) -> bool:
    return any(m.id == machine and m.spare for m in package.machines)


class DemoRoom:
    def __init__(self, package: ExamPackage | None = None, seed: int = 1, drill: str | None = None) -> None:
        # The shipped sample predates duty telephones: the demo sets the invented ones.
        sample = package or load_demo_package()
        self.package = sample if sample.duty else dataclasses.replace(sample, duty=DEMO_DUTY)
        self.seed = seed
        # A drill's blackouts take the place of the script's own outages (proctor.sim.drill).
        self.drill = load_drill(resources_dir() / "drills" / f"{drill}.toml") if drill else None
        self.room: RunningRoom | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="proctor-demo-"))
        self._room_thread: RoomThread | None = None
        self._sim_thread: threading.Thread | None = None
        self._sim_loop: asyncio.AbstractEventLoop | None = None
        self._sim_task: asyncio.Task[None] | None = None

    def start(self) -> RunningRoom:
        opts = RoomOptions(
            db=self._tmp / "room.db",
            first_start_at=parse_when(f"now+{LEAD_S * SCALE:g}s"),
            time_scale=SCALE,
        )
        self._room_thread = RoomThread(self.package, opts)
        self.room = self._room_thread.start_and_wait()
        self._sim_thread = threading.Thread(target=self._run_machines, name="demo-machines", daemon=True)
        self._sim_thread.start()
        return self.room

    def _run_machines(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(self._machines())

    async def _machines(self) -> None:
        assert self.room is not None
        self._sim_loop = asyncio.get_running_loop()
        self._sim_task = asyncio.current_task()
        url, script = self.room.url, make_script(self.package, self.seed)
        rng = random.Random(self.seed + 1)
        tally = Tally()
        started = time.monotonic()
        deadline = started + MACHINES_STAY_S
        outages = drill_outages(self.drill, script) if self.drill else script.outages
        lives = []
        for (mid, c), plan in zip(script.seats, script.plans, strict=True):
            if script.duplicate and mid == script.duplicate[0]:
                continue
            sim = SimMachine(url, self.package, mid, c, plan, tally, random.Random(rng.random()))
            if mid == script.skewed:
                sim.clock_skew_s = SKEWED_CLOCK_S
            lives.append(self._life(sim, started, deadline, outages.get(mid)))
        if script.duplicate:
            spare, victim = script.duplicate
            plan = Plan(login_after_s=DUPLICATE_AT_S, submit_after_s=None, save_every_s=SAVE_EVERY_S)
            sim = SimMachine(url, self.package, spare, victim, plan, tally, random.Random(rng.random()))
            lives.append(self._life(sim, started, deadline, None))
        await asyncio.gather(*lives)

    @staticmethod
    async def _life(sim: SimMachine, started: float, deadline: float, outage: tuple[float, float] | None) -> None:
        if outage is not None:
            drop_at, away = outage
            await sim.run(started, started + drop_at)  # the connection closes here: 离线
            await asyncio.sleep(away)
        await sim.run(started, deadline)

    def stop(self) -> None:
        # The room first: its server closes every machine's connection while the machines' loop
        # still runs to answer the close handshake. Cancelled first, machines can leave sockets
        # half-open and the server waits for them.
        if self._room_thread is not None:
            self._room_thread.stop()
        if self._sim_loop is not None and self._sim_task is not None:
            with contextlib.suppress(RuntimeError):  # the loop already finished
                self._sim_loop.call_soon_threadsafe(self._sim_task.cancel)
        if self._sim_thread is not None:
            self._sim_thread.join(5)
        shutil.rmtree(self._tmp, ignore_errors=True)


def drill_outages(drill: Drill, script: Script) -> dict[str, tuple[float, float]]:
    """The drill's blackouts as the demo's outages: (real second the machine drops, for how long)."""
    seated = [mid for mid, c in script.seats if c is not None]
    return {
        b.machine: (LEAD_S + b.dark_at / SCALE, (b.back_at - b.dark_at) / SCALE) for b in fault_plan(drill, 0.0, seated)
    }


def _sign_in_real_s(package: ExamPackage) -> float:
    """Real seconds from the start until sign-in closes (R07, from the package's profile)."""
    return load_policy(package.policy).sign_in_closes_after_start_min * 60 / SCALE


def timeline_text(package: ExamPackage, drill: Drill | None = None) -> str:
    sign_in = LEAD_S + _sign_in_real_s(package)
    if drill is not None:
        faults = "; ".join(
            f"{f.incident} at +{LEAD_S + f.at_min * 60 / SCALE:g} s until +{LEAD_S + f.back_min * 60 / SCALE:g} s"
            for f in drill.faults
        )
        return (
            f"demo drill {drill.id} ({drill.title}): exam clock ×{SCALE:g}; the sitting starts in {LEAD_S:g} s, "
            f"sign-in closes at +{sign_in:g} s; {faults}; 操作 → 演练评分 scores it"
        )
    return (
        f"demo: exam clock ×{SCALE:g}; the sitting starts in {LEAD_S:g} s, sign-in closes at +{sign_in:g} s, "
        f"machines drop off at +{OUTAGES[0][0]:g} s and +{OUTAGES[1][0]:g} s"
    )
