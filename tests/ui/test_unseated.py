"""An overbooked room lists the candidates not at a machine apart, by their ticket's last three
digits; a login takes one off the list, and a click shows the candidate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import ServiceStarted
from proctor.domain.room import RoomState, decide_login, decide_sign_in_proctors
from proctor.link.console_client import RoomView
from proctor.package.demo import generate
from proctor.resources import load_policy
from tests.ui.conftest import snapshot_of
from ui.main_window import MainWindow
from ui.unseated import TICKET_ROLE

START = datetime(2026, 5, 16, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def overbooked_room():
    package = generate(24, 20, start=START, overbooked=True)  # 19 seats for 24 candidates
    room = RoomState(package, load_policy(package.policy))
    t0 = START.timestamp()
    for e in [ServiceStarted(at=t0 - 3600, package=package.fingerprint, wall=t0 - 3600)]:
        room.apply(e)
    for e in decide_sign_in_proctors(room, ("张三", "李四"), t0 - 1800):
        room.apply(e)
    return package, room, t0


def test_the_unseated_are_listed_by_ticket_tail_and_a_login_takes_one_off(qtbot):
    package, room, t0 = overbooked_room()
    view = RoomView()
    view.apply_message(snapshot_of(room, t0 - 1200))
    view.set_connected(True)
    window = MainWindow(view)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    unseated = window.unseated
    assert unseated.isVisible() and unseated.model.rowCount() == 24
    first = package.candidates[0]
    assert unseated.model.index(0).data() == f"{first.ticket[-3:]} {first.name}"
    assert "24" in unseated.title.text()

    # The first candidate logs in at machine A03: off the list, onto the map.
    events = decide_machine_online(room, "A03", t0 - 1100) + decide_login(
        room, "A03", first.ticket, first.id_number, t0 - 1100
    )
    for e in events:
        room.apply(e)
    s = room.shown_sitting
    view.apply_message(  # as the service publishes it: the rows the events touched
        {
            "t": "changed",
            "seq": view.seq + 1,
            "events": [],
            "candidates": [room.candidate_row(s, s.candidates[first.ticket])],
            "machines": [{"id": "A03", "row": 1, "col": 3, "spare": False, **room.machine_row("A03")}],
        }
    )
    qtbot.waitUntil(lambda: unseated.model.rowCount() == 23)
    assert first.ticket not in [unseated.model.index(i).data(TICKET_ROLE) for i in range(23)]

    # A click shows the candidate in the list below.
    second = package.candidates[1]
    with qtbot.waitSignal(unseated.candidateClicked) as blocker:
        rect = unseated.list.visualRect(unseated.model.index(0))
        qtbot.mouseClick(unseated.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [second.ticket]


def test_a_room_with_bound_seats_has_no_such_list(room_view, qtbot):
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert not window.unseated.isVisible()
