"""Reference layer: every id points at something that exists, and ids are unique within their kind.

Runs on every loaded document, valid or not, and reads values defensively: a value of the wrong
type was already reported by the schema layer and is skipped here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator import hints
from generator.check.names import by_name, by_short_name
from generator.findings import Finding, Loc, at_field, at_mark, format_path, shown_path
from generator.model import Document
from generator.paths import kind_of

GROUP_TOKENS = ("全体村（社区）", "行业主管部门")
SINGLETONS = {"settings": "settings.yaml", "town": "town.yaml", "taskforce": "taskforce.yaml",
              "responsibilities": "responsibilities.yaml"}


def dicts(value: Any) -> Iterator[tuple[int, dict]]:
    """(index, item) for the dict items of a list; anything else yields nothing."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def strings(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield i, item


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass
class Context:
    """Indices of the whole tree: what ids exist (None when the file that defines them is unusable)."""

    documents: list[Document]
    single: dict[str, dict] = field(default_factory=dict)  # kind → data of settings/town/…
    villages: dict[str, dict] | None = None
    departments: dict[str, dict] | None = None
    people: dict[str, dict] | None = None
    projects: dict[str, dict] = field(default_factory=dict)
    enterprises: dict[str, dict] = field(default_factory=dict)
    units: dict[str, dict] | None = None  # villages and departments together
    # What lies in each unit's area: project ids by village and by authority, enterprises by village.
    village_projects: dict[str, set[str]] = field(default_factory=dict)
    authority_projects: dict[str, set[str]] = field(default_factory=dict)
    village_enterprises: dict[str, set[str]] = field(default_factory=dict)
    # Projects whose own village or authority is wrong (reported on the project): no area checks.
    misplaced: set[str] = field(default_factory=set)
    # Ids of project/enterprise files that exist but could not be loaded: references to them are not
    # reported (the file's own error is), so one broken file does not flood the returns.
    unloaded: set[str] = field(default_factory=set)
    clues: set[str] = field(default_factory=set)  # every clue id, for same_as

    @classmethod
    def build(cls, documents: list[Document], files: list[str] = ()) -> Context:
        """Indices of `documents`; `files` (content-relative) tells which files exist at all."""
        ctx = cls(documents=documents)
        loaded = {doc.rel for doc in documents}
        from generator.load import intended_name  # a misnamed file is reported once, by the loader

        ctx.unloaded = {_stem(intended_name(rel)) for rel in files if rel not in loaded
                        and kind_of(intended_name(rel)) in ("project", "enterprise")}
        for doc in documents:
            data = doc.data if isinstance(doc.data, dict) else {}
            if doc.kind in SINGLETONS:
                if isinstance(doc.data, dict):  # else unusable: its schema finding says why
                    ctx.single[doc.kind] = data
            elif doc.kind == "project":
                ctx.projects[text(data.get("id")) or _stem(doc.rel)] = data
            elif doc.kind == "enterprise":
                ctx.enterprises[text(data.get("id")) or _stem(doc.rel)] = data
            elif doc.kind == "clues":
                ctx.clues.update(text(c.get("id")) for _, c in dicts(data.get("clues")) if text(c.get("id")))
        for pid, p in ctx.projects.items():
            for key, index in (("village", ctx.village_projects), ("authority", ctx.authority_projects)):
                if text(p.get(key)):
                    index.setdefault(p[key], set()).add(pid)
        for eid, e in ctx.enterprises.items():
            if text(e.get("village")):
                ctx.village_enterprises.setdefault(e["village"], set()).add(eid)
        town = ctx.single.get("town")
        if town is not None and isinstance(town.get("villages"), list) \
                and isinstance(town.get("departments"), list):
            ctx.villages = {v["id"]: v for _, v in dicts(town.get("villages")) if text(v.get("id"))}
            ctx.departments = {d["id"]: d for _, d in dicts(town.get("departments")) if text(d.get("id"))}
            ctx.units = {**ctx.villages, **ctx.departments}
            authorities = {k for k, d in ctx.departments.items() if d.get("sector_authority") is True}
            ctx.misplaced = {pid for pid, p in ctx.projects.items()
                             if text(p.get("village")) not in ctx.villages
                             or text(p.get("authority")) not in authorities}
        taskforce = ctx.single.get("taskforce")
        if taskforce is not None and isinstance(taskforce.get("people"), list):
            ctx.people = {p["id"]: p for _, p in dicts(taskforce.get("people")) if text(p.get("id"))}
        return ctx

    @property
    def town_name(self) -> str:
        """兴义 for 兴义镇: the prefix clerks leave out of project names."""
        name = text((self.single.get("town") or {}).get("name")) or ""
        return name[:-1] if name.endswith("镇") else name

    def unit_name(self, unit_id: str) -> str:
        u = (self.units or {}).get(unit_id)
        return u.get("name", unit_id) if u else unit_id


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _guess(value: str, options: dict[str, dict] | list[str], name_key: str = "name") -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    if not close:
        return ""
    item = options.get(close[0]) if isinstance(options, dict) else None
    label = f"（{item.get(name_key)}）" if isinstance(item, dict) and item.get(name_key) else ""
    return f"是不是“{close[0]}”{label}？"


def _instead(value: str, options: dict[str, dict] | None, what: str, town: str | None = None) -> str:
    """“应写单位编号 changjiang（长江）” when a name was written for an id; else why it cannot be one.
    With `town` (projects, enterprises), a shortened name is matched too and its id suggested."""
    ids = by_name(value, options)
    if ids:
        shown = "或".join(f"{k}（{options[k].get('name')}）" for k in ids)
        return f"这里要写编号，不是名称：应写{what}编号 {shown}。"
    near = by_short_name(value, options, town) if town is not None else []
    if near:
        pid, name = near[0], options[near[0]].get("name")
        return f"这里要写编号，不是名称：“{value}”看起来是{what} {pid}（{name}），请写它的编号 {pid}。"
    advice = hints.id_advice(value)
    return f"{advice}。" if advice else ""


class _Refs:
    """Collects reference findings for one document."""

    def __init__(self, ctx: Context, doc: Document, out: list[Finding]):
        self.ctx, self.file, self.out = ctx, f"content/{doc.rel}", out

    def unit(self, value: Any, loc: Loc, *, village: bool = False, authority: bool = False,
             groups: bool = False) -> None:
        v = text(value)
        units = self.ctx.units
        if v is None or units is None or (groups and v in GROUP_TOKENS):
            return
        if v not in units:
            pool = self.ctx.villages if village else units
            extra = "或“全体村（社区）”“行业主管部门”" if groups else ""
            what = "村（社区）" if village else "单位"
            instead = _instead(v, units, what)
            self.out.append(at_field(
                "ref.unknown-unit", self.file, loc,
                f"找不到编号为“{v}”的{what}：{instead}" if instead else
                f"找不到编号为“{v}”的{what}：{_guess(v, pool or {})}"
                "请填写 content/town.yaml "
                f"里已有的{'村（社区）' if village else '村（社区）或镇级部门'}编号{extra}。"))
        elif village and v not in (self.ctx.villages or {}):
            self.out.append(at_field(
                "ref.not-a-village", self.file, loc,
                f"“{v}”（{self.ctx.unit_name(v)}）是镇级部门，这里应填写村（社区）编号。"))
        elif authority and not (v in (self.ctx.departments or {})
                                and units[v].get("sector_authority") is True):
            departments = (self.ctx.departments or {}).values()
            names = "、".join(f"{d['id']}（{d.get('name', '')}）" for d in departments
                             if d.get("sector_authority") is True)
            self.out.append(at_field(
                "ref.not-an-authority", self.file, loc,
                f"“{v}”（{self.ctx.unit_name(v)}）不是工程建设项目的行业主管部门：应为 {names} 之一。"))

    def person(self, value: Any, loc: Loc) -> None:
        v = text(value)
        people = self.ctx.people
        if v is None or people is None or v in people:
            return
        instead = _instead(v, people, "人员")
        self.out.append(at_field(
            "ref.unknown-person", self.file, loc,
            f"找不到编号为“{v}”的人员：{instead}" if instead else
            f"找不到编号为“{v}”的人员：{_guess(v, people)}人员须先登记在 content/taskforce.yaml "
            "的人员名录（people）里。"))

    def project(self, value: Any, loc: Loc) -> None:
        v = text(value)
        if v is None or v in self.ctx.projects or v in self.ctx.unloaded:
            return
        instead = _instead(v, self.ctx.projects, "项目", self.ctx.town_name)
        self.out.append(at_field(
            "ref.unknown-project", self.file, loc,
            f"找不到编号为“{v}”的项目：{instead}" if instead else
            f"找不到编号为“{v}”的项目：{_guess(v, self.ctx.projects)}项目须先登记为 "
            f"content/projects/{v}.yaml。"))

    def enterprise(self, value: Any, loc: Loc) -> None:
        v = text(value)
        if v is None or v in self.ctx.enterprises or v in self.ctx.unloaded:
            return
        instead = _instead(v, self.ctx.enterprises, "企业", self.ctx.town_name)
        self.out.append(at_field(
            "ref.unknown-enterprise", self.file, loc,
            f"找不到编号为“{v}”的企业：{instead}" if instead else
            f"找不到编号为“{v}”的企业：{_guess(v, self.ctx.enterprises)}"
            f"企业须先登记为 content/enterprises/{v}.yaml。"))

    def unique(self, items: Iterator[tuple[int, dict]], base: Loc, what: str) -> None:
        """Ids of the dict items at base[i].id must differ."""
        first: dict[str, int] = {}
        for i, item in items:
            v = text(item.get("id"))
            if v is None:
                continue
            if v in first:
                self.out.append(at_field(
                    "ref.duplicate-id", self.file, base + (i, "id"),
                    f"{what}编号“{v}”重复：第 {first[v] + 1} 条已经用过，请换一个编号。"))
            else:
                first[v] = i


# --- per kind ------------------------------------------------------------------------------
def _return(r: _Refs, d: dict) -> None:
    r.unit(d.get("unit"), ("unit",))
    r.person(d.get("filled_by"), ("filled_by",))
    r.person(d.get("approved_by"), ("approved_by",))
    for i, a in dicts(d.get("amendments")):
        r.person(a.get("by"), ("amendments", i, "by"))
    # A county return lists ~10 checked ids, nearly always known: look them up before building a location.
    known, unloaded = r.ctx.projects, r.ctx.unloaded
    for i, p in strings(d.get("checked_projects")):
        if p not in known and p not in unloaded:
            r.project(p, ("checked_projects", i))
    known = r.ctx.enterprises
    for i, e in strings(d.get("checked_enterprises")):
        if e not in known and e not in unloaded:
            r.enterprise(e, ("checked_enterprises", i))
    for i, h in dicts(d.get("hazards")):
        r.project(h.get("project"), ("hazards", i, "project"))
        r.enterprise(h.get("enterprise"), ("hazards", i, "enterprise"))
    r.unique(dicts(d.get("hazards")), ("hazards",), "隐患")


def _clues(r: _Refs, d: dict) -> None:
    for i, c in dicts(d.get("clues")):
        r.project(c.get("project"), ("clues", i, "project"))
        r.enterprise(c.get("enterprise"), ("clues", i, "enterprise"))
        r.unit(c.get("village"), ("clues", i, "village"), village=True)
        same = text(c.get("same_as"))
        if same is not None and (same not in r.ctx.clues or same == text(c.get("id"))):
            r.out.append(at_field("ref.unknown-clue", r.file, ("clues", i, "same_as"),
                                  f"找不到编号为“{same}”的另一条线索：same_as 应填写与本线索为同一事项、"
                                  "先收到的那条线索的编号。"))


def _publicity(r: _Refs, d: dict) -> None:
    for i, u in strings(d.get("organisers")):
        r.unit(u, ("organisers", i))
    r.unit(d.get("village"), ("village",), village=True)
    for i, p in strings(d.get("projects_covered")):
        r.project(p, ("projects_covered", i))
    for i, e in strings(d.get("enterprises_covered")):
        r.enterprise(e, ("enterprises_covered", i))


def _project(r: _Refs, d: dict) -> None:
    r.unit(d.get("village"), ("village",), village=True)
    r.unit(d.get("authority"), ("authority",), authority=True)
    r.person(d.get("coordinator"), ("coordinator",))
    r.person(d.get("baobao"), ("baobao",))
    r.unique(dicts(d.get("rectifications")), ("rectifications",), "整改")


def _enterprise(r: _Refs, d: dict) -> None:
    r.unit(d.get("village"), ("village",), village=True)
    r.person(d.get("coordinator"), ("coordinator",))
    r.person(d.get("baobao"), ("baobao",))


def _taskforce(r: _Refs, d: dict) -> None:
    r.person(d.get("leader"), ("leader",))
    for key in ("deputies", "members"):
        for i, p in strings(d.get(key)):
            r.person(p, (key, i))
    office = d.get("office")
    if isinstance(office, dict):
        r.unit(office.get("unit"), ("office", "unit"))
        r.person(office.get("director"), ("office", "director"))
        for key in ("deputy_directors", "staff"):
            for i, p in strings(office.get(key)):
                r.person(p, ("office", key, i))
    for i, vt in dicts(d.get("village_taskforces")):
        r.unit(vt.get("unit"), ("village_taskforces", i, "unit"), village=True)
        r.person(vt.get("leader"), ("village_taskforces", i, "leader"))
        for j, p in strings(vt.get("members")):
            r.person(p, ("village_taskforces", i, "members", j))
    for i, p in dicts(d.get("people")):
        if p.get("unit") is not None:
            r.unit(p.get("unit"), ("people", i, "unit"))
    r.unique(dicts(d.get("people")), ("people",), "人员")


def _town(r: _Refs, d: dict) -> None:
    both = [(("villages", i), v) for i, v in dicts(d.get("villages"))]
    both += [(("departments", i), v) for i, v in dicts(d.get("departments"))]
    first: dict[str, Loc] = {}
    for loc, unit in both:
        v = text(unit.get("id"))
        if v is None:
            continue
        if v in first:
            r.out.append(at_field("ref.duplicate-id", r.file, loc + ("id",),
                                  f"单位编号“{v}”重复：{shown_path(format_path(first[v]))} "
                                  "已经用过（村和部门的编号也不能相同）。"))
        else:
            first[v] = loc


def _responsibilities(r: _Refs, d: dict) -> None:
    for i, item in dicts(d.get("items")):
        for key in ("lead", "support"):
            for j, u in strings(item.get(key)):
                r.unit(u, ("items", i, key, j), groups=True)
    r.unique(dicts(d.get("items")), ("items",), "责任事项")


_BY_KIND = {"return": _return, "clues": _clues, "publicity": _publicity, "project": _project,
            "enterprise": _enterprise, "taskforce": _taskforce, "town": _town,
            "responsibilities": _responsibilities}


def check(documents: list[Document], ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    clue_ids: dict[str, tuple[str, int]] = {}
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        refs = _Refs(ctx, doc, out)
        fn = _BY_KIND.get(doc.kind)
        if fn is not None:
            fn(refs, doc.data)
        if doc.kind == "clues":  # clue ids are unique across every month's file
            for i, c in dicts(doc.data.get("clues")):
                v = text(c.get("id"))
                if v is None:
                    continue
                if v in clue_ids:
                    other, j = clue_ids[v]
                    where = "本文件" if other == refs.file else other
                    out.append(at_field("ref.duplicate-id", refs.file, ("clues", i, "id"),
                                        f"线索编号“{v}”重复：{where}的第 {j + 1} 条线索已经用过，"
                                        "线索编号须全局唯一。"))
                else:
                    clue_ids[v] = (refs.file, i)
    return out


def missing_singletons(ctx: Context, files: list[str]) -> list[Finding]:
    """settings.yaml, town.yaml, taskforce.yaml and responsibilities.yaml must exist."""
    present = set(files)
    return [at_mark("load.missing-file", f"content/{name}", 0, 0,
                    f"缺少 content/{name}：没有它，其他文件无法校验和生成。")
            for kind, name in SINGLETONS.items() if name not in present]
