"""The room report's content, built from the log alone (no rendering): an absentee, a violation
with its facts and the full ID number, extra time with who granted it, a reset, a leave, a power
incident with its steps, outcome and the minutes lost, the proctors signed in, and the digest of
the last event; nothing of another room."""

import asyncio
import dataclasses

from proctor.clock import SimulatedClock
from proctor.domain.commands import (
    AnswerIncident,
    DelayStart,
    GrantExtraTime,
    LeaveRoom,
    OpenIncident,
    RecordViolation,
    ResetCandidate,
    ReturnToRoom,
    SignInProctors,
)
from proctor.report.content import build
from proctor.resources import flow_files, load_flow
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy, proctor_report

MIN = 60.0
BY = ("林𠮷祥", "王芳")
FLOWS = {f.id: f for f in map(load_flow, flow_files())}
POLICY = dataclasses.replace(national_policy(), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)


async def exam(tmp_path):
    pkg = make_package(candidates=5, machines=7)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
    await svc.open()
    a, b, c, d, absent = pkg.candidates
    for x in (a, b, c, d):
        await svc.machine_connected(x.seat)
        await svc.login(x.seat, x.ticket, x.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await svc.execute(DelayStart(minutes=5, reason="power", consent="市考试院 赵敏"), BY)
    await clock.advance(25 * MIN)  # minute 10 of the delayed start
    await svc.execute(
        RecordViolation(
            ticket=b.ticket, act="own_device", facts="考生使用自带手机查阅资料，已暂扣手机", confirmed_by=BY
        ),
        BY,
    )
    await svc.execute(LeaveRoom(ticket=c.ticket, reason="toilet", escort="王芳"), BY)
    await clock.advance(4 * MIN)
    await svc.execute(ReturnToRoom(ticket=c.ticket, id_checked=True), BY)
    await svc.machine_disconnected(a.seat, "heartbeat lost")
    await svc.machine_seen("A06")
    await svc.execute(ResetCandidate(ticket=a.ticket, machine="A06", reason="machine_fault"), BY)
    await clock.advance(3 * MIN)
    await svc.login("A06", a.ticket, a.id_number)
    await svc.execute(GrantExtraTime(tickets=(a.ticket,), minutes=3, reason="machine_fault"), BY)
    n = (await svc.execute(OpenIncident(flow="power-failure", tickets=(d.ticket,)), BY))["number"]
    for answer in ("", "", "done", "", ""):
        await svc.execute(AnswerIncident(number=n, answer=answer, note="已报告考点主考" if answer == "" else ""), BY)
        await clock.advance(MIN)
    report = build(pkg, POLICY, svc.log.replay(), FLOWS)
    last = list(svc.log.replay())[-1]
    await svc.close()
    svc.log.close()
    return pkg, report, last


def test_the_report_holds_every_record_of_the_room(tmp_path):
    pkg, report, last = asyncio.run(exam(tmp_path))
    a, b, c, d, absent = pkg.candidates
    (sitting,) = report.sittings
    assert (sitting.expected, sitting.present) == (5, 4)
    assert [p.ticket for p in sitting.absent] == [absent.ticket]
    (v,) = report.violations
    assert (v.who.ticket, v.who.id_number, v.act, v.confirmed_by) == (b.ticket, b.id_number, "own_device", BY)
    assert "自带手机" in v.facts
    kinds = [(e.kind, e.who[0].ticket) for e in report.entries if e.who]
    assert ("leave", c.ticket) in kinds and ("return", c.ticket) in kinds
    assert ("reset", a.ticket) in kinds and ("extra_time", a.ticket) in kinds
    extra = next(e for e in report.entries if e.kind == "extra_time")
    assert "3 分钟（考试机故障，监考员补时）" in extra.what and extra.by == BY
    delay = next(e for e in report.entries if e.kind == "delayed_start")
    assert delay.what == "第 1 场延迟 5 分钟开考（停电；市级考试机构 市考试院 赵敏 同意）" and delay.who == ()
    assert sitting.start == START + 5 * MIN
    leave = next(e for e in report.entries if e.kind == "leave")
    assert leave.what == "如厕，陪同 王芳"
    (i,) = report.incidents
    assert [p.ticket for p in i.affected] == [d.ticket] and i.closed_at is not None
    assert "一般突发事件" in i.outcome and i.steps[0].note == "已报告考点主考"
    assert [(p.ticket, m) for p, m in i.lost] == [(d.ticket, 2)]  # opened, repaired two minutes later
    assert report.proctors == BY and report.machines == 5 and report.spares == 2
    assert (report.last_seq, report.last_hash) == (last.seq, last.hash)


def test_the_report_is_printed_from_the_log_alone_and_refuses_another_rooms_log(tmp_path):
    import subprocess

    from proctor.package import load_package
    from proctor.package.demo import generate
    from proctor.package.writer import write_package

    write_package(generate(candidates=5, machines=7, start=None, seed=4), tmp_path / "pkg")
    pkg = load_package(tmp_path / "pkg")
    absent = pkg.candidates[-1]

    async def served():
        clock = SimulatedClock(pkg.sittings[0].start - 10 * MIN)
        svc = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
        await svc.open()
        for x in pkg.candidates[:-1]:
            await svc.machine_connected(x.seat)
            await svc.login(x.seat, x.ticket, x.id_number)
        await svc.execute(SignInProctors(names=BY), ())
        await clock.advance(50 * MIN)  # sign-in has closed: the last candidate is absent
        b = pkg.candidates[1]
        await svc.execute(
            RecordViolation(ticket=b.ticket, act="own_device", facts="考生使用自带手机查阅资料", confirmed_by=BY), BY
        )
        last = list(svc.log.replay())[-1]
        await svc.close()
        svc.log.close()
        return last

    last = asyncio.run(served())

    def report(package_dir, out, *form):
        return proctor_report(package_dir, tmp_path / "room.db", out, *form)

    pdf = tmp_path / "report.pdf"
    run = report(tmp_path / "pkg", pdf)
    assert run.returncode == 0, run.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    b = pkg.candidates[1]
    assert "考场情况报告单" in flat and b.id_number in flat and "自带手机" in flat
    assert "使用自带外接设备" in flat and "严重违纪违规" in flat  # the act and its category in 004 附件3's words
    assert absent.ticket in flat and last.hash in flat and "1/1" in flat
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 3  # two heading lines and the digest's QR code
    write_package(generate(candidates=2, machines=3, seed=5, room="第99考场"), tmp_path / "other")
    refused = report(tmp_path / "other", tmp_path / "x.pdf")
    assert refused.returncode == 1 and "不属于本考场" in refused.stderr

    sheet = tmp_path / "violations.pdf"
    run = report(tmp_path / "pkg", sheet, "--form", "violations")
    assert run.returncode == 0, run.stderr
    flat = "".join(subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout.split())
    assert "考场违纪情况记录单" in flat and b.name in flat and b.id_number in flat and "应试人员签字" in flat
    run = report(tmp_path / "pkg", tmp_path / "i.pdf", "--form", "incident", "--incident", "9")
    assert run.returncode == 1 and "没有第9号突发事件" in run.stderr.replace(" ", "")
