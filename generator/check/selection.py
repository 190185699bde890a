"""What a pull request's check reads and reports on: the one home of the dependency map between files.

It reports on the files the pull request changed plus every file whose findings can change because of
them (its *dependents*), and loads only what the rules need to give those files exactly the findings of a
full run (their *context*); everything else is never parsed. Both are worked out per kind below, from the
file's path and its data before and after the change (a hazard removed changes others too). A change to
what every rule reads (settings, town, taskforce, responsibilities, a schema, the checker's code) runs the
full check instead (`global_change` says why, in one line).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.partial import PartialTree, hazard_targets, may_hold
from generator.check.refs import SINGLETONS, dicts, text
from generator.check.rule_kit import month_after
from generator.load import intended_name
from generator.paths import CONTENT, SCHEMAS, kind_of

# Read by every rule (units, people, as_of, schemas) or the checker itself: a change checks everything.
CODE = ("generator/", f"{SCHEMAS}/", "pyproject.toml")
REFERRERS = ["returns", "clues", "publicity"]  # the kinds that name projects and enterprises by id
RESOLVED = "已化解"
_MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")


class Fallback(Exception):
    """This change needs the full run; the message says why (one Chinese line)."""


def global_change(changed: list[str]) -> str | None:
    for path in changed:
        if path.startswith(CODE):
            return f"改动了 {path}（校验程序或数据格式），校验全部文件。"
        rel = path[len(CONTENT) + 1:] if path.startswith(f"{CONTENT}/") else None
        if rel in SINGLETONS.values():
            return f"改动了 {path}（所有文件都用到它），校验全部文件。"
        if rel is not None and kind_of(rel) is None and kind_of(intended_name(rel)) is not None:
            return f"改动了 {path}（扩展名不对的数据文件），校验全部文件。"
    return None


def plan(root: Path, changed: list[str], before: str | None) -> tuple[set[str], PartialTree]:
    """(repository-relative paths to report on, the files loaded for them). Raises Fallback."""
    tree = PartialTree(root, before)
    tree.singletons()
    report: set[str] = set()
    for path in changed:
        if not path.startswith(f"{CONTENT}/"):
            report.add(path)  # a return saved outside content/ is still reported (misplaced.py)
            continue
        rel = path[len(CONTENT) + 1:]
        if os.path.islink(tree.content / rel):
            raise Fallback(f"改动了链接 {path}，校验全部文件。")
        report.add(path)
        versions = [d for d in (tree.load(rel), tree.before_data(rel)) if d is not None]
        dependents = DEPENDENTS.get(kind_of(rel) or "")
        if dependents is not None:
            report |= {f"{CONTENT}/{r}" for r in dependents(tree, rel, versions) if tree.exists(r)}
    wanted = _Wanted()
    for path in sorted(report):
        rel = path[len(CONTENT) + 1:]
        context = CONTEXT.get(kind_of(rel) or "") if path.startswith(f"{CONTENT}/") else None
        tree.load(rel)
        if context is not None:
            context(tree, rel, wanted)
        elif rel.startswith("pages/"):
            tree.load_folder("projects")  # a page may not write out a published number (public_side.py)
    _search(tree, wanted)
    return report, tree


# --- dependents: whose findings a changed file can change, per kind -------------------------------------
def _return_dependents(tree: PartialTree, rel: str, versions: list[dict]) -> set[str]:
    """A return is compared with the same unit's next month (hazard.paid-decreased,
    hazard.dropped-unresolved); its hazards tell the village of the project that it was reported there
    (return.zero-report-contradicted) and cover another unit's dropped hazard of the same case."""
    month, unit = _place(rel)
    for data in versions:
        if data.get("month") != month or data.get("unit") != unit:
            raise Fallback(f"月报 {CONTENT}/{rel} 的月份或单位与文件位置不一致，校验全部文件。")
    out = {f"returns/{month_after(month)}/{unit}.yaml"}
    for data in versions:
        for _, h in dicts(data.get("hazards")):
            project = tree.record("projects", text(h.get("project")))
            if project is not None and text(project.get("village")):
                out.add(f"returns/{month}/{project['village']}.yaml")
    targets = set().union(*(hazard_targets(d) for d in versions)) if versions else set()
    for other in tree.mentioning(targets, [f"returns/{month_after(month, -1)}"]):
        out.add(f"returns/{month}/{other.rsplit('/', 1)[-1]}")  # that unit's return of this month
    return out


def _record_dependents(tree: PartialTree, rel: str, versions: list[dict]) -> set[str]:
    """A project or enterprise is named by id in returns, clues and publicity (ref.unknown-*, the area
    rules); a project's village also decides whose zero report a hazard on it contradicts."""
    ids = {rel.rsplit("/", 1)[-1][: -len(".yaml")]}
    ids |= {text(d.get("id")) for d in versions if text(d.get("id"))}
    out = set(tree.mentioning(ids, REFERRERS))
    villages = {text(d.get("village")) for d in versions if text(d.get("village"))}
    for other in [r for r in out if r.startswith("returns/")]:
        out |= {f"returns/{_place(other)[0]}/{v}.yaml" for v in villages}
    return out


def _clues_dependents(tree: PartialTree, rel: str, versions: list[dict]) -> set[str]:
    """Clue ids are unique across every month's file and same_as points into any of them."""
    tree.load_folder("clues")
    return {r for r in tree.docs if r.startswith("clues/")}


DEPENDENTS = {"return": _return_dependents, "project": _record_dependents,
              "enterprise": _record_dependents, "clues": _clues_dependents}
# publicity, issued and pages: nothing refers to them.


# --- context: what a reported file's own findings read, per kind -----------------------------------------
def _refs(tree: PartialTree, data: dict) -> None:
    """The projects and enterprises a file names (ref.unknown-*, area rules, names in messages)."""
    for folder, keys in (("projects", ("project", "checked_projects", "projects_covered")),
                         ("enterprises", ("enterprise", "checked_enterprises", "enterprises_covered"))):
        for value in _named(data, keys):
            tree.record(folder, value)


def _named(value, keys: tuple[str, ...]):
    """Every string under one of `keys`, at any depth (a value or the items of a list)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in keys and isinstance(v, str):
                yield v
            elif k in keys and isinstance(v, list):
                yield from (s for s in v if isinstance(s, str))
            else:
                yield from _named(v, keys)
    elif isinstance(value, list):
        for item in value:
            yield from _named(item, keys)


@dataclass
class _Wanted:
    """What the reported returns ask of other months' files, searched together once all are known
    (one `git grep` each, whatever the number of returns)."""

    cases: dict[str, set[tuple]] = field(default_factory=dict)  # month → (target, found_on) dropped since
    zero: dict[str, set[str]] = field(default_factory=dict)  # month → villages that filed a zero report


def _return_context(tree: PartialTree, rel: str, wanted: _Wanted) -> None:
    """Its projects and enterprises; last month's return of the unit; this month's returns that may
    report the case of a hazard it dropped; for a village's zero report, the returns naming a project in
    that village the same month."""
    data = tree.load(rel)
    if data is None:
        return
    _refs(tree, data)
    month, unit = _place(rel)
    before = tree.load(f"returns/{month_after(month, -1)}/{unit}.yaml")
    kept = {(text(h.get("id")), h.get("found_on")) for _, h in dicts(data.get("hazards"))}
    dropped = {"hazards": [h for _, h in dicts((before or {}).get("hazards")) if h.get("status") != RESOLVED
                           and (text(h.get("id")), h.get("found_on")) not in kept]}
    for h in dropped["hazards"]:
        found = h.get("found_on") if isinstance(h.get("found_on"), str) else ""
        wanted.cases.setdefault(month, set()).update((t, found) for t in hazard_targets({"hazards": [h]}))
    villages = {text(v.get("id")) for _, v in dicts((tree.load("town.yaml") or {}).get("villages"))}
    if data.get("hazards") == [] and unit in villages:
        wanted.zero.setdefault(month, set()).add(unit)


def _search(tree: PartialTree, wanted: _Wanted) -> None:
    """hazard.dropped-unresolved asks whether any unit reported the same case that month;
    return.zero-report-contradicted asks which returns that month name a project lying in the village."""
    if wanted.cases:
        targets = {target for cases in wanted.cases.values() for target, _ in cases}
        for other in tree.mentioning(targets, [f"returns/{m}" for m in sorted(wanted.cases)]):
            text_, cases = tree.text_of(other), wanted.cases.get(other.split("/")[1], ())
            if any(may_hold(text_, {t, found} - {""}) for t, found in cases):  # that case, that month
                tree.load(other)
    if wanted.zero:
        villages = set().union(*wanted.zero.values())
        in_village: dict[str, set[str]] = {}  # village → ids of the projects lying in it
        for rel in tree.mentioning(villages, ["projects"]):
            project = tree.load(rel)
            if project is not None and text(project.get("village")) in villages:
                pid = text(project.get("id")) or rel.rsplit("/", 1)[-1][: -len(".yaml")]
                in_village.setdefault(project["village"], set()).add(pid)
        pids = set().union(*in_village.values()) if in_village else set()
        for other in tree.mentioning(pids, [f"returns/{m}" for m in sorted(wanted.zero)]):
            text_, zero = tree.text_of(other), wanted.zero.get(other.split("/")[1], ())
            if any(may_hold(text_, {pid}) for v in zero for pid in in_village.get(v, ())):  # that month
                tree.load(other)


def _clues_context(tree: PartialTree, rel: str, wanted: _Wanted) -> None:
    """Every clue file (ids unique across them, same_as) and what this one names."""
    tree.load_folder("clues")
    _refs(tree, tree.load(rel) or {})


def _publicity_context(tree: PartialTree, rel: str, wanted: _Wanted) -> None:
    _refs(tree, tree.load(rel) or {})


CONTEXT = {"return": _return_context, "clues": _clues_context, "publicity": _publicity_context}
# projects and enterprises read only the singletons (people, units, settings), always loaded.


# --- paths of returns ---------------------------------------------------------------------------------
def _place(rel: str) -> tuple[str, str]:
    """(month, unit) of returns/<month>/<unit>.yaml."""
    _, month, name = rel.split("/")
    if not _MONTH.match(month):
        raise Fallback(f"月报 {CONTENT}/{rel} 不在月份文件夹里，校验全部文件。")
    return month, name[: -len(".yaml")]


