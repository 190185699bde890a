"""The checked records every later stage reads.

Records stay plain dicts shaped by their JSON Schema (schemas/*.schema.json is their
documentation); this module only groups them and derives the look-up tables every stage needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Document:
    """One loaded YAML file."""

    rel: str  # path relative to content/, posix
    kind: str  # schema kind (see paths.KIND_PATTERNS)
    data: Any
    node: Any = None  # yaml node tree, for line/column of findings


@dataclass
class Content:
    settings: dict
    town: dict
    taskforce: dict
    responsibilities: dict
    projects: dict[str, dict] = field(default_factory=dict)
    enterprises: dict[str, dict] = field(default_factory=dict)
    returns: dict[tuple[str, str], dict] = field(default_factory=dict)  # (month, unit) → return
    clues: list[dict] = field(default_factory=list)  # flattened; each carries "month"
    publicity: list[dict] = field(default_factory=list)  # newest first
    pages: dict[str, str] = field(default_factory=dict)  # pages/ relative path → Markdown text
    issued: dict[str, dict] = field(default_factory=dict)  # document key → issue record (content/issued/)
    root: Path | None = None  # the content/ folder it came from

    # derived look-ups -------------------------------------------------------
    # Built once per town/taskforce object and reused: stages call these in inner loops, and
    # rebuilding the dict on every call cost 100–300× a plain lookup at county scale.
    def _cached(self, key: str, source: Any, build: Any) -> Any:
        cache = self.__dict__.setdefault("_lookups", {})
        hit = cache.get(key)
        if hit is not None and hit[0] is source:
            return hit[1]
        value = build()
        cache[key] = (source, value)
        return value

    @property
    def units(self) -> dict[str, dict]:
        """Villages and departments by id; each dict gains "kind": "village" | "department"."""
        def build() -> dict[str, dict]:
            out: dict[str, dict] = {}
            for v in self.town.get("villages", []):
                out[v["id"]] = {**v, "kind": "village"}
            for d in self.town.get("departments", []):
                out[d["id"]] = {**d, "kind": "department"}
            return out
        return self._cached("units", self.town, build)

    @property
    def people(self) -> dict[str, dict]:
        return self._cached("people", self.taskforce,
                            lambda: {p["id"]: p for p in self.taskforce.get("people", [])})

    @property
    def reporting_units(self) -> list[dict]:
        """Units that file a monthly return, villages first, in file order."""
        return list(self._cached("reporting", self.town,
                                 lambda: [u for u in self.units.values() if u.get("reports_monthly")]))

    @property
    def sector_authorities(self) -> list[dict]:
        return list(self._cached("sector", self.town,
                                 lambda: [u for u in self.units.values() if u.get("sector_authority")]))

    @property
    def months(self) -> list[str]:
        """Every month that has at least one return, ascending."""
        return sorted({m for m, _ in self.returns})

    def unit_name(self, unit_id: str | None) -> str:
        if not unit_id:
            return ""
        u = self.units.get(unit_id)
        return u["name"] if u else unit_id

    def person_name(self, person_id: str | None) -> str:
        if not person_id:
            return ""
        p = self.people.get(person_id)
        return p["name"] if p else person_id

    def account_names(self) -> dict[str, str]:
        """Git account → the name of the person whose git_accounts list it: the one place this is decided
        (the submission board's "landed by", the internal pages' commit authors)."""
        return {a: p.get("name", pid) for pid, p in self.people.items() for a in p.get("git_accounts") or []}

    def active_projects(self) -> list[dict]:
        """Projects under construction (在建 or 停工: both still owe wages on site)."""
        return [p for p in self.projects.values() if p.get("status") != "完工"]


def assemble(documents: list[Document], pages: dict[str, str] | None = None,
             root: Path | None = None) -> Content:
    """Group loaded documents into one Content. Assumes the check stage found no errors."""
    single: dict[str, Any] = {}
    content = Content(settings={}, town={}, taskforce={}, responsibilities={}, pages=pages or {}, root=root)
    for doc in sorted(documents, key=lambda d: d.rel):
        data = doc.data
        if doc.kind in ("settings", "town", "taskforce", "responsibilities"):
            single[doc.kind] = data
        elif doc.kind == "project":
            content.projects[data["id"]] = data
        elif doc.kind == "enterprise":
            content.enterprises[data["id"]] = data
        elif doc.kind == "return":
            content.returns[(data["month"], data["unit"])] = data
        elif doc.kind == "clues":
            content.clues.extend({**c, "month": data["month"], "sample": data.get("sample", False)}
                                 for c in data.get("clues", []))
        elif doc.kind == "publicity":
            content.publicity.append(data)
        elif doc.kind == "issued":
            content.issued[data["document"]] = data
    content.settings = single.get("settings", {})
    content.town = single.get("town", {})
    content.taskforce = single.get("taskforce", {})
    content.responsibilities = single.get("responsibilities", {})
    content.publicity.sort(key=lambda e: (e["date"], e["id"]), reverse=True)
    return content
