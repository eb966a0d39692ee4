"""The exam package (考务数据): what a room needs to run one batch, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    ticket: str  # 准考证号
    name: str  # as on the ID card; may hold CJK Extension A/B characters
    gender: str  # "男" or "女"
    id_number: str  # 证件号
    seat: str | None  # machine id the candidate is seated at; None in an overbooked room
    photo: str | None  # file name under the package's photos/ folder


@dataclass(frozen=True)
class Sitting:
    """One sitting (场次): its own subject, start, duration and candidates."""

    number: int  # 1-based
    subject: str
    start: float  # epoch seconds
    duration_min: int
    tickets: tuple[str, ...]

    @property
    def end(self) -> float:
        return self.start + self.duration_min * 60


@dataclass(frozen=True)
class Machine:
    id: str  # e.g. "A01"; the exam machine's name on the room LAN
    row: int
    col: int
    spare: bool = False


DUTY_LEVELS = ("room", "site", "city", "province", "ministry")  # whom an incident is reported to


@dataclass(frozen=True)
class DutyContact:
    """A duty telephone set for the exam (值班电话): whom the incident guide says to call at a level."""

    level: str  # one of DUTY_LEVELS
    who: str  # e.g. "考点主考 王主任"
    phone: str


@dataclass(frozen=True)
class ExamPackage:
    exam: str  # e.g. "2026年度全国会计专业技术初级资格考试"
    level: str  # e.g. "初级"
    batch: str  # 批次
    policy: str  # policy profile id, e.g. "national-accounting"
    site: str  # 考点
    room: str  # 考场
    room_key: str  # per-exam key the exam machines present (our 监考锁 equivalent)
    timezone: str  # e.g. "+08:00"
    machines: tuple[Machine, ...]
    sittings: tuple[Sitting, ...]
    candidates: tuple[Candidate, ...]
    fingerprint: str = ""  # sha256 hex of the package's files
    overbooked: bool = False
    # 64 hex digits: this room's key for provincial authorization codes (docs/authorization-codes.md);
    # "" in a package without one (codes cannot be checked; direct extra time still can).
    authcode_key: str = ""
    # The site's secret, the same in every room's package of the site: rooms prove to each other
    # with it when a candidate is transferred (调出/调入, R35). 64 hex digits, or "" (no transfers).
    site_secret: str = ""
    # A cloud exam room (云机房): a candidate whose machine drops while answering is reset at once
    # by the service, to log in again on any free machine (R54, 004 附件2 一(五)).
    cloud: bool = False
    duty: tuple[DutyContact, ...] = ()  # the duty telephones, in the order to call them
    photos: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @property
    def short_code(self) -> str:
        """What staff read aloud to compare with the site's arrangement: 4 groups of 4 hex."""
        f = self.fingerprint.upper()
        return "-".join(f[i : i + 4] for i in range(0, 16, 4))

    @property
    def arrangement_text(self) -> str:
        """What the fingerprint QR code holds, for the site's scan against its arrangement (R55)."""
        return arrangement_text(self.site, self.room, self.batch, self.fingerprint)

    def candidate(self, ticket: str) -> Candidate | None:
        return self._by_ticket().get(ticket)

    def _by_ticket(self) -> dict[str, Candidate]:
        cache = self.__dict__.get("_by_ticket_cache")
        if cache is None:
            cache = {c.ticket: c for c in self.candidates}
            object.__setattr__(self, "_by_ticket_cache", cache)
        return cache

    def machine_ids(self) -> frozenset[str]:
        return frozenset(m.id for m in self.machines)


def arrangement_text(site: str, room: str, batch: str, fingerprint: str) -> str:
    return "|".join(("PROCTOR-PKG1", site, room, batch, fingerprint))
