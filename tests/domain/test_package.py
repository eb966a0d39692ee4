"""The exam package on disk: the sample, the fingerprint, round trips and every refusal."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from proctor.domain import idcard
from proctor.package import (
    PackageError,
    demo,
    load_package,
    package_files,
    parse_files,
    read_files,
    write_package,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "room-01"
CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def sample():
    return load_package(SAMPLE)


@pytest.fixture
def policies(tmp_path):
    """A policies folder of our own, so these tests do not depend on the real profiles."""
    d = tmp_path / "policies"
    d.mkdir()
    for name in ("national-accounting", "economics-2021"):
        (d / f"{name}.toml").write_text(f'id = "{name}"\nname = "{name}"\n', encoding="utf-8")
    return d


def edited(tmp_path, policies, files, name, edit):
    """Write `files` with `name` passed through `edit` (text -> text), then load it."""
    out = dict(files)
    out[name] = edit(out[name].decode("utf-8")).encode("utf-8")
    root = tmp_path / "pkg"
    for rel, data in out.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return load_package(root, policies_dir=policies)


def refused(tmp_path, policies, files, name, edit) -> PackageError:
    with pytest.raises(PackageError) as info:
        edited(tmp_path, policies, files, name, edit)
    return info.value


def line_of(text: str, needle: str, nth: int = 0) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth]


def replace_line(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def csv_cell(text: str, line: int, col: int, value: str) -> str:
    cells = text.split("\n")[line - 1].split(",")
    cells[col] = value
    return replace_line(text, line, ",".join(cells))


@pytest.fixture(scope="module")
def files():
    return read_files(SAMPLE)


# ---------------------------------------------------------------- the sample


def test_sample_room_loads_as_described(sample):
    assert len(sample.candidates) == 45
    assert len(sample.machines) == 48
    assert 1 <= sum(m.spare for m in sample.machines) <= 3  # R01: about 5%, at least one
    assert [m.spare for m in sample.machines][-2:] == [True, True]  # spares at the end
    (s,) = sample.sittings
    assert (s.subject, s.duration_min) == ("初级会计实务", 120)
    assert s.start == datetime(2027, 5, 15, 8, 30, tzinfo=CST).timestamp()
    assert s.tickets == tuple(c.ticket for c in sample.candidates)
    assert (sample.policy, sample.site, sample.room) == ("national-accounting", "温州市第一考点", "第01考场")
    assert not sample.overbooked
    assert all(idcard.is_valid(c.id_number) for c in sample.candidates)
    assert set(sample.photos) == {c.photo for c in sample.candidates}


def test_sample_keeps_rare_characters(sample):
    names = {c.name for c in sample.candidates}
    assert "刘䶮" in names  # Extension A
    assert "林\U00020bb7祥" in names  # Extension B, outside the BMP
    assert "\U00020bb7".encode("utf-8") in (SAMPLE / "candidates.csv").read_bytes()


def _png_content(data: bytes) -> tuple[bytes, bytes]:
    """(PLTE, inflated IDAT): compare pictures, not one zlib build's exact bytes."""
    chunks, pos = {}, 8
    while pos < len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        chunks[kind] = chunks.get(kind, b"") + data[pos + 8 : pos + 8 + n]
        pos += 12 + n
    return chunks.get(b"PLTE", b""), zlib.decompress(chunks[b"IDAT"])


def test_sample_is_what_the_generator_makes(files):
    """The shipped sample is up to date with demo.SAMPLE (regenerate it if this fails)."""
    fresh = package_files(demo.generate(**demo.SAMPLE))
    assert set(fresh) == set(files)
    for name in fresh:
        if name.startswith("photos/"):
            assert _png_content(fresh[name]) == _png_content(files[name]), name
        else:
            assert fresh[name] == files[name], name


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_is_sha256_over_length_prefixed_sorted_files(sample, files):
    h = hashlib.sha256()
    for name in sorted(files):
        for part in (name.encode(), files[name]):
            h.update(len(part).to_bytes(8, "big") + part)
    assert sample.fingerprint == h.hexdigest()
    assert load_package(SAMPLE).fingerprint == sample.fingerprint
    code = sample.short_code
    assert len(code) == 19 and code.replace("-", "") == sample.fingerprint[:16].upper()


@pytest.mark.parametrize("name", ["candidates.csv", "photos/273303001007.png"])
def test_one_changed_byte_changes_the_fingerprint(tmp_path, files, sample, name):  # R55
    root = tmp_path / "pkg"
    for rel, data in files.items():
        if rel == name:
            # In the CSV: 张 (E5 BC A0) becomes 弡 (E5 BC A1), still valid UTF-8.
            i = len(data) - 20 if rel.endswith(".png") else data.index("张".encode()) + 2
            data = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    assert read_files(root)[name] != files[name]
    assert load_package(root).fingerprint != sample.fingerprint


def test_dotfiles_are_skipped_other_files_count(tmp_path, files, sample):
    root = tmp_path / "pkg"
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / ".DS_Store").write_bytes(b"junk")
    assert load_package(root).fingerprint == sample.fingerprint
    (root / "README.txt").write_bytes(b"extra")
    assert load_package(root).fingerprint != sample.fingerprint


# ---------------------------------------------------------------- generate, write, load


def test_round_trip_keeps_everything(tmp_path, policies):
    pkg = demo.generate(60, 64, start=datetime(2027, 5, 15, 13, 30, tzinfo=CST), seed=7)
    written = write_package(pkg, tmp_path / "room")
    loaded = load_package(tmp_path / "room", policies_dir=policies)
    assert loaded == pkg == written
    assert loaded.photos == pkg.photos
    assert loaded.fingerprint and loaded.fingerprint == pkg.fingerprint
    assert any("\U00020bb7" in c.name for c in loaded.candidates)
    assert any("\u4dae" in c.name for c in loaded.candidates)
    assert loaded.batch == "2027-05-15 下午"
    assert loaded.duty == demo.DEMO_DUTY and loaded.duty[0].level == "site"  # the duty telephones


def test_two_sitting_overbooked_round_trip(tmp_path, policies):
    pkg = demo.write_demo(
        tmp_path / "eco",
        candidates=120,
        machines=100,
        sittings=2,
        overbooked=True,
        seed=3,
        start=datetime(2027, 11, 6, 8, 30, tzinfo=CST),
    )
    loaded = load_package(tmp_path / "eco", policies_dir=policies)
    assert loaded == pkg
    assert loaded.policy == "economics-2021"
    s1, s2 = loaded.sittings
    assert (s1.subject, s2.subject) == ("经济基础知识", "专业知识和实务")
    assert s1.duration_min == s2.duration_min == 90
    assert s2.start == s1.end + 40 * 60
    assert all(c.seat is None for c in loaded.candidates)
    both = set(s1.tickets) & set(s2.tickets)
    single = len(loaded.candidates) - len(both)
    assert 0.15 * 120 <= single <= 0.45 * 120  # about 30% sit one subject only
    assert set(s1.tickets) | set(s2.tickets) == {c.ticket for c in loaded.candidates}
    order = [c.ticket for c in loaded.candidates]
    assert list(s2.tickets) == [t for t in order if t in set(s2.tickets)]  # file order


def test_generated_people_are_consistent():
    pkg = demo.generate(130, 140, seed=11)
    seats = [m.id for m in pkg.machines if not m.spare]
    assert [c.seat for c in pkg.candidates] == seats[: len(pkg.candidates)]
    assert sum(m.spare for m in pkg.machines) == 7  # 5% of 140
    for c in pkg.candidates:
        assert idcard.is_valid(c.id_number)
        assert idcard.gender(c.id_number) == c.gender
        assert 1975 <= idcard.birth_date(c.id_number).year <= 2004
        assert c.ticket.isdigit() and len(c.ticket) == 12
        assert pkg.photos[c.photo].startswith(b"\x89PNG")
    assert len({c.ticket for c in pkg.candidates}) == 130
    assert demo.generate(130, 140, seed=11) == pkg  # same seed, same room
    assert demo.generate(130, 140, seed=12) != pkg


def test_default_start_is_the_next_full_ten_minutes():
    now = datetime(2027, 5, 15, 8, 21, 37, tzinfo=CST)
    assert demo.default_start(now) == datetime(2027, 5, 15, 8, 30, tzinfo=CST)
    assert demo.default_start(now.replace(minute=30, second=0)).minute == 40


def test_generator_refuses_a_room_too_small():
    with pytest.raises(ValueError):
        demo.generate(47, 48)  # 2 of the 48 are spares
    with pytest.raises(ValueError):
        demo.generate(60, 48, overbooked=True)  # 46 seats * 1.3 = 59


def test_writer_will_not_clobber_a_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        demo.write_demo(tmp_path / "x", candidates=5, machines=8, overwrite=True)
    assert (tmp_path / "x" / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------- refusals


def test_bad_check_digit(tmp_path, policies, files):
    text = files["candidates.csv"].decode()
    number = text.split("\n")[6].split(",")[3]
    good = number[17]
    bad = "0" if good != "0" else "1"
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 7, 3, number[:17] + bad))
    assert (err.file, err.line, err.field) == ("candidates.csv", 7, "id_number")
    assert str(err) == (
        f"candidates.csv line 7, field id_number: check digit is wrong (expected {good}) / 校验位错误（应为{good}）"
    )


def test_duplicate_ticket_names_the_second_line(tmp_path, policies, files):
    text = files["candidates.csv"].decode()
    first = text.split("\n")[3].split(",")[0]
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 9, 0, first))
    assert (err.file, err.line, err.field) == ("candidates.csv", 9, "ticket")
    assert "first on line 4" in err.problem_en


def test_seat_not_a_machine(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 5, 4, "Z99"))
    assert (err.file, err.line, err.field) == ("candidates.csv", 5, "seat")


def test_duplicate_seat(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 6, 4, "A02"))
    assert (err.file, err.line, err.field) == ("candidates.csv", 6, "seat")
    assert "line 3" in err.problem_en


def test_spare_machine_is_no_seat(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 6, 4, "F08"))
    assert (err.line, err.field) == (6, "seat") and "spare" in err.problem_en


def test_unknown_policy(tmp_path, policies, files):
    text = files["package.toml"].decode()
    err = refused(
        tmp_path, policies, files, "package.toml", lambda t: t.replace('"national-accounting"', '"no-such-policy"')
    )
    assert (err.file, err.line, err.field) == ("package.toml", line_of(text, "policy ="), "policy")


def test_real_policy_folder_is_checked(tmp_path, files):
    with pytest.raises(PackageError) as info:
        edited(tmp_path, None, files, "package.toml", lambda t: t.replace('"national-accounting"', '"no-such-policy"'))
    assert info.value.field == "policy"


def test_overbooked_room_over_thirty_percent(tmp_path, policies):
    # 20 machines, 1 spare: 19 seats, R33 allows 19 * 1.3 = 24 candidates.
    pkg = demo.generate(24, 20, overbooked=True, seed=5)
    files = package_files(pkg)
    assert parse_files(files, policies_dir=policies).overbooked  # 24 is allowed

    def one_more(text: str) -> str:
        ticket = "273303001999"
        number = idcard.make_id("330302", datetime(1990, 1, 1).date(), 123)
        return text + f"{ticket},王伟,男,{number},,1,\n"

    err = refused(tmp_path, policies, files, "candidates.csv", one_more)
    assert (err.file, err.line, err.field) == ("candidates.csv", 26, None)
    assert "24" in err.problem_en


def test_overbooked_room_has_no_seats(tmp_path, policies):
    files = package_files(demo.generate(10, 20, overbooked=True, seed=5))
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 3, 4, "A01"))
    assert (err.line, err.field) == (3, "seat")


def test_toml_syntax_error_keeps_its_line(tmp_path, policies, files):
    text = files["package.toml"].decode()
    n = line_of(text, "rows =")
    err = refused(tmp_path, policies, files, "package.toml", lambda t: replace_line(t, n, "rows = "))
    assert (err.file, err.line, err.field) == ("package.toml", n, None)


def test_missing_column(tmp_path, policies, files):
    def drop_gender(text: str) -> str:
        return "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in text.split("\n"))

    err = refused(tmp_path, policies, files, "candidates.csv", drop_gender)
    assert (err.file, err.line, err.field) == ("candidates.csv", 1, "gender")


def test_start_not_iso(tmp_path, policies, files):
    text = files["package.toml"].decode()
    err = refused(
        tmp_path, policies, files, "package.toml", lambda t: t.replace("2027-05-15T08:30:00+08:00", "2027/05/15 08:30")
    )
    assert (err.file, err.line, err.field) == ("package.toml", line_of(text, "start ="), "start")


def test_start_without_offset(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "package.toml", lambda t: t.replace("08:30:00+08:00", "08:30:00"))
    assert err.field == "start" and "offset" in err.problem_en


def test_overlapping_sittings(tmp_path, policies):
    pkg = demo.generate(20, 24, sittings=2, seed=2, start=datetime(2027, 11, 6, 8, 30, tzinfo=CST))
    files = package_files(pkg)
    text = files["package.toml"].decode()
    assert "2027-11-06T10:40:00+08:00" in text  # 90 min + 40 min gap
    err = refused(
        tmp_path,
        policies,
        files,
        "package.toml",
        lambda t: t.replace("2027-11-06T10:40:00+08:00", "2027-11-06T09:40:00+08:00"),
    )
    assert (err.file, err.line, err.field) == ("package.toml", line_of(text, "start =", 1), "start")
    assert "sitting 2 starts before sitting 1 ends (2027-11-06 10:00)" in err.problem_en


def test_bad_utf8(tmp_path, policies, files):
    root = tmp_path / "pkg"
    for rel, data in files.items():
        if rel == "candidates.csv":
            lines = data.split(b"\n")
            lines[4] = lines[4][:13] + b"\xff" + lines[4][13:]  # inside the name
            data = b"\n".join(lines)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    with pytest.raises(PackageError) as info:
        load_package(root, policies_dir=policies)
    assert (info.value.file, info.value.line) == ("candidates.csv", 5)


def test_missing_file(tmp_path, policies, files):
    root = tmp_path / "pkg"
    for rel, data in files.items():
        if rel != "machines.csv":
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    with pytest.raises(PackageError) as info:
        load_package(root, policies_dir=policies)
    assert (info.value.file, info.value.line, info.value.field) == ("machines.csv", None, None)
    assert str(info.value) == "machines.csv: file is missing / 文件缺失"


def test_duplicate_machine_and_cell(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "machines.csv", lambda t: csv_cell(t, 10, 0, "A01"))
    assert (err.file, err.line, err.field) == ("machines.csv", 10, "id")
    err = refused(tmp_path, policies, files, "machines.csv", lambda t: csv_cell(t, 3, 2, "1"))
    assert (err.file, err.line, err.field) == ("machines.csv", 3, "col")


def test_gender_must_match_the_id_number(tmp_path, policies, files):
    text = files["candidates.csv"].decode()
    gender = text.split("\n")[1].split(",")[2]
    other = "女" if gender == "男" else "男"
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 2, 2, other))
    assert (err.line, err.field) == (2, "gender")


def test_missing_photo(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 4, 6, "nobody.png"))
    assert (err.line, err.field) == (4, "photo")


def test_sitting_number_not_in_package(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 4, 5, "1;2"))
    assert (err.line, err.field) == (4, "sittings")


def test_line_is_where_a_multi_line_row_starts(tmp_path, policies, files):
    err = refused(tmp_path, policies, files, "candidates.csv", lambda t: csv_cell(t, 3, 1, '"王\n伟"'))
    assert (err.line, err.field) == (3, "name")


@pytest.mark.parametrize(
    "entry, field, words",
    [
        ('level = "county"\nwho = "x"\nphone = "110"', "level", "应为room"),
        ('level = "site"\nwho = "x"\nphone = "call me"', "phone", "数字"),
        ('level = "site"\nwho = ""\nphone = "110"', "who", "不能为空"),
        ('level = "site"\nwho = "x"\nphone = "110"\nemail = "a@b"', "email", "未知的键"),
        ('level = "site"\nphone = "110"', "who", "缺少who"),
    ],
)
def test_a_bad_duty_telephone_is_refused_naming_its_field(tmp_path, policies, files, entry, field, words):
    err = refused(tmp_path, policies, files, "package.toml", lambda t: t + "\n[[duty]]\n" + entry + "\n")
    assert err.field == field and words in err.problem_zh


def test_duty_telephones_load_in_order(tmp_path, policies, files):
    pkg = edited(
        tmp_path,
        policies,
        files,
        "package.toml",
        lambda t: (
            t + '\n[[duty]]\nlevel = "site"\nwho = "考点主考 王建国"\nphone = "0577-8800 1001"\n'
            '\n[[duty]]\nlevel = "province"\nwho = "省考试院值班室"\nphone = "(0571) 8700 3000"\n'
        ),
    )
    assert [(d.level, d.who, d.phone) for d in pkg.duty] == [
        ("site", "考点主考 王建国", "0577-8800 1001"),
        ("province", "省考试院值班室", "(0571) 8700 3000"),
    ]
