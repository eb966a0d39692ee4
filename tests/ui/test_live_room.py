"""The window over a real room service on a loopback socket, on the qasync loop the app uses."""

from __future__ import annotations

import asyncio
import random
import time

import pytest
import qasync

from proctor.host import RoomOptions, RoomThread
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.sim.machines import Plan, SimMachine, Tally
from tests.waiting import until
from ui.candidate_table import COLUMNS
from ui.main_window import MainWindow


def test_the_table_fills_from_a_live_room_and_follows_a_login(qapp, qtbot, tmp_path):
    demo = pytest.importorskip("proctor.package.demo")
    if not hasattr(demo, "generate"):
        pytest.skip("proctor.package.demo.generate is not there yet")
    package = demo.generate(candidates=12, machines=14, seed=3)
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db"))
    room = room_thread.start_and_wait()
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    view = RoomView()
    client = ConsoleClient(room.url, package.room_key, view)
    window = MainWindow(view, client=client, expected_fingerprint=package.fingerprint)
    qtbot.addWidget(window)
    first = package.candidates[0]

    async def scenario() -> None:
        client.start()
        await until(lambda: window.table_model.rowCount() == 12, "the snapshot")
        await until(window.banner.isHidden, "the connecting banner to go")
        assert window.header_bar.short_code.text() == package.short_code
        assert window.mismatch.isHidden()
        assert window.seat_model.rowCount() * window.seat_model.columnCount() >= 14

        machine = SimMachine(
            room.url,
            package,
            first.seat,
            first,
            Plan(login_after_s=0.0, submit_after_s=None),
            Tally(),
            random.Random(1),
        )
        started = time.monotonic()
        sim = asyncio.ensure_future(machine.run(started, started + 5))
        state = window.table_model.index(0, COLUMNS.index("state"))
        await until(lambda: state.data() in ("Logged in", "Answering"), "the login to reach the table")
        sim.cancel()
        await asyncio.gather(sim, return_exceptions=True)
        await client.stop()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 10))
    finally:
        loop.run_until_complete(client.stop())  # also after a failure, so the service stops at once
        loop.close()
        asyncio.set_event_loop(None)
        room_thread.stop()
