"""`zhiqian sample remove`: the office's first day — take the sample out, keep the town's real structure.

Removes every record marked `sample: true` and everything that belongs to or refers to a removed record
(returns of removed units, projects in removed villages, clues about removed projects, roster entries of
removed people), sets `sample_data: false`, and regenerates CODEOWNERS. The whole result is checked in a
temporary copy first: if it would not validate, nothing is changed and the findings say what to fix first.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from generator.check import check_tree
from generator.errors import ContentInvalid
from generator.paths import CONTENT, SCHEMAS, kind_of
from generator.workflow import sample_todo

# Fields that name the record an item or file belongs to: if that record is removed, so is the item.
OWNER_FIELDS = {"unit": "units", "village": "units", "authority": "units", "leader": "people",
                "project": "projects", "enterprise": "enterprises"}
FILE_KINDS = {"project": "projects", "enterprise": "enterprises"}
KIND_NAMES = {"project": "项目", "enterprise": "企业", "return": "月报", "clues": "线索",
              "publicity": "宣传活动"}
SAMPLE_FLAG = re.compile(r"^sample_data:[ \t]*true\b", re.MULTILINE)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=2, offset=0)
    y.representer.add_representer(  # keep the files' own `null`, not an empty value
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


@dataclass
class Plan:
    delete: list[str] = field(default_factory=list)  # content-relative files
    edits: dict[str, str] = field(default_factory=dict)  # content-relative file → new text
    removed: list[str] = field(default_factory=list)  # what goes, in Chinese, one line each
    todo: list[str] = field(default_factory=list)  # what the office must fill in afterwards


@dataclass
class _Removed:
    units: dict[str, str] = field(default_factory=dict)  # id → name
    people: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)
    enterprises: dict[str, str] = field(default_factory=dict)

    def ids(self) -> set[str]:
        return set(self.units) | set(self.people) | set(self.projects) | set(self.enterprises)

    def owns(self, item: dict) -> bool:
        """True when the item is sample itself or belongs to a removed record."""
        if item.get("sample") is True:
            return True
        return any(isinstance(item.get(k), str) and item[k] in getattr(self, kind)
                   for k, kind in OWNER_FIELDS.items())


def plan_removal(root: Path) -> Plan:
    root = Path(root)
    y = _yaml()
    files = sorted(p.relative_to(root / CONTENT).as_posix() for p in (root / CONTENT).rglob("*.yaml"))
    data = {rel: y.load((root / CONTENT / rel).read_text(encoding="utf-8-sig")) for rel in files}
    data = {rel: d for rel, d in data.items() if isinstance(d, dict)}
    gone = _Removed()
    town, taskforce = data.get("town.yaml", {}), data.get("taskforce.yaml", {})
    for key in ("villages", "departments"):
        for u in town.get(key) or []:
            if u.get("sample") is True:
                gone.units[u["id"]] = u.get("name", u["id"])
    for p in taskforce.get("people") or []:
        if p.get("sample") is True or p.get("unit") in gone.units:
            gone.people[p["id"]] = p.get("name", p["id"])

    plan = Plan()
    deleted: set[str] = set()
    changed = True
    while changed:  # a removed village removes its projects, which remove the clues about them…
        changed = False
        for rel, d in data.items():
            kind = kind_of(rel)
            if rel in deleted or kind not in KIND_NAMES or not gone.owns(d):
                continue
            deleted.add(rel)
            changed = True
            if kind in FILE_KINDS:
                getattr(gone, FILE_KINDS[kind])[d.get("id") or Path(rel).stem] = d.get("name", "")
    plan.delete = sorted(deleted)
    plan.removed += _deletions(plan.delete, data)

    for rel, d in data.items():
        if rel in deleted:
            continue
        lines: list[str] = []
        _scrub(d, gone, (), lines)
        if kind_of(rel) == "clues" and not d.get("clues"):
            plan.delete.append(rel)
            plan.removed.append(f"删除 {CONTENT}/{rel}（其中的线索都属于示例）")
            continue
        if lines:
            out = io.StringIO()
            y.dump(d, out)
            plan.edits[rel] = out.getvalue()
            plan.removed += [f"{CONTENT}/{rel}：{line}" for line in reversed(lines)]

    settings_text = plan.edits.get("settings.yaml") or (root / CONTENT / "settings.yaml").read_text(
        encoding="utf-8-sig")
    if SAMPLE_FLAG.search(settings_text):
        plan.edits["settings.yaml"] = SAMPLE_FLAG.sub("sample_data: false", settings_text, count=1)
        plan.removed.append(f"{CONTENT}/settings.yaml：sample_data 改为 false（网站不再显示示例横幅）")
    if (root / ".github" / "CODEOWNERS").exists():
        plan.removed.append(".github/CODEOWNERS：按移除后的名册重新生成（去掉示例人员的账号）")
    plan.todo = sample_todo.todo(data, deleted, gone.units, plan.edits)
    return plan


def _deletions(rels: list[str], data: dict[str, dict]) -> list[str]:
    """One line per deleted file; returns one line per month (there are many)."""
    months: dict[str, list[str]] = {}
    lines = []
    for rel in rels:
        if kind_of(rel) == "return":
            months.setdefault(rel.split("/")[1], []).append(str(data[rel].get("unit", Path(rel).stem)))
        else:
            lines.append(f"删除 {CONTENT}/{rel}（{_describe(kind_of(rel), data[rel])}）")
    lines += [f"删除 {CONTENT}/returns/{m}/ 的 {len(units)} 份月报（{'、'.join(units)}）"
              for m, units in sorted(months.items())]
    return lines


def _describe(kind: str | None, d: dict) -> str:
    label = KIND_NAMES.get(kind or "", "记录")
    name = d.get("name") or d.get("title") or ""
    if kind == "clues":
        return f"{d.get('month', '')} 的{label} {len(d.get('clues') or [])} 条"
    return f"{label}“{name}”" if name else label


def _scrub(node: Any, gone: _Removed, path: tuple, lines: list[str]) -> None:
    """Remove, in place, list items that are sample or belong to a removed record, and removed ids."""
    if isinstance(node, dict):
        for key, value in node.items():
            _scrub(value, gone, (*path, key), lines)
    elif isinstance(node, list):
        where = ".".join(str(p) for p in path)
        ids = gone.ids()
        for i in reversed(range(len(node))):
            item = node[i]
            if isinstance(item, dict) and gone.owns(item):
                label = item.get("name") or item.get("id") or item.get("unit") or ""
                lines.append(f"移除 {where} 中的“{label}”")
                del node[i]
            elif isinstance(item, str) and item in ids:
                lines.append(f"从 {where} 中去掉 {item}")
                del node[i]
            else:
                _scrub(item, gone, (*path, i), lines)


def _write(root: Path, plan: Plan) -> None:
    for rel in plan.delete:
        (root / CONTENT / rel).unlink()
    for rel, text in plan.edits.items():
        (root / CONTENT / rel).write_text(text, encoding="utf-8")
    for folder in sorted((root / CONTENT).rglob("*"), reverse=True):  # month folders left empty
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _trial(root: Path, plan: Plan) -> list:
    """The findings the tree would have after the removal, checked in a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="zhiqian-sample-") as tmp:
        copy = Path(tmp)
        shutil.copytree(root / CONTENT, copy / CONTENT, symlinks=True)
        shutil.copytree(root / SCHEMAS, copy / SCHEMAS)
        _write(copy, plan)
        return check_tree(copy).errors


def run_sample_remove(root: Path, dry_run: bool, echo) -> int:
    root = Path(root)
    if not (root / CONTENT / "settings.yaml").is_file():
        from generator.errors import UsageProblem

        raise UsageProblem(f"在 {root.resolve()} 下找不到 content/settings.yaml："
                           "请在仓库根目录运行，或用 --root 指定。")
    before = check_tree(root).errors
    if before:
        raise ContentInvalid(f"内容现在就有 {len(before)} 个错误，"
                             "请先运行 zhiqian validate 改正，再移除示例。")
    plan = plan_removal(root)
    if not plan.delete and not plan.edits:
        echo("没有示例数据可移除（sample_data 已是 false，也没有 sample: true 的记录）。")
        return 0
    errors = _trial(root, plan)
    if errors:
        echo("移除示例后内容将无法通过校验，未改动任何文件。请先处理以下问题（多半是正式记录引用了示例）：")
        for f in errors:
            echo(f"  {f.file}:{f.line or ''} {f.message}")
        return 1
    echo(("将" if dry_run else "已")
         + f"移除示例数据：删除 {len(plan.delete)} 个文件，修改 {len(plan.edits)} 个文件。")
    for line in plan.removed:
        echo(f"  - {line}")
    if dry_run:
        echo("（--dry-run：只列出，未改动任何文件。确认后去掉 --dry-run 再运行一次。）")
    else:
        _write(root, plan)
        if (root / ".github" / "CODEOWNERS").exists():
            from generator.workflow.codeowners import TARGET, generate

            (root / TARGET).write_text(generate(root), encoding="utf-8")
    echo("接下来办公室要填写：")
    for line in plan.todo:
        echo(f"  - {line}")
    return 0
