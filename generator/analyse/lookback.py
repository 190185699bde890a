"""Quarterly 回头看 (town document 三(三)): every clue matched against the screening records.

For each quarter from 2024 Q3 that has returns and has ended by settings.as_of, every clue received in
the quarter is matched to its target (project, enterprise or a hazard's other_target) and put in one
category, judged on the records of the returns up to the report date:

- 从未排查: no unit screened the target within screening_window_days before the clue;
- 排查未发现: the target was screened in that window, but no hazard for it was found before the clue;
- 发现未按期处置: a hazard was found before the clue, but it was not resolved by its deadline;
- 处置中（未到期）: a hazard was found before the clue, still open, deadline not yet passed;
- 已按期处置: a hazard was found before the clue and resolved by its deadline.

A clue is attributed to its village (属地) and, for a project, to the sector authority (属事). Per unit:
clues, misses (从未排查 + 排查未发现), late (发现未按期处置), the share of its clues whose hazard the unit
had itself found before the clue, and a score (formula in settings.lookback, stated by `formula_text`).

"Found before the clue" for that credit is proved by when the unit's return first reporting the hazard
landed in the repository (git provenance, via the submissions table's landed_on), not by the found_on
the unit wrote itself: a hazard entered after the clue arrived earns no self-discovery credit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from generator.analyse.clue_match import BY_SIMILAR, Target, match, normalise
from generator.analyse.clue_match import targets as _targets
from generator.analyse.dates import month_end as _month_end
from generator.analyse.dates import month_start as _month_start
from generator.analyse.dates import parse as _d
from generator.analyse.dates import working_day_on_or_before
from generator.model import Content

FIRST_QUARTER = (2024, 3)  # the town document starts the look-back in July 2024

NEVER = "从未排查"
NOT_FOUND = "排查未发现"
LATE = "发现未按期处置"
PENDING = "处置中（未到期）"
ON_TIME = "已按期处置"
CATEGORIES = [NEVER, NOT_FOUND, LATE, PENDING, ON_TIME]
MISS_CATEGORIES = {NEVER, NOT_FOUND}


QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}

CLUE_COLUMNS = [
    "clue", "channel", "received_on", "target_name", "summary", "workers", "amount_yuan", "extreme",
    "repeat", "handled_on", "result", "matched_kind", "matched_id", "matched_name", "match_basis",
    "candidates", "village", "village_name", "authority", "authority_name", "category", "is_miss",
    "is_late", "screened_by", "screened_months", "found_by", "hazard_found_on", "hazard_deadline",
    "hazard_resolved_on", "hazard_status", "review", "review_text", "same_as", "counted",
]
UNIT_COLUMNS = ["unit", "unit_name", "unit_kind", "clues", "clues_local", "clues_sector", "misses", "late",
                "pending", "own_found", "own_share", "score"]


@dataclass
class Quarter:
    """One quarter's look-back: the clue table, the unit table and the misses to review (复盘)."""

    key: str  # "2024-Q3"
    year: int
    number: int
    label: str  # "2024年第三季度"
    start: str
    end: str
    report_month: str  # the month after the quarter ends
    report_date: str  # last day of report_month, or as_of when earlier
    window_days: int
    params: dict
    formula: str
    clues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLUE_COLUMNS))
    units: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNIT_COLUMNS))

    @property
    def misses(self) -> pd.DataFrame:
        """Clues to review (复盘): missed by screening or found but not handled by the deadline."""
        c = self.clues
        return c[(c["is_miss"] | c["is_late"]) & c["counted"].astype(bool)]


# ---------------------------------------------------------------------------- dates
def _month_label(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    return f"{y}年{m}月"


def quarter_of(month: str) -> tuple[int, int]:
    y, m = (int(x) for x in month.split("-"))
    return y, (m - 1) // 3 + 1


def quarter_months(year: int, q: int) -> list[str]:
    return [f"{year:04d}-{3 * (q - 1) + i:02d}" for i in (1, 2, 3)]


def report_month_of(year: int, q: int) -> str:
    return f"{year + 1:04d}-01" if q == 4 else f"{year:04d}-{3 * q + 1:02d}"


def quarters(content: Content) -> list[tuple[int, int]]:
    """Quarters from 2024 Q3 up to the last quarter with returns, each ended by as_of."""
    months = content.months
    if not months:
        return []
    as_of = _d(content.settings.get("as_of"))
    last = quarter_of(months[-1])
    out = []
    y, q = FIRST_QUARTER
    while (y, q) <= last:
        end = _month_end(quarter_months(y, q)[-1])
        if as_of is None or end < as_of:
            out.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


# ---------------------------------------------------------------------------- screening records
@dataclass
class HazardRecord:
    unit: str
    month: str
    hazard_id: str
    found_on: date
    deadline: date | None
    status: str
    resolved_on: date | None
    landed: date | None = None  # when the first return reporting this hazard landed (None: no record)


def _hazard_target(h: dict) -> tuple[str, str] | None:
    if h.get("project"):
        return ("项目", h["project"])
    if h.get("enterprise"):
        return ("企业", h["enterprise"])
    if h.get("other_target"):
        return ("其他", "other:" + normalise(h["other_target"]))
    return None


@dataclass
class Records:
    """Every screening record, read once for all quarters."""

    targets: list[Target]
    screened: dict  # (kind, id) → [(unit, month)]: checked_projects/enterprises and hazards
    hazards: dict  # (kind, id) → {(unit, hazard id, found_on): [HazardRecord by month, ascending]}

    def hazards_as_of(self, target: tuple[str, str], upto: str) -> list[HazardRecord]:
        """The latest report of each hazard of `target` from returns with month ≤ upto."""
        out = []
        for history in self.hazards.get(target, {}).values():
            known = [r for r in history if r.month <= upto]
            if known:
                out.append(known[-1])
        return out


def records(content: Content, landed_on: dict | None = None) -> Records:
    """`landed_on`: (month, unit) → date the return landed (analyse/submissions.py). Without it (crafted
    content, no submissions table) the hazard's found_on stands in."""
    window = int((content.settings.get("lookback") or {}).get("screening_window_days", 92))
    first = date(FIRST_QUARTER[0], 3 * FIRST_QUARTER[1] - 2, 1) - timedelta(days=window)
    earliest = f"{first.year:04d}-{first.month:02d}"  # older returns cannot matter to any quarter
    screened: dict[tuple[str, str], list[tuple[str, str]]] = {}
    hazards: dict[tuple[str, str], dict[tuple, list[HazardRecord]]] = {}
    for (month, unit), ret in sorted(content.returns.items()):
        if month < earliest:
            continue
        for pid in ret.get("checked_projects") or []:
            screened.setdefault(("项目", pid), []).append((unit, month))
        for eid in ret.get("checked_enterprises") or []:
            screened.setdefault(("企业", eid), []).append((unit, month))
        for h in ret.get("hazards") or []:
            target = _hazard_target(h)
            found = _d(h.get("found_on"))
            if target is None or found is None:
                continue
            screened.setdefault(target, []).append((unit, month))
            rec = HazardRecord(unit, month, str(h.get("id", "")), found, _d(h.get("deadline")),
                               h.get("status", ""), _d(h.get("resolved_on")))
            hazards.setdefault(target, {}).setdefault((unit, rec.hazard_id, found), []).append(rec)
    for by_key in hazards.values():
        for history in by_key.values():
            first = history[0]  # months ascending: the return that first reported the hazard
            landed = first.found_on if landed_on is None else _d(landed_on.get((first.month, first.unit)))
            for rec in history:
                rec.landed = landed
    return Records(_targets(content), screened, hazards)


def _judge(records: list[HazardRecord], report_date: date) -> tuple:
    """Category of the hazard found before a clue, as of the report date (latest found_on wins)."""
    found = max(r.found_on for r in records)
    same = [r for r in records if r.found_on == found]
    deadlines = [r.deadline for r in same if r.deadline]
    deadline = min(deadlines) if deadlines else None
    resolved = [r.resolved_on for r in same if r.resolved_on and r.resolved_on <= report_date]
    resolved_on = min(resolved) if resolved else None
    if resolved_on is None and any(r.status == "已化解" and not r.resolved_on for r in same):
        resolved_on = found  # resolved without a date: count it as handled in time
    if resolved_on is not None:
        status = "已化解"
        category = ON_TIME if deadline is None or resolved_on <= deadline else LATE
    else:
        status = "未化解"
        category = LATE if deadline is not None and deadline < report_date else PENDING
    return category, found, deadline, resolved_on, status


# ---------------------------------------------------------------------------- one quarter
def _fmt(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def formula_text(params: dict) -> str:
    """The score formula in words, with the configured numbers."""
    def n(v):
        return f"{v:g}" if isinstance(v, (int, float)) else str(v)

    return (f"得分＝{n(params['base'])}－{n(params['miss_penalty'])}×漏排数（从未排查、排查未发现）"
            f"－{n(params['late_penalty'])}×未按期处置数＋{n(params['own_find_bonus'])}×自查发现率，"
            f"结果限定在0至{n(params['base'])}分之间；当季无线索的单位得基础分{n(params['base'])}分。")


def score(params: dict, misses: int, late: int, own_share: float | None) -> float:
    base = float(params["base"])
    value = (base - float(params["miss_penalty"]) * misses - float(params["late_penalty"]) * late
             + float(params["own_find_bonus"]) * (own_share or 0.0))
    return round(max(0.0, min(base, value)), 1)


def analyse_quarter(content: Content, year: int, q: int, recs: Records | None = None) -> Quarter:
    settings = content.settings
    params = {"base": 100, "miss_penalty": 10, "late_penalty": 5, "own_find_bonus": 10,
              "screening_window_days": 92, **(settings.get("lookback") or {})}
    window = int(params["screening_window_days"])
    months = quarter_months(year, q)
    start, end = _month_start(months[0]), _month_end(months[-1])
    report_month = report_month_of(year, q)
    as_of = _d(settings.get("as_of"))
    report_date = working_day_on_or_before(_month_end(report_month))  # dated on a working day
    if as_of is not None and as_of < report_date:
        report_date = working_day_on_or_before(as_of)
    upto = f"{report_date.year:04d}-{report_date.month:02d}"

    units = content.units  # a property that rebuilds the dict: read it once
    order = {uid: i for i, uid in enumerate(units)}

    def uname(uid) -> str:
        return units[uid].get("name", uid) if uid in units else (uid or "")

    recs = recs or records(content)
    targets = recs.targets

    rows = []
    for clue in sorted(content.clues, key=lambda c: (c["received_on"], c["id"])):
        received = _d(clue["received_on"])
        if not (start <= received <= end):
            continue
        hits, basis = match(clue, targets)
        since = received - timedelta(days=window)
        best = None  # (rank, target, screens, found_records)
        for t in hits:
            screens = sorted({(u, m) for u, m in recs.screened.get((t.kind, t.id), [])
                              if m <= upto and _month_start(m) <= received and _month_end(m) >= since})
            found = [r for r in recs.hazards_as_of((t.kind, t.id), upto)
                     if since <= r.found_on <= received]
            rank = 2 if found else 1 if screens else 0
            if best is None or rank > best[0]:
                best = (rank, t, screens, found)
        row = {
            "clue": clue["id"], "channel": clue.get("channel"), "received_on": clue["received_on"],
            "target_name": clue.get("target_name"), "summary": clue.get("summary"),
            "workers": clue.get("workers"), "amount_yuan": clue.get("amount_yuan"),
            "extreme": bool(clue.get("extreme")), "repeat": clue.get("repeat") or 0,
            "handled_on": clue.get("handled_on"), "result": clue.get("result"),
            "match_basis": basis, "candidates": [t.name for t in hits],
            "matched_kind": None, "matched_id": None, "matched_name": None,
            "village": clue.get("village"), "authority": None, "screened_by": [], "screened_months": [],
            "found_by": [], "hazard_found_on": None, "hazard_deadline": None, "hazard_resolved_on": None,
            "hazard_status": None,
            # the same matter as an earlier clue (checked to exist by check/refs.py): listed, counted once
            "same_as": clue.get("same_as"), "counted": not clue.get("same_as"),
        }
        if best is None:
            category = NEVER
            review = "线索所反映的对象不在项目、企业台账和排查记录中，属地未纳入排查。"
        else:
            _rank, t, screens, found = best
            row.update(matched_kind=t.kind, matched_id=None if t.kind == "其他" else t.id,
                       matched_name=t.name, village=t.village or clue.get("village"), authority=t.authority)
            row["screened_by"] = sorted({u for u, _m in screens}, key=lambda u: order.get(u, 999))
            row["screened_months"] = sorted({m for _u, m in screens})
            if found:
                category, f_on, dl, res_on, status = _judge(found, report_date)
                row.update(hazard_found_on=f_on.isoformat(), hazard_deadline=dl.isoformat() if dl else None,
                           hazard_resolved_on=res_on.isoformat() if res_on else None, hazard_status=status)
                # self-discovery credit: only for a report that reached the repository before the clue
                reporters = sorted({r.unit for r in found if r.found_on == f_on},
                                   key=lambda u: order.get(u, 999))
                row["found_by"] = [u for u in reporters if any(
                    r.unit == u and r.found_on == f_on and r.landed is not None and r.landed <= received
                    for r in found)]
                finders = "、".join(uname(u) for u in reporters)
                if category == ON_TIME:
                    review = f"{finders}于{_fmt(f_on)}排查发现，{_fmt(res_on)}化解，未超过处置期限。"
                elif category == PENDING:
                    review = f"{finders}于{_fmt(f_on)}排查发现，处置期限{_fmt(dl)}，截至报告日正在化解。"
                elif res_on is not None:
                    review = (f"{finders}于{_fmt(f_on)}排查发现，处置期限{_fmt(dl)}，"
                              f"{_fmt(res_on)}才化解，超期处置。")
                else:
                    review = f"{finders}于{_fmt(f_on)}排查发现，处置期限{_fmt(dl)}，截至报告日仍未化解。"
            elif screens:
                category = NOT_FOUND
                who = "、".join(uname(u) for u in row["screened_by"])
                when = "、".join(_month_label(m) for m in row["screened_months"])
                review = f"{who}在{when}排查了该对象，但均未发现欠薪隐患。"
            else:
                category = NEVER
                review = f"线索收到前{window}天内（{_fmt(since)}起），没有任何单位排查该对象。"
        review_text = review  # the finding alone, for issued text; the notes below are for the office
        if basis == BY_SIMILAR:
            review += f"（按名称近似匹配到“{row['matched_name']}”，请核对。）"
        if len(hits) > 1:
            review += "（名称对应多个对象：" + "、".join(t.name for t in hits) + "。）"
        row.update(category=category, is_miss=category in MISS_CATEGORIES, is_late=category == LATE,
                   review=review, review_text=review_text, village_name=uname(row["village"]) or "未确定",
                   authority_name=uname(row["authority"]))
        rows.append(row)
    clues = pd.DataFrame(rows, columns=CLUE_COLUMNS, dtype=object)  # keep None, not NaN
    return Quarter(key=f"{year}-Q{q}", year=year, number=q, label=f"{year}年{QUARTER_NAMES[q]}",
                   start=start.isoformat(), end=end.isoformat(), report_month=report_month,
                   report_date=report_date.isoformat(), window_days=window, params=params,
                   formula=formula_text(params), clues=clues, units=unit_scores(content, clues, params))


COUNTS = ("clues", "clues_local", "clues_sector", "misses", "late", "pending", "own_found")


def unit_scores(content: Content, clues: pd.DataFrame, params: dict) -> pd.DataFrame:
    """One row per reporting unit (and any other unit a clue is attributed to); one pass over the clues."""
    units = {u["id"]: u for u in content.reporting_units}
    tally: dict[str, dict[str, int]] = {}
    for row in clues.to_dict("records"):
        if not row["counted"]:
            continue  # the same matter as another clue: it counts once, under that clue
        for role, uid in (("clues_local", row["village"]), ("clues_sector", row["authority"])):
            if not uid:
                continue
            if uid not in units and uid in content.units:
                units[uid] = content.units[uid]
            t = tally.setdefault(uid, dict.fromkeys(COUNTS, 0))
            t[role] += 1
            if role == "clues_sector" and row["village"] == uid:
                continue  # a clue counts once for a unit that is both 属地 and 属事
            t["clues"] += 1
            t["misses"] += bool(row["is_miss"])
            t["late"] += bool(row["is_late"])
            t["pending"] += row["category"] == PENDING
            t["own_found"] += uid in (row["found_by"] or [])
    rows = []
    for uid, unit in units.items():
        t = tally.get(uid) or dict.fromkeys(COUNTS, 0)
        share = t["own_found"] / t["clues"] if t["clues"] else None
        rows.append({"unit": uid, "unit_name": unit.get("name", uid), "unit_kind": unit.get("kind"), **t,
                     "own_share": share, "score": score(params, t["misses"], t["late"], share)})
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def all_quarters(content: Content, landed_on: dict | None = None) -> list[Quarter]:
    recs = records(content, landed_on)  # read the returns once for every quarter
    return [analyse_quarter(content, y, q, recs) for y, q in quarters(content)]


def summary(quarter: Quarter) -> dict[str, Any]:
    """Counts by category and channel, for the report's opening paragraph: a clue that is the same matter
    as another (same_as) counts once."""
    c = quarter.clues
    c = c[c["counted"].astype(bool)] if len(c) else c
    return {"total": len(c),
            "by_category": {cat: int((c["category"] == cat).sum()) for cat in CATEGORIES},
            "by_channel": {ch: int(n) for ch, n in c["channel"].value_counts(sort=False).items()},
            "workers": int(c["workers"].fillna(0).sum()) if len(c) else 0,
            "amount_yuan": float(c["amount_yuan"].fillna(0).sum()) if len(c) else 0.0}
