"""Every event kind: one encoding, the same after a round trip, and it names what it touches."""

import msgspec
import pytest

from proctor.domain.events import (
    EVENT_TYPES,
    AlertAcknowledged,
    AlertKind,
    AlertRaised,
    AnswerSaved,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    BackupMade,
    CandidateGaveUp,
    CandidateLoggedIn,
    CandidateReset,
    CandidateSubmitted,
    ChoiceRegistered,
    ClockStepped,
    ClosingItem,
    ClosingTicked,
    ConsoleLocked,
    ConsoleUnlocked,
    ConsoleUnlockFailed,
    DuplicateLoginAttempt,
    Event,
    Evidence,
    ExamEnded,
    ExamStopped,
    ExtraTimeGranted,
    ExtraTimeReason,
    FormIssued,
    IdentityChecked,
    IdNumberRevealed,
    IncidentClosed,
    IncidentOpened,
    IncidentStep,
    LeaveReason,
    LeftRoom,
    MachineClockMoved,
    MachineOffline,
    MachineOnline,
    NoticeAcknowledged,
    NoticeKind,
    NoticeSent,
    ProctorsSignedIn,
    ReadinessItem,
    ReadinessTicked,
    RemarkRecorded,
    ResetKind,
    ResetReason,
    ReturnedToRoom,
    SavesMissing,
    ScheduleShifted,
    SeatAssigned,
    ServiceStarted,
    SignInClosed,
    SittingEnded,
    SittingStarted,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
    StartDelayed,
    StartDelayReason,
    StopChoice,
    SubmissionUndone,
    SubmittedByProctors,
    TransferReceived,
    TransferredIn,
    TransferredOut,
    TransferResolved,
    ViolationAct,
    ViolationCategory,
    ViolationRecorded,
    decode_event,
    encode_event,
)

T = 1_800_000_000.5

# One of each kind, filled in as a real room would; a new kind without an example fails below.
EXAMPLES: list[Event] = [
    ServiceStarted(at=T, package="ab" * 32, wall=T - 3.25, scale=20.0),
    ScheduleShifted(at=T, by_s=-3600.0, reason="rehearsal"),
    ClockStepped(at=T, by_s=-600.0, wall=T - 600),
    SittingStarted(at=T, sitting=1),
    SignInClosed(at=T, sitting=2),
    SittingEnded(at=T, sitting=1),
    MachineOnline(at=T, machine="A01", ticket="273303001001", clock_offset_s=-0.25),
    MachineOffline(at=T, machine="A02", reason="heartbeat", ticket=None),
    MachineClockMoved(at=T, machine="A01", clock_offset_s=95.5),
    CandidateLoggedIn(
        at=T, sitting=1, ticket="273303001003", machine="F08", wrong_seat=True, previous="A03", session="e" * 64
    ),
    DuplicateLoginAttempt(at=T, sitting=1, ticket="273303001004", machine="F07"),
    AnswerSaved(at=T, sitting=1, ticket="273303001005", seq=2**53, digest="f" * 64, answered=None),
    SavesMissing(at=T, sitting=1, ticket="273303001005", machine="A05", held=39, acked=42),
    CandidateSubmitted(at=T, sitting=1, ticket="273303001006", by="auto"),
    ProctorsSignedIn(at=T, names=("林𠮷祥", "阿依古丽·买买提")),
    AlertRaised(at=T, alert=7, alert_kind=AlertKind.UNKNOWN_MACHINE, machine="Z99", detail="10.0.0.9"),
    AlertAcknowledged(at=T, alert=7, by=("刘䶮", "王芳"), machine="Z99"),
    IdNumberRevealed(at=T, sitting=1, ticket="273303001007", by=("刘䶮", "王芳")),
    AuthorizationRequested(
        at=T,
        sitting=1,
        candidates=("273303001001", "273303001002"),
        request="123456782",
        op="extra_time",
        minutes=25,
        nonce="0f" * 8,
        by=("刘䶮", "王芳"),
    ),
    AuthorizationCodeRejected(
        at=T, sitting=1, candidates=("273303001001",), request="123456782", attempt=2, by=("刘䶮", "王芳")
    ),
    ExtraTimeGranted(
        at=T,
        sitting=1,
        candidates=("273303001001", "273303001002"),
        minutes=25,
        reason=ExtraTimeReason.MACHINE_FAULT,
        note="A03 重启",
        by=("刘䶮", "王芳"),
        request="123456782",
    ),
    IdentityChecked(at=T, sitting=1, ticket="273303001008", matches=False, note="照片与本人不符", by=("刘䶮", "王芳")),
    LeftRoom(at=T, sitting=1, ticket="273303001009", reason=LeaveReason.TOILET, escort="赵流动", by=("刘䶮", "王芳")),
    ViolationRecorded(
        at=T,
        sitting=1,
        ticket="273303001010",
        number=2,
        act=ViolationAct.OWN_DEVICE,
        category=ViolationCategory.SERIOUS,
        facts="考生使用自带 U 盘，𠮷",
        evidence=(Evidence(name="u盘.jpg", sha256="ab" * 32, size=1234),),
        confirmed_by=("刘䶮", "王芳"),
        amends=1,
        by=("刘䶮", "王芳"),
    ),
    CandidateGaveUp(at=T, sitting=1, ticket="273303001011", reason="身体不适", by=("刘䶮", "王芳")),
    SubmissionUndone(
        at=T, sitting=1, ticket="273303001012", reason="误点交卷", approved_by="赵主考", by=("刘䶮", "王芳")
    ),
    SubmittedByProctors(
        at=T, sitting=1, ticket="273303001013", reason="考试机无法交卷", approved_by="赵主考", by=("刘䶮", "王芳")
    ),
    NoticeSent(
        at=T,
        number=1,
        notice_kind=NoticeKind.CORRECTION,
        text="第 3 题题干更正",
        targets=("A01", "A02"),
        by=("刘䶮", "王芳"),
    ),
    NoticeAcknowledged(at=T + 2, number=1, machine="A02"),
    ReadinessTicked(
        at=T,
        item=ReadinessItem.SPARES,
        met=False,
        facts="备用机 5 台（在线 5 台），应不少于 7 台",
        note="已从 08 考场调来 2 台",
        by=("刘䶮", "王芳"),
    ),
    ReturnedToRoom(at=T + 300, sitting=1, ticket="273303001009", left_at=T, id_checked=True, by=("刘䶮", "王芳")),
    SeatAssigned(at=T, sitting=1, ticket="273303001014", machine="B07", by=("刘䶮", "王芳")),
    ClosingTicked(at=T, sitting=1, item=ClosingItem.ABSENCES_REVIEWED, facts="缺考 2 名", by=("刘䶮", "王芳")),
    ExamEnded(at=T, sitting=1, facts=("第 1 场考试时间已结束", "缺考 2 名"), by=("刘䶮", "王芳")),
    FormIssued(at=T + 200, form="report", upto=41, by=("刘䶮", "王芳")),
    RemarkRecorded(at=T + 210, text="考场空调故障，已调换备用考场风扇", by=("刘䶮", "王芳")),
    BackupMade(
        at=T, sitting=1, path="/media/usb/room-1.proctor-backup", sha256="ab" * 32, size=4096, by=("刘䶮", "王芳")
    ),
    # Start and delayed start.
    StartDelayed(
        at=T,
        sitting=1,
        minutes=45,
        start=T + 2700,
        previous=T + 1200,
        reason=StartDelayReason.POWER,
        note="配电箱跳闸",
        consent=None,
        request="123456782",
        by=("刘䶮", "王芳"),
    ),
    # Standalone exam
    StandaloneExported(
        at=T,
        sitting=1,
        ticket="273303001009",
        machine="A12",
        package_id="ab" * 16,
        chief="周𠮷",
        reason="A09 重置、更换考试机均无法继续",
        remaining_s=3600.0,
        last_seq=14,
        digest="cd" * 32,
        by=("刘䶮", "王芳"),
        previous="A09",
    ),
    StandaloneRecovered(
        at=T,
        sitting=1,
        ticket="273303001009",
        machine="A12",
        package_id="ab" * 16,
        digest="ef" * 32,
        saves=3,
        first_seq=15,
        last_seq=17,
        by=("刘䶮",),
    ),
    StandaloneWrittenOff(
        at=T,
        sitting=1,
        ticket="273303001009",
        machine="A12",
        package_id="ab" * 16,
        reason="考试机硬盘损坏",
        by=("åä¶®", "çè³"),
    ),
    # Reset (重置)
    CandidateReset(
        at=T,
        sitting=1,
        ticket="273303001008",
        reset_kind=ResetKind.RESUME,
        machine="A08",
        to="S02",
        reason=ResetReason.OTHER,
        note="显示器黑屏",
        by=("刘䶮", "王芳"),
    ),
    ConsoleLocked(at=T, by=("刘䶮", "王芳")),
    ConsoleUnlocked(at=T + 60, how="sign_in", by=("刘䶮", "王芳")),
    ConsoleUnlockFailed(at=T + 30, attempt=2),
    TransferredOut(at=T, sitting=1, ticket="273303001015", reason="本考场已满", by=("刘䶮", "王芳")),
    TransferReceived(at=T + 60, sitting=1, ticket="273303001015", to_room="第02考场"),
    TransferResolved(at=T + 90, sitting=1, ticket="273303001016", sat=False, note="未到任何考场", by=("刘䶮", "王芳")),
    TransferredIn(
        at=T + 60,
        sitting=1,
        ticket="273303001015",
        from_room="第01考场",
        name="刘䶮",
        gender="男",
        id_masked="330302********2642",
        id_digest="ab" * 32,
        by=("张三", "李四"),
    ),
    ExamStopped(at=T, sitting=1, directed_by="财政部考办 张处长", reason="断网 50 分钟未恢复", by=("刘䶮", "王芳")),
    ChoiceRegistered(at=T + 60, sitting=1, ticket="273303001017", choice=StopChoice.REFUND, by=("刘䶮", "王芳")),
    IncidentOpened(
        at=T,
        number=1,
        flow="power-failure",
        title="考场断电",
        candidates=("273303001001",),
        step="calm",
        by=("刘䶮", "王芳"),
    ),
    IncidentStep(at=T + 60, number=1, step="repair", answer="done", next="report_general", by=("刘䶮", "王芳")),
    IncidentClosed(at=T + 120, number=1, outcome="general_done", report="一般突发事件", by=("刘䶮", "王芳")),
]


def test_every_event_kind_has_an_example():
    assert {type(e) for e in EXAMPLES} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: e.kind)
def test_every_event_kind_round_trips_through_its_one_encoding(event):
    data = encode_event(event)
    assert msgspec.json.decode(data)["kind"] == event.kind  # tagged by its class name
    again = decode_event(data)
    assert again == event and type(again) is type(event)
    assert encode_event(again) == data  # stable: what is hashed is what is sent


def test_an_unknown_kind_or_a_missing_field_is_refused_on_decoding():
    with pytest.raises(msgspec.ValidationError):
        decode_event(b'{"kind":"CandidateVanished","at":1.0}')
    with pytest.raises(msgspec.ValidationError):
        decode_event(b'{"kind":"CandidateSubmitted","at":1.0,"sitting":1,"ticket":"x"}')


def test_each_event_names_what_it_touches():
    touches = {e.kind: (e.tickets, e.machines, e.room_wide) for e in EXAMPLES}
    header = {e.kind for e in EXAMPLES if e.header_wide}
    assert touches["CandidateLoggedIn"] == (("273303001003",), ("F08", "A03"), False)
    assert touches["MachineOnline"] == (("273303001001",), ("A01",), False)
    assert touches["MachineOffline"] == ((), ("A02",), False)
    assert touches["AnswerSaved"] == (("273303001005",), (), False)
    assert touches["SavesMissing"] == (("273303001005",), ("A05",), False)
    assert touches["AlertAcknowledged"] == ((), ("Z99",), False)
    assert touches["ClockStepped"] == ((), (), False)
    assert touches["IdNumberRevealed"] == (("273303001007",), (), False)
    assert touches["CandidateReset"] == (("273303001008",), ("A08", "S02"), False)  # those two spares' rows
    for kind in (
        "ServiceStarted",
        "ScheduleShifted",
        "SittingStarted",
        "SignInClosed",
        "SittingEnded",
        "StartDelayed",
    ):
        assert touches[kind][2], kind
    # The header (deadlines, proctors, notices, check lists, packages out) and the rows named.
    assert {
        "ExtraTimeGranted",
        "ProctorsSignedIn",
        "NoticeSent",
        "ReadinessTicked",
        "ClosingTicked",
        "ExamEnded",
        "BackupMade",
        "ConsoleLocked",
        "ConsoleUnlocked",
        "StandaloneExported",
        "StandaloneRecovered",
        "StandaloneWrittenOff",
    } <= header
    assert not any(touches[k][2] for k in header), "header-wide events are not room-wide"
    assert touches["ExtraTimeGranted"][0] == ("273303001001", "273303001002")
