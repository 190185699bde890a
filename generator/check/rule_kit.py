"""What every rule of the rules layer shares: the well-formed-value readers, the date fields of each kind,
and Rules, which collects one document's findings."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from generator.check.refs import Context, text
from generator.findings import Finding, Loc, at_field
from generator.model import Document

_DATE = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")
ACTIVE = ("在建", "停工")
COORDINATOR, BAOBAO = "治欠协管员", "包保责任人"
# Measures 二（一）–（五） and requirements 三（一）–（四） of the town document.
SECTIONS = [f"二（{n}）" for n in "一二三四五"] + [f"三（{n}）" for n in "一二三四"]

# Where each kind keeps dates ("*" = every item of a list): checked for real calendar days.
DATE_FIELDS: dict[str, list[tuple]] = {
    "return": [("filled_on",), ("hazards", "*", "found_on"), ("hazards", "*", "deadline"),
               ("hazards", "*", "resolved_on"), ("amendments", "*", "date")],
    "clues": [("clues", "*", "received_on"), ("clues", "*", "handled_on")],
    "publicity": [("date",)],
    "project": [("start_date",), ("planned_completion",), ("completed_on",), ("notice_board", "posted_on"),
                ("dedicated_account", "opened_on"), ("dedicated_account", "closed_on"),
                ("deposit", "stored_on"), ("deposit", "notified_on"), ("deposit", "returned_on"),
                ("deposit", "movements", "*", "date"), ("platform", "connected_on"),
                ("rectifications", "*", "issued_on"), ("rectifications", "*", "deadline"),
                ("rectifications", "*", "completed_on"), ("violations", "*", "date"),
                ("violations", "*", "deadline"), ("violations", "*", "negative_credit_reported_on"),
                ("reported_to_office_on",)],
    "settings": [("as_of",), ("minimum_wage", "effective_date")],
}


def day(value: Any) -> str | None:
    """The value if it is a well-formed date string, else None (the schema layer reports it)."""
    return value if isinstance(value, str) and len(value) == 10 and _DATE.match(value) else None


def month_of(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) == 7 and _MONTH.match(value) else None


def month_after(month: str, n: int = 1) -> str:
    """"2024-12" moved by n months (n < 0: back); check/ may not read analyse/dates.py outside the time
    rules (tests/test_pipeline_boundaries.py), so the layers that pair months use this one."""
    y, m = int(month[:4]), int(month[5:7])
    i = y * 12 + (m - 1) + n
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def number(value: Any) -> float | None:
    """A count or amount the schema accepts (a non-negative number), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10**15:
        return value  # larger ones are reported by rules_numbers.py
    return None


def mappings(documents: list[Document]):
    """(kind, "content/<rel>", data) for every document whose data is a mapping (the schema layer reports
    the others): the loop each rules module starts with."""
    for doc in documents:
        if isinstance(doc.data, dict):
            yield doc.kind, f"content/{doc.rel}", doc.data


def file_stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class Rules:
    def __init__(self, ctx: Context, doc: Document, out: list[Finding]):
        self.ctx, self.doc, self.out = ctx, doc, out
        self.file = f"content/{doc.rel}"

    def add(self, code: str, loc: Loc, message: str, *, severity: str = "error") -> None:
        self.out.append(at_field(code, self.file, loc, message, severity=severity))

    # --- helpers shared by kinds ---
    def dates_exist(self, data: dict) -> None:
        for template in DATE_FIELDS.get(self.doc.kind, ()):
            # Values first (cheap); locations only for the rare impossible date.
            if any(_impossible(v) for v in _values(data, template)):
                for loc, value in _expand(data, template, ()):
                    if _impossible(value):
                        self.add("date.invalid", loc, f"{value} 不是日历上存在的日期。")

    def id_matches_file(self, data: dict, what: str) -> None:
        v, stem = text(data.get("id")), file_stem(self.doc.rel)
        if v is not None and v != stem:
            self.add(f"{self.doc.kind}.id-mismatch", ("id",),
                     f"{what}编号“{v}”与文件名“{stem}.yaml”不一致：文件名应为“{v}.yaml”，"
                     f"或把编号改为“{stem}”。")

    def roles(self, data: dict, kind_zh: str) -> None:
        people = self.ctx.people or {}
        for key, role in (("coordinator", COORDINATOR), ("baobao", BAOBAO)):
            pid = text(data.get(key))
            person = people.get(pid) if pid else None
            if person is None:
                continue
            roles = person.get("roles") if isinstance(person.get("roles"), list) else []
            if role not in roles:
                self.add(f"{self.doc.kind}.{key}-role", (key,),
                         f"{kind_zh}的{role}“{pid}”（{person.get('name', '')}）在名册中没有“{role}”角色："
                         f"请在 content/taskforce.yaml 给此人加上这个角色，或改填名册里的{role}。")


def _impossible(value: Any) -> bool:
    """A well-formed date string naming a day the calendar lacks (2024-02-30)."""
    if isinstance(value, str) and len(value) == 10 and value[8:] > "28" and _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            return True
    return False


def _values(data: Any, template: tuple) -> list:
    items = [data]
    for part in template:
        if part == "*":
            items = [x for v in items if isinstance(v, list) for x in v]
        else:
            items = [v[part] for v in items if isinstance(v, dict) and part in v]
        if not items:
            break
    return items


def _expand(data: Any, template: tuple, prefix: Loc):
    """(loc, value) for every place a template with "*" wildcards reaches."""
    if not template:
        yield prefix, data
        return
    head, rest = template[0], template[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _expand(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _expand(data[head], rest, prefix + (head,))


EMPTY: frozenset[str] = frozenset()
