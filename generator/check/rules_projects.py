"""Rules of a project or enterprise record: who looks after it, dates in order, platform readings that
make sense."""

from __future__ import annotations

from typing import Any

from generator.check.refs import dicts
from generator.check.rule_kit import ACTIVE, BAOBAO, COORDINATOR, Rules, day, month_of, number
from generator.findings import WARNING


def project_rules(r: Rules, d: dict) -> None:
    r.id_matches_file(d, "项目")
    status = d.get("status")
    if status in ACTIVE:
        for key, role in (("coordinator", COORDINATOR), ("baobao", BAOBAO)):
            if d.get(key) in (None, ""):
                r.add(f"project.{key}-missing", (),
                      f"项目状态为“{status}”，但没有{role}（{key}）："
                      "在建和停工项目须落实“一项目一协管”和包保责任人。")
    r.roles(d, "项目")
    if status == "完工" and d.get("completed_on") in (None, ""):
        r.add("project.completed-without-date", ("status",),
              "项目状态为“完工”，但没有填写完工日期（completed_on）。",
              severity=WARNING)
    start = day(d.get("start_date"))
    for key, zh in (("planned_completion", "计划完工日期"), ("completed_on", "完工日期")):
        end = day(d.get(key))
        if start and end and end < start:
            r.add("project.dates-order", (key,), f"{zh} {end} 早于开工日期 {start}。")
    account = d.get("dedicated_account")
    if isinstance(account, dict):
        opened, closed = day(account.get("opened_on")), day(account.get("closed_on"))
        if opened and closed and closed < opened:
            r.add("project.dates-order", ("dedicated_account", "closed_on"),
                  f"销户日期 {closed} 早于开户日期 {opened}。")
    deposit = d.get("deposit")
    if isinstance(deposit, dict):
        stored, returned = day(deposit.get("stored_on")), day(deposit.get("returned_on"))
        if stored and returned and returned < stored:
            r.add("project.dates-order", ("deposit", "returned_on"),
                  f"保证金返还日期 {returned} 早于存储日期 {stored}。")
    _platform(r, d.get("platform"), status in ACTIVE)
    for i, rect in dicts(d.get("rectifications")):
        issued, deadline = day(rect.get("issued_on")), day(rect.get("deadline"))
        done = day(rect.get("completed_on"))
        if issued and deadline and deadline <= issued:
            r.add("rectification.deadline-before-issued", ("rectifications", i, "deadline"),
                  f"整改期限 {deadline} 应晚于下达日期 {issued}。")
        if issued and done and done < issued:
            r.add("rectification.completed-before-issued", ("rectifications", i, "completed_on"),
                  f"整改完成日期 {done} 早于下达日期 {issued}。")
    for i, v in dicts(d.get("violations")):
        found, deadline = day(v.get("date")), day(v.get("deadline"))
        if found and deadline and deadline <= found:
            r.add("violation.deadline-before-found", ("violations", i, "deadline"),
                  f"责令改正期限 {deadline} 应晚于发现日期 {found}。")


RATE_FIELDS = {"run_rate": "运行率", "dedicated_account_rate": "专户运行率", "real_name_rate": "实名制运行率",
               "bank_payroll_rate": "银行代发运行率"}


def _platform(r: Rules, p: Any, active: bool) -> None:
    if not isinstance(p, dict):
        return
    connected = p.get("connected")
    connected_on = day(p.get("connected_on"))
    readings = list(dicts(p.get("readings")))
    if connected is False and readings:
        r.add("platform.readings-not-connected", ("platform", "readings"),
              "项目未接入监控预警平台（connected: false），却填写了月度运行情况：已接入的请把 connected "
              "改为 true 并填写接入日期。")
    if connected is True and p.get("connected_on") in (None, ""):
        r.add("platform.connected-without-date", ("platform", "connected"),
              "项目已接入监控预警平台，但没有填写接入日期（connected_on）。", severity=WARNING)
    if connected is True and active and not readings:
        r.add("platform.no-readings", ("platform", "connected"),
              "项目已接入监控预警平台，但还没有任何月度运行情况（readings）：请按月填写运行率及其口径。",
              severity=WARNING)
    seen: dict[str, int] = {}
    for i, reading in readings:
        m = month_of(reading.get("month"))
        if m is not None:
            if m in seen:
                r.add("platform.duplicate-reading", ("platform", "readings", i, "month"),
                      f"{m} 的运行情况写了两次（另见第 {seen[m] + 1} 条）：每月只能有一条。")
            else:
                seen[m] = i
            if connected_on and m < connected_on[:7]:
                r.add("platform.reading-before-connection", ("platform", "readings", i, "month"),
                      f"{m} 早于接入日期 {connected_on}：接入之前不会有运行率。")
        for key, zh in RATE_FIELDS.items():
            rate = number(reading.get(key))
            if rate is not None and rate > 100:
                r.add("platform.rate-out-of-range", ("platform", "readings", i, key),
                      f"{zh}应在 0 到 100 之间（百分数），实际为 {rate:g}。")


def enterprise_rules(r: Rules, d: dict) -> None:
    r.id_matches_file(d, "企业")
    r.roles(d, "企业")
