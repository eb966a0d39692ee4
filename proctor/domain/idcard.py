"""Mainland resident ID numbers (居民身份证号码, GB 11643-1999): check digit, validation, masking.

Layout of the 18 characters: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit
sequence (its last digit is odd for men, even for women), 1 check character (0-9 or X).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_MAP = "10X98765432"  # indexed by the weighted sum mod 11

# First two digits: provinces, plus 81/82/83 for the residence permits of Hong Kong, Macao
# and Taiwan residents, which use the same 18-character layout.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


@dataclass(frozen=True)
class IdProblem:
    """Why an ID number is not valid, in both languages."""

    en: str
    zh: str


def check_digit(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return CHECK_MAP[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(id_number: str) -> str:
    """Strip spaces and upper-case a trailing x, as people often type it."""
    return id_number.strip().upper()


def id_problem(id_number: str) -> IdProblem | None:
    """None when valid; otherwise the first thing wrong with it."""
    s = id_number
    if len(s) != 18:
        return IdProblem(f"must be 18 characters (has {len(s)})", f"应为18位（实为{len(s)}位）")
    body, last = s[:17], s[17]
    if not (body.isascii() and body.isdigit()):
        return IdProblem("the first 17 characters must be digits", "前17位应为数字")
    if not (last.isascii() and (last.isdigit() or last == "X")):
        return IdProblem("the last character must be a digit or X", "末位应为数字或X")
    if body[:2] not in PROVINCES:
        return IdProblem(f"region code {body[:6]} names no province", f"地址码{body[:6]}不对应任何省份")
    birth = birth_date(s)
    if birth is None or birth.year < 1800:  # the standard's own example is born 1880
        return IdProblem(f"birth date {body[6:14]} is not a date", f"出生日期{body[6:14]}无效")
    expected = check_digit(body)
    if last != expected:
        return IdProblem(f"check digit is wrong (expected {expected})", f"校验位错误（应为{expected}）")
    return None


def is_valid(id_number: str) -> bool:
    return id_problem(id_number) is None


def birth_date(id_number: str) -> date | None:
    try:
        s = id_number[6:14]
        return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except (ValueError, IndexError):
        return None


def gender(id_number: str) -> str:
    """ "男" or "女", from the parity of the 17th digit."""
    return "男" if int(id_number[16]) % 2 else "女"


def make_id(region: str, birth: date, sequence: int) -> str:
    """A well-formed ID number; `sequence` is 0..999 and its parity gives the gender."""
    if not (0 <= sequence <= 999):
        raise ValueError("sequence must be 0..999")
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


def mask_id(id_number: str) -> str:
    """Show only the first 6 and last 4 characters: 110101********123X.

    Shorter values (not mainland IDs) keep at most their last 4, and a value of 4 or fewer
    characters is masked entirely, so a mask never shows most of a number.
    """
    n = len(id_number)
    if n >= 11:
        return id_number[:6] + "*" * (n - 10) + id_number[-4:]
    if n > 4:
        return "*" * (n - 4) + id_number[-4:]
    return "*" * n


def id_digest(id_number: str) -> str:
    """What a room keeps of a candidate transferred in from another room (DOMAIN §9: the whole
    number stays with the room that has it on its package), to check their login against."""
    return hashlib.sha256(("proctor-transfer-id/1|" + id_number.strip().upper()).encode("utf-8")).hexdigest()
