"""Notices over real sockets: a machine online gets it at once and acknowledges it; one offline
gets it in its welcome when it comes back; consoles see who has not acknowledged; a machine
cannot acknowledge another's notice; bad input is refused and records nothing."""

import asyncio

import pytest

from tests import wire
from tests.service.test_extra_time import PROCTORS, Room, refused
from tests.waiting import until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def next_of(ws, kind):
    msg = await wire.recv(ws)
    while msg.get("t") != kind:
        msg = await wire.recv(ws)
    return msg


def test_online_at_once_offline_on_return_and_the_console_sees_who_has_not_read_it(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            away = package.candidates[1].seat
            done = await r.client.send_notice("第 3 题题干更正为……", "correction", [c.seat, away])
            assert (done["targets"], done["online"]) == (2, 1)
            notice = await next_of(ws, "notice")
            assert (notice["number"], notice["kind"], notice["text"]) == (1, "correction", "第 3 题题干更正为……")
            await until(lambda: r.client.view.notices.get(1), "the notice on the console")
            assert r.client.view.notices[1]["waiting"] == [c.seat]  # the machine away is not in use
            await wire.send(ws, {"t": "notice_ack", "number": 1})
            await until(lambda: r.client.view.notices[1]["waiting"] == [], "the acknowledgement")
            await wire.send(ws, {"t": "notice_ack", "number": 1})  # again: nothing new
            late, welcome = await wire.machine(r.room.url, package, away)
            r.machines.append(late)
            assert [n["number"] for n in welcome["notices"]] == [1]
            await wire.send(late, {"t": "notice_ack", "number": 1})
            await until(lambda: r.client.view.notices[1]["acknowledged"] == 2, "both acknowledged")
            assert r.client.view.notices[1]["targets"] == 2
            kinds = r.room.service.log.kinds()
            assert kinds["NoticeAcknowledged"] == 2

    run(main())


def test_a_machine_cannot_acknowledge_a_notice_it_was_not_sent(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            await r.client.send_notice("只给 B 排", "other", [package.candidates[1].seat])
            before = r.room.service.log.last_seq
            for number in (1, 99):
                await wire.send(ws, {"t": "notice_ack", "number": number})
                reply = await next_of(ws, "error")
                assert reply["code"] == "unknown_notice"
            for bad in ({"t": "notice_ack", "number": 0}, {"t": "notice_ack", "number": "1"}, {"t": "notice_ack"}):
                await wire.send(ws, bad)
                assert (await next_of(ws, "error"))["code"] == "bad_message"
            assert r.room.service.log.last_seq == before

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "send_notice", "text": "长" * 501},
        {"c": "send_notice", "text": "x", "kind": "gossip"},
        {"c": "send_notice", "text": "x", "machines": ["A" * 33]},
        {"c": "send_notice", "text": "x", "machines": [f"M{i}" for i in range(2001)]},
        {"c": "send_notice", "text": {"zh": "x"}},
    ],
)
def test_a_hostile_notice_is_refused_and_changes_nothing(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            before = r.room.service.log.last_seq
            ws, _ = await wire.console(r.room.url, package)
            await wire.send(ws, {"t": "request", "id": 4, "cmd": cmd, "by": list(PROCTORS)})
            reply = await next_of(ws, "error")
            assert (reply["code"], reply["id"]) == ("bad_message", 4)
            await ws.close()
            assert r.room.service.log.last_seq == before
            no = await refused(r.client.send_notice("x", "other", ["Z99"]))
            assert no.code == "unknown_machine"

    run(main())
