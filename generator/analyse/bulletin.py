"""Facts of every printed document: monthly 通报, quarterly 回头看 report, 维权信息告示牌 posters.

The PDF templates only lay these facts out; every rule lives here:
- issue dates: a monthly 通报 is dated when the month closes (due date + settings.returns.close_after_days),
  a 回头看 report on its Quarter.report_date; both never later than settings.as_of;
- submission status is judged as of the issue date (a return that landed later counts as missing then);
- document numbers: per year, settings.bulletin.first_number[year] for the earliest document, then +1 in
  the chronological order of all bulletins and reports dated that year: 兴义治欠专班〔2024〕5号;
- what is asked of whom by when: the deadline is the first monthly due date after the issue date, or a
  rectification's own deadline when that is later;
- poster facts and the QR rule (see `qr_target`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from generator.analyse import lookback
from generator.analyse.dates import add_months as _add_months
from generator.analyse.dates import due_date, is_due, next_due
from generator.analyse.dates import parse as _d
from generator.model import Content

MONTHLY = "通报"
LOOKBACK = "回头看"
UNCONFIRMED = "待确认"
UNVERIFIED = "待核实"
PLATFORM_WORDS = ("平台", "接入", "运行率")  # rectifications about the monitoring platform


@dataclass
class Doc:
    kind: str  # MONTHLY | LOOKBACK
    key: str  # "2024-08" | "2024-Q3"
    filename: str  # "2024-08-通报.pdf" | "2024-Q3-回头看.pdf" (the internal site links these names)
    issued_on: str
    title: str
    year: int = 0
    seq: int = 0
    number: str = ""  # 兴义治欠专班〔2024〕5号
    facts: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------- helpers
def cn_date(value) -> str:
    """2024年9月4日: Arabic digits without padding (GB/T 9704)."""
    d = _d(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def cn_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y}年{m}月"


def money(value) -> str:
    """Yuan as 元 or 万元, the way a 通报 writes amounts."""
    v = float(value or 0)
    if v >= 10000:
        return f"{v / 10000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:.0f}元"


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(df: pd.DataFrame | None) -> list[dict]:
    """Rows as dicts with None for missing values (vectorised: tables can have 100,000 rows)."""
    if df is None or len(df) == 0:
        return []
    return df.astype(object).where(df.notna(), None).to_dict("records")


def issue_date(month: str, settings: dict) -> date:
    close = int((settings.get("returns") or {}).get("close_after_days", 10) or 0)
    d = due_date(month, settings) + timedelta(days=close)
    as_of = _d(settings.get("as_of"))
    return min(d, as_of) if as_of else d


def doc_number(settings: dict, year: int, seq: int) -> str:
    short = (settings.get("bulletin") or {}).get("issuer_short", "")
    return f"{short}〔{year}〕{seq}号"


def number_documents(docs: list[Doc], settings: dict) -> list[Doc]:
    """Assign 文号 per year in chronological order of issue (通报 before 回头看 on the same day)."""
    first = (settings.get("bulletin") or {}).get("first_number") or {}
    order = {MONTHLY: 0, LOOKBACK: 1}
    docs = sorted(docs, key=lambda d: (d.issued_on, order[d.kind], d.key))
    counters: dict[int, int] = {}
    for doc in docs:
        year = int(doc.issued_on[:4])
        seq = counters.get(year, int(first.get(str(year), 1)))
        counters[year] = seq + 1
        doc.year, doc.seq, doc.number = year, seq, doc_number(settings, year, seq)
    return docs


# ---------------------------------------------------------------------------- monthly 通报
@dataclass
class Source:
    """The analysis tables as plain records, grouped once for every document (county-sized trees)."""

    names: dict[str, str]
    subs: dict[str, list[dict]]  # month → submission rows
    hazards: dict[str, list[dict]]  # month → hazard rows
    platform: dict[str, list[dict]]  # month → platform rows below target
    qualifying: dict[str, int]  # month → qualifying projects
    rects: list[dict]
    rects_by_project: dict[str, list[dict]]
    returns: dict[str, list[dict]]  # month → returns

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
    return Source(names={uid: u.get("name", uid) for uid, u in content.units.items()},
                  subs=_by_month(getattr(tables, "submissions", None)),
                  hazards=_by_month(getattr(tables, "hazards", None)),
                  platform=_by_month(plat[plat["below_target"].astype(bool)] if plat is not None else None),
                  qualifying=plat["month"].value_counts().to_dict() if plat is not None and len(plat) else {},
                  rects=rects, rects_by_project=by_project, returns=returns)


def _submission_facts(content: Content, src: Source, month: str, issued: date) -> dict:
    due = due_date(month, content.settings)
    on_time, late, missing, not_due = [], [], [], []
    rows = list(src.subs.get(month, []))
    seen = {r["unit"] for r in rows}
    for u in content.reporting_units:  # a unit absent from the table (no board month yet)
        if u["id"] not in seen:
            rows.append({"unit": u["id"], "unit_name": u["name"], "status": "未报送", "landed_on": None})
    for r in rows:
        landed = _d(r.get("landed_on"))
        name = r.get("unit_name") or src.name(r["unit"])
        if landed is not None and landed <= issued:
            days = max(0, (landed - due).days)
            (late if days > 0 else on_time).append({"unit": r["unit"], "name": name, "days": days,
                                                   "landed_on": landed.isoformat()})
        elif due > issued:
            not_due.append({"unit": r["unit"], "name": name})
        else:
            missing.append({"unit": r["unit"], "name": name, "days": (issued - due).days})
    late.sort(key=lambda x: -x["days"])
    return {"due_date": due.isoformat(), "total": len(rows), "on_time": on_time, "late": late,
            "missing": missing, "not_due": not_due}


def _dedupe_hazards(rows: list[dict], src: Source) -> list[dict]:
    """One hazard reported by several units (village and authority) counts once."""
    out: dict[tuple, dict] = {}
    for r in rows:
        key = r["case"]  # the case identity has one home: analyse/hazards.py
        if key not in out:
            out[key] = {**r, "reported_by": []}
        name = r.get("unit_name") or src.name(r.get("unit"))
        if name not in out[key]["reported_by"]:
            out[key]["reported_by"].append(name)
        if r.get("status") == "已化解":  # the most advanced report wins
            out[key].update({k: r.get(k) for k in ("status", "resolved_on", "workers_paid",
                                                   "amount_repaid_yuan")})
    return list(out.values())


def _hazard_facts(src: Source, month: str) -> dict:
    items = _dedupe_hazards(src.hazards.get(month, []), src)
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
    return {
        "items": items, "count": len(items), "new": sum(h["new"] for h in items),
        "resolved": sum(h["resolved_this_month"] for h in items), "open": len(open_),
        "overdue": [h for h in items if h["overdue"]],
        "workers": int(total("workers", items)), "amount": total("amount_owed_yuan", items),
        "workers_paid": int(total("workers_paid", items)),
        "amount_repaid": total("amount_repaid_yuan", items),
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


def _monthly_asks(content: Content, month: str, issued: date, sub: dict, hz: dict, plat: dict,
                  rects: list[dict]) -> list[dict]:
    by = next_due(issued, content.settings)
    asks = []
    label = cn_month(month)
    if sub["missing"]:
        asks.append({"who": "、".join(x["name"] for x in sub["missing"]),
                     "what": f"补报{label}欠薪隐患排查根治表，并说明未按时报送的原因", "by": by.isoformat()})
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
    for p in plat["items"]:
        own = _d(p.get("rect_deadline"))
        deadline = own if own and own > issued else by
        what = ("督促项目接入监控预警平台" if not p["connected"]
                else f"督促项目将平台运行率提高到{plat['target']:g}%")
        asks.append({"who": p["authority_name"], "what": f"{what}（{p['name']}）",
                     "by": deadline.isoformat()})
    for r in rects:
        asks.append({"who": r.get("authority_name"),
                     "what": f"督促完成逾期整改事项“{r.get('issue')}”（{r.get('name')}）",
                     "by": by.isoformat()})
    asks.append({"who": "各村（社区）、镇级各行业主管部门",
                 "what": f"按时报送{cn_month(_add_months(month, 1))}欠薪隐患排查根治表，没有隐患的报零报告",
                 "by": due_date(_add_months(month, 1), content.settings).isoformat()})
    for a in asks:
        a["by_text"] = cn_date(a["by"])
    return asks


def monthly(content: Content, tables, month: str, src: Source | None = None) -> Doc:
    src = src or source(content, tables)
    issued = issue_date(month, content.settings)
    sub = _submission_facts(content, src, month, issued)
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
    }
    return Doc(kind=MONTHLY, key=month, filename=f"{month}-{MONTHLY}.pdf", issued_on=issued.isoformat(),
               title=f"关于{cn_month(month)}根治欠薪工作情况的通报", facts=facts)


# ---------------------------------------------------------------------------- quarterly 回头看
def quarterly(content: Content, quarter: lookback.Quarter, src: Source | None = None) -> Doc:
    names = src.names if src else {uid: u.get("name", uid) for uid, u in content.units.items()}
    issued = _d(quarter.report_date)
    by = next_due(issued, content.settings)
    clues = _records(quarter.clues)
    for c in clues:
        c["received_text"] = cn_date(c["received_on"])
        c["screened_by_names"] = [names.get(u, u) for u in c.get("screened_by") or []]
        c["found_by_names"] = [names.get(u, u) for u in c.get("found_by") or []]
    units = _records(quarter.units)
    for u in units:
        u["own_share_text"] = "—" if u.get("own_share") is None else f"{u['own_share'] * 100:.0f}%"
        u["score_text"] = f"{u['score']:g}"
    misses = [c for c in clues if c["is_miss"] or c["is_late"]]
    # "12345" reads as part of the count ("123451条") unless it is named as a hotline.
    channels = [(f"{ch}热线" if str(ch).isdigit() else ch, n)
                for ch, n in lookback.summary(quarter)["by_channel"].items()]
    asks = []
    for c in misses:
        who = [n for n in (c.get("village_name"), c.get("authority_name")) if n and n != "未确定"]
        asks.append({"who": "、".join(who) or "专班办公室",
                     "what": f"对线索 {c['clue']}（{c['target_name']}，{c['category']}）开展复盘，"
                             "查找排查漏洞，形成复盘报告报专班办公室",
                     "by": by.isoformat(), "by_text": cn_date(by)})
    asks.append({"who": "各村（社区）、镇级各行业主管部门",
                 "what": "将本季度线索反映的对象纳入下月排查，做到项目、企业排查全覆盖",
                 "by": by.isoformat(), "by_text": cn_date(by)})
    facts = {"quarter": quarter.key, "label": quarter.label, "start": cn_date(quarter.start),
             "end": cn_date(quarter.end), "report_date": quarter.report_date,
             "window_days": quarter.window_days,
             "summary": lookback.summary(quarter), "channels": channels,
             "clues": clues, "units": units, "misses": misses,
             "formula": quarter.formula, "params": quarter.params, "asks": asks,
             "categories": lookback.CATEGORIES,
             "sample": any(c.get("sample") for c in content.clues)}
    return Doc(kind=LOOKBACK, key=quarter.key, filename=f"{quarter.key}-{LOOKBACK}.pdf",
               issued_on=quarter.report_date, facts=facts,
               title=f"关于{quarter.label}根治欠薪“回头看”情况的通报")


def documents(content: Content, tables) -> list[Doc]:
    """Every 通报 and 回头看 report, numbered, in chronological order."""
    src = source(content, tables)
    docs = [monthly(content, tables, m, src) for m in content.months if is_due(m, content.settings)]
    quarters = tables.lookback if tables.lookback is not None else lookback.all_quarters(content)
    docs += [quarterly(content, q, src) for q in quarters]
    return number_documents(docs, content.settings)


# ---------------------------------------------------------------------------- posters
def qr_target(content: Content, project: dict) -> tuple[str, str]:
    """Where a poster's QR code points, and what the caption says.

    1. the project's own 渝薪码 link (project.yuxinma.url);
    2. else settings.yuxinma_default_url;
    3. else the project's page on the public site: <settings.site.url>projects/<project id>/.
    """
    url = (project.get("yuxinma") or {}).get("url")
    if url:
        return url, "扫码进入本项目“渝薪码”，在线反映欠薪问题"
    url = content.settings.get("yuxinma_default_url")
    if url:
        return url, "扫码进入“渝薪码”，在线反映欠薪问题"
    from generator.site_urls import project_page

    return project_page(content.settings, project["id"]), "扫码查看本项目公示信息和农民工维权指南"


def _phone(number, confirmed: bool = True) -> str:
    if not number:
        return UNCONFIRMED
    return number if confirmed else f"{number}（{UNCONFIRMED}）"


def _hotline(settings: dict, word: str) -> dict | None:
    return next((h for h in settings.get("hotlines") or [] if word in h.get("name", "")), None)


def minimum_wage_text(settings: dict) -> str:
    mw = settings.get("minimum_wage") or {}
    if not mw.get("confirmed") or not mw.get("monthly_yuan"):
        return f"{UNVERIFIED}（{mw.get('source', '重庆市最低工资标准')}）"
    text = f"月最低工资{mw['monthly_yuan']:g}元"
    if mw.get("hourly_yuan"):
        text += f"，非全日制小时最低工资{mw['hourly_yuan']:g}元"
    if mw.get("effective_date"):
        text += f"（{cn_date(mw['effective_date'])}起施行）"
    return text


def pay_day_text(project: dict) -> str:
    cycle, day = project.get("pay_cycle"), project.get("pay_day")
    if day is None:
        return UNCONFIRMED
    if cycle in (None, "月"):
        return f"每月{day}日"
    if cycle == "周":
        return f"每周{day}"
    return f"按{cycle}支付，{day}"


def pay_method_text(project: dict) -> str:
    account = (project.get("dedicated_account") or {}).get("opened")
    if project.get("bank_payroll") and account:
        return "施工总承包单位通过农民工工资专用账户，将工资直接发放到农民工本人银行账户（总包代发）"
    if project.get("bank_payroll"):
        return "通过银行将工资直接发放到农民工本人银行账户"
    return "工资应以货币形式足额支付给农民工本人，不得以实物或有价证券等代替"


def poster(content: Content, project: dict) -> dict:
    """Everything article 34 of 《保障农民工工资支付条例》 puts on the 维权信息告示牌."""
    settings = content.settings
    units = content.units
    authority = units.get(project.get("authority") or "", {})
    inspection = _hotline(settings, "劳动保障监察")
    legal = _hotline(settings, "公共法律服务")
    lm = project.get("labour_manager") or {}
    url, caption = qr_target(content, project)
    hotlines = [{"name": h["name"], "number": _phone(h.get("number"), h.get("confirmed", False)),
                 "purpose": h.get("purpose", "")} for h in settings.get("hotlines") or []]
    subs = project.get("subcontractors") or []
    return {
        "id": project["id"], "name": project["name"], "location": project.get("location"),
        "sample": bool(project.get("sample")),
        "parties": [
            ("建设单位", project.get("construction_unit") or UNCONFIRMED),
            ("施工总承包单位", project.get("general_contractor") or UNCONFIRMED),
            ("总承包单位项目部", project.get("project_department") or UNCONFIRMED),
            ("分包单位", "、".join(subs) if subs else "无"),
            ("行业主管部门", authority.get("name") or UNCONFIRMED),
        ],
        "labour_manager": lm.get("name") or UNCONFIRMED, "labour_manager_phone": _phone(lm.get("phone")),
        "minimum_wage": minimum_wage_text(settings),
        "minimum_wage_confirmed": bool((settings.get("minimum_wage") or {}).get("confirmed")),
        "pay_day": pay_day_text(project), "pay_cycle": project.get("pay_cycle") or "月",
        "pay_method": pay_method_text(project),
        "complaints": [
            ("行业主管部门投诉电话",
             f"{authority.get('name', '')} {_phone(authority.get('complaint_phone'))}".strip()),
            ("劳动保障监察投诉电话", _phone(inspection.get("number"), inspection.get("confirmed", False))
             if inspection else UNCONFIRMED),
            ("劳动争议调解仲裁", "可向镇劳动争议调解组织申请调解，或向丰都县劳动人事争议仲裁机构申请仲裁"
                            "（申请仲裁时效为一年）"),
            ("法律援助", "可向丰都县法律援助机构申请法律援助，追索劳动报酬免于经济困难审查"),
            ("公共法律服务热线",
             _phone(legal.get("number"), legal.get("confirmed", False)) if legal else "12348"),
        ],
        "hotlines": hotlines, "qr_url": url, "qr_caption": caption,
        "town": content.town.get("government") or content.town.get("name", ""),
        "issuer": (settings.get("bulletin") or {}).get("issuer", ""),
    }


def posters(content: Content) -> list[dict]:
    """One poster per active project (在建 or 停工), in id order."""
    return [poster(content, p) for p in sorted(content.active_projects(), key=lambda p: p["id"])]
