"""Submission board: for each reporting unit and month, on time / late (days) / missing.

A return is on time when it first landed on the main branch (git provenance) on or before the due
date in settings.returns. Without git history the return's own filled_on date stands in.
"""

from __future__ import annotations

import pandas as pd

from generator.analyse.dates import add_months, as_of, columns, due_date, frame, iso, parse
from generator.model import Content

COLUMNS = ["month", "unit", "unit_name", "unit_kind", "due_date", "landed_on", "landed_by", "source",
           "status", "days_late", "amendments",
           # further columns the internal site and the documents read
           "due_passed", "landed_sha", "git_changes", "filled_on", "filled_by", "hazard_count",
           "open_hazards", "path", "landed_by_name", "label", "board_state"]

ON_TIME, LATE, MISSING = "按时", "逾期", "未报送"
NOT_DUE = "未到期"  # missing, but its due date has not come yet


def history_note(provenance: dict) -> str | None:
    """What on-time/late falls back to when the git history is missing, shallow or unreadable."""
    reason = getattr(provenance, "fallback", None)
    if not reason:
        return None
    return (f"{reason}：月报是否按时，改按各单位自填的填报日期（filled_on）判断，可能不准确。"
            "请在完整克隆的仓库中生成（浅克隆可先运行 git fetch --unshallow）。")


def board_months(content: Content) -> list[str]:
    """First month with returns → last month already due by as_of, plus every month with returns."""
    months = set(content.months)
    if not months:
        return []
    today = as_of(content.settings)
    month = min(months)
    while due_date(month, content.settings) <= today:
        months.add(month)
        month = add_months(month, 1)
    return sorted(months)


def table(content: Content, provenance: dict) -> pd.DataFrame:
    today = as_of(content.settings)
    units = {u["id"]: u for u in content.reporting_units}
    for _month, unit in content.returns:  # a unit that files although not marked as reporting
        if unit not in units:
            units[unit] = content.units.get(unit, {"id": unit, "name": unit, "kind": None})
    accounts = content.account_names()  # so "landed by" can show a name the office knows
    rows = []
    for month in board_months(content):
        due = due_date(month, content.settings)
        for uid, unit in units.items():
            ret = content.returns.get((month, uid))
            path = f"returns/{month}/{uid}.yaml"
            prov = (provenance or {}).get(path) if ret is not None else None
            row = {"month": month, "unit": uid, "unit_name": unit.get("name", uid),
                   "unit_kind": unit.get("kind"), "due_date": iso(due), "landed_on": None,
                   "landed_by": None, "source": None, "amendments": 0, "due_passed": due <= today,
                   "landed_sha": None, "git_changes": 0, "filled_on": None, "filled_by": None,
                   "hazard_count": 0, "open_hazards": 0, "path": None, "landed_by_name": None}
            if ret is None:
                row["status"] = MISSING
                row["days_late"] = max(0, (today - due).days)
            else:
                hazards = ret.get("hazards") or []
                row.update(path=path, filled_on=ret.get("filled_on"), filled_by=ret.get("filled_by"),
                           amendments=len(ret.get("amendments") or []), hazard_count=len(hazards),
                           open_hazards=sum(1 for h in hazards if h.get("status") != "已化解"))
                if prov:
                    landed = prov["landed"]
                    row.update(landed_on=landed["date"], landed_by=landed["author"], source="git",
                               landed_sha=landed["sha"], git_changes=len(prov.get("amendments", [])),
                               landed_by_name=accounts.get(landed["author"])
                               or accounts.get(landed.get("email", "").split("@")[0]))
                elif ret.get("filled_on"):
                    row.update(landed_on=str(ret["filled_on"])[:10], landed_by=ret.get("filled_by"),
                               source="填报日期", landed_by_name=content.person_name(ret.get("filled_by")))
                landed = parse(row["landed_on"])
                late = (landed - due).days if landed else 0
                row["status"] = LATE if late > 0 else ON_TIME
                row["days_late"] = max(0, late)
            row["label"] = status_label(row)
            row["board_state"] = NOT_DUE if row["label"] == NOT_DUE else row["status"]
            rows.append(row)
    return frame(rows, COLUMNS)


def status_label(row) -> str:
    """The Chinese cell text of one board row: 按时 / 逾期 N 天 / 未报送 / 未到期."""
    if row["status"] == LATE:
        return f"逾期 {int(row['days_late'])} 天"
    if row["status"] == MISSING and not row["due_passed"]:
        return NOT_DUE
    return str(row["status"])


def latest_due_month(content: Content) -> str | None:
    """The latest month whose due date is on or before as_of (the default of `zhiqian status`)."""
    today = as_of(content.settings)
    due = [m for m in board_months(content) if due_date(m, content.settings) <= today]
    return due[-1] if due else None


def by_unit(board: pd.DataFrame) -> pd.DataFrame:
    """Per unit: months due, on time, late, missing, total days late, on-time rate (%)."""
    due = board[board["due_passed"].astype(bool)]
    status = due["status"]
    flags = due.assign(on_time=status == ON_TIME, late=status == LATE, missing=status == MISSING,
                       days_late=due["days_late"].where(status == LATE, 0))
    out = flags.groupby(["unit", "unit_name"], sort=False).agg(
        months=("month", "count"), on_time=("on_time", "sum"), late=("late", "sum"),
        missing=("missing", "sum"), days_late=("days_late", "sum"),
    ).reset_index()
    out["on_time_rate"] = (out["on_time"] * 100 / out["months"]).round(1)
    return out


def month_counts(board: pd.DataFrame, month: str | None) -> dict[str, int]:
    """How many units were on time, late or missing in one month."""
    rows = board[board["month"] == month] if len(board) else board
    return {s: int((rows["status"] == s).sum()) if len(rows) else 0 for s in (ON_TIME, LATE, MISSING)}


def counts_by_unit(board: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per unit, over the months already due: how many on time, late and missing."""
    out: dict[str, dict[str, int]] = {}
    for unit, due_passed, status in columns(board, "unit", "due_passed", "status"):
        counts = out.setdefault(unit, {ON_TIME: 0, LATE: 0, MISSING: 0})
        if due_passed:
            counts[status] += 1
    return out


def landed_on(df) -> dict:
    """(month, unit) → the date its return landed (git provenance, else filled_on), for returns that did."""
    if df is None or len(df) == 0:
        return {}
    rows = df[df["landed_on"].notna()]
    return {(m, u): parse(d) for m, u, d in columns(rows, "month", "unit", "landed_on")}
