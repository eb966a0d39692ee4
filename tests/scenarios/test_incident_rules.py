"""Each exam's own decision rules, walked through the service on the simulated clock, one
flowchart path per rule row at its boundary: the national 30 minutes (R39/R40), Wenzhou's hour
and the next sitting (R41, R42, R43), the CPA network fault by when it happens (R47), Beijing's power
failure (R48) and question error (R49), the upload failure (R50), mass cheating, strikes and
violence (R51), illness (R52)."""

import asyncio
import dataclasses

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.commands import AnswerIncident, OpenIncident, SignInProctors
from proctor.domain.refusal import Refused
from proctor.resources import flow_files, load_flow, load_policy
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package

MIN = 60.0
BY = ("林𠮷祥", "王芳")
FLOWS = {f.id: f for f in map(load_flow, flow_files())}


def policy(profile):
    # The tests send no heartbeats: machines stay online.
    return dataclasses.replace(load_policy(profile), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)


async def walked(tmp_path, profile, flow, path, *, at_min=20):
    """Open `flow` at minute `at_min` and answer `path` in turn: a number advances the clock that
    many minutes (a timer's time), a string answers the current step. The incident's run."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    pkg = make_package(candidates=3, machines=4)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, policy(profile), EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance((10 + at_min) * MIN)
    n = (await svc.execute(OpenIncident(flow=flow), BY))["number"]
    try:
        for item in path:
            if isinstance(item, (int, float)):
                await clock.advance(item * MIN)
            else:
                await svc.execute(AnswerIncident(number=n, answer=item), BY)
        return svc.room.incidents[n]
    finally:
        await svc.close()
        svc.log.close()


def walk(tmp_path, profile, flow, path, **kw):
    return asyncio.run(walked(tmp_path, profile, flow, path, **kw))


def visited(run):
    return [s["step"] for s in run.steps]


# -- R39/R40: the national plan's 30 minutes --------------------------------------------------------


def test_r39_repaired_a_second_before_30_minutes_is_general_with_the_provinces_consent(tmp_path):
    run = walk(tmp_path, "national-accounting", "power-failure", ["", "", 30 - 1 / 60, "done", "", ""])
    assert run.outcome == "general_done" and "省级考试管理机构同意" in run.report
    assert visited(run)[-2:] == ["report_general", "extra_time"]  # the province, then 补时


def test_r40_at_30_minutes_it_is_major_and_goes_up_the_chain(tmp_path):
    with pytest.raises(Refused) as no:  # a second before: the timer still runs
        walk(tmp_path, "national-accounting", "power-failure", ["", "", 30 - 1 / 60, "expired"])
    assert no.value.code == "timer_running"
    run = walk(tmp_path / "b", "national-accounting", "power-failure", ["", "", 30, "expired", ""])
    assert run.step == "decision" and visited(run)[-1] == "report_major"
    assert FLOWS["power-failure"].steps["report_major"].to.value == "province"


# -- R41–R43: Wenzhou's hour and the next sitting ---------------------------------------------------


def test_r41_wenzhou_repaired_within_the_hour_extends_the_end(tmp_path):
    with pytest.raises(Refused) as no:
        walk(tmp_path, "wenzhou-accounting", "power-failure-wenzhou", ["", 60 - 1 / 60, "expired"])
    assert no.value.code == "timer_running" and "60 分钟" in no.value.zh
    run = walk(tmp_path / "b", "wenzhou-accounting", "power-failure-wenzhou", ["", 59, "done", ""])
    assert run.outcome == "went_on" and visited(run)[-1] == "extra_time"


def test_r42_wenzhou_past_the_hour_with_the_next_sitting_unaffected_extends_with_the_provinces_consent(tmp_path):
    """R42 [000 第七条(二)]: asked only once the hour has passed."""
    run = walk(tmp_path, "wenzhou-accounting", "power-failure-wenzhou", ["", 60, "expired", "不影响", "", ""])
    assert run.outcome == "went_on_agreed" and visited(run)[-3:] == [
        "next_sitting",
        "ask_province",
        "extra_time_agreed",
    ]


def test_r43_wenzhou_past_the_hour_with_the_next_sitting_affected_stops(tmp_path):
    run = walk(tmp_path, "wenzhou-accounting", "power-failure-wenzhou", ["", 60, "expired", "影响"])
    assert run.outcome == "stop" and run.closed_at is not None


# -- R47: the CPA network fault, by when it happens -------------------------------------------------


@pytest.mark.parametrize(
    "when, outcome",
    [("考试中", "no_effect"), ("考试结束时（局域网）", "leave")],
)
def test_r47_a_network_fault_after_the_start_does_not_stop_the_exam(tmp_path, when, outcome):
    run = walk(tmp_path, "cpa-2014", "network-cpa", [when])
    assert run.outcome == outcome and run.closed_at is not None


def test_r47_a_network_fault_before_the_start_runs_the_50_minutes_from_the_start(tmp_path):
    run = walk(tmp_path, "cpa-2014", "network-cpa", ["开考前", ""], at_min=-5)
    assert run.step == "repair" and run.deadline == START + 50 * MIN


# -- R48–R52: Beijing's power and question error, upload failure, disorder, illness ------------------


@pytest.mark.parametrize(
    "path, outcome",
    [
        (["", "", "影响考生考试", ""], "backup_done"),  # backup power, the exam goes on
        (["", "", "区域大面积停电", "", "", "取消本次考试"], "cancelled"),  # the city decides
        (["", "", "区域大面积停电", "", "", "重新安排考试"], "rescheduled"),
    ],
)
def test_r48_beijing_power_failure_backup_power_or_the_citys_decision(tmp_path, path, outcome):
    run = walk(tmp_path, "beijing-accounting", "power-failure-beijing", path)
    assert run.outcome == outcome


def test_r49_beijing_question_error_notifies_the_candidates_when_time_allows(tmp_path):
    run = walk(tmp_path, "beijing-accounting", "question-error-beijing", ["", "时间允许", "", ""])
    assert run.outcome == "informed" and "notice" in visited(run)
    run = walk(tmp_path / "b", "beijing-accounting", "question-error-beijing", ["", "时间不允许"])
    assert run.outcome == "no_time"


def test_r50_an_upload_failure_is_backed_up_and_reported(tmp_path):
    run = walk(tmp_path, "national-accounting", "upload-failure", ["", ""])
    assert visited(run) == ["backup", "report"] and run.outcome == "later"


@pytest.mark.parametrize(
    "flow, path, outcome, recorded",
    [
        ("mass-cheating", ["", "", "", "不封闭", "请公安机关协助调查", ""], "handled_police", "record"),
        ("candidate-strike", ["", "不服从劝解", "", "", ""], "stopped", "record"),
        ("violence", ["", "不服从劝解、情节严重", "", "报警，请公安机关协助", "", ""], "reported", "record_serious"),
    ],
)
def test_r51_disorder_is_reported_up_recorded_and_the_police_called_where_the_plan_says(
    tmp_path, flow, path, outcome, recorded
):
    run = walk(tmp_path, "national-accounting", flow, path)
    assert run.outcome == outcome and recorded in visited(run)
    ups = [s for s in visited(run) if FLOWS[flow].steps[s].kind.value == "escalate"]
    assert ups, "reported up"


def test_r52_an_epidemic_isolates_and_a_critical_illness_calls_the_ambulance(tmp_path):
    run = walk(tmp_path, "national-accounting", "illness-epidemic", ["疑似流行性疾病", ""])
    assert run.outcome == "isolated"
    run = walk(tmp_path / "b", "national-accounting", "illness-epidemic", ["危重疾病症状", "", ""])
    assert run.outcome == "sent" and visited(run) == ["which", "ambulance", "give_up"]
    run = walk(tmp_path / "c", "beijing-accounting", "critical-illness", ["", "", "", ""])
    assert run.outcome == "sent" and "hospital" in visited(run)


def test_r61_beijing_asks_the_district_head_before_making_up_one_candidates_time(tmp_path):
    run = walk(tmp_path, "beijing-accounting", "machine-crash-beijing", ["能在短时间内排除", "", "不补时"])
    assert run.outcome == "no_extra" and visited(run) == ["repair", "ask_head", "decision"]
    run = walk(tmp_path / "b", "beijing-accounting", "machine-crash-beijing", ["耽误时间过长"])
    assert run.outcome == "reschedule"


def test_hostile_incident_and_drill_commands_are_refused_and_change_nothing(tmp_path):
    """Out-of-range numbers, over-long notes and unknown ids, as a hostile console would send them."""
    import msgspec

    from proctor.domain.commands import AnyCommand, ScoreDrill

    for raw in (
        b'{"c":"answer_incident","number":9999999999999,"answer":""}',
        b'{"c":"answer_incident","number":-1,"answer":""}',
        b'{"c":"answer_incident","number":1,"note":"' + b"x" * 201 + b'"}',
        b'{"c":"open_incident","flow":"' + b"f" * 33 + b'"}',
        b'{"c":"score_drill","drill":""}',
    ):
        try:
            msgspec.json.decode(raw, type=AnyCommand)
        except msgspec.ValidationError:
            continue
        raise AssertionError(f"decoded: {raw[:60]!r}")
    ok = msgspec.json.decode(b'{"c":"answer_incident","number":1,"note":"ok"}', type=AnyCommand)
    assert ok == AnswerIncident(number=1, note="ok")  # the same shape within bounds decodes

    async def main():
        pkg = make_package(candidates=2, machines=3)
        tmp_path.mkdir(parents=True, exist_ok=True)
        svc = RoomService(pkg, policy("national-accounting"), EventLog(tmp_path / "room.db"), SimulatedClock(START))
        await svc.open()
        await svc.execute(SignInProctors(names=BY), ())
        before = len(list(svc.log.replay()))
        for cmd, code in (
            (AnswerIncident(number=2**31, answer="done"), "unknown_incident"),
            (OpenIncident(flow="../../etc"), "unknown_flow"),
            (ScoreDrill(drill="nope"), "unknown_drill"),
        ):
            with pytest.raises(Refused) as no:
                await svc.execute(cmd, BY)
            assert no.value.code == code
        assert len(list(svc.log.replay())) == before
        await svc.close()
        svc.log.close()

    asyncio.run(main())
