"""Notices (通知) to the exam machines: to all or to those chosen, acknowledged once per machine,
and what a machine missed while away is what its welcome carries."""

import pytest

from proctor.domain.events import NoticeAcknowledged, NoticeKind, NoticeSent
from proctor.domain.notices import decide_notice_seen, decide_send_notice, pending_for, reminder_text
from proctor.domain.room import Refused, RoomState
from tests.factories import START, make_package, national_policy

BY = ("林𠮷祥", "王芳")


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def room():
    return RoomState(make_package(candidates=3, machines=4), national_policy())


def test_a_notice_to_all_goes_to_every_machine_of_the_room_and_each_acknowledges_once():
    r = room()
    (sent,) = applied(r, decide_send_notice(r, NoticeKind.CORRECTION, " 第 3 题更正 ", None, BY, START))
    assert isinstance(sent, NoticeSent) and sent.targets == tuple(r.machines) and sent.text == "第 3 题更正"
    first = next(iter(r.machines))
    (ack,) = applied(r, decide_notice_seen(r, first, 1, START + 2))
    assert isinstance(ack, NoticeAcknowledged)
    assert decide_notice_seen(r, first, 1, START + 3) == []  # once
    row = r.notices[1].row(lambda m: True)
    assert row["acknowledged"] == 1 and first not in row["waiting"] and len(row["waiting"]) == len(r.machines) - 1
    idle = r.notices[1].row(r.in_use)  # nobody logged in, nothing online: only the one that showed it counts
    assert (idle["targets"], idle["waiting"]) == (1, [])


def test_a_notice_to_chosen_machines_only_and_what_a_machine_missed_is_pending_for_it():
    r = room()
    a, b, *_ = r.machines
    applied(r, decide_send_notice(r, NoticeKind.INCIDENT, "A 排断电，请稍候", [a], BY, START))
    applied(r, decide_send_notice(r, NoticeKind.REMINDER, reminder_text(15), None, BY, START + 60))
    assert [n["number"] for n in pending_for(r, a)] == [1, 2] and [n["number"] for n in pending_for(r, b)] == [2]
    with pytest.raises(Refused) as no:
        decide_notice_seen(r, b, 1, START + 61)  # not sent to b
    assert no.value.code == "unknown_notice"
    applied(r, decide_notice_seen(r, a, 1, START + 62))
    assert [n["number"] for n in pending_for(r, a)] == [2]


def test_a_notice_needs_text_within_bounds_and_machines_of_this_room():
    r = room()
    for text, code in (("  ", "no_text"), ("长" * 501, "text_too_long")):
        with pytest.raises(Refused) as no:
            decide_send_notice(r, NoticeKind.OTHER, text, None, BY, START)
        assert no.value.code == code
    with pytest.raises(Refused) as no:
        decide_send_notice(r, NoticeKind.OTHER, "x", ["Z99"], BY, START)
    assert no.value.code == "unknown_machine" and "Z99" in no.value.zh
    with pytest.raises(Refused) as no:
        decide_send_notice(r, NoticeKind.OTHER, "x", [], BY, START)
    assert no.value.code == "no_machines"


def test_the_reminder_says_r12s_minutes():  # R12 (001 监考规则 第十二条)
    assert "15 分钟" in reminder_text(15)
