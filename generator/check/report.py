"""Reporters: findings → text for people, JSON for tools, workflow commands for GitHub Actions.

run_validate() is what `zhiqian validate` calls: it picks files, runs the check, prints one report
and returns the exit code (0 clean or warnings only, 1 errors); the CLI maps raised errors to 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from generator.check.findings import ERROR, SEVERITY_ZH, Finding, count
from generator.errors import UsageProblem
from generator.paths import CONTENT


def _where(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}" if f.line else f.file


def summary(findings: list[Finding], files_checked: int | None = None) -> str:
    files, errors, warnings = count(findings)
    if not findings:
        n = f" {files_checked} 个文件" if files_checked is not None else ""
        return f"已校验{n}，没有发现问题。"
    return f"共 {files} 个文件有问题：{errors} 个错误，{warnings} 个警告。"


def render_text(findings: list[Finding], root: Path | None = None, files_checked: int | None = None) -> str:
    """One line per finding, then a summary line. `root` is accepted for callers; paths are repo-relative."""
    lines = []
    for f in findings:
        field = f"{f.path}：" if f.path else ""
        lines.append(f"{_where(f)}: {SEVERITY_ZH.get(f.severity, f.severity)} [{f.code}] {field}{f.message}")
    lines.append(summary(findings, files_checked))
    return "\n".join(lines)


def render_json(findings: list[Finding], files_checked: int | None = None) -> str:
    files, errors, warnings = count(findings)
    return json.dumps({
        "findings": [f.to_dict() for f in findings],
        "summary": {"files_checked": files_checked, "files_with_findings": files, "errors": errors,
                    "warnings": warnings, "text": summary(findings, files_checked)},
    }, ensure_ascii=False, indent=2)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding], files_checked: int | None = None) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its file and line."""
    lines = []
    for f in findings:
        level = "error" if f.severity == ERROR else "warning"
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
        props.append(f"title={_escape_property(f.code)}")
        field = f"{f.path}：" if f.path else ""
        lines.append(f"::{level} {','.join(props)}::{_escape_data(field + f.message)}")
    lines.append(summary(findings, files_checked))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": lambda findings, n: render_text(findings, None, n),
    "json": render_json,
    "github": render_github,
}


def _check_paths(root: Path, paths: list[Path]) -> list[Path]:
    content = os.path.abspath(root / CONTENT)
    if not os.path.isdir(content):
        raise UsageProblem(f"在 {root} 下找不到 {CONTENT}/ 目录："
                           "请在仓库根目录运行，或用 --root 指定仓库根目录。")
    out = []
    for p in paths:
        full = os.path.abspath(p)
        if not os.path.isabs(p) and not os.path.lexists(full) and os.path.lexists(root / p):
            full = os.path.abspath(root / p)  # relative to --root rather than to where we stand
        if os.path.commonpath([full, content]) != content:
            raise UsageProblem(f"只能校验 {CONTENT}/ 里的文件：{p} 不在 {CONTENT}/ 里。")
        if not os.path.lexists(full):
            raise UsageProblem(f"找不到文件：{p}")
        out.append(Path(full))
    return out


def run_validate(root: Path, paths: list[Path], fmt: str = "text", *, out=None) -> int:
    """Validate and print one report; return 1 when there are errors. Writes nothing to disk.

    Raises UsageProblem for a wrong format or path; any other exception is a bug the CLI reports.
    """
    out = out or sys.stdout
    if fmt not in RENDERERS:
        raise UsageProblem(f"不支持的输出格式 {fmt}（可选 text、json、github）。")
    root = Path(root)
    checked = _check_paths(root, list(paths))
    from generator.check import check_tree

    result = check_tree(root, checked if paths else None)
    print(RENDERERS[fmt](result.findings, len(result.files)), file=out)
    return 1 if result.errors else 0
