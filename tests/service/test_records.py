"""Room records over a real socket: an identity mismatch and a leave reach every console; what a
hostile or careless console sends (wrong types, too long, unknown fields, another room's ticket,
no proctors signed in) is refused with a clear code and records nothing."""

import asyncio

import pytest

from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient
from tests import wire
from tests.service.test_extra_time import PROCTORS, Room, refused
from tests.waiting import until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_a_mismatch_and_a_leave_reach_another_console(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            watcher = ConsoleClient(r.room.url, Credential.console(package.room_key))
            watcher.start()
            try:
                await until(lambda: watcher.view.connected, "the second console")
                await r.client.check_identity(c.ticket, False, "照片与本人不符")
                await until(
                    lambda: any(a["kind"] == "identity_mismatch" for a in watcher.view.alerts.values()),
                    "the mismatch on the other console",
                )
                await r.client.leave_room(c.ticket, "toilet", "赵流动")
                await until(lambda: "away" in watcher.view.candidates[c.ticket]["flags"], "away elsewhere too")
                assert watcher.view.candidates[c.ticket]["away_escort"] == "赵流动"
                back = await r.client.return_to_room(c.ticket)
                assert back["away_s"] >= 0
                await until(lambda: "away" not in watcher.view.candidates[c.ticket]["flags"], "back elsewhere too")
            finally:
                await watcher.stop()

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "check_identity", "matches": "yes"},
        {"c": "check_identity", "matches": 1},
        {"c": "check_identity", "matches": True, "note": "长" * 201},
        {"c": "check_identity", "matches": True, "photo": "x"},  # a field it does not have
        {"c": "check_identity", "matches": {"a": {"b": [[]]}}},
        {"c": "leave_room", "reason": "toilet"},  # no escort
        {"c": "leave_room", "reason": "toilet", "escort": ""},
        {"c": "leave_room", "reason": "toilet", "escort": "名" * 33},
        {"c": "leave_room", "reason": "smoke", "escort": "赵流动"},
        {"c": "leave_room", "reason": "toilet", "escort": ["赵流动"]},
        {"c": "return_to_room", "ticket": "9" * 33, "id_checked": True},
        {"c": "return_to_room", "ticket": "", "id_checked": True},
        {"c": "return_to_room", "id_checked": "checked"},
        {"c": "return_to_room"},  # the ID check not said
        {"c": "give_up", "reason": "长" * 201},
        {"c": "tick_closing", "item": "everything"},
        {"c": "make_backup", "folder": "/" + "x" * 1000},
        {"c": "make_backup", "folder": ""},
        {"c": "end_exam", "force": True},
        {"c": "tick_readiness", "item": "coffee"},
        {"c": "give_up"},
        {"c": "undo_submit", "reason": "误", "approved_by": "名" * 33},
        {"c": "undo_submit", "reason": "误"},  # no chief examiner
        {"c": "force_submit", "reason": ["x"], "approved_by": "赵主考"},
        {"c": "force_submit", "reason": "x", "approved_by": "赵主考", "at": 0},
    ],
)
def test_a_hostile_record_is_refused_and_changes_nothing(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            before = r.room.service.log.last_seq
            ws, _ = await wire.console(r.room.url, package)
            await wire.send(ws, {"t": "request", "id": 5, "cmd": {"ticket": c.ticket, **cmd}, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            while reply["t"] != "error":  # the snapshot and updates come first
                reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("bad_message", 5)
            await ws.close()
            assert r.room.service.log.last_seq == before

    run(main())


def test_records_need_signed_in_proctors_and_a_candidate_of_this_room(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            before = r.room.service.log.last_seq
            r.client.proctors = ("冒名者",)
            for work in (
                r.client.check_identity(c.ticket, True),
                r.client.leave_room(c.ticket, "toilet", "赵流动"),
                r.client.return_to_room(c.ticket),
            ):
                assert (await refused(work)).code == "not_signed_in"
            r.client.proctors = PROCTORS
            stranger = "999999999999"  # another room's candidate
            for work in (r.client.check_identity(stranger, True), r.client.leave_room(stranger, "toilet", "赵流动")):
                no = await refused(work)
                assert no.code == "unknown_candidate" and stranger in no.message_zh
            assert r.room.service.log.last_seq == before

    run(main())


def test_an_exam_machine_cannot_record_anything(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            before = r.room.service.log.last_seq
            cmd = {"c": "leave_room", "ticket": c.ticket, "reason": "toilet", "escort": "我自己"}
            await wire.send(ws, {"t": "request", "id": 7, "cmd": cmd, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            while reply["t"] != "error":
                reply = await wire.recv(ws)
            assert reply["code"] in ("not_allowed", "bad_message") and reply["id"] == 7
            assert r.room.service.log.last_seq == before

    run(main())


def test_a_candidate_who_gives_up_is_told_at_their_machine_which_then_cannot_save(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            await r.client.give_up(c.ticket, "身体不适")
            pushed = await wire.recv(ws)
            while pushed.get("t") != "state":
                pushed = await wire.recv(ws)
            assert (pushed["ticket"], pushed["state"]) == (c.ticket, "gave_up")
            await wire.send(ws, {"t": "save", "id": 9, "ticket": c.ticket, "seq": 1, "answers": {"q": 1}})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"]) == ("error", "not_logged_in")
            early = await refused(r.client.force_submit(r.package.candidates[0].ticket, "x", "赵主考"))
            assert early.code == "not_applicable"

    run(main())
