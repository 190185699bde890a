"""Numbers too large to calculate with: one finding each, instead of a crash later on.

No count or amount of the office comes near 10^15 (a thousand trillion yuan; float arithmetic stops being
exact at ~9×10^15), so a number at or beyond it is a typing or pasting mistake. The office reads it as an
error: the 通报 would print it and every total with it would be wrong. The loader keeps numbers longer than
MAX_NUMBER_CHARS as TooLong (infinite), so even a 5000-digit number costs nothing to read.
"""

from __future__ import annotations

import math
from typing import Any

from generator.findings import Finding, Loc, at_field
from generator.model import Document
from generator.yaml_tags import TooLong

LIMIT = 10**15


def too_large(value: Any) -> bool:
    """A number (not a bool) that is infinite, not a number, or 10^15 and beyond in size."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) >= LIMIT
    return abs(value) >= LIMIT


def _shown(value: Any) -> str:
    if isinstance(value, TooLong):
        digits = value.text
    elif isinstance(value, float) and not math.isfinite(value):
        digits = str(value)
    elif isinstance(value, float):
        digits = f"{value:.6g}"
    else:
        digits = str(abs(value)) if value.bit_length() < 3000 else "…"
    count = sum(c.isdigit() for c in digits)
    head = digits if len(digits) <= 20 else digits[:12] + "…"
    return f"{head}（{count} 位）" if count > 15 else f"{head} "


def _walk(value: Any, loc: Loc, out: list[tuple[Loc, Any]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, loc + (k,), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, loc + (i,), out)
    elif too_large(value):
        out.append((loc, value))


def check(documents: list[Document], suspects: set[str] | None = None) -> list[Finding]:
    """`suspects`: content-relative paths whose text may hold such a number (None: every file)."""
    out: list[Finding] = []
    for doc in documents:
        if suspects is not None and doc.rel not in suspects:
            continue
        found: list[tuple[Loc, Any]] = []
        _walk(doc.data, (), found)
        for loc, value in found:
            out.append(at_field(
                "number.too-large", f"content/{doc.rel}", loc,
                f"数字 {_shown(value)}太大：人数、金额都不会达到 16 位（1000 万亿），"
                "请核对是否多打了数字或粘贴错了内容。"))
    return out


def one_per_value(findings: list[Finding]) -> list[Finding]:
    """A number too large is reported once: not again as the wrong type or over a maximum."""
    big = {(f.file, f.path) for f in findings if f.code == "number.too-large"}
    if not big:
        return findings
    return [f for f in findings if not (f.code.startswith("schema.") and (f.file, f.path) in big)]
