"""Invented but realistic exam packages for demos, tests and the shipped sample.

Everyone here is made up: names are drawn from common surnames and given-name characters,
ID numbers are well-formed (valid check digit) but random.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from proctor.domain import idcard
from proctor.domain.authcode import room_code_key, room_id
from proctor.domain.package import Candidate, DutyContact, ExamPackage, Machine, Sitting
from proctor.package.loader import parse_files
from proctor.package.png import silhouette
from proctor.package.writer import package_files, write_package
from proctor.resources import load_policy, sample_package_dir

SITE = "温州市第一考点"
ROOM = "第01考场"
SITE_REGION = "3303"  # Wenzhou: the ticket's region part
ROOM_NUMBER = 1

SAMPLE_DIR = sample_package_dir()
SAMPLE = dict(
    candidates=45,
    machines=48,
    start=datetime(2027, 5, 15, 8, 30, tzinfo=timezone(timedelta(hours=8))),
    seed=1,
    policy="national-accounting",
    authcode=False,  # the shipped sample is a package from before authorization codes: it still loads
    duty=(),  # and before the duty telephones
)

# Invented duty telephones (值班电话) for demo packages: whom the incident guide says to call.
DEMO_DUTY = (
    DutyContact("site", "考点主考 王建国", "0577-8800 1001"),
    DutyContact("site", "考点技术负责人 陈立", "0577-8800 1002"),
    DutyContact("city", "市考试管理机构值班室", "0577-8800 2000"),
    DutyContact("province", "省级考试管理机构应急值班室", "0571-8700 3000"),
)

# Surname frequencies in percent (approximate national shares); compound surnames are rare.
SURNAMES = (
    ("王", 7.1),
    ("李", 7.0),
    ("张", 6.6),
    ("刘", 5.4),
    ("陈", 4.5),
    ("杨", 3.1),
    ("黄", 2.1),
    ("赵", 2.0),
    ("吴", 1.9),
    ("周", 1.8),
    ("徐", 1.3),
    ("孙", 1.3),
    ("马", 1.1),
    ("朱", 1.1),
    ("胡", 1.0),
    ("郭", 0.96),
    ("何", 0.91),
    ("林", 0.87),
    ("高", 0.86),
    ("罗", 0.86),
    ("郑", 0.76),
    ("梁", 0.71),
    ("谢", 0.63),
    ("宋", 0.6),
    ("唐", 0.58),
    ("许", 0.57),
    ("韩", 0.55),
    ("冯", 0.54),
    ("邓", 0.54),
    ("曹", 0.53),
    ("彭", 0.52),
    ("曾", 0.51),
    ("肖", 0.5),
    ("田", 0.48),
    ("董", 0.48),
    ("潘", 0.46),
    ("袁", 0.45),
    ("蔡", 0.43),
    ("蒋", 0.43),
    ("余", 0.42),
    ("于", 0.42),
    ("杜", 0.41),
    ("叶", 0.4),
    ("程", 0.38),
    ("魏", 0.36),
    ("苏", 0.35),
    ("吕", 0.35),
    ("丁", 0.34),
    ("任", 0.33),
    ("卢", 0.32),
    ("姚", 0.31),
    ("沈", 0.31),
    ("钟", 0.3),
    ("姜", 0.3),
    ("崔", 0.29),
    ("谭", 0.28),
    ("陆", 0.28),
    ("范", 0.27),
    ("汪", 0.27),
    ("廖", 0.26),
    ("石", 0.26),
    ("金", 0.25),
    ("韦", 0.24),
    ("贾", 0.24),
    ("夏", 0.23),
    ("付", 0.22),
    ("方", 0.22),
    ("邹", 0.21),
    ("熊", 0.21),
    ("白", 0.2),
    ("孟", 0.2),
    ("秦", 0.2),
    ("邱", 0.2),
    ("侯", 0.19),
    ("江", 0.19),
    ("尹", 0.18),
    ("薛", 0.17),
    ("闫", 0.17),
    ("段", 0.16),
    ("雷", 0.16),
    ("龙", 0.15),
    ("黎", 0.15),
    ("史", 0.15),
    ("陶", 0.15),
    ("贺", 0.15),
    ("毛", 0.14),
    ("郝", 0.14),
    ("顾", 0.13),
    ("龚", 0.13),
    ("邵", 0.13),
    ("万", 0.13),
    ("钱", 0.12),
    ("严", 0.11),
    ("欧阳", 0.05),
    ("上官", 0.01),
    ("司马", 0.01),
    ("诸葛", 0.01),
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳晨博文志建国海峰亮成东振宏轩睿泽昊天航翔毅彬"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲燕婷雪琳慧莹颖倩洁萍红梅兰佳欣怡晶璐瑶琪雯悦馨涵月蕾薇婧妍"
NEUTRAL_CHARS = "文晓子雨思一嘉安晨心诗逸若"

# Region codes of birth registration: mostly the site's own city, some from elsewhere.
REGIONS = (
    ("330302", 14),
    ("330303", 6),
    ("330304", 8),
    ("330305", 1),
    ("330324", 5),
    ("330326", 5),
    ("330327", 5),
    ("330328", 2),
    ("330329", 2),
    ("330381", 8),
    ("330382", 8),
    ("330102", 2),
    ("330106", 2),
    ("330203", 2),
    ("331002", 2),
    ("110101", 1),
    ("310104", 1),
    ("320102", 1),
    ("340104", 1),
    ("350203", 1),
    ("360102", 1),
    ("410105", 1),
    ("420106", 1),
    ("430104", 1),
    ("510107", 1),
    ("520102", 1),
    ("610113", 1),
)

# For rooms of 40 or more: names with characters outside the usual set, the cases a font
# or a database most often gets wrong. (index, surname, given name, gender, region)
SPECIAL_PEOPLE = (
    (6, "刘", "䶮", "男", None),  # CJK Extension A, U+4DAE
    (23, "林", "𠮷祥", "女", None),  # CJK Extension B, U+20BB7 (outside the BMP)
    (31, "", "阿依古丽·买买提", "女", "650102"),  # a Uyghur name with the middle dot
)

ACCOUNTING = ("全国会计专业技术资格考试", "初级", (("初级会计实务", 120),))
ECONOMICS = ("经济专业技术资格考试", "中级", (("经济基础知识", 90), ("专业知识和实务", 90)))
ECONOMICS_GAP_MIN = 40  # DOMAIN §2: two sittings in one batch with a 40 min gap


def default_start(now: datetime | None = None) -> datetime:
    """The next full 10 minutes from now, in the machine's local offset."""
    t = (now or datetime.now()).astimezone().replace(second=0, microsecond=0)
    return t + timedelta(minutes=10 - t.minute % 10)


def _offset_text(dt: datetime) -> str:
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _layout(machines: int) -> tuple[int, int]:
    # Beyond a room (a whole site for the link bench) the grid widens to stay within 100 rows.
    cols = 8 if machines <= 64 else 10 if machines <= 150 else max(12, -(-machines // 100))
    return -(-machines // cols), cols


def _row_label(row: int) -> str:
    label = ""
    while row:
        row, r = divmod(row - 1, 26)
        label = chr(ord("A") + r) + label
    return label


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _given_name(rng: random.Random, female: bool) -> str:
    own = FEMALE_CHARS if female else MALE_CHARS
    pool = own * 3 + NEUTRAL_CHARS  # mostly gendered characters
    if rng.random() < 0.2:
        return rng.choice(own)
    return rng.choice(pool) + rng.choice(own)


def _tint(rng: random.Random) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(rng.random(), 0.86, 0.45)
    return round(r * 255), round(g * 255), round(b * 255)


# The invented province's master key for authorization codes: demo packages carry their room's key
# derived from it (docs/authorization-codes.md), so `proctor authcode issue --key-file` with this
# in a file answers a demo room's requests. A real province's master never leaves its office.
DEMO_AUTHCODE_MASTER = hashlib.sha256(b"proctor demo province: authorization-code master key").digest()
DEMO_SITE_MASTER = hashlib.sha256(b"proctor demo province: site secrets").digest()


def demo_site_secret(site: str) -> str:
    """Every demo room of a site shares this, as the rooms of a real site share theirs."""
    return hashlib.sha256(DEMO_SITE_MASTER + site.encode("utf-8")).hexdigest()


def generate(
    candidates: int,
    machines: int,
    start: datetime | None = None,
    seed: int = 1,
    policy: str | None = None,
    sittings: int = 1,
    overbooked: bool = False,
    *,
    aisle: bool = False,
    site: str = SITE,
    room: str = ROOM,
    authcode: bool = True,
    duty: tuple[DutyContact, ...] = DEMO_DUTY,
) -> ExamPackage:
    """A valid package with invented people; the same arguments give the same package.

    `machines` counts the spares too. policy=None means national-accounting for one
    sitting and economics-2021 for two or for an overbooked room (the only profile that overbooks). `aisle` leaves the middle column of the plan free.
    `authcode`: carry the room's authorization-code key, derived from DEMO_AUTHCODE_MASTER.
    """
    if sittings not in (1, 2):
        raise ValueError("sittings must be 1 or 2")
    if candidates < 1 or machines < 2:
        raise ValueError("need at least 1 candidate and 2 machines")
    if policy is None:
        policy = "economics-2021" if sittings == 2 or overbooked else "national-accounting"
    rules = load_policy(policy)
    if overbooked and rules.overbooking_max_percent is None:
        raise ValueError(
            f"the profile {policy} allows no overbooked room (R33: {rules.source_of('overbooking_max_percent')})"
        )
    # R01: about 5% spare machines, at least one.
    spares = max(1, (machines * rules.spare_machines_percent + 50) // 100)
    seats = machines - spares
    limit = seats * (100 + rules.overbooking_max_percent) // 100 if overbooked else seats
    if candidates > limit:
        raise ValueError(
            f"{candidates} candidates do not fit {machines} machines ({spares} spare"
            f"{', overbooked' if overbooked else ''}): at most {limit}"
        )
    if start is None:
        start = default_start()
    elif start.tzinfo is None:
        start = start.astimezone()  # naive means the machine's local time
    tz = _offset_text(start)
    rng = random.Random(seed)
    room_key = f"{rng.getrandbits(128):032x}"

    rows, cols = _layout(machines)
    machine_list = tuple(
        Machine(
            id=f"{_row_label(i // cols + 1)}{i % cols + 1:02d}",
            row=i // cols + 1,
            col=i % cols + 1 + (1 if aisle and i % cols >= cols // 2 else 0),
            spare=i >= seats,  # spares at the end of the room
        )
        for i in range(machines)
    )

    economics = sittings == 2 or policy.startswith("economics")
    exam_name, level, subjects = ECONOMICS if economics else ACCOUNTING
    subjects = subjects[:sittings]
    female_share = 0.62 if economics else 0.72  # these exams draw more women than men
    special = {i: p for i, *p in SPECIAL_PEOPLE} if candidates >= 40 else {}
    seq_width = 3 if candidates <= 999 else 4
    people: list[Candidate] = []
    photos: dict[str, bytes] = {}
    sitting_sets: list[set[int]] = []
    used_ids: set[str] = set()
    for i in range(candidates):
        if i in special:
            surname, given, gender, region = special[i]
        else:
            gender = "女" if rng.random() < female_share else "男"
            surname, given = _weighted(rng, SURNAMES), _given_name(rng, gender == "女")
            region = None
        region = region or _weighted(rng, REGIONS)
        while True:
            year = rng.randint(1975, 2004)
            birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            # GB 11643: the sequence's last digit is odd for men, even for women.
            seq = rng.randrange(500) * 2 + (1 if gender == "男" else 0)
            id_number = idcard.make_id(region, birth, seq)
            if id_number not in used_ids:
                break
        used_ids.add(id_number)
        ticket = f"{start.year % 100:02d}{SITE_REGION}{ROOM_NUMBER:03d}{i + 1:0{seq_width}d}"
        photo = f"{ticket}.png"
        photos[photo] = silhouette(_tint(rng), gender == "女")
        seat = None if overbooked else machine_list[i].id
        people.append(
            Candidate(ticket=ticket, name=surname + given, gender=gender, id_number=id_number, seat=seat, photo=photo)
        )
        if sittings == 2:
            # About 30% sit only one of the two subjects.
            r = rng.random()
            sitting_sets.append({1} if r < 0.15 else {2} if r < 0.30 else {1, 2})
        else:
            sitting_sets.append({1})

    sitting_list = []
    t = start
    for n, (subject, minutes) in enumerate(subjects, start=1):
        sitting_list.append(
            Sitting(
                number=n,
                subject=subject,
                start=t.timestamp(),
                duration_min=minutes,
                tickets=tuple(c.ticket for c, s in zip(people, sitting_sets, strict=True) if n in s),
            )
        )
        t += timedelta(minutes=minutes + ECONOMICS_GAP_MIN)

    pkg = ExamPackage(
        exam=f"{start.year}年度{exam_name}",
        level=level,
        batch=f"{start:%Y-%m-%d} {'上午' if start.hour < 12 else '下午'}",
        policy=policy,
        site=site,
        room=room,
        room_key=room_key,
        authcode_key=room_code_key(DEMO_AUTHCODE_MASTER, room_id(site, room)).hex() if authcode else "",
        site_secret=demo_site_secret(site),
        timezone=tz,
        machines=machine_list,
        sittings=tuple(sitting_list),
        candidates=tuple(people),
        overbooked=overbooked,
        duty=duty,
        photos=photos,
    )
    # Round-trip through the file form: validates, and fills the fingerprint the written
    # directory will have.
    return parse_files(package_files(pkg), check_policy=False)


def write_demo(out_dir, *, overwrite: bool = False, **kwargs) -> ExamPackage:
    """generate(**kwargs) and write it to out_dir."""
    return write_package(generate(**kwargs), out_dir, overwrite=overwrite)


def write_sample(out_dir: str | Path = SAMPLE_DIR) -> ExamPackage:
    """Regenerate the shipped sample package (resources/sample/room-01)."""
    return write_demo(out_dir, overwrite=True, **SAMPLE)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Regenerate the shipped sample exam package.")
    ap.add_argument("--out", default=str(SAMPLE_DIR))
    args = ap.parse_args(argv)
    pkg = write_sample(args.out)
    print(f"{args.out}: {len(pkg.candidates)} candidates, short code {pkg.short_code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
