"""kill -9 of the service mid-exam: machines reconnect, and no acknowledged save is gone."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

from proctor.sim.machines import Tally, count_lost, holdings
from proctor.sim.room import simulate


def _serve(package_dir, db, port):
    proc = subprocess.Popen(
        [sys.executable, "-m", "proctor.cli", "serve", "--package", str(package_dir), "--db", str(db),
         "--listen", f"127.0.0.1:{port}", "--start-at", "now-5m"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()  # printed once listening
    assert json.loads(line)["listening"].endswith(f":{port}")
    return proc


def test_kill_9_mid_run_loses_no_acknowledged_save(package_dir, package, tmp_path, free_port):
    db = tmp_path / "room.db"
    url = f"ws://127.0.0.1:{free_port}"
    first = _serve(package_dir, db, free_port)
    tally = Tally()
    acked_before_kill: dict[str, list[int]] = {}

    async def main():
        sim = asyncio.create_task(simulate(url, package, 16, 9.0, save_every=0.3, tally=tally))
        await asyncio.sleep(3.0)
        acked_before_kill.update({t: list(s) for t, s in tally.acked_seqs.items()})
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        await asyncio.sleep(1.0)
        second = _serve(package_dir, db, free_port)
        try:
            result = await sim
            held = await holdings(url, package.room_key)
        finally:
            second.terminate()
            second.wait(10)
        return result, held

    result, held = asyncio.run(asyncio.wait_for(main(), 60))
    assert sum(map(len, acked_before_kill.values())) > 20
    before = Tally(acked_seqs=acked_before_kill)
    assert count_lost(before, held) == 0
    assert result["lost"] == 0
    assert result["reconnects"] >= 10  # the machines came back by themselves
    assert result["acked"] > sum(map(len, acked_before_kill.values()))  # and went on saving
