"""Reporters: findings → text for people, JSON for tools, workflow commands for GitHub Actions.

run_validate() is what `zhiqian validate` calls: it picks files, runs the check, prints one report
and returns the exit code (0 clean or warnings only, 1 errors, 2 usage or internal error).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from generator.check.findings import CODES, ERROR, SEVERITY_ZH, Finding, count, shown_path
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
        field = f"{shown_path(f.path)}：" if f.path else ""
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
        props.append(f"title={_escape_property(CODES.get(f.code, f.code))}")  # staff read the Chinese title
        field = f"{shown_path(f.path)}：" if f.path else ""
        lines.append(f"::{level} {','.join(props)}::{_escape_data(field + f.message)}")
    lines.append(summary(findings, files_checked))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": lambda findings, n: render_text(findings, None, n),
    "json": render_json,
    "github": render_github,
}


class _Usage(Exception):
    pass


def _check_paths(root: Path, paths: list[Path]) -> list[Path]:
    from generator.check.misplaced import return_home

    content = os.path.abspath(root / CONTENT)
    if not os.path.isdir(content):
        raise _Usage(f"在 {root} 下找不到 {CONTENT}/ 目录：请在仓库根目录运行，或用 --root 指定仓库根目录。")
    out = []
    for p in paths:
        full = os.path.abspath(p)
        if not os.path.isabs(p) and not os.path.lexists(full) and os.path.lexists(root / p):
            full = os.path.abspath(root / p)  # relative to --root rather than to where we stand
        if os.path.commonpath([full, content]) != content:
            home = return_home(Path(os.path.relpath(full, os.path.abspath(root))).as_posix())
            where = (f"这像是一份月报，只有放在 {home} 才会被读取和报送：请把它移到那里再校验。"
                     if home else "")
            raise _Usage(f"只能校验 {CONTENT}/ 里的文件：{p} 不在 {CONTENT}/ 里。{where}")
        if not os.path.lexists(full):
            raise _Usage(f"找不到文件：{p}")
        out.append(Path(full))
    return out


def run_validate(root: Path, paths: list[Path], fmt: str = "text", *, out=None, err=None) -> int:
    """Validate and print one report. Writes nothing to disk."""
    out = out or sys.stdout
    err = err or sys.stderr
    root = Path(root)
    try:
        checked = _check_paths(root, list(paths))
        selected = checked if paths else None
        from generator.check import check_tree

        result = check_tree(root, selected)
        render = RENDERERS[fmt]
    except _Usage as e:
        print(f"错误：{e}", file=err)
        return 2
    except KeyError:
        print(f"错误：不支持的输出格式 {fmt}（可选 text、json、github）。", file=err)
        return 2
    except Exception as e:  # a bug, not the user's mistake: one line, no traceback
        print(f"内部错误：{type(e).__name__}: {e}。请把这条信息和所校验的文件报告给维护者。", file=err)
        return 2
    print(render(result.findings, len(result.files)), file=out)
    return 1 if result.errors else 0
