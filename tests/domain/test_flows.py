"""Incident flowcharts as data: the shipped ones pass `check`; a chart with an unreachable step,
a dead end without an outcome, an unknown operation, a threshold that contradicts its profile or
a step without a citation is rejected, each in words. Every citation quotes its seed."""

import copy
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from proctor.domain.commands import COMMAND_TYPES, command_name
from proctor.domain.flows import FlowError, check, minutes_for, parse
from proctor.resources import all_policies, flow_files, load_flow

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
OPERATIONS = [command_name(c) for c in COMMAND_TYPES]


# DOMAIN §5's catalogue of incidents (traffic is one cause of many candidates late, 002 第十二条).
CATALOGUE = {
    "power",
    "network",  # WAN and LAN (003 二、三)
    "site_machine",
    "exam_server",
    "machine_crash",
    "peripheral_software",
    "question_error",
    "upload_failure",
    "mass_cheating",
    "strike",
    "violence",
    "illness",
    "natural_disaster",
    "terror",
    "question_leak",
    "mass_late_arrival",
    "operating_error",
    "cloud_room",
}


def shipped(name):
    return tomllib.loads((ROOT / "resources" / "flows" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", flow_files(), ids=lambda p: p.stem)
def test_every_shipped_flowchart_passes(path):
    assert check(load_flow(path), OPERATIONS, all_policies()) == []


def broken(change):
    data = copy.deepcopy(shipped("power-failure.toml"))
    change(data)
    return check(parse(data), OPERATIONS, all_policies())


def test_the_whole_catalogue_is_shipped_and_every_exam_has_its_power_and_machine_charts():
    flows = [load_flow(p) for p in flow_files()]
    assert CATALOGUE - {f.incident for f in flows} == set()
    for profile in all_policies():
        mine = {f.incident for f in flows if profile in f.profiles}
        assert {"power", "machine_crash"} <= mine, profile
    # One chart per incident and exam: the console never offers two plans that disagree.
    pairs = [(f.incident, p, f.id) for f in flows for p in f.profiles]
    seen: dict[tuple[str, str], list[str]] = {}
    for incident, p, fid in pairs:
        seen.setdefault((incident, p), []).append(fid)
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_an_unreachable_step_is_rejected():
    def orphan(d):
        d["steps"]["orphan"] = {"kind": "outcome", "text": "x", "report": "x", "cite": "001 应急预案 第八条: 考試延時"}

    assert any("orphan: unreachable" in p for p in broken(orphan))


def test_a_dead_end_without_an_outcome_is_rejected():
    def dead(d):
        del d["steps"]["extra_time"]["next"]

    assert any("extra_time: a dead end" in p for p in broken(dead))


def test_an_unknown_operation_is_rejected():
    def unknown(d):
        d["steps"]["extra_time"]["operation"] = "pray"

    assert any("unknown operation 'pray'" in p for p in broken(unknown))


def test_a_threshold_that_contradicts_the_profile_is_rejected():
    def wrong(d):
        d["steps"]["repair"]["minutes"] = 45

    assert any("45 min contradicts national-accounting's fault_general_max_min = 30" in p for p in broken(wrong))

    def not_its_rule(d):
        d["profiles"] = ["cpa-2014"]  # CPA declines the 30-minute split (003 一)

    assert any("cpa-2014 does not take 'fault_general_max_min'" in p for p in broken(not_its_rule))


def test_a_missing_citation_is_rejected():
    def uncited(d):
        d["steps"]["calm"]["cite"] = "请安抚考生"

    assert any("calm: no citation" in p for p in broken(uncited))


def test_only_a_timer_counts_from_somewhere_and_only_from_known_places():
    def misplaced(d):
        d["steps"]["calm"]["from"] = "incident"

    assert any("calm: only a timer counts" in p for p in broken(misplaced))
    data = shipped("power-failure.toml")
    data["steps"]["repair"]["from"] = "yesterday"
    with pytest.raises(FlowError):
        parse(data, "x.toml")


def test_the_timer_reads_each_profiles_own_minutes():
    policies = all_policies()
    wz = load_flow(ROOT / "resources" / "flows" / "power-failure-wenzhou.toml").steps["repair"]
    cpa = load_flow(ROOT / "resources" / "flows" / "power-failure-cpa.toml").steps["repair"]
    assert minutes_for(wz, policies["wenzhou-accounting"]) == 60  # R41
    assert minutes_for(cpa, policies["cpa-2014"]) == 50  # R44


# Seed 002 prints the reading after some characters, 會(huì): a citation quotes the characters.
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def normalised(text):
    return re.sub(r"[\s　]+", "", PINYIN.sub("", text)).replace(",", "，").replace(";", "；").replace(":", "：")


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside this checkout")
@pytest.mark.parametrize("path", flow_files(), ids=lambda p: p.stem)
def test_every_step_quotes_its_seed(path):
    for step in load_flow(path).steps.values():
        number, _, quote = step.cite.partition(" ")
        words = quote.split(": ", 1)[1]
        (seed,) = SEEDS.glob(f"{number}_*.txt")
        text = normalised(seed.read_text(encoding="utf-8"))
        for fragment in words.split("……"):
            assert normalised(fragment) in text, f"{path.stem}.{step.id}: seed {number} does not say {fragment!r}"


def test_the_command_line_check_fails_on_a_broken_chart(tmp_path):
    bad = tmp_path / "bad.toml"
    data = (ROOT / "resources" / "flows" / "machine-crash.toml").read_text(encoding="utf-8")
    bad.write_text(data.replace('operation = "grant_extra_time"', 'operation = "grant_everything"'), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "proctor.cli", "flows", "check", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1 and "unknown operation 'grant_everything'" in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "proctor.cli", "flows", "check"], capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr
