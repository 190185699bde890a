"""Facts of the monthly 通报 (one per month whose due day has passed); the templates only lay them out.

- submission status is judged as of the issue date (a return that landed later counts as missing then);
- what is asked of whom by when: the deadline is the first monthly due date after the issue date, or a
  rectification's own deadline when that is later.
Shared words, numbers and the Doc record: gongwen.py; the issue register and numbering: issued.py.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from generator.analyse import hazards
from generator.analyse.dates import add_months as _add_months
from generator.analyse.dates import due_date, next_due
from generator.analyse.dates import parse as _d
from generator.analyse.gongwen import MONTHLY, Doc, cn_date, cn_month, issue_date, money
from generator.analyse.gongwen import clean as _clean
from generator.analyse.gongwen import records as _records
from generator.model import Content

PLATFORM_WORDS = ("平台", "接入", "运行率")  # rectifications about the monitoring platform


# ---------------------------------------------------------------------------- monthly 通报
@dataclass
class Source:
    """The analysis tables as plain records, grouped once for every document (county-sized trees)."""

    names: dict[str, str]
    subs: dict[str, list[dict]]  # month → submission rows
    hazards: pd.DataFrame  # analyse/hazards.table: one row per hazard per return
    platform: dict[str, list[dict]]  # month → platform rows below target
    qualifying: dict[str, int]  # month → qualifying projects
    rects: list[dict]
    rects_by_project: dict[str, list[dict]]
    returns: dict[str, list[dict]]  # month → returns
    months: list[str] = field(default_factory=list)  # every month with returns, ascending
    paid: dict[str, dict] = field(default_factory=dict)  # month → 累计已支付 up to its end
    board: dict[str, list[tuple]] = field(default_factory=dict)  # month → (unit, name, landed), as read
    cases: dict[str, list[dict]] = field(default_factory=dict)  # month → its cases (hazards.cases_by_month)

    def name(self, uid) -> str:
        return self.names.get(uid, uid) if uid else ""


def _by_month(df: pd.DataFrame | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in _records(df):
        out.setdefault(row["month"], []).append(row)
    return out


def source(content: Content, tables) -> Source:
    plat = getattr(tables, "platform", None)
    if plat is None:
        plat = (getattr(tables, "extra", None) or {}).get("platform")
    rects = _records(getattr(tables, "rectifications", None))
    by_project: dict[str, list[dict]] = {}
    for r in rects:
        by_project.setdefault(r["project"], []).append(r)
    returns: dict[str, list[dict]] = {}
    for (month, _unit), ret in content.returns.items():
        returns.setdefault(month, []).append(ret)
    hazard_table = _hazard_table(content, tables)
    months = content.months
    return Source(names={uid: u.get("name", uid) for uid, u in content.units.items()},
                  subs=_by_month(getattr(tables, "submissions", None)),
                  hazards=hazard_table,
                  platform=_by_month(plat[plat["below_target"].astype(bool)] if plat is not None else None),
                  qualifying=plat["month"].value_counts().to_dict() if plat is not None and len(plat) else {},
                  rects=rects, rects_by_project=by_project, returns=returns, months=months,
                  paid=hazards.cumulative_paid_by_month(hazard_table, months),
                  cases=_by_month(hazards.cases_by_month(hazard_table)))


def _board(content: Content, src: Source, month: str) -> list[tuple]:
    """(unit, name, landed date) of every unit on the board of `month`, parsed once per month: each
    通报 judges every earlier month again."""
    rows = src.board.get(month)
    if rows is None:
        subs = src.subs.get(month, [])
        rows = [(r["unit"], r.get("unit_name") or src.name(r["unit"]), _d(r.get("landed_on"))) for r in subs]
        seen = {r["unit"] for r in subs}
        for u in content.reporting_units:  # a unit absent from the table (no board month yet)
            if u["id"] not in seen:
                rows.append((u["id"], u["name"] or src.name(u["id"]), None))
        src.board[month] = rows
    return rows


def _submission_facts(content: Content, src: Source, month: str, issued: date) -> dict:
    due = due_date(month, content.settings)
    on_time, late, missing, not_due = [], [], [], []
    rows = _board(content, src, month)
    for unit, name, landed in rows:
        if landed is not None and landed <= issued:
            days = max(0, (landed - due).days)
            (late if days > 0 else on_time).append({"unit": unit, "name": name, "days": days,
                                                   "landed_on": landed.isoformat()})
        elif due > issued:
            not_due.append({"unit": unit, "name": name})
        else:
            missing.append({"unit": unit, "name": name, "days": (issued - due).days})
    late.sort(key=lambda x: -x["days"])
    return {"due_date": due.isoformat(), "total": len(rows), "on_time": on_time, "late": late,
            "missing": missing, "not_due": not_due, "chase": []}


def _chase(content: Content, src: Source, month: str, issued: date) -> list[dict]:
    """Returns of earlier months that still had not landed by the issue date, per unit, oldest first with
    the days overdue of the oldest: every 通报 chases them again until they land."""
    out: dict[str, dict] = {}
    for m in src.months:
        if m >= month or due_date(m, content.settings) >= issued:
            continue
        for x in _submission_facts(content, src, m, issued)["missing"]:
            c = out.setdefault(x["unit"], {"unit": x["unit"], "name": x["name"], "days": x["days"],
                                           "months": []})
            c["months"].append({"month": m, "label": cn_month(m), "days": x["days"]})
    return sorted(out.values(), key=lambda c: -c["days"])


def _hazard_table(content: Content, tables) -> pd.DataFrame:
    df = getattr(tables, "hazards", None)
    return df if df is not None else hazards.table(content)


def _hazard_facts(src: Source, month: str) -> dict:
    items = [dict(h) for h in src.cases.get(month, [])]  # a case counts once: analyse/hazards.py
    start = date.fromisoformat(month + "-01")
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    for h in items:
        h["new"] = start <= (_d(h.get("found_on")) or date.min) <= end
        resolved = _d(h.get("resolved_on")) or date.min
        h["resolved_this_month"] = h.get("status") == "已化解" and start <= resolved <= end
        h["overdue"] = bool(h.get("overdue"))
        h["village_name"] = src.name(h.get("village"))
        h["authority_name"] = src.name(h.get("authority"))
    items.sort(key=lambda h: (not h["overdue"], h.get("status") == "已化解", h.get("found_on") or ""))

    def total(key, subset):
        return sum(float(h.get(key) or 0) for h in subset)

    open_ = [h for h in items if h.get("status") != "已化解"]
    paid = src.paid.get(month) or hazards.cumulative_paid(src.hazards, month)  # 累计: never shrinking
    return {
        "items": items, "count": len(items), "new": sum(h["new"] for h in items),
        "resolved": sum(h["resolved_this_month"] for h in items), "open": len(open_),
        "overdue": [h for h in items if h["overdue"]],
        "workers": int(total("workers", items)), "amount": total("amount_owed_yuan", items),
        "workers_paid": paid["workers_paid"], "amount_repaid": paid["amount_repaid_yuan"],
        "zero_units": [],
    }


def _open_rectification(src: Source, project: str, issued: date) -> dict | None:
    """The latest platform rectification issued by the issue date and not completed by then."""
    best = None
    for r in src.rects_by_project.get(project, []):
        if not any(word in str(r.get("issue") or "") for word in PLATFORM_WORDS):
            continue  # a rectification about something else (notice board, real-name…)
        iss, done = _d(r.get("issued_on")), _d(r.get("completed_on"))
        if iss is None or iss > issued or (done is not None and done <= issued):
            continue
        if best is None or iss > _d(best["issued_on"]):
            best = r
    return best


def _platform_facts(content: Content, src: Source, month: str, issued: date) -> dict:
    target = (content.settings.get("targets") or {}).get("platform_run_rate", 100)
    items = []
    for r in src.platform.get(month, []):
        rect = _open_rectification(src, r["project"], issued)
        run_rate = _clean(r.get("run_rate"))
        if not r.get("connected"):
            problem = "符合条件但未接入监控预警平台"
        else:
            problem = (f"平台运行率{run_rate:g}%，低于{target:g}%的目标" if run_rate is not None
                       else "未报送运行率")
        issues = list(r.get("data_issues") or [])
        items.append({"project": r["project"], "name": r["name"], "authority": r.get("authority"),
                      "authority_name": r.get("authority_name") or src.name(r.get("authority")),
                      "connected": bool(r.get("connected")), "run_rate": run_rate, "problem": problem,
                      "data_issues": issues, "rect_deadline": rect.get("deadline") if rect else None,
                      "rect_issue": rect.get("issue") if rect else None})
    return {"items": items, "qualifying": int(src.qualifying.get(month, 0)), "target": target}


def _rectification_facts(src: Source, issued: date) -> list[dict]:
    """Rectifications past their deadline and not completed, as of the issue date."""
    out = []
    for r in src.rects:
        iss, dl, done = _d(r.get("issued_on")), _d(r.get("deadline")), _d(r.get("completed_on"))
        if iss is None or dl is None or iss > issued or dl >= issued:
            continue
        if done is not None and done <= issued:
            continue
        out.append({**r, "days_overdue": (issued - dl).days,
                    "authority_name": r.get("authority_name") or src.name(r.get("authority"))})
    out.sort(key=lambda r: -r["days_overdue"])
    return out


def _resubmit_asks(sub: dict, month: str, by: date) -> list[dict]:
    """Every unit still owing a return (this month's and earlier ones), one demand per set of months."""
    owed: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for c in sub["chase"]:
        owed[c["unit"]] = [m["month"] for m in c["months"]]
        names[c["unit"]] = c["name"]
    for x in sub["missing"]:
        owed.setdefault(x["unit"], []).append(month)
        names[x["unit"]] = x["name"]
    groups: dict[tuple, list[str]] = {}
    for unit, months in owed.items():
        groups.setdefault(tuple(months), []).append(names[unit])
    what = "补报{}欠薪隐患排查根治表，并说明未按时报送的原因"
    return [{"who": "、".join(who), "by": by.isoformat(),
             "what": what.format("、".join(map(cn_month, months)))} for months, who in groups.items()]


def _project_asks(plat: dict, rects: list[dict], issued: date, by: date) -> list[dict]:
    """One demand per authority and project: the platform (connect, or raise the run rate) and the project's
    overdue rectifications together; a rectification about the platform is that same demand."""
    items: dict[tuple, dict] = {}
    for p in plat["items"]:
        own = _d(p.get("rect_deadline"))
        deadline = own if own and own > issued else by
        action = ("接入监控预警平台" if not p["connected"] else f"将平台运行率提高到{plat['target']:g}%")
        items[(p["authority_name"], p["project"])] = {"who": p["authority_name"], "name": p["name"],
                                                      "platform": action, "rects": [], "by": deadline}
    for r in rects:
        key = (r.get("authority_name"), r.get("project"))
        item = items.setdefault(key, {"who": key[0], "name": r.get("name"), "platform": None, "rects": [],
                                      "by": by})
        platform_matter = any(word in str(r.get("issue") or "") for word in PLATFORM_WORDS)
        if not (item["platform"] and platform_matter) and r.get("issue") not in item["rects"]:
            item["rects"].append(r.get("issue"))
    out = []
    for item in items.values():
        parts = [item["platform"]] if item["platform"] else []
        if item["rects"]:
            parts.append("完成逾期整改事项" + "、".join(f"“{x}”" for x in item["rects"]))
        out.append({"who": item["who"], "what": f"督促{item['name']}" + "，并".join(parts),
                    "by": item["by"].isoformat()})
    return out


def _monthly_asks(content: Content, month: str, issued: date, sub: dict, hz: dict, plat: dict,
                  rects: list[dict]) -> list[dict]:
    """What is asked of whom by when; each demand once."""
    by = next_due(issued, content.settings)
    asks = _resubmit_asks(sub, month, by)
    if sub["late"]:
        asks.append({"who": "、".join(x["name"] for x in sub["late"]),
                     "what": "严格执行每月报送时限，不再逾期", "by": by.isoformat()})
    for h in hz["overdue"]:
        who = list(h["reported_by"])
        if h.get("authority_name") and h["authority_name"] not in who:
            who.append(h["authority_name"])
        asks.append({"who": "、".join(who),
                     "what": f"加快化解“{h.get('target_name')}”欠薪隐患（{h.get('workers') or 0}人、"
                             f"{money(h.get('amount_owed_yuan'))}），化解后在排查根治表中更新",
                     "by": by.isoformat()})
    asks += _project_asks(plat, rects, issued, by)
    asks.append({"who": "各村（社区）、镇级各行业主管部门",
                 "what": f"按时报送{cn_month(_add_months(month, 1))}欠薪隐患排查根治表，没有隐患的报零报告",
                 "by": due_date(_add_months(month, 1), content.settings).isoformat()})
    once = list({(a["who"], a["what"]): a for a in asks}.values())
    for a in once:
        a["by_text"] = cn_date(a["by"])
    return once


def monthly(content: Content, tables, month: str, src: Source | None = None) -> Doc:
    src = src or source(content, tables)
    issued = issue_date(month, content.settings)
    sub = _submission_facts(content, src, month, issued)
    sub["chase"] = _chase(content, src, month, issued)
    hz = _hazard_facts(src, month)
    plat = _platform_facts(content, src, month, issued)
    rects = _rectification_facts(src, issued)
    returns = src.returns.get(month, [])
    zero = {r.get("unit") for r in returns if not (r.get("hazards") or [])}
    hz["zero_units"] = [u["name"] for u in content.reporting_units if u["id"] in zero]
    facts = {
        "month": month, "month_label": cn_month(month), "submissions": sub, "hazards": hz, "platform": plat,
        "rectifications": rects, "asks": _monthly_asks(content, month, issued, sub, hz, plat, rects),
        "sample": any(r.get("sample") for r in returns),
        "history_note": getattr(tables, "history_note", None),
        # not printed: lets a later build tell which amendments came after issue (analyse/issued.py)
        "amendments": sorted(f"{r.get('unit')}/{a.get('date')}/{a.get('reason', '')}"
                             for r in returns for a in r.get("amendments") or []),
    }
    return Doc(kind=MONTHLY, key=month, filename=f"{month}-{MONTHLY}.pdf", issued_on=issued.isoformat(),
               title=f"关于{cn_month(month)}根治欠薪工作情况的通报", facts=facts)
