"""The candidate panel as a proctor uses it at a seat: the photo beside the face, the time left,
what the candidate did (read from a real room server and followed live), and the operations
that apply now, each reachable from the keyboard."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton

from proctor.domain.events import AlertKind, AlertRaised, AnswerSaved, CandidateLoggedIn, MachineOffline
from proctor.domain.room import decide_acknowledge_alert
from proctor.link.console_client import HistoryPage, NotConnected
from proctor.package.png import silhouette
from tests.ui.conftest import NOW, PROCTORS, START, candidate_row, make_room, ticket
from tests.ui.test_alert_list import wire
from tests.waiting import until
from ui.candidate_panel import PHOTO_H, PHOTO_W, CandidatePanel, package_photos
from ui.candidate_timeline import TimelineModel
from ui.exam_clock import ExamClock
from ui.header_bar import clock_hms
from ui.operations import CANDIDATE_OPERATIONS

BACKGROUND = (200, 40, 40)  # the test photo's background: easy to find among the panel's greys
FIGURE = (92, 96, 104)  # silhouette()'s figure colour
END = START + 120 * 60


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def clock(fake_time: FakeTime) -> ExamClock:
    c = ExamClock(monotonic=fake_time)
    c.sync(NOW)
    return c


@pytest.fixture
def photos():
    photo = silhouette(BACKGROUND, female=True)
    return lambda t: photo if t == ticket(0) else b"not a png" if t == ticket(3) else None


@pytest.fixture
def panel(qtbot, room_view, clock, photos) -> CandidatePanel:
    p = CandidatePanel(room_view, clock, photos)
    qtbot.addWidget(p)
    p.resize(340, 700)
    with qtbot.waitExposed(p):
        p.show()
    return p


def near(c: QColor, rgb: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip((c.red(), c.green(), c.blue()), rgb, strict=True))


def colours(image: QImage, step: int = 3) -> list[QColor]:
    return [image.pixelColor(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]


# -- the photo ------------------------------------------------------------------------------------


def test_the_photo_fills_its_frame_with_its_aspect_kept(panel):
    panel.show_candidate(ticket(0))
    photo = panel.photo
    assert photo.has_photo and photo.isVisible()
    r = photo.image_rect()
    assert (r.width(), r.height()) == (PHOTO_W, PHOTO_H)  # a 3:4 ID photo in a 3:4 frame
    image = photo.grab().toImage()
    scale = image.width() / photo.width()
    at = lambda x, y: image.pixelColor(int(x * scale), int(y * scale))  # noqa: E731
    assert near(at(r.left() + 6, r.top() + 6), BACKGROUND)
    assert near(at(r.center().x(), r.top() + r.height() * 0.42), FIGURE)  # the head, where the photo has it
    # Scaled once to the device pixels it is drawn on, not stretched at paint time.
    assert photo._pixmap().size() == r.size() * photo.devicePixelRatioF()


def test_a_candidate_without_a_photo_gets_a_placeholder_that_says_so(panel):
    panel.show_candidate(ticket(1))
    assert not panel.photo.has_photo
    assert panel.photo.note == "No photo in the exam package"
    assert panel.photo.toolTip() == "No photo in the exam package"
    assert not any(near(c, BACKGROUND, 30) for c in colours(panel.photo.grab().toImage()))

    panel.show_candidate(ticket(3))  # a damaged file is said to be damaged, not "missing"
    assert not panel.photo.has_photo
    assert panel.photo.note == "The photo in the exam package cannot be read"


def test_a_package_gives_each_candidate_their_own_photo():
    from proctor.package.demo import generate

    package = generate(candidates=3, machines=4, seed=3)
    photo = package_photos(package)
    first = package.candidates[0]
    assert photo(first.ticket) == package.photos[first.photo]
    assert photo("999999999999") is None
    assert package_photos(None)(first.ticket) is None


# -- who, where, and in what state ----------------------------------------------------------------


def test_the_details_read_like_the_candidate_row(panel, room_view):
    panel.show_candidate(ticket(2))
    c = room_view.candidates[ticket(2)]
    assert panel.ticket == ticket(2)
    assert panel.name.text() == "林𠮷祥"  # Extension B kept whole
    assert panel.fields["id"].text() == c["id_masked"] and "*" in c["id_masked"]
    assert panel.fields["seat"].text() == c["seat"]
    assert panel.chip_texts() == ["Answering"]


def test_flags_show_in_words_beside_the_state(panel):
    panel.show_candidate(ticket(9))  # the machine dropped, an alert is open
    chips = panel.chip_texts()
    assert chips[0] == "Answering" and set(chips[1:]) == {"Alert", "Offline"}
    assert panel.fields["contact"].text() == "Offline"  # the time comes with the timeline


def test_an_unknown_ticket_says_so(panel):
    panel.show_candidate("000000000000")
    assert panel.prompt.text() == "No candidate with ticket no. 000000000000 in this room"
    assert not panel.body.isVisible() and not panel.ack_buttons
    panel.show_candidate(None)
    assert panel.prompt.text() == "Click a seat or a row to see a candidate"
    panel.show_candidate(ticket(0))
    assert panel.body.isVisible() and panel.prompt.isHidden()


# -- time -----------------------------------------------------------------------------------------


def test_the_remaining_time_ticks_on_the_exam_clock(panel, fake_time, qtbot):
    panel.show_candidate(ticket(0))
    assert panel.remaining.text() == "1:50:00"
    assert panel.end_line.text() == f"Own end {clock_hms(END)}"
    fake_time.t += 5
    qtbot.waitUntil(lambda: panel.remaining.text() == "1:49:55", timeout=3000)  # the panel's own ticker
    fake_time.t += 110 * 60 - 15 * 60 - 5  # the last quarter hour
    qtbot.waitUntil(lambda: panel.remaining.property("level") == "warn", timeout=3000)
    assert panel.remaining.text() == "15:00"
    fake_time.t += 15 * 60
    qtbot.waitUntil(lambda: panel.remaining.property("level") == "alert", timeout=3000)
    assert panel.time_caption.text() == "Remaining time: time is up"


def test_extra_time_moves_the_candidate_s_own_end(panel, feed):
    panel.show_candidate(ticket(0))
    row = candidate_row(0)
    feed(candidates=[{**row, "extra_min": 10, "end": END + 600, "flags": sorted([*row["flags"], "extra_time"])}])
    assert panel.remaining.text() == "2:00:00"
    assert panel.end_line.text() == f"Own end {clock_hms(END + 600)} (with 10 min extra time)"
    assert panel.fields["extra"].text() == "10 min"
    assert "Extra time" in panel.chip_texts()


def test_a_submitted_candidate_shows_when_they_submitted(panel, feed):
    panel.show_candidate(ticket(0))
    feed(candidates=[candidate_row(0, state="submitted", submitted_at=NOW - 30)])
    assert (panel.time_caption.text(), panel.remaining.text()) == ("Submitted at", clock_hms(NOW - 30))


# -- the ID number --------------------------------------------------------------------------------


def test_the_full_id_number_is_asked_for_shown_for_a_while_and_masked_again(panel, qtbot, room_view):
    panel.show_candidate(ticket(0))
    masked = room_view.candidates[ticket(0)]["id_masked"]
    with qtbot.waitSignal(panel.revealRequested) as asked:
        qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert asked.args == [ticket(0)]

    panel.show_revealed(ticket(1), "330302199001020011")  # a late answer about someone else
    assert panel.fields["id"].text() == masked

    panel.reveal_s = 0.3
    panel.show_revealed(ticket(0), "330302199001010000")
    assert panel.fields["id"].text() == "330302199001010000"
    assert panel.reveal_note.text() == "Masked again in 1 s"
    assert panel.reveal_button.text() == "Hide"
    qtbot.waitUntil(lambda: panel.fields["id"].text() == masked, timeout=3000)
    assert panel.reveal_note.isHidden() and panel.reveal_button.text() == "Show full ID no."


def test_a_revealed_number_goes_when_the_proctor_moves_on(panel, qtbot):
    panel.show_candidate(ticket(0))
    panel.show_revealed(ticket(0), "330302199001010000")
    with qtbot.assertNotEmitted(panel.revealRequested):
        qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)  # "Hide"
    assert panel.fields["id"].text() != "330302199001010000"

    panel.show_revealed(ticket(0), "330302199001010000")
    panel.show_candidate(ticket(1))
    panel.show_candidate(ticket(0))
    assert panel.fields["id"].text() != "330302199001010000"


# -- operations -----------------------------------------------------------------------------------


def test_an_open_alert_about_the_candidate_is_acknowledged_from_the_panel(panel, qtbot, feed):
    panel.show_candidate(ticket(0))
    assert not panel.ack_buttons
    assert panel.no_ops.text() == "No open alert about this candidate."

    panel.show_candidate(ticket(9))
    assert list(panel.ack_buttons) == [1]
    button = panel.ack_buttons[1]
    with qtbot.waitSignal(panel.acknowledgeRequested) as acked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert acked.args == [1]
    assert not button.isEnabled()  # once: a second click would only be refused
    panel.show_error("Not connected to the room server; nothing was done")
    assert button.isEnabled() and panel.error.isVisible()

    room = make_room()
    feed(events=wire(decide_acknowledge_alert(room, 1, PROCTORS, NOW)))
    assert not panel.ack_buttons
    assert panel.no_ops.text() == "No open alert about this candidate."


def test_only_operations_that_exist_have_buttons(panel):
    panel.show_candidate(ticket(9))
    buttons = sorted(b.objectName() for b in panel.findChildren(QAbstractButton) if b.isVisibleTo(panel))
    operations = [f"{op.name}Button" for op in CANDIDATE_OPERATIONS]  # one per entry of ui/operations.py
    assert buttons == sorted(["acknowledge1", "close", "reveal", *operations])


# -- keyboard -------------------------------------------------------------------------------------


def test_every_button_is_reachable_by_tab_and_says_its_shortcut(panel):
    panel.show_candidate(ticket(9))
    buttons = [b for b in panel.findChildren(QAbstractButton) if b.isVisibleTo(panel)]
    assert len(buttons) == 3 + len(CANDIDATE_OPERATIONS)
    for b in buttons:
        assert b.focusPolicy() & Qt.FocusPolicy.TabFocus, b.objectName()
        key = "Esc" if b is panel.close_button else b.shortcut().toString()
        assert key and f"({key})" in b.toolTip(), b.objectName()
    assert panel.reveal_button.shortcut().toString() == "Ctrl+I"
    assert panel.ack_buttons[1].shortcut().toString() == "Alt+1"


def test_escape_closes_the_panel_from_wherever_the_focus_is(panel, qtbot):
    panel.show_candidate(ticket(0))
    for target in (panel, panel.timeline_view, panel.reveal_button):
        with qtbot.waitSignal(panel.closeRequested, timeout=1000):
            qtbot.keyClick(target, Qt.Key.Key_Escape)
    with qtbot.waitSignal(panel.closeRequested, timeout=1000):
        qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)


# -- the timeline ---------------------------------------------------------------------------------


def test_a_run_of_saves_is_one_row_that_grows(qtmodeltester):
    model = TimelineModel()
    at = NOW
    t = ticket(0)
    saves = [AnswerSaved(at=at + n, sitting=1, ticket=t, seq=n, digest="0" * 64, answered=n) for n in range(1, 4)]
    model.extend([CandidateLoggedIn(at=at - 60, sitting=1, ticket=t, machine="A01"), *saves])
    model.extend([MachineOffline(at=at + 10, machine="A01", ticket=t, reason="heartbeat")])
    model.extend([AnswerSaved(at=at + 20, sitting=1, ticket=t, seq=4, digest="0" * 64, answered=None)])
    qtmodeltester.check(model)
    assert model.texts() == [
        f"{clock_hms(at - 60)} Logged in\nExam machine A01",
        f"{clock_hms(at + 1)} Answers saved ×3\nSaves 1–3, the last at {clock_hms(at + 3)}, 3 answered",
        f"{clock_hms(at + 10)} Offline\nExam machine A01, No heartbeat",
        f"{clock_hms(at + 20)} Answers saved\nSave 4",
    ]


def test_an_alert_in_the_timeline_is_in_words(qtmodeltester):
    model = TimelineModel()
    model.extend([AlertRaised(at=NOW, alert=3, ticket=ticket(0), alert_kind=AlertKind.WRONG_SEAT, detail="A01")])
    assert model.texts() == [f"{clock_hms(NOW)} Alert: Wrong seat\nAssigned seat A01"]
    assert not model.index(0, 1).data(Qt.ItemDataRole.DecorationRole).isNull()


class Spy:
    """Records what the panel asks the client for."""

    def __init__(self, client) -> None:
        self.afters: list[int] = []
        real = client.history_page

        async def history_page(**kw: Any):
            self.afters.append(kw.get("after", 0))
            return await real(**kw)

        client.history_page = history_page


def test_the_timeline_comes_from_the_room_server_and_follows_a_new_event(live_room, qtbot):
    live, package = live_room, live_room.package
    first = package.candidates[0]
    panel = CandidatePanel(live.view, live.window.clock, package_photos(package))
    qtbot.addWidget(panel)
    panel.set_client(live.client)
    spy = Spy(live.client)
    texts = panel.timeline.texts

    async def scenario() -> None:
        live.start()
        await until(lambda: first.ticket in live.view.candidates, "the snapshot")
        machine = live.machine_of(first)
        started = time.monotonic()
        sim = asyncio.ensure_future(machine.run(started, started + 30))
        await until(lambda: live.view.candidates[first.ticket]["state"] == "logged_in", "the login")

        panel.show_candidate(first.ticket)
        assert panel.photo.has_photo
        await until(lambda: any("Logged in" in t for t in texts()), "the login in the timeline")
        assert texts()[0].endswith("Logged in\nExam machine " + first.seat)
        await until(lambda: panel._fetch_task is None, "the read to finish")
        assert spy.afters[0] == 0
        read = len(spy.afters)

        sim.cancel()  # the exam machine goes away: offline, and an alert about the candidate
        await asyncio.gather(sim, return_exceptions=True)
        await until(lambda: any("Offline" in t for t in texts()), "the machine dropping, in the timeline")
        await until(lambda: bool(panel.ack_buttons), "the alert's acknowledge button")
        assert len(spy.afters) > read and all(after > 0 for after in spy.afters[read:]), "only newer events"
        assert sum("Logged in" in t for t in texts()) == 1  # nothing read twice
        assert panel.fields["contact"].text().startswith("Offline since ")

        alert = next(iter(panel.ack_buttons))
        with qtbot.waitSignal(panel.acknowledgeRequested) as acked:
            panel.ack_buttons[alert].click()
        assert acked.args == [alert]

    live.run(scenario(), timeout=20)


def test_without_a_client_the_timeline_says_when_it_will_show(panel):
    panel.show_candidate(ticket(0))
    assert panel.timeline_status.text() == "The timeline shows once this console is connected to the room server."
    assert panel.timeline.rowCount() == 0


class FlakyClient:
    """Fails the first read as a lost connection would, then answers from `events`."""

    def __init__(self, events: list) -> None:
        self.events, self.afters = events, []

    async def history_page(self, ticket: str | None = None, after: int = 0, limit: int = 200) -> HistoryPage:
        self.afters.append(after)
        if len(self.afters) == 1:
            raise NotConnected("the connection to the room service was lost")
        return HistoryPage(self.events if after == 0 else [], None, 42)


def test_a_failed_read_says_so_and_the_next_change_reads_again(panel, qloop, feed):
    t = ticket(0)
    client = FlakyClient([CandidateLoggedIn(at=NOW - 600, sitting=1, ticket=t, machine="A01")])
    panel.set_client(client)
    panel.show_candidate(t)
    qloop.run_until_complete(until(lambda: "could not be read" in panel.timeline_status.text(), "the failure"))
    assert panel.timeline_status.text() == (
        "The timeline could not be read: Not connected to the room server; nothing was done. "
        "It is read again at the next change."
    )
    feed(candidates=[candidate_row(0, last_seq=99)])
    qloop.run_until_complete(until(lambda: panel.timeline.rowCount() == 1, "the second read"))
    assert panel.timeline_status.isHidden()
    feed(candidates=[candidate_row(0, last_seq=100)])
    qloop.run_until_complete(until(lambda: len(client.afters) == 3, "a read after the next change"))
    assert client.afters == [0, 0, 42]  # from where the last read ended, not from the start
    assert panel.timeline.rowCount() == 1


def test_the_clock_stops_ticking_while_the_panel_is_hidden(panel):
    assert panel.ticker.isActive() and panel.ticker.interval() == 1000
    panel.hide()
    assert not panel.ticker.isActive()
    panel.show()
    assert panel.ticker.isActive()


def test_a_screenshot_of_the_panel_at_its_width(panel, tmp_path):
    """At 340×700, as it sits in its dock: a photo, flags, an alert and a few events."""
    t = ticket(9)
    panel.show_candidate(t)
    panel.timeline.extend(
        [
            CandidateLoggedIn(at=NOW - 1200, sitting=1, ticket=t, machine="B02"),
            *(AnswerSaved(at=NOW - 500 + n, sitting=1, ticket=t, seq=n, digest="0" * 64, answered=n) for n in (1, 2)),
            MachineOffline(at=NOW - 60, machine="B02", ticket=t, reason="heartbeat"),
        ]
    )
    image = panel.grab().toImage()
    assert (image.width(), image.height()) == (340 * image.devicePixelRatio(), 700 * image.devicePixelRatio())
    assert image.save(str(tmp_path / "candidate-panel.png"))
    assert len({c.rgb() for c in colours(image, step=5)}) > 20


def test_the_timeline_shows_the_exam_machine_s_own_clock_when_it_is_off(qtmodeltester):
    offsets = {"A03": 95.0, "A04": 0.3}
    model = TimelineModel(clock_offset=offsets.get)
    qtmodeltester.check(model)
    t = ticket(2)
    model.extend(
        [
            CandidateLoggedIn(at=START - 600, sitting=1, ticket=t, machine="A03"),
            AnswerSaved(at=START + 60, sitting=1, ticket=t, seq=1, digest="0" * 64),
            CandidateLoggedIn(at=START + 120, sitting=1, ticket=t, machine="A04"),  # reset onto A04
        ]
    )
    at = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert at[0] == f"{clock_hms(START - 600)}\nmachine {clock_hms(START - 600 + 95)}"
    assert at[1] == f"{clock_hms(START + 60)}\nmachine {clock_hms(START + 60 + 95)}"  # still at A03
    assert at[2] == clock_hms(START + 120)  # A04's clock is right: the server's time alone


def test_every_event_about_a_candidate_reads_in_words_in_their_timeline(chinese):
    from tests.domain.test_events import EXAMPLES
    from ui.candidate_timeline import detail, title

    about_candidates = [e for e in EXAMPLES if e.tickets]
    assert len(about_candidates) >= 10
    for e in about_candidates:
        words = title(e)
        assert words != e.kind and not words.isascii(), e.kind  # a proctor's words, not the event's name
        detail(e, e)  # says its particulars without failing
