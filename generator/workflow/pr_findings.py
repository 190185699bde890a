"""What check-pr reports: its findings (the one Finding type) and the result of one check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from generator.findings import CODES, Finding, SplitFindings, about_file
from generator.paths import CONTENT
from generator.workflow import gitio

# The pr.* codes and their rules' short titles (how-to table); they live with every other code.
RULES: dict[str, str] = {code: title for code, title in CODES.items() if code.startswith("pr.")}


def pr_finding(code: str, severity: str, file: str | None, message: str) -> Finding:
    """A check-pr finding: about one file, or (file None) about the whole pull request."""
    return about_file(code, file, message, severity=severity)


def content_rel(path: str | None) -> str | None:
    """content-relative path of a repository path, or None when it is outside content/."""
    if path is None:
        return None
    p = PurePosixPath(path)
    if p.parts[:1] != (CONTENT,):
        return None
    return PurePosixPath(*p.parts[1:]).as_posix()


@dataclass
class PrResult(SplitFindings):
    base: str
    head: str
    author: str
    today: date
    author_units: list[str]
    author_is_office: bool
    unit_names: dict[str, str] = field(default_factory=dict)
    changed: list[gitio.Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def content_changes(self) -> list[gitio.Change]:
        return [c for c in self.changed if content_rel(c.path) or content_rel(c.old_path)]


_SPECIAL_MODES = {"120000": "符号链接", "160000": "子模块"}


def tree_entry_findings(change: gitio.Change) -> list[Finding]:
    """Submodules and symlinks can point a checked path at anything; mode changes make files run."""
    kind = _SPECIAL_MODES.get(change.new_mode)
    if kind and change.status != "D":
        return [pr_finding("pr.tree-entry", "error", change.path,
                          f"本合并请求把 {change.path} 提交为{kind}：仓库中只能提交普通文件。"
                          f"请删除该{kind}，改为提交文件本身。")]
    if change.old_mode and change.new_mode and "000000" not in (change.old_mode, change.new_mode) \
            and change.old_mode != change.new_mode:
        return [pr_finding("pr.tree-entry", "error", change.path,
                          f"本合并请求修改了 {change.path} 的文件权限"
                          f"（{change.old_mode} → {change.new_mode}）："
                          "合并请求不得修改文件权限，请改回原来的权限。")]
    return []
