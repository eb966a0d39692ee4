"""Standalone package and result files (docs/standalone.md): AES-GCM under a key only the proctor
machine and the one exam machine can derive; every byte authenticated; a file cut short, a bit
flipped anywhere, another machine's key, another package or room, or a package given as a
result are refused, never half read."""

import dataclasses
import struct

import pytest

from proctor import standalone as files
from proctor.link.auth import Credential, machine_key
from proctor.sim.standalone import run_offline
from tests.factories import make_package

PID = "0123456789abcdef" * 2
ANSWERS = {"1": "B", "2": ["A", "C"], "entry": [{"借": "银行存款", "金额": 100}]}


@pytest.fixture
def pkg():
    return make_package(candidates=3, machines=5)


def package_file(pkg, machine="A05", pid=PID, ticket=None):
    return files.seal_package(
        pkg,
        sitting=1,
        ticket=ticket or pkg.candidates[0].ticket,
        machine=machine,
        package_id=pid,
        exported_at=1.0,
        remaining_s=3000.0,
        last_seq=7,
        answers=ANSWERS,
    )


def cred(pkg, machine="A05"):
    return Credential.machine(pkg.room_key, machine)


def test_the_machine_it_was_sealed_for_opens_it_and_its_result_comes_back(pkg):
    data = package_file(pkg)
    assert "银行存款".encode() not in data and b"ANSWERS" not in data  # R56: never in clear
    opened = files.open_package(machine_key(pkg.room_key, "A05"), data)
    assert (opened.answers, opened.last_seq, opened.remaining_s) == (ANSWERS, 7, 3000.0)
    assert opened.login == files.login_check(PID, pkg.candidates[0].id_number.lower())
    run = run_offline(cred(pkg), data, saves=2, id_number=pkg.candidates[0].id_number)
    assert [s.seq for s in run.saves] == [8, 9]
    back = files.open_result(pkg, run.result, "A05")
    assert [s.seq for s in back.saves] == [8, 9]
    assert back.package_digest == files.digest(data) and back.digest == files.digest(run.result)
    assert back.saves[-1].answers == files.canonical_answers(run.last_answers)


def test_another_machines_key_opens_neither(pkg):
    data = package_file(pkg)
    with pytest.raises(files.SealError) as no:
        files.open_package(machine_key(pkg.room_key, "A04"), data)
    assert no.value.code == "damaged"
    with pytest.raises(files.SealError) as no:
        run_offline(cred(pkg, "A04"), data)
    assert no.value.code == "another_machine" and "A05" in no.value.zh
    result = run_offline(cred(pkg), data).result
    with pytest.raises(files.SealError):
        files.open_result(pkg, result, "A04")


def test_another_rooms_secret_opens_neither(pkg):
    other = dataclasses.replace(make_package(candidates=3, machines=5), room_key="z" * 32)
    result = run_offline(cred(pkg), package_file(pkg)).result
    with pytest.raises(files.SealError):
        files.open_result(other, result, "A05")
    with pytest.raises(files.SealError):
        run_offline(cred(other), package_file(pkg))


def regions(data):
    """Where each part of a file lies: magic, kind, header length, header, nonce, ciphertext, tag."""
    m = len(files.MAGIC)
    (n,) = struct.unpack(">H", data[m + 1 : m + 3])
    h = m + 3 + n
    return {
        "magic": 0,
        "kind": m,
        "header length": m + 1,
        "header": m + 3 + n // 2,
        "nonce": h + 3,
        "ciphertext": h + files.NONCE_BYTES + 5,
        "tag": len(data) - 3,
    }


@pytest.mark.parametrize("region", ["magic", "kind", "header length", "header", "nonce", "ciphertext", "tag"])
def test_one_bit_flipped_anywhere_is_refused(pkg, region):
    result = run_offline(cred(pkg), package_file(pkg)).result
    at = regions(result)[region]
    bad = bytearray(result)
    bad[at] ^= 0x01
    with pytest.raises(files.SealError) as no:
        files.open_result(pkg, bytes(bad), "A05")
    assert no.value.zh  # said in the proctors' words


def test_every_single_bit_of_a_small_file_matters(pkg):
    result = run_offline(cred(pkg), package_file(pkg), saves=1).result
    for i in range(0, len(result) * 8, 7):
        bad = bytearray(result)
        bad[i // 8] ^= 1 << (i % 8)
        with pytest.raises(files.SealError):
            files.open_result(pkg, bytes(bad), "A05")


@pytest.mark.parametrize("keep", [0, 3, 5, 7, 40, -17, -16, -1])
def test_a_file_cut_short_is_refused(pkg, keep):
    result = run_offline(cred(pkg), package_file(pkg)).result
    with pytest.raises(files.SealError):
        files.open_result(pkg, result[:keep], "A05")


def test_a_package_given_as_its_result_is_named_as_such(pkg):
    data = package_file(pkg)
    with pytest.raises(files.SealError) as no:
        files.open_result(pkg, data, "A05")
    assert no.value.code == "package_not_result"
    assert "作答包" in no.value.zh and "作答结果" in no.value.zh


def test_a_result_relabelled_as_another_package_is_refused(pkg):
    """The package id salts the key and is in the authenticated header: a result cannot be
    moved to another package by editing its header."""
    result = run_offline(cred(pkg), package_file(pkg)).result
    forged = result.replace(PID.encode(), ("f" * 32).encode())
    assert forged != result
    with pytest.raises(files.SealError) as no:
        files.open_result(pkg, forged, "A05")
    assert no.value.code == "damaged"


def test_not_a_standalone_file_or_too_large(pkg):
    with pytest.raises(files.SealError) as no:
        files.open_result(pkg, b"%PDF-1.7 not ours" * 10, "A05")
    assert no.value.code == "not_standalone"
    with pytest.raises(files.SealError) as no:
        files.read_header(files.MAGIC + b"R" + b"\0" * (files.RESULT_MAX_BYTES + 1), files.RESULT)
    assert no.value.code == "too_large"


def test_each_export_is_sealed_afresh(pkg):
    a, b = package_file(pkg), package_file(pkg)
    assert a != b  # a fresh nonce each time
    assert files.open_package(machine_key(pkg.room_key, "A05"), a) == files.open_package(
        machine_key(pkg.room_key, "A05"), b
    )
