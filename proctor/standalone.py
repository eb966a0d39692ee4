"""Standalone exam files (单机考试作答包 and its result): sealed with AES-256-GCM for one exam
machine (docs/standalone.md).

A file is `MAGIC | kind | header length (2 bytes) | header (JSON) | nonce (12) | ciphertext+tag`.
The header names the exam package, candidate, machine and package id in clear, so the console
can say what a file is before opening it; it is authenticated (the AAD covers every byte before
the ciphertext) and repeated inside the encrypted contents, which must agree with it.

The key is HKDF-SHA256 of the exam machine's own key (HMAC of the room secret, proctor.link.auth)
with the package id as salt and the kind in `info`: only the proctor machine (which holds the
room secret) and that one exam machine can open or make a file of that package, and a package
cannot be passed off as its result. R56 (000 附件3 17): answers never leave the console in clear.
"""

from __future__ import annotations

import hashlib
import os
import struct
from typing import Annotated, Any, Literal

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .domain.commands import RESULT_MAX_BYTES
from .domain.package import ExamPackage
from .domain.room import canonical_answers
from .domain.standalone import OfflineResult, OfflineSave
from .link.auth import machine_key
from .link.messages import Answers, Id, Seq

MAGIC = b"PSTA\x01"  # proctor standalone, format 1
PACKAGE, RESULT = b"P", b"R"
_KIND_NAME = {PACKAGE: "package", RESULT: "result"}
NONCE_BYTES, TAG_BYTES = 12, 16
MAX_HEADER_BYTES = 1024
PACKAGE_MAX_BYTES = 1024 * 1024  # one set of answers, bounded like one save (256 KiB) with room to spare
MAX_SAVES = 2000
_LABEL = b"proctor-standalone/1/"

Hex64 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
PackageId = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{32}$")]
Text = Annotated[str, msgspec.Meta(max_length=200)]


class Header(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a file says it is, readable without the key (and authenticated with it)."""

    fingerprint: Annotated[str, msgspec.Meta(max_length=64)]
    room: Text
    sitting: Annotated[int, msgspec.Meta(ge=1, le=16)]
    ticket: Id
    machine: Id
    package_id: PackageId


class PackageContents(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    header: Header
    name: Text  # shown on the offline login screen
    login: Hex64  # SHA-256 of package id and the upper-case ID number: the offline login check
    exported_at: float
    remaining_s: Annotated[float, msgspec.Meta(gt=0, le=86400)]
    last_seq: Annotated[int, msgspec.Meta(ge=0, le=2**53)]
    answers: Answers | None = None


class ResultSave(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    seq: Seq
    answers: Answers
    answered: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    at: float = 0.0  # the offline machine's own clock


class ResultContents(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    header: Header
    package_digest: Hex64
    saves: Annotated[list[ResultSave], msgspec.Meta(max_length=MAX_SAVES)]
    finished: Literal["submitted", "time_over"]


class SealError(Exception):
    """A file that is not what it must be: `code` for programs, `zh` for the proctor."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.en, self.zh = code, en, zh


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def login_check(package_id: str, id_number: str) -> str:
    return hashlib.sha256(f"{package_id}\n{id_number.strip().upper()}".encode()).hexdigest()


def file_key(machine_key_: bytes, package_id: str, kind: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=bytes.fromhex(package_id),
        info=_LABEL + _KIND_NAME[kind].encode(),
    ).derive(machine_key_)


def header_of(package: ExamPackage, sitting: int, ticket: str, machine: str, package_id: str) -> Header:
    return Header(package.fingerprint, f"{package.site}|{package.room}", sitting, ticket, machine, package_id)


def _seal(key_of_machine: bytes, kind: bytes, header: Header, contents: Any) -> bytes:
    head = msgspec.json.encode(header)
    prefix = MAGIC + kind + struct.pack(">H", len(head)) + head
    nonce = os.urandom(NONCE_BYTES)
    aad = prefix + nonce
    sealed = AESGCM(file_key(key_of_machine, header.package_id, kind)).encrypt(
        nonce, msgspec.json.encode(contents), aad
    )
    return aad + sealed


def read_header(data: bytes, kind: bytes) -> Header:
    """The header of a file of `kind`, or SealError saying what the file is instead."""
    max_bytes = PACKAGE_MAX_BYTES if kind == PACKAGE else RESULT_MAX_BYTES
    what = "作答包" if kind == PACKAGE else "作答结果"
    if len(data) > max_bytes:
        raise SealError("too_large", f"more than {max_bytes} bytes", f"文件过大，不是单机考试{what}")
    if not data.startswith(MAGIC):
        raise SealError("not_standalone", "not a standalone exam file", f"该文件不是单机考试{what}文件")
    if len(data) < len(MAGIC) + 3:
        raise _damaged(kind)
    found = data[len(MAGIC) : len(MAGIC) + 1]
    if found != kind:
        if found == PACKAGE:
            raise SealError(
                "package_not_result",
                "this is the standalone package, not its result",
                "这是导出的单机考试作答包，不是考试机生成的作答结果文件，请选择作答结果文件",
            )
        if found == RESULT:
            raise SealError("result_not_package", "this is a result, not a package", "这是作答结果文件，不是作答包")
        raise _damaged(kind)
    (n,) = struct.unpack(">H", data[len(MAGIC) + 1 : len(MAGIC) + 3])
    start = len(MAGIC) + 3
    if n > MAX_HEADER_BYTES or len(data) < start + n + NONCE_BYTES + TAG_BYTES:
        raise _damaged(kind)
    try:
        return msgspec.json.decode(data[start : start + n], type=Header)
    except (msgspec.DecodeError, ValueError, RecursionError):  # not JSON, not UTF-8, not a header
        raise _damaged(kind) from None


def _damaged(kind: bytes) -> SealError:
    what = "作答包" if kind == PACKAGE else "作答结果"
    return SealError(
        "damaged",
        "the file is cut short, altered, or sealed for another machine or room",
        f"单机考试{what}文件不完整、已被改动，或不属于本考场的这台考试机，校验失败",
    )


def _open(key_of_machine: bytes, data: bytes, kind: bytes, type_: type) -> Any:
    header = read_header(data, kind)
    (n,) = struct.unpack(">H", data[len(MAGIC) + 1 : len(MAGIC) + 3])
    cut = len(MAGIC) + 3 + n + NONCE_BYTES
    aad, nonce = data[:cut], data[cut - NONCE_BYTES : cut]
    try:
        plain = AESGCM(file_key(key_of_machine, header.package_id, kind)).decrypt(nonce, data[cut:], aad)
        contents = msgspec.json.decode(plain, type=type_)
    except (InvalidTag, msgspec.DecodeError, ValueError):
        raise _damaged(kind) from None
    if contents.header != header:  # sealed by a holder of the key, yet inconsistent: refuse
        raise _damaged(kind)
    return contents


# -- the console's side ------------------------------------------------------------------------


def seal_package(
    package: ExamPackage,
    *,
    sitting: int,
    ticket: str,
    machine: str,
    package_id: str,
    exported_at: float,
    remaining_s: float,
    last_seq: int,
    answers: Any,
) -> bytes:
    person = package.candidate(ticket)
    assert person is not None
    contents = PackageContents(
        header=header_of(package, sitting, ticket, machine, package_id),
        name=person.name,
        login=login_check(package_id, person.id_number),
        exported_at=exported_at,
        remaining_s=remaining_s,
        last_seq=last_seq,
        answers=answers,
    )
    return _seal(machine_key(package.room_key, machine), PACKAGE, contents.header, contents)


def open_result(package: ExamPackage, data: bytes, machine: str) -> OfflineResult:
    """A result file opened with `machine`'s key (the machine the package was recorded for)."""
    contents: ResultContents = _open(machine_key(package.room_key, machine), data, RESULT, ResultContents)
    h = contents.header
    saves = tuple(OfflineSave(s.seq, canonical_answers(s.answers), s.answered) for s in contents.saves)
    return OfflineResult(
        h.fingerprint, h.sitting, h.ticket, h.machine, h.package_id, contents.package_digest, saves, digest(data)
    )


# -- the exam machine's side -------------------------------------------------------------------


def open_package(key_of_machine: bytes, data: bytes) -> PackageContents:
    return _open(key_of_machine, data, PACKAGE, PackageContents)


def seal_result(
    key_of_machine: bytes,
    package: PackageContents,
    package_digest: str,
    saves: list[ResultSave],
    finished: Literal["submitted", "time_over"],
) -> bytes:
    contents = ResultContents(package.header, package_digest, saves, finished)
    return _seal(key_of_machine, RESULT, package.header, contents)


def file_name(kind: bytes, header: Header) -> str:
    """`standalone-<ticket>-<machine>-<id>.pkg` or `…-result.res`: what a proctor finds on the stick."""
    stem = f"standalone-{header.ticket}-{header.machine}-{header.package_id[:8]}"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
    return f"{safe}.pkg" if kind == PACKAGE else f"{safe}-result.res"
