"""One detector of personal numbers, used for every output and at validate time.

Finds, in text brought to what a reader sees (see `normalise`):
- ID-card numbers: 18 digits with a valid GB 11643 check digit, and the old 15-digit form (area code,
  YYMMDD, sequence), plain or grouped with spaces, dashes or dots;
- mainland mobiles: 1[3-9]x xxxx xxxx, with +86 / 0086 / (+86) and spaces, dashes or dots;
- bank-card-like runs of 16–19 digits, Luhn-valid or not (account books and corporate accounts do not
  follow Luhn), except a Luhn-failing run inside a URL, which is an identifier of the linked page.

The check-digit and Luhn code is our own: python-stdnum's cn.ric rejects real 500230 (丰都) numbers of
people born before 1997 (it checks the area code against the date it was created).
Allowed numbers (published hotlines) are passed in as digit strings and never reported.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

ID = "身份证号"
MOBILE = "手机号"
CARD = "银行卡号"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits of a mainland (and HK/MO/TW) area code.
_PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                       "61 62 63 64 65 71 81 82 83".split())

_S = r"[ \-.]?"  # one optional separator between digit groups
_ID18_RE = re.compile(rf"(?<![0-9A-Za-z])([1-9]\d\d{_S}\d{{3}}{_S}\d{{4}}{_S}\d{{4}}{_S}\d{{3}}[\dXx])"
                      r"(?![0-9A-Za-z])")
_ID15_RE = re.compile(rf"(?<![0-9A-Za-z.])([1-9]\d{{5}}{_S}\d{{6}}{_S}\d{{3}})(?![0-9A-Za-z]|\.\d)")
_MOBILE_RE = re.compile(rf"(?<![0-9])(?:(?:\+|00)?86{_S}|\(\+?86\){_S})?(1[3-9]\d){_S}(\d{{4}}){_S}(\d{{4}})"
                        r"(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9])(\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{1,3})?|\d{6}[ \-]\d{10,13}|\d{16,19})"
                      r"(?![0-9])")
_URL_RE = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)

# Invisible characters a page may put between digits (jieba's U+200B in the search index, soft hyphens,
# zero-width joiners, word joiners, BOMs). Entities are decoded before this runs.
_INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]|<wbr\s*/?>", re.IGNORECASE)
_JSON_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
# Inline tags sitting between two digits (138<span>0000</span>0001): removed so the number is whole
# again. Only inline formatting: block and table boundaries (</td><td>) keep separate numbers apart.
_INLINE = "a|abbr|b|bdi|bdo|code|del|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|u|var|wbr|font"
_TAGS_BETWEEN_DIGITS_RE = re.compile(rf"(\d)\s*(?:</?(?:{_INLINE})\b[^<>]*>\s*)+(?=\d)", re.IGNORECASE)
# Full-width digits, hyphen, dot, plus, parentheses (a Chinese IME types １３８…); wide, non-breaking spaces.
_WIDE_RE = re.compile("[\uff10-\uff19\uff0d\uff0e\uff0b\uff08\uff09"
                      "\u00a0\u2000-\u200a\u202f\u3000\u2010-\u2015]")
_NARROW = {**{0xFF10 + i: str(i) for i in range(10)}, 0xFF0D: "-", 0xFF0E: ".", 0xFF0B: "+", 0xFF08: "(",
           0xFF09: ")", **dict.fromkeys(range(0x2010, 0x2016), "-"),
           **dict.fromkeys([0x00A0, *range(0x2000, 0x200B), 0x202F, 0x3000], " ")}
# Every number above has at least 11 digits (separators allowed between groups): find such runs
# first and look only at them, which keeps the scan of a large site to a few ms a page.
_CANDIDATE_RE = re.compile(r"[\d(+][\d \-.()+]{9,}[\dXx]")


def id_number_valid(number: str) -> bool:
    """GB 11643 check digit plus a plausible birth date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    return _date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def old_id_number_plausible(number: str) -> bool:
    """The 15-digit form has no check digit: a known province, then a real YYMMDD birth date."""
    return (len(number) == 15 and number.isdigit() and number[:2] in _PROVINCES
            and _date_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])))


def _date_ok(year: int, month: int, day: int) -> bool:
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def luhn_valid(number: str) -> bool:
    total = 0
    for i, d in enumerate(int(c) for c in reversed(number)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(number: str) -> str:
    """Keep enough to find the record, never the whole number."""
    keep_head = 3 if len(number) <= 11 else 4
    return number[:keep_head] + "*" * (len(number) - keep_head - 4) + number[-4:]


def phone_key(value: object) -> str:
    """Digits of a phone number as the detector reports it (a mobile without its +86)."""
    digits = "".join(c for c in normalise(str(value)) if c.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix):]
    return digits


@dataclass(frozen=True)
class Hit:
    kind: str  # ID | MOBILE | CARD
    digits: str  # the number without separators (upper-case X)

    @property
    def masked(self) -> str:
        return mask(self.digits)


def normalise(text: str) -> str:
    """What a reader sees: JSON escapes and HTML entities decoded (Markdown writes an e-mail autolink
    such as 13800000001@163.com as &#49;&#51;…), full-width characters folded to ASCII, invisible
    characters dropped, inline tags between digits removed."""
    if "\\u" in text:
        try:  # a whole JSON file: the C codec decodes its escapes far faster than a regex
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            text = _JSON_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "&" in text:
        text = html.unescape(text)
    if _WIDE_RE.search(text):
        text = text.translate(_NARROW)
    text = _INVISIBLE_RE.sub("", text)
    if "<" in text:
        text = _TAGS_BETWEEN_DIGITS_RE.sub(r"\1", text)
    return text


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit() or c in "Xx").upper()


def find(text: str, allowed: Iterable[str] = ()) -> list[Hit]:
    """Every personal number in `text`, in the order ID, mobile, card; `allowed` digit strings are skipped."""
    if not isinstance(allowed, (set, frozenset)):  # no copy of a set: the check calls this per public field
        allowed = set(allowed)
    text = normalise(text)
    hits: list[Hit] = []
    for cm in _CANDIDATE_RE.finditer(text):
        # the run with a character either side, so the boundary checks still see them
        lo = max(0, cm.start() - 1)
        chunk = text[lo:cm.end() + 1]
        urls = [m.span() for m in _URL_RE.finditer(text, max(0, lo - 2000), cm.end())
                if m.end() > lo]
        hits.extend(_find_in(chunk, lo, urls))
    order = {ID: 0, MOBILE: 1, CARD: 2}
    return sorted((h for h in hits if h.digits not in allowed), key=lambda h: order[h.kind])


def _find_in(chunk: str, offset: int, urls: list[tuple[int, int]]) -> list[Hit]:
    out: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for m in _ID18_RE.finditer(chunk):
        number = _digits(m.group(1))
        if id_number_valid(number):
            out.append(Hit(ID, number))
            taken.append(m.span())
    for m in _ID15_RE.finditer(chunk):
        number = _digits(m.group(1))
        if free(m) and old_id_number_plausible(number):
            out.append(Hit(ID, number))
            taken.append(m.span())
    for m in _MOBILE_RE.finditer(chunk):
        if free(m):
            out.append(Hit(MOBILE, "".join(m.groups())))
            taken.append(m.span())
    for m in _CARD_RE.finditer(chunk):
        number = _digits(m.group(1))
        if not (16 <= len(number) <= 19) or not free(m):
            continue
        at = offset + m.start()
        if not luhn_valid(number) and any(a <= at < b for a, b in urls):
            continue  # an identifier in a link (渝薪码 page), not an account written out
        out.append(Hit(ID if id_number_valid(number) else CARD, number))
        taken.append(m.span())
    return out
