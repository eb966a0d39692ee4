"""The room's backup (R15, 000 附件3 19: within 30 minutes of the end, back up the exam data),
encrypted (R56, 000 附件3 17: answer data encrypted at the end of the exam).

One file: `PROCTOR-BACKUP/1`, a header line (JSON: room, sitting, when, the key's label), a
12-byte nonce, then AES-256-GCM of a zip holding the room's log (a consistent copy through
SQLite's backup API, taken while the service runs) and its evidence files. The key is derived
from the exam package's room secret, which only the proctor machine and the exam office hold;
the header is authenticated with it. `open_backup` (and `proctor backup-open`) gives the zip back.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"PROCTOR-BACKUP/1\n"
_LABEL = b"proctor-backup/1"


class BackupRefused(Exception):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    size: int


def backup_key(room_secret: str) -> bytes:
    return hmac.new(room_secret.encode(), _LABEL, hashlib.sha256).digest()


def _archive(db: Path, evidence: Path) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "room.db"
        src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(copy, "room.db")
            if evidence.is_dir():
                for f in sorted(evidence.iterdir()):
                    if f.is_file() and not f.name.startswith("."):
                        z.write(f, f"evidence/{f.name}")
        return out.getvalue()


def write_backup(
    db: Path, evidence: Path, folder: Path, room_secret: str, *, room: str, sitting: int, at: float
) -> Written:
    """Blocking (a thread's work): the copy, the encryption, the file written whole and fsynced."""
    if not folder.is_absolute():
        raise BackupRefused(f"{folder} is not an absolute path", f"{folder} 不是完整路径，请选择备份文件夹")
    if not folder.is_dir():
        raise BackupRefused(f"{folder} is not a folder", f"{folder} 不是文件夹或尚未插入，请选择备份文件夹")
    header = json.dumps({"room": room, "sitting": sitting, "at": at}, ensure_ascii=False, sort_keys=True)
    nonce = os.urandom(12)
    sealed = AESGCM(backup_key(room_secret)).encrypt(nonce, _archive(db, evidence), header.encode())
    body = MAGIC + header.encode() + b"\n" + nonce + sealed
    stamp = int(at)
    target = folder / f"{_safe(room)}-{sitting}-{stamp}.proctor-backup"
    tmp = folder / f".{target.name}.part"
    try:
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupRefused(f"cannot write {target}: {exc}", f"无法写入备份文件：{exc.strerror or exc}") from None
    return Written(target, hashlib.sha256(body).hexdigest(), len(body))


def open_backup(data: bytes, room_secret: str) -> tuple[dict[str, object], bytes]:
    """The header and the zip; BackupRefused for another room's key, a cut or altered file."""
    if not data.startswith(MAGIC) or b"\n" not in data[len(MAGIC) :]:
        raise BackupRefused("not a room backup", "不是监考机备份文件")
    header, _, rest = data[len(MAGIC) :].partition(b"\n")
    try:
        archive = AESGCM(backup_key(room_secret)).decrypt(rest[:12], rest[12:], header)
    except (InvalidTag, ValueError):
        raise BackupRefused(
            "the backup does not open with this room's key: another room's, cut short or altered",
            "备份文件无法用本考场密钥解开：属于其他考场、不完整或被改动",
        ) from None
    return json.loads(header), archive


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:40] or "room"
