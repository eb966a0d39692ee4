"""The report paged: a long violation table repeats its header on every page, and each page is
numbered n / N."""

from __future__ import annotations

import subprocess

from proctor.fonts import font_chain
from proctor.report.content import Person, RoomReport, SittingPart, Violation
from proctor.report.render import report_html, write_pdf


def test_a_long_table_repeats_its_header_and_every_page_is_numbered(qapp, tmp_path):
    who = Person("273303001001", "张三", "330302199001011234", "A01")
    long_facts = "考生使用自带手机查阅资料，经两名监考员当场确认并暂扣手机。" * 3
    violations = tuple(
        Violation(i + 1, 1.8e9 + i, who, "own_device", "serious", long_facts, (), ("甲", "乙"), None) for i in range(80)
    )
    sitting = SittingPart(1, "初级会计实务", 1.8e9, 1.8e9 + 7200, 40, 39, (who,), 39)
    report = RoomReport(
        "考试",
        "初级",
        "批次",
        "考点",
        "第01考场",
        "+08:00",
        40,
        2,
        "全国",
        (),
        ("甲", "乙"),
        (sitting,),
        violations,
        (),
        (),
        (),
        (),
        81,
        "ab" * 32,
    )
    pdf = tmp_path / "long.pdf"
    pages = write_pdf(report_html(report), pdf, font_chain())
    assert pages >= 3
    for n in range(2, pages):  # the violation table runs over the middle pages
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = "".join(text.split())
        assert "证件号" in flat and "确认监考员" in flat, f"page {n} lacks the table's header"
        assert f"{n}/{pages}" in flat
