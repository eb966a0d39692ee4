"""Characters outside the BMP (𠮷 U+20BB7, 𡒄 U+21484, ...) in a PDF written by QPdfWriter made to
extract, copy and search as themselves.

Qt (QPdfEngine/QFontSubset) embeds every font as a new TrueType subset: glyphs renumbered from 1 in
order of first use, CIDToGIDMap /Identity, no cmap or post table left in the subset, so nothing in
the PDF says which original glyph or character a CID stands for. Its ToUnicode CMap is built by
asking the font, for each code point 0..0xFFFF only, which glyph it uses: a glyph reached only from
a supplementary code point gets no entry and extracts as nothing.

The mend: Qt writes each glyph's outline deterministically from the original font, so drawing a
candidate character alone in the same face, in a small probe PDF, yields byte-identical glyf data.
The candidates are the supplementary characters of the text that was drawn; a CID whose outline
equals exactly one candidate's (in the font of the same BaseFont) gets a bfchar entry with the
character as a UTF-16 surrogate pair. Only the ToUnicode streams change: the page content and the
fonts stay byte for byte.
"""

from __future__ import annotations

import html
import os
import re
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

_OBJ = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_REF = rb"\s+(\d+)\s+\d+\s+R\b"


class _Pdf:
    """The objects of a PDF with one classic xref table, as QPdfWriter writes it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        at = data.rfind(b"startxref")
        if at < 0:
            raise ValueError("no startxref")
        self.xref_at = int(data[at + 9 :].split()[0])
        if not data.startswith(b"xref", self.xref_at):
            raise ValueError("not a classic xref table")
        end = data.find(b"trailer", self.xref_at)
        self.trailer = data[end + 7 : data.find(b"startxref", end)].strip()
        if b"/Prev" in self.trailer or b"/Encrypt" in self.trailer:
            raise ValueError("an updated or encrypted PDF: not as QPdfWriter writes it")
        self.entries: list[tuple[int, bytes]] = []  # (object number, "0000012345 00000 n")
        self.offsets: dict[int, int] = {}
        lines = iter(data[self.xref_at + 4 : end].split(b"\n"))
        for line in lines:
            head = line.split()
            if len(head) != 2:
                continue
            first, count = int(head[0]), int(head[1])
            for num in range(first, first + count):
                entry = next(lines).strip()
                self.entries.append((num, entry))
                if entry.endswith(b"n"):
                    self.offsets[num] = int(entry[:10])

    def head(self, num: int) -> tuple[bytes, int | None]:
        """The object's dictionary text and, for a stream, where its data starts."""
        m = _OBJ.match(self.data, self.offsets[num])
        if m is None or int(m.group(1)) != num:
            raise ValueError(f"object {num} is not where the xref says")
        endobj = self.data.find(b"endobj", m.end())
        stream = self.data.find(b"stream", m.end(), endobj)
        if stream < 0:
            return self.data[m.end() : endobj], None
        start = stream + 6
        start += 2 if self.data.startswith(b"\r\n", start) else 1
        return self.data[m.end() : stream], start

    def stream(self, num: int) -> bytes:
        head, start = self.head(num)
        if start is None:
            raise ValueError(f"object {num} is not a stream")
        m = re.search(rb"/Length\s+(\d+)(\s+\d+\s+R\b)?", head)
        if m is None:
            raise ValueError(f"stream {num} has no length")
        length = int(self.head(int(m.group(1)))[0]) if m.group(2) else int(m.group(1))
        raw = self.data[start : start + length]
        return zlib.decompress(raw) if b"/FlateDecode" in head else raw

    def ref(self, head: bytes, key: bytes) -> int | None:
        m = re.search(re.escape(key) + _REF, head)
        return int(m.group(1)) if m else None


@dataclass
class _Font:
    base: bytes  # BaseFont, the same in the report and the probe for the same face
    tounicode: int  # object number of the ToUnicode stream
    cmap: bytes
    program: bytes  # the embedded TrueType subset


def _type0_fonts(pdf: _Pdf) -> dict[int, _Font]:
    fonts = {}
    for num in pdf.offsets:
        head, start = pdf.head(num)
        if start is not None or b"/Type0" not in head or b"/Identity-H" not in head:
            continue
        tounicode = pdf.ref(head, b"/ToUnicode")
        m = re.search(rb"/DescendantFonts\s*\[\s*(\d+)\s+\d+\s+R\b", head)
        base = re.search(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", head)
        if tounicode is None or m is None or base is None:
            continue
        descriptor = pdf.ref(pdf.head(int(m.group(1)))[0], b"/FontDescriptor")
        program = pdf.ref(pdf.head(descriptor)[0], b"/FontFile2") if descriptor is not None else None
        if program is None:
            continue
        fonts[num] = _Font(base.group(1), tounicode, pdf.stream(tounicode), pdf.stream(program))
    return fonts


def _tables(ttf: bytes) -> dict[bytes, bytes]:
    (count,) = struct.unpack_from(">H", ttf, 4)
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", ttf, 12 + 16 * i)
        out[tag] = ttf[offset : offset + length]
    return out


def _glyphs(ttf: bytes) -> list[bytes]:
    """Each glyph's glyf data, by glyph id (= CID: Qt writes CIDToGIDMap /Identity)."""
    t = _tables(ttf)
    (long_loca,) = struct.unpack_from(">h", t[b"head"], 50)
    loca = t[b"loca"]
    if long_loca:
        ends = struct.unpack(f">{len(loca) // 4}I", loca)
    else:
        ends = tuple(2 * x for x in struct.unpack(f">{len(loca) // 2}H", loca))
    glyf = t[b"glyf"]
    return [glyf[a:b] for a, b in zip(ends, ends[1:], strict=False)]


def _face(ttf: bytes) -> tuple[str, int, bool] | None:
    """Family, weight and italic of the original face (Qt copies its name and OS/2 tables)."""
    t = _tables(ttf)
    name = t.get(b"name", b"")
    names: dict[tuple[int, int], str] = {}  # (rank, nameID) -> text
    if len(name) >= 6:
        count, strings = struct.unpack_from(">HH", name, 2)
        for i in range(count):
            platform, _, lang, name_id, length, offset = struct.unpack_from(">6H", name, 6 + 12 * i)
            if name_id not in (1, 16):
                continue
            raw = name[strings + offset : strings + offset + length]
            if platform == 3:
                names[(0 if lang == 0x409 else 1, name_id)] = raw.decode("utf-16-be", "replace")
            elif platform == 1 and lang == 0:
                names[(2, name_id)] = raw.decode("latin-1")
    family = next((names[k] for k in sorted(names, key=lambda k: (k[0], -k[1]))), None)
    if not family:
        return None
    os2 = t.get(b"OS/2", b"")
    weight = struct.unpack_from(">H", os2, 4)[0] if len(os2) >= 6 else 400
    italic = bool(struct.unpack_from(">H", os2, 62)[0] & 1) if len(os2) >= 64 else False
    return family, weight, italic


def _mapped(cmap: bytes) -> set[int]:
    """The codes a ToUnicode CMap has an entry for (bfchar, bfrange in both forms)."""
    out: set[int] = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        codes = re.findall(rb"<([0-9A-Fa-f]+)>", block)
        out.update(int(c, 16) for c in codes[::2])
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            out.update(range(int(lo, 16), int(hi, 16) + 1))
    return out


def _probe(faces: dict[tuple[str, int, bool], list[str]]) -> dict[tuple[bytes, bytes], set[str]]:
    """(BaseFont, glyph data) -> the characters drawn with it, from a PDF with each character of
    each face on a page of its own. Needs a QGuiApplication."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
    from PySide6.QtGui import QFont, QGuiApplication, QPainter, QPdfWriter

    if QGuiApplication.instance() is None:
        raise RuntimeError("mend_tounicode needs a QGuiApplication to draw its probe")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    drawn: list[str] = []
    try:
        for (family, weight, italic), chars in faces.items():
            font = QFont()
            font.setFamilies([family])
            font.setWeight(QFont.Weight(min(900, max(100, round(weight / 100) * 100))))
            font.setItalic(italic)
            font.setPointSizeF(12)
            painter.setFont(font)
            for ch in chars:
                if drawn:
                    writer.newPage()
                painter.drawText(QPointF(100, 200), ch)
                drawn.append(ch)
    finally:
        painter.end()
        buffer.close()
    pdf = _Pdf(bytes(data.data()))
    fonts = _type0_fonts(pdf)
    glyphs = {num: _glyphs(f.program) for num, f in fonts.items()}
    catalog = pdf.head(int(re.search(rb"/Root" + _REF, pdf.trailer).group(1)))[0]
    kids = pdf.head(pdf.ref(catalog, b"/Pages"))[0]
    pages = [int(n) for n in re.findall(rb"(\d+)\s+\d+\s+R", kids[kids.find(b"/Kids") :])]
    found: dict[tuple[bytes, bytes], set[str]] = {}
    for page, ch in zip(pages, drawn, strict=True):
        head = pdf.head(page)[0]
        resources = pdf.head(pdf.ref(head, b"/Resources"))[0]
        names = dict(re.findall(rb"/([^\s/<>\[\]()]+)" + _REF, resources[resources.find(b"/Font") :]))
        shown: set[tuple[int, int]] = set()
        content = pdf.stream(pdf.ref(head, b"/Contents"))
        current = None
        for font_name, code in re.findall(rb"/([^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj", content):
            if font_name:
                current = int(names[font_name]) if font_name in names else None
            elif current in fonts:
                shown.update((current, int(code[i : i + 4], 16)) for i in range(0, len(code), 4))
        if len(shown) != 1:  # fake bold draws the same glyph twice; anything else is not one glyph
            continue
        ((num, cid),) = shown
        if 0 < cid < len(glyphs[num]) and glyphs[num][cid]:
            found.setdefault((fonts[num].base, glyphs[num][cid]), set()).add(ch)
    return found


def _supplementary(text: str) -> list[str]:
    return sorted({c for c in text + html.unescape(text) if ord(c) > 0xFFFF})


def mend_tounicode(path: Path, text: str) -> int:
    """Add the ToUnicode entries Qt leaves out for characters outside the BMP to the PDF at `path`
    (written by QPdfWriter), in place; the number of entries added. `text`: what was drawn, or any
    text containing it (the page's HTML will do). Needs a QGuiApplication when there is anything to
    add. Entries already present are kept, so mending twice adds nothing the second time."""
    chars = _supplementary(text)
    if not chars:
        return 0
    pdf = _Pdf(path.read_bytes())
    fonts = _type0_fonts(pdf)
    missing: dict[int, dict[int, bytes]] = {}  # font object -> CID -> glyph data
    faces: dict[tuple[str, int, bool], list[str]] = {}
    for num, font in fonts.items():
        mapped = _mapped(font.cmap)
        gaps = {cid: g for cid, g in enumerate(_glyphs(font.program)) if cid and g and cid not in mapped}
        face = _face(font.program) if gaps else None
        if face is not None:
            missing[num] = gaps
            faces[face] = chars
    if not missing:
        return 0
    found = _probe(faces)
    added = 0
    replaced: dict[int, bytes] = {}
    for num, gaps in missing.items():
        font = fonts[num]
        lines = []
        for cid, glyph in sorted(gaps.items()):
            matches = found.get((font.base, glyph), set())
            if len(matches) == 1:  # two characters with one outline: leave it rather than guess
                (ch,) = matches
                lines.append(b"<%04X> <%s>\n" % (cid, ch.encode("utf-16-be").hex().upper().encode()))
        if not lines:
            continue
        blocks = b"".join(
            b"%d beginbfchar\n%bendbfchar\n" % (len(chunk), b"".join(chunk))
            for chunk in (lines[i : i + 100] for i in range(0, len(lines), 100))  # at most 100 a block
        )
        at = font.cmap.rfind(b"endcmap")
        cmap = font.cmap[:at] + blocks + font.cmap[at:]
        replaced[font.tounicode] = b"%d 0 obj\n<< /Length %d >>\nstream\n%b\nendstream\nendobj\n" % (
            font.tounicode,
            len(cmap),
            cmap,
        )
        added += len(lines)
    if replaced:
        _rewrite(path, pdf, replaced)
    return added


def _rewrite(path: Path, pdf: _Pdf, replaced: dict[int, bytes]) -> None:
    """The same file with some objects replaced and the xref table's offsets moved to match."""
    order = sorted(pdf.offsets, key=pdf.offsets.__getitem__)
    out = bytearray(pdf.data[: pdf.offsets[order[0]]])
    moved = {}
    for i, num in enumerate(order):
        end = pdf.offsets[order[i + 1]] if i + 1 < len(order) else pdf.xref_at
        moved[num] = len(out)
        out += replaced.get(num) or pdf.data[pdf.offsets[num] : end]
    xref_at = len(out)
    out += b"xref\n"
    runs: list[list[tuple[int, bytes]]] = []
    for num, entry in pdf.entries:
        if runs and runs[-1][-1][0] + 1 == num:
            runs[-1].append((num, entry))
        else:
            runs.append([(num, entry)])
    for run in runs:
        out += b"%d %d\n" % (run[0][0], len(run))
        for num, entry in run:
            out += (b"%010d %b n \n" % (moved[num], entry[11:16])) if num in moved else entry + b" \n"
    out += b"trailer\n%b\nstartxref\n%d\n%%%%EOF\n" % (pdf.trailer, xref_at)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(out)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
