"""Citations of laws in the public pages: 《法律名称》第N条, checked against settings.yaml's `regulations`.

A worker or a lawyer may act on an article number, so every page cites only articles the office has
listed (settings.yaml → regulations: law → articles cited). A page may name a law without an article;
an article number standing alone ("第三十条", no law before it) is reported too: nobody can tell which
law it belongs to. Articles are written in Chinese numerals as the laws are (第二百七十六条之一).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100}
_NUM = "[零〇一二两三四五六七八九十百0-9]+"
_ONE = rf"第({_NUM})条(?:之({_NUM}))?(?:第{_NUM}[款项])*"
# 《法》第一条、第二条和第三条 / 第五十四条至第五十七条: one law, several articles
_JOIN = r"\s*(?:、|，|和|及|至|到|或者|或)\s*"
_CITATION = re.compile(rf"《([^《》\n]{{2,40}})》\s*((?:{_ONE})(?:{_JOIN}(?:{_ONE}))*)")
_ARTICLE = re.compile(_ONE)
_RANGE = re.compile(rf"第({_NUM})条\s*(?:至|到)\s*第({_NUM})条")


def number(text: str) -> int:
    """三十四 → 34, 二百七十六 → 276, 十 → 10, 34 → 34."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def article_key(article: int | str) -> str:
    """The form settings.yaml lists articles in: 34, or "276之一" for an added article."""
    return str(article)


@dataclass(frozen=True)
class Citation:
    line: int  # 1-based line of the page
    column: int
    law: str
    article: str  # "34" or "276之一"
    text: str  # as written, for the message


def find(text: str) -> tuple[list[Citation], list[tuple[int, int, str]]]:
    """(citations, stray article numbers with no law before them) of one page, line by line."""
    cites: list[Citation] = []
    stray: list[tuple[int, int, str]] = []
    for n, line in enumerate(text.split("\n"), 1):
        covered: list[tuple[int, int]] = []
        for m in _CITATION.finditer(line):
            covered.append(m.span())
            law, refs = m.group(1), m.group(2)
            for article in _articles(refs):
                cites.append(Citation(n, m.start() + 1, law, article, m.group(0)))
        for m in _ARTICLE.finditer(line):
            if not any(a <= m.start() < b for a, b in covered):
                stray.append((n, m.start() + 1, m.group(0)))
    return cites, stray


def _articles(refs: str) -> list[str]:
    out: list[str] = []
    for m in _RANGE.finditer(refs):
        out += [str(i) for i in range(number(m.group(1)), number(m.group(2)) + 1)]
    for m in _ARTICLE.finditer(refs):
        key = str(number(m.group(1)))
        if m.group(2):
            key += "之" + m.group(2)
        out.append(key)
    return list(dict.fromkeys(out))


def listed(regulations: list | None) -> dict[str, set[str]]:
    """settings.yaml regulations → {law name (and each short name): {article keys}}."""
    out: dict[str, set[str]] = {}
    for reg in regulations or []:
        if not isinstance(reg, dict):
            continue
        articles = {article_key(a) for a in reg.get("articles") or []}
        for name in [reg.get("law"), *(reg.get("short_names") or [])]:
            if isinstance(name, str) and name:
                out.setdefault(name, set()).update(articles)
    return out


def problems(text: str, regulations: list | None) -> list[tuple[int, int, str]]:
    """(line, column, Chinese message) for every citation the regulation list does not hold."""
    known = listed(regulations)
    cites, stray = find(text)
    out = []
    for c in cites:
        if c.law not in known:
            out.append((c.line, c.column, f"引用了《{c.law}》，settings.yaml 的 regulations 中没有这部法律"
                                          "法规：请核对名称，或把它和所引条文登记进去。"))
        elif c.article not in known[c.law]:
            out.append((c.line, c.column, f"引用了《{c.law}》第{_zh(c.article)}条，settings.yaml 的 "
                                          "regulations 没有登记这一条：请核对原文；"
                                          "确实引用这一条的，登记后再用。"))
    for line, column, written in stray:
        out.append((line, column, f"“{written}”前面没有写明是哪部法律法规：请写成《法律名称》{written}。"))
    return out


def _zh(article: str) -> str:
    base, _, added = article.partition("之")
    return _to_zh(int(base)) + (f"之{added}" if added else "")


def _to_zh(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" + digits[rest] if rest < 10 else ("一" + _to_zh(rest) if rest < 20 else _to_zh(rest)))
