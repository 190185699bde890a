"""Date helpers shared by the analyses. Dates travel as "YYYY-MM-DD" strings (as in the YAML)."""

from __future__ import annotations

import calendar
from datetime import date


def parse(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def month_end(month: str) -> date:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(month: str, n: int) -> str:
    y, m = (int(x) for x in month.split("-"))
    idx = y * 12 + (m - 1) + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def month_of(value) -> str | None:
    d = parse(value)
    return f"{d.year:04d}-{d.month:02d}" if d else None


def due_date(month: str, settings: dict) -> date:
    """The return for `month` is due on due_day of month + due_month_offset (clamped to month end)."""
    rules = settings.get("returns", {})
    target = add_months(month, int(rules.get("due_month_offset", 0) or 0))
    end = month_end(target)
    return end.replace(day=min(int(rules.get("due_day", 25) or 25), end.day))


def as_of(settings: dict) -> date:
    """The "today" of every analysis: settings.as_of, never the clock."""
    value = parse(settings.get("as_of"))
    if value is None:
        raise ValueError("settings.as_of 未设置")
    return value


def frame(rows: list[dict], columns: list[str]):
    """A DataFrame whose missing values are None (not NaN), so `if value:` and templates behave."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    for col in df.columns:
        if df[col].isna().any():
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df
