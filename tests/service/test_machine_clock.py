"""R59 over real sockets: an exam machine's clock offset, from its hello and its heartbeats,
reaches the console's RoomView (`clock_offset_s` on the machine row) and raises past tolerance."""

import asyncio
import contextlib
import time

import pytest

from proctor.domain.admission import CLOCK_RECORD_EVERY_S
from proctor.domain.events import AlertKind, MachineClockMoved
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient
from tests import wire
from tests.waiting import until

SCALE = 50.0  # exam seconds per real second: the recording pause (10 exam s) lasts 0.2 s


run = wire.run


def served(package, tmp_path, scale=SCALE):
    return wire.served(package, tmp_path, first_start_at=time.time() + 3600 * scale, time_scale=scale)


@contextlib.asynccontextmanager
async def beating(ws, offset_s):
    """Heartbeats whose clock is `offset_s` off the proctor machine's, ten a second."""

    async def beat():
        while True:
            await wire.send(ws, {"t": "hb", "clock": time.time() + offset_s})
            await asyncio.sleep(0.1)

    task = asyncio.ensure_future(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def test_the_console_sees_each_machines_clock_offset_from_hello_and_heartbeats(package, tmp_path):
    async def main():
        async with served(package, tmp_path) as room:
            client = ConsoleClient(room.url, Credential.console(package.room_key))
            view = client.view
            client.start()
            try:
                await until(lambda: "A04" in view.machines, "the console's snapshot")
                assert view.machines["A04"]["clock_offset_s"] is None  # not connected yet: unknown

                def shown(machine, near):
                    got = view.machines.get(machine, {}).get("clock_offset_s")
                    return got is not None and abs(got - near) < 2

                def clock_alerts():
                    return [(a["machine"], a["detail"]) for a in view.alerts.values() if a["kind"] == "machine_clock"]

                ws, welcome = await wire.machine(room.url, package, "A04", clock=time.time() + 4)
                assert welcome["t"] == "welcome"
                await until(lambda: shown("A04", 4), "A04's offset from its hello")
                assert clock_alerts() == []

                async with beating(ws, -3600):  # someone set the machine's clock back an hour
                    await until(lambda: shown("A04", -3600), "A04's offset from its heartbeats")
                    await until(lambda: clock_alerts() == [("A04", "−3600 s")], "the machine_clock alert")
                async with beating(ws, 0.5):  # set right again: shown, and the alert waits for a proctor
                    await until(lambda: shown("A04", 0.5), "A04's offset back within tolerance")
                assert clock_alerts() == [("A04", "−3600 s")]
                await ws.close()
                # Offline, it keeps the last offset it reported.
                await until(lambda: not view.machines["A04"]["online"], "A04 offline")
                assert shown("A04", 0.5)
            finally:
                await client.stop()

    run(main())


@pytest.mark.parametrize("clock", [-1, 2**32 + 1, 1e308, "now", {}, [1]])
def test_a_heartbeat_with_a_clock_out_of_bounds_is_refused_in_words_and_the_machine_stays(package, tmp_path, clock):
    async def main():
        async with served(package, tmp_path, scale=1.0) as room:
            ws, _ = await wire.machine(room.url, package, "A05", clock=time.time())
            async with ws:
                await wire.send(ws, {"t": "hb", "clock": clock})
                reply = await wire.recv(ws)
                assert (reply["t"], reply["code"]) == ("error", "bad_message") and reply["message_zh"]
                assert room.service.room.machines["A05"].online
                assert abs(room.service.room.machines["A05"].clock_offset_s) < 2

    run(main())


def test_a_machine_flooding_heartbeats_with_jumping_clocks_fills_neither_log_nor_alerts(package, tmp_path):
    async def main():
        async with served(package, tmp_path) as room:
            svc = room.service

            def moves() -> int:
                return sum(1 for se in svc.log.replay() if isinstance(se.event, MachineClockMoved))

            def clock_alerts() -> int:
                return sum(1 for a in svc.room.open_alerts() if a.kind == AlertKind.MACHINE_CLOCK)

            ws, _ = await wire.machine(room.url, package, "A06", clock=time.time())
            async with ws:
                began = svc.now()
                for i in range(300):
                    await wire.send(ws, {"t": "hb", "clock": time.time() + (600 if i % 2 else 0)})
                async with beating(ws, 600):  # then it stays off: recorded and raised
                    await until(lambda: clock_alerts() == 1, "the machine_clock alert")
                elapsed = svc.now() - began
                assert 1 <= moves() <= elapsed / CLOCK_RECORD_EVERY_S + 1
                assert clock_alerts() == 1

    run(main())
