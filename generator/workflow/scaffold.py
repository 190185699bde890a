"""`zhiqian new-return UNIT YYYY-MM`: an annotated return, pre-filled from the roster and the register.

Pre-filled: the unit's people as filler and approver, the projects (a village: those in it; a
department: those under its authority) and enterprises it screens, and the hazards of its
previous return that are not yet resolved. The result validates as it is; staff then edit it.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

from generator.analyse import dates
from generator.errors import ContentInvalid, UsageProblem
from generator.model import Content
from generator.paths import CONTENT, kind_of, return_path
from generator.workflow.returnyaml import dump_return

MONTH = re.compile(r"^20[0-9]{2}-(0[1-9]|1[0-2])$")
RESOLVED = "已化解"


SINGLETONS = {"settings", "town", "taskforce", "responsibilities"}


def load_content(root: Path) -> Content:
    """The content, leaving out files that have errors, so one broken return (say, the one being
    re-imported) does not block the on-ramp. Errors in the roster or settings do block it."""
    from generator.check import check_tree
    from generator.model import assemble
    from generator.reporters import render_text

    root = Path(root)
    if not (root / CONTENT).is_dir():
        raise UsageProblem(f"在 {root} 下找不到 {CONTENT}/ 目录：请在仓库根目录运行，或用 --root 指定。")
    result = check_tree(root)
    broken = {f.file for f in result.errors}
    docs = [d for d in result.documents if f"{CONTENT}/{d.rel}" not in broken]
    missing = [f for f in result.errors if kind_of(f.file.removeprefix(f"{CONTENT}/")) in SINGLETONS]
    if missing or not {d.kind for d in docs} >= SINGLETONS:
        raise ContentInvalid("名册、单位或设置文件有错误，请先改正：\n" + render_text(missing))
    return assemble(docs, result.pages, root / CONTENT)


def resolve_unit(content: Content, given: str) -> str:
    """A reporting unit's id from its id, name or alias; a Chinese usage error listing the valid ids."""
    units = content.reporting_units
    for u in units:
        if given == u["id"] or given == u.get("name") or given in (u.get("aliases") or []):
            return u["id"]
    valid = "、".join(f"{u['id']}（{u['name']}）" for u in units)
    other = content.units.get(given)
    why = f"“{other['name']}”不报送月报。" if other else f"没有编号为“{given}”的报送单位。"
    raise UsageProblem(f"{why}可用的单位编号：{valid}。")


def check_month(month: str) -> str:
    if not MONTH.match(month or ""):
        raise UsageProblem(f"月份“{month}”格式不对，应写成 YYYY-MM，例如 2025-01。")
    return month


def _unit_people(content: Content, unit: str) -> list[dict]:
    return [p for p in content.taskforce.get("people", []) if p.get("unit") == unit]


def default_people(content: Content, unit: str) -> tuple[str | None, str | None]:
    """(filler, approver): the unit's 填报人 and its task-force leader, else its first person."""
    people = _unit_people(content, unit)
    leader = next((t.get("leader") for t in content.taskforce.get("village_taskforces", [])
                   if t.get("unit") == unit), None)
    filler = next((p["id"] for p in people if "填报人" in (p.get("roles") or [])), None)
    first = people[0]["id"] if people else None
    return filler or leader or first, leader or first


def screened(content: Content, unit: str) -> tuple[list[str], list[str]]:
    """Projects and enterprises the unit screens: a village those in it, a department those it governs."""
    kind = content.units[unit]["kind"]
    key = "village" if kind == "village" else "authority"
    projects = [p["id"] for p in content.active_projects() if p.get(key) == unit]
    enterprises = [e["id"] for e in content.enterprises.values()
                   if kind == "village" and e.get("village") == unit]
    return projects, enterprises


def previous_return(content: Content, unit: str, month: str) -> dict | None:
    earlier = sorted(m for (m, u) in content.returns if u == unit and m < month)
    return content.returns[(earlier[-1], unit)] if earlier else None


def prefill(content: Content, unit: str, month: str, today: date) -> dict:
    filler, approver = default_people(content, unit)
    projects, enterprises = screened(content, unit)
    prev = previous_return(content, unit, month)
    hazards = [copy.deepcopy(h) for h in (prev or {}).get("hazards", []) if h.get("status") != RESOLVED]
    data: dict = {"month": month, "unit": unit, "sample": False}
    if filler:
        data["filled_by"] = filler
    if approver:
        data["approved_by"] = approver
    first = date(int(month[:4]), int(month[5:7]), 1)
    filled = max(today, first)  # a return prepared ahead of its month may not predate it
    data.update(filled_on=filled.isoformat(), checked_projects=projects, checked_enterprises=enterprises,
                payday_patrols=0, hazards=hazards)
    return data


def close_note(content: Content, month: str) -> str:
    due = dates.due_date(month, content.settings)
    last = dates.last_open_day(month, content.settings)
    return (f"{month} 的报送截止日是 {due.isoformat()}，{last.isoformat()} 以后关账；"
            "关账后再修改，须在文末 amendments 登记更正记录。")


def annotate(content: Content, root: Path, data: dict, carried: bool = False) -> str:
    """The annotated YAML text of a return, with names of the ids it mentions as comments."""
    names = {**{k: p.get("name", k) for k, p in content.projects.items()},
             **{k: e.get("name", k) for k, e in content.enterprises.items()}}
    people = {k: p.get("name", k) for k, p in content.people.items()}
    month = str(data.get("month", ""))
    note = close_note(content, month) if MONTH.match(month) else "月份关账后再修改，须在文末登记更正记录。"
    return dump_return(data, Path(root), unit_name=content.unit_name(data.get("unit")), names=names,
                       people=people, close_note=note, carried=carried)


def write_new(target: Path, text: str, force: bool, root: Path) -> Path:
    rel = target.relative_to(root) if target.is_relative_to(root) else target
    if target.exists() and not force:
        raise UsageProblem(f"{rel.as_posix()} 已存在，没有覆盖。要修改已有月报请直接编辑它；"
                           "确实要重新生成请加 --force（原内容会被覆盖）。")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def new_return(root: Path, unit: str, month: str, force: bool = False, today: date | None = None) -> Path:
    """Write content/returns/<month>/<unit>.yaml and return its path."""
    root = Path(root)
    check_month(month)
    content = load_content(root)
    unit = resolve_unit(content, unit)
    data = prefill(content, unit, month, today or date.today())
    text = annotate(content, root, data, carried=bool(data["hazards"]))
    return write_new(root / CONTENT / return_path(month, unit), text, force, root)
