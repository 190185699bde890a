"""`zhiqian format [--check]`: put monthly returns back in the annotated layout new-return writes.

The web form saves a return without its `# yaml-language-server` line and comments, with its own key
order and quoting. The data are the same, so validate and check-pr accept it as it is; this command puts
the canonical layout back (the office runs it after merging form PRs, or in its own PR). A file is
rewritten only when it has no errors and its new text reads back to exactly the same data, so nothing a
clerk entered can be lost; `--check` only lists the files that differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load import parse_text
from generator.paths import CONTENT
from generator.workflow.scaffold import annotate, load_content


@dataclass
class FormatReport:
    changed: list[str] = field(default_factory=list)  # rewritten (or, with check, would be)
    skipped: list[str] = field(default_factory=list)  # left alone, with the reason


def format_returns(root: Path, *, check: bool = False) -> FormatReport:
    root = Path(root)
    content = load_content(root)  # files with errors are left out: validate reports them
    report = FormatReport()
    loaded = {(d["month"], d["unit"]) for d in content.returns.values()}
    for path in sorted((root / CONTENT / "returns").glob("*/*.yaml")):
        rel = path.relative_to(root).as_posix()
        month, unit = path.parent.name, path.stem
        if (month, unit) not in loaded:
            report.skipped.append(f"{rel}：有错误，未整理（先运行 zhiqian validate 改正）")
            continue
        data = content.returns[(month, unit)]
        text = annotate(content, root, data)
        old = path.read_text(encoding="utf-8")
        if text == old:
            continue
        again, findings, ok = parse_text(text, rel)
        if not ok or findings or again != data:  # the layout must never change what the file says
            report.skipped.append(f"{rel}：整理后的内容与原文件不完全相同，未改动（请报告给维护者）")
            continue
        report.changed.append(rel)
        if not check:
            path.write_text(text, encoding="utf-8")
    return report
