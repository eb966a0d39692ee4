"""The standalone exam's rules (R25-R27, 004 附件2 二(四), 一(二) 问题三 第一步): consent, who
may go, which machine; a result merged once, in order, for exactly its package; the end held
until every package is back or written off by two proctors."""

import dataclasses

import pytest

from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    AnswerSaved,
    CandidateSubmitted,
    SittingEnded,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
)
from proctor.domain.room import (
    PackageStatus,
    Refused,
    RoomState,
    State,
    answers_digest,
    canonical_answers,
    decide_login,
    decide_save,
    due_events,
    next_due,
)
from proctor.domain.standalone import (
    OfflineResult,
    OfflineSave,
    decide_export,
    decide_import,
    decide_write_off,
    plan_export,
)
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
NOW = START + 20 * MIN
PID = "0123456789abcdef" * 2
DIGEST = "aa" * 32


def answering_room():
    pkg = make_package(candidates=4, machines=6)
    r = RoomState(pkg, national_policy())
    for c in pkg.candidates:
        for e in decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN):
            r.apply(e)
    for e in due_events(r, START + MIN):
        r.apply(e)
    return r


def apply(r, events):
    for e in events:
        r.apply(e)
    return events


def export(r, i=0, machine="A06", at=NOW, pid=PID):
    c = r.package.candidates[i]
    plan = plan_export(r, c.ticket, machine, "周主考", "A01 重置、更换考试机均无法继续", at)
    return apply(
        r, decide_export(r, plan, package_id=pid, digest=DIGEST, chief="周主考", reason="无法继续", by=BY, now=at)
    )


def result(r, i=0, seqs=(1, 2, 3), **kw):
    c = r.package.candidates[i]
    saves = tuple(OfflineSave(s, canonical_answers({"q1": f"A{s}"}), 1) for s in seqs)
    fields = dict(
        fingerprint=r.package.fingerprint,
        sitting=1,
        ticket=c.ticket,
        machine="A06",
        package_id=PID,
        package_digest=DIGEST,
        saves=saves,
        digest="bb" * 32,
    )
    return OfflineResult(**{**fields, **kw})


def refused(fn, *a, **kw) -> Refused:
    with pytest.raises(Refused) as no:
        fn(*a, **kw)
    return no.value


def test_export_records_consent_and_fences_the_candidate_from_online_machines():
    r = answering_room()
    c = r.package.candidates[0]
    apply(r, decide_save(r, c.seat, c.ticket, 1, "d1", 1, NOW - MIN))
    (e,) = export(r)
    assert isinstance(e, StandaloneExported)
    assert (e.chief, e.machine, e.last_seq, e.remaining_s, e.by) == ("周主考", "A06", 1, 100 * MIN, BY)
    assert e.previous == c.seat and e.machines == ("A06", c.seat)  # the old machine is told
    cr = r.sittings[0].candidates[c.ticket]
    assert cr.state is State.STANDALONE and cr.machine == "A06"
    # R25: no online machine saves or logs in for them any more.
    assert refused(decide_save, r, c.seat, c.ticket, 2, "d2", 1, NOW).code == "not_logged_in"
    assert refused(decide_login, r, c.seat, c.ticket, c.id_number, NOW).code == "standalone"
    assert refused(decide_login, r, "A06", c.ticket, c.id_number, NOW).code == "standalone"
    assert r.header()["standalone"][0]["status"] == "outstanding"


def test_without_the_chief_examiners_name_or_a_reason_nothing_is_exported():
    r = answering_room()
    c = r.package.candidates[0]
    no = refused(plan_export, r, c.ticket, "A06", "  ", "无法继续", NOW)
    assert (no.code, no.rule, no.zh) == ("consent_missing", "R25", "单机考试须经主考同意，请填写同意的主考姓名")
    assert refused(plan_export, r, c.ticket, "A06", "周主考", " ", NOW).code == "reason_missing"
    assert not r.standalone


@pytest.mark.parametrize(
    ("ticket", "machine", "code"),
    [
        ("nobody", "A06", "unknown_candidate"),
        (None, "Z99", "unknown_machine"),
        (None, "A02", "machine_occupied"),  # candidate 2 answers there
    ],
)
def test_export_names_a_candidate_and_a_free_machine_of_the_room(ticket, machine, code):
    r = answering_room()
    t = ticket or r.package.candidates[0].ticket
    assert refused(plan_export, r, t, machine, "周主考", "无法继续", NOW).code == code


def test_their_own_machine_may_run_it():
    r = answering_room()
    c = r.package.candidates[0]
    assert plan_export(r, c.ticket, c.seat, "周主考", "断网", NOW).machine == c.seat


def test_only_a_candidate_answering_or_reset_with_time_left_goes_standalone():
    r = answering_room()
    c = r.package.candidates[0]
    # Exactly at their end: nothing left.
    assert refused(plan_export, r, c.ticket, "A06", "周主考", "x", START + 120 * MIN).code == "time_over"
    assert plan_export(r, c.ticket, "A06", "周主考", "x", START + 120 * MIN - 1).remaining_s == 1
    export(r)
    assert refused(plan_export, r, c.ticket, "A05", "周主考", "x", NOW).code == "already_standalone"
    r.sittings[0].candidates[r.package.candidates[1].ticket].state = State.SUBMITTED
    no = refused(plan_export, r, r.package.candidates[1].ticket, "A05", "周主考", "x", NOW)
    assert (no.code, no.rule) == ("not_answering", "R25")
    r.sittings[0].candidates[r.package.candidates[2].ticket].state = State.RESET
    assert plan_export(r, r.package.candidates[2].ticket, "A05", "周主考", "x", NOW)


def test_one_machine_runs_one_package_at_a_time():
    r = answering_room()
    export(r)
    r.sittings[0].candidates[r.package.candidates[1].ticket].state = State.RESET
    no = refused(plan_export, r, r.package.candidates[1].ticket, "A06", "周主考", "x", NOW)
    assert no.code == "machine_standalone"


def test_a_result_is_merged_in_order_and_submits_the_candidate():
    r = answering_room()
    export(r)
    rec = decide_import(r, result(r), BY, NOW + 60 * MIN)
    saved = [e for e in rec.events if isinstance(e, AnswerSaved)]
    assert [e.seq for e in saved] == [1, 2, 3]
    assert saved[-1].digest == answers_digest(canonical_answers({"q1": "A3"}))
    assert set(rec.answers) == {e.digest for e in saved}
    assert isinstance(rec.events[-2], StandaloneRecovered) and rec.events[-2].last_seq == 3
    assert rec.events[-1] == CandidateSubmitted(
        at=NOW + 60 * MIN, sitting=1, ticket=r.package.candidates[0].ticket, by="standalone"
    )
    apply(r, rec.events)
    c = r.sittings[0].candidates[r.package.candidates[0].ticket]
    assert (c.state, c.last_seq, r.standalone[PID].status) == (State.SUBMITTED, 3, PackageStatus.RECOVERED)
    # The same result again: nothing, and it says so; another result for it: refused.
    again = decide_import(r, result(r), BY, NOW + 61 * MIN)
    assert again.already and again.events == []
    assert refused(decide_import, r, result(r, digest="cc" * 32), BY, NOW).code == "recovered_already"


def test_a_result_that_adds_no_save_still_recovers_the_candidate():
    r = answering_room()
    export(r)
    rec = decide_import(r, result(r, seqs=()), BY, NOW)
    assert [type(e) for e in rec.events] == [StandaloneRecovered, CandidateSubmitted]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"fingerprint": "cd" * 32}, "another_room"),
        ({"package_id": "f" * 32}, "unknown_package"),
        ({"machine": "A05"}, "another_machine"),
        ({"ticket": "2027330101002"}, "another_candidate"),
        ({"package_digest": "dd" * 32}, "another_package"),
        ({"sitting": 2}, "another_package"),
        ({"saves": (OfflineSave(2, b"{}"),)}, "seq_gap"),  # does not start after the exported seq
        ({"saves": (OfflineSave(1, b"{}"), OfflineSave(3, b"{}"))}, "seq_gap"),
        ({"saves": (OfflineSave(1, b"{}"), OfflineSave(1, b"{}"))}, "seq_gap"),
    ],
)
def test_a_result_that_is_not_exactly_this_packages_changes_nothing(change, code):
    r = answering_room()
    export(r)
    no = refused(decide_import, r, dataclasses.replace(result(r), **change), BY, NOW)
    assert no.code == code and no.zh and no.rule == "R26"
    assert r.standalone[PID].status is PackageStatus.OUTSTANDING


def test_seqs_continue_from_the_last_acknowledged_save():
    r = answering_room()
    c = r.package.candidates[0]
    for seq in (1, 2):
        apply(r, decide_save(r, c.seat, c.ticket, seq, f"d{seq}", 1, NOW - MIN))
    export(r)
    assert r.standalone[PID].last_seq == 2
    assert refused(decide_import, r, result(r, seqs=(1, 2, 3)), BY, NOW).code == "seq_gap"
    assert [e.seq for e in decide_import(r, result(r, seqs=(3, 4)), BY, NOW).events[:2]] == [3, 4]


def test_the_sitting_does_not_end_while_a_package_is_out_and_ends_once_recovered():
    r = answering_room()
    export(r)
    end = START + 120 * MIN
    due = apply(r, due_events(r, end))
    assert not any(isinstance(e, SittingEnded) for e in due)
    (alert,) = [e for e in due if isinstance(e, AlertRaised)]
    assert alert.alert_kind is AlertKind.STANDALONE_OUTSTANDING
    assert alert.detail == r.package.candidates[0].ticket
    assert due_events(r, end + MIN) == []  # raised once while open
    assert next_due(r, end + MIN) is None  # the schedule waits for the recovery, not a time
    apply(r, decide_import(r, result(r), BY, end + 10 * MIN).events)
    (ended,) = due_events(r, end + 10 * MIN)
    assert ended == SittingEnded(at=end + 10 * MIN, sitting=1)


def test_a_write_off_needs_two_different_proctors_and_a_reason_then_the_end_proceeds():
    r = answering_room()
    export(r)
    no = refused(decide_write_off, r, PID, "U盘丢失", ("林𠮷祥",), NOW)
    assert (no.code, no.rule) == ("two_proctors", "R26")
    assert refused(decide_write_off, r, PID, "U盘丢失", ("林𠮷祥", "林𠮷祥"), NOW).code == "two_proctors"
    assert refused(decide_write_off, r, PID, "  ", BY, NOW).code == "reason_missing"
    assert refused(decide_write_off, r, "e" * 32, "x", BY, NOW).code == "unknown_package"
    (e,) = apply(r, decide_write_off(r, PID, "考试机硬盘损坏", BY, NOW))
    assert isinstance(e, StandaloneWrittenOff) and e.by == BY
    assert refused(decide_write_off, r, PID, "x", BY, NOW).code == "not_outstanding"
    assert refused(decide_import, r, result(r), BY, NOW).code == "written_off"
    assert SittingEnded(at=START + 120 * MIN, sitting=1) in due_events(r, START + 120 * MIN)
