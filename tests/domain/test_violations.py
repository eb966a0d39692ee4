"""Violation records (R30: facts, evidence, two proctors confirm; R31: the act's category by 004
附件3), amended only by a new record that names the old one."""

import pytest

from proctor.domain.events import Evidence, ViolationAct, ViolationCategory, ViolationRecorded
from proctor.domain.room import Flag, Refused, RoomState, decide_login, decide_sign_in_proctors, due_events
from proctor.domain.violations import CATEGORY_OF, decide_record_violation
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
NOW = START + 20 * MIN
PHOTO = Evidence(name="屏幕.jpg", sha256="ab" * 32, size=1000)
HELD = frozenset({PHOTO.sha256})


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def room():
    pkg = make_package(candidates=4, machines=5)
    r = RoomState(pkg, national_policy())
    applied(r, decide_sign_in_proctors(r, (*BY, "赵三"), START - 20 * MIN))
    for c in pkg.candidates[:3]:
        applied(r, decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN))
    applied(r, due_events(r, START + MIN))
    return r


def record(r, ticket, act=ViolationAct.OWN_DEVICE, **kw):
    args = {
        "category": None,
        "facts": "考生使用自带 U 盘",
        "evidence": (PHOTO,),
        "confirmed_by": BY,
        **kw,
    }
    return decide_record_violation(
        r,
        ticket,
        act,
        args["category"],
        args["facts"],
        args["evidence"],
        args["confirmed_by"],
        BY,
        NOW,
        amends=args.get("amends"),
        held=args.get("held", HELD),
    )


def refusal(r, ticket, **kw):
    with pytest.raises(Refused) as no:
        record(r, ticket, **kw)
    return no.value


def test_a_record_keeps_the_facts_exactly_and_flags_the_candidate():
    r = room()
    t = r.package.candidates[0].ticket
    facts = "考生刘䶮（𠮷）在 10:05 插入自带 U 盘；\n监考员当场制止。" + "长" * 3900
    (e,) = applied(r, record(r, t, facts=facts))
    assert isinstance(e, ViolationRecorded) and e.facts == facts and e.number == 1
    assert e.category is ViolationCategory.SERIOUS and e.confirmed_by == BY and e.evidence == (PHOTO,)
    assert Flag.VIOLATION in r.sitting.candidates[t].flags
    row = r.candidate_row(r.sitting, r.sitting.candidates[t])
    assert row["violations"] == [{"number": 1, "act": "own_device", "category": "serious"}]


@pytest.mark.parametrize("act, category", list(CATEGORY_OF.items()))
def test_the_act_decides_the_category_as_004_annex_3_sorts_them(act, category):  # R31
    r = room()
    t = r.package.candidates[0].ticket
    if category is None:
        assert refusal(r, t, act=act).rule == "R31"  # OTHER: the proctors choose
        (e,) = record(r, t, act=act, category=ViolationCategory.SERIOUS)
        assert e.category is ViolationCategory.SERIOUS
    else:
        (e,) = record(r, t, act=act)
        assert e.category is category
        other = next(c for c in ViolationCategory if c is not category)
        assert refusal(r, t, act=act, category=other).code == "category_differs"


def test_two_different_proctors_signed_in_confirm_it():  # R30: at the boundary, one is not enough
    r = room()
    t = r.package.candidates[0].ticket
    one = refusal(r, t, confirmed_by=("林𠮷祥",))
    assert one.rule == "R30" and one.code == "two_proctors" and "两名" in one.zh
    assert refusal(r, t, confirmed_by=("林𠮷祥", "林𠮷祥")).code == "two_proctors"
    stranger = refusal(r, t, confirmed_by=("林𠮷祥", "冒名者"))
    assert stranger.code == "not_room_proctor" and "冒名者" in stranger.zh
    assert record(r, t, confirmed_by=("林𠮷祥", "王芳", "赵三"))  # three is more than enough


def test_facts_are_required_and_bounded_and_evidence_must_be_in_the_room():
    r = room()
    t = r.package.candidates[0].ticket
    assert refusal(r, t, facts="  ").code == "no_facts"
    assert refusal(r, t, facts="长" * 4001).code == "facts_too_long"
    missing = refusal(r, t, held=frozenset())
    assert missing.code == "evidence_missing" and "屏幕.jpg" in missing.zh
    assert refusal(r, t, evidence=(PHOTO, PHOTO)).code == "evidence_twice"
    assert record(r, t, evidence=())  # evidence is attached when there is some


def test_only_a_candidate_the_room_saw_and_of_this_room():
    r = room()
    absent = r.package.candidates[3].ticket  # never logged in
    assert refusal(r, absent).code == "not_in_room"
    assert refusal(r, "999999999999").code == "unknown_candidate"


def test_a_correction_is_a_new_record_naming_the_old_which_stays_superseded():
    r = room()
    a, b = (c.ticket for c in r.package.candidates[:2])
    applied(r, record(r, a))
    (fix,) = applied(r, record(r, a, act=ViolationAct.CHEATING_TOOL, facts="更正：安装作弊程序", amends=1))
    assert fix.number == 2 and fix.amends == 1
    assert r.violations[1].superseded_by == 2 and r.violations[2].superseded_by is None
    row = r.candidate_row(r.sitting, r.sitting.candidates[a])
    assert [v["number"] for v in row["violations"]] == [2]
    assert refusal(r, a, amends=1).code == "already_amended"
    assert refusal(r, b, amends=2).code == "unknown_record"  # another candidate's record
    assert refusal(r, a, amends=9).code == "unknown_record"
