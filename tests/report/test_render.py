"""The report paged: a long violation table repeats its header on every page, and each page is
numbered n / N."""

from __future__ import annotations

import subprocess

from proctor.fonts import font_chain
from proctor.report.content import Person, RoomReport, SittingPart, Violation
from proctor.report.render import KEEP_TOGETHER, report_html, transfers_html, write_pdf


def _report(violations: int) -> RoomReport:
    who = Person("273303001001", "张三", "330302199001011234", "A01")
    long_facts = "考生使用自带手机查阅资料，经两名监考员当场确认并暂扣手机。" * 3
    records = tuple(
        Violation(i + 1, 1.8e9 + i, who, "own_device", "serious", long_facts, (), ("甲", "乙"), None, 1, "A01")
        for i in range(violations)
    )
    sitting = SittingPart(1, "初级会计实务", 1.8e9, 1.8e9 + 7200, 1.8e9 + 7200, 40, 39, (who,), 39)
    return RoomReport(
        "考试",
        "初级",
        "批次",
        "考点",
        "第01考场",
        "+08:00",
        40,
        2,
        "全国",
        "考场情况报告单",
        (),
        ("甲", "乙"),
        (sitting,),
        records,
        (),
        (),
        (),
        (),
        81,
        "ab" * 32,
    )


def _page_text(pdf, n: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(out.split())


def test_a_long_table_repeats_its_header_and_every_page_is_numbered(qapp, tmp_path):
    pdf = tmp_path / "long.pdf"
    pages = write_pdf(report_html(_report(80)), pdf, font_chain())
    assert pages >= 3
    for n in range(2, pages):  # the violation table runs over the middle pages
        flat = _page_text(pdf, n)
        assert "证件号" in flat and "确认监考员" in flat, f"page {n} lacks the table's header"
        assert f"{n}/{pages}" in flat


def test_the_signatures_never_stand_alone_on_a_page(qapp, tmp_path):
    """Wherever the report's end falls, its last part (from 七、 to the digest) is on one page."""
    moved = 0
    for count in range(4, 16):  # the tail's start walks down a page, one violation (~1/16 page) at a time
        pdf = tmp_path / f"r{count}.pdf"
        pages = write_pdf(report_html(_report(count)), pdf, font_chain())
        last = _page_text(pdf, pages)
        assert "主考签字" in last and "摘要" in last, f"{count} violations: the signatures are not on the last page"
        assert KEEP_TOGETHER + "适用规则" in last, f"{count} violations: the signatures left without the part above"
        moved += "编号" not in last  # the violation table ended on an earlier page
    assert moved, "no count put the tail on a page of its own: the test no longer crosses a page end"


def test_the_room_report_is_for_two_proctors_and_the_chief_examiner_to_sign():
    """R38 (004 九(三), 000 附件3 18): two proctors' lines and the chief examiner's, under the
    profile's own title for the form."""
    page = report_html(_report(1))
    assert page.count("监考员签字") == 2 and page.count("主考签字") == 1
    assert "<h1 align='center'>考场情况报告单</h1>" in page
    import dataclasses

    economics = report_html(dataclasses.replace(_report(1), title="考场情况记录单"))
    assert "考场情况记录单" in economics and "考场情况报告单" not in economics


def test_the_transfer_slip_says_what_became_of_each_candidate_moved(qapp, tmp_path):
    """R37 (004 附件4 三(二)): the slip lists each transfer, whether the other room took the
    candidate in, and is for the chief examiner's signature."""
    import dataclasses

    rows = (
        {"direction": "out", "ticket": "T1", "name": "甲一", "at": 1.8e9, "room": "第02考场", "resolved": None},
        {"direction": "out", "ticket": "T2", "name": "乙二", "at": 1.8e9 + 60, "room": None, "resolved": None},
        {"direction": "out", "ticket": "T3", "name": "丙三", "at": 1.8e9 + 90, "room": None, "resolved": "absent"},
        {"direction": "in", "ticket": "T4", "name": "丁四", "at": 1.8e9 + 120, "room": "第03考场", "resolved": None},
    )
    pdf = tmp_path / "slip.pdf"
    write_pdf(transfers_html(dataclasses.replace(_report(0), transfers=rows)), pdf, font_chain())
    flat = _page_text(pdf, 1)
    assert "应试人员跨考场调动单" in flat and "主考签字" in flat and "监考员签字" not in flat
    assert "T1甲一" in flat and "第02考场已被调入" in flat
    assert "T2乙二" in flat and "未被调入" in flat
    assert "已确认处理" in flat and "调入T4丁四" in flat and "第03考场已调入本考场" in flat


def test_on_every_form_the_signatures_keep_the_attestation_above_them(qapp, tmp_path):
    """A violation sheet whose facts grow a line at a time: wherever the sheet ends, the lines to
    sign share their page with the attestation that closes the record."""
    import dataclasses

    from proctor.report.render import ATTEST, violations_html

    report = _report(1)
    moved = 0
    for extra in range(0, 600, 40):  # a line of facts a step: the sheet's end walks over page 1's end
        facts = ("考生在考试过程中使用自带手机查阅资料，监考员当场发现并制止。" * 200)[: 1400 + extra]
        sheet = dataclasses.replace(report, violations=(dataclasses.replace(report.violations[0], facts=facts),))
        pdf = tmp_path / f"v{extra}.pdf"
        pages = write_pdf(violations_html(sheet), pdf, font_chain())
        for n in range(1, pages + 1):
            text = _page_text(pdf, n)
            if "签字：＿" in text or "拒绝签字" in text:  # the lines to sign, or the note under them
                assert ATTEST.rstrip("。") in text, f"{len(facts)} characters: page {n} has the signatures alone"
        moved += _page_text(pdf, pages).startswith(ATTEST.rstrip("。"))  # moved whole to the next page
    assert moved, "no length of facts carried the signatures over a page end: the test crosses none"
