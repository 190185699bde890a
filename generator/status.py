"""`zhiqian status [YYYY-MM]`: who submitted a month's return on time, late, or not at all.

Reads the submissions table (analyse stage), so the terminal, the internal site and the PDFs agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from generator.errors import UsageProblem

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
HEADERS = ["单位", "状态", "截止日期", "报送日期", "报送人", "依据", "更正"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[list[str]]) -> list[str]:
    """Columns aligned for a terminal, CJK characters counted as two cells."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
        if k == 0:
            lines.append("  ".join("─" * w for w in widths))
    return lines


def _who(row: dict) -> str:
    if not row["landed_by"]:
        return "—"
    name = row.get("landed_by_name")
    return f"{name}（{row['landed_by']}）" if name and name != row["landed_by"] else str(row["landed_by"])


def status_lines(content, provenance: dict, month: str | None) -> list[str]:
    """The lines `zhiqian status` prints."""
    from generator.analyse import submissions

    board = submissions.table(content, provenance)
    if month is None:
        month = submissions.latest_due_month(content)
        if month is None:
            return ["还没有任何月报。"]
    elif not MONTH.match(month):
        raise UsageProblem(f"月份格式应为 YYYY-MM（如 2024-08），收到：{month}")
    rows = board[board["month"] == month]
    if rows.empty:
        known = "、".join(sorted(board["month"].unique())) or "无"
        raise UsageProblem(f"{month} 不在报送统计范围内（已有月份：{known}）")
    as_of = content.settings.get("as_of")
    table = [HEADERS]
    for r in rows.to_dict(orient="records"):
        table.append([
            r["unit_name"], r["label"], r["due_date"], r["landed_on"] or "—",
            _who(r), {"git": "提交历史", "填报日期": "填报日期"}.get(r["source"] or "", "—"),
            f"{r['amendments']} 次" if r["amendments"] else "—",
        ])
    due = rows.iloc[0]["due_date"]
    counts = rows["status"].value_counts()
    y, m = month.split("-")
    head = f"{y}年{int(m)}月 欠薪隐患排查根治表报送情况（截止 {due}，统计截止 {as_of}）"
    n = {s: int(counts.get(s, 0)) for s in ("按时", "逾期", "未报送")}
    summary = f"共 {len(rows)} 个单位：按时 {n['按时']}，逾期 {n['逾期']}，未报送 {n['未报送']}。"
    missing = rows[rows["status"] == "未报送"]["unit_name"].tolist()
    lines = [head, "", *format_table(table), "", summary]
    note = submissions.history_note(provenance)
    if note:
        lines.insert(0, f"警告：{note}")
    if missing and bool(rows.iloc[0]["due_passed"]):
        lines.append("未报送：" + "、".join(missing))
    return lines


def print_status(root: Path, month: str | None, echo: Callable[[str], None]) -> None:
    from generator import provenance
    from generator.build import load_checked

    content = load_checked(Path(root))
    for line in status_lines(content, provenance.collect(Path(root)), month):
        echo(line)
