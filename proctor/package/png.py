"""A minimal PNG encoder (zlib + struct) and the placeholder ID photo of demo packages."""

from __future__ import annotations

import struct
import zlib

Rgb = tuple[int, int, int]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_rgb(width: int, height: int, pixels: bytes) -> bytes:
    """8-bit RGB PNG from row-major pixel bytes (3 per pixel)."""
    if len(pixels) != width * height * 3:
        raise ValueError("pixel data does not match the size")
    return _assemble(width, height, 2, None, _idat(width * 3, height, pixels))


def encode_indexed(width: int, height: int, palette: list[Rgb], indices: bytes) -> bytes:
    """8-bit palette PNG from row-major palette indices (1 byte per pixel)."""
    if len(indices) != width * height or not 1 <= len(palette) <= 256:
        raise ValueError("index data does not match the size, or bad palette")
    return _assemble(width, height, 3, b"".join(bytes(c) for c in palette), _idat(width, height, indices))


def _idat(row_bytes: int, height: int, pixels: bytes) -> bytes:
    # Filter type 0 (none) on every row: the images are flat colour, zlib does the rest.
    raw = b"".join(b"\x00" + pixels[y * row_bytes : (y + 1) * row_bytes] for y in range(height))
    return zlib.compress(raw, 9)


def _assemble(width: int, height: int, colour_type: int, plte: bytes | None, idat: bytes) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
        + (_chunk(b"PLTE", plte) if plte else b"")
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


_BACKGROUND, _HAIR, _FIGURE = 0, 1, 2
_masks: dict[tuple[int, int, bool], bytes] = {}


def _silhouette_mask(width: int, height: int, female: bool) -> bytes:
    key = (width, height, female)
    if key in _masks:
        return _masks[key]
    cx = width / 2
    head_cy, head_rx, head_ry = height * 0.40, width * 0.19, height * 0.175
    body_cy, body_rx, body_ry = height * 1.0, width * 0.46, height * 0.36
    out = bytearray()
    for y in range(height):
        for x in range(width):
            dx, yy = x + 0.5 - cx, y + 0.5
            v = _BACKGROUND
            # Longer hair behind the head, down to the shoulders.
            if female and (dx / (head_rx * 1.3)) ** 2 + ((yy - head_cy - height * 0.07) / (head_ry * 1.4)) ** 2 <= 1:
                v = _HAIR
            if (dx / body_rx) ** 2 + ((yy - body_cy) / body_ry) ** 2 <= 1:
                v = _FIGURE
            if abs(dx) <= width * 0.08 and head_cy < yy < body_cy - body_ry + 6:
                v = _FIGURE  # neck
            if (dx / head_rx) ** 2 + ((yy - head_cy) / head_ry) ** 2 <= 1:
                v = _FIGURE
            out.append(v)
    _masks[key] = bytes(out)
    return _masks[key]


def silhouette(background: Rgb, female: bool, width: int = 90, height: int = 120) -> bytes:
    """A plain head-and-shoulders silhouette on a tinted background, as an ID-photo stand-in."""
    palette = [background, (62, 64, 70), (92, 96, 104)]
    return encode_indexed(width, height, palette, _silhouette_mask(width, height, female))
