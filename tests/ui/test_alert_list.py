"""Alerts as data: the list follows AlertRaised and AlertAcknowledged exactly, says each in the
seeds' words, and 确认 sends AcknowledgeAlert through the command helper. Over a live room, an
exam machine dropping raises one, and acknowledging it records the proctors' names."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec
import pytest
from PySide6.QtCore import Qt

from proctor.domain.commands import AcknowledgeAlert
from proctor.domain.events import AlertAcknowledged, AlertKind, AlertRaised, MachineOffline, encode_event
from proctor.domain.room import decide_acknowledge_alert, decide_clock_step, decide_machine_offline
from tests.ui.conftest import NOW, PROCTORS, machine_id, make_room, ticket
from tests.waiting import until
from ui.alert_list import ALERT_ROLE, COLUMNS, AlertListModel
from ui.header_bar import clock_hms
from ui.main_window import MainWindow
from ui.room_bridge import RoomBridge

DISPLAY = Qt.ItemDataRole.DisplayRole


def row_texts(model: AlertListModel, row: int) -> dict[str, str]:
    return {key: model.index(row, c).data(DISPLAY) for c, key in enumerate(COLUMNS)}


def wire(events: list) -> list[dict[str, Any]]:
    """Events as the service sends them."""
    return [msgspec.json.decode(encode_event(e)) for e in events]


@pytest.fixture
def room():
    """The same room as the room_view fixture, to decide what happens next in it."""
    return make_room()


def model_for(view) -> AlertListModel:
    bridge = RoomBridge(view)
    model = AlertListModel(view, bridge)
    model._bridge = bridge
    return model


def test_an_open_alert_reads_like_the_room(room_view, qtmodeltester, qapp):
    model = model_for(room_view)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert row_texts(model, 0) == {
        "at": clock_hms(NOW - 60),
        "kind": "Exam machine offline",
        "machine": "B02",
        "candidate": f"周杰 {ticket(9)}",
        "detail": "No heartbeat",
    }
    assert not model.index(0, COLUMNS.index("kind")).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_a_raised_alert_is_inserted_and_an_acknowledged_one_removed_never_a_reset(
    room_view, room, feed, recorder, qtbot
):
    model = model_for(room_view)
    rec = recorder(model)
    inserted, removed = [], []
    model.rowsInserted.connect(lambda _, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _, first, last: removed.append((first, last)))

    raised = decide_machine_offline(room, machine_id(12), NOW, "disconnected")
    for e in raised:
        room.apply(e)
    assert [type(e) for e in raised][-1] is AlertRaised
    feed(
        events=wire(raised),
        candidates=[room.candidate_row(room.shown_sitting, room.shown_sitting.candidates[ticket(12)])],
    )
    assert inserted == [(0, 0)] and row_texts(model, 0)["detail"] == "Connection closed"  # newest on top

    acked = decide_acknowledge_alert(room, 1, PROCTORS[:2], NOW + 5)
    feed(events=wire(acked))
    assert removed == [(1, 1)] and model.rowCount() == 1
    assert model.index(0, 0).data(ALERT_ROLE) == raised[-1].alert
    assert rec.resets == 0


def test_an_alert_about_no_candidate_has_an_empty_candidate_cell(room_view, room, feed):
    model = model_for(room_view)
    feed(events=wire(decide_clock_step(room, 120, NOW + 120, NOW)))
    texts = row_texts(model, 0)
    assert (texts["kind"], texts["candidate"], texts["machine"], texts["detail"]) == (
        "Proctor machine clock stepped",
        "",
        "",
        "Stepped by +120 s",
    )


def test_the_open_alerts_are_counted_in_the_header_and_the_list(room_view, room, feed, qtbot):
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    chip = window.header_bar.chips["alerts"]
    assert chip.number.text() == "1" and chip.property("alert") == "alert"
    assert window.alert_panel.title.text() == "Open alerts: 1"
    feed(events=wire(decide_acknowledge_alert(room, 1, PROCTORS, NOW)))
    qtbot.waitUntil(lambda: chip.number.text() == "0")
    assert chip.property("alert") == ""
    assert window.alert_panel.title.text() == "Open alerts: 0"


class FakeClient:
    """Records commands; answers each when the test says so."""

    proctors = PROCTORS

    def __init__(self) -> None:
        self.sent: list = []
        self.answer: asyncio.Future | None = None

    async def request(self, cmd):
        self.sent.append(cmd)
        self.answer = asyncio.get_running_loop().create_future()
        return await self.answer


def test_acknowledge_sends_the_selected_alert_once_and_frees_the_button_after(room_view, qloop, qtbot):
    client = FakeClient()
    window = MainWindow(room_view, client=client)
    qtbot.addWidget(window)
    panel = window.alert_panel
    assert not panel.ack_button.isEnabled()  # nothing selected
    assert panel.select_alert(1)
    assert panel.ack_button.isEnabled()
    # Selecting the alert shows whom it is about.
    assert window.table.selectionModel().selectedRows()[0].row() == 9
    panel.ack_button.click()
    panel.ack_button.click()  # a second click while the first is on its way sends nothing
    qloop.run_until_complete(until(lambda: client.answer is not None, "the command"))
    assert client.sent == [AcknowledgeAlert(alert=1)]
    assert not panel.ack_button.isEnabled()
    client.answer.set_result({"seq": 99})
    qloop.run_until_complete(until(panel.ack_button.isEnabled, "the button to be free again"))


def test_a_live_machine_going_offline_raises_an_alert_that_a_proctor_acknowledges(live_room):
    live, window, package = live_room, live_room.window, live_room.package
    window.auto_proctors = ["张三", "李四"]
    first = package.candidates[0]
    model, panel = window.alert_model, window.alert_panel

    async def scenario() -> None:
        live.start()
        await until(lambda: live.client.proctors == ("张三", "李四"), "the proctors to sign in")
        machine = live.machine_of(first)
        started = time.monotonic()
        run = asyncio.ensure_future(machine.run(started, started + 0.6))  # logs in, then leaves
        await until(lambda: model.rowCount() == 1, "the alert", timeout=8)
        await run
        texts = row_texts(model, 0)
        assert (texts["kind"], texts["machine"], texts["candidate"]) == (
            "Exam machine offline",
            first.seat,
            f"{first.name} {first.ticket}",
        )
        await until(lambda: window.header_bar.chips["alerts"].number.text() == "1", "the count in the header")

        assert panel.select_alert(model.index(0, 0).data(ALERT_ROLE))
        panel.ack_button.click()
        await until(lambda: model.rowCount() == 0, "the alert to go")
        events, _ = await live.client.history()
        acked = [e for e in events if isinstance(e, AlertAcknowledged)]
        raised = [e for e in events if isinstance(e, AlertRaised)]
        assert [(e.alert_kind, e.machine, e.ticket) for e in raised] == [
            (AlertKind.MACHINE_OFFLINE, first.seat, first.ticket)
        ]
        assert [(e.alert, e.by) for e in acked] == [(raised[0].alert, ("张三", "李四"))]
        await until(lambda: window.header_bar.chips["alerts"].number.text() == "0", "the count to drop")

    live.run(scenario(), timeout=15)


def test_the_strip_shows_the_newest_alert_and_ctrl_enter_acknowledges_it(room_view, room, feed, qloop, qtbot):
    client = FakeClient()
    window = MainWindow(room_view, client=client)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    strip = window.alert_strip
    assert strip.isVisible() and "B02" in strip.text.text() and "周杰" in strip.text.text()
    # A newer alert takes the strip, and sounds.
    before = strip.chimes
    dropped = decide_machine_offline(room, machine_id(3), NOW + 5, "heartbeat")
    for e in dropped:
        room.apply(e)
    feed(events=wire(dropped))
    qtbot.waitUntil(lambda: machine_id(3) in strip.text.text())
    assert strip.chimes == before + 1
    newest = window.alert_model.index(0, 0).data(ALERT_ROLE)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qloop.run_until_complete(until(lambda: client.answer is not None, "the command"))
    assert client.sent == [AcknowledgeAlert(alert=newest)]
    client.answer.set_result({"seq": 99})
    qloop.run_until_complete(until(strip.ack_button.isEnabled, "the strip's button to be free again"))
    # Acknowledged by the room, the strip goes back to the older one, then away.
    feed(events=wire(decide_acknowledge_alert(room, newest, PROCTORS, NOW + 6)))
    qtbot.waitUntil(lambda: "B02" in strip.text.text())
    feed(events=wire(decide_acknowledge_alert(room, 1, PROCTORS, NOW + 7)))
    qtbot.waitUntil(lambda: not strip.isVisible())


def test_a_burst_of_alerts_sounds_once(room_view, qtbot):
    from ui.alert_list import AlertStrip

    sounds: list[float] = []
    clock = [100.0]
    model = model_for(room_view)
    strip = AlertStrip(model, sound=lambda: sounds.append(clock[0]), monotonic=lambda: clock[0])
    qtbot.addWidget(strip)
    for _ in range(3):
        model.rowsInserted.emit(model.index(0, 0).parent(), 0, 0)
    assert sounds == [100.0]
    clock[0] += AlertStrip.CHIME_GAP_S
    model.rowsInserted.emit(model.index(0, 0).parent(), 0, 0)
    assert sounds == [100.0, 102.0]


def test_many_machines_dropping_at_once_offer_the_incident_guide_for_them(room_view, room, feed, chinese, qtbot):
    from ui.incident_guide import IncidentGuide

    window = MainWindow(room_view, client=FakeClient())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    strip = window.alert_strip
    assert not strip.incident_button.isVisible()  # one machine offline: a machine's alert
    dropped: list = []
    for i in range(40):
        events = decide_machine_offline(room, machine_id(i), NOW + 10 + i / 10, "heartbeat")
        for e in events:
            room.apply(e)
        dropped += events
        if any(isinstance(e, AlertRaised) and e.alert_kind is AlertKind.WIDE_OUTAGE for e in events):
            break
    else:
        pytest.fail("no wide outage raised")
    for j in range(i + 1, i + 4):  # more machines drop after it: their alerts are newer
        events = decide_machine_offline(room, machine_id(j), NOW + 20 + j / 10, "heartbeat")
        for e in events:
            room.apply(e)
        dropped += events
    sitting = room.sitting
    tickets = {e.ticket for e in dropped if isinstance(e, MachineOffline) and e.ticket}
    feed(events=wire(dropped), candidates=[room.candidate_row(sitting, sitting.candidates[t]) for t in tickets])
    qtbot.waitUntil(lambda: strip.incident_button.isVisible())
    # The wide outage keeps the strip over the machines' own newer alerts.
    assert window.alert_model.alert(0)["kind"] == "machine_offline"
    assert "应急处理" in strip.incident_button.text() and "同时" in strip.text.text()
    strip.incident_button.click()
    guide = window.dialogs["incident"]
    assert isinstance(guide, IncidentGuide)
    offline = guide.offline_tickets()
    answering = {t for t in tickets if sitting.candidates[t].state.value == "answering"}
    assert len(answering) >= 3 and set(offline) >= answering  # the new incident is for them by default
