"""Authorization codes (授权码): a provincial office's consent, read over the phone, checked offline.

The scheme, byte for byte, is in docs/authorization-codes.md; the functions here are all of it.
The province holds a master key; each room's exam package carries only its own key
(`room_code_key(master, room)`), so a room's key issues codes for that room alone.

A console asks with a *request code* (9 digits: 8 derived from a random nonce and the request's
fields, then a check digit); the office answers with an *authorization code* (9 digits: 8 of an
HMAC over room, request, operation, minutes and the sorted tickets, then a check digit). The
check digit catches a misheard digit before it counts as a wrong guess; it tells a guesser nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

LABEL = b"proctor-authcode/1/"
DIGITS = 8  # before the check digit
CODE_LENGTH = DIGITS + 1
MAX_WRONG_CODES = 5  # per request; then the request is locked and a new one is needed
KEY_BYTES = 32


class Operation(str, Enum):
    """What a code allows: extra time (R20), a delayed start (R17)."""

    EXTRA_TIME = "extra_time"
    DELAYED_START = "delayed_start"  # bound to the sitting: its number stands where tickets go


def room_id(site: str, room: str) -> str:
    """The room as codes name it: the package's site and room, as the arrangement has them."""
    return f"{site}|{room}"


def room_code_key(master: bytes, room: str) -> bytes:
    """The room's key, derived from the province's master key: what its exam package carries."""
    return hmac.new(master, LABEL + b"room\x00" + room.encode("utf-8"), hashlib.sha256).digest()


def _parts(*parts: str) -> bytes:
    """Each part length-prefixed (2 bytes, big-endian) so that no two field lists encode alike."""
    out = bytearray()
    for p in parts:
        raw = p.encode("utf-8")
        out += len(raw).to_bytes(2, "big") + raw
    return bytes(out)


def digits_of(stream: Iterable[bytes], n: int = DIGITS) -> str:
    """`n` decimal digits, uniform: each 8-byte big-endian word below the largest multiple of
    10**n under 2**64 gives them (x mod 10**n); a word above it is skipped (rejection)."""
    modulus = 10**n
    limit = (1 << 64) - (1 << 64) % modulus
    for block in stream:
        for i in range(0, len(block) - 7, 8):
            x = int.from_bytes(block[i : i + 8], "big")
            if x < limit:
                return f"{x % modulus:0{n}d}"
    raise ValueError("no word below the limit")  # 2**-140 for 4 words; never in practice


def _hmac_stream(key: bytes, message: bytes) -> Iterable[bytes]:
    """HMAC(key, message), then HMAC(key, message || counter) for counter 1, 2, … as needed."""
    yield hmac.new(key, message, hashlib.sha256).digest()
    counter = 1
    while counter < 256:
        yield hmac.new(key, message + bytes([counter]), hashlib.sha256).digest()
        counter += 1


def _sha_stream(message: bytes) -> Iterable[bytes]:
    yield hashlib.sha256(message).digest()
    for counter in range(1, 256):
        yield hashlib.sha256(message + bytes([counter])).digest()


# Damm's check digit: catches every single wrong digit and every swap of two neighbours.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def check_digit(digits: str) -> str:
    interim = 0
    for d in digits:
        interim = _DAMM[interim][int(d)]
    return str(interim)


def well_formed(code: str) -> bool:
    """Nine digits whose last is the check digit of the eight before it."""
    return len(code) == CODE_LENGTH and code.isascii() and code.isdigit() and check_digit(code[:-1]) == code[-1]


def _fields(room: str, op: str, minutes: int, tickets: Sequence[str]) -> tuple[str, ...]:
    return (room, op, str(minutes), ",".join(sorted(tickets)))


def request_code(room: str, op: str, minutes: int, tickets: Sequence[str], nonce: str) -> str:
    """What the console shows for a proctor to read to the provincial office."""
    body = digits_of(_sha_stream(LABEL + b"request\x00" + _parts(*_fields(room, op, minutes, tickets), nonce)))
    return body + check_digit(body)


def authorization_code(key: bytes, room: str, request: str, op: str, minutes: int, tickets: Sequence[str]) -> str:
    """The provincial office's answer to `request`, for exactly this room, operation, minutes
    and candidates. `key`: the room's key (room_code_key of the master)."""
    room_, op_, minutes_, tickets_ = _fields(room, op, minutes, tickets)
    body = digits_of(_hmac_stream(key, LABEL + b"code\x00" + _parts(room_, request, op_, minutes_, tickets_)))
    return body + check_digit(body)


def verify(key: bytes, code: str, room: str, request: str, op: str, minutes: int, tickets: Sequence[str]) -> bool:
    return hmac.compare_digest(code.encode(), authorization_code(key, room, request, op, minutes, tickets).encode())


def parse_key(text: str) -> bytes:
    """A key as kept in a file or a package: 64 hex digits."""
    raw = text.strip()
    if len(raw) != 2 * KEY_BYTES:
        raise ValueError(f"a key is {2 * KEY_BYTES} hex digits, not {len(raw)} characters")
    return bytes.fromhex(raw)


# -- the requests a room has made -----------------------------------------------------------------


class RequestStatus(str, Enum):
    OPEN = "open"
    USED = "used"  # a grant took its code: a second use is refused
    LOCKED = "locked"  # MAX_WRONG_CODES wrong codes: a new request is needed


@dataclass
class AuthRequest:
    """One request code and what it asked for, as the room's events left it."""

    code: str
    op: str
    sitting: int
    tickets: tuple[str, ...]
    minutes: int
    at: float
    by: tuple[str, ...]
    wrong: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # (when, by) per wrong code
    used_at: float | None = None

    @property
    def status(self) -> RequestStatus:
        if self.used_at is not None:
            return RequestStatus.USED
        if len(self.wrong) >= MAX_WRONG_CODES:
            return RequestStatus.LOCKED
        return RequestStatus.OPEN

    def row(self) -> dict[str, object]:
        return {
            "request": self.code,
            "op": self.op,
            "sitting": self.sitting,
            "tickets": list(self.tickets),
            "minutes": self.minutes,
            "at": self.at,
            "by": list(self.by),
            "status": self.status.value,
            "wrong_codes": len(self.wrong),
            "tries_left": max(0, MAX_WRONG_CODES - len(self.wrong)),
        }
