"""A room form over a real socket: it holds full ID numbers, so only signed-in proctors get one,
each time recorded (FormIssued) with their names and the last event the form reads."""

import pytest

from proctor.domain.commands import RecordRemark
from proctor.domain.events import FormIssued, RemarkRecorded
from proctor.link.console_client import CommandRefused
from tests import wire

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


_console = wire.console_client


def _issued(room) -> list[tuple[int, FormIssued]]:
    return [(se.seq, se.event) for se in room.service.log.replay() if isinstance(se.event, FormIssued)]


def test_only_signed_in_proctors_get_a_form_and_each_one_is_recorded(package, tmp_path):
    async def main():
        async with wire.served(package, tmp_path) as room, _console(room, package) as client:
            with pytest.raises(CommandRefused) as refused:
                await client.room_form("report")
            assert refused.value.code == "not_signed_in" and not _issued(room)

            await client.sign_in(PROCTORS)
            before = room.service.log.last_seq
            form = await client.room_form("report")
            assert "考场情况报告单" in form["html"] and "、".join(PROCTORS) in form["html"]
            assert form["last_seq"] == before and str(before) in next(iter(form["qr"].values()))
            [(seq, e)] = _issued(room)
            assert (seq, e.form, e.upto, e.by) == (before + 1, "report", before, PROCTORS)

            with pytest.raises(CommandRefused) as refused:
                await client.room_form("incident", 7)
            assert "没有第 7 号突发事件" in refused.value.message_zh and len(_issued(room)) == 1

    wire.run(main())


def test_a_remark_is_recorded_with_the_names_and_printed_and_bad_ones_change_nothing(package, tmp_path):
    async def main():
        async with wire.served(package, tmp_path) as room, _console(room, package) as client:
            with pytest.raises(CommandRefused) as refused:
                await client.record_remark("考场空调故障")
            assert refused.value.code == "not_signed_in"
            await client.sign_in(PROCTORS)
            before = room.service.log.last_seq
            for bad, code in (("   \n", "remark_empty"), ("字" * 1001, "bad_message")):
                with pytest.raises(CommandRefused) as refused:
                    await client.request(RecordRemark(text=bad))
                assert refused.value.code == code
            assert room.service.log.last_seq == before
            await client.record_remark("  第3排空调漏水，已调换机位  ")
            [e] = [se.event for se in room.service.log.replay() if isinstance(se.event, RemarkRecorded)]
            assert (e.text, e.by) == ("第3排空调漏水，已调换机位", PROCTORS)
            form = await client.room_form("report")
            assert "第3排空调漏水，已调换机位（" + "、".join(PROCTORS) + "）" in form["html"]

    wire.run(main())


DEEP = "[" * 3000 + "]" * 3000


def _kept(room) -> list:
    return [se.event for se in room.service.log.replay() if isinstance(se.event, (FormIssued, RemarkRecorded))]


async def _reply(ws, id):
    """The reply to request `id` (updates to the room may come first)."""
    while True:
        reply = await wire.recv(ws)
        if reply.get("id") == id:
            return reply


@pytest.mark.parametrize(
    "raw",
    [
        '{"c":"room_form","form":"incident","incident":9223372036854775808}',
        '{"c":"room_form","form":"incident","incident":-1}',
        '{"c":"room_form","form":"incident","incident":1e308}',
        '{"c":"room_form","form":["report"]}',
        '{"c":"room_form","form":"../../room.db"}',
        '{"c":"room_form","form":"report","upto":1}',
        '{"c":"room_form","form":' + DEEP + "}",
        '{"c":"record_remark","text":"' + "字" * 1001 + '"}',
        '{"c":"record_remark","text":' + DEEP + "}",
        '{"c":"record_remark","text":12345678901234567890}',
    ],
    ids=["huge", "negative", "float", "list", "path", "unknown-field", "deep", "long", "deep-text", "number"],
)
def test_a_hostile_form_or_remark_is_an_error_with_its_id_and_nothing_is_kept(package, tmp_path, raw):
    async def main():
        async with wire.served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            before = room.service.log.last_seq
            ws, _ = await wire.console(room.url, package)
            await ws.send('{"t":"request","id":41,"by":["林𠮷祥","阿依古丽·买买提"],"cmd":' + raw + "}")
            reply = await _reply(ws, 41)
            assert (reply["t"], reply["code"]) == ("error", "bad_message")
            assert room.service.log.last_seq == before and not _kept(room)
            assert (await client.room_form("report"))["last_seq"] == before  # the service goes on
            await ws.close()

    wire.run(main())


def test_an_exam_machine_cannot_take_a_form_or_write_a_remark(package, tmp_path):
    """The forms hold every violator's ID number: a machine's credential (or a laptop holding one)
    gets none, whatever proctors' names it gives."""

    async def main():
        async with wire.served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            before = room.service.log.last_seq
            ws, welcome = await wire.machine(room.url, package, package.candidates[0].seat)
            assert welcome["t"] == "welcome"
            for i, cmd in enumerate(({"c": "room_form", "form": "violations"}, {"c": "record_remark", "text": "x"})):
                await wire.send(ws, {"t": "request", "id": 50 + i, "cmd": cmd, "by": list(PROCTORS)})
                reply = await _reply(ws, 50 + i)
                assert reply["t"] == "error" and "html" not in reply
            assert not _kept(room) and room.service.log.last_seq - before <= 1  # at most the machine online
            await ws.close()

    wire.run(main())


def test_a_flood_of_form_requests_is_each_answered_and_saves_go_on(package, tmp_path):
    """Forms are built one at a time on a worker thread: forty asked at once are each answered
    (or slowed), each one given is recorded, and an exam machine's save is acknowledged meanwhile."""

    async def main():
        async with wire.served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            c = package.candidates[0]
            machine, _ = await wire.machine(room.url, package, c.seat)
            assert (await wire.login(machine, c))["t"] == "login_ok"
            ws, _ = await wire.console(room.url, package)
            for i in range(40):
                await wire.send(
                    ws,
                    {"t": "request", "id": 100 + i, "cmd": {"c": "room_form", "form": "report"}, "by": list(PROCTORS)},
                )
            await wire.send(machine, {"t": "save", "id": 7, "ticket": c.ticket, "seq": 1, "answers": {"1": "A"}})
            assert (await _reply(machine, 7))["t"] == "ack"
            replies = [await _reply(ws, 100 + i) for i in range(40)]
            given = [r for r in replies if r["t"] == "reply"]
            assert given and all(r["t"] == "reply" or r["code"] == "too_fast" for r in replies)
            assert len([e for e in _kept(room) if isinstance(e, FormIssued)]) == len(given)
            await ws.close()
            await machine.close()

    wire.run(main())
