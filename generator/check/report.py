"""`zhiqian validate`: pick the files, run the check, print one report (generator/reporters.py).

run_validate() is what `zhiqian validate` calls: it picks files, runs the check, prints one report
and returns the exit code (0 clean or warnings only, 1 errors); the CLI maps raised errors to 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.errors import UsageProblem
from generator.paths import CONTENT
from generator.reporters import VALIDATE_FORMATS


def _check_paths(root: Path, paths: list[Path]) -> list[Path]:
    from generator.misplaced import return_home

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
            home = return_home(Path(os.path.relpath(full, os.path.abspath(root))).as_posix())
            where = (f"这像是一份月报，只有放在 {home} 才会被读取和报送：请把它移到那里再校验。"
                     if home else "")
            raise UsageProblem(f"只能校验 {CONTENT}/ 里的文件：{p} 不在 {CONTENT}/ 里。{where}")
        if not os.path.lexists(full):
            raise UsageProblem(f"找不到文件：{p}")
        out.append(Path(full))
    return out


def run_validate(root: Path, paths: list[Path], fmt: str = "text", *, out=None,
                 changed_since: str | None = None) -> int:
    """Validate and print one report; return 1 when there are errors. Writes nothing to disk.

    Raises UsageProblem for a wrong format or path; any other exception is a bug the CLI reports.
    """
    out = out or sys.stdout
    if fmt not in VALIDATE_FORMATS:
        raise UsageProblem(f"不支持的输出格式 {fmt}（可选 text、json、github）。")
    root = Path(root)
    checked = _check_paths(root, list(paths))
    if paths and changed_since:
        raise UsageProblem("--changed-since 和文件名只能用其中一个。")
    if changed_since:  # git problems first, before the check
        findings, files = _check_changed(root, changed_since)
    else:
        from generator.check import check_tree

        result = check_tree(root, checked if paths else None)
        findings, files = result.findings, result.files
    print(VALIDATE_FORMATS[fmt](findings, len(files)), file=out)
    return 1 if any(f.severity == "error" for f in findings) else 0


def _check_changed(root: Path, base: str) -> tuple[list, list[str]]:
    """The pull-request check: the changed files and their dependents, loading only what they need
    (check/selection.py); a change to something every file reads checks everything, and says so."""
    from generator.check import check_loaded, check_tree
    from generator.check.selection import Fallback, global_change, plan
    from generator.workflow import gitio

    start = gitio.resolve(root, base)
    changed = _changed(root, start)
    reason = global_change(changed)
    if reason is None:
        try:
            report, tree = plan(root, changed, gitio.merge_base(root, start))
        except Fallback as e:
            reason = str(e)
    if reason is not None:
        print(reason, file=sys.stderr)
        result = check_tree(root)
        return result.findings, result.files
    extra = []
    if any(not p.startswith(f"{CONTENT}/") for p in changed):
        from generator.misplaced import outside_content

        extra = outside_content(root)
    result = check_loaded(root, tree.documents(), report.__contains__, extra)
    if "projects" not in tree.whole and any(f.code == "public.personal-number" for f in result.findings):
        # A number in a public field may be a project's published phone (public_fields.py): ask all of them.
        tree.load_folder("projects")
        result = check_loaded(root, tree.documents(), report.__contains__, extra)
    return result.findings, result.files


def _changed(root: Path, start: str) -> list[str]:
    """Repository-relative paths changed on HEAD since it left `start` (both names of a rename)."""
    from generator.workflow import gitio

    changes = gitio.changes(root, start, "HEAD")
    return [p for c in changes for p in (c.path, c.old_path) if p]
