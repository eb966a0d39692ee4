"""The policy profiles against their seeds: every citation quotes its seed, and each exam takes
only the rules that fit it (DOMAIN §7)."""

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from proctor.domain.policy import MEANINGS, Policy
from proctor.resources import load_policy, resources_dir

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
PROFILES = sorted(p.stem for p in (resources_dir() / "policies").glob("*.toml"))
CITATION = re.compile(r"(?P<seed>\d{3}) (?P<article>[^:]+): (?P<quote>.+)", re.S)


def citations() -> list[tuple[str, str]]:
    """(where, citation) for every seed citation in the profiles and the shared rules."""
    out: list[tuple[str, str]] = []
    for path in [*resources_dir().glob("policies/*.toml"), *resources_dir().glob("rules/*.toml")]:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if path.parent.name == "policies":  # the profile's own document (rules/ names RULES.md rows)
            out.append((f"{path.name} source", data["source"]))
        for key, value in data.items():
            if isinstance(value, dict) and "source" in value:
                source = value["source"]
                for citation in [source] if isinstance(source, str) else source:
                    out.append((f"{path.name} [{key}]", citation))
    return out


def normalised(text: str) -> str:
    """Text to look a quote up in: full-width punctuation as ASCII, the pinyin that seed 002
    prints after some characters (會(huì)) dropped, no whitespace (the seeds break lines mid-word)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\([a-zA-Z\u00c0-\u024f]{1,8}\)", "", text)
    return re.sub(r"\s+", "", text)


def seed_text(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return normalised(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("where, citation", citations())
def test_a_citation_names_its_seed_and_article_and_quotes_it(where, citation):
    m = CITATION.fullmatch(citation)
    assert m, f"{where}: {citation!r} is not 'NNN article: quoted text'"
    assert m["seed"] in {"000", "001", "002", "003", "004"}, f"{where}: no seed {m['seed']}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
@pytest.mark.parametrize("where, citation", citations())
def test_a_citation_s_quote_occurs_in_its_seed(where, citation):
    m = CITATION.fullmatch(citation)
    assert m, f"{where}: {citation!r} is not 'NNN article: quoted text'"
    seed = seed_text(m["seed"])
    for fragment in m["quote"].split("……"):  # an ellipsis joins two pieces of one article
        assert normalised(fragment) in seed, f"{where}: seed {m['seed']} does not say {fragment!r}"


@pytest.mark.parametrize("profile", PROFILES)
def test_a_profile_loads_and_its_declined_rules_are_none_and_not_defaults(profile):
    policy = load_policy(profile)
    for name in policy.not_taken:
        assert getattr(policy, name) is None and not policy.takes(name)
        assert name not in policy.defaulted
        assert policy.source_of(name), f"{profile}: {name} is declined without a citation"
    rows = {p["name"]: p for p in policy.parameters()}
    assert {n for n, p in rows.items() if not p["taken"]} == set(policy.not_taken)
    assert {n for n, p in rows.items() if p["defaulted"]} == set(policy.defaulted)
    # Every number a profile leaves out is a default the console marks, except those no seed
    # governs (link liveness, how long a leave may last): they carry no rule row.
    data = tomllib.loads((resources_dir() / "policies" / f"{profile}.toml").read_text(encoding="utf-8"))
    ours = {"heartbeat_interval_s", "heartbeats_missed_offline", "away_alert_after_min"}
    assert ours == {n for n, m in MEANINGS.items() if not m.rows}
    silent = set(MEANINGS) - set(data) - ours
    if "earliest_submit_before_end_min" in data:
        silent.discard("earliest_submit_after_start_min")  # the other way to set it (R08 or R09/R10)
    assert set(policy.defaulted) == silent


def test_the_cpa_notice_takes_neither_the_direct_tier_nor_the_accounting_threshold():
    cpa = load_policy("cpa-2014")
    assert cpa.fault_stop_after_min == 50 and "fault_stop_after_min" not in cpa.defaulted  # 003 一、七
    for name in (
        "extra_time_direct_max_min",
        "extra_time_code_max_min",
        "fault_general_max_min",
        "delayed_start_city_max_min",
        "delayed_start_code_max_min",
        "overbooking_max_percent",
    ):
        assert getattr(cpa, name) is None and not cpa.takes(name), name
    said = cpa.source_of("extra_time_direct_max_min")
    assert said.startswith("003 五: 重新启动或更换考试机后") and "003 六: " in said and "003 一: " in said
    assert "经批准后" in said and "指令给予补时" in said
    assert "故障处理办法" in cpa.source and "财政部注册会计师考试委员会办公室" in cpa.source
    assert "机考突发事件处置" not in cpa.source  # no such title in the notice
    # What it does not say, it still takes as a marked default.
    assert {"sign_in_closes_after_start_min", "earliest_submit_after_start_min"} <= set(cpa.defaulted)


def test_seed_002_is_beijing_s_accounting_practitioner_exam():
    beijing = load_policy("beijing-accounting")
    assert "会计从业资格" in beijing.name and "专业技术资格" not in beijing.name
    assert beijing.source.startswith("002 北京市会计从业资格") and "专业技术资格" not in beijing.source
    data = (resources_dir() / "policies" / "beijing-accounting.toml").read_text(encoding="utf-8")
    assert "会计专业技术资格考试" not in data
    # Silent on timings: the national defaults, each marked.
    assert {"sign_in_closes_after_start_min", "earliest_submit_after_start_min"} <= set(beijing.defaulted)


def test_only_the_economics_junior_and_intermediate_exam_overbooks():  # R33, 004 九(二)
    overbooks = {p: load_policy(p).overbooking_max_percent for p in PROFILES}
    assert overbooks.pop("economics-2021") == 30
    assert set(overbooks.values()) == {None}
    assert all(not load_policy(p).takes("overbooking_max_percent") for p in overbooks)


def test_the_tiers_are_the_economics_rules_where_the_profile_sets_them():  # R16-R21
    for profile in ("economics-2021", "economics-senior-2021"):
        p = load_policy(profile)
        assert (p.extra_time_direct_max_min, p.extra_time_code_max_min) == (10, 60)
        assert (p.delayed_start_city_max_min, p.delayed_start_code_max_min) == (30, 60)
        assert not {"extra_time_direct_max_min", "delayed_start_city_max_min"} & set(p.defaulted)
    national = load_policy("national-accounting")
    assert national.extra_time_direct_max_min == 10 and "extra_time_direct_max_min" in national.defaulted


def test_the_wenzhou_earliest_submit_cites_the_national_room_rules():  # R08
    said = load_policy("wenzhou-accounting").source_of("earliest_submit_after_start_min")
    assert said.startswith("001 考场规则 第九条: 開考2小時后,考生方可交卷")


@pytest.mark.parametrize(
    "entry, error",
    [
        ({"taken": False, "value": 10, "source": "003 五: x"}, "no value"),
        ({"taken": "no", "source": "003 五: x"}, "taken must be false"),
        ({"taken": False}, "cites the seed article"),
        ({"taken": False, "source": 5}, "source must be"),
    ],
)
def test_a_declined_parameter_is_written_one_way(entry, error):
    with pytest.raises(ValueError, match=error):
        Policy.from_mapping({"id": "x", "name": "x", "extra_time_direct_max_min": entry})


def test_a_declined_parameter_shows_as_not_taken_in_the_listing():
    rows = {p["name"]: p for p in load_policy("cpa-2014").parameters()}
    direct = rows["extra_time_direct_max_min"]
    assert direct["value"] is None and direct["taken"] is False and direct["defaulted"] is False
    assert direct["rules"] == ["R19"] and direct["source"].startswith("003 五")


# -- the readers of a declined parameter refuse rather than assume a number ----------------------


def test_an_overbooked_room_under_a_profile_that_declines_overbooking_is_refused():  # R33
    from proctor.package import PackageError, demo, package_files, parse_files

    files = package_files(demo.generate(24, 20, overbooked=True, seed=5))
    assert parse_files(files).policy == "economics-2021"  # the demo picks the profile that overbooks
    head = files["package.toml"].decode("utf-8")
    assert 'policy = "economics-2021"' in head
    files["package.toml"] = head.replace('policy = "economics-2021"', 'policy = "national-accounting"').encode()
    with pytest.raises(PackageError) as info:
        parse_files(files)
    assert info.value.field == "overbooked" and "R33" in info.value.problem_en
    assert "不允许考场超排" in info.value.problem_zh
    with pytest.raises(ValueError, match="allows no overbooked room"):
        demo.generate(10, 20, overbooked=True, policy="cpa-2014")
