"""What import-xlsx and export-xlsx refuse before touching a return: last month's sheet filled again with
the month unchanged (it would replace a closed month), and exporting a month whose file has errors (the
workbook would come out blank, as if nobody had filed)."""

from __future__ import annotations

from pathlib import Path

from generator.errors import ContentInvalid, UsageProblem
from generator.model import Content


def refuse_reused_sheet(root: Path, content: Content, target: Path, data: dict, basic: str,
                        amendments: str) -> None:
    """Last month's workbook filled again with the month left unchanged would replace a closed month's
    return with this month's data (following --force, then an amendment): refused, --force or not,
    unless the workbook adds an amendment (then it is a deliberate correction of that month)."""
    from generator.analyse import dates

    if not target.exists():
        return
    month, settings = data["month"], content.settings
    try:
        today = dates.as_of(settings)
        closed = dates.is_closed(month, settings, today)
    except (ValueError, TypeError):
        return
    if not closed:
        return
    from generator.workflow.yamlio import parse

    try:
        old = parse(target.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - an unreadable file: the overwrite rules below apply
        return
    known = (old.get("amendments") if isinstance(old, dict) else None) or []
    if len(data.get("amendments") or []) > len(known):
        return
    current = f"{today.year:04d}-{today.month:02d}"
    rel = target.relative_to(root).as_posix()
    raise UsageProblem(
        f"表中的月份是 {month}，而 {rel} 已经报送、该月已关账，没有导入（加 --force 也不会覆盖）。"
        f"如果这是 {current} 的月报，多半是沿用了上月的表格、忘了改月份：请把“{basic}”表的月份改为"
        f" {current}，或用 zhiqian export-xlsx --month {current} 导出新表。"
        f"确需更正 {month} 的月报，请在“{amendments}”表末尾新增一条更正记录后再导入。")


def refuse_broken_return(root: Path, path: Path) -> None:
    """A month whose file exists but could not be read is not exported as a blank template (which would
    look like a return nobody filled): the file's errors are shown instead."""
    if not path.exists():
        return
    from generator.check import check_tree

    errors = check_tree(root, [path]).errors
    shown = [f"{f.file}:{f.line}：{f.message}" for f in errors[:5]]
    more = f"\n（另有 {len(errors) - 5} 个错误）" if len(errors) > 5 else ""
    raise ContentInvalid(f"{path.relative_to(root).as_posix()} 有 {len(errors)} 个错误，无法导出"
                         "（导出的表格会是空白的）：请先按下面的提示改正该文件，再导出。\n"
                         + "\n".join(shown) + more)
