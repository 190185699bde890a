"""Facts the office has not confirmed yet, as one list for the build output (issue 12).

Every output shows these as 待核实 with what to do instead; this list tells the office what to check, in
settings.yaml and town.yaml, so that the marks disappear once the facts are confirmed.
"""

from __future__ import annotations

from generator.model import Content


def unconfirmed(content: Content) -> list[str]:
    """One Chinese line per unconfirmed fact: where it is and what is missing."""
    s = content.settings or {}
    out: list[str] = []
    for h in s.get("hotlines") or []:
        if not h.get("number"):
            out.append(f"settings.yaml 热线“{h.get('name')}”：没有号码（页面请群众先拨打 12333）")
        elif not h.get("confirmed"):
            out.append(f"settings.yaml 热线“{h.get('name')}”：号码 {h.get('number')} 未核实")
    office = s.get("office") or {}
    if office and not office.get("confirmed"):
        missing = [name for key, name in (("address", "地址"), ("hours", "办公时间")) if not office.get(key)]
        what = "没有" + "和".join(missing) if missing else "地址和办公时间未核实"
        out.append(f"settings.yaml 就近反映的地点“{office.get('name')}”：{what}")
    if not (s.get("minimum_wage") or {}).get("confirmed"):
        out.append("settings.yaml 最低工资标准（minimum_wage）未核实")
    if not (s.get("deposit") or {}).get("confirmed"):
        out.append("settings.yaml 工资保证金比例和补足期限（deposit）未核实")
    if not s.get("yuxinma_default_url"):
        out.append("settings.yaml 渝薪码默认链接（yuxinma_default_url）未填写")
    authorities = {p.get("authority") for p in content.projects.values()}
    for unit_id, unit in content.units.items():
        if unit_id in authorities and not unit.get("complaint_phone"):
            out.append(f"town.yaml 行业主管部门“{unit['name']}”：没有投诉电话（项目页面请群众先拨打 12333）")
        if unit.get("name_confirmed") is False:
            out.append(f"town.yaml “{unit['name']}”：是村还是社区未核实")
    return out
