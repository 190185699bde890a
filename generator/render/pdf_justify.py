"""Justified Chinese body text in weasyprint, 28 characters a line (GB/T 9704: 22 lines × 28 characters).

weasyprint justifies a line by widening its spaces only, and Chinese has none. So every break opportunity
between two characters, where one of them is Chinese, gets a space whose net width is zero (CSS
word-spacing cancels the font's space advance and the letter-spacing): invisible, not in the extracted
text, but expandable, so each line but a paragraph's last is spread to the full type area width. Where a
line must not break (before a closing mark such as ，。、 or after an opening one such as （“) the space is
a no-break space, which weasyprint expands too.

The letter-spacing is set so that 28 characters fit with room for the one more that weasyprint's line
breaking measures; justification then spreads them to exactly 156 mm (28 × 15.79 pt).
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_AREA_PT = 156 * 72 / 25.4
FONT_PT = 16
CHARS = 28
# weasyprint breaks a line once n + 1 characters would not fit: 29 × pitch ≤ the type area width
LETTER_SPACING_PT = round(TYPE_AREA_PT / (CHARS + 1) - FONT_PT + 0.005, 3)
INDENT_PT = round(2 * (FONT_PT + LETTER_SPACING_PT), 3)  # two characters, at that pitch

_CJK = re.compile("[\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_NO_BREAK_BEFORE = set("，。、；：？！）」』”’》〕】…—％")
_NO_BREAK_AFTER = set("（「『“‘《〔【")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S)
_TAG = re.compile(r"(<[^>]+>)")


def spaced(text: str) -> str:
    """Text with a zero-width expandable space at every break between characters, one of them Chinese."""
    out = []
    for a, b in zip(text, text[1:] + " ", strict=True):
        out.append(a)
        if b == " " or a.isspace() or b.isspace() or not (_CJK.match(a) or _CJK.match(b)):
            continue
        out.append("\u00a0" if b in _NO_BREAK_BEFORE or a in _NO_BREAK_AFTER else " ")
    return "".join(out)


def justify_paragraphs(html: str) -> str:
    """Every <p> of a document with its text spaced (tags and entities untouched)."""
    def one(m: re.Match) -> str:
        parts = _TAG.split(m.group(2))
        return m.group(1) + "".join(p if p.startswith("<") else spaced(p) for p in parts) + m.group(3)

    return _PARAGRAPH.sub(one, html)


@lru_cache(maxsize=8)
def space_em(path: str | None, family: str) -> float:
    """The advance of the space in the font that body text uses, in em (0.25 when it cannot be read)."""
    if not path:
        return 0.25
    try:
        from fontTools.ttLib import TTCollection, TTFont

        fonts = TTCollection(path).fonts if path.lower().endswith((".ttc", ".otc")) else [TTFont(path)]
        for font in fonts:
            names = {n.toUnicode() for n in font["name"].names if n.nameID in (1, 16)}
            if family in names or len(fonts) == 1:
                glyph = font.getBestCmap().get(32)
                return font["hmtx"][glyph][0] / font["head"].unitsPerEm
    except Exception:  # an unreadable font file: the common value keeps the text usable
        return 0.25
    return 0.25


def word_spacing_pt(space: float) -> float:
    """Cancels the space (its advance and its letter-spacing): the inserted spaces take no room."""
    return round(-(space * FONT_PT + LETTER_SPACING_PT), 3)
