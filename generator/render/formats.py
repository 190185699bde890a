"""How amounts, rates and dates are written: one home, a named variant per medium.

- office pages (internal site): exact yuan with thousands separators, "—" when a value is missing;
- public site: 万元 when large (what a reader takes in at a glance), "待核实" when a figure is unknown;
- printed documents (通报, posters): 万元 without trailing zeros, GB/T 9704 dates.
Every function takes what the analyse stage hands over (numbers, ISO dates, "YYYY-MM" months).
"""

from __future__ import annotations

import datetime
from typing import Any

MISSING = "—"
PENDING = "待核实"


# --- amounts -----------------------------------------------------------------------------------------

def yuan_office(value: Any) -> str:
    """1,234,567 元: the office checks exact figures."""
    if value is None or value == "":
        return MISSING
    return f"{float(value):,.0f} 元"


def wan_office(value: Any) -> str:
    """123.46 万元, two decimals, for deposit totals on office pages."""
    if value is None:
        return MISSING
    return f"{float(value) / 10000:,.2f} 万元"


def yuan_public(value: Any) -> str:
    """12.35 万元 from 10,000 up, else 950 元; 待核实 when the figure is not known."""
    if value is None:
        return PENDING
    v = float(value)
    return f"{v / 10000:.2f} 万元" if abs(v) >= 10000 else f"{v:.0f} 元"


def yuan_document(value: Any) -> str:
    """12.5万元 / 1500.5元: how a 通报 writes amounts (no space or trailing zeros; fractions kept)."""
    v = float(value or 0)
    if v >= 10000:
        return f"{v / 10000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:.2f}".rstrip("0").rstrip(".") + "元"


# --- rates and flags ---------------------------------------------------------------------------------

def pct(value: Any) -> str:
    return MISSING if value is None else f"{float(value):g}%"


def yes_no(value: Any) -> str:
    return MISSING if value is None else ("是" if value else "否")


# --- dates -------------------------------------------------------------------------------------------

def cn_month(month: str | None) -> str:
    """2024-08 → 2024年8月 ("" when there is no month)."""
    if not month:
        return ""
    y, m = str(month).split("-")[:2]
    return f"{y}年{int(m)}月"


def cn_date_office(value: Any) -> str:
    """2024-08-03 → 2024年8月3日; "—" when missing, anything else as written."""
    if not value:
        return MISSING
    parts = str(value)[:10].split("-")
    if len(parts) != 3:
        return str(value)
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


def cn_date_document(value: Any) -> str:
    """2024年9月4日: Arabic digits without padding, as GB/T 9704 writes dates."""
    if value in (None, ""):
        return ""
    d = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date_public(value: Any) -> str:
    """2024-08-03 → 2024年8月3日, 2024-08 → 2024年8月 (no padding, as the town's documents write dates)."""
    text = str(value or "")
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月"
    return text


OFFICE_FILTERS = {"yuan": yuan_office, "wan": wan_office, "yesno": yes_no, "pct": pct, "cn_month": cn_month,
                  "cn_date": cn_date_office}
PUBLIC_FILTERS = {"yuan": yuan_public, "pct": pct, "date": cn_date_public}


def cn_number(n: int) -> str:
    """一, 十二, 一百零五, 二千零一十 as section and item numbers are written; past 9999 in Arabic digits."""
    digits = "零一二三四五六七八九"
    if not 0 <= n < 10000:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:  # 十二, not 一十二
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out
