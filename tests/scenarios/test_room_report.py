"""The room report of a whole sitting (the report's issue): a full exam on the simulated clock with
absentees, two violations, a power incident, a reset, extra time with a provincial code, a
standalone detour, a transfer out and an arrival, a temporary leave, and the end; the PDFs' text
(via `pdftotext`) holds every one of them with the right numbers and names, and nothing of
another room; the report of another room's package on this room's log is refused.

One sitting is run once for the module; each test below checks one part of the printed forms, so
that a part the report gets wrong fails alone."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import json
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from proctor.clock import SimulatedClock
from proctor.domain import authcode
from proctor.domain.commands import (
    AddEvidence,
    AnswerIncident,
    EndExam,
    ExportStandalone,
    GrantExtraTime,
    ImportStandaloneResult,
    LeaveRoom,
    OpenIncident,
    RecordViolation,
    RequestAuthorization,
    ResetCandidate,
    ReturnToRoom,
    SignInProctors,
    TickClosing,
    TransferIn,
    TransferOut,
)
from proctor.domain.events import ClosingItem, Evidence, ExamEnded, SittingEnded, ViolationAct
from proctor.domain.package import Candidate, ExamPackage
from proctor.domain.violations import CATEGORY_OF
from proctor.link.auth import Credential
from proctor.package import load_package
from proctor.package.demo import generate
from proctor.package.writer import write_package
from proctor.report.render import ACT_WORDS, CATEGORY_WORDS
from proctor.resources import flow_files, load_flow, load_policy
from proctor.service import RoomService
from proctor.sim.standalone import run_offline
from proctor.store import EventLog
from tests.factories import proctor_report

MIN = 60.0
BY = ("林𠮷祥", "王芳")
CHIEF = "周建国"
THERE = ("陈立", "赵敏")  # the proctors of 第02考场
FLOWS = {f.id: f for f in map(load_flow, flow_files())}
# The tests send no heartbeats: a machine drops when the test says it does.
POLICY = dataclasses.replace(load_policy("economics-2021"), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)
START = datetime(2027, 5, 15, 8, 30, tzinfo=timezone(timedelta(hours=8)))
# Facts long enough to wrap over many lines of the report's narrow column; its two ends are checked.
FACTS_OWN_DEVICE = (
    "开考后第5分钟，监考员巡视时发现该考生左手置于桌下，持一部黑色智能手机（屏幕朝上，正在显示拍摄的试题画面），"
    "并与键盘交替操作。监考员当即上前制止，要求考生停止作答，暂扣手机一部，当场拍照取证（手机屏幕照片一张）。"
    "考生承认携带手机入场并在考试中使用，称系入场时未按要求存放。经两名监考员核实并确认，"
    "手机型号为某品牌X10，已封存于考场证物袋，编号SJ-0517-01，移交考点主考处理"
)
FACTS_SWITCHED_OFF = "考生在考试中长按电源键强行关闭考试机A02，监考员询问时称欲重新登录更换座位，经劝阻后重新开机"


def renumbered(pkg: ExamPackage, room_no: int) -> ExamPackage:
    """Tickets are the site's: room N's read …00N…, where the demo numbers every room alike."""

    def ticket(t: str) -> str:
        return t[:6] + f"{room_no:03d}" + t[9:]

    people = tuple(dataclasses.replace(c, ticket=ticket(c.ticket)) for c in pkg.candidates)
    sittings = tuple(dataclasses.replace(s, tickets=tuple(ticket(t) for t in s.tickets)) for s in pkg.sittings)
    return dataclasses.replace(pkg, candidates=people, sittings=sittings)


@dataclass
class Sat:
    """What the sitting did, for the assertions: who did what, on which machine, with which numbers."""

    pkg: ExamPackage
    db: Path
    package_dir: Path
    other: ExamPackage  # another room of the site, on disk: nothing of it belongs in this room's report
    other_dir: Path
    sender: ExamPackage  # the room an arrival came from
    people: dict[str, Candidate] = field(default_factory=dict)  # role -> candidate
    facts: dict[str, object] = field(default_factory=dict)
    last_seq: int = 0
    last_hash: str = ""


async def _sitting(tmp: Path) -> Sat:
    pkg = load_package(tmp / "pkg")
    sender = renumbered(generate(candidates=6, machines=8, seed=32, overbooked=True, room="第02考场", start=START), 2)
    seats = [m.id for m in pkg.machines if not m.spare]
    (spare,) = [m.id for m in pkg.machines if m.spare]
    c = pkg.candidates
    people = {
        "own_device": c[0],
        "switched_off": c[1],
        "reset": c[2],
        "code": c[3],
        "standalone": c[4],
        "power_a": c[5],
        "power_b": c[6],
        "leave": c[7],
        "out": c[8],
        "absent_a": c[9],
        "absent_b": c[10],
        "arrival": sender.candidates[2],
    }
    sat = Sat(pkg, tmp / "room.db", tmp / "pkg", load_package(tmp / "other"), tmp / "other", sender, people)
    clock = SimulatedClock(START.timestamp() - 10 * MIN)
    svc = RoomService(pkg, POLICY, EventLog(sat.db), clock, flows=FLOWS)
    there = RoomService(sender, POLICY, EventLog(tmp / "room02.db"), clock, flows=FLOWS)
    # The rooms of the site ask each other for a transferred candidate (proctor.host does it over TLS).
    svc.claim_from = lambda url, room, ticket: there.claim_transfer(pkg.room, ticket)
    there.claim_from = lambda url, room, ticket: svc.claim_transfer(sender.room, ticket)
    await svc.open()
    await there.open()
    try:
        await _exam(svc, there, clock, sat, seats, spare)
    finally:
        await svc.close()
        await there.close()
        svc.log.close()
        there.log.close()
    with EventLog(sat.db, readonly=True) as log:
        last = list(log.replay())[-1]
    sat.last_seq, sat.last_hash = last.seq, last.hash
    return sat


async def _exam(svc: RoomService, there: RoomService, clock: SimulatedClock, sat: Sat, seats, spare) -> None:
    pkg, p, facts = sat.pkg, sat.people, sat.facts
    start = START.timestamp()
    machine_of: dict[str, str] = {}
    seq: dict[str, int] = {}
    answering: set[str] = set()

    async def advance_to(minute: float) -> None:
        await clock.advance(start + minute * MIN - clock.now())

    async def login(who: Candidate, machine: str) -> None:
        ok = await svc.login(machine, who.ticket, who.id_number)
        machine_of[who.ticket] = machine
        seq[who.ticket] = ok["last_seq"]
        answering.add(who.ticket)

    async def saves() -> None:
        for t in sorted(answering):
            seq[t] += 1
            await svc.save(machine_of[t], t, seq[t], {"1": "ABCD"[seq[t] % 4], "2": f"第{seq[t]}次"}, seq[t])

    # T-10: the machines are on, the proctors sign in, eight candidates log in.
    for m in (*seats, spare):
        await svc.machine_connected(m)
    await svc.execute(SignInProctors(names=BY), ())
    await there.execute(SignInProctors(names=THERE), ())
    roles = ("own_device", "switched_off", "reset", "code", "standalone", "power_a", "power_b", "leave")
    for i, role in enumerate(roles):
        await login(p[role], seats[i])
    # The room is full: one arrival is transferred out (R35), and received by 第02考场.
    await svc.execute(TransferOut(ticket=p["out"].ticket, reason="本考场已满，无空闲机位"), BY)
    await there.execute(TransferIn(from_room=pkg.room, from_url="wss://192.0.2.1:8443", ticket=p["out"].ticket), THERE)
    # 第02考场 overflows too: one of its arrivals comes here (调入) and logs in.
    arrival = p["arrival"]
    await there.execute(TransferOut(ticket=arrival.ticket, reason="第02考场已满"), THERE)
    came = await svc.execute(
        TransferIn(from_room=sat.sender.room, from_url="wss://192.0.2.2:8443", ticket=arrival.ticket), BY
    )
    assert came["name"] == arrival.name
    await login(arrival, seats[8])

    # T0: the start. T+5: two violations, one with a photo as evidence.
    await advance_to(5)
    await saves()
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    digest = hashlib.sha256(photo).hexdigest()
    await svc.execute(
        AddEvidence(sha256=digest, size=len(photo), part=0, parts=1, data=base64.b64encode(photo).decode()), BY
    )
    evidence = Evidence(name="手机屏幕照片.jpg", sha256=digest, size=len(photo))
    facts["evidence"] = evidence
    facts["violation_machines"] = (machine_of[p["own_device"].ticket], machine_of[p["switched_off"].ticket])
    await svc.execute(
        RecordViolation(
            ticket=p["own_device"].ticket,
            act="own_device",
            facts=FACTS_OWN_DEVICE,
            evidence=(evidence,),
            confirmed_by=BY,
        ),
        BY,
    )
    await svc.execute(
        RecordViolation(
            ticket=p["switched_off"].ticket, act="switched_off_machine", facts=FACTS_SWITCHED_OFF, confirmed_by=BY
        ),
        BY,
    )

    # T+10 .. T+16: a temporary leave, escorted, and the return with the ID card checked.
    await advance_to(10)
    await saves()
    await svc.execute(LeaveRoom(ticket=p["leave"].ticket, reason="toilet", escort=BY[1]), BY)
    answering.discard(p["leave"].ticket)
    await advance_to(16)
    await svc.execute(ReturnToRoom(ticket=p["leave"].ticket, id_checked=True), BY)
    answering.add(p["leave"].ticket)

    # T+16: a machine fails; its candidate is reset onto the spare (R24) and logs in there at T+19.
    failed = machine_of[p["reset"].ticket]
    facts["reset"] = (failed, spare)
    await svc.machine_disconnected(failed, "heartbeat lost")
    answering.discard(p["reset"].ticket)
    await advance_to(17)
    await svc.machine_seen(spare)
    await svc.execute(ResetCandidate(ticket=p["reset"].ticket, machine=spare, reason="machine_fault"), BY)
    await advance_to(19)
    await login(p["reset"], spare)

    # T+20: the power fails at two machines; the incident is opened a minute later and walked
    # through its flowchart; the machines are back at T+26 and T+28.
    await advance_to(20)
    await saves()
    for role in ("power_a", "power_b"):
        await svc.machine_disconnected(machine_of[p[role].ticket], "heartbeat lost")
        answering.discard(p[role].ticket)
    await advance_to(21)
    hit = (p["power_a"].ticket, p["power_b"].ticket)
    n = (await svc.execute(OpenIncident(flow="power-failure-economics", tickets=hit), BY))["number"]
    facts["incident"] = n

    async def answer(a: str = "", note: str = "") -> dict:
        return await svc.execute(AnswerIncident(number=n, answer=a, note=note), BY)

    await answer()  # calm
    await answer(note="已报告考点主考，专职电工启用应急供电")  # restore
    await answer("考试中")
    for minute, role in ((26, "power_a"), (28, "power_b")):
        await advance_to(minute)
        await svc.machine_connected(machine_of[p[role].ticket])
        await login(p[role], machine_of[p[role].ticket])
    await advance_to(29)
    step = await answer("能")
    assert step["step"] == "extra_time"
    lost = svc.room.incidents[n].lost
    assert lost == {p["power_a"].ticket: 6, p["power_b"].ticket: 8}, lost
    facts["lost"] = lost
    for t, minutes in lost.items():
        await svc.execute(GrantExtraTime(tickets=(t,), minutes=minutes, reason="power"), BY)
    closed = await answer()
    assert closed["outcome"] == "went_on" and closed["closed_at"] is not None

    # T+35: 25 minutes for one candidate: over the direct 10, so with the province's code (R20).
    await advance_to(35)
    await saves()
    who = (p["code"].ticket,)
    asked = await svc.execute(RequestAuthorization(tickets=who, minutes=25), BY)
    key = bytes.fromhex(pkg.authcode_key)
    code = authcode.authorization_code(
        key, authcode.room_id(pkg.site, pkg.room), asked["request"], "extra_time", 25, who
    )
    await svc.execute(
        GrantExtraTime(
            tickets=who, minutes=25, reason="network", note="考试机网络中断", request=asked["request"], code=code
        ),
        BY,
    )
    facts["request"], facts["code"] = asked["request"], code

    # T+40: a machine neither a reset nor another machine helps: a standalone exam on a free
    # machine, with the chief examiner's consent; the result comes back at T+60.
    await advance_to(40)
    await saves()
    to = seats[9]
    reason = f"{machine_of[p['standalone'].ticket]} 显示器故障，重置后仍无法作答"
    out = await svc.execute(ExportStandalone(ticket=p["standalone"].ticket, machine=to, chief=CHIEF, reason=reason), BY)
    answering.discard(p["standalone"].ticket)
    facts["standalone"] = (machine_of[p["standalone"].ticket], to, reason)
    await advance_to(60)
    run = run_offline(Credential.machine(pkg.room_key, to), out["package"], saves=3)
    back = await svc.execute(ImportStandaloneResult(result=run.result), BY)
    assert (back["already"], back["saves"]) == (False, 3)

    # T+80: one candidate submits (economics: 15 minutes before their end); the others at their
    # own ends (T+90, +96, +98, +115); then the sitting ends and the proctors end the exam.
    await advance_to(80)
    await saves()
    await svc.submit(machine_of[p["leave"].ticket], p["leave"].ticket)
    answering.clear()
    await advance_to(115)
    await svc.run_due()
    events = [se.event for se in svc.log.replay()]
    assert [e.at for e in events if isinstance(e, SittingEnded)] == [start + 115 * MIN]
    for item in (ClosingItem.ABSENCES_REVIEWED, ClosingItem.VIOLATIONS_REVIEWED, ClosingItem.EXCEPTIONS_REVIEWED):
        await svc.execute(TickClosing(item=item), BY)
    ended = await svc.execute(EndExam(), BY)
    facts["end"] = ended["facts"]
    assert isinstance(list(svc.log.replay())[-1].event, ExamEnded)


@pytest.fixture(scope="module")
def sat(tmp_path_factory) -> Sat:
    tmp = tmp_path_factory.mktemp("room")
    write_package(
        generate(candidates=11, machines=12, seed=31, overbooked=True, room="第01考场", start=START), tmp / "pkg"
    )
    other = renumbered(generate(candidates=10, machines=12, seed=99, overbooked=True, room="第09考场", start=START), 9)
    write_package(other, tmp / "other")
    return asyncio.run(_sitting(tmp))


def report(sat: Sat, out: Path, *form: str, package: Path | None = None) -> subprocess.CompletedProcess:
    return proctor_report(package or sat.package_dir, sat.db, out, *form)


@dataclass(frozen=True)
class Printed:
    flat: str  # the PDF's text with every whitespace taken out
    rows: tuple[str, ...]  # its lines as laid out on the page (a table row's cells side by side), whitespace taken out
    pages: int


def pdf_text(pdf: Path, *layout: str) -> str:
    return subprocess.run(["pdftotext", *layout, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def printed(sat: Sat) -> dict[str, Printed]:
    out: dict[str, Printed] = {}
    for form, args in {
        "report": (),
        "violations": ("--form", "violations"),
        "transfers": ("--form", "transfers"),
        "incident": ("--form", "incident", "--incident", str(sat.facts["incident"])),
    }.items():
        pdf = sat.db.parent / f"{form}.pdf"
        run = report(sat, pdf, *args)
        assert run.returncode == 0, run.stderr
        rows = tuple("".join(line.split()) for line in pdf_text(pdf, "-layout").splitlines())
        out[form] = Printed(flat(pdf_text(pdf)), tuple(r for r in rows if r), json.loads(run.stdout)["pages"])
    return out


def flat(text: str) -> str:
    return "".join(text.split())


def part(text: str, start: str, end: str | None = None) -> str:
    """The text from the heading `start` to the heading `end` (exclusive)."""
    assert start in text, start
    rest = text[text.index(start) :]
    return rest[: rest.index(end)] if end else rest


def person(c: Candidate) -> str:
    return f"{c.name}（{c.ticket}）"


def has_row(p: Printed, *cells: str) -> bool:
    """Some line of the page holds these cells side by side, in this order."""
    joined = flat("".join(cells))
    return any(joined in row for row in p.rows)


def test_every_form_carries_its_title_the_room_and_its_page_numbers(sat, printed):
    titles = {
        "report": POLICY.report_form,  # economics: 考场情况记录单 (004 九(三))
        "violations": "考场违纪情况记录单",
        "transfers": "应试人员跨考场调动单",
        "incident": "突发事件处理记录",
    }
    assert POLICY.report_form == "考场情况记录单"
    for form, p in printed.items():
        assert p.flat.startswith(titles[form]), (form, p.flat[:40])
        assert sat.pkg.exam in p.flat and sat.pkg.site in p.flat and "考场第01考场" in p.flat, form
        assert "日期2027年05月15日" in p.flat, form
        for n in range(1, p.pages + 1):
            assert f"{n}/{p.pages}" in p.flat, (form, n)
    assert printed["report"].pages >= 2 and printed["violations"].pages == 2  # a sheet a violation


def test_the_sitting_counts_and_the_absentees_by_name_and_ticket(sat, printed):
    p, who = printed["report"], sat.people
    # Eleven expected (eleven in the package, one transferred out, one arrived), nine sat, two absent.
    assert has_row(
        p, "1", "经济基础知识", "08:30", "10:00", "10:25", "11", "9", "2", "9"
    )  # ended at 10:25 by the extra time
    absent = "、".join(person(who[r]) for r in ("absent_a", "absent_b"))
    assert f"缺考考生：{absent}" in p.flat
    assert person(who["out"]) not in part(p.flat, "一、", "二、")  # transferred out: not absent


def test_each_violation_with_name_ticket_full_id_number_act_and_facts(sat, printed):
    who, ev = sat.people, sat.facts["evidence"]
    table = part(printed["report"].flat, "二、违纪情况", "三、")
    sheets = printed["violations"].flat.split("考场违纪情况记录单")[1:]
    assert len(sheets) == 2
    for number, (role, act, facts) in enumerate(
        (("own_device", "own_device", FACTS_OWN_DEVICE), ("switched_off", "switched_off_machine", FACTS_SWITCHED_OFF)),
        start=1,
    ):
        c = who[role]
        words, category = ACT_WORDS[act], CATEGORY_WORDS[CATEGORY_OF[ViolationAct(act)].value]
        # The report's table: number, time, name and ID number on its first line; the ticket,
        # the act and its category, and the facts whole.
        assert has_row(printed["report"], str(number), "08:35:00", c.name, c.id_number), role
        for text in (c.ticket, words, category, flat(facts)):
            assert text in table, (role, text)
        # Its own sheet, for the candidate's and the proctors' signatures.
        sheet = sheets[number - 1]
        assert f"记录编号{number}姓名{c.name}准考证号{c.ticket}有效身份证件号{c.id_number}" in sheet
        assert f"发现时间2027-05-1508:35:00违纪违规行为{words}认定{category}行为事实{flat(facts)}" in sheet
        assert "确认监考员林𠮷祥、王芳" in sheet
        for role_ in ("应试人员签字", "监考员签字", "主考签字"):
            assert role_ in sheet, (number, role_)
    evidence = f"（{ev.size}字节，SHA-256{ev.sha256[:16]}…）"
    assert evidence in table and f"证据{ev.name}{evidence}" in sheets[0] and "证据—" in sheets[1]
    assert "开考后第5分钟" in table and "编号SJ-0517-01，移交考点主考处理" in table  # the long facts, both ends


def test_each_violation_sheet_names_the_exam_machine_the_candidate_sat_at(sat, printed):
    """考场违纪情况记录单's 考试机: where the candidate was answering, from the log. In an
    overbooked room nobody has a seat in the package, so the package's seat is no answer."""
    sheets = printed["violations"].flat.split("考场违纪情况记录单")[1:]
    for sheet, machine in zip(sheets, sat.facts["violation_machines"], strict=True):
        printed_machine = part(sheet, "考试机", "发现时间")[len("考试机") :]
        assert printed_machine == machine, (
            f"the violation sheet prints 考试机 {printed_machine!r} for a candidate logged in on {machine}: "
            "render.violations_html takes the package's seat (None in an overbooked room, and the old seat "
            "after a reset), not the machine the candidate was at when the violation was recorded"
        )


def test_the_power_incident_with_its_steps_and_each_candidates_lost_minutes(sat, printed):
    who, flow = sat.people, FLOWS["power-failure-economics"]
    a, b = who["power_a"], who["power_b"]
    for form in ("report", "incident"):
        text = printed[form].flat
        if form == "report":
            text = part(text, "三、突发事件", "四、")
        assert f"1.{flat(flow.title)}08:51:00—08:59:00" in text, form
        assert f"受影响考生：{person(a)}、{person(b)}" in text, form
        assert f"损失时间：{person(a)}6分钟、{person(b)}8分钟" in text, form
        assert f"处理结果：{flat(flow.steps['went_on'].report)}" in text, form
        assert "已报告考点主考，专职电工启用应急供电" in text, form  # a step's note
    for step, answer in (("when", "考试中"), ("answering", "能")):
        assert has_row(printed["incident"], flow.steps[step].text, answer, "林𠮷祥、王芳"), step
    assert printed["incident"].flat.count("监考员签字：") == 2 and "主考签字：" in printed["incident"].flat


def test_the_reset_the_extra_time_the_standalone_detour_and_the_leave_in_the_operations(sat, printed):
    p, who, f = printed["report"], sat.people, sat.facts
    ops = part(p.flat, "四、考务操作", "五、")
    failed, spare = f["reset"]
    assert has_row(p, "08:47:00", "重置", person(who["reset"]), f"{failed} → {spare}（考试机故障）", "林𠮷祥、王芳")
    # The incident's extra time, each candidate their own minutes, directly (≤ 10).
    assert has_row(p, "08:59:00", "补时", person(who["power_a"]), "6 分钟（停电，监考员补时）")
    assert has_row(p, "08:59:00", "补时", person(who["power_b"]), "8 分钟（停电，监考员补时）")
    # 25 minutes: over the direct tier, with the request read to the province and its code.
    assert has_row(p, "09:05:00", "补时", person(who["code"]), "25 分钟（网络故障，省级考试机构授权")
    assert f"25分钟（网络故障，省级考试机构授权，申请码{f['request']}，授权码{f['code']}）" in ops
    left, to, reason = f["standalone"]
    assert has_row(p, "09:10:00", "单机考试", person(who["standalone"]), f"{left} → {to}，主考 {CHIEF} 同意")
    assert flat(f"{left} → {to}，主考 {CHIEF} 同意：{reason}") in ops
    assert has_row(p, "结束考试", "全考场", "第 1 场：第 1 场考试时间已结束")  # with what its check list read
    assert has_row(p, "09:30:00", "单机作答回收", person(who["standalone"]), "回收作答 3 次", "林𠮷祥、王芳")
    assert has_row(p, "08:40:00", "暂离", person(who["leave"]), f"如厕，陪同 {BY[1]}", "林𠮷祥、王芳")
    assert has_row(p, "08:46:00", "返回考场", person(who["leave"]), "离开 6 分钟", "林𠮷祥、王芳")


def test_the_transfer_out_and_the_arrival_on_the_report_and_the_transfer_slip(sat, printed):
    out, came = sat.people["out"], sat.people["arrival"]
    for form in ("report", "transfers"):
        p = printed[form]
        assert has_row(p, "调出", out.ticket, out.name, "08:20:00", sat.sender.room, "已被调入"), form
        assert has_row(p, "调入", came.ticket, came.name, "08:20:00", sat.sender.room, "已调入本考场"), form
    assert "主考签字" in printed["transfers"].flat


def test_the_signature_lines_and_the_digest_of_the_logs_last_event(sat, printed):
    p = printed["report"].flat
    assert "监考员（签到）：林𠮷祥、王芳" in p
    assert p.count("监考员签字：") == 2 and p.count("主考签字：") == 1
    assert f"考场日志校验：第{sat.last_seq}条事件摘要{sat.last_hash}" in p
    assert part(p, "七、").index("主考签字") < part(p, "七、").index(sat.last_hash)


def test_nothing_of_another_room_is_printed(sat, printed):
    strangers = [
        *sat.other.candidates,
        *(c for c in sat.sender.candidates if c.ticket != sat.people["arrival"].ticket),
    ]
    assert not {c.ticket for c in strangers} & {c.ticket for c in sat.pkg.candidates}  # the site's tickets differ
    for form, p in printed.items():
        for c in strangers:
            for what in (c.name, c.ticket, c.id_number):
                assert what not in p.flat, (form, c.name, what)
        assert sat.other.room not in p.flat, form
    arrival = sat.people["arrival"]
    assert arrival.id_number not in printed["report"].flat  # this room keeps it masked only


def test_the_report_of_another_rooms_package_on_this_rooms_log_is_refused(sat):
    pdf = sat.db.parent / "another.pdf"
    run = report(sat, pdf, package=sat.other_dir)
    assert run.returncode == 1, run.stdout
    assert "该日志不属于本考场的考务数据" in run.stderr and not pdf.exists()
