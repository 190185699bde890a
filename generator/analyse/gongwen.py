"""What every printed document (公文) shares: the Doc record, Chinese dates and amounts, the issue date
and the document number format. The facts of each kind live in bulletin.py (monthly 通报),
lookback_report.py (quarterly 回头看) and posters.py; issued.py assembles them with the issue register.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import pandas as pd

from generator.analyse.dates import last_open_day, working_day_after, working_day_on_or_before
from generator.analyse.dates import parse as _d

MONTHLY = "通报"
LOOKBACK = "回头看"


@dataclass
class Doc:
    kind: str  # MONTHLY | LOOKBACK
    key: str  # "2024-08" | "2024-Q3"
    filename: str  # "2024-08-通报.pdf" | "2024-Q3-回头看.pdf" (the internal site links these names)
    issued_on: str
    title: str
    year: int = 0
    seq: int = 0
    number: str = ""  # 兴义治欠专班〔2024〕5号 once issued; "" for a draft
    facts: dict = field(default_factory=dict)
    header: dict = field(default_factory=dict)  # issuer, addressees, signatory, office, date_text, cc
    issued: bool = False  # in the issue register (content/issued/): an official record, never recomputed
    commit: str = ""  # the commit an issued document was built from
    sha256: str = ""  # of the PDF as issued


# ---------------------------------------------------------------------------- words and numbers
def cn_date(value) -> str:
    """2024年9月4日: Arabic digits without padding (GB/T 9704)."""
    d = _d(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


@cache  # a 通报 names every month still owed by every unit: hundreds of thousands of calls
def cn_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y}年{m}月"


def money(value) -> str:
    """Yuan as 元 or 万元, the way a 通报 writes amounts; fractions of a yuan are kept (1500.5元)."""
    v = float(value or 0)
    if v >= 10000:
        return f"{v / 10000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:.2f}".rstrip("0").rstrip(".") + "元"


def clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(df: pd.DataFrame | None) -> list[dict]:
    """Rows as dicts with None for missing values (vectorised: tables can have 100,000 rows)."""
    if df is None or len(df) == 0:
        return []
    columns = []  # column by column, then zipped into rows: several times faster than to_dict("records")
    for name in df.columns:
        values = df[name].astype(object).tolist()  # Python int / float / bool, as to_dict gives
        missing = df[name].isna()
        if missing.any():
            values = [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
        columns.append(values)
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


# ---------------------------------------------------------------------------- dates and numbers
def issue_date(month: str, settings: dict) -> date:
    """A monthly 通报 is issued on the settings.bulletin.issue_working_day-th working day (China's holidays
    and 调休) after the month closes (due date + settings.returns.close_after_days). A draft made before
    then is dated on the last working day up to settings.as_of."""
    n = int((settings.get("bulletin") or {}).get("issue_working_day") or 1)
    d = working_day_after(last_open_day(month, settings), n)
    as_of = _d(settings.get("as_of"))
    return min(d, working_day_on_or_before(as_of)) if as_of else d


def doc_number(settings: dict, year: int, seq: int) -> str:
    short = (settings.get("bulletin") or {}).get("issuer_short", "")
    return f"{short}〔{year}〕{seq}号"


def header(settings: dict, issued_on: str) -> dict:
    """The 版头 and 版记 words of a document, from settings.bulletin (kept in the record once issued)."""
    b = settings.get("bulletin") or {}
    issuer = b.get("issuer", "")
    return {"issuer": issuer, "addressees": b.get("addressees", ""), "signatory": b.get("signatory", ""),
            "office": b.get("printed_by") or issuer + "办公室", "cc": b.get("cc", ""),
            "date_text": cn_date(issued_on)}
