"""Aggregate figures for the public 工作动态 page. Only counts and sums: no names, no ids of people.

Hazard figures are the internal hazards table's cases in their current state (analyse/hazards.py), so
public, internal and 通报 totals agree.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from generator.analyse import hazards
from generator.analyse.dates import columns
from generator.model import Content


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hazards(content: Content, cases: pd.DataFrame) -> dict[str, Any]:
    current = cases[cases["current"].astype(bool)] if len(cases) else pd.DataFrame(columns=hazards.COLUMNS)
    totals = hazards.totals(cases)
    by_month: dict[str, dict[str, int]] = {m: {"found": 0, "resolved": 0} for m in content.months}
    for found_on, status, resolved_on in columns(current, "found_on", "status", "resolved_on"):
        found = str(_value(found_on) or "")[:7]
        by_month.setdefault(found, {"found": 0, "resolved": 0})["found"] += 1
        if status == hazards.RESOLVED and _value(resolved_on):
            by_month.setdefault(str(resolved_on)[:7], {"found": 0, "resolved": 0})["resolved"] += 1
    return {
        "found": totals["hazards"],
        "resolved": totals["resolved"],
        "open": totals["open"],
        "workers": totals["workers"],
        "workers_paid": totals["workers_paid"],
        "amount_owed_yuan": totals["amount_owed_yuan"],
        "amount_repaid_yuan": totals["amount_repaid_yuan"],
        "by_month": [{"month": m, **v} for m, v in sorted(by_month.items()) if m],
    }


def _value(cell):
    """A cell with a missing value (None, NaN) as None."""
    return None if cell is None or pd.isna(cell) else cell


def table(content: Content, cases: pd.DataFrame | None = None) -> dict[str, Any]:
    """The public figures, as of settings["as_of"]. `cases`: the hazards table when analyse has it already."""
    if cases is None:
        cases = hazards.table(content)  # one home for "a case counts once": analyse/hazards.py
    active = content.active_projects()
    n = len(active)
    notice = sum(1 for p in active if (p.get("notice_board") or {}).get("posted"))
    yuxinma = sum(1 for p in active if (p.get("yuxinma") or {}).get("posted"))
    qualifying = [p for p in active if (p.get("platform") or {}).get("qualifies")]
    connected = sum(1 for p in qualifying if p["platform"].get("connected"))
    enterprises = list(content.enterprises.values())
    ent_notice = sum(1 for e in enterprises if (e.get("notice_board") or {}).get("posted"))
    ent_yuxinma = sum(1 for e in enterprises if (e.get("yuxinma") or {}).get("posted"))
    events = content.publicity

    def qty(key: str) -> int:
        return sum(int((e.get("quantities") or {}).get(key) or 0) for e in events)

    return {
        "as_of": str(content.settings.get("as_of", "")),
        "sample": bool(content.settings.get("sample_data")),
        "projects": {
            "active": n,
            "notice_board": notice, "notice_board_pct": _pct(notice, n),
            "yuxinma": yuxinma, "yuxinma_pct": _pct(yuxinma, n),
        },
        "enterprises": {
            "total": len(enterprises),
            "notice_board": ent_notice, "notice_board_pct": _pct(ent_notice, len(enterprises)),
            "yuxinma": ent_yuxinma, "yuxinma_pct": _pct(ent_yuxinma, len(enterprises)),
        },
        "platform": {
            "qualifying": len(qualifying), "connected": connected,
            "connected_pct": _pct(connected, len(qualifying)),
            "target_pct": (content.settings.get("targets") or {}).get("platform_connection"),
        },
        "hazards": _hazards(content, cases),
        "publicity": {
            "events": len(events),
            "brochures": qty("brochures"),
            "consultations": qty("consultations"),
            "people_reached": qty("people_reached"),
        },
    }
