"""Violation records over a real socket: evidence files arrive in parts and are kept under their
hash beside the room's log; a record attaches them, two proctors confirm it, and every console
sees the candidate flagged. Bad or hostile input is refused in words and keeps nothing."""

import asyncio
import base64
import hashlib
import os

import pytest

from proctor.link.console_client import EvidenceUnreadable
from proctor.store.evidence import EvidenceStore
from tests import wire
from tests.service.test_extra_time import PROCTORS, Room, refused
from tests.waiting import until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_evidence_in_parts_then_a_record_that_attaches_it(package, tmp_path):
    photo = tmp_path / "屏幕照片.jpg"
    photo.write_bytes(os.urandom(250_000))  # three parts

    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            ev = await r.client.add_evidence(photo)
            kept = EvidenceStore.beside(r.room.service.log.path).path(ev.sha256)
            assert kept.read_bytes() == photo.read_bytes() and ev.size == 250_000 and ev.name == "屏幕照片.jpg"
            again = await r.client.add_evidence(photo, name="同一文件.jpg")
            assert again.sha256 == ev.sha256  # kept once
            done = await r.client.record_violation(
                c.ticket, "own_device", "考生使用自带 U 盘，刘䶮𠮷", PROCTORS, evidence=[ev]
            )
            assert (done["number"], done["category"]) == (1, "serious")
            await until(lambda: "violation" in r.client.view.candidates[c.ticket]["flags"], "the flag")
            assert r.client.view.candidates[c.ticket]["violations"][0]["number"] == 1
            events, _ = await r.client.history(ticket=c.ticket)
            (rec,) = [e for e in events if e.kind == "ViolationRecorded"]
            assert rec.facts == "考生使用自带 U 盘，刘䶮𠮷" and rec.evidence[0].sha256 == ev.sha256

    run(main())


def test_a_file_that_cannot_be_evidence_is_said_so_before_anything_is_sent(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            empty = tmp_path / "空.jpg"
            empty.write_bytes(b"")
            big = tmp_path / "大.mp4"
            with open(big, "wb") as f:
                f.truncate(8 * 1024 * 1024 + 1)
            for path, words in ((tmp_path / "没有.jpg", "不是文件"), (empty, "空文件"), (big, "超过 8 MB")):
                with pytest.raises(EvidenceUnreadable) as no:
                    await r.client.add_evidence(path)
                assert words in no.value.zh

    run(main())


def test_parts_that_do_not_make_the_file_are_refused_and_nothing_is_kept(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            data = os.urandom(1000)
            good = hashlib.sha256(data).hexdigest()

            def held():  # as a new reader of the folder sees it
                return EvidenceStore.beside(r.room.service.log.path).held()

            async def part(**kw):
                fields = {"sha256": good, "size": 1000, "part": 0, "parts": 1, "data": base64.b64encode(data).decode()}
                from proctor.domain.commands import AddEvidence

                return await r.client.request(AddEvidence(**{**fields, **kw}))

            assert (await refused(part(data=base64.b64encode(b"x" * 1000).decode()))).code == "evidence_damaged"
            assert (await refused(part(data="***"))).code == "evidence_parts"
            assert (await refused(part(parts=2))).code == "evidence_parts"
            assert (await refused(part(part=1))).code == "evidence_parts"
            too_big = await refused(part(size=9 * 1024 * 1024, parts=96))
            assert too_big.code == "evidence_too_large" and "8 MB" in too_big.message_zh
            assert not held()
            assert (await part())["stored"] and held() == {good}

    run(main())


def test_a_record_needs_two_proctors_and_its_evidence_in_the_room(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            before = r.room.service.log.last_seq
            one = await refused(r.client.record_violation(c.ticket, "own_device", "U 盘", PROCTORS[:1]))
            assert one.code == "two_proctors" and one.rule == "R30"
            from proctor.domain.events import Evidence

            ghost = Evidence(name="无.jpg", sha256="cd" * 32, size=10)
            no = await refused(r.client.record_violation(c.ticket, "own_device", "U 盘", PROCTORS, evidence=[ghost]))
            assert no.code == "evidence_missing" and "无.jpg" in no.message_zh
            assert r.room.service.log.last_seq == before

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "record_violation", "act": "own_device", "facts": "长" * 4001, "confirmed_by": list(PROCTORS)},
        {"c": "record_violation", "act": "smoking", "facts": "x", "confirmed_by": list(PROCTORS)},
        {"c": "record_violation", "act": "other", "category": "mild", "facts": "x", "confirmed_by": list(PROCTORS)},
        {"c": "record_violation", "act": "own_device", "facts": "x", "confirmed_by": "张三"},
        {"c": "record_violation", "act": "own_device", "facts": "x", "confirmed_by": list(PROCTORS), "amends": -1},
        {
            "c": "record_violation",
            "act": "own_device",
            "facts": "x",
            "confirmed_by": list(PROCTORS),
            "evidence": [{"name": "a", "sha256": "not-a-hash", "size": 1}],
        },
        {
            "c": "record_violation",
            "act": "own_device",
            "facts": "x",
            "confirmed_by": list(PROCTORS),
            "evidence": [{"name": "a", "sha256": "ab" * 32, "size": 1}] * 21,
        },
        {"c": "add_evidence", "sha256": "ab" * 32, "size": 1, "part": 0, "parts": 1, "data": "A" * 131_073},
        {"c": "add_evidence", "sha256": "ab" * 32, "size": 0, "part": 0, "parts": 1, "data": "AA=="},
        {"c": "add_evidence", "sha256": "ab" * 32, "size": 1, "part": 200, "parts": 1, "data": "AA=="},
        {"c": "add_evidence", "sha256": "../../etc/passwd", "size": 1, "part": 0, "parts": 1, "data": "AA=="},
    ],
)
def test_a_hostile_record_or_part_is_refused_and_changes_nothing(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            before = r.room.service.log.last_seq
            ws, _ = await wire.console(r.room.url, package)
            msg = {"t": "request", "id": 6, "cmd": {"ticket": c.ticket, **cmd}, "by": list(PROCTORS)}
            if cmd["c"] == "add_evidence":
                msg["cmd"].pop("ticket")
            await wire.send(ws, msg)
            reply = await wire.recv(ws)
            while reply["t"] != "error":  # the snapshot and updates come first
                reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("bad_message", 6)
            await ws.close()
            assert r.room.service.log.last_seq == before
            assert not EvidenceStore.beside(r.room.service.log.path).held()

    run(main())
