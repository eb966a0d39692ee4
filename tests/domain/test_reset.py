"""Reset (重置) at its boundaries: onto a free spare (resume) or the candidate's own machine
(restart), R24; every refusal names its rule; the machine left behind is fenced; the candidate
logs in where they were sent and nowhere else; a cloud room resets at once (R54)."""

import dataclasses

import pytest

from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    AnswerSaved,
    CandidateReset,
    CandidateSubmitted,
    MachineOnline,
    ResetKind,
    ResetReason,
)
from proctor.domain.reset import (
    APPLIES_TO,
    decide_cloud_reset,
    decide_login_where_sent,
    decide_machine_dropped,
    decide_reset_candidate,
    decide_resume_refused,
    free_spares,
    is_free_spare,
    refuse_if_reset_away,
)
from proctor.domain.room import Flag, Refused, RoomState, State, decide_login, decide_save, due_events
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
NOW = START + 70 * MIN
RESUME, RESTART = ResetKind.RESUME, ResetKind.RESTART
FAULT = ResetReason.MACHINE_FAULT


def package(**kw):
    return make_package(candidates=4, machines=7, **kw)  # A05, A06, A07 are spares


def room(pkg=None, *, spares_online=("A05", "A06"), start=True) -> RoomState:
    pkg = pkg or package()
    r = RoomState(pkg, national_policy())
    for m in (*[c.seat for c in pkg.candidates], *spares_online):
        r.apply(MachineOnline(at=START - 20 * MIN, machine=m))
    for c in pkg.candidates:
        for e in decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN):
            r.apply(e)
    if start:
        for e in due_events(r, START + MIN):
            r.apply(e)
    return r


def apply(r, events):
    for e in events:
        r.apply(e)
    return events


def cand(r, i=0):
    return r.package.candidates[i]


def reset(r, i=0, kind=RESUME, machine="A05", now=NOW, **kw):
    return apply(r, decide_reset_candidate(r, cand(r, i).ticket, kind, machine, kw.pop("reason", FAULT), BY, now, **kw))


def refused(fn, *a, **kw) -> Refused:
    with pytest.raises(Refused) as exc:
        fn(*a, **kw)
    return exc.value


def test_a_resume_sends_the_candidate_to_a_free_spare_and_keeps_their_end():
    r = room()
    c = cand(r)
    run = r.sitting.candidates[c.ticket]
    end = r.sitting.end_of(run)
    assert free_spares(r) == ["A05", "A06"]  # A07 is a spare, but off
    [e] = reset(r, machine="A06")
    assert isinstance(e, CandidateReset)
    assert (e.reset_kind, e.machine, e.to, e.by, e.rule) == (RESUME, c.seat, "A06", BY, "R24")
    assert run.state is State.RESET and run.session is None and run.machine == c.seat
    assert r.sitting.end_of(run) == end
    assert free_spares(r) == ["A05"]  # promised to this candidate now
    assert r.machine_row("A06")["free_spare"] is False and r.machine_row("A05")["free_spare"] is True


@pytest.mark.parametrize(
    ("machine", "code", "zh"),
    [
        ("Z99", "unknown_machine", "本考场没有考试机 Z99"),
        ("A02", "not_spare", "A02 不是备用机"),
        ("A07", "machine_offline", "备用机 A07 未连接考场服务器"),
        ("Z" * 5000, "unknown_machine", "本考场没有考试机 " + "Z" * 32),
    ],
)
def test_a_resume_onto_a_machine_that_cannot_take_the_candidate_is_refused(machine, code, zh):
    r = room()
    no = refused(reset, r, machine=machine)
    assert (no.code, no.rule) == (code, "R24") and no.zh.startswith(zh) and no.allow_zh
    assert r.sitting.candidates[cand(r).ticket].state is State.ANSWERING


def test_a_spare_in_use_or_kept_for_another_reset_is_not_free():
    r = room()
    reset(r, 0, machine="A05")
    no = refused(reset, r, 1, machine="A05")
    assert (no.code, no.rule) == ("spare_promised", "R24") and cand(r).ticket in no.zh
    a = cand(r, 0)
    apply(r, decide_login_where_sent(r, "A05", a.ticket, a.id_number, NOW + 60))
    no = refused(reset, r, 1, machine="A05")
    assert (no.code, no.rule) == ("machine_in_use", "R24") and not is_free_spare(r, "A05")


@pytest.mark.parametrize("state", [State.SUBMITTED, State.ABSENT, State.STANDALONE, State.EXPECTED, State.GAVE_UP])
def test_a_candidate_not_in_a_session_cannot_be_reset(state):
    r = room()
    r.sitting.candidates[cand(r).ticket].state = state
    no = refused(reset, r)
    assert (no.code, no.rule) == ("not_answering", "R24") and "不能重置" in no.zh
    assert state not in APPLIES_TO


def test_a_candidate_logged_in_before_the_start_can_be_moved():
    r = room(start=False)
    [e] = reset(r, now=START - 5 * MIN)
    assert e.to == "A05"


def test_a_reset_at_the_candidates_end_is_refused_a_second_before_it_is_not():
    r = room()
    end = r.sitting.end_of(r.sitting.candidates[cand(r).ticket])
    no = refused(reset, r, now=end)
    assert (no.code, no.rule) == ("time_over", "R11")
    assert reset(r, now=end - 1)


def test_restart_goes_on_on_the_candidates_own_machine_even_while_it_is_off():
    r = room()
    a = cand(r)
    apply(r, [MachineOnline(at=NOW, machine=a.seat)])  # no-op for online; then drop it
    r.machines[a.seat].online = False
    [e] = reset(r, kind=RESTART, machine=None, reason=ResetReason.PERIPHERAL)
    assert (e.reset_kind, e.machine, e.to) == (RESTART, a.seat, a.seat)
    no = refused(reset, room(), kind=RESTART, machine="A05")
    assert (no.code, no.rule) == ("restart_elsewhere", "R24")


def test_a_resume_needs_a_machine_and_not_the_own_one_and_other_needs_a_note():
    r = room()
    assert refused(reset, r, machine=None).code == "no_machine"
    assert refused(reset, r, machine=cand(r).seat).code == "same_machine"
    assert refused(reset, r, reason=ResetReason.OTHER, note="  ").code == "reason_unnamed"
    [e] = reset(r, reason=ResetReason.OTHER, note=" 显示器黑屏 ")
    assert e.note == "显示器黑屏"


def test_the_machine_left_behind_can_neither_save_nor_submit_and_each_try_is_raised_once():
    r = room()
    a = cand(r)
    reset(r, machine="A06")
    no = refused(refuse_if_reset_away, r, a.seat, a.ticket, NOW + 5)
    assert no.code == "reset" and no.rule == "R24" and "已重置" in no.zh and "A06" in no.zh
    [alert] = no.record
    assert isinstance(alert, AlertRaised)
    assert (alert.alert_kind, alert.ticket, alert.machine, alert.detail) == (
        AlertKind.RESET_MACHINE,
        a.ticket,
        a.seat,
        "A06",
    )
    apply(r, no.record)
    assert Flag.ALERT in r.sitting.candidates[a.ticket].flags
    assert refused(refuse_if_reset_away, r, a.seat, a.ticket, NOW + 6).record == []  # open: not again
    # The rules' own save check refuses it too (the candidate is not logged in there any more).
    assert refused(decide_save, r, a.seat, a.ticket, 1, "f" * 64, None, NOW + 6).code == "not_logged_in"
    # A resume with the old token is raised the same way; another machine is not fenced.
    assert decide_resume_refused(r, a.seat, a.ticket, NOW + 7) == []  # still open
    refuse_if_reset_away(r, "A02", a.ticket, NOW + 7)


def test_the_candidate_logs_in_where_they_were_sent_and_goes_on_from_the_last_save():
    r = room()
    a = cand(r)
    apply(r, [AnswerSaved(at=NOW - 60, sitting=1, ticket=a.ticket, seq=7, digest="a" * 64)])
    reset(r, machine="A06")
    no = refused(decide_login_where_sent, r, "A05", a.ticket, a.id_number, NOW + 30)
    assert (no.code, no.rule) == ("reset_elsewhere", "R24") and "A06" in no.zh and no.record == []
    no = refused(decide_login_where_sent, r, a.seat, a.ticket, a.id_number, NOW + 30)
    assert no.code == "reset_elsewhere" and [e.alert_kind for e in no.record] == [AlertKind.RESET_MACHINE]
    # Credentials come first: a wrong ID number learns nothing about where to go.
    assert refused(decide_login_where_sent, r, "A05", a.ticket, "110101199001011234", NOW).code == "bad_credentials"
    # Another candidate cannot take the spare kept for this one.
    b = cand(r, 1)
    r.sitting.candidates[b.ticket].state = State.EXPECTED  # as if late, before sign-in closes
    late = START + 20 * MIN
    assert refused(decide_login_where_sent, r, "A06", b.ticket, b.id_number, late).code == "spare_promised"
    [login] = apply(r, decide_login_where_sent(r, "A06", a.ticket, a.id_number, NOW + 60, session="s" * 64))
    run = r.sitting.candidates[a.ticket]
    assert (login.machine, login.previous, login.wrong_seat) == ("A06", a.seat, False)
    assert (run.state, run.machine, run.last_seq) == (State.ANSWERING, "A06", 7)
    assert r.sitting.end_of(run) == START + 120 * MIN
    # The new machine saves on from seq 8; the old one stays fenced.
    assert decide_save(r, "A06", a.ticket, 8, "b" * 64, None, NOW + 61)
    refuse_if_reset_away(r, "A06", a.ticket, NOW + 61)
    assert refused(refuse_if_reset_away, r, a.seat, a.ticket, NOW + 62).data["to"] == "A06"


def test_after_a_restart_the_own_machine_saves_again_only_after_the_new_login():
    r = room()
    a = cand(r)
    reset(r, kind=RESTART, machine=None)
    assert refused(refuse_if_reset_away, r, a.seat, a.ticket, NOW + 5).code == "reset"
    apply(r, decide_login_where_sent(r, a.seat, a.ticket, a.id_number, NOW + 60))
    refuse_if_reset_away(r, a.seat, a.ticket, NOW + 61)
    assert r.sitting.candidates[a.ticket].state is State.ANSWERING


def test_a_candidate_reset_and_not_back_is_submitted_at_their_end():
    r = room()
    a = cand(r)
    reset(r)
    end = START + 120 * MIN
    assert not [e for e in due_events(r, end - 1) if isinstance(e, CandidateSubmitted)]
    submitted = [e for e in due_events(r, end) if isinstance(e, CandidateSubmitted)]
    assert a.ticket in {e.ticket for e in submitted}
    apply(r, due_events(r, end))
    assert r.sitting is None or r.sitting_no(1).candidates[a.ticket].state is State.SUBMITTED


def test_a_spare_someone_submitted_on_or_was_reset_away_from_is_not_free():
    r = room()
    a = cand(r, 0)
    reset(r, 0, machine="A05")
    apply(r, decide_login_where_sent(r, "A05", a.ticket, a.id_number, NOW + 60))
    reset(r, 0, machine="A06", now=NOW + 120)  # A05 failed too
    assert free_spares(r) == []  # A05: left by a, who is not back yet; A06: kept for a
    no = refused(reset, r, 1, machine="A05", now=NOW + 130)
    assert no.code == "machine_in_use" and "已重置" in no.zh
    apply(r, decide_login_where_sent(r, "A06", a.ticket, a.id_number, NOW + 180))
    assert free_spares(r) == ["A05"]  # back on A06: A05 is free again
    apply(r, [CandidateSubmitted(at=NOW + 200, sitting=1, ticket=a.ticket, by="candidate")])
    assert free_spares(r) == ["A05"] and not is_free_spare(r, "A06")  # a submitted there
    assert refused(reset, r, 1, machine="A06", now=NOW + 210).code == "machine_in_use"


def test_a_candidate_is_not_sent_back_to_a_machine_they_were_reset_away_from():
    r = room()
    a = cand(r)
    reset(r, machine="A05")
    apply(r, decide_login_where_sent(r, "A05", a.ticket, a.id_number, NOW + 60))
    reset(r, machine="A06", now=NOW + 120)
    no = refused(reset, r, machine="A05", now=NOW + 130)
    assert (no.code, no.rule) == ("reset_away", "R24") and "原机重启" in no.allow_zh


def test_a_reset_candidate_can_be_sent_on_again_when_the_spare_fails_too():
    r = room()
    reset(r, machine="A05")
    [e] = reset(r, machine="A06")
    assert e.to == "A06" and free_spares(r) == ["A05"]


# -- R54: a cloud room resets at once ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cloud", "started", "expect"),
    [(True, True, True), (False, True, False), (True, False, False)],
    ids=["cloud-answering", "not-cloud", "cloud-before-start"],
)
def test_a_cloud_room_resets_a_candidate_whose_machine_drops_while_answering(cloud, started, expect):
    pkg = dataclasses.replace(package(), cloud=cloud)
    r = room(pkg, start=started)
    a = cand(r)
    now = NOW if started else START - 5 * MIN
    events = apply(r, decide_machine_dropped(r, a.seat, now, "heartbeat"))
    resets = [e for e in events if isinstance(e, CandidateReset)]
    run = r.sitting.candidates[a.ticket]
    if not expect:
        assert resets == [] and run.state is not State.RESET
        return
    [e] = resets
    assert (e.rule, e.by, e.to, e.reason, e.machine) == ("R54", (), None, ResetReason.CLOUD_ROOM, a.seat)
    assert run.state is State.RESET and r.sitting.end_of(run) == START + 120 * MIN
    # Any free machine, the one that dropped included once it is back.
    apply(r, decide_login_where_sent(r, "A07", a.ticket, a.id_number, now + 30))
    assert run.machine == "A07" and run.state is State.ANSWERING


def test_a_cloud_room_does_not_reset_a_candidate_who_submitted_or_whose_time_is_over():
    pkg = dataclasses.replace(package(), cloud=True)
    r = room(pkg)
    a, b = cand(r, 0), cand(r, 1)
    r.sitting.candidates[a.ticket].state = State.SUBMITTED
    assert decide_cloud_reset(r, decide_machine_dropped(r, a.seat, NOW, "heartbeat"), NOW) == []
    end = START + 120 * MIN
    assert not [e for e in decide_machine_dropped(r, b.seat, end, "heartbeat") if isinstance(e, CandidateReset)]
    assert [e for e in decide_machine_dropped(r, b.seat, end - 1, "heartbeat") if isinstance(e, CandidateReset)]
