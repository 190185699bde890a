"""When a month's returns are due and when the month closes (settings.returns)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def due_date(month: str, settings: dict) -> date:
    """The due day of a month's returns: due_day of the month `due_month_offset` months later,
    clamped to the month's last day (a due_day of 31 in November is 30 November)."""
    cfg = settings.get("returns") or {}
    year, mon = (int(x) for x in month.split("-"))
    mon += int(cfg.get("due_month_offset", 0) or 0)
    year, mon = year + (mon - 1) // 12, (mon - 1) % 12 + 1
    day = min(int(cfg.get("due_day", 25) or 25), calendar.monthrange(year, mon)[1])
    return date(year, mon, day)


def last_open_day(month: str, settings: dict) -> date:
    """The last day a return of `month` may still change without an amendment."""
    days = int((settings.get("returns") or {}).get("close_after_days", 10) or 0)
    return due_date(month, settings) + timedelta(days=days)


def is_closed(month: str, settings: dict, today: date) -> bool:
    return today > last_open_day(month, settings)
