"""The shipped policy profiles: they load, cite their rule rows, and every seed rule has a home."""

import re
import tomllib
from pathlib import Path

import pytest

from proctor.domain.room import Refused, RoomState, decide_submit, due_events
from proctor.resources import load_policy, resources_dir
from tests.factories import START, make_package

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT.parent / "shared" / "RULES.md"
PROFILES = sorted(p.stem for p in (resources_dir() / "policies").glob("*.toml"))
MIN = 60.0

# Rule rows without a home yet, and what will give them one.
HOME_PENDING = {
    **dict.fromkeys(["R03", "R04", "R15", "R27", "R28", "R29", "R56"], "the end-of-exam and readiness checklists"),
    **dict.fromkeys(["R22", "R23", "R24", "R25", "R26", "R54"], "the reset / extra-time / standalone operations"),
    **dict.fromkeys(["R30", "R31", "R32"], "violation and temporary-leave records"),
    **dict.fromkeys(["R34", "R35", "R36", "R37"], "overbooked rooms and transfers"),
    "R38": "the room situation report",
    **dict.fromkeys(["R57", "R58", "R59", "R60", "R61"], "the live view, standby, admission and operations issues"),
    **dict.fromkeys(["R46", "R47", "R48", "R49", "R50", "R51", "R52", "R53"], "the incident flowcharts"),
}
# Rule rows with a home whose boundary test comes with the operation that uses them.
TEST_PENDING = {"R12", "R16", "R17", "R18", "R19", "R20", "R21",
                "R39", "R40", "R41", "R42", "R43", "R44", "R45"}


def homes() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in (resources_dir()).rglob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for value in data.values():
            if isinstance(value, dict):
                for rule in value.get("rules", ()):
                    out.setdefault(rule, []).append(path.name)
    return out


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_loads_and_cites_its_seed(profile):
    policy = load_policy(profile)
    assert policy.id == profile and policy.name
    data = tomllib.loads((resources_dir() / "policies" / f"{profile}.toml").read_text(encoding="utf-8"))
    assert data["source"]
    for key, value in data.items():
        if isinstance(value, dict):
            assert value.get("source"), f"{profile}: {key} cites no seed article"


def test_a_profile_says_which_numbers_took_the_national_default():
    assert "sign_in_closes_after_start_min" in load_policy("cpa-2014").defaulted
    assert "sign_in_closes_after_start_min" not in load_policy("national-accounting").defaulted


@pytest.mark.skipif(not RULES_MD.exists(), reason="shared/RULES.md is not beside this checkout")
def test_every_seed_rule_has_a_home_or_a_named_plan():
    rows = re.findall(r"^\| (R\d\d) \|", RULES_MD.read_text(encoding="utf-8"), re.M)
    homed = homes()
    assert not [r for r in rows if r not in homed and r not in HOME_PENDING]
    assert not [r for r in HOME_PENDING if r in homed], "a pending rule has a home now: drop it from HOME_PENDING"


def test_every_homed_rule_has_a_boundary_test():
    tests_text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_policies.py")
    cited = set(re.findall(r"\bR\d\d\b", tests_text))
    untested = sorted(set(homes()) - cited - TEST_PENDING)
    assert not untested, f"rules with a home but no test citing them: {untested}"
    assert not (TEST_PENDING & cited), "a pending rule is tested now: drop it from TEST_PENDING"


# -- the real profiles at their boundaries -------------------------------------------------------


def _answering(policy_id: str, minutes: int) -> tuple[RoomState, str]:
    r = RoomState(make_package(candidates=1, sittings=(("科目", START, minutes),)), load_policy(policy_id))
    c = r.package.candidates[0]
    from proctor.domain.room import decide_login, decide_machine_online

    for e in decide_machine_online(r, c.seat, START - 10 * MIN) + decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN):
        r.apply(e)
    for e in due_events(r, START):
        r.apply(e)
    return r, c.ticket


@pytest.mark.parametrize(
    "profile, minutes, opens_at",
    [
        ("national-accounting", 150, 120),  # R08
        ("wenzhou-accounting", 150, 120),  # R08
        ("economics-2021", 90, 75),  # R09, R13
        ("economics-senior-2021", 180, 120),  # R10, R14
    ],
)
def test_earliest_submission_per_profile(profile, minutes, opens_at):
    r, ticket = _answering(profile, minutes)
    with pytest.raises(Refused):
        decide_submit(r, "A01", ticket, START + opens_at * MIN - 1)
    assert decide_submit(r, "A01", ticket, START + opens_at * MIN)


@pytest.mark.parametrize("profile", ["national-accounting", "wenzhou-accounting"])
def test_sign_in_closes_thirty_minutes_after_the_start_per_profile(profile):  # R07
    r, _ = _answering(profile, 120)
    assert [e.kind for e in due_events(r, START + 30 * MIN - 1)] == []
    assert [e.kind for e in due_events(r, START + 30 * MIN)] == ["SignInClosed"]
