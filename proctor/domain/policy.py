"""Policy profiles: one exam's numbers, read by every rule (DOMAIN §7).

The numbers live in resources/policies/*.toml beside the seed article and rule row they come
from; this module only gives them a shape and the national defaults for what a seed leaves out.
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
    # R19-R21: extra-time tiers (cumulative per candidate).
    extra_time_direct_max_min: int = 10
    extra_time_code_max_min: int = 60
    # R16-R18: delayed-start tiers.
    delayed_start_city_max_min: int = 30
    delayed_start_code_max_min: int = 60
    # R02: proctors per room.
    candidates_per_two_proctors: int = 25
    # R01: spare machines per room, percent.
    spare_machines_percent: int = 5
    # R33: overbooking ratio, percent over the machine count.
    overbooking_max_percent: int = 30
    # R39-R43: a wide fault repaired within this many minutes is general (extend the end);
    # longer is major (report up; extend with consent, rebatch or reschedule).
    fault_general_max_min: int = 30
    # R44/R45 (CPA): a fault unsolved this long after the start (or after the fault) stops the exam.
    fault_stop_after_min: int | None = None
    # R59: an exam machine whose own clock is off by more than this (against the proctor
    # machine's) is raised: its clock was not calibrated before the exam.
    machine_clock_tolerance_s: float = 10.0
    # Link liveness, not a seed rule: a machine is offline after this many missed heartbeats.
    heartbeat_interval_s: float = 1.0
    heartbeats_missed_offline: int = 3
    # Parameters a seed is silent on and that took the national default (shown by the console).
    defaulted: tuple[str, ...] = ()
    # Parameter -> the RULES.md rows its profile entry cites, so a refusal can name its rule.
    cites: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        """Build from a parsed profile; unknown keys are an error, missing ones are defaulted."""
        known = {f.name for f in fields(cls)} - {"defaulted", "cites"}
        values: dict[str, Any] = {}
        cites: list[tuple[str, tuple[str, ...]]] = []
        for key, raw in data.items():
            if key in ("source", "rules", "note"):
                continue
            if key not in known:
                raise ValueError(f"unknown policy parameter {key!r}")
            value = raw.get("value") if isinstance(raw, Mapping) else raw
            values[key] = value
            if isinstance(raw, Mapping) and raw.get("rules"):
                cites.append((key, tuple(raw["rules"])))
        if values.get("earliest_submit_before_end_min") is not None:
            values.setdefault("earliest_submit_after_start_min", None)
        missing = tuple(sorted(known - set(values) - {"id", "name"}))
        return cls(**values, defaulted=missing, cites=tuple(cites))

    def rule(self, parameter: str, default: str) -> str:
        """The rule rows this profile cites for `parameter` ("R09"), or `default` when it cites none."""
        return "/".join(dict(self.cites).get(parameter, ())) or default

    def earliest_submit(self, start: float, end: float) -> float:
        if self.earliest_submit_before_end_min is not None:
            return end - self.earliest_submit_before_end_min * 60
        return start + (self.earliest_submit_after_start_min or 0) * 60
