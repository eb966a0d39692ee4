"""Names with characters outside the BMP (林𠮷祥, 𡒄) extract from the report PDF as written, once
mend_tounicode has filled in the ToUnicode entries Qt leaves out; the rest of the PDF stays as drawn."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from proctor.fonts import font_chain
from proctor.report.render import a4, paint_pages, write_pdf
from proctor.report.tounicode import mend_tounicode

NAMES = ["林𠮷祥", "王䶮", "𡒄", "张𨭉", "李𪨶明"]
ORDINARY = (
    "考生应当在开考前三十分钟凭准考证和有效身份证件进入考场，按照准考证号对号入座，"
    "并将证件放在桌面左上角以便监考员核验。开考十五分钟后不得入场，考试结束前不得离场。"
    "考试期间不得交头接耳、左顾右盼，不得使用自带的计算器、手机等电子设备，违者按照有关规定处理。"
    "监考员应当如实记录考场情况，在考场情况报告单上签字确认，并于考试结束后将全部材料交回考点办公室。"
) * 3
HINTS = {"𡒄": "install fonts-hanazono (HanaMinB), the only Debian font with it"}


def _text(pdf: Path) -> str:
    """pdftotext's output with all whitespace removed: table cells and line breaks move it about."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


@functools.cache
def _drawable(ch: str) -> bool:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    for family in QFontDatabase.families():
        font = QFont()
        font.setFamilies([family])
        if QRawFont.fromFont(font).supportsCharacter(ord(ch)):
            return True
    return False


def _page(names: list[str]) -> str:
    rows = "".join(f"<tr><td>27330300100{i}</td><td>{n}</td><td>A0{i}</td></tr>" for i, n in enumerate(names))
    return (
        "<h3>考生名单</h3>"
        f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>{rows}</table>"
        f"<p><b>违纪考生：{'、'.join(names)}</b></p>"
        f"<p>{ORDINARY}</p>"
    )


def _as_qt_writes_it(page: str, pdf: Path, families: list[str]) -> None:
    """write_pdf without its mend."""
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(pdf))
    writer.setPageLayout(a4())
    writer.setResolution(300)
    paint_pages(writer, page, families)
    del writer


@dataclass
class Mended:
    page: str
    before: str  # the text as Qt wrote it
    after: str
    added: int
    pdf: Path
    original: Path


@pytest.fixture(scope="module")
def families(qapp) -> list[str]:
    chain = font_chain()
    if not chain:
        pytest.skip("no Chinese font installed (fonts-wqy-microhei)")
    if not _drawable("𠮷"):
        pytest.skip("no installed font has 𠮷 U+20BB7: install fonts-noto-cjk")
    return chain


@pytest.fixture(scope="module")
def mended(families, tmp_path_factory) -> Mended:
    folder = tmp_path_factory.mktemp("rare")
    page = _page(NAMES)
    pdf = folder / "names.pdf"
    _as_qt_writes_it(page, pdf, families)
    original = folder / "as_written.pdf"
    shutil.copy(pdf, original)
    before = _text(pdf)
    added = mend_tounicode(pdf, page)
    return Mended(page, before, _text(pdf), added, pdf, original)


@pytest.mark.parametrize("name", NAMES)
def test_each_name_extracts_exactly(mended, name):
    missing = [c for c in name if not _drawable(c)]
    if missing:
        pytest.skip(f"no installed font has {missing[0]} U+{ord(missing[0]):X}: {HINTS.get(missing[0], '')}")
    # In its table row between the ticket and the seat, and in the bold list between its neighbours.
    i = NAMES.index(name)
    assert f"27330300100{i}{name}A0{i}" in mended.after
    before = "违纪考生：" if i == 0 else "、"
    after = "、" if i + 1 < len(NAMES) else ORDINARY[:4]
    assert f"{before}{name}{after}" in mended.after


def test_the_mend_added_the_missing_characters(mended):
    supplementary = {c for n in NAMES for c in n if ord(c) > 0xFFFF and _drawable(c)}
    assert mended.added >= len(supplementary - set(mended.before))
    assert supplementary <= set(mended.after)


def test_ordinary_and_bmp_rare_text_extracts_as_before(mended):
    assert "".join(ORDINARY.split()) in mended.after
    assert "王䶮" in mended.after
    # Only the supplementary characters were added: the rest reads as Qt wrote it.
    assert "".join(c for c in mended.after if ord(c) <= 0xFFFF) == mended.before


def test_the_mended_pdf_is_valid_and_draws_the_same(mended, tmp_path):
    info = subprocess.run(["pdfinfo", str(mended.pdf)], capture_output=True, text=True, check=True)
    assert "Pages:" in info.stdout and not info.stderr
    fonts = subprocess.run(["pdffonts", str(mended.pdf)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and not fonts.stderr
    assert all(row.split()[-5] == "yes" for row in rows), fonts.stdout  # the emb column
    for name, pdf in (("before", mended.original), ("after", mended.pdf)):
        subprocess.run(["pdftoppm", "-r", "50", str(pdf), str(tmp_path / name)], check=True)
    pages = sorted(p.name for p in tmp_path.glob("before*"))
    assert pages
    for page in pages:
        assert (tmp_path / page).read_bytes() == (tmp_path / page.replace("before", "after")).read_bytes()


def test_mending_twice_changes_nothing(mended):
    data = mended.pdf.read_bytes()
    assert mend_tounicode(mended.pdf, mended.page) == 0
    assert mended.pdf.read_bytes() == data


def test_write_pdf_mends_what_it_writes(families, tmp_path):
    pdf = tmp_path / "report.pdf"
    write_pdf(_page(NAMES[:1]), pdf, families)
    assert "林𠮷祥" in _text(pdf)


def test_a_pdf_without_supplementary_characters_is_left_alone(families, tmp_path):
    page = _page(["王䶮", "赵堃", "吴龑"])
    pdf = tmp_path / "plain.pdf"
    write_pdf(page, pdf, families)
    data = pdf.read_bytes()
    text = _text(pdf)
    assert mend_tounicode(pdf, page) == 0
    assert pdf.read_bytes() == data
    assert _text(pdf) == text
    assert "".join(ORDINARY.split()) in text and "王䶮" in text
