"""Privacy, two lines of defence for the public site.

1. `public_view`: a copy of the content holding only the fields the JSON Schemas mark "x-public"
   (a nested field only when every ancestor is public too). The public renderer sees nothing else.
2. `scan_site`: a scan of the built site for ID-card numbers (valid check digit), mainland mobile
   numbers and bank-card numbers (Luhn). Any hit fails the build.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from generator.model import Content

# Content attribute → schema kind, for the records that are dicts (or dicts of dicts).
_SINGLE = ("settings", "town", "taskforce", "responsibilities")
_MANY = {"projects": "project", "enterprises": "enterprise", "returns": "return"}


# --------------------------------------------------------------------------- public view

def load_schemas(schemas_dir: Path) -> dict[str, dict]:
    """kind → schema, from schemas/<kind>.schema.json."""
    out = {}
    for path in sorted(Path(schemas_dir).glob("*.schema.json")):
        out[path.name.removesuffix(".schema.json")] = json.loads(path.read_text(encoding="utf-8"))
    return out


def _resolve(schema: Any, root: dict) -> dict:
    """Follow local $ref and merge object branches of allOf/anyOf/oneOf, so properties are found."""
    if not isinstance(schema, dict):
        return {}
    seen = 0
    while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and seen < 20:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        seen += 1
    branches = [b for key in ("allOf", "anyOf", "oneOf") for b in schema.get(key, [])]
    if branches:
        merged = dict(schema)
        props = dict(schema.get("properties", {}))
        for branch in branches:
            b = _resolve(branch, root)
            props.update(b.get("properties", {}))
            if "items" in b and "items" not in merged:
                merged["items"] = b["items"]
        if props:
            merged["properties"] = props
        schema = merged
    return schema


def _filter(value: Any, schema: Any, root: dict) -> Any:
    """Keep only public parts of `value`; `schema` is the (public) field's own schema."""
    schema = _resolve(schema, root)
    if isinstance(value, dict):
        props = schema.get("properties")
        if props is None:
            # A public free-form map (e.g. numbers by year): its author marked it public whole.
            return dict(value) if not any(isinstance(v, (dict, list)) for v in value.values()) else {}
        out = {}
        for key, sub in value.items():
            sub_schema = _resolve(props.get(key), root)
            if sub_schema.get("x-public") is True:
                out[key] = _filter(sub, sub_schema, root)
        return out
    if isinstance(value, list):
        item_schema = schema.get("items", {})
        return [_filter(v, item_schema, root) for v in value]
    return value


def public_record(data: dict, schema: dict) -> dict:
    """One record reduced to its public fields (the schema root counts as public)."""
    return _filter(data, schema, schema)


def public_view(content: Content, schemas_dir: Path) -> Content:
    """A new Content with only x-public fields. Clues have no public field: they are dropped."""
    schemas = load_schemas(schemas_dir)

    def view(data: dict, kind: str) -> dict:
        if kind not in schemas:  # no schema, no proof that anything is public
            return {}
        return public_record(data, schemas[kind])

    single = {name: view(getattr(content, name) or {}, name) for name in _SINGLE}
    many = {name: {key: view(rec, kind) for key, rec in getattr(content, name).items()}
            for name, kind in _MANY.items()}
    publicity = [view(e, "publicity") for e in content.publicity]
    # Built field by field, not with dataclasses.replace: a field added to Content later stops the
    # build here until someone decides what of it is public, instead of passing through unfiltered.
    handled = {**single, **many, "publicity": publicity, "clues": [], "pages": dict(content.pages),
               "root": content.root}
    unknown = {f.name for f in fields(content) if f.init} - handled.keys()
    if unknown:
        raise TypeError(f"public_view: are these Content fields public? {sorted(unknown)}")
    return type(content)(**handled)


# --------------------------------------------------------------------------- site scan

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9])(\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?)(?![0-9])")
# Invisible characters a page may put between digits (jieba's U+200B in the search index, soft hyphens,
# zero-width joiners, word joiners, BOMs). Entities are decoded before this runs.
_INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]|<wbr\s*/?>", re.IGNORECASE)
# JSON string escapes (the search index may write "\u200b" or "\u0031"), decoded before scanning.
_JSON_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
# Inline tags sitting between two digits (138<span>0000</span>0001): removed so the number is whole
# again. Only inline formatting: block and table boundaries (</td><td>) keep separate numbers apart.
_INLINE = "a|abbr|b|bdi|bdo|code|del|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|u|var|wbr|font"
_TAGS_BETWEEN_DIGITS_RE = re.compile(rf"(\d)\s*(?:</?(?:{_INLINE})\b[^<>]*>\s*)+(?=\d)", re.IGNORECASE)
# Full-width digits and hyphen (a Chinese IME types １３８…) and the wide or non-breaking spaces.
_WIDE_RE = re.compile("[\uff10-\uff19\uff0d\u00a0\u2000-\u200a\u202f\u3000]")
_NARROW = {**{0xFF10 + i: str(i) for i in range(10)}, 0xFF0D: "-",
           **dict.fromkeys([0x00A0, *range(0x2000, 0x200B), 0x202F, 0x3000], " ")}

# Every number below has at least 11 digits in a row (spaces or hyphens allowed between groups):
# find such runs first, then look only at them. Scanning whole pages with the lookbehind patterns
# cost ~25 ms a page on a 250-page site; this pre-pass brings the scan down to a few ms a page.
_CANDIDATE_RE = re.compile(r"\d[\d \-]{9,}[\dXx]")

SCANNED_SUFFIXES = (".html", ".htm", ".json", ".xml", ".txt", ".js", ".csv")


def id_number_valid(number: str) -> bool:
    """GB 11643 check digit plus a plausible birth date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask(number: str) -> str:
    """Keep enough to find the record, never the whole number."""
    keep_head = 3 if len(number) <= 11 else 4
    return number[:keep_head] + "*" * (len(number) - keep_head - 4) + number[-4:]


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the scanned folder, posix
    kind: str  # 身份证号 | 手机号 | 银行卡号
    masked: str

    @property
    def message(self) -> str:
        return f"{self.file}：发现疑似{self.kind}（{self.masked}），公开网站不得包含个人信息。"


def _normalise(text: str) -> str:
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


def scan_text(text: str) -> list[tuple[str, str]]:
    """(kind, masked number) for every personal number found in `text`.

    The text is first brought to what a reader sees: JSON escapes and HTML entities decoded
    (Markdown writes an e-mail autolink such as 13800000001@163.com as &#49;&#51;…), full-width
    digits folded to ASCII (staff type １３８… with a Chinese IME), invisible characters
    dropped, and inline tags between digits removed.
    """
    text = _normalise(text)
    # one line per candidate run, with a character either side so the boundary checks still see them
    text = "\n".join(text[max(0, m.start() - 1):m.end() + 1] for m in _CANDIDATE_RE.finditer(text))
    hits: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _ID_RE.finditer(text):
        if id_number_valid(m.group(1)):
            hits.append(("身份证号", mask(m.group(1))))
            taken.append(m.span())
    for m in _MOBILE_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            number = "".join(m.groups())
            hits.append(("手机号", mask(number)))
            taken.append(m.span())
    for m in _CARD_RE.finditer(text):
        number = re.sub(r"[ -]", "", m.group(1))
        if 16 <= len(number) <= 19 and not any(a <= m.start() < b for a, b in taken) and luhn_valid(number):
            hits.append(("银行卡号", mask(number)))
    return hits


def scan_site(directory: Path) -> list[Problem]:
    """Every personal number in the built HTML/JSON (and other text files) under `directory`."""
    directory = Path(directory)
    problems: list[Problem] = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SCANNED_SUFFIXES:
            continue
        if path.suffix == ".js" and "assets/javascripts" in path.as_posix():
            continue  # the theme's own minified code, not ours
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(directory).as_posix()
        problems.extend(Problem(rel, kind, masked) for kind, masked in scan_text(text))
    return problems
