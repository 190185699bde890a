"""The one home of dates and deadlines: parsing, months, when a month's returns are due, when the month
closes. Dates travel as "YYYY-MM-DD" strings (as in the YAML). Read by analyse/, workflow/ and check/."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta

DEFAULT_DUE_DAY = 25  # the schema requires due_day (1–28); the default serves partial settings
DEFAULT_CLOSE_AFTER_DAYS = 10


def parse(value) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
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


def month_start(month: str) -> date:
    y, m = (int(x) for x in month.split("-"))
    return date(y, m, 1)


def due_date(month: str, settings: dict) -> date:
    """The return for `month` is due on due_day of month + due_month_offset. due_day is 1–28 (schema), so
    every month has that day; a missing key means the default, never a silent 0 → 25."""
    rules = settings.get("returns") or {}
    target = add_months(month, int(rules.get("due_month_offset") or 0))
    day = rules.get("due_day")
    day = DEFAULT_DUE_DAY if day is None else int(day)
    if not 1 <= day <= 28:
        raise ValueError(f"settings.returns.due_day 应为 1–28，现为 {day}")
    return month_start(target).replace(day=day)


def last_open_day(month: str, settings: dict) -> date:
    """The last day a return of `month` may still change without an amendment."""
    days = (settings.get("returns") or {}).get("close_after_days")
    return due_date(month, settings) + timedelta(days=DEFAULT_CLOSE_AFTER_DAYS if days is None else int(days))


def is_closed(month: str, settings: dict, today: date) -> bool:
    return today > last_open_day(month, settings)


def next_due(after: date, settings: dict) -> date:
    """The first monthly due date strictly after `after`."""
    month = f"{after.year:04d}-{after.month:02d}"
    for i in range(-1, 3):
        d = due_date(add_months(month, i), settings)
        if d > after:
            return d
    return after + timedelta(days=30)


def is_due(month: str, settings: dict) -> bool:
    """Whether a month's due day has passed as of settings.as_of: no document is made for a month before."""
    return due_date(month, settings) < as_of(settings)


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


def columns(df, *names: str):
    """Rows of the named columns as tuples of plain values: iterating a pandas column directly costs
    several microseconds a value (string columns box each one)."""
    return zip(*(df[name].tolist() for name in names), strict=True)


# ---------------------------------------------------------------------------- working days
_UNKNOWN_YEARS: set[int] = set()  # years chinese-calendar has no data for (weekends only there)


def is_working_day(d: date) -> bool:
    """China's working days: public holidays off, 调休 Saturdays and Sundays on (chinese-calendar). A year
    the package does not know yet falls back to Monday–Friday, and `calendar_warnings` says so."""
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:  # "no available data for year …"
        _UNKNOWN_YEARS.add(d.year)
        return d.weekday() < 5


def working_day_after(d: date, n: int = 1) -> date:
    """The n-th working day after d (n ≥ 1)."""
    count = 0
    while count < max(1, n):
        d += timedelta(days=1)
        count += is_working_day(d)
    return d


def working_day_on_or_before(d: date) -> date:
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def calendar_warnings() -> list[str]:
    """What the build tells the office about years without holiday data."""
    return [f"提示：chinese-calendar 软件包还没有{y}年的节假日和调休安排，{y}年的印发日只避开了周末；"
            "请升级该软件包（pip install -U chinese-calendar）后重新生成。" for y in sorted(_UNKNOWN_YEARS)]
