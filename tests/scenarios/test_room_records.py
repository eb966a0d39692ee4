"""Every room record on the simulated clock, through the service and its log, each with a refusal
at its boundary: identity (R57), a violation with evidence and two proctors (R30, R31), a
correction naming the old record, a notice to a machine that is offline (kept for its return),
giving up (R53), a mistaken submission undone before the end and a forced one from the earliest
submission time (R08); the end-of-exam list names the zero-answer submission."""

import asyncio
import base64
import hashlib

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.closing import readings
from proctor.domain.commands import (
    AddEvidence,
    CheckIdentity,
    ForceSubmit,
    GiveUp,
    RecordViolation,
    SendNotice,
    SignInProctors,
    UndoSubmit,
)
from proctor.domain.events import Evidence
from proctor.domain.notices import pending_for
from proctor.domain.refusal import Refused
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


def test_each_record_and_its_refusal_on_the_simulated_clock(tmp_path):
    asyncio.run(_records(tmp_path))


async def refused(svc, cmd) -> Refused:
    with pytest.raises(Refused) as no:
        await svc.execute(cmd, BY)
    return no.value


async def _records(tmp_path):
    pkg = make_package(candidates=5, machines=6, sittings=(("初级会计实务", START, 150),))
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    a, b, c, d, e = pkg.candidates
    for p in (a, b, c, d):
        await svc.machine_connected(p.seat)
        await svc.login(p.seat, p.ticket, p.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(20 * MIN)

    # R57: a mismatch must say what.
    assert (await refused(svc, CheckIdentity(ticket=a.ticket, matches=False))).rule == "R57"
    await svc.execute(CheckIdentity(ticket=a.ticket, matches=True), BY)

    # R30/R31: evidence in parts, two proctors, the act's category; a correction names the old one.
    photo = b"\xff\xd8" + bytes(range(256)) * 500
    digest = hashlib.sha256(photo).hexdigest()
    for i in range(2):
        part = photo[i * 96 * 1024 : (i + 1) * 96 * 1024]
        await svc.execute(
            AddEvidence(sha256=digest, size=len(photo), part=i, parts=2, data=base64.b64encode(part).decode()), BY
        )
    ev = Evidence(name="U盘.jpg", sha256=digest, size=len(photo))
    one = RecordViolation(ticket=b.ticket, act="own_device", facts="使用自带 U 盘", evidence=(ev,), confirmed_by=BY[:1])
    assert (await refused(svc, one)).rule == "R30"
    first = await svc.execute(
        RecordViolation(ticket=b.ticket, act="own_device", facts="使用自带 U 盘", evidence=(ev,), confirmed_by=BY), BY
    )
    assert first["category"] == "serious"
    fixed = await svc.execute(
        RecordViolation(ticket=b.ticket, act="cheating_tool", facts="更正：安装作弊程序", confirmed_by=BY, amends=1),
        BY,
    )
    assert fixed["number"] == 2 and svc.room.violations[1].superseded_by == 2

    # A notice to a machine that is offline is kept for its return.
    await svc.machine_disconnected(c.seat)
    await svc.execute(SendNotice(kind="correction", text="第 3 题更正", machines=(c.seat,)), BY)
    assert [n["number"] for n in pending_for(svc.room, c.seat)] == [1]

    # R53: giving up; the machine can save no more.
    await svc.execute(GiveUp(ticket=c.ticket, reason="身体不适"), BY)
    with pytest.raises(Refused):
        await svc.save(c.seat, c.ticket, 1, {"q": 1}, 1)

    # R08: no forced submission before 120 minutes; at 120 it is allowed.
    force = ForceSubmit(ticket=d.ticket, reason="考试机无法交卷", approved_by="赵主考")
    await clock.advance(110 * MIN - 1)  # START + 120 min − 1 s: one second before submission opens
    assert (await refused(svc, force)).code == "too_early"
    await clock.advance(1)
    await svc.execute(force, BY)
    assert svc.room.sitting.candidates[d.ticket].submitted_by == "proctors"

    # A mistaken submission undone before the end, with the chief examiner's name.
    await svc.submit(a.seat, a.ticket)
    assert (await refused(svc, UndoSubmit(ticket=a.ticket, reason="误点", approved_by=" "))).code == "chief_consent"
    await svc.execute(UndoSubmit(ticket=a.ticket, reason="误点交卷", approved_by="赵主考"), BY)
    assert svc.room.sitting.candidates[a.ticket].state.value == "answering"

    # The end-of-exam list names the submission with nothing answered.
    await clock.advance(40 * MIN)
    await svc.run_due()
    exceptions = next(i for i in readings(svc.room)["items"] if i["item"] == "exceptions_reviewed")
    assert "零作答或作答很少的交卷" in exceptions["facts"] and d.ticket[-3:] in exceptions["facts"]
    await svc.close()
    svc.log.close()
