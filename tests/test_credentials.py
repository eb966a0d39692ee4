"""`proctor credentials`: one file per exam machine with its own key only, and one for consoles;
each opens the room as exactly what it names."""

import asyncio
import json
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

from proctor.host import RoomOptions, start_room
from proctor.link import auth
from proctor.link import messages as m
from proctor.package import load_package
from proctor.resources import sample_package_dir


def test_each_machine_gets_its_own_key_and_the_console_another(tmp_path):
    out = tmp_path / "creds"
    run = subprocess.run(
        [sys.executable, "-m", "proctor.cli", "credentials", "--package", str(sample_package_dir()), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    package = load_package(sample_package_dir())
    files = {p.stem: p for p in out.glob("*.json")}
    assert set(files) == {mc.id for mc in package.machines} | {"console"}
    assert json.loads(run.stdout)["written"] == len(files)
    creds = {name: auth.Credential.from_json(p.read_text(encoding="utf-8")) for name, p in files.items()}
    for p in files.values():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert package.room_key not in p.read_text(encoding="utf-8")  # the room secret stays home
    assert len({c.key for c in creds.values()}) == len(creds)  # no two alike
    assert {c.pin for c in creds.values()} == {auth.server_pin(package.room_key)}
    a01 = creds["A01"]
    assert auth.proves(auth.machine_key(package.room_key, "A01"), "n", "machine", "A01", a01.hello("n").proof)
    assert not auth.proves(auth.console_key(package.room_key), "n", "console", "console", a01.hello("n").proof)

    async def main():
        room = await start_room(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() + 60))
        try:
            async with auth.open_link(room.url, a01, clock=time.time()) as (_, welcome):
                assert isinstance(welcome, m.Welcome) and welcome.room == package.room
            async with auth.open_link(room.url, creds["console"]) as (_, snapshot):
                assert isinstance(snapshot, m.Snapshot)
        finally:
            await room.stop()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_the_test_vector_in_the_protocol_document_holds():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text(encoding="utf-8")
    vector = dict(re.findall(r"^\| ([^|]+?) \| `([0-9a-fA-Z]+)` \|$", doc, re.M))
    secret, machine, nonce = vector["room secret"], vector["machine"], vector["nonce"]
    key = auth.machine_key(secret, machine)
    assert vector["machine key"] == key.hex()
    assert vector["console key"] == auth.console_key(secret).hex()
    assert vector[f"proof of {machine}"] == auth.proof(key, nonce, "machine", machine)
    assert vector["`server_key_sha256`"] == auth.server_pin(secret)
