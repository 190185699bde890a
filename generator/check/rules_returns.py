"""Rules of a monthly return and its hazards: the path agrees with the content, counts and amounts agree,
dates fall in their month, and hazards stay in the reporting unit's area."""

from __future__ import annotations

from typing import Any

from generator.check.refs import Context, dicts, text
from generator.check.rule_kit import EMPTY, Rules, day, file_stem, month_of, number
from generator.findings import WARNING, Loc


def _stray(values: Any, area: set[str] | frozenset[str]) -> list[tuple[int, str]]:
    """(index, id) of the string items of a list that are not in `area`."""
    if not isinstance(values, list):
        return []
    try:
        if area.issuperset(values):
            return []
    except TypeError:  # unhashable items: the schema layer reports them
        pass
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str) and v not in area]


def _in_area(ctx: Context, unit: str, project: str | None = None, enterprise: str | None = None) -> bool:
    if project is not None:
        area = ctx.village_projects if unit in (ctx.villages or {}) else ctx.authority_projects
        return project in area.get(unit, ())
    if enterprise is not None and unit in (ctx.villages or {}):
        return enterprise in ctx.village_enterprises.get(unit, ())
    return True


def _area_problem(ctx: Context, unit: str, project: dict | None = None,
                  enterprise: dict | None = None) -> str:
    """Why a project/enterprise is outside the unit's area or authority ("" when it is inside)."""
    units = ctx.units or {}
    if unit not in units:
        return ""
    is_village = unit in (ctx.villages or {})
    if project is not None:
        village, authority = text(project.get("village")), text(project.get("authority"))
        if (village == unit) if is_village else (authority == unit):
            return ""
        return (f"项目位于{ctx.unit_name(village or '')}、由{ctx.unit_name(authority or '')}主管，"
                f"不在{ctx.unit_name(unit)}的{'辖区' if is_village else '主管范围'}内")
    if enterprise is not None and is_village:
        village = text(enterprise.get("village"))
        if village != unit:
            return f"企业位于{ctx.unit_name(village or '')}，不在{ctx.unit_name(unit)}的辖区内"
    return ""


def return_rules(r: Rules, d: dict) -> None:
    ctx = r.ctx
    folder = r.doc.rel.split("/")[1]
    month, unit = month_of(d.get("month")), text(d.get("unit"))
    if month is not None and month != folder:
        copy = f"content/returns/{month}/{file_stem(r.doc.rel)}.yaml"
        later = (f"如果这是新填的 {month} 月报，请复制到新月份的文件夹 {copy}，"
                 f"本文件恢复为 {folder} 的内容（已报送的月报不能改名或移动）；" if month > folder else
                 f"请把文件放到 returns/{month}/；")
        r.add("return.period-mismatch", ("month",),
              f"月份“{month}”与所在文件夹 returns/{folder}/ 不一致：{later}月份写错了的，请改正月份。")
    # An id that names no unit is reported by the reference layer; renaming the file would not help.
    known = ctx.units is None or unit in ctx.units
    if unit is not None and unit != file_stem(r.doc.rel) and known:
        r.add("return.unit-mismatch", ("unit",),
              f"报送单位“{unit}”与文件名“{file_stem(r.doc.rel)}.yaml”不一致："
              f"文件名应为报送单位的编号“{unit}.yaml”。")
    units = ctx.units or {}
    if unit in units and units[unit].get("reports_monthly") is not True:
        r.add("return.not-reporting-unit", ("unit",),
              f"{ctx.unit_name(unit)}（{unit}）不是按月报送排查根治表的单位（town.yaml 中 reports_monthly "
              "不为 true）。")
    filled = day(d.get("filled_on"))
    if month and filled and filled[:7] < month:
        r.add("return.filled-before-month", ("filled_on",),
              f"填报日期 {filled} 早于报告月份 {month}：本月的排查根治表不能在本月开始之前填报。")
    if unit in units:
        is_village = unit in (ctx.villages or {})
        area = (ctx.village_projects if is_village else ctx.authority_projects).get(unit, EMPTY)
        for i, pid in _stray(d.get("checked_projects"), area):
            if pid in ctx.projects and pid not in ctx.misplaced:
                r.add("return.checked-outside-area", ("checked_projects", i),
                      f"已排查项目“{_named(ctx.projects[pid], pid)}”："
                      f"{_area_problem(ctx, unit, project=ctx.projects[pid])}，"
                      f"应由所在村（社区）或主管部门排查。")
        if is_village:
            area = ctx.village_enterprises.get(unit, EMPTY)
            for i, eid in _stray(d.get("checked_enterprises"), area):
                if eid in ctx.enterprises:
                    r.add("return.checked-outside-area", ("checked_enterprises", i),
                          f"已排查企业“{_named(ctx.enterprises[eid], eid)}”："
                          f"{_area_problem(ctx, unit, enterprise=ctx.enterprises[eid])}，"
                          f"应由所在村（社区）排查。")
    _zero_report(r, d)
    for i, h in dicts(d.get("hazards")):
        _hazard(r, h, ("hazards", i), month, unit)


def _zero_report(r: Rules, d: dict) -> None:
    """零报告 (the form's switch) must agree with the hazard list; files without the key need no switch."""
    zero, hazards = d.get("zero_report"), d.get("hazards")
    if not isinstance(zero, bool) or not isinstance(hazards, list):
        return
    if zero and hazards:
        r.add("return.zero-report-with-hazards", ("zero_report",),
              f"选择了“零报告”，却填写了 {len(hazards)} 条“欠薪隐患”：本月有隐患请把“零报告”改为“否”；"
              "没有隐患请删除这些隐患。")
    elif not zero and not hazards:
        r.add("return.no-hazards-not-zero", ("zero_report",),
              "“欠薪隐患”一条也没有，“零报告”却选了“否”：本月没有隐患请把“零报告”改为“是”；"
              "有隐患请逐条添加。")


def _named(record: dict, rid: str) -> str:
    """名称（编号）: the form shows the name, the file holds the id."""
    name = record.get("name") if isinstance(record, dict) else None
    return f"{name}（{rid}）" if isinstance(name, str) and name else rid


TARGET_TITLES = {"project": "项目", "enterprise": "企业", "other_target": "其他对象"}  # the form's labels


def _hazard(r: Rules, h: dict, loc: Loc, month: str | None, unit: str | None) -> None:
    ctx = r.ctx
    targets = [k for k in ("project", "enterprise", "other_target") if h.get(k) not in (None, "")]
    if not targets:
        r.add("hazard.no-target", loc,
              "隐患没有写对象：“项目”（project）、“企业”（enterprise）、“其他对象”（other_target）"
              "三者须填写一个。")
    elif len(targets) > 1:
        r.add("hazard.several-targets", loc + (targets[1],),
              f"隐患同时写了{'、'.join(f'“{TARGET_TITLES[t]}”（{t}）' for t in targets)}："
              "一条隐患只能对应一个对象，请拆成多条。")
    pid, eid = text(h.get("project")), text(h.get("enterprise"))
    if unit and pid in ctx.projects and pid not in ctx.misplaced and not _in_area(ctx, unit, project=pid):
        why = _area_problem(ctx, unit, project=ctx.projects[pid])
        if why:
            r.add("hazard.outside-area", loc + ("project",),
                  f"隐患所涉项目“{_named(ctx.projects[pid], pid)}”：{why}。")
    if unit and eid in ctx.enterprises and not _in_area(ctx, unit, enterprise=eid):
        why = _area_problem(ctx, unit, enterprise=ctx.enterprises[eid])
        if why:
            r.add("hazard.outside-area", loc + ("enterprise",),
                  f"隐患所涉企业“{_named(ctx.enterprises[eid], eid)}”：{why}。")

    workers, paid = number(h.get("workers")), number(h.get("workers_paid"))
    if workers is not None and paid is not None and paid > workers:
        r.add("hazard.paid-exceeds-workers", loc + ("workers_paid",),
              f"已支付人数 {paid} 大于涉及人数 {workers}。")
    owed, repaid = number(h.get("amount_owed_yuan")), number(h.get("amount_repaid_yuan"))
    if owed is not None and repaid is not None and repaid > owed:
        r.add("hazard.repaid-exceeds-owed", loc + ("amount_repaid_yuan",),
              f"已支付金额 {repaid:g} 元大于涉及金额 {owed:g} 元。")

    status = h.get("status")
    found, deadline, resolved = day(h.get("found_on")), day(h.get("deadline")), day(h.get("resolved_on"))
    if status == "已化解" and h.get("resolved_on") in (None, ""):
        r.add("hazard.resolved-without-date", loc + ("status",),
              "状态为“已化解”，但没有填写化解日期（resolved_on）。")
    elif resolved and status in ("未化解", "化解中"):
        r.add("hazard.open-with-resolved-date", loc + ("resolved_on",),
              f"填写了化解日期 {resolved}，状态却是“{status}”："
              "已化解的请把状态改为“已化解”。", severity=WARNING)
    if found and month and found[:7] > month:
        r.add("hazard.found-after-month", loc + ("found_on",),
              f"发现日期 {found} 晚于报告月份 {month}：应报在 {found[:7]} 的排查根治表里。")
    if found and deadline and deadline <= found:
        r.add("hazard.deadline-before-found", loc + ("deadline",),
              f"化解期限 {deadline} 应晚于发现日期 {found}。")
    if found and resolved and resolved < found:
        r.add("hazard.resolved-before-found", loc + ("resolved_on",),
              f"化解日期 {resolved} 早于发现日期 {found}。")
