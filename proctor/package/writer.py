"""Write an ExamPackage as a format-1 package directory."""

from __future__ import annotations

import csv
import io
import os
import secrets
import shutil
from datetime import datetime
from pathlib import Path

from proctor.domain.package import ExamPackage
from proctor.package.loader import (
    CANDIDATE_COLUMNS,
    CANDIDATES_CSV,
    FORMAT,
    MACHINE_COLUMNS,
    MACHINES_CSV,
    PACKAGE_TOML,
    PHOTOS,
    _parse_offset,
    parse_files,
)


def _toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _iso(ts: float, tz_text: str) -> str:
    tz = _parse_offset(tz_text)
    if tz is None:
        raise ValueError(f"bad timezone {tz_text!r}")
    dt = datetime.fromtimestamp(ts, tz)
    return dt.isoformat(timespec="seconds" if dt.microsecond == 0 else "microseconds")


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    # "\n", not csv's default "\r\n": the fingerprint is over bytes, and LF is what
    # every editor and git keep as is.
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def package_files(pkg: ExamPackage) -> dict[str, bytes]:
    """The package's files, {relative path: bytes}, exactly as write_package writes them."""
    rows = max(m.row for m in pkg.machines) if pkg.machines else 1
    cols = max(m.col for m in pkg.machines) if pkg.machines else 1
    lines = [
        f"format = {FORMAT}",
        f"exam = {_toml_str(pkg.exam)}",
        f"level = {_toml_str(pkg.level)}",
        f"batch = {_toml_str(pkg.batch)}",
        f"policy = {_toml_str(pkg.policy)}",
        f"site = {_toml_str(pkg.site)}",
        f"room = {_toml_str(pkg.room)}",
        f"room_key = {_toml_str(pkg.room_key)}",
        *([f"authcode_key = {_toml_str(pkg.authcode_key)}"] if pkg.authcode_key else []),
        *([f"site_secret = {_toml_str(pkg.site_secret)}"] if pkg.site_secret else []),
        f"timezone = {_toml_str(pkg.timezone)}",
        f"overbooked = {'true' if pkg.overbooked else 'false'}",
        *(["cloud = true"] if pkg.cloud else []),
        "",
        "[layout]",
        f"rows = {rows}",
        f"cols = {cols}",
    ]
    for s in pkg.sittings:
        lines += [
            "",
            "[[sitting]]",
            f"number = {s.number}",
            f"subject = {_toml_str(s.subject)}",
            f"start = {_toml_str(_iso(s.start, pkg.timezone))}",
            f"duration_min = {s.duration_min}",
        ]
    for d in pkg.duty:
        lines += [
            "",
            "[[duty]]",
            f"level = {_toml_str(d.level)}",
            f"who = {_toml_str(d.who)}",
            f"phone = {_toml_str(d.phone)}",
        ]
    files = {PACKAGE_TOML: ("\n".join(lines) + "\n").encode("utf-8")}

    files[MACHINES_CSV] = _csv(
        [list(MACHINE_COLUMNS)] + [[m.id, str(m.row), str(m.col), "1" if m.spare else "0"] for m in pkg.machines]
    )

    sits: dict[str, list[str]] = {c.ticket: [] for c in pkg.candidates}
    for s in pkg.sittings:
        for t in s.tickets:
            if t not in sits:
                raise ValueError(f"sitting {s.number} lists unknown ticket {t}")
            sits[t].append(str(s.number))
    files[CANDIDATES_CSV] = _csv(
        [list(CANDIDATE_COLUMNS)]
        + [
            [c.ticket, c.name, c.gender, c.id_number, c.seat or "", ";".join(sits[c.ticket]), c.photo or ""]
            for c in pkg.candidates
        ]
    )
    for name, data in sorted(pkg.photos.items()):
        if "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"bad photo file name {name!r}")  # would land outside photos/
        files[f"{PHOTOS}/{name}"] = data
    return files


def write_package(pkg: ExamPackage, path: str | Path, *, overwrite: bool = False) -> ExamPackage:
    """Validate, then write the directory; returns the package with its fingerprint.

    Nothing is written when validation fails. With overwrite=True an existing package
    directory is replaced whole (so no stale photo changes the fingerprint); a non-empty
    directory that is not a package is never replaced.
    """
    files = package_files(pkg)
    # The policy file may live only on the console that loads it; check it there.
    written = parse_files(files, check_policy=False)
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise FileExistsError(f"{target} exists and is not a directory")
        if any(target.iterdir()):
            if not overwrite:
                raise FileExistsError(f"{target} is not empty")
            if not (target / PACKAGE_TOML).is_file():
                raise FileExistsError(f"{target} is not empty and holds no {PACKAGE_TOML}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not mkdtemp: its 0700 would stick to the package folder; mkdir honours the umask.
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    tmp.mkdir()
    try:
        for rel, data in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
