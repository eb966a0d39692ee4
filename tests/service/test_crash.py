"""kill -9 of the service mid-exam: machines reconnect, and no acknowledged save is gone."""

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proctor.sim.machines import Tally, count_lost, holdings
from proctor.sim.room import simulate
from tests.waiting import until


def _serve(
    stack: contextlib.ExitStack, package_dir: Path, db: Path, err: Path, port: int = 0
) -> tuple[subprocess.Popen, int] | None:
    """`proctor serve` on `port` (0: it picks one); (process, port) once it listens, or None when it
    exited first (its stderr is in `err`). The stack stops the process and closes its pipe."""
    with err.open("w", encoding="utf-8") as err_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "proctor.cli",
                "serve",
                "--package",
                str(package_dir),
                "--db",
                str(db),
                "--listen",
                f"127.0.0.1:{port}",
                "--start-at",
                "now-5m",
            ],
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
        )
    stack.callback(_stop, proc)
    line = proc.stdout.readline()  # printed once listening; empty if it exited instead
    if not line:
        proc.wait(10)
        return None
    listening = json.loads(line)["listening"]
    return proc, int(listening.rpartition(":")[2])


def _stop(proc: subprocess.Popen) -> None:
    with proc:  # closes the stdout pipe and reaps the process
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _serve_again(stack: contextlib.ExitStack, package_dir: Path, db: Path, err: Path, port: int) -> subprocess.Popen:
    """A restart on the same port: the machines only know that one. The killed process's port can
    be taken for a moment (a machine's outgoing connection may get it), so a few tries are allowed."""
    for _ in range(10):
        started = _serve(stack, package_dir, db, err, port)
        if started is not None:
            return started[0]
        reason = err.read_text(encoding="utf-8")
        assert "cannot listen" in reason, reason
        time.sleep(0.5)
    pytest.fail(f"port {port} stayed busy for 10 tries: {reason}")


def test_kill_9_mid_run_loses_no_acknowledged_save(package_dir, package, tmp_path):
    db = tmp_path / "room.db"
    tally = Tally()
    acked_before_kill: dict[str, list[int]] = {}
    with contextlib.ExitStack() as stack:
        started = _serve(stack, package_dir, db, tmp_path / "first.err")
        assert started is not None, (tmp_path / "first.err").read_text(encoding="utf-8")
        first, port = started
        url = f"wss://127.0.0.1:{port}"

        async def main():
            # The run is long enough for a slow machine; it is stopped once everything is seen.
            sim = asyncio.create_task(simulate(url, package, 16, 60.0, save_every=0.3, tally=tally))
            try:
                await until(lambda: tally.acked >= 40, "machines logged in and saving", 20)
                acked_before_kill.update({t: list(s) for t, s in tally.acked_seqs.items()})
                first.kill()
                first.wait()
                await asyncio.sleep(1.0)  # the machines find the service gone and retry
                await asyncio.to_thread(_serve_again, stack, package_dir, db, tmp_path / "second.err", port)
                before = sum(map(len, acked_before_kill.values()))

                def back() -> bool:  # every machine came back by itself and they went on saving
                    return tally.reconnects >= 16 and tally.acked >= before + 40

                await until(back, "every machine back and saving", 30)
            finally:
                sim.cancel()
                await asyncio.gather(sim, return_exceptions=True)
            return await holdings(url, package.room_key)

        held = asyncio.run(asyncio.wait_for(main(), 90))
    assert count_lost(Tally(acked_seqs=acked_before_kill), held) == 0
    assert count_lost(tally, held) == 0
    assert tally.errors == {}
