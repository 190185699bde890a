"""Findings: what every check yields (load, the check layers, check-pr), and the codes they use.

A finding's `code` is stable English (tests and docs rely on it); its `message` is Chinese for staff.
Line and column are 1-based; 0 means "the whole file" (or, with no file, the whole pull request).
Layers that know only a field path leave line 0 and set `loc`; check/positions.py fills in line and
column later, only for files with findings. reporters.py prints them as text, JSON or GitHub annotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告"}

# Every code a check may report, with what it means (stable: tests, docs and CI annotations rely on it).
CODES: dict[str, str] = {
    # loading
    "load.syntax": "YAML 语法错误",
    "load.encoding": "不是 UTF-8 编码",
    "load.binary": "二进制文件",
    "load.too-large": "文件过大",
    "load.too-many-nodes": "条目过多",
    "load.comment-in-text": "文字中的 # 截断了内容",
    "load.empty": "空文件",
    "load.unreadable": "无法读取",
    "load.symlink-outside": "链接指向 content/ 以外",
    "load.duplicate-key": "重复的键",
    "load.alias": "使用了别名",
    "load.anchor": "使用了锚点",
    "load.tag": "使用了 YAML 标签",
    "load.multiple-documents": "一个文件多份内容",
    "load.complex-key": "键不是文本",
    "load.too-deep": "嵌套过深",
    "load.unknown-file": "不认识的文件（未读取）",
    "load.wrong-extension": "数据文件扩展名不对（未读取）",
    "load.missing-file": "缺少必需文件",
    # schema
    "schema.type": "类型不对",
    "schema.required": "缺少必填字段",
    "schema.unknown-field": "不认识的字段",
    "schema.enum": "不在可选值中",
    "schema.pattern": "格式不对",
    "schema.minimum": "小于下限",
    "schema.maximum": "大于上限",
    "schema.empty": "不能为空",
    "schema.min-items": "项数不足",
    "schema.const": "值不对",
    "schema.invalid": "不符合模式",
    # references
    "ref.unknown-unit": "单位不存在",
    "ref.not-a-village": "应为村（社区）",
    "ref.not-an-authority": "不是行业主管部门",
    "ref.unknown-person": "人员不存在",
    "ref.unknown-project": "项目不存在",
    "ref.unknown-enterprise": "企业不存在",
    "ref.duplicate-id": "编号重复",
    "ref.unknown-clue": "同一事项的线索不存在",
    # public side (check/public_side.py): what would reach the public site
    "public.personal-number": "公开内容中有个人信息",
    "public.number-written-out": "直接写了电话号码",
    "public.unknown-placeholder": "未知的占位符",
    "public.unknown-citation": "引用的条文不在法规清单中",
    # rules
    "date.invalid": "日期不存在",
    "return.period-mismatch": "月份与文件夹不一致",
    "return.unit-mismatch": "报送单位与文件名不一致",
    "return.not-reporting-unit": "不是按月报送的单位",
    "return.filled-before-month": "填报日期早于报告月份",
    "return.checked-outside-area": "排查了辖区或主管范围以外的项目/企业",
    "return.zero-report-with-hazards": "选了零报告却有隐患",
    "return.no-hazards-not-zero": "没有隐患却未选零报告",
    "hazard.no-target": "隐患没有对象",
    "hazard.several-targets": "隐患有多个对象",
    "hazard.outside-area": "隐患对象不在辖区或主管范围内",
    "hazard.paid-exceeds-workers": "已支付人数大于涉及人数",
    "hazard.repaid-exceeds-owed": "已支付金额大于涉及金额",
    "hazard.resolved-without-date": "已化解但没有化解日期",
    "hazard.open-with-resolved-date": "未化解却有化解日期",
    "hazard.found-after-month": "发现日期晚于报告月份",
    "hazard.deadline-before-found": "化解期限不晚于发现日期",
    "hazard.resolved-before-found": "化解日期早于发现日期",
    "clues.period-mismatch": "月份与文件名不一致",
    "clue.received-outside-month": "收到日期不在本月",
    "clue.handled-before-received": "办结日期早于收到日期",
    "publicity.id-mismatch": "编号与文件名不一致",
    "publicity.date-mismatch": "日期与文件名不一致",
    "publicity.unknown-key-day": "重要时点不在配置中",
    "project.id-mismatch": "编号与文件名不一致",
    "project.coordinator-missing": "在建项目没有治欠协管员",
    "project.baobao-missing": "在建项目没有包保责任人",
    "project.coordinator-role": "协管员没有相应角色",
    "project.baobao-role": "包保责任人没有相应角色",
    "project.completed-without-date": "完工但没有完工日期",
    "project.dates-order": "日期先后不对",
    "enterprise.id-mismatch": "编号与文件名不一致",
    "enterprise.coordinator-role": "协管员没有相应角色",
    "enterprise.baobao-role": "包保责任人没有相应角色",
    "platform.rate-out-of-range": "运行率不在 0–100",
    "platform.duplicate-reading": "同月运行率重复",
    "platform.readings-not-connected": "未接入却有运行率",
    "platform.connected-without-date": "已接入但没有接入日期",
    "platform.reading-before-connection": "运行率早于接入",
    "platform.no-readings": "已接入但没有运行率",
    "rectification.deadline-before-issued": "整改期限不晚于下达日期",
    "rectification.completed-before-issued": "整改完成早于下达",
    "violation.deadline-before-found": "改正期限不晚于发现日期",
    "taskforce.village-missing": "村（社区）没有专班",
    "responsibilities.section-missing": "措施缺少责任分工",
    "sample.present": "正式数据中仍有示例",
    # pull-request checks (workflow/pr.py): the annotation title and the how-to table use these
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
    # office rules (rules_time.py and the other rules_*.py)
    "time.future-date": "日期晚于当前日期",
    "time.future-month": "月份尚未开始",
    "time.amendment-before-close": "更正早于关账",
    "number.too-large": "数字过大",
    "deposit.used-before-stored": "保证金未存先用",
    "deposit.used-after-returned": "保证金返还后仍有变动",
    "deposit.overdrawn": "保证金动用超过存储",
    "deposit.implausible-ratio": "保证金比例异常",
    "hazard.paid-decreased": "已支付比上月少",
    "hazard.dropped-unresolved": "未化解隐患本月未再报",
    "hazard.resolved-without-payment": "已化解但没写支付情况",
    "project.active-after-completion": "完工日期已过仍为在建",
    "project.planned-completion-passed": "计划完工日期已过",
    "project.unconnected-without-rectification": "符合条件未接入平台且未整改",
    "amendment.reason-blank": "更正原因为空",
    "amendment.by-other-unit": "修改人不是本单位人员",
    "return.signer-other-unit": "填报人或审核人不是本单位人员",
    "return.zero-report-contradicted": "零报告但同月本村有隐患",
    "return.misplaced": "月报放错了位置（未读取）",
    "taskforce.secretary-not-member": "村书记不是镇专班成员",
    "setting.range-reversed": "下限大于上限",
    "setting.unconfirmed": "设置尚未核实",
}

# Field path: a tuple of keys (str) and list indices (int), e.g. ("hazards", 0, "workers").
Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    file: str  # repo-relative posix path, e.g. content/returns/2024-07/nibaxi.yaml ("" for a whole PR)
    line: int
    column: int
    path: str  # field path, e.g. hazards[0].workers ("" for the whole file)
    message: str
    # Unresolved position: the field path to look up, and whether to point at its key (unknown field).
    loc: Loc | None = field(default=None, compare=False, repr=False)
    at_key: bool = field(default=False, compare=False, repr=False)
    # An unknown key that stands for a missing required field (worker → workers) names that field here,
    # so the "required" finding it explains is not reported a second time.
    stands_for: str = field(default="", compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.path, self.message)

    @property
    def title(self) -> str:
        """The rule's short Chinese name (GitHub annotation title for check-pr, the how-to's table)."""
        return CODES.get(self.code, self.code)

    def to_dict(self) -> dict:
        """JSON for tools: the location stays structured (field_path is the list of keys and indices)."""
        field_path = [part if isinstance(part, (str, int)) else str(part) for part in self.loc or ()]
        return {"code": self.code, "severity": self.severity, "file": self.file, "line": self.line,
                "column": self.column, "path": self.path, "field_path": field_path, "message": self.message}


class SplitFindings:
    """A result holding `findings`, split by severity (a check run, a pull request's check)."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != ERROR]


def format_path(loc: Loc | None) -> str:
    """("hazards", 0, "workers") → "hazards[0].workers"."""
    if not loc:
        return ""
    out: list[str] = []
    for part in loc:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else str(part))
    return "".join(out)


_INDEX = re.compile(r"\[(\d+)\]")


def shown_path(path: str) -> str:
    """The field path as staff read it, items counted from 1: hazards[0].workers → hazards 第1条 workers."""
    return _INDEX.sub(lambda m: f" 第{int(m[1]) + 1}条 ", path).replace(".", " ").replace("  ", " ").strip()


def at_field(code: str, file: str, loc: Loc, message: str, *, severity: str = ERROR,
             at_key: bool = False) -> Finding:
    """A finding about a field; its line and column are looked up later."""
    return Finding(code, severity, file, 0, 0, format_path(loc), message, loc=tuple(loc), at_key=at_key)


def at_mark(code: str, file: str, line: int, column: int, message: str, *, path: str = "",
            severity: str = ERROR) -> Finding:
    """A finding whose position is already known (1-based)."""
    return Finding(code, severity, file, line, column, path, message)


def about_file(code: str, file: str | None, message: str, *, severity: str = ERROR) -> Finding:
    """A finding about a whole file, or with file None about the whole change (check-pr)."""
    return Finding(code, severity, file or "", 0, 0, "", message)


def count(findings: list[Finding]) -> tuple[int, int, int]:
    """(files with findings, errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return len({f.file for f in findings}), errors, len(findings) - errors
