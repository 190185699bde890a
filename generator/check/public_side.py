"""Public-side layer: what would reach the public site, checked at validate time on its YAML or Markdown line.

Decisions (issue 15, 1; issue 16, 4), each with the reason:
- a personal number (detect.py: ID card, mobile, bank-card-like run) in a field the schema marks public,
  or in content/pages/*.md, is an error: the build would stop on it anyway ("公开网站含有个人信息"), and
  the clerk needs the line, not the rendered HTML file. Numbers in public phone fields (hotlines in
  settings, units' complaint phones) are published on purpose and are never reported;
- a phone number written out in a page instead of its [[号码:…]] placeholder is a warning: it is public
  already, but it goes stale when settings.yaml changes the number, which is why README asks for the
  placeholder; a mobile that is not a published number is a personal number (the error above);
- an unknown placeholder, or [[号码:关键词]] that matches no hotline, is an error: the build fails on it;
- a citation (《法律》第N条) of an article settings.yaml's `regulations` does not list, or an article number
  with no law before it, is an error: workers act on these numbers (citations.py).
"""

from __future__ import annotations

import re

from generator import citations, detect, placeholders
from generator.findings import WARNING, Finding, at_field, at_mark
from generator.model import Document
from generator.paths import CONTENT

_LANDLINE = re.compile(r"(?<![\d])(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?\d{7,8}(?![\d])")
_RUN = re.compile(r"(?<![\d])\d{5,}(?![\d])")
_KNOWN = "、".join(["[[号码:热线名称中的关键词]]", *(f"[[{n}]]" for n in placeholders.WHOLE)])


def published_of(documents: list[Document], schemas: dict[str, dict]) -> set[str]:
    """The published numbers (public phone fields) of every loaded record: never reported."""
    from generator.public_fields import published_numbers

    return published_numbers([(d.data, schemas[d.kind]) for d in documents
                              if d.kind in schemas and isinstance(d.data, dict)])


def scan_records(documents: list[Document], schemas: dict[str, dict], published: set[str]) -> list[Finding]:
    """Personal numbers in the public fields of each record: judged on the record alone (given the
    schemas and the published numbers)."""
    from generator.public_fields import public_leaves_where

    out: list[Finding] = []
    for doc in documents:
        schema = schemas.get(doc.kind)
        if schema is None or not isinstance(doc.data, dict):
            continue
        file = f"{CONTENT}/{doc.rel}"
        for loc, value, sub in public_leaves_where(doc.data, schema, _may_hold_number):
            for hit in detect.find(str(value), published):
                name = next((p for p in reversed(loc) if isinstance(p, str)), "")
                title = sub.get("title") if isinstance(sub.get("title"), str) else name
                out.append(at_field(
                    "public.personal-number", file, loc,
                    f"字段“{title}”（{name}）是公开字段，会显示在公开网站上，其中有疑似{hit.kind}（{hit.masked}）："
                    "身份证号、手机号和银行卡号不得公开，请删去（需要留存的写在内部字段）。"))
    return out


def scan_pages(documents: list[Document], pages: dict[str, str], published: set[str],
               keep=None) -> list[Finding]:
    """The hand-written pages: personal numbers, numbers written out, placeholders and citations."""
    settings = next((d.data for d in documents if d.kind == "settings" and isinstance(d.data, dict)), {})
    # None: settings.yaml could not be read or has no list of hotlines (reported by the other layers),
    # so [[号码:…]] cannot be judged and is not reported as unknown.
    hotlines = settings.get("hotlines") if isinstance(settings.get("hotlines"), list) else None
    regulations = settings.get("regulations") if isinstance(settings.get("regulations"), list) else None
    out: list[Finding] = []
    for rel, text in sorted(pages.items()):
        if keep is not None and not keep(f"{CONTENT}/pages/{rel}"):
            continue
        out.extend(_page(f"{CONTENT}/pages/{rel}", text, published, hotlines))
        if regulations is not None:  # None: settings unreadable, reported by the other layers
            out.extend(at_mark("public.unknown-citation", f"{CONTENT}/pages/{rel}", line, column, message)
                       for line, column, message in citations.problems(text.lstrip("\ufeff"), regulations))
    return out


def _may_hold_number(text: str) -> bool:
    """False when detect.find cannot find a number in `text`: every number it finds has 11 or more
    characters, and normalising never lengthens a text without a JSON escape ("\\u…")."""
    return len(text) >= 11 or "\\" in text


def _page(file: str, text: str, published: set[str], hotlines: list | None) -> list[Finding]:
    names = {detect.phone_key(h.get("number")): str(h.get("name") or "") for h in hotlines or []
             if isinstance(h, dict) and h.get("number")}
    out: list[Finding] = []
    for n, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        for m in placeholders.PLACEHOLDER.finditer(line):
            problem = _unknown(m.group(1), hotlines)
            if problem:
                out.append(at_mark("public.unknown-placeholder", file, n, m.start() + 1, problem))
        plain = detect.normalise(placeholders.PLACEHOLDER.sub(" ", line))
        for hit in detect.find(plain):
            if hit.digits in published:
                out.append(_written_out(file, n, hit.digits, names))
            else:
                out.append(at_mark("public.personal-number", file, n, 1,
                                   f"公开网站页面中有疑似{hit.kind}（{hit.masked}）：身份证号、手机号和银行卡号"
                                   "不得公开，请删去。"))
        seen = {h.digits for h in detect.find(plain)}
        for m in [*_LANDLINE.finditer(plain), *_RUN.finditer(plain)]:
            digits = detect.phone_key(m.group())
            if digits not in seen and (m.re is _LANDLINE or digits in published):
                seen.add(digits)
                out.append(_written_out(file, n, m.group(), names))
    return out


def _written_out(file: str, line: int, number: str, names: dict[str, str]) -> Finding:
    name = names.get(detect.phone_key(number))
    fix = (f"请改用占位符 [[号码:{name}]]" if name else
           "请把它登记到 settings.yaml 的 hotlines，再用占位符 [[号码:热线名称中的关键词]]")
    return at_mark("public.number-written-out", file, line, 1,
                   f"页面直接写了电话号码 {number}：{fix}，号码由 settings.yaml 填入，改号时不会漏改。",
                   severity=WARNING)


def _unknown(inner: str, hotlines: list | None) -> str | None:
    name, arg = placeholders.split(inner)
    if name == placeholders.HOTLINE:
        if hotlines is not None and placeholders.find_hotline(hotlines, arg) is None:
            return f"占位符 [[{inner}]] 找不到名称含“{arg}”的热线：请核对 settings.yaml 中 hotlines 的名称。"
        return None
    if name in placeholders.WHOLE:
        return None
    return f"未知的占位符 [[{inner}]]，生成网站时会失败：可用的有 {_KNOWN}。"
