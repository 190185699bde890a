"""Roster and settings sanity: what the town document fixes about the task force, ordered ranges, and
settings not yet confirmed that would print on a poster or a public page.
"""

from __future__ import annotations

from typing import Any

from generator.check.refs import Context, dicts, text
from generator.check.rule_kit import mappings, number
from generator.findings import WARNING, Finding, Loc, at_field
from generator.model import Document
from generator.unconfirmed import pending_settings

# Settings whose values are printed: hotlines on posters and the public site, the minimum wage and the
# deposit rate on the public pages ([[最低工资]], [[保证金比例]]).
PRINTED = {"hotlines": "热线", "minimum_wage": "最低工资", "deposit": "保证金比例"}


def check(documents: list[Document], ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for kind, file, data in mappings(documents):
        if kind == "taskforce":
            out += _secretaries(file, data, ctx)
        elif kind == "settings":
            out += _ranges(file, data, ())
            out += _unconfirmed(file, data)
    return out


def _secretaries(file: str, taskforce: dict, ctx: Context) -> list[Finding]:
    """Error: 三（一） makes every village's 书记 a member of the town task force; the village task force's
    leader is its 书记. Left out, the roster contradicts the document the whole plan rests on."""
    listed = [*(taskforce.get("deputies") or []), *(taskforce.get("members") or [])]
    town = {text(taskforce.get("leader")), *(m for m in listed if isinstance(m, str))}
    out = []
    for i, vt in dicts(taskforce.get("village_taskforces")):
        leader, unit = text(vt.get("leader")), text(vt.get("unit"))
        if leader and leader not in town and (ctx.people is None or leader in ctx.people):
            name = ((ctx.people or {}).get(leader) or {}).get("name", "")
            out.append(at_field("taskforce.secretary-not-member", file, ("village_taskforces", i, "leader"),
                                f"{ctx.unit_name(unit or '')}专班组长“{leader}”（{name}）"
                                "不在镇专班成员（members）里："
                                "按实施方案三（一），各村（社区）书记是镇根治欠薪工作专班成员，"
                                "请把此人加到 members。"))
    return out


def _ranges(file: str, value: Any, loc: Loc) -> list[Finding]:
    """Error: a minimum above its maximum (rate_min_percent > rate_max_percent) makes every check that
    uses the range wrong; the office would never mean it."""
    out: list[Finding] = []
    if isinstance(value, dict):
        for key, v in value.items():
            if isinstance(key, str) and "min" in key.split("_"):
                pair = "_".join("max" if part == "min" else part for part in key.split("_"))
                low, high = number(v), number(value.get(pair))
                if low is not None and high is not None and low > high:
                    out.append(at_field("setting.range-reversed", file, loc + (key,),
                                        f"下限 {key} = {low:g} 大于上限 {pair} = {high:g}：请交换两个数。"))
            out += _ranges(file, v, loc + (key,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _ranges(file, v, loc + (i,))
    return out


def _unconfirmed(file: str, settings: dict) -> list[Finding]:
    """Warning, once the sample data is gone: an unconfirmed value prints as “待核实” on posters and pages,
    which is honest but should not last; the office confirms it with the county and sets confirmed: true."""
    if settings.get("sample_data") is not False:
        return []
    out = []
    for p in pending_settings(settings):
        if p.key in PRINTED:
            what = PRINTED[p.key] + (f"“{p.name}”" if p.name else "")
            out.append(at_field("setting.unconfirmed", file, p.loc + ("confirmed",),
                                f"{what}尚未核实（confirmed: false）：海报和网站上会印“待核实”。"
                                "核实后填入并改为 confirmed: true。", severity=WARNING))
    return out
