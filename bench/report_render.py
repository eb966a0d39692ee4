#!/usr/bin/env python3
"""Report render: how long the room situation report (考场情况报告单) takes to build and to print.

    python bench/report_render.py [--runs 5] [--candidates 130] [--keep DIR]

First a busy exam is played through the real room service on a simulated clock, into a real
event log in a temporary folder: 130 candidates (a demo package) of whom 6 are absent and one
arrives late, 20 violations, 3 incidents walked through their flowcharts (a question error with
its correction notice, a machine crash reset onto a spare, a power failure on one row), extra
time, resets, notices, temporary leaves, a candidate who gives up, saves every 10 minutes, and
the end with everyone submitted. Then, in this process, the report pipeline as `proctor report`
runs it: `build` from the package, the profile and the log (replayed), then `report_html` and
`write_pdf` with the digest's QR code. One warm-up, then the median of `--runs` runs of each.

Reading the output (one JSON line on stdout; progress on stderr):
- build_s: reading the log (SQLite) and replaying it into the report's data; render_s: the HTML
  plus laying out and writing the PDF (A4, fonts embedded). Medians, seconds, wall clock.
- pages (pdfinfo), pdf_kb: the PDF of the last run. fonts / fonts_embedded: the fonts `pdffonts`
  lists and whether every one is embedded (a report printed elsewhere must look the same).
- candidates: in the package; violations, incidents, events: counted in the log.
Exit code 0 only if every font is embedded; on any failure the line is {"error": true, ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from proctor.clock import SimulatedClock  # noqa: E402
from proctor.domain.commands import (  # noqa: E402
    AnswerIncident,
    CheckIdentity,
    GiveUp,
    GrantExtraTime,
    LeaveRoom,
    OpenIncident,
    RecordViolation,
    ResetCandidate,
    ReturnToRoom,
    SendNotice,
    SignInProctors,
)
from proctor.domain.events import (  # noqa: E402
    ExtraTimeReason,
    LeaveReason,
    NoticeKind,
    ResetKind,
    ResetReason,
    ViolationAct,
    ViolationCategory,
)
from proctor.domain.package import ExamPackage  # noqa: E402
from proctor.domain.room import State  # noqa: E402
from proctor.fonts import font_chain  # noqa: E402
from proctor.package import load_package  # noqa: E402
from proctor.package.demo import write_demo  # noqa: E402
from proctor.report.content import build  # noqa: E402
from proctor.report.render import QR_DIGEST, digest_text, report_html, write_pdf  # noqa: E402
from proctor.resources import load_policy, shipped_flows  # noqa: E402
from proctor.service import RoomService  # noqa: E402
from proctor.store import EventLog  # noqa: E402

MIN = 60.0
START = datetime(2027, 5, 15, 8, 30, tzinfo=timezone(timedelta(hours=8)))
BY = ("林晓燕", "王建军")  # the two proctors signed in
ABSENT = 6  # the last six never come
SAVE_EVERY_MIN = 10

# (act, facts): what the proctors wrote, in their words.
VIOLATIONS = [
    (ViolationAct.OWN_DEVICE, "考生在考试过程中使用自带手机查阅资料，监考员当场发现，已暂扣手机并拍照留存。"),
    (ViolationAct.MARKED_ANSWERS, "考生在电子答卷的简答题作答区内写入本人姓名，经两名监考员核实。"),
    (ViolationAct.SWITCHED_OFF_MACHINE, "考生擅自按下主机电源键重启考试机，经技术人员确认非设备故障。"),
    (ViolationAct.MOVED_EQUIPMENT, "考生将显示屏大幅转向过道一侧，经监考员两次提醒后仍未恢复。"),
    (ViolationAct.OWN_DEVICE, "考生佩戴智能手表，表盘显示与考试内容相关的文字，已暂扣。"),
    (ViolationAct.SWAPPED_OR_DAMAGED_EQUIPMENT, "考生擅自拔下考试机键盘并更换为自带键盘。"),
    (ViolationAct.CHEATING_TOOL, "考生插入自带 U 盘试图运行程序，技术人员确认为作弊工具，已封存 U 盘。"),
    (ViolationAct.OTHER, "考生在考试期间与邻座考生交谈，经监考员制止后仍继续，已记录在案。"),
]
LEAVES = 6  # temporary leaves, each back within a few minutes


def say(text: str) -> None:
    print(f"report_render: {text}", file=sys.stderr, flush=True)


def machines_for(n: int) -> int:
    """The smallest machine count whose regular seats (R01: ~5% spares) hold n candidates."""
    total = n + 1
    while total - max(1, (total * 5 + 50) // 100) < n:
        total += 1
    return total


async def play_exam(package: ExamPackage, db: Path) -> None:
    """A whole busy exam of the package's first sitting, through the room service, into `db`."""
    # The machines send no heartbeats here: none drops unless the scenario says so.
    policy = dataclasses.replace(
        load_policy(package.policy), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000
    )
    sitting = package.sittings[0]
    t0 = sitting.start
    clock = SimulatedClock(t0 - 35 * MIN)
    svc = RoomService(package, policy, EventLog(db), clock, flows=shipped_flows())
    await svc.open()
    people = [c for c in package.candidates if c.ticket in sitting.tickets]
    spares = [m.id for m in package.machines if m.spare]
    seqs: Counter[str] = Counter()

    async def do(cmd: Any) -> dict[str, Any]:
        return await svc.execute(cmd, BY)

    async def save_round() -> None:
        s = svc.room.sitting
        if s is None:
            return
        batch = []
        for c in people:
            r = s.candidates[c.ticket]
            if r.state is State.ANSWERING and r.machine:
                seqs[c.ticket] += 1
                n = seqs[c.ticket]
                answers = {"q": n, "text": f"借：银行存款 {n * 1000} 元；贷：主营业务收入"}
                batch.append(svc.save(r.machine, c.ticket, n, answers, min(60, n * 6)))
        await asyncio.gather(*batch)  # one commit for the round

    next_save = SAVE_EVERY_MIN

    async def to(minute: float) -> None:
        """Advance to `minute` of the exam, with the save rounds on the way."""
        nonlocal next_save
        while next_save <= minute:
            await clock.advance(t0 + next_save * MIN - clock.now())
            await save_round()
            next_save += SAVE_EVERY_MIN
        if t0 + minute * MIN > clock.now():
            await clock.advance(t0 + minute * MIN - clock.now())

    # Before the start: machines up, proctors in, candidates log in (the last ABSENT never come,
    # one arrives late).
    for m in package.machines:
        await svc.machine_connected(m.id)
    await svc.execute(SignInProctors(names=BY), ())
    await to(-28)
    present, late = people[: -ABSENT - 1], people[-ABSENT - 1]
    for c in present:
        assert c.seat
        await svc.login(c.seat, c.ticket, c.id_number)
    for c in present[:4]:
        await do(CheckIdentity(ticket=c.ticket, matches=True, note="人证核验一致"))
    await to(2)
    await do(SendNotice(kind=NoticeKind.OTHER, text="请考生检查耳机和草稿纸，如有问题请举手示意监考员。"))
    for m in package.machines:
        if not m.spare:
            await svc.notice_seen(m.id, 1)
    await to(9)
    assert late.seat
    await svc.login(late.seat, late.ticket, late.id_number)

    # Incident 1 (minute 12): a question error, reported up; the candidates are told.
    await to(12)
    n = (await do(OpenIncident(flow="question-error")))["number"]
    await do(AnswerIncident(number=n, note="考生反映单选题第 7 题选项重复，已报告省考试院"))
    await to(20)
    await do(AnswerIncident(number=n, answer="告知考生"))
    await do(SendNotice(kind=NoticeKind.CORRECTION, text="单选题第 7 题 C、D 选项内容重复，请按 C 项作答。"))
    await do(AnswerIncident(number=n))

    # Violations, one every 4 minutes from minute 22, each a different candidate.
    offenders = present[5:105:5]
    assert len(offenders) == 20
    when = 22.0  # the exam minute of the next record
    for i, c in enumerate(offenders):
        await to(when)
        act, facts = VIOLATIONS[i % len(VIOLATIONS)]
        category = ViolationCategory.SERIOUS if act is ViolationAct.OTHER else None
        await do(RecordViolation(ticket=c.ticket, act=act, category=category, facts=facts, confirmed_by=BY))

        # Interleaved with them: leaves, the machine crash, the power failure, a reset, giving up.
        if i < LEAVES:
            away = present[7 + i * 11]
            await do(
                LeaveRoom(
                    ticket=away.ticket, reason=LeaveReason.TOILET if i % 3 else LeaveReason.ILLNESS, escort=BY[i % 2]
                )
            )
            await to(when + 3)
            await do(ReturnToRoom(ticket=away.ticket, id_checked=True))
        if i == 6:  # minute 46: incident 2, a machine crash; the candidate goes on on a spare
            crashed = present[3]
            assert crashed.seat
            await svc.machine_disconnected(crashed.seat, "heartbeat lost")
            n = (await do(OpenIncident(flow="machine-crash", tickets=(crashed.ticket,))))["number"]
            await do(AnswerIncident(number=n, answer="不能恢复", note="技术人员重启两次均无法进入系统"))
            await do(ResetCandidate(ticket=crashed.ticket, machine=spares[0], reason=ResetReason.MACHINE_FAULT))
            await to(when + 3)
            await svc.login(spares[0], crashed.ticket, crashed.id_number)
            await do(AnswerIncident(number=n))
            await do(GrantExtraTime(tickets=(crashed.ticket,), minutes=3, reason=ExtraTimeReason.MACHINE_FAULT))
            await do(AnswerIncident(number=n))
        if i == 9:  # minute 58: incident 3, power lost on one row for 8 minutes
            row = tuple(c.ticket for c in present[60:66])
            n = (await do(OpenIncident(flow="power-failure", tickets=row)))["number"]
            await do(AnswerIncident(number=n))
            await do(AnswerIncident(number=n, note="已报告考点主考，电工排查第 6 排插座"))
            when += 8
            await to(when)
            await do(AnswerIncident(number=n, answer="done"))
            await do(AnswerIncident(number=n, note="省考试院同意推迟该排考生结束时间"))
            await do(GrantExtraTime(tickets=row, minutes=8, reason=ExtraTimeReason.POWER, note="按省考试院指令补时"))
            await do(AnswerIncident(number=n))
        if i == 12:  # minute 78: a mouse fails; restart on the same machine
            c2 = present[91]
            assert c2.seat
            await do(
                ResetCandidate(ticket=c2.ticket, kind=ResetKind.RESTART, reason=ResetReason.PERIPHERAL, note="更换鼠标")
            )
            await svc.login(c2.seat, c2.ticket, c2.id_number)
            await do(
                GrantExtraTime(
                    tickets=(c2.ticket,), minutes=2, reason=ExtraTimeReason.PERIPHERAL, note="经考点主考批准"
                )
            )
        if i == 15:  # minute 90: a candidate feels unwell and gives up
            await do(GiveUp(ticket=present[101].ticket, reason="考生身体不适，自愿放弃考试"))
        when += 4

    await to(sitting.duration_min - 5)
    await do(SendNotice(kind=NoticeKind.REMINDER, text="距离考试结束还有 5 分钟，请考生检查作答情况。"))
    # The end: everyone still in is submitted (R11); the longest extra time is 8 minutes.
    await to(sitting.duration_min + 10)
    if svc.room.sitting is not None:
        raise RuntimeError("the sitting has not ended")
    await svc.close()
    svc.log.close()


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name, embedded) for every font `pdffonts` lists in the PDF."""
    text = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    out = []
    for line in text.splitlines()[2:]:  # below the header and its dashes
        # From the right: emb sub uni object ID; the name is the first word.
        cells = line.rsplit(None, 5)
        if len(cells) == 6:
            out.append((line.split()[0], cells[1] == "yes"))
    return out


def pdf_pages(pdf: Path) -> int:
    text = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pages:"))


def median_s(times: list[float]) -> float:
    return round(statistics.median(times), 4)


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    t = time.monotonic()
    n = args.candidates
    write_demo(tmp / "package", candidates=n, machines=machines_for(n), start=START, seed=args.seed)
    package = load_package(tmp / "package")
    db = tmp / "room.db"
    asyncio.run(play_exam(package, db))
    say(f"exam played: {len(package.candidates)} candidates in {time.monotonic() - t:.1f} s")

    app = QGuiApplication.instance() or QGuiApplication(["report-render"])  # noqa: F841  (fonts, PDF)
    policy = load_policy(package.policy)
    flows = shipped_flows()
    fonts = font_chain()
    pdf = tmp / "report.pdf"
    build_times: list[float] = []
    render_times: list[float] = []
    with EventLog(db, readonly=True) as log:
        kinds = Counter(e.event.kind for e in log.replay())
        for i in range(args.runs + 1):  # the first is the warm-up
            t = time.perf_counter()
            report = build(package, policy, log.replay(), flows)
            t_build = time.perf_counter() - t
            t = time.perf_counter()
            write_pdf(report_html(report), pdf, fonts, {QR_DIGEST: digest_text(report)})
            t_render = time.perf_counter() - t
            if i:
                build_times.append(t_build)
                render_times.append(t_render)
            say(f"{'run ' + str(i) if i else 'warm-up'}: build {t_build:.3f} s, render {t_render:.3f} s")
    if args.keep:
        keep = Path(args.keep)
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, keep / "report.pdf")
        shutil.copy2(db, keep / "room.db")  # for `proctor report --form …` on the same exam
        shutil.copytree(tmp / "package", keep / "package", dirs_exist_ok=True)
        say(f"kept {keep / 'report.pdf'}, the log and the package")
    listed = pdf_fonts(pdf)
    return {
        "build_s": median_s(build_times),
        "render_s": median_s(render_times),
        "runs": args.runs,
        "pages": pdf_pages(pdf),
        "pdf_kb": round(pdf.stat().st_size / 1024, 1),
        "fonts_embedded": bool(listed) and all(e for _, e in listed),
        "fonts": sorted({name for name, _ in listed}),
        "candidates": len(package.candidates),
        "violations": kinds["ViolationRecorded"],
        "incidents": kinds["IncidentOpened"],
        "events": sum(kinds.values()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time building and printing the room situation report of a busy exam.")
    ap.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up (the median is reported)")
    ap.add_argument("--candidates", type=int, default=130, help="candidates in the room (at least 120)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--keep", metavar="DIR", help="copy the PDF of the last run, the log and the package into this folder"
    )
    args = ap.parse_args(argv)
    if args.runs < 1 or args.candidates < 120:
        ap.error("--runs must be at least 1 and --candidates at least 120")

    tmp = Path(tempfile.mkdtemp(prefix="report_render-"))
    try:
        out = run(args, tmp)
    except Exception:  # still one JSON line, and a failing exit code
        traceback.print_exc()
        out = {"error": True, "fonts_embedded": None}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0 if out["fonts_embedded"] is True else 1


if __name__ == "__main__":
    sys.exit(main())
