"""A drill (演练) on the simulated clock: the power-failure drill takes half the room's machines
dark at minute 20 and back at minute 45; a trainee who handles it by the plan scores every
point, one who passes the extra-time step without granting it is scored down for that step and
for the minutes not given, and the score names both."""

import asyncio
import dataclasses
from pathlib import Path

import pytest

from proctor.clock import SimulatedClock
from proctor.domain import authcode
from proctor.domain.commands import (
    AnswerIncident,
    GrantExtraTime,
    OpenIncident,
    RequestAuthorization,
    ScoreDrill,
    SignInProctors,
)
from proctor.domain.drill import DrillError, parse
from proctor.domain.refusal import Refused
from proctor.resources import drill_files, flow_files, load_drill, load_flow
from proctor.service import RoomService
from proctor.sim.drill import fault_plan, machines_in_use, run_in_service
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))
FLOWS = {f.id: f for f in map(load_flow, flow_files())}
DRILLS = {d.id: d for d in map(load_drill, drill_files())}
POLICY = dataclasses.replace(national_policy(), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)


async def drilled(tmp_path, *, skip_extra_time: bool):
    pkg = make_package(candidates=8, machines=9)
    room = authcode.room_id(pkg.site, pkg.room)
    key = authcode.room_code_key(MASTER, room)
    pkg = dataclasses.replace(pkg, authcode_key=key.hex())
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS, drills=DRILLS)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    plan = fault_plan(DRILLS["power-failure"], START, machines_in_use(pkg))
    assert [b.machine for b in plan] == ["A01", "A02", "A03", "A04"]  # half the room
    faults = asyncio.create_task(run_in_service(svc, plan))

    async def answer(n, a=""):
        return await svc.execute(AnswerIncident(number=n, answer=a), BY)

    await clock.advance(32 * MIN)  # minute 22: the trainee opens the plan for those offline
    offline = tuple(t for t, c in svc.room.sitting.candidates.items() if "offline" in {f.value for f in c.flags})
    assert len(offline) == 4
    n = (await svc.execute(OpenIncident(flow="power-failure", tickets=offline), BY))["number"]
    await answer(n)  # calm
    await answer(n)  # report to the site: the 30 minutes run
    await clock.advance(23 * MIN)  # minute 45: power back, the machines come back
    await answer(n, "done")
    await clock.advance(MIN)
    step = await answer(n)  # the province agrees: the extra-time step, the minutes measured
    assert step["step"] == "extra_time" and set(step["lost"].values()) == {25}
    if not skip_extra_time:
        asked = await svc.execute(RequestAuthorization(tickets=offline, minutes=25), BY)
        code = authcode.authorization_code(key, room, asked["request"], "extra_time", 25, offline)
        await svc.execute(
            GrantExtraTime(tickets=offline, minutes=25, reason="power", request=asked["request"], code=code), BY
        )
    await answer(n)  # on to the outcome
    score = await svc.execute(ScoreDrill(drill="power-failure"), BY)
    await faults
    await svc.close()
    svc.log.close()
    return score


def test_a_trainee_who_follows_the_plan_scores_every_point(tmp_path):
    score = asyncio.run(drilled(tmp_path, skip_extra_time=False))
    failed = [c for c in score["checks"] if not c["ok"]]
    assert failed == [] and score["points"] == score["total"] >= 6
    whats = [c["what"] for c in score["checks"]]
    assert any("5 分钟内启动应急处理" in w for w in whats) and "按每名考生损失的时间补时" in whats


def test_a_trainee_who_skips_the_extra_time_step_is_scored_down_for_it(tmp_path):
    score = asyncio.run(drilled(tmp_path, skip_extra_time=True))
    failed = {c["what"]: c["detail"] for c in score["checks"] if not c["ok"]}
    assert score["points"] == score["total"] - 2
    (skipped,) = [w for w in failed if w.startswith("执行操作：")]
    assert "补足" in skipped and "跳过" in failed[skipped]
    assert "应补 25 分钟、实补 0 分钟" in failed["按每名考生损失的时间补时"]


def test_an_unknown_drill_is_refused_and_a_broken_one_is_not_read(tmp_path):
    async def main():
        pkg = make_package(candidates=2, machines=3)
        svc = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), SimulatedClock(START), drills=DRILLS)
        await svc.open()
        with pytest.raises(Refused) as no:
            await svc.execute(ScoreDrill(drill="../../etc/passwd"), BY)
        assert no.value.code == "unknown_drill"
        before = (await svc.execute(ScoreDrill(drill="power-failure"), BY))["checks"]
        assert [c["ok"] for c in before] == [False]  # not started: nothing to score yet
        await svc.close()
        svc.log.close()

    asyncio.run(main())
    base = {"id": "x", "title": "x", "cite": "004 x: y"}
    for faults, words in (
        ([], "no faults"),
        ([{"at_min": 20, "back_min": 10, "incident": "power", "share": 0.5}], "comes back before"),
        ([{"at_min": 20, "back_min": 30, "incident": "power"}], "no machines and no share"),
        ([{"at_min": "soon", "back_min": 30, "incident": "power"}], "soon"),
    ):
        with pytest.raises(DrillError, match=words):
            parse({**base, "faults": faults}, "x.toml")


SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside this checkout")
@pytest.mark.parametrize("drill", sorted(DRILLS), ids=str)
def test_every_drill_quotes_the_seed_that_asks_for_drills_and_names_a_shipped_incident(drill):
    from tests.domain.test_flows import normalised

    d = DRILLS[drill]
    number, _, quote = d.cite.partition(" ")
    (seed,) = SEEDS.glob(f"{number}_*.txt")
    assert normalised(quote.split(": ", 1)[1]) in normalised(seed.read_text(encoding="utf-8"))
    assert {f.incident for f in d.faults} <= {f.incident for f in FLOWS.values()}
