"""Hazards: one row per hazard per monthly return, with overdue flags and summaries.

A unit carries a hazard from month to month under the same key (unit / id / found_on); `latest`
marks the row from the unit's latest return that reported it. The same case is often reported by
both the village and the sector authority: `case` (target / found_on) joins those, and `current`
marks the one row that stands for the case today (latest month; a resolved report wins a tie).
Totals and the overdue-now flags are computed on `current` rows, so a case counts once.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from generator.analyse.dates import as_of, columns, frame, month_end, parse
from generator.model import Content

COLUMNS = ["month", "unit", "unit_name", "hazard_id", "key", "target_kind", "target_id", "target_name",
           "village", "authority", "cause", "workers", "amount_owed_yuan", "workers_paid",
           "amount_repaid_yuan", "found_on", "deadline", "status", "resolved_on", "overdue", "latest",
           # further columns the internal site and the documents read
           "village_name", "authority_name", "description", "measures", "overdue_now", "days_overdue",
           "case", "current", "reported_by"]

RESOLVED = "已化解"


def _target(content: Content, unit: dict | None, hazard: dict) -> tuple[str, str | None, str, str | None]:
    """(kind, id, name, village) of what a hazard is about."""
    if hazard.get("project"):
        p = content.projects.get(hazard["project"], {})
        return "项目", hazard["project"], p.get("name", hazard["project"]), p.get("village")
    if hazard.get("enterprise"):
        e = content.enterprises.get(hazard["enterprise"], {})
        return "企业", hazard["enterprise"], e.get("name", hazard["enterprise"]), e.get("village")
    village = unit["id"] if unit and unit.get("kind") == "village" else None
    return "其他", None, hazard.get("other_target") or "", village


def table(content: Content) -> pd.DataFrame:
    today = as_of(content.settings)
    units = content.units
    unit_name = cache(content.unit_name)  # 20,000 rows, a few hundred units
    cutoff, cutoff_month = today, None
    rows = []
    for (month, uid), ret in sorted(content.returns.items()):
        if month != cutoff_month:  # sorted by month: the day overdue is judged on changes with it
            cutoff, cutoff_month = min(month_end(month), today), month
        for h in ret.get("hazards") or []:
            kind, tid, tname, village = _target(content, units.get(uid), h)
            authority = content.projects.get(tid, {}).get("authority") if kind == "项目" else None
            deadline = parse(h.get("deadline"))
            open_ = h.get("status") != RESOLVED
            rows.append({
                "month": month, "unit": uid, "unit_name": unit_name(uid),
                "hazard_id": h.get("id"), "key": f"{uid}/{h.get('id')}/{h.get('found_on')}",
                "target_kind": kind, "target_id": tid, "target_name": tname, "village": village,
                "authority": authority, "cause": h.get("cause"), "workers": int(h.get("workers") or 0),
                "amount_owed_yuan": float(h.get("amount_owed_yuan") or 0),
                "workers_paid": int(h.get("workers_paid") or 0),
                "amount_repaid_yuan": float(h.get("amount_repaid_yuan") or 0),
                "found_on": h.get("found_on"), "deadline": h.get("deadline"), "status": h.get("status"),
                "resolved_on": h.get("resolved_on"),
                "overdue": bool(open_ and deadline is not None and deadline < cutoff),
                "latest": False,
                "village_name": unit_name(village) if village else None,
                "authority_name": unit_name(authority) if authority else None,
                "description": h.get("description"), "measures": h.get("measures"),
                "overdue_now": False,
                "days_overdue": 0,
                "case": f"{kind}/{tid or tname}/{h.get('found_on')}",
                "current": False,
                "reported_by": [],
            })
    df = frame(rows, COLUMNS)
    if df.empty:
        return df
    last: dict[str, str] = {}  # key → the latest month that reported it (plain dict: 20,000 string groups)
    for key, month in columns(df, "key", "month"):
        if month > last.get(key, ""):
            last[key] = month
    df["latest"] = [month == last[key] for key, month in columns(df, "key", "month")]
    # The row standing for each case: latest month, then resolved first, then most repaid.
    order = df.assign(_resolved=df["status"] == RESOLVED).sort_values(
        ["case", "month", "_resolved", "amount_repaid_yuan"], ascending=[True, False, False, False])
    df["current"] = False
    df.loc[order.drop_duplicates("case").index, "current"] = True
    names = _reporters(df)
    df["reported_by"] = [list(names[c]) if cur else []
                         for c, cur in columns(df, "case", "current")]
    deadlines = df["deadline"].map(parse)
    open_now = df["current"] & (df["status"] != RESOLVED)
    df["days_overdue"] = [
        max(0, (today - d).days) if (o and d is not None) else 0
        for o, d in zip(open_now.tolist(), deadlines.tolist(), strict=True)
    ]
    df["overdue_now"] = df["days_overdue"] > 0
    return df


def _reporters(rows: pd.DataFrame) -> dict[str, dict[str, None]]:
    """case → the units that reported it, in row order, each once."""
    out: dict[str, dict[str, None]] = {}
    for case, name in columns(rows, "case", "unit_name"):
        out.setdefault(case, {})[name] = None
    return out


def _representatives(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, month): a resolved report first, then the one that repaid most."""
    order = rows.assign(_resolved=rows["status"] == RESOLVED).sort_values(
        ["case", "month", "_resolved", "amount_repaid_yuan"], ascending=[True, True, False, False])
    return order.drop_duplicates(["case", "month"]).drop(columns="_resolved")


def cases_by_month(df: pd.DataFrame) -> pd.DataFrame:
    """The cases reported in each month, each once a month (the rule of this module), with every unit that
    reported it that month in `reported_by`; by case, then month. Read by the monthly 通报."""
    if df.empty:
        return df
    reporters: dict[tuple[str, str], dict[str, None]] = {}
    for case, month, name in columns(df, "case", "month", "unit_name"):
        reporters.setdefault((case, month), {})[name] = None
    out = _representatives(df).copy()
    out["reported_by"] = [list(reporters[key]) for key in columns(out, "case", "month")]
    return out


def cumulative_paid(df: pd.DataFrame, upto: str) -> dict:
    """累计已支付 up to the end of `upto`: every case ever reported counts with its latest report, so a case
    that was resolved and left the returns keeps what was paid (the figure never shrinks from month to
    month)."""
    return cumulative_paid_by_month(df, [upto])[upto]


def cumulative_paid_by_month(df: pd.DataFrame, months: list[str]) -> dict[str, dict]:
    """`cumulative_paid` for each of `months`, from one pass over the reports in month order."""
    reports = [] if df.empty else sorted(columns(_representatives(df), "month", "case", "workers_paid",
                                                 "amount_repaid_yuan"))
    latest: dict[str, tuple[int, float]] = {}  # case → (workers paid, amount repaid) of its latest report
    out, i = {}, 0
    for upto in sorted(months):
        while i < len(reports) and reports[i][0] <= upto:
            latest[reports[i][1]] = reports[i][2:]
            i += 1
        out[upto] = {"workers_paid": int(sum(w for w, _ in latest.values())),
                     "amount_repaid_yuan": float(sum(a for _, a in latest.values()))}
    return out


def current(df: pd.DataFrame) -> pd.DataFrame:
    """The current state of each case (one row per case), overdue first."""
    cur = df[df["current"].astype(bool)].copy()
    return cur.sort_values(["overdue_now", "days_overdue", "month"], ascending=[False, False, False])


SUMMARY_COLUMNS = ["hazards", "open", "resolved", "overdue", "workers", "amount_owed_yuan", "workers_paid",
                   "amount_repaid_yuan", "open_workers", "open_amount_yuan"]


def summary(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Cases grouped by `by` (cause, authority_name, village_name …; "unit_name" counts a case under
    every unit that reported it): counts, workers and amounts in their current state."""
    cur = df[df["current"]].copy() if not df.empty else df
    if cur.empty:
        return pd.DataFrame(columns=[by, *SUMMARY_COLUMNS])
    if by == "unit_name":
        cur = cur.drop(columns="unit_name").explode("reported_by")
        cur = cur.rename(columns={"reported_by": "unit_name"})
    cur[by] = cur[by].fillna("（无）")
    cur["is_open"] = cur["status"] != RESOLVED
    cur["open_workers"] = cur["workers"].where(cur["is_open"], 0)
    cur["open_amount_yuan"] = cur["amount_owed_yuan"].where(cur["is_open"], 0)
    out = cur.groupby(by, sort=True).agg(
        hazards=("case", "count"), open=("is_open", "sum"),
        resolved=("is_open", lambda s: int((~s).sum())), overdue=("overdue_now", "sum"),
        workers=("workers", "sum"), amount_owed_yuan=("amount_owed_yuan", "sum"),
        workers_paid=("workers_paid", "sum"), amount_repaid_yuan=("amount_repaid_yuan", "sum"),
        open_workers=("open_workers", "sum"), open_amount_yuan=("open_amount_yuan", "sum"),
    ).reset_index()
    for col in ("open", "overdue", "workers", "workers_paid", "open_workers"):
        out[col] = out[col].astype(int)
    return out.sort_values(["open", "hazards"], ascending=False).reset_index(drop=True)


def totals(df: pd.DataFrame) -> dict:
    """Key figures over the cases in their current state (each case once)."""
    cur = df[df["current"]] if not df.empty else df
    if cur.empty:
        return {k: 0 for k in ("hazards", "open", "resolved", "overdue", "workers", "workers_paid",
                               "amount_owed_yuan", "amount_repaid_yuan", "open_workers", "open_amount_yuan")}
    open_ = cur[cur["status"] != RESOLVED]
    return {
        "hazards": int(len(cur)),
        "open": int(len(open_)),
        "resolved": int(len(cur) - len(open_)),
        "overdue": int(cur["overdue_now"].sum()),
        "workers": int(cur["workers"].sum()),
        "workers_paid": int(cur["workers_paid"].sum()),
        "amount_owed_yuan": float(cur["amount_owed_yuan"].sum()),
        "amount_repaid_yuan": float(cur["amount_repaid_yuan"].sum()),
        "open_workers": int(open_["workers"].sum()),
        "open_amount_yuan": float(open_["amount_owed_yuan"].sum()),
    }


SUMMARY_BY = ("unit_name", "cause", "authority_name")


def summaries(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The case summaries the hazards page shows: by reporting unit, by cause, by sector authority."""
    return {by: summary(df, by) for by in SUMMARY_BY}
