"""Facts the office has not confirmed yet, as one list for the build output (issue 12).

Every output shows these as 待核实 with what to do instead; this list tells the office what to check, in
settings.yaml and town.yaml, so that the marks disappear once the facts are confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model import Content


@dataclass(frozen=True)
class Pending:
    """A settings.yaml block (or an item of a list of blocks) that says confirmed: false."""

    key: str  # the top-level key: hotlines, office, minimum_wage, deposit
    loc: tuple  # where it is: (key,) or (key, index)
    name: str  # the block's own name, "" when it has none
    block: dict


def pending_settings(settings: Any) -> list[Pending]:
    """Every settings block with confirmed: false, in file order. The one home of this rule: the build's
    list, `zhiqian doctor`, `zhiqian sample remove` and the check's warning all read it from here."""
    found: list[Pending] = []
    for key, value in settings.items() if isinstance(settings, dict) else ():
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, block in items:
            if isinstance(block, dict) and block.get("confirmed") is False:
                loc = (key,) if i is None else (key, i)
                found.append(Pending(str(key), loc, str(block.get("name") or ""), block))
    return found


def _settings_line(p: Pending) -> str:
    b = p.block
    if p.key == "hotlines":
        if not b.get("number"):
            return f"settings.yaml 热线“{p.name}”：没有号码（页面请群众先拨打 12333）"
        return f"settings.yaml 热线“{p.name}”：号码 {b.get('number')} 未核实"
    if p.key == "office":
        missing = [name for key, name in (("address", "地址"), ("hours", "办公时间")) if not b.get(key)]
        what = "没有" + "和".join(missing) if missing else "地址和办公时间未核实"
        return f"settings.yaml 就近反映的地点“{p.name}”：{what}"
    label = {"minimum_wage": "最低工资标准", "deposit": "工资保证金比例和补足期限"}.get(p.key, p.name)
    return f"settings.yaml {label}（{p.key}）未核实"


def unconfirmed(content: Content) -> list[str]:
    """One Chinese line per unconfirmed fact: where it is and what is missing."""
    s = content.settings or {}
    out = [_settings_line(p) for p in pending_settings(s)]
    if not s.get("yuxinma_default_url"):
        out.append("settings.yaml 渝薪码默认链接（yuxinma_default_url）未填写")
    authorities = {p.get("authority") for p in content.projects.values()}
    for unit_id, unit in content.units.items():
        if unit_id in authorities and not unit.get("complaint_phone"):
            out.append(f"town.yaml 行业主管部门“{unit['name']}”：没有投诉电话（项目页面请群众先拨打 12333）")
        if unit.get("name_confirmed") is False:
            out.append(f"town.yaml “{unit['name']}”：是村还是社区未核实")
    return out
