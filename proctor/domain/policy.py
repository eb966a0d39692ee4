"""Policy profiles: one exam's numbers, read by every rule (DOMAIN §7).

The numbers live in resources/policies/*.toml beside the seed article and rule row they come
from; this module only gives them a shape and the national defaults for what a seed leaves out.
A profile may also decline a rule whose default does not fit its exam (`taken = false`, with the
seed article that says what holds instead): the number is then None, and code that reads it must
refuse or ask rather than assume a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    # R05: candidates enter and log in from T-30 min.
    login_opens_before_start_min: int = 30
    # R07: sign-in closes T+30 min; not logged in = absent, later logins refused.
    sign_in_closes_after_start_min: int = 30
    # R08: earliest submit counted from the start (accounting: 120), or
    # R09/R10: from the candidate's end (economics: 15, senior: 60). Exactly one is set.
    earliest_submit_after_start_min: int | None = 120
    earliest_submit_before_end_min: int | None = None
    # R12: reminder to candidates before the end.
    reminder_before_end_min: int = 15
    # R19-R21: extra-time tiers (cumulative per candidate). None: the exam has no minute tiers
    # (CPA: by cause, 003 五、六、一); the profile's citation says what holds instead.
    extra_time_direct_max_min: int | None = 10
    extra_time_code_max_min: int | None = 60
    # R16-R18: delayed-start tiers. None: not this exam's rule (CPA: 50 minutes, then stop).
    delayed_start_city_max_min: int | None = 30
    delayed_start_code_max_min: int | None = 60
    # R02: proctors per room.
    candidates_per_two_proctors: int = 25
    # R01: spare machines per room, percent.
    spare_machines_percent: int = 5
    # R33: overbooking ratio, percent over the machine count: the national cap, piloted only in
    # economics junior/intermediate exams [004 九(二)]; every other shipped profile declines it (None).
    overbooking_max_percent: int | None = 30
    # R39-R43: a wide fault repaired within this many minutes is general (extend the end);
    # longer is major (report up; extend with consent, rebatch or reschedule).
    # None: the exam has no general/major split (CPA stops at fault_stop_after_min instead).
    fault_general_max_min: int | None = 30
    # R44/R45 (CPA): a fault unsolved this long after the start (or after the fault) stops the exam.
    fault_stop_after_min: int | None = None
    # R59: an exam machine whose own clock is off by more than this (against the proctor
    # machine's) is raised: its clock was not calibrated before the exam.
    machine_clock_tolerance_s: float = 10.0
    # A temporary leave (暂离) longer than this is raised: the site's number, not a seed's
    # (000 附件3 15 asks that a leave be recorded and escorted, not how long it may be).
    away_alert_after_min: int = 10
    # The printed room record's title, in its seed's words: 000 附件3 16/18 《考场情况报告单》;
    # 004 九(三) 《考场情况记录单》 (signed by proctors and the chief examiner).
    report_form: str = "考场情况报告单"
    # Link liveness, not a seed rule: a machine is offline after this many missed heartbeats.
    heartbeat_interval_s: float = 1.0
    heartbeats_missed_offline: int = 3
    # Parameters a seed is silent on and that took the national default (shown by the console);
    # the link-liveness numbers, which no seed governs, are not counted.
    defaulted: tuple[str, ...] = ()
    # Parameters the profile declines (None): their default does not fit the exam.
    not_taken: tuple[str, ...] = ()
    # Parameter -> the RULES.md rows its profile entry cites, so a refusal can name its rule.
    cites: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The profile's seed document, and parameter -> the seed article its entry quotes.
    source: str = ""
    sources: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        """Build from a parsed profile; unknown keys are an error, missing ones are defaulted."""
        known = {f.name for f in fields(cls)} - _ABOUT
        values: dict[str, Any] = {}
        cites: list[tuple[str, tuple[str, ...]]] = []
        sources: list[tuple[str, str]] = []
        declined: list[str] = []
        for key, raw in data.items():
            if key in ("source", "rules", "note"):
                continue
            if key not in known:
                raise ValueError(f"unknown policy parameter {key!r}")
            value = raw.get("value") if isinstance(raw, Mapping) else raw
            if isinstance(raw, Mapping) and raw.get("taken", True) is not True:
                if raw.get("taken") is not False or "value" in raw:
                    raise ValueError(f"{key}: taken must be false, and a declined parameter has no value")
                if not raw.get("source"):
                    raise ValueError(f"{key}: a declined parameter cites the seed article that says why")
                declined.append(key)
            values[key] = value
            if isinstance(raw, Mapping) and raw.get("rules"):
                cites.append((key, tuple(raw["rules"])))
            if isinstance(raw, Mapping) and raw.get("source"):
                sources.append((key, citation_text(raw["source"])))
        if values.get("earliest_submit_before_end_min") is not None:
            values.setdefault("earliest_submit_after_start_min", None)
        seed_numbers = {name for name, m in MEANINGS.items() if m.rows}
        missing = tuple(sorted((known & seed_numbers) - set(values)))
        return cls(
            **values,
            defaulted=missing,
            not_taken=tuple(declined),
            cites=tuple(cites),
            source=citation_text(data.get("source") or ""),
            sources=tuple(sources),
        )

    def takes(self, parameter: str) -> bool:
        """Whether this profile has `parameter`'s rule; False: it declined it (the value is None)."""
        return parameter not in self.not_taken

    def source_of(self, parameter: str) -> str:
        """The seed article(s) the profile quotes for `parameter`, "" when it took the default."""
        return dict(self.sources).get(parameter, "")

    def rule(self, parameter: str, default: str) -> str:
        """The rule rows this profile cites for `parameter` ("R09"), or `default` when it cites none."""
        return "/".join(dict(self.cites).get(parameter, ())) or default

    def parameters(self) -> list[dict[str, Any]]:
        """Every number of the profile as the console lists it (适用规则): its value, the rule
        rows it carries, the seed article the profile quotes, whether it took the default, and
        whether the profile has that rule at all (taken False: declined, value None)."""
        cited = dict(self.cites)
        quoted = dict(self.sources)
        return [
            {
                "name": f.name,
                "value": getattr(self, f.name),
                "rules": list(cited.get(f.name) or MEANINGS[f.name].rows),
                "source": quoted.get(f.name, ""),
                "defaulted": f.name in self.defaulted,
                "taken": f.name not in self.not_taken,
            }
            for f in fields(self)
            if f.name in MEANINGS
        ]

    def earliest_submit(self, start: float, end: float) -> float:
        if self.earliest_submit_before_end_min is not None:
            return end - self.earliest_submit_before_end_min * 60
        return start + (self.earliest_submit_after_start_min or 0) * 60


_ABOUT = {"defaulted", "not_taken", "cites", "source", "sources"}  # about the profile, not numbers of it


def citation_text(source: object) -> str:
    """A profile's `source`: one citation "NNN article: quoted text", or a list of them."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "; ".join(source)
    raise ValueError(f"source must be a citation or a list of citations, not {source!r}")


@dataclass(frozen=True)
class Meaning:
    """What a parameter is, in both languages of the console, and the RULES.md rows it carries
    when its profile cites none (the national default)."""

    en: str
    zh: str
    rows: tuple[str, ...]


MEANINGS: dict[str, Meaning] = {
    "login_opens_before_start_min": Meaning("Login opens before the start (min)", "开考前开始登录（分钟）", ("R05",)),
    "sign_in_closes_after_start_min": Meaning(
        "Sign-in closes after the start (min)", "开考后停止登录（分钟）", ("R07",)
    ),
    "earliest_submit_after_start_min": Meaning(
        "Earliest submission after the start (min)", "开考后最早交卷（分钟）", ("R08",)
    ),
    "earliest_submit_before_end_min": Meaning(
        "Earliest submission before the end (min)", "结束前最早交卷（分钟）", ("R09", "R10")
    ),
    "reminder_before_end_min": Meaning(
        "Reminder to candidates before the end (min)", "结束前提醒考生（分钟）", ("R12",)
    ),
    "extra_time_direct_max_min": Meaning(
        "Extra time a proctor gives directly, at most (min)", "监考员直接补时上限（分钟）", ("R19",)
    ),
    "extra_time_code_max_min": Meaning(
        "Extra time with a provincial code, at most (min)", "凭省级授权码补时上限（分钟）", ("R20", "R21")
    ),
    "delayed_start_city_max_min": Meaning(
        "Delayed start with the city's consent, at most (min)", "经市级同意延时开考上限（分钟）", ("R16",)
    ),
    "delayed_start_code_max_min": Meaning(
        "Delayed start with a provincial code, at most (min)", "凭省级授权码延时开考上限（分钟）", ("R17", "R18")
    ),
    "candidates_per_two_proctors": Meaning("Candidates per two proctors", "两名监考员对应考生数", ("R02",)),
    "spare_machines_percent": Meaning("Spare exam machines (% of candidates)", "备用考试机比例（%）", ("R01",)),
    "overbooking_max_percent": Meaning(
        "Overbooking over the machine count, at most (%)", "超额编排上限（%）", ("R33",)
    ),
    "fault_general_max_min": Meaning(
        "A wide fault repaired within this is general (min)", "一般故障修复时限（分钟）", ("R39", "R40")
    ),
    "fault_stop_after_min": Meaning(
        "A fault unsolved this long stops the exam (min)", "故障未解决即停止考试（分钟）", ("R44", "R45")
    ),
    "machine_clock_tolerance_s": Meaning("Exam machine clock may be off by (s)", "考试机时钟允许偏差（秒）", ("R59",)),
    "away_alert_after_min": Meaning("A temporary leave is raised after (min)", "暂离超时提醒（分钟）", ()),
    "heartbeat_interval_s": Meaning("Exam machine heartbeat interval (s)", "考试机心跳间隔（秒）", ()),
    "heartbeats_missed_offline": Meaning(
        "Missed heartbeats before a machine is offline", "判定离线的连续缺失心跳次数", ()
    ),
}
