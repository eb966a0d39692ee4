"""Malformed exam packages at the loader: random bytes, cuts and garbage in every file, missing
and extra files, BOMs and other encodings, TOML values of any type, CSV rows of any shape, huge
values. Each one loads, or is refused with a PackageError that says what is wrong: nothing
else escapes, and nothing hangs."""

from __future__ import annotations

import copy
import csv
import io
import math
import shutil
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from proctor.package import PackageError, fingerprint, load_package, read_files
from proctor.package.demo import write_demo
from proctor.package.writer import _toml_str
from tests.fuzzing import fuzz_settings

FUZZ = fuzz_settings(200)
CST = timezone(timedelta(hours=8))
TEXT_FILES = ["package.toml", "machines.csv", "candidates.csv"]


@pytest.fixture
def base(tmp_path) -> dict[str, bytes]:
    """A valid two-sitting package with photos, as {relative path: bytes}."""
    write_demo(tmp_path / "demo", candidates=6, machines=8, sittings=2, start=datetime(2027, 5, 15, 8, 30, tzinfo=CST))
    return read_files(tmp_path / "demo")


def _loads_or_says_why(root: Path, files: dict[str, bytes]) -> None:
    """Written to `root` and loaded: a package, or a PackageError naming the file and the problem."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for rel, data in files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except (OSError, UnicodeError):  # a name this file system cannot hold
            reject()
    try:
        pkg = load_package(root)
    except PackageError as e:
        assert e.file and e.problem_en and e.problem_zh, repr(e)
        assert str(e).startswith(e.file), str(e)
    else:
        assert pkg.fingerprint == fingerprint(read_files(root))
        assert pkg.candidates and pkg.machines and pkg.sittings


# -- bytes: any file, anything in it -------------------------------------------------------------

ENCODINGS = ["gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-32", "latin-1", "shift_jis"]
BOMS = [b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
# Names a package may hold by mistake: folders, dotfiles, and a name in GBK from an archive
# unpacked on a Chinese Windows (not UTF-8 at all).
EXTRA_NAMES = [
    "photos/extra.png",
    "photos/sub/273303001001.png",
    "notes.txt",
    ".hidden",
    ".git/config",
    "candidates.csv.bak",
    "photos/考生.png",
    "photos/\U00020bb7.png",
    "photos/" + (b"\xbf\xbc\xc9\xfa.png").decode("utf-8", "surrogateescape"),
    (b"\xd7\xa2\xd2\xe2.txt").decode("utf-8", "surrogateescape"),
]


@st.composite
def byte_edits(draw, files: dict[str, bytes]) -> dict[str, bytes]:
    files = dict(files)
    texts = [name for name in TEXT_FILES if name in files]
    name = draw(st.sampled_from(texts or sorted(files)) | st.sampled_from(sorted(files)))  # mostly not a photo
    data = files[name]
    how = draw(
        st.sampled_from(
            [
                "random",
                "cut",
                "insert",
                "overwrite",
                "drop",
                "bom",
                "encoding",
                "line ends",
                "twice",
                "add",
                "add",
                "empty",
            ]
        )
    )
    at = draw(st.integers(0, len(data)))
    if how == "random":
        files[name] = draw(st.binary(max_size=500))
    elif how == "cut":
        files[name] = data[:at]
    elif how == "insert":
        files[name] = data[:at] + draw(st.binary(min_size=1, max_size=50)) + data[at:]
    elif how == "overwrite":
        junk = draw(st.binary(min_size=1, max_size=50))
        files[name] = data[:at] + junk + data[at + len(junk) :]
    elif how == "drop":
        del files[name]
    elif how == "bom":
        files[name] = draw(st.sampled_from(BOMS)) + data
    elif how == "encoding":  # saved again by a program that does not write UTF-8
        files[name] = data.decode("utf-8", "replace").encode(draw(st.sampled_from(ENCODINGS)), "replace")
    elif how == "line ends":
        files[name] = data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\x85", "\u2028".encode()])))
    elif how == "twice":
        files[name] = data + data
    elif how == "add":
        files[draw(st.sampled_from(EXTRA_NAMES))] = draw(
            st.binary(max_size=100) | st.sampled_from(list(files.values()))
        )
    else:
        files[name] = b""
    return files


def test_random_bytes_in_any_file_load_or_say_why(base, tmp_path):
    @FUZZ
    @given(st.data())
    def case(data):
        files = base
        for _ in range(data.draw(st.integers(1, 3))):
            files = data.draw(byte_edits(files))
        _loads_or_says_why(tmp_path / "case", files)

    case()


# -- package.toml: values of any type ------------------------------------------------------------------


class Raw(str):
    """TOML text written as it is: what no serializer writes."""


RAW_TOML = [
    "9" * 5000,  # past the digits Python converts to int
    "-" + "9" * 4400,
    "1e999",
    "inf",
    "-nan",
    "0x7fffffffffffffffffff",
    "0o777",
    "0b1",
    "1_000",
    "01",
    "+1",
    "1979-05-27",
    "07:32:00",
    "1979-05-27T07:32:00",
    "0001-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59+08:00",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2027-02-30T08:30:00+08:00",
    "2027-05-15T08:30:00.123456789+08:00",
    "[" * 3000 + "]" * 3000,  # deeper than a recursive parser goes
    "{a = " * 2000 + "1" + "}" * 2000,
    "[[1], [2, 3]]",
    "{}",
    "[]",
    '"""\nmany\nlines"""',
    "'literal \\ string'",
    '"\\ud800"',
    '"\\U0010FFFF"',
    '"unterminated',
    "",
    "= 1",
]
PLAUSIBLE = [
    "",
    " ",
    "\t",
    "+08:00",
    "+8:00",
    "-00:00",
    "+14:00",
    "+14:01",
    "+08:60",
    "08:00",
    "2027-05-15T08:30:00+08:00",
    "2027-05-15T08:30:00",
    "2027-05-15 08:30:00+08:00",
    "2027-05-15T08:30:00Z",
    "national-accounting",
    "economics-2021",
    "National-Accounting",
    "../../etc/passwd",
    "nope",
    "0" * 32,
    "G" * 32,
    "0" * 31,
    "第01考场",
    "林\U00020bb7祥",
    "\ufeff",
    "\x00",
    "字" * 5000,
]
OFFSETS = st.sampled_from([CST, UTC, timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))])
toml_scalars = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 1, 2, 3, 99, 100, 101, 600, 601, 2**63 - 1, -(2**63)]),
    st.floats(),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(PLAUSIBLE),
    st.datetimes(timezones=OFFSETS),
    st.datetimes(),
    st.dates(),
    st.times(),
)
toml_values = st.one_of(
    st.recursive(
        toml_scalars,
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), kids),
        max_leaves=8,
    ),
    st.sampled_from(RAW_TOML).map(Raw),
)


def _toml_value(v: Any) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(map(_toml_value, v)) + "]"
    return "{" + ", ".join(f"{_toml_str(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"


def _toml(doc: dict[str, Any]) -> str:
    """Scalars first, then tables as [table] and [[array]] headers where they can be."""
    lines = [f"{_toml_str(k)} = {_toml_value(v)}" for k, v in doc.items() if not _is_table(v)]
    for k, v in doc.items():
        tables = [v] if isinstance(v, dict) else v if _is_table(v) else []
        for t in tables:
            lines += ["", f"[{_toml_str(k)}]" if isinstance(v, dict) else f"[[{_toml_str(k)}]]"]
            lines += [f"{_toml_str(kk)} = {_toml_value(vv)}" for kk, vv in t.items()]
    return "\n".join(lines) + "\n"


def _is_table(v: Any) -> bool:
    return isinstance(v, dict) or (isinstance(v, list) and bool(v) and all(isinstance(t, dict) for t in v))


TOP_KEYS = ["format", "exam", "level", "batch", "policy", "site", "room", "room_key", "timezone", "overbooked"]


@st.composite
def toml_edits(draw, doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    where = draw(st.sampled_from(["top", "top", "layout", "sitting", "sitting", "a sitting", "whole table"]))
    sittings = doc.get("sitting")
    if where == "a sitting" and isinstance(sittings, list) and sittings:  # not a table, or a second one
        at = draw(st.integers(0, len(sittings) - 1))
        if draw(st.booleans()):
            sittings[at] = draw(toml_values)
        else:
            sittings.insert(at, copy.deepcopy(sittings[-1]))
        return doc
    if where == "top":
        table, keys = doc, [*TOP_KEYS, "layout", "sitting"]
    elif where == "layout" and isinstance(doc.get("layout"), dict):
        table, keys = doc["layout"], ["rows", "cols"]
    elif where == "sitting" and isinstance(sittings, list) and _is_table(sittings):
        table = draw(st.sampled_from(sittings))
        keys = ["number", "subject", "start", "duration_min"]
    else:
        table, keys = doc, ["layout", "sitting"]
    key = draw(st.sampled_from(keys) | st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
    if draw(st.integers(0, 3)) == 0:
        table.pop(key, None)
    else:
        table[key] = draw(toml_values)
    return doc


def test_package_toml_values_of_any_type_load_or_say_why(base, tmp_path):
    doc = tomllib.loads(base["package.toml"].decode())

    @FUZZ
    @given(st.data())
    def case(data):
        edited = doc
        for _ in range(data.draw(st.integers(1, 2))):
            edited = data.draw(toml_edits(edited))
        _loads_or_says_why(tmp_path / "case", {**base, "package.toml": _toml(edited).encode()})

    case()


# -- CSV files: rows of any shape ------------------------------------------------------------------

CELLS = [
    "",
    " ",
    "A01",
    "A08",
    "Z99",
    "0",
    "1",
    "2",
    "01",
    "-1",
    "1;2",
    "1;1",
    "2;1",
    ";",
    "1;",
    "男",
    "女",
    "M",
    "x.png",
    "../x.png",
    "photos/x.png",
    "273303001001.png",
    "273303001001",
    "330302200108292642",
    "33030219991030043x",
    "１２３",  # full-width digits
    "١٢٣",  # Arabic-Indic digits
    "\U0001d7d9",  # a mathematical digit one
    "9" * 100,
    '"',
    '"quoted"',
    ",",
    "\n",
    "\r",
    "\x00",
    "\ufeff",
    "林\U00020bb7祥",
    "\u202e",
    "a" * 51,
    "字" * 70000,  # past the csv module's field size limit
]
cells = st.one_of(
    st.sampled_from(CELLS),
    st.text(max_size=20),
    st.integers(-5, 120).map(str),
    st.sampled_from(["0" * 20 + "1", "1" * 4301, "1" * 5000, "2;" + "1" * 5000]),  # digits, and past int()'s limit
)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@st.composite
def csv_edits(draw, files: dict[str, bytes]) -> dict[str, bytes]:
    files = dict(files)
    name = draw(st.sampled_from(["machines.csv", "candidates.csv"]))
    rows = _rows(files[name]) or [[]]
    width = max(1, len(rows[0]))
    how = draw(
        st.sampled_from(["cell", "cell", "cell", "wider", "narrower", "copy row", "drop row", "swap columns", "many"])
    )
    r = draw(st.integers(0, len(rows) - 1))
    if how == "cell":
        c = draw(st.integers(0, width - 1))
        rows[r] = rows[r] + [""] * (c + 1 - len(rows[r]))
        rows[r][c] = draw(cells)
    elif how == "wider":
        rows[r] += draw(st.lists(cells, min_size=1, max_size=3))
    elif how == "narrower":
        rows[r] = rows[r][: draw(st.integers(0, width - 1))]
    elif how == "copy row":
        rows.insert(draw(st.integers(0, len(rows))), list(rows[r]))
    elif how == "drop row":
        del rows[r]
    elif how == "swap columns":
        a, b = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
        for row in rows:
            if len(row) > max(a, b):
                row[a], row[b] = row[b], row[a]
    else:  # a file far longer than any room
        rows += [list(rows[-1])] * draw(st.integers(1, 2000))
    if draw(st.booleans()):  # quoted as a spreadsheet writes it
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
        text = buf.getvalue()
    else:  # joined by hand, quotes and all
        text = "\n".join(",".join(row) for row in rows) + "\n"
    files[name] = text.encode("utf-8", "surrogatepass")
    return files


def test_csv_rows_of_any_shape_load_or_say_why(base, tmp_path):
    @FUZZ
    @given(st.data())
    def case(data):
        files = base
        for _ in range(data.draw(st.integers(1, 3))):
            files = data.draw(csv_edits(files))
        _loads_or_says_why(tmp_path / "case", files)

    case()


# -- what the fuzzing found ---------------------------------------------------------------------------


def _refused(root: Path, files: dict[str, bytes]) -> PackageError:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    with pytest.raises(PackageError) as info:
        load_package(root)
    return info.value


def _edit(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    text = files[name].decode()
    assert old in text
    return {**files, name: text.replace(old, new, 1).encode()}


def test_a_file_name_in_gbk_is_refused_by_name(base, tmp_path):
    name = "photos/" + "考生.png".encode("gbk").decode("utf-8", "surrogateescape")
    try:
        (tmp_path / "probe").mkdir()
        (tmp_path / "probe" / name.replace("photos/", "")).write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("this file system holds UTF-8 names only")
    err = _refused(tmp_path / "pkg", {**base, name: b"\x89PNG\r\n\x1a\n"})
    assert (err.file, err.problem_en) == ("photos/\\udcbf\\udcbc\\udcc9\\udcfa.png", "file name is not UTF-8")


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000])
def test_package_toml_nested_too_deeply_is_refused(base, tmp_path, value):
    err = _refused(tmp_path / "pkg", _edit(base, "package.toml", "overbooked = false", f"overbooked = {value}"))
    assert (err.file, err.problem_en) == ("package.toml", "TOML nested too deeply")


def test_an_integer_of_thousands_of_digits_in_package_toml_is_refused(base, tmp_path):
    err = _refused(tmp_path / "pkg", _edit(base, "package.toml", "rows = 1", "rows = " + "1" * 5000))
    assert (err.file, err.problem_en) == ("package.toml", "an integer has too many digits")


@pytest.mark.parametrize("value", ["1", '"1"', "[]", "2027-05-15T08:30:00+08:00"])
def test_a_sitting_that_is_not_a_table_is_refused(base, tmp_path, value):
    toml = base["package.toml"].decode()
    head = toml[: toml.index("[[sitting]]")].replace("[layout]", f"sitting = [{value}]\n\n[layout]")
    err = _refused(tmp_path / "pkg", {**base, "package.toml": head.encode()})
    assert (err.file, err.field, err.problem_en) == ("package.toml", "sitting", "each [[sitting]] must be a table")


@pytest.mark.parametrize(
    ("name", "old", "new", "field"),
    [
        ("machines.csv", "A01,1,1,0", "A01," + "1" * 5000 + ",1,0", "row"),
        ("machines.csv", "A01,1,1,0", "A01,1," + "9" * 4400 + ",0", "col"),
        ("candidates.csv", ",1;2,", ",1;" + "2" * 5000 + ",", "sittings"),
    ],
)
def test_numbers_of_thousands_of_digits_in_the_csv_files_are_refused(base, tmp_path, name, old, new, field):
    err = _refused(tmp_path / "pkg", _edit(base, name, old, new))
    assert (err.file, err.line, err.field) == (name, 2, field)


def test_zero_padded_csv_numbers_still_count(base, tmp_path):
    files = _edit(base, "machines.csv", "A01,1,1,0", "A01," + "0" * 5000 + "1,01,0")
    files = _edit(files, "candidates.csv", ",1;2,", ",0001;" + "0" * 5000 + "2,")
    root = tmp_path / "pkg"
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    pkg = load_package(root)
    assert (pkg.machines[0].row, pkg.machines[0].col) == (1, 1)
    assert [pkg.candidates[0].ticket in s.tickets for s in pkg.sittings] == [True, True]


def test_sittings_that_overlap_past_year_9999_are_refused(base, tmp_path):
    files = _edit(base, "package.toml", "2027-05-15T08:30:00+08:00", "9999-12-31T20:00:00+08:00")
    files = _edit(files, "package.toml", "2027-05-15T10:40:00+08:00", "9999-12-31T21:00:00+08:00")
    files = _edit(files, "package.toml", "duration_min = 90", "duration_min = 600")
    err = _refused(tmp_path / "pkg", files)
    assert (err.field, err.problem_en) == ("start", "sitting 2 starts before sitting 1 ends (253402293600)")
