"""Findings → what people and tools read, for both `validate` and `check-pr`: text, JSON, GitHub annotations.

One Finding type (findings.py) and one set of reporters: a validate line names file:line:column, the code
and the field; a check-pr line names the file and the rule. JSON keeps every finding's location structured
(file, line, column, field path as a list); GitHub workflow commands use one escaping.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from generator.findings import ERROR, SEVERITY_ZH, Finding, count, shown_path

if TYPE_CHECKING:  # only the type: reporters never run a check
    from generator.workflow.pr_findings import PrResult


# --- GitHub workflow commands ---------------------------------------------------------------------

def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, title: str, text: str) -> str:
    """`::error file=…,line=…,col=…,title=…::text`: an annotation on the file and line when known."""
    level = "error" if f.severity == ERROR else "warning"
    props = [f"file={_escape_property(f.file)}"] if f.file else []
    if f.line:
        props += [f"line={f.line}", f"col={f.column}"]
    props.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(props)}::{_escape_data(text)}"


# --- validate -------------------------------------------------------------------------------------

def _where(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}" if f.line else f.file


def _field_prefix(f: Finding) -> str:
    return f"{shown_path(f.path)}：" if f.path else ""


def summary(findings: list[Finding], files_checked: int | None = None) -> str:
    files, errors, warnings = count(findings)
    if not findings:
        n = f" {files_checked} 个文件" if files_checked is not None else ""
        return f"已校验{n}，没有发现问题。"
    return f"共 {files} 个文件有问题：{errors} 个错误，{warnings} 个警告。"


def render_text(findings: list[Finding], files_checked: int | None = None) -> str:
    """One line per finding (paths repo-relative), then a summary line."""
    lines = [f"{_where(f)}: {SEVERITY_ZH.get(f.severity, f.severity)} [{f.code}] "
             f"{_field_prefix(f)}{f.message}" for f in findings]
    lines.append(summary(findings, files_checked))
    return "\n".join(lines)


def render_json(findings: list[Finding], files_checked: int | None = None) -> str:
    files, errors, warnings = count(findings)
    return json.dumps({
        "findings": [f.to_dict() for f in findings],
        "summary": {"files_checked": files_checked, "files_with_findings": files, "errors": errors,
                    "warnings": warnings, "text": summary(findings, files_checked)},
    }, ensure_ascii=False, indent=2)


def render_github(findings: list[Finding], files_checked: int | None = None) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its file and line."""
    # the annotation's title is the rule's Chinese name: staff read it, not the code
    lines = [annotation(f, f.title, _field_prefix(f) + f.message) for f in findings]
    lines.append(summary(findings, files_checked))
    return "\n".join(lines)


VALIDATE_FORMATS = {"text": render_text, "json": render_json, "github": render_github}


# --- check-pr -------------------------------------------------------------------------------------

def pr_author(result: PrResult) -> str:
    names = result.unit_names
    if result.author_is_office:
        return f"{result.author}（专班办公室）"
    if result.author_units:
        return f"{result.author}（{'、'.join(names.get(u, u) for u in result.author_units)}）"
    return f"{result.author}（不在名册中）"


def pr_verdict(result: PrResult) -> str:
    if result.errors:
        return f"不通过：{len(result.errors)} 个错误，{len(result.warnings)} 个提醒。"
    if result.warnings:
        return f"通过，有 {len(result.warnings)} 个提醒。"
    return "通过。"


def render_pr_text(result: PrResult) -> str:
    lines = [f"检查合并请求 {result.base}...{result.head}：提交者 {pr_author(result)}，"
             f"以 {result.today.isoformat()} 为当天，content/ 下改动 {len(result.content_changes)} 个文件。"]
    for f in result.findings:
        level = "错误" if f.severity == ERROR else "提醒"
        where = f"{f.file}：" if f.file else ""
        lines.append(f"{where}{level}：{f.message}（{f.title}，{f.code}）")
    lines.append(pr_verdict(result))
    return "\n".join(lines)


def render_pr_json(result: PrResult) -> str:
    doc = {
        "base": result.base, "head": result.head, "author": result.author,
        "author_units": result.author_units, "author_is_office": result.author_is_office,
        "today": result.today.isoformat(), "ok": not result.errors,
        "changed": [asdict(c) for c in result.changed],
        "findings": [{**f.to_dict(), "rule": f.title} for f in result.findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def render_pr_github(result: PrResult) -> str:
    lines = [annotation(f, f.title, f.message) for f in result.findings]
    lines.append(f"合并请求检查：{pr_verdict(result)}")
    return "\n".join(lines)


PR_FORMATS = {"text": render_pr_text, "json": render_pr_json, "github": render_pr_github}
