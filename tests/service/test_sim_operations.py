"""The simulator with the proctors' operations mixed in: resets onto the spares (the candidate walks
over and goes on), extra time, notices, ID numbers shown, timelines read, while the machines save;
no acknowledged save is lost and every grant reaches its row."""

from __future__ import annotations

import asyncio
import time

from proctor.host import RoomOptions, start_room
from proctor.sim.room import simulate


def test_operations_mixed_into_a_simulated_room_lose_no_save(package, tmp_path):
    async def main():
        room = await start_room(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))
        try:
            # 16 candidates and the room's 2 spares, so that a reset has somewhere to go.
            result = await simulate(room.url, package, 18, 8.0, save_every=0.5, operations_every=0.2)
            rows = room.service.room.shown_sitting.candidates
            spares = {m.id for m in package.machines if m.spare}
            moved = {t: c for t, c in rows.items() if c.machine in spares}
            return result, {t: c.extra_min for t, c in rows.items()}, moved
        finally:
            await room.stop()

    result, extra, moved = asyncio.run(asyncio.wait_for(main(), 60))
    ops = result["operations"]
    assert result["lost"] == 0 and result["acked"] > 50
    assert ops["done"].get("extra_time", 0) >= 1, ops
    assert sum(ops["done"].values()) >= 10, ops
    # Each grant was a minute inside the direct tier: the service holds exactly what was granted.
    assert sum(extra.values()) == ops["done"]["extra_time"]
    assert all(m <= 10 for m in extra.values())
    assert not ops["refused"], ops
    # Each reset sent a candidate to a spare, where they logged in and went on saving (R24).
    assert ops["done"].get("reset", 0) >= 1 and len(moved) == ops["done"]["reset"], ops
    assert all(c.state.value in ("answering", "submitted") and c.last_seq >= 1 for c in moved.values())
    if ops["done"].get("notice"):
        assert result["notices"] >= 1  # the machines showed and acknowledged them
