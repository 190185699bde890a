"""The internal site's page data: Tables and records arranged for each template, nothing computed.

Every figure comes from the analyse stage (Tables); here rows become lists and dicts the templates loop over.
"""

from __future__ import annotations

from generator.analyse import Tables
from generator.model import Content
from generator.site_urls import edit_url


def records(df) -> list[dict]:
    """Rows as dicts of plain Python values, column by column (DataFrame.to_dict boxes every cell
    one at a time: ~5 s for a county's tables)."""
    if df is None or len(df) == 0:
        return []
    names = [str(c) for c in df.columns]
    columns = [df[c].tolist() for c in df.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


BOARD_CSS = {"按时": "ok", "逾期": "late", "未报送": "missing", "未到期": "pending"}


def board(subs, by_unit) -> dict:
    """Submission board: units (rows) × months (columns), each cell a status label and a CSS class."""
    rows = records(subs)
    months = sorted({r["month"] for r in rows})
    cells: dict[tuple[str, str], dict] = {}
    units: dict[str, dict] = {}
    for r in rows:
        title = f"截止 {r['due_date']}"
        if r["landed_on"]:
            title += f"；{'合入' if r['source'] == 'git' else '填报'} {r['landed_on']}"
        if r["amendments"]:
            title += f"；更正 {r['amendments']} 次"
        cells[(r["unit"], r["month"])] = {**r, "css": BOARD_CSS.get(r["board_state"], ""), "title": title}
        units.setdefault(r["unit"], {"id": r["unit"], "name": r["unit_name"], "kind": r["unit_kind"]})
    return {"months": months, "units": list(units.values()), "cells": cells, "by_unit": records(by_unit),
            "due": {r["month"]: r["due_date"] for r in rows}}


def dashboard(content: Content, tables: Tables) -> dict:
    latest = tables.latest_due_month
    subs = records(tables.submissions)
    attention = tables.attention
    return {"latest": latest, "month_rows": [r for r in subs if r["month"] == latest],
            "counts": tables.latest_month_counts, "hazards": tables.hazard_totals,
            "projects": tables.yijin_sanzhi,
            "attention": {name: records(getattr(attention, name))
                          for name in ("missing", "late", "hazards", "rects", "below", "gaps")},
            "target": content.settings.get("targets", {})}


def hazard_page(tables: Tables) -> dict:
    df = tables.hazards
    by = tables.hazard_summaries
    return {
        "current": records(tables.hazard_cases),
        "totals": tables.hazard_totals,
        "by_unit": records(by["unit_name"]),
        "by_cause": records(by["cause"]),
        "by_authority": records(by["authority_name"]),
        "history": records(df.sort_values(["key", "month"])) if len(df) else [],
    }


def project_page(content: Content, tables: Tables) -> dict:
    projects = records(tables.projects_by_urgency)
    plat = records(tables.platform)
    months = sorted({r["month"] for r in plat})
    grid: dict[str, dict] = {}
    for r in plat:
        row = grid.setdefault(r["project"], {"project": r["project"], "name": r["name"],
                                             "authority_name": r["authority_name"], "cells": {}})
        row["cells"][r["month"]] = r
    return {"projects": projects, "rates": tables.yijin_sanzhi,
            "platform_months": months, "platform": list(grid.values()),
            "rectifications": records(tables.rectifications), "targets": content.settings.get("targets", {})}


def coverage_page(tables: Tables) -> dict:
    return {"rows": records(tables.coverage), "summary": records(tables.coverage_summary)}


def register(content: Content, tables: Tables) -> list[dict]:
    """Every project with all its fields, internal ones included, plus its analysed flags."""
    flags = {r["project"]: r for r in records(tables.projects)}
    rects = {}
    for r in records(tables.rectifications):
        rects.setdefault(r["project"], []).append(r)
    out = []
    for pid, p in sorted(content.projects.items(), key=lambda kv: (kv[1].get("status") == "完工", kv[0])):
        out.append({"p": p, "flags": flags.get(pid, {}), "rects": rects.get(pid, []),
                    "village_name": content.unit_name(p.get("village")),
                    "authority_name": content.unit_name(p.get("authority")),
                    "coordinator": content.people.get(p.get("coordinator") or "", {}),
                    "baobao": content.people.get(p.get("baobao") or "", {})})
    return out


def enterprises(content: Content) -> list[dict]:
    return [{"e": e, "village_name": content.unit_name(e.get("village")),
             "coordinator": content.people.get(e.get("coordinator") or "", {}),
             "baobao": content.people.get(e.get("baobao") or "", {})}
            for _id, e in sorted(content.enterprises.items())]


def unit_pages(content: Content, tables: Tables, provenance: dict) -> list[dict]:
    """Per reporting unit: each month's return with its status, hazards and history."""
    by_unit: dict[str, list[dict]] = {}  # grouped once: a scan of all rows per unit was quadratic
    for r in records(tables.submissions):
        by_unit.setdefault(r["unit"], []).append(r)
    staff_of: dict[str, list[dict]] = {}
    for p in content.people.values():
        staff_of.setdefault(p.get("unit"), []).append(p)
    pages = []
    for uid, rows in by_unit.items():
        unit = content.units.get(uid, {"id": uid, "name": uid, "kind": None})
        months = []
        for r in sorted(rows, key=lambda r: r["month"], reverse=True):
            ret = content.returns.get((r["month"], uid))
            prov = (provenance or {}).get(r["path"]) if r["path"] else None
            hazards = []
            for h in (ret or {}).get("hazards") or []:
                target = (content.projects.get(h.get("project") or "", {}).get("name")
                          or content.enterprises.get(h.get("enterprise") or "", {}).get("name")
                          or h.get("other_target") or "")
                hazards.append({**h, "target": target})
            amendments = [{**a, "by_name": content.person_name(a.get("by"))}
                          for a in (ret or {}).get("amendments") or []]
            months.append({"row": r, "label": r["label"], "ret": ret,
                           "edit_url": edit_url(content.settings, f"content/{r['path']}") if ret else None,
                           "hazards": hazards, "prov": prov, "amendments": amendments,
                           "filled_by": content.person_name((ret or {}).get("filled_by")),
                           "approved_by": content.person_name((ret or {}).get("approved_by")),
                           "checked_projects": [content.projects.get(x, {}).get("name", x)
                                                for x in (ret or {}).get("checked_projects") or []],
                           "checked_enterprises": [content.enterprises.get(x, {}).get("name", x)
                                                   for x in (ret or {}).get("checked_enterprises") or []]})
        staff = staff_of.get(uid, [])
        counts = tables.submission_counts.get(uid, {"按时": 0, "逾期": 0, "未报送": 0})
        pages.append({"unit": unit, "months": months, "staff": staff, "counts": counts})
    return pages


def roster(content: Content) -> list[dict]:
    return [{**p, "unit_name": content.unit_name(p.get("unit"))} for p in content.people.values()]
