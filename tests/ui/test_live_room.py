"""The window over a real room service on a loopback socket, on the qasync loop the app uses."""

from __future__ import annotations

import asyncio
import time

from tests.waiting import until
from ui.candidate_table import COLUMNS


def test_the_table_fills_from_a_live_room_and_follows_a_login(live_room):
    live, window, package = live_room, live_room.window, live_room.package
    first = package.candidates[0]

    async def scenario() -> None:
        live.start()
        await until(lambda: window.table_model.rowCount() == 12, "the snapshot")
        await until(window.banner.isHidden, "the connecting banner to go")
        assert window.header_bar.short_code.text() == package.short_code
        assert window.mismatch.isHidden()
        assert window.seat_model.rowCount() * window.seat_model.columnCount() >= 14

        machine = live.machine_of(first)
        started = time.monotonic()
        sim = asyncio.ensure_future(machine.run(started, started + 5))
        state = window.table_model.index(0, COLUMNS.index("state"))
        await until(lambda: state.data() in ("Logged in", "Answering"), "the login to reach the table")
        sim.cancel()
        await asyncio.gather(sim, return_exceptions=True)

    live.run(scenario())
