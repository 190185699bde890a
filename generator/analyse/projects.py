"""Projects: 一金三制 status, monitoring-platform connection and run rate against the targets in
settings, and the rectifications ordered with overdue ones first."""

from __future__ import annotations

import pandas as pd

from generator.analyse.dates import as_of, frame, month_end, month_of, parse
from generator.model import Content

TABLE_COLUMNS = ["project", "name", "status", "village", "village_name", "authority", "authority_name",
                 "government_funded", "qualifies", "connected", "latest_month", "latest_run_rate",
                 "below_target", "deposit_required", "deposit_stored", "real_name", "dedicated_account",
                 "bank_payroll", "process_settlement", "notice_board", "yuxinma", "coordinator", "baobao",
                 "open_rectifications", "overdue_rectifications",
                 # further columns the internal site and the documents read
                 "coordinator_name", "baobao_name", "deposit_amount_yuan", "deposit_form", "violations",
                 "workers", "sample", "latest_real_name_rate", "latest_dedicated_account_rate",
                 "latest_bank_payroll_rate", "rate_shortfalls"]
PLATFORM_COLUMNS = ["month", "project", "name", "authority", "authority_name", "connected", "run_rate",
                    "below_target", "data_issues"]
RECT_COLUMNS = ["project", "name", "authority", "authority_name", "rect_id", "issue", "issued_on",
                "deadline", "completed_on", "status", "days_overdue"]

# reading field → (settings.targets key, label): the Chongqing run-rate targets besides the platform's
RATE_TARGETS = {"real_name_rate": ("real_name_run", "实名制"),
                "dedicated_account_rate": ("dedicated_account_run", "专用账户"),
                "bank_payroll_rate": ("bank_payroll_run", "银行代发")}

DONE, DONE_LATE, OPEN, OVERDUE = "已完成", "逾期完成", "整改中", "逾期未完成"
RECT_ORDER = {OVERDUE: 0, OPEN: 1, DONE_LATE: 2, DONE: 3}


def run_rate_target(content: Content) -> float:
    return float(content.settings.get("targets", {}).get("platform_run_rate", 100))


def _rect_status(rect: dict, today) -> tuple[str, int]:
    deadline = parse(rect.get("deadline"))
    done = parse(rect.get("completed_on"))
    if done is not None:
        late = (done - deadline).days if deadline else 0
        return (DONE_LATE, late) if late > 0 else (DONE, 0)
    late = (today - deadline).days if deadline else 0
    return (OVERDUE, late) if late > 0 else (OPEN, 0)


def _latest_reading(project: dict) -> dict | None:
    readings = (project.get("platform") or {}).get("readings") or []
    return max(readings, key=lambda r: str(r.get("month"))) if readings else None


def table(content: Content) -> pd.DataFrame:
    today = as_of(content.settings)
    target = run_rate_target(content)
    rows = []
    for pid, p in sorted(content.projects.items()):
        platform = p.get("platform") or {}
        deposit = p.get("deposit") or {}
        reading = _latest_reading(p)
        rate = reading.get("run_rate") if reading else None
        qualifies = bool(platform.get("qualifies"))
        connected = bool(platform.get("connected"))
        statuses = [_rect_status(r, today)[0] for r in p.get("rectifications") or []]
        shortfalls = []
        for field, (key, label) in RATE_TARGETS.items():
            value, goal = (reading or {}).get(field), content.settings.get("targets", {}).get(key)
            if value is not None and goal is not None and float(value) < float(goal):
                shortfalls.append(f"{label}运行率 {float(value):g}%（目标 {float(goal):g}%）")
        rows.append({
            "project": pid, "name": p.get("name"), "status": p.get("status"),
            "village": p.get("village"), "village_name": content.unit_name(p.get("village")),
            "authority": p.get("authority"), "authority_name": content.unit_name(p.get("authority")),
            "government_funded": bool(p.get("government_funded")), "qualifies": qualifies,
            "connected": connected, "latest_month": reading.get("month") if reading else None,
            "latest_run_rate": float(rate) if rate is not None else None,
            "below_target": bool(qualifies and (not connected or rate is None or float(rate) < target)),
            "deposit_required": bool(deposit.get("required")),
            "deposit_stored": bool(deposit.get("stored_on")),
            "real_name": bool(p.get("real_name")),
            "dedicated_account": bool((p.get("dedicated_account") or {}).get("opened")),
            "bank_payroll": bool(p.get("bank_payroll")),
            "process_settlement": bool(p.get("process_settlement")),
            "notice_board": bool((p.get("notice_board") or {}).get("posted")),
            "yuxinma": bool((p.get("yuxinma") or {}).get("posted")),
            "coordinator": p.get("coordinator"), "baobao": p.get("baobao"),
            "open_rectifications": sum(s in (OPEN, OVERDUE) for s in statuses),
            "overdue_rectifications": sum(s == OVERDUE for s in statuses),
            "coordinator_name": content.person_name(p.get("coordinator")),
            "baobao_name": content.person_name(p.get("baobao")),
            "deposit_amount_yuan": deposit.get("amount_yuan"), "deposit_form": deposit.get("form"),
            "violations": len(p.get("violations") or []), "workers": p.get("workers"),
            "sample": bool(p.get("sample")),
            "latest_real_name_rate": (reading or {}).get("real_name_rate"),
            "latest_dedicated_account_rate": (reading or {}).get("dedicated_account_rate"),
            "latest_bank_payroll_rate": (reading or {}).get("bank_payroll_rate"),
            "rate_shortfalls": shortfalls,
        })
    return frame(rows, TABLE_COLUMNS)


def _months_active(project: dict) -> tuple[str | None, str | None]:
    """(first, last) month the project was under way; None where it has no start or is not completed."""
    return month_of(project.get("start_date")), month_of(project.get("completed_on"))


def platform(content: Content) -> pd.DataFrame:
    """One row per qualifying project per month with returns (while the project was under way)."""
    target = run_rate_target(content)
    # per qualifying project, once: when it ran, when it connected, its readings by month (first wins)
    qualifying = []
    for pid, p in sorted(content.projects.items()):
        plat = p.get("platform") or {}
        if plat.get("qualifies"):
            readings: dict[str, dict] = {}
            for r in plat.get("readings") or []:
                readings.setdefault(str(r.get("month")), r)
            qualifying.append((pid, p, plat, *_months_active(p), parse(plat.get("connected_on")), readings,
                               content.unit_name(p.get("authority"))))
    rows = []
    for month in content.months:
        end_of_month = month_end(month)
        for pid, p, plat, start, end, connected_on, readings, authority_name in qualifying:
            if not ((start is None or start <= month) and (end is None or month <= end)):
                continue
            connected = bool(plat.get("connected")) and (connected_on is None or connected_on <= end_of_month)
            reading = readings.get(month)
            rate = reading.get("run_rate") if reading else None
            issues = list((reading or {}).get("data_issues") or [])
            if connected and reading is None:
                issues.append("缺少当月运行率")
            rows.append({
                "month": month, "project": pid, "name": p.get("name"), "authority": p.get("authority"),
                "authority_name": authority_name, "connected": connected,
                "run_rate": float(rate) if rate is not None else None,
                "below_target": bool(not connected or rate is None or float(rate) < target),
                "data_issues": issues,
            })
    return frame(rows, PLATFORM_COLUMNS)


def rectifications(content: Content) -> pd.DataFrame:
    """Every rectification with its status against as_of; overdue first, then by deadline."""
    today = as_of(content.settings)
    rows = []
    for pid, p in sorted(content.projects.items()):
        for r in p.get("rectifications") or []:
            status, days = _rect_status(r, today)
            rows.append({
                "project": pid, "name": p.get("name"), "authority": p.get("authority"),
                "authority_name": content.unit_name(p.get("authority")), "rect_id": r.get("id"),
                "issue": r.get("issue"), "issued_on": r.get("issued_on"), "deadline": r.get("deadline"),
                "completed_on": r.get("completed_on"), "status": status, "days_overdue": days,
            })
    df = frame(rows, RECT_COLUMNS)
    if df.empty:
        return df
    df["_order"] = df["status"].map(RECT_ORDER)
    df = df.sort_values(["_order", "days_overdue", "deadline"], ascending=[True, False, True])
    return df.drop(columns="_order").reset_index(drop=True)


def below_target_active(df: pd.DataFrame) -> pd.DataFrame:
    """Projects still under way that miss the platform target: completed ones are not chased."""
    return df[df["below_target"].astype(bool) & (df["status"] != "完工")]


def yijin_sanzhi(df: pd.DataFrame) -> dict:
    """Rates (%) over active projects: deposit stored (of required), real name, account, bank payroll,
    process settlement, platform connected (of qualifying)."""
    active = df[df["status"] != "完工"]

    def rate(num, den) -> float | None:
        return round(float(num) * 100 / den, 1) if den else None

    req = active[active["deposit_required"].astype(bool)]
    qual = active[active["qualifies"].astype(bool)]
    return {
        "projects": int(len(active)),
        "deposit_storage": rate(req["deposit_stored"].sum(), len(req)),
        "real_name": rate(active["real_name"].sum(), len(active)),
        "dedicated_account": rate(active["dedicated_account"].sum(), len(active)),
        "bank_payroll": rate(active["bank_payroll"].sum(), len(active)),
        "process_settlement": rate(active["process_settlement"].sum(), len(active)),
        "platform_connection": rate(qual["connected"].sum(), len(qual)),
        "below_target": int(len(below_target_active(df))),
    }


def by_urgency(df: pd.DataFrame) -> pd.DataFrame:
    """Projects as the office works through them: under way first, most overdue rectifications first,
    those below the platform target before the others, then by id."""
    if df.empty:
        return df
    order = df.assign(_done=df["status"] == "完工", _overdue=-df["overdue_rectifications"].astype(int),
                      _on_target=~df["below_target"].astype(bool))
    order = order.sort_values(["_done", "_overdue", "_on_target", "project"], kind="stable")
    return order.drop(columns=["_done", "_overdue", "_on_target"])
