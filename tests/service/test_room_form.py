"""A room form over a real socket: it holds full ID numbers, so only signed-in proctors get one,
each time recorded (FormIssued) with their names and the last event the form reads."""

import contextlib

import pytest

from proctor.domain.events import FormIssued
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient
from tests import wire
from tests.waiting import until

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


@contextlib.asynccontextmanager
async def _console(room, package):
    client = ConsoleClient(room.url, Credential.console(package.room_key))
    client.start()
    try:
        await until(lambda: client.view.connected, "the console to connect")
        yield client
    finally:
        await client.stop()


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
