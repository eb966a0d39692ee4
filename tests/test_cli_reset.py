"""Reset from the command line: `proctor do reset-candidate` reaches the same rules through the
same table, and prints a refusal with its rule in both languages."""

import json
import subprocess
import sys

import pytest

from proctor.package import load_package
from tests import wire
from tests.test_cli_commands import PKG, proctor


@pytest.fixture
def started(tmp_path):
    """`proctor serve` on the sample package, its sitting starting now."""
    args = ["serve", "--package", PKG, "--db", str(tmp_path / "room.db"), "--listen", "127.0.0.1:0"]
    with subprocess.Popen(
        [sys.executable, "-m", "proctor.cli", *args, "--start-at", "now"], stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            yield json.loads(proc.stdout.readline())["listening"]
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stdout.close()


def test_a_reset_from_the_command_line(started):
    pkg = load_package(PKG)
    c = pkg.candidates[0]

    async def log_in():
        ws, welcome = await wire.machine(started, pkg, c.seat)
        assert welcome["t"] == "welcome", welcome
        assert (await wire.login(ws, c))["t"] == "login_ok"
        await ws.close()

    wire.run(log_in())

    def do(*args: str):
        return proctor("do", "--connect", started, "--package", PKG, "--by", "林𠮷祥,王芳", *args)

    assert (
        proctor(
            "do", "--connect", started, "--package", PKG, "sign-in-proctors", "--names", "林𠮷祥", "王芳"
        ).returncode
        == 0
    )
    out = do("reset-candidate", "--ticket", c.ticket, "--kind", "restart", "--reason", "peripheral")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["to"] == c.seat
    # The spare is not on: refused with its rule, in both languages.
    out = do("reset-candidate", "--ticket", c.ticket, "--machine", "F07", "--reason", "machine_fault")
    assert out.returncode == 1
    assert "[R24]" in out.stderr and "备用机 F07 未连接" in out.stderr and "not connected" in out.stderr
    out = do("reset-candidate", "--ticket", c.ticket, "--kind", "fresh", "--machine", "F07", "--reason", "network")
    assert out.returncode != 0 and "kind" in out.stderr and "Traceback" not in out.stderr
