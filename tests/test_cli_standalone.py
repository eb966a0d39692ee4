"""The standalone exam from the command line, against a real `proctor serve`: a technician
exports the package to a folder, the offline machine (`proctor sim standalone`, with its own
credential file) answers on and writes the result, and the import merges it, once."""

import asyncio
import json
import subprocess
import sys

import pytest

from proctor.package import load_package
from tests import wire
from tests.test_cli_commands import PKG, proctor

BY = "林𠮷祥,王芳"


@pytest.fixture
def started(tmp_path):
    """The sample room, its sitting started a minute ago."""
    with subprocess.Popen(
        [sys.executable, "-m", "proctor.cli", "serve", "--package", PKG, "--db", str(tmp_path / "room.db"),
         "--listen", "127.0.0.1:0", "--start-at", "now-1m"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:  # fmt: skip
        try:
            yield json.loads(proc.stdout.readline())["listening"]
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stdout.close()


async def log_in_and_save(url, package, c):
    ws, _ = await wire.machine(url, package, c.seat)
    assert (await wire.login(ws, c))["t"] == "login_ok"
    await wire.send(ws, {"t": "save", "id": 2, "ticket": c.ticket, "seq": 1, "answers": {"1": "借：银行存款"}})
    assert (await wire.recv(ws))["t"] == "ack"
    await ws.close()


def test_export_sim_standalone_import_round_trip(started, tmp_path):
    package = load_package(PKG)
    c = package.candidates[0]
    spare = next((mc.id for mc in package.machines if mc.spare), c.seat)
    asyncio.run(asyncio.wait_for(log_in_and_save(started, package, c), 30))
    creds, stick = tmp_path / "creds", tmp_path / "stick"
    stick.mkdir()
    assert proctor("credentials", "--package", PKG, "--out", str(creds)).returncode == 0
    room = ("--connect", started, "--package", PKG)
    assert proctor("do", *room, "sign-in-proctors", "--names", *BY.split(",")).returncode == 0

    no = proctor("standalone", *room, "--by", BY, "export", "--ticket", c.ticket, "--machine", spare,
                 "--chief", " ", "--reason", "A01 无法继续", "--out", str(stick))  # fmt: skip
    assert no.returncode == 1 and "[R25]" in no.stderr and "主考" in no.stderr
    out = proctor("standalone", *room, "--by", BY, "export", "--ticket", c.ticket, "--machine", spare,
                  "--chief", "周主考", "--reason", "A01 无法继续", "--out", str(stick))  # fmt: skip
    assert out.returncode == 0, out.stderr
    exported = json.loads(out.stdout)
    assert "package" not in exported and exported["last_seq"] == 1

    # Another machine's credential cannot open it; its own can.
    other = next(mc.id for mc in package.machines if mc.id != spare)
    sim = ("sim", "standalone", "--package", exported["path"], "--out", str(stick))
    wrong = proctor(*sim, "--credential", str(creds / f"{other}.json"))
    assert wrong.returncode == 1 and spare in wrong.stderr
    offline = proctor(*sim, "--credential", str(creds / f"{spare}.json"), "--saves", "4", "--id-number", c.id_number)
    assert offline.returncode == 0, offline.stderr
    made = json.loads(offline.stdout)
    assert (made["saves"], made["last_seq"]) == (4, 5)

    given_package = proctor("standalone", *room, "--by", BY, "import", "--result", exported["path"])
    assert given_package.returncode == 1 and "不是考试机生成的作答结果" in given_package.stderr
    back = proctor("standalone", *room, "--by", BY, "import", "--result", made["result"])
    assert back.returncode == 0, back.stderr
    merged = json.loads(back.stdout)
    assert (merged["already"], merged["saves"], merged["last_seq"]) == (False, 4, 5)
    again = proctor("standalone", *room, "--by", BY, "import", "--result", made["result"])
    assert again.returncode == 0 and json.loads(again.stdout)["already"] is True

    page = json.loads(proctor("do", *room, "history", "--limit", "1000").stdout)["events"]
    kinds = [e["kind"] for e in page]
    assert kinds.count("StandaloneExported") == 1 and kinds.count("StandaloneRecovered") == 1
    [sub] = [e for e in page if e["kind"] == "CandidateSubmitted" and e["ticket"] == c.ticket]
    assert sub["by"] == "standalone"


def test_sim_standalone_refuses_what_is_not_a_package_in_words(tmp_path):
    junk = tmp_path / "junk.pkg"
    junk.write_bytes(b"not a package")
    cred = tmp_path / "A01.json"
    cred.write_text("{}", encoding="utf-8")
    out = proctor("sim", "standalone", "--credential", str(cred), "--package", str(junk), "--out", str(tmp_path))
    assert out.returncode != 0 and "Traceback" not in out.stderr and "credential" in out.stderr
    assert proctor("credentials", "--package", PKG, "--out", str(tmp_path / "c")).returncode == 0
    good = tmp_path / "c" / "A01.json"
    out = proctor("sim", "standalone", "--credential", str(good), "--package", str(junk), "--out", str(tmp_path))
    assert out.returncode == 1 and "不是单机考试作答包" in out.stderr
    out = proctor("sim", "--connect", "wss://127.0.0.1:1")
    assert out.returncode != 0 and "--package" in out.stderr and "Traceback" not in out.stderr
