"""Evidence files (a photo, a screenshot) attached to room records, kept beside the room's log in
`<db>.evidence/<sha256>`: written whole (a temporary file, fsync, rename), named by their hash,
so a file is stored once however often it is attached and a changed file is a different one.
The record that attaches a file carries its hash in the hash-chained log.

A console sends a file in parts (each within the link's message bound); `Uploads` puts them
together and keeps at most a few unfinished files in memory."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.violations import EVIDENCE_MAX_BYTES as MAX_BYTES
from ..domain.violations import EVIDENCE_PART_BYTES as PART_BYTES

MAX_OPEN = 4  # unfinished uploads held at once; a fifth drops the oldest


class EvidenceRefused(Exception):
    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.en, self.zh = code, en, zh


class EvidenceStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: set[str] | None = None

    @classmethod
    def beside(cls, db: Path) -> EvidenceStore:
        return cls(db.with_name(db.name + ".evidence"))

    def held(self) -> frozenset[str]:
        if self._held is None:
            names = os.listdir(self.folder) if self.folder.is_dir() else []
            self._held = {n for n in names if len(n) == 64 and all(ch in "0123456789abcdef" for ch in n)}
        return frozenset(self._held)

    def path(self, sha256: str) -> Path:
        return self.folder / sha256

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.held():
            return digest
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{digest}.part"
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path(digest))
        dir_fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        assert self._held is not None
        self._held.add(digest)
        return digest


@dataclass
class _Upload:
    size: int
    parts: int
    got: dict[int, bytes] = field(default_factory=dict)


class Uploads:
    """Parts of files on their way in, by the hash the whole file must have."""

    def __init__(self, store: EvidenceStore) -> None:
        self.store = store
        self._open: dict[str, _Upload] = {}

    def add(self, sha256: str, size: int, part: int, parts: int, data: bytes) -> bool:
        """Take one part; True once the whole file is stored (its hash checked)."""
        if sha256 in self.store.held():
            self._open.pop(sha256, None)
            return True
        if size > MAX_BYTES:
            raise EvidenceRefused(
                "evidence_too_large",
                f"an evidence file is at most {MAX_BYTES // (1024 * 1024)} MB",
                f"证据文件最大 {MAX_BYTES // (1024 * 1024)} MB，请压缩后再添加，或以纸质材料附后",
            )
        if parts != -(-size // PART_BYTES) or not 0 <= part < parts or len(data) > PART_BYTES:
            raise EvidenceRefused(
                "evidence_parts", "the parts do not add up to the file", "证据文件分段有误，请重新添加"
            )
        up = self._open.get(sha256)
        if up is None or (up.size, up.parts) != (size, parts):
            while len(self._open) >= MAX_OPEN:
                self._open.pop(next(iter(self._open)))
            up = self._open[sha256] = _Upload(size, parts)
        up.got[part] = data
        if len(up.got) < parts:
            return False
        whole = b"".join(up.got[i] for i in range(parts))
        del self._open[sha256]
        if len(whole) != size or hashlib.sha256(whole).hexdigest() != sha256:
            raise EvidenceRefused(
                "evidence_damaged",
                "the file received does not match its hash: it changed or was cut on the way",
                "收到的证据文件与其校验值不符（传输中被截断或更改），请重新添加",
            )
        self.store.put(whole)
        return True
