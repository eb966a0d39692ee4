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
