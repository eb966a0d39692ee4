"""Read and validate an exam package directory (format 1); see docs/exam-package.md."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from proctor.domain import idcard
from proctor.domain.package import DUTY_LEVELS, Candidate, DutyContact, ExamPackage, Machine, Sitting
from proctor.domain.policy import Policy
from proctor.resources import PolicyMissing, load_policy, resources_dir

FORMAT = 1
PACKAGE_TOML = "package.toml"
MACHINES_CSV = "machines.csv"
CANDIDATES_CSV = "candidates.csv"
PHOTOS = "photos"
MACHINE_COLUMNS = ("id", "row", "col", "spare")
CANDIDATE_COLUMNS = ("ticket", "name", "gender", "id_number", "seat", "sittings", "photo")

POLICIES_DIR = resources_dir() / "policies"

_POLICY_ID = re.compile(r"[a-z0-9-]+")
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
_MACHINE_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_TICKET = re.compile(r"[0-9]{6,20}")
_PHOTO = re.compile(r"[^/\\:*?\"<>|\x00-\x1f]+\.png", re.IGNORECASE)

_TOP_KEYS = {
    "format",
    "exam",
    "level",
    "batch",
    "policy",
    "site",
    "room",
    "room_key",
    "authcode_key",
    "site_secret",
    "timezone",
    "overbooked",
    "cloud",
    "layout",
    "sitting",
    "duty",
}
_DUTY_KEYS = {"level", "who", "phone"}
_PHONE = re.compile(r"[0-9+\- ()]{3,30}")
_MAX_DUTY = 20
_LAYOUT_KEYS = {"rows", "cols"}
_SITTING_KEYS = {"number", "subject", "start", "duration_min"}
_MAX_GRID = 100  # rows or cols; a room is never wider than this
_MAX_DURATION_MIN = 600


class PackageError(Exception):
    """A package that cannot be used, located by file, line and field."""

    def __init__(
        self,
        file: str,
        line: int | None,
        field: str | None,
        problem_en: str,
        problem_zh: str,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.problem_en = problem_en
        self.problem_zh = problem_zh
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.problem_en} / {self.problem_zh}"

    def __reduce__(self):  # keep it picklable despite the custom __init__
        return (
            type(self),
            (self.file, self.line, self.field, self.problem_en, self.problem_zh),
        )


# ---------------------------------------------------------------- files and fingerprint


def read_files(path: str | Path) -> dict[str, bytes]:
    """Every non-dot file under `path`, keyed by relative POSIX path."""
    root = Path(path)
    if not root.is_dir():
        raise PackageError(str(path), None, None, "package folder not found", "找不到考务数据包文件夹")
    files: dict[str, bytes] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        name = rel.as_posix()
        try:
            name.encode("utf-8")  # the fingerprint hashes it so (e.g. a GBK name from an archive)
        except UnicodeEncodeError:
            shown = name.encode("utf-8", "backslashreplace").decode("utf-8")
            raise PackageError(shown, None, None, "file name is not UTF-8", "文件名不是UTF-8编码") from None
        files[name] = p.read_bytes()
    return files


def fingerprint(files: Mapping[str, bytes]) -> str:
    """sha256 over (path, bytes) pairs sorted by path, each part length-prefixed."""
    h = hashlib.sha256()
    for name in sorted(files):
        raw_name = name.encode("utf-8")
        data = files[name]
        h.update(len(raw_name).to_bytes(8, "big"))
        h.update(raw_name)
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def load_package(path: str | Path, *, policies_dir: str | Path | None = None) -> ExamPackage:
    """Parse and validate a package directory; raise PackageError on the first problem."""
    pdir = Path(policies_dir) if policies_dir is not None else POLICIES_DIR
    return parse_files(read_files(path), policies_dir=pdir)


def parse_files(
    files: Mapping[str, bytes],
    *,
    policies_dir: Path | None = None,
    check_policy: bool = True,
) -> ExamPackage:
    """Validate a package held in memory ({relative path: bytes}) and build it.

    check_policy=False skips the policy-file check, for a package being generated or
    written whose profile lives on another machine.
    """
    head = _parse_toml(files)
    machines = _parse_machines(files, head)
    photos = {
        name.split("/", 1)[1]: data
        for name, data in files.items()
        if name.startswith(PHOTOS + "/") and name.count("/") == 1
    }
    if check_policy:
        try:
            policy = load_policy(head["policy"], policies_dir)
        except PolicyMissing:
            raise _toml_error(
                head,
                "policy",
                f"unknown policy {head['policy']!r}: no resources/policies/{head['policy']}.toml",
                f"未知的适用规则{head['policy']!r}",
            ) from None
        except ValueError as exc:
            raise _toml_error(head, "policy", f"the policy profile is broken: {exc}", "适用规则文件有误") from None
        overbook_pct = policy.overbooking_max_percent
        if head["overbooked"] and overbook_pct is None:  # R33: the profile declines overbooking
            raise _toml_error(
                head,
                "overbooked",
                f"the policy {head['policy']!r} allows no overbooked room (R33): set overbooked = false",
                f"适用规则{head['policy']!r}不允许考场超排（R33），请将overbooked设为false",
            )
    else:
        overbook_pct = Policy.__dataclass_fields__["overbooking_max_percent"].default
    candidates, sitting_of = _parse_candidates(files, head, machines, photos, overbook_pct)
    sittings = tuple(
        Sitting(
            number=s["number"],
            subject=s["subject"],
            start=s["start"],
            duration_min=s["duration_min"],
            tickets=tuple(c.ticket for c in candidates if s["number"] in sitting_of[c.ticket]),
        )
        for s in head["sittings"]
    )
    return ExamPackage(
        exam=head["exam"],
        level=head["level"],
        batch=head["batch"],
        policy=head["policy"],
        site=head["site"],
        room=head["room"],
        room_key=head["room_key"],
        authcode_key=head["authcode_key"].lower(),
        site_secret=head["site_secret"].lower(),
        timezone=head["timezone"],
        machines=machines,
        sittings=sittings,
        candidates=candidates,
        fingerprint=fingerprint(files),
        overbooked=head["overbooked"],
        cloud=head["cloud"],
        duty=tuple(head["duty"]),
        photos=photos,
    )


# ---------------------------------------------------------------- package.toml


def _decode(files: Mapping[str, bytes], name: str) -> str:
    if name not in files:
        raise PackageError(name, None, None, "file is missing", "文件缺失")
    data = files[name]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PackageError(name, line, None, "not valid UTF-8", "不是有效的UTF-8编码") from None
    return text.removeprefix("\ufeff")  # tolerate the BOM spreadsheet programs add


class _TomlLines:
    """Finds the line of a key in package.toml, for error messages."""

    _HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]\]?")

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, int, str], int] = {}
        self.headers: dict[tuple[str, int], int] = {}
        table, counts = "", {}
        for n, line in enumerate(text.splitlines(), start=1):
            m = self._HEADER.match(line)
            if m:
                table = m.group(2)
                counts[table] = counts.get(table, -1) + 1 if m.group(1) == "[[" else 0
                self.headers.setdefault((table, counts[table]), n)
                continue
            k = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
            if k:
                self.keys.setdefault((table, counts.get(table, 0), k.group(1)), n)

    def line(self, key: str, table: str = "", index: int = 0) -> int | None:
        return self.keys.get((table, index, key)) or self.headers.get((table, index))


def _toml_error(
    head: Mapping[str, Any], key: str, en: str, zh: str, table: str = "", index: int = 0, field: str | None = None
) -> PackageError:
    return PackageError(PACKAGE_TOML, head["_lines"].line(key, table, index), field or key, en, zh)


def _parse_toml(files: Mapping[str, bytes]) -> dict[str, Any]:
    text = _decode(files, PACKAGE_TOML)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise PackageError(
            PACKAGE_TOML,
            int(m.group(1)) if m else None,
            None,
            f"TOML syntax error: {msg}",
            "TOML语法错误",
        ) from None
    except RecursionError:
        raise PackageError(PACKAGE_TOML, None, None, "TOML nested too deeply", "TOML嵌套层数过多") from None
    except ValueError:  # not a syntax error: an integer of more digits than Python converts
        raise PackageError(PACKAGE_TOML, None, None, "an integer has too many digits", "整数位数过多") from None
    lines = _TomlLines(text)
    head: dict[str, Any] = {"_lines": lines}

    def err(key: str, en: str, zh: str, table: str = "", index: int = 0) -> PackageError:
        return _toml_error(head, key, en, zh, table, index)

    for key in doc:
        if key not in _TOP_KEYS:
            raise err(key, f"unknown key {key!r}", f"未知的键{key!r}")

    def get(key: str, kind: type, table: Mapping[str, Any] = doc, tname: str = "", index: int = 0) -> Any:
        if key not in table:
            where = f" in [{tname}]" if tname else ""
            zh_where = f"（[{tname}]中）" if tname else ""
            raise err(key, f"{key} is missing{where}", f"缺少{key}{zh_where}", tname, index)
        value = table[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise err(key, f"must be {_KIND_EN[kind]}", f"应为{_KIND_ZH[kind]}", tname, index)
        if kind is str and not value.strip():
            raise err(key, "must not be empty", "不能为空", tname, index)
        return value.strip() if kind is str else value

    fmt = get("format", int)
    if fmt != FORMAT:
        raise err(
            "format",
            f"format {fmt} is not supported (this console reads {FORMAT})",
            f"不支持格式版本{fmt}（本程序读取版本{FORMAT}）",
        )
    for key in ("exam", "level", "batch", "site", "room"):
        head[key] = get(key, str)
    head["policy"] = get("policy", str)
    if not _POLICY_ID.fullmatch(head["policy"]):
        raise err(
            "policy", "policy id must be lower-case letters, digits and '-'", "政策配置名只能包含小写字母、数字和'-'"
        )
    head["room_key"] = get("room_key", str)
    if not _HEX32.fullmatch(head["room_key"]):
        raise err("room_key", "must be 32 hex digits", "应为32位十六进制数")
    head["authcode_key"] = get("authcode_key", str) if "authcode_key" in doc else ""
    if head["authcode_key"] and not _HEX64.fullmatch(head["authcode_key"]):
        raise err("authcode_key", "must be 64 hex digits", "应为64位十六进制数")
    head["site_secret"] = get("site_secret", str) if "site_secret" in doc else ""
    if head["site_secret"] and not _HEX64.fullmatch(head["site_secret"]):
        raise err("site_secret", "must be 64 hex digits", "应为64位十六进制数")
    head["timezone"] = get("timezone", str)
    tz = _parse_offset(head["timezone"])
    if tz is None:
        raise err("timezone", "must be an offset like +08:00", "应为时差，如+08:00")
    head["overbooked"] = doc.get("overbooked", False)
    if not isinstance(head["overbooked"], bool):
        raise err("overbooked", "must be true or false", "应为true或false")
    head["cloud"] = doc.get("cloud", False)  # R54: a cloud exam room 云机房
    if not isinstance(head["cloud"], bool):
        raise err("cloud", "must be true or false", "应为true或false")

    layout = get("layout", dict)
    for key in layout:
        if key not in _LAYOUT_KEYS:
            raise err(key, f"unknown key {key!r} in [layout]", f"[layout]中未知的键{key!r}", "layout")
    for key in ("rows", "cols"):
        v = get(key, int, layout, "layout")
        if not 1 <= v <= _MAX_GRID:
            raise err(key, f"must be 1..{_MAX_GRID}", f"应为1至{_MAX_GRID}", "layout")
        head[key] = v

    raw_sittings = doc.get("sitting")
    if not isinstance(raw_sittings, list) or not raw_sittings:
        raise err("sitting", "at least one [[sitting]] is needed", "至少需要一个[[sitting]]场次")
    sittings = []
    for i, s in enumerate(raw_sittings):
        if not isinstance(s, dict):
            raise err("sitting", "each [[sitting]] must be a table", "每个[[sitting]]应为表", "sitting", i)
        for key in s:
            if key not in _SITTING_KEYS:
                raise err(key, f"unknown key {key!r} in [[sitting]]", f"[[sitting]]中未知的键{key!r}", "sitting", i)
        number = get("number", int, s, "sitting", i)
        if number != i + 1:
            raise err(
                "number",
                f"sittings must be numbered 1..n in order (expected {i + 1})",
                f"场次应按顺序编号1至n（应为{i + 1}）",
                "sitting",
                i,
            )
        subject = get("subject", str, s, "sitting", i)
        start = _parse_start(s.get("start"), tz, lambda en, zh: err("start", en, zh, "sitting", i))
        duration = get("duration_min", int, s, "sitting", i)
        if not 1 <= duration <= _MAX_DURATION_MIN:
            raise err(
                "duration_min",
                f"must be 1..{_MAX_DURATION_MIN} minutes",
                f"应为1至{_MAX_DURATION_MIN}分钟",
                "sitting",
                i,
            )
        if sittings and start < sittings[-1]["start"] + sittings[-1]["duration_min"] * 60:
            prev = sittings[-1]
            end = _local(prev["start"] + prev["duration_min"] * 60, tz)
            raise err(
                "start",
                f"sitting {number} starts before sitting {prev['number']} ends ({end})",
                f"第{number}场在第{prev['number']}场结束（{end}）前开始",
                "sitting",
                i,
            )
        sittings.append({"number": number, "subject": subject, "start": start, "duration_min": duration})
    head["sittings"] = sittings
    head["duty"] = _duty(doc, err, get)
    return head


def _duty(doc: Mapping[str, Any], err: Callable[..., PackageError], get: Callable[..., Any]) -> list[DutyContact]:
    """[[duty]]: the duty telephones set for the exam, checked one by one."""
    raw = doc.get("duty", [])
    if not isinstance(raw, list) or len(raw) > _MAX_DUTY:
        raise err("duty", f"[[duty]] must be at most {_MAX_DUTY} tables", f"[[duty]]最多{_MAX_DUTY}项，每项为表")
    out = []
    for i, d in enumerate(raw):
        if not isinstance(d, dict):
            raise err("duty", "each [[duty]] must be a table", "每个[[duty]]应为表", "duty", i)
        for key in d:
            if key not in _DUTY_KEYS:
                raise err(key, f"unknown key {key!r} in [[duty]]", f"[[duty]]中未知的键{key!r}", "duty", i)
        level, who, phone = (get(k, str, d, "duty", i) for k in ("level", "who", "phone"))
        if level not in DUTY_LEVELS:
            raise err(
                "level", f"must be one of {', '.join(DUTY_LEVELS)}", f"应为{'、'.join(DUTY_LEVELS)}之一", "duty", i
            )
        if len(who) > 60:
            raise err("who", "at most 60 characters", "最多60个字符", "duty", i)
        if not _PHONE.fullmatch(phone):
            raise err("phone", "digits, spaces, + - ( ), 3 to 30", "应为3至30位的数字、空格或+-()", "duty", i)
        out.append(DutyContact(level, who, phone))
    return out


_KIND_EN = {str: "a string", int: "an integer", bool: "true or false", dict: "a table"}
_KIND_ZH = {str: "字符串", int: "整数", bool: "true或false", dict: "表"}


def _parse_offset(text: str) -> timezone | None:
    m = _OFFSET.fullmatch(text)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3))
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if m.group(1) == "-" else delta)


def _local(ts: float, tz: timezone) -> str:
    """A time for a message, in the package's timezone (past year 9999: in epoch seconds)."""
    try:
        return f"{datetime.fromtimestamp(ts, tz):%Y-%m-%d %H:%M}"
    except (OverflowError, ValueError, OSError):
        return f"{ts:.0f}"


def _count(text: str) -> int | None:
    """A number written in ASCII digits, or None. Thousands of digits are no row, column or
    sitting (and more than Python converts)."""
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or len(digits) > 9:
        return None
    return int(digits or "0")


def _parse_start(value: Any, tz: timezone, err: Callable[[str, str], PackageError]) -> float:
    if value is None:
        raise err("start is missing", "缺少start")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise err(
                "must be an ISO 8601 date-time like 2027-05-15T08:30:00+08:00",
                "应为ISO 8601日期时间，如2027-05-15T08:30:00+08:00",
            ) from None
    if not isinstance(value, datetime):
        raise err(
            "must be an ISO 8601 date-time like 2027-05-15T08:30:00+08:00",
            "应为ISO 8601日期时间，如2027-05-15T08:30:00+08:00",
        )
    if value.tzinfo is None:
        raise err("needs a UTC offset, e.g. +08:00", "需要带时差，如+08:00")
    if value.utcoffset() != tz.utcoffset(None):
        raise err("offset differs from the package's timezone", "时差与数据包的timezone不一致")
    return value.timestamp()


# ---------------------------------------------------------------- CSV files


def _read_csv(files: Mapping[str, bytes], name: str, columns: tuple[str, ...]):
    """Yield (line number, {column: stripped value}) for each non-blank row."""
    text = _decode(files, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise PackageError(name, 1, None, "header row is missing", "缺少表头行")
        header = [h.strip() for h in header]
        seen: set[str] = set()
        for h in header:
            if h not in columns:
                raise PackageError(name, 1, h or None, f"unknown column {h!r}", f"未知的列{h!r}")
            if h in seen:
                raise PackageError(name, 1, h, "column appears twice", "列重复")
            seen.add(h)
        for col in columns:
            if col not in seen:
                raise PackageError(name, 1, col, "column is missing", "缺少该列")
        line_end = reader.line_num
        for row in reader:
            line, line_end = line_end + 1, reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise PackageError(
                    name,
                    line,
                    None,
                    f"row has {len(row)} fields, the header has {len(header)}",
                    f"该行有{len(row)}个字段，表头有{len(header)}个",
                )
            yield line, {h: c.strip() for h, c in zip(header, row, strict=True)}
    except csv.Error as e:
        raise PackageError(name, reader.line_num or None, None, f"CSV error: {e}", "CSV格式错误") from None


def _parse_machines(files: Mapping[str, bytes], head: Mapping[str, Any]) -> tuple[Machine, ...]:
    name = MACHINES_CSV
    machines: list[Machine] = []
    ids: dict[str, int] = {}
    cells: dict[tuple[int, int], int] = {}
    for line, r in _read_csv(files, name, MACHINE_COLUMNS):

        def err(field: str, en: str, zh: str) -> PackageError:
            return PackageError(name, line, field, en, zh)

        mid = r["id"]
        if not _MACHINE_ID.fullmatch(mid):
            raise err("id", "must be 1-16 letters, digits, '-' or '_'", "应为1至16位字母、数字、'-'或'_'")
        if mid in ids:
            raise err(
                "id",
                f"duplicate machine id {mid} (first on line {ids[mid]})",
                f"考试机编号{mid}重复（首次出现在第{ids[mid]}行）",
            )
        ids[mid] = line
        pos = []
        for key, limit in (("row", head["rows"]), ("col", head["cols"])):
            v = _count(r[key])
            if v is None or not 1 <= v <= limit:
                raise err(
                    key,
                    f"must be 1..{limit} (the [layout] of package.toml)",
                    f"应为1至{limit}（见package.toml的[layout]）",
                )
            pos.append(v)
        cell = (pos[0], pos[1])
        if cell in cells:
            raise err(
                "col",
                f"row {cell[0]} col {cell[1]} is already taken (line {cells[cell]})",
                f"第{cell[0]}排第{cell[1]}列已被占用（第{cells[cell]}行）",
            )
        cells[cell] = line
        if r["spare"] not in ("0", "1"):
            raise err("spare", "must be 0 or 1", "应为0或1")
        machines.append(Machine(id=mid, row=pos[0], col=pos[1], spare=r["spare"] == "1"))
    if not machines:
        raise PackageError(name, None, None, "no machines listed", "未列出考试机")
    return tuple(machines)


def _parse_candidates(
    files: Mapping[str, bytes],
    head: Mapping[str, Any],
    machines: tuple[Machine, ...],
    photos: Mapping[str, bytes],
    overbooking_pct: int,
) -> tuple[tuple[Candidate, ...], dict[str, frozenset[int]]]:
    name = CANDIDATES_CSV
    overbooked = head["overbooked"]
    by_id = {m.id: m for m in machines}
    seats_total = sum(not m.spare for m in machines)
    # R33: an overbooked room takes up to this many percent more candidates than machines.
    limit = seats_total * (100 + overbooking_pct) // 100 if overbooked else seats_total
    numbers = {s["number"] for s in head["sittings"]}
    candidates: list[Candidate] = []
    sitting_of: dict[str, frozenset[int]] = {}
    tickets: dict[str, int] = {}
    ids: dict[str, int] = {}
    seats: dict[str, int] = {}
    for line, r in _read_csv(files, name, CANDIDATE_COLUMNS):

        def err(field: str | None, en: str, zh: str) -> PackageError:
            return PackageError(name, line, field, en, zh)

        if len(candidates) >= limit:
            if overbooked:
                raise err(
                    None,
                    f"more than {limit} candidates: {seats_total} machines + {overbooking_pct}% overbooking (R33)",
                    f"考生超过{limit}人：{seats_total}台考试机超排上限{overbooking_pct}%",
                )
            raise err(
                None,
                f"more than {limit} candidates for {seats_total} exam machines (spares excluded)",
                f"考生超过{limit}人（非备用考试机{seats_total}台）",
            )
        ticket = r["ticket"]
        if not _TICKET.fullmatch(ticket):
            raise err("ticket", "must be 6-20 digits", "应为6至20位数字")
        if ticket in tickets:
            raise err(
                "ticket",
                f"duplicate ticket {ticket} (first on line {tickets[ticket]})",
                f"准考证号{ticket}重复（首次出现在第{tickets[ticket]}行）",
            )
        tickets[ticket] = line
        cname = r["name"]
        if not cname or len(cname) > 50 or not cname.isprintable():
            raise err("name", "must be 1-50 printable characters", "应为1至50个可打印字符")
        gender = r["gender"]
        if gender not in ("男", "女"):
            raise err("gender", "must be 男 or 女", "应为男或女")
        id_number = idcard.normalize(r["id_number"])
        problem = idcard.id_problem(id_number)
        if problem:
            raise err("id_number", problem.en, problem.zh)
        if id_number in ids:
            raise err(
                "id_number",
                f"duplicate ID number (first on line {ids[id_number]})",
                f"证件号重复（首次出现在第{ids[id_number]}行）",
            )
        ids[id_number] = line
        if idcard.gender(id_number) != gender:
            g = idcard.gender(id_number)
            raise err(
                "gender", f"does not match the ID number ({g} by its 17th digit)", f"与证件号不符（第17位表示{g}）"
            )
        seat = r["seat"] or None
        if overbooked and seat:
            raise err("seat", "must be empty in an overbooked room (R34)", "超排考场不编排座位，应为空")
        if not overbooked:
            if not seat:
                raise err("seat", "is required (the room is not overbooked)", "不能为空（非超排考场）")
            m = by_id.get(seat)
            if m is None:
                raise err("seat", f"{seat} is not a machine in machines.csv", f"{seat}不是machines.csv中的考试机")
            if m.spare:
                raise err("seat", f"{seat} is a spare machine", f"{seat}是备用机")
            if seat in seats:
                raise err(
                    "seat",
                    f"seat {seat} is already taken (line {seats[seat]})",
                    f"座位{seat}已被占用（第{seats[seat]}行）",
                )
            seats[seat] = line
        parts = r["sittings"].split(";")
        chosen: list[int] = []
        for p in parts:
            p = p.strip()
            n = _count(p)
            if n is None or n not in numbers:
                raise err(
                    "sittings",
                    f"{r['sittings']!r} must list sitting numbers from package.toml, separated by ';' (e.g. 1;2)",
                    "应为package.toml中的场次号，以';'分隔（如1;2）",
                )
            if n in chosen:
                raise err("sittings", f"sitting {p} is listed twice", f"场次{p}重复")
            chosen.append(n)
        photo = r["photo"] or None
        if photo is not None:
            if not _PHOTO.fullmatch(photo):
                raise err(
                    "photo",
                    "must be a .png file name in photos/ (no folders)",
                    "应为photos/中的.png文件名（不含文件夹）",
                )
            if photo not in photos:
                raise err("photo", f"photos/{photo} is missing", f"照片photos/{photo}缺失")
            if not photos[photo].startswith(b"\x89PNG\r\n\x1a\n"):
                raise PackageError(f"{PHOTOS}/{photo}", None, None, "not a PNG image", "不是PNG图片")
        candidates.append(
            Candidate(ticket=ticket, name=cname, gender=gender, id_number=id_number, seat=seat, photo=photo)
        )
        sitting_of[ticket] = frozenset(chosen)
    if not candidates:
        raise PackageError(name, None, None, "no candidates listed", "未列出考生")
    return tuple(candidates), sitting_of
