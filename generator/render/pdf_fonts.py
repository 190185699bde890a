"""Smaller embedded CJK fonts: empty the unused glyph slots of weasyprint's CFF subsets.

weasyprint subsets fonts with HarfBuzz keeping every glyph id (the PDF addresses CFF glyphs by CID, and
PDF viewers such as poppler take CID = glyph id), so a Noto CJK subset still has ~62,000 CharStrings
entries of one `endchar` byte each: ~120 KB per font after compression, three fonts per bulletin.
Here those unused entries become zero-length (the INDEX offsets then repeat and compress to almost
nothing); glyph ids, CIDs, widths and every used glyph stay byte for byte the same. A font whose layout
is not the expected one (charset, FDSelect, FDArray before CharStrings, Private DICTs after) is left as
it is.
"""

from __future__ import annotations

import io
import struct

import numpy as np

ENDCHAR = b"\x0e"


def _offsets(raw: bytes, size: int, count: int) -> np.ndarray:
    """`count` big-endian unsigned integers of `size` bytes (CFF INDEX offsets), vectorised."""
    cols = np.frombuffer(raw, dtype=np.uint8, count=count * size).reshape(count, size).astype(np.int64)
    out = np.zeros(count, dtype=np.int64)
    for i in range(size):
        out = (out << 8) | cols[:, i]
    return out


def _read_index(buf: bytes, pos: int) -> tuple[int, list[tuple[int, int]], int]:
    """(end, [(start, end) of each object], offSize) of the CFF INDEX at pos."""
    count = struct.unpack(">H", buf[pos:pos + 2])[0]
    if count == 0:
        return pos + 2, [], 0
    size = buf[pos + 2]
    offs = _offsets(buf[pos + 3:pos + 3 + (count + 1) * size], size, count + 1)
    base = pos + 3 + (count + 1) * size - 1
    starts = (offs[:-1] + base).tolist()
    ends = (offs[1:] + base).tolist()
    return base + int(offs[-1]), list(zip(starts, ends, strict=True)), size


def _write_index(items: list[bytes]) -> bytes:
    lengths = np.fromiter((len(i) for i in items), dtype=np.int64, count=len(items))
    offsets = np.concatenate(([1], 1 + np.cumsum(lengths)))
    total = int(offsets[-1])
    size = 1 if total < 1 << 8 else 2 if total < 1 << 16 else 3 if total < 1 << 24 else 4
    table = np.zeros((len(offsets), size), dtype=np.uint8)
    for i in range(size):
        table[:, size - 1 - i] = (offsets >> (8 * i)) & 0xFF
    return struct.pack(">HB", len(items), size) + table.tobytes() + b"".join(items)


def _dict_entries(b: bytes) -> list[tuple[object, list[tuple[int, int, int]]]]:
    """[(operator, [(value, start, end) of each operand])] of a CFF DICT (reals parsed as 0)."""
    out, ops, i = [], [], 0
    while i < len(b):
        b0 = b[i]
        start = i
        if b0 <= 21:
            op = (12, b[i + 1]) if b0 == 12 else b0
            i += 2 if b0 == 12 else 1
            out.append((op, ops))
            ops = []
            continue
        if b0 == 28:
            value, i = struct.unpack(">h", b[i + 1:i + 3])[0], i + 3
        elif b0 == 29:
            value, i = struct.unpack(">i", b[i + 1:i + 5])[0], i + 5
        elif b0 == 30:
            i += 1
            while not ((b[i] & 0x0F) == 0x0F or (b[i] >> 4) == 0x0F):
                i += 1
            value, i = 0, i + 1
        elif 32 <= b0 <= 246:
            value, i = b0 - 139, i + 1
        elif 247 <= b0 <= 250:
            value, i = (b0 - 247) * 256 + b[i + 1] + 108, i + 2
        elif 251 <= b0 <= 254:
            value, i = -(b0 - 251) * 256 - b[i + 1] - 108, i + 2
        else:
            raise ValueError(f"bad DICT byte {b0}")
        ops.append((value, start, i))
    return out


def _encode_like(value: int, old: bytes) -> bytes | None:
    """`value` in the same operand encoding (and so the same length) as `old`, or None."""
    b0 = old[0]
    if b0 == 29:
        return b"\x1d" + struct.pack(">i", value)
    if b0 == 28 and -32768 <= value <= 32767:
        return b"\x1c" + struct.pack(">h", value)
    if 32 <= b0 <= 246 and -107 <= value <= 107:
        return bytes([value + 139])
    if 247 <= b0 <= 250 and 108 <= value <= 1131:
        v = value - 108
        return bytes([247 + v // 256, v % 256])
    return None


def _slim_charstrings(cff: bytes, pos: int, keep: set[int]) -> tuple[int, bytes]:
    """(end of the CharStrings INDEX at pos, the same INDEX with unused bare endchars emptied)."""
    count = struct.unpack(">H", cff[pos:pos + 2])[0]
    size = cff[pos + 2]
    offs = _offsets(cff[pos + 3:pos + 3 + (count + 1) * size], size, count + 1)
    base = pos + 3 + (count + 1) * size - 1
    starts, lengths = offs[:-1] + base, np.diff(offs)
    data = np.frombuffer(cff, dtype=np.uint8)
    bare = (lengths == 1) & (data[np.minimum(starts, len(cff) - 1)] == ENDCHAR[0])
    wanted = np.zeros(count, dtype=bool)
    ids = np.fromiter((g for g in keep if 0 <= g < count), dtype=np.int64)
    wanted[ids] = True
    kept = ~bare | wanted
    new_offsets = np.concatenate(([1], 1 + np.cumsum(np.where(kept, lengths, 0))))
    total = int(new_offsets[-1])
    new_size = 1 if total < 1 << 8 else 2 if total < 1 << 16 else 3 if total < 1 << 24 else 4
    table = np.zeros((count + 1, new_size), dtype=np.uint8)
    for i in range(new_size):
        table[:, new_size - 1 - i] = (new_offsets >> (8 * i)) & 0xFF
    body = b"".join(cff[a:a + n] for a, n in zip(starts[kept].tolist(), lengths[kept].tolist(), strict=True))
    return base + int(offs[-1]), struct.pack(">HB", count, new_size) + table.tobytes() + body


def compact_cff(cff: bytes, keep: set[int]) -> bytes | None:
    """The CFF table with every CharStrings entry outside `keep` that is a bare endchar made empty."""
    _end, _names, _s = _read_index(cff, cff[2])
    _end2, tops, _s = _read_index(cff, _end)
    if len(tops) != 1:
        return None
    top = dict(_dict_entries(cff[tops[0][0]:tops[0][1]]))
    if (12, 30) not in top or 17 not in top or (12, 36) not in top:
        return None  # only CID-keyed fonts (Noto CJK)
    cs_start = top[17][0][0]
    if any(top[k][0][0] >= cs_start for k in (15, (12, 37), (12, 36)) if k in top):
        return None
    cs_end, new_index = _slim_charstrings(cff, cs_start, keep)
    delta = len(new_index) - (cs_end - cs_start)
    head = bytearray(cff[:cs_start])
    fd_end, fds, _s = _read_index(cff, top[(12, 36)][0][0])
    if fd_end > cs_start:
        return None
    for a, b in fds:
        for op, operands in _dict_entries(cff[a:b]):
            if op != 18 or len(operands) != 2:
                continue
            value, start, stop = operands[1]
            if value < cs_end:
                return None
            new = _encode_like(value + delta, cff[a + start:a + stop])
            if new is None:
                return None
            head[a + start:a + stop] = new
    return bytes(head) + new_index + cff[cs_end:]


def compact_font(data: bytes, keep: set[int]) -> bytes:
    """An OpenType-CFF font file with its CFF table compacted; the input when that is not possible."""
    if data[:4] != b"OTTO":
        return data
    from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

    reader = SFNTReader(io.BytesIO(data))
    tags = list(reader.keys())
    if "CFF " not in tags:
        return data
    try:
        cff = compact_cff(reader["CFF "], keep | {0})
    except (ValueError, IndexError, struct.error):
        cff = None
    if cff is None:
        return data
    out = io.BytesIO()
    writer = SFNTWriter(out, len(tags), sfntVersion=reader.sfntVersion)
    for tag in tags:
        writer[tag] = cff if tag == "CFF " else reader[tag]
    writer.close()
    return out.getvalue()


def install() -> None:
    """Make weasyprint compact every CFF subset it embeds (call once per worker process)."""
    try:
        from weasyprint.pdf import fonts

        original = fonts.Font.subset
    except (ImportError, AttributeError):  # another weasyprint layout: PDFs are only larger
        return
    if getattr(original, "_zhiqian", False):
        return

    def subset(self, to_unicode, hinting):
        original(self, to_unicode, hinting)
        if to_unicode:
            try:
                self.file_content = compact_font(self.file_content, set(to_unicode))
            except Exception:  # noqa: BLE001 - a size optimisation must never fail a render
                pass

    subset._zhiqian = True
    fonts.Font.subset = subset
