"""What check-pr reports: the rules by code, one finding, the result of one check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from generator.workflow import gitio

# code → the rule, as a short Chinese title (annotation title, how-to table)
RULES: dict[str, str] = {
    "pr.unknown-account": "账号不在名册中",
    "pr.not-own-unit": "只能修改本单位的月报",
    "pr.roster-office-only": "名册、单位、责任分工和设置只能由办公室修改",
    "pr.register-office-only": "项目和企业台账只能由办公室修改",
    "pr.office-only": "线索、宣传和页面只能由办公室修改",
    "pr.return-deleted": "月报不得删除或移动",
    "pr.return-misplaced": "月报放错了位置",
    "pr.edited-in-place": "新月份的月报须复制到新文件夹",
    "pr.amendment-missing": "已关账月份的修改须登记更正",
    "pr.amendment-history": "已有的更正记录不得改动",
    "pr.amendment-by": "更正人须是提交账号的本人",
    "pr.amendment-date": "更正日期须在关账之后、提交之前",
    "pr.unreadable": "文件无法读取",
    "pr.late-return": "逾期报送",
    "pr.outside-content": "程序、模式、工作流和设置只能由办公室修改",
    "pr.tree-entry": "不得提交子模块、符号链接或修改文件权限",
}

@dataclass
class PrFinding:
    code: str
    severity: str  # "error" | "warning"
    file: str | None  # repository-relative posix path
    message: str

    @property
    def rule(self) -> str:
        return RULES[self.code]


@dataclass
class PrResult:
    base: str
    head: str
    author: str
    today: date
    author_units: list[str]
    author_is_office: bool
    unit_names: dict[str, str] = field(default_factory=dict)
    changed: list[gitio.Change] = field(default_factory=list)
    findings: list[PrFinding] = field(default_factory=list)

    @property
    def errors(self) -> list[PrFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[PrFinding]:
        return [f for f in self.findings if f.severity == "warning"]


_SPECIAL_MODES = {"120000": "符号链接", "160000": "子模块"}


def tree_entry_findings(change: gitio.Change) -> list[PrFinding]:
    """Submodules and symlinks can point a checked path at anything; mode changes make files run."""
    kind = _SPECIAL_MODES.get(change.new_mode)
    if kind and change.status != "D":
        return [PrFinding("pr.tree-entry", "error", change.path,
                          f"本合并请求把 {change.path} 提交为{kind}：仓库中只能提交普通文件。"
                          f"请删除该{kind}，改为提交文件本身。")]
    if change.old_mode and change.new_mode and "000000" not in (change.old_mode, change.new_mode) \
            and change.old_mode != change.new_mode:
        return [PrFinding("pr.tree-entry", "error", change.path,
                          f"本合并请求修改了 {change.path} 的文件权限"
                          f"（{change.old_mode} → {change.new_mode}）："
                          "合并请求不得修改文件权限，请改回原来的权限。")]
    return []
