"""Aggregate figures for the public 工作动态 page. Only counts and sums: no names, no ids of people.

Hazards are reported by the village and again by the sector authority, and again every month until
resolved: one hazard is one (target, found_on) pair, and its latest report gives its state
(the same rule as the internal hazards table, so public and internal totals agree).
"""

from __future__ import annotations

from typing import Any

from generator.model import Content


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hazards(content: Content) -> dict[str, Any]:
    latest: dict[tuple[str, str], tuple[tuple[str, bool], dict]] = {}
    for (month, _unit), ret in sorted(content.returns.items()):
        for h in ret.get("hazards") or []:
            target = h.get("project") or h.get("enterprise") or h.get("other_target") or ""
            key = (target, str(h.get("found_on", "")))
            # latest month wins; within a month a resolved report wins (as analyse/hazards.py does)
            rank = (month, h.get("status") == "已化解")
            if key not in latest or rank >= latest[key][0]:
                latest[key] = (rank, h)
    items = [h for _m, h in latest.values()]
    resolved = [h for h in items if h.get("status") == "已化解"]
    by_month: dict[str, dict[str, int]] = {m: {"found": 0, "resolved": 0} for m in content.months}
    for h in items:
        found = str(h.get("found_on", ""))[:7]
        by_month.setdefault(found, {"found": 0, "resolved": 0})["found"] += 1
        if h.get("status") == "已化解" and h.get("resolved_on"):
            by_month.setdefault(str(h["resolved_on"])[:7], {"found": 0, "resolved": 0})["resolved"] += 1
    return {
        "found": len(items),
        "resolved": len(resolved),
        "open": len(items) - len(resolved),
        "workers": sum(int(h.get("workers") or 0) for h in items),
        "workers_paid": sum(int(h.get("workers_paid") or 0) for h in items),
        "amount_owed_yuan": sum(int(h.get("amount_owed_yuan") or 0) for h in items),
        "amount_repaid_yuan": sum(int(h.get("amount_repaid_yuan") or 0) for h in items),
        "by_month": [{"month": m, **v} for m, v in sorted(by_month.items()) if m],
    }


def table(content: Content) -> dict[str, Any]:
    """The public figures, as of settings["as_of"]."""
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
        "hazards": _hazards(content),
        "publicity": {
            "events": len(events),
            "brochures": qty("brochures"),
            "consultations": qty("consultations"),
            "people_reached": qty("people_reached"),
        },
    }
