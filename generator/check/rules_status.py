"""Status agrees with dates, the audit trail is real, and the office's judgement calls on a month.

Each rule says beside it whether the office reads it as an error (the record contradicts itself or the
town document) or a warning (a question the office would ask before the 通报, not a mistake for sure).
"""

from __future__ import annotations

import re

from generator.check.refs import Context, dicts, text
from generator.check.rule_kit import ACTIVE, day, mappings, month_of, number
from generator.findings import WARNING, Finding, at_field
from generator.model import Document

RESOLVED = "已化解"
# Only spaces, punctuation and symbols (half- or full-width): no reason at all.
_NO_WORDS = re.compile(r"^[\s\u3000\W_]*$")


def each(documents: list[Document], ctx: Context) -> list[Finding]:
    """The rules that judge each project and return on its own (given the roster and settings)."""
    settings = ctx.single.get("settings") or {}
    as_of = day(settings.get("as_of")) if isinstance(settings, dict) else None
    out: list[Finding] = []
    own = _ownership(ctx)
    for kind, file, data in mappings(documents):
        if kind == "project":
            out += _project(file, data, as_of)
        elif kind == "return":
            out += _hazards(file, data)
            out += _amendments(file, data, ctx, own)
            out += _signatures(file, data, ctx, own)
    return out


def across(documents: list[Document], ctx: Context, months: set[str] | None = None) -> list[Finding]:
    """The rules that compare returns with one another. With `months`, only the findings on the returns of
    those months (each depends on the returns of its own month)."""
    return _zero_reports([(file, data) for kind, file, data in mappings(documents) if kind == "return"
                          and (months is None or month_of(data.get("month")) in months)], ctx)


def _project(file: str, p: dict, as_of: str | None) -> list[Finding]:
    out: list[Finding] = []
    status, completed = p.get("status"), day(p.get("completed_on"))
    # Error: a completion date that has passed says the works are over; 在建/停工 says they are not. The
    # 通报 counts 在建 projects for coordinators and platform coverage, so one of the two must change.
    if status in ACTIVE and completed and as_of and completed <= as_of:
        out.append(at_field("project.active-after-completion", file, ("status",),
                            f"项目状态为“{status}”，但完工日期 {completed} 已过：已完工的请把状态改为“完工”，"
                            "没有完工的请删除完工日期（计划完工日期写在 planned_completion）。"))
    planned = day(p.get("planned_completion"))
    # Warning: a planned completion date that passed while still 在建 is common (delays) but the office
    # wants it updated, since the deposit return and the account closing hang on it.
    if status == "在建" and not completed and planned and as_of and planned < as_of:
        out.append(at_field("project.planned-completion-passed", file, ("planned_completion",),
                            f"计划完工日期 {planned} 已过，项目仍为“在建”："
                            "已完工的请改为“完工”并填写完工日期，延期的请更新计划完工日期。",
                            severity=WARNING))
    platform = p.get("platform")
    # Warning: 渝府办发〔2025〕38号 wants every qualifying project on the platform; one that is not, with no
    # rectification ordered, is a gap the office follows up (二（三）), not a wrong record.
    # (readings while not connected: platform.readings-not-connected already says connected is wrong)
    unconnected = isinstance(platform, dict) and platform.get("qualifies") is True \
        and platform.get("connected") is False and not list(dicts(platform.get("readings")))
    if unconnected and status in ACTIVE and not list(dicts(p.get("rectifications"))):
        out.append(at_field("project.unconnected-without-rectification", file, ("platform", "connected"),
                            "项目符合条件却没有接入监控预警平台，也没有下达限期整改：请接入平台，"
                            "或在 rectifications 里登记整改要求。", severity=WARNING))
    return out


def _hazards(file: str, r: dict) -> list[Finding]:
    out: list[Finding] = []
    for i, h in dicts(r.get("hazards")):
        if h.get("status") != RESOLVED:
            continue
        paid, repaid = number(h.get("workers_paid")), number(h.get("amount_repaid_yuan"))
        found, resolved = day(h.get("found_on")), day(h.get("resolved_on"))
        if resolved is None or (found and resolved < found):
            continue  # the status itself is in doubt: rules.py reports the date, once
        # Error: 已化解 means the workers were paid (二（二）); the 通报 reports how many and how much, so a
        # resolved hazard that says neither cannot be counted.
        if not paid and not repaid:
            out.append(at_field("hazard.resolved-without-payment", file, ("hazards", i, "status"),
                                "状态为“已化解”，但没有写支付给了多少人、多少钱：请填写已支付人数（workers_paid）"
                                "和已支付金额（amount_repaid_yuan，单位元）。"))
    return out


def _amendments(file: str, r: dict, ctx: Context, own) -> list[Finding]:
    out: list[Finding] = []
    amendments = list(dicts(r.get("amendments")))
    if not amendments:
        return out
    unit = text(r.get("unit"))
    owners = _signers(own, unit) if unit else None
    for i, a in amendments:
        reason = a.get("reason")
        # Error: the amendment record is the audit trail of a closed month; "。" or spaces explain nothing.
        if isinstance(reason, str) and reason and _NO_WORDS.match(reason):
            out.append(at_field("amendment.reason-blank", file, ("amendments", i, "reason"),
                                "更正原因只有空格或标点：请写清楚改了什么、为什么改，"
                                "如“涉及人数由 10 人更正为 12 人”。"))
        by = text(a.get("by"))
        # Error: a unit answers for its own return, so the one who amends it is one of its people or the
        # office (check-pr further requires the committing account's own person).
        if by and owners is not None and by in (ctx.people or {}) and by not in owners:
            person = (ctx.people or {}).get(by) or {}
            out.append(at_field("amendment.by-other-unit", file, ("amendments", i, "by"),
                                f"修改人“{by}”（{person.get('name', '')}）不是{ctx.unit_name(unit)}的人员，"
                                "也不是专班办公室人员：更正记录由报送单位本单位的人员（或办公室）登记，"
                                "by 请填写你本人的人员编号。"))
    return out


def _signatures(file: str, r: dict, ctx: Context, own) -> list[Finding]:
    """Warning: 填报人 and 审核人 are the unit's own people or the office's (the office may file for a unit
    that hands in paper or Excel). Another unit's person is most likely a wrong pick in the form's list;
    a warning, not an error, because a town cadre may stand in for a village in a given month."""
    unit = text(r.get("unit"))
    owners = _signers(own, unit) if unit in (ctx.units or {}) else None  # an unknown unit: ref layer
    if owners is None:
        return []
    out: list[Finding] = []
    for key, role in (("filled_by", "填报人"), ("approved_by", "审核人")):
        who = text(r.get(key))
        if who and who in (ctx.people or {}) and who not in owners:
            person = (ctx.people or {}).get(who) or {}
            out.append(at_field("return.signer-other-unit", file, (key,),
                                f"{role}“{person.get('name', who)}”（{who}）不是{ctx.unit_name(unit)}的人员，"
                                "也不是专班办公室人员：请确认没有选错人。", severity=WARNING))
    return out


def _ownership(ctx: Context):
    """Who signs for which unit (built once per check: a county roster has ~2,000 people), or None."""
    taskforce = ctx.single.get("taskforce")
    if not isinstance(taskforce, dict) or ctx.people is None:
        return None
    from generator.workflow.roster import ownership  # the one home of who may sign for a unit

    try:
        return ownership(taskforce)
    except (AttributeError, TypeError):
        return None  # a roster of the wrong shape is reported on taskforce.yaml


def _signers(own, unit: str) -> set[str] | None:
    return None if own is None else own.unit_people.get(unit, set()) | own.office_people


def _zero_reports(returns: list[tuple[str, dict]], ctx: Context) -> list[Finding]:
    """Warning: a village files 零报告 while another unit reports arrears on a project or enterprise in that
    village the same month: either the village missed it or the other unit put it in the wrong place."""
    villages = ctx.villages or {}
    in_village: dict[tuple[str, str], list[str]] = {}  # (month, village) → "unit reported target"
    for _, r in returns:
        hazards = r.get("hazards")
        if not hazards or not isinstance(hazards, list):  # most returns: nothing to look at
            continue
        unit, month = text(r.get("unit")), month_of(r.get("month"))
        if not unit or not month:
            continue
        for _, h in dicts(hazards):
            # Only a project reported by its own authority: a village reporting another village's
            # project or enterprise is hazard.outside-area, not news for that village.
            pid = text(h.get("project"))
            target = ctx.projects.get(pid) if pid else None
            village = text(target.get("village")) if isinstance(target, dict) else None
            if village and village != unit and text(target.get("authority")) == unit:
                name = target.get("name") or pid
                in_village.setdefault((month, village), []).append(f"{ctx.unit_name(unit)}报了“{name}”")
    out = []
    if not in_village:
        return out
    for file, r in returns:
        if r.get("hazards") != []:
            continue
        unit, month = text(r.get("unit")), month_of(r.get("month"))
        if unit in villages and month and (month, unit) in in_village:
            others = "；".join(sorted(set(in_village[(month, unit)])))
            out.append(at_field("return.zero-report-contradicted", file, ("hazards",),
                                f"本表是零报告，但同月有其他单位报了本村（社区）的欠薪隐患（{others}）："
                                "请核实后补报，确实与本村无关的请告诉办公室。", severity=WARNING))
    return out
