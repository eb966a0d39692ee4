"""Every state, flag and alert kind the domain declares has its label, its colour and its icon:
one added to proctor.domain and forgotten here fails this test, not the exam."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from proctor.domain.events import AlertKind
from proctor.domain.room import Flag, State
from ui import i18n, icons, theme
from ui.theme import Glyph


def inked(image: QImage) -> int:
    """How many pixels of an icon are drawn at all."""
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixelColor(x, y).alpha() > 0)


def test_the_screen_lists_states_and_flags_in_the_domains_order():
    assert i18n.STATES == tuple(s.value for s in State)
    assert i18n.FLAGS == tuple(f.value for f in Flag)
    assert "alert" in i18n.FLAGS


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_a_label_a_colour_and_an_icon(state, qapp):
    assert state in i18n.state_labels()
    assert i18n.state_label(state.value) != state.value  # not the raw value
    assert state in theme.STATE_TINTS and theme.tint(state.value) is not theme.UNKNOWN
    icon = icons.state_icon(state.value)
    assert not icon.isNull() and inked(icon.pixmap(QSize(16, 16)).toImage()) > 10


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_has_a_label_a_colour_and_an_icon(flag, qapp):
    assert flag in i18n.flag_labels()
    assert i18n.flag_label(flag.value) != flag.value
    assert flag in theme.FLAG_BADGES and theme.badge(flag.value) is not theme.UNKNOWN_BADGE
    assert theme.flag_rank(flag.value) < len(Flag)
    icon = icons.flag_icon(flag.value)
    assert not icon.isNull() and inked(icon.pixmap(QSize(16, 16)).toImage()) > 10


@pytest.mark.parametrize("kind", list(AlertKind))
def test_every_alert_kind_has_a_label_a_colour_and_an_icon(kind, qapp):
    assert kind in i18n.alert_labels()
    assert i18n.alert_label(kind.value) != kind.value
    assert kind in theme.ALERT_BADGES and theme.alert_badge(kind.value) is not theme.UNKNOWN_BADGE
    icon = icons.alert_icon(kind.value)
    assert not icon.isNull() and inked(icon.pixmap(QSize(16, 16)).toImage()) > 10


def test_the_labels_speak_the_seeds_words_in_chinese(chinese):
    assert i18n.flag_label("alert") == "提醒"
    assert [i18n.alert_label(k.value) for k in AlertKind] == [
        "考试机离线",
        "重复登录",
        "座位不符",
        "未知考试机接入",
        "监考机时钟跳变",
        "监考员人数不足",
        "凭据验证失败",
        "考试机重复接入",
        "考试机时钟偏差",
        "联网或外接存储",
        "重发作答不一致",
        "作答数据缺失",
        "作答数据损坏",
        "即将停止登录",
        "提醒考生：考试即将结束",
        "授权码申请已锁定",
        "身份不符",
        "暂离超时",
        "考试数据未备份",
        "单机考试作答未回收",
        "已重置的考试机仍在为考生操作",
        "监考机解锁码多次错误",
        "突发事件已超过规定时限",
        "多台考试机同时掉线",
    ]
    unsealed = i18n.alert_detail("machine_unsealed", "internet, removable_media, address 8.8.8.8")
    assert unsealed == "检测到：互联网、可移动存储介质、互联网地址 8.8.8.8"  # R60
    for labels in (i18n.state_labels(), i18n.flag_labels(), i18n.alert_labels(), i18n.phase_labels()):
        assert all(not label.isascii() for label in labels.values()), labels


def test_shapes_tell_states_apart_and_flags_apart_without_colour():
    assert len({t.glyph for t in theme.STATE_TINTS.values()}) == len(State)
    assert len({b.glyph for b in theme.FLAG_BADGES.values()}) == len(Flag)


@pytest.mark.parametrize("glyph", list(Glyph))
def test_every_glyph_draws_something(glyph, qapp):
    assert inked(icons.glyph_pixmap(glyph, theme.ALERT, 16).toImage()) > 10


def test_a_state_from_a_newer_service_shows_as_it_is():
    assert i18n.state_label("quarantined") == "quarantined"
    assert theme.tint("quarantined") is theme.UNKNOWN
    assert i18n.alert_label("fire_alarm") == "fire_alarm"
    assert i18n.alert_detail("fire_alarm", "room 3") == "room 3"


def test_alert_details_are_put_in_words():
    assert i18n.alert_detail("machine_offline", "heartbeat") == "No heartbeat"
    assert i18n.alert_detail("wrong_seat", "A05") == "Assigned seat A05"
    assert i18n.alert_detail("proctors_short", "2/3") == "Signed in 2/3"
    assert i18n.alert_detail("duplicate_login", "") == ""


def test_the_flags_cell_draws_one_glyph_per_flag(qapp):
    one = icons.flags_strip(["offline"])
    two = icons.flags_strip(["alert", "offline"])
    assert icons.flags_strip([]) is None
    assert two.width() > one.width() >= icons.STRIP
