"""The facts of the printed publicity materials (宣传册 A4, 宣传画 A3; the town plan asks for both):
numbers, the office and the site's address from settings.yaml, shown as the public site shows them."""

from __future__ import annotations

from generator.model import Content

FALLBACK = "12333"  # the national labour and social security line: always answers


def facts(content: Content) -> dict:
    s = content.settings or {}
    hotlines = []
    for h in s.get("hotlines") or []:
        confirmed = bool(h.get("number")) and bool(h.get("confirmed"))
        hotlines.append({"name": h.get("name") or "", "purpose": h.get("purpose") or "",
                         "number": h.get("number") if confirmed else None})
    office = s.get("office") or {}
    wage = s.get("minimum_wage") or {}
    if wage.get("confirmed") and wage.get("monthly_yuan"):
        minimum_wage = f"月最低工资 {wage['monthly_yuan']} 元"
    else:
        minimum_wage = "待核实，以重庆市人民政府公布的标准为准"
    town = content.town or {}
    return {
        "site_url": (s.get("site") or {}).get("url") or "",
        "hotlines": hotlines,
        "fallback": FALLBACK,
        "office": {"name": office.get("name") or "镇社保所（根治欠薪专班办公室）",
                   "address": office.get("address"), "hours": office.get("hours"),
                   "confirmed": bool(office.get("confirmed"))},
        "minimum_wage": minimum_wage,
        "town": f"{town.get('county', '')}{town.get('name', '')}",
        "issuer": (s.get("bulletin") or {}).get("issuer") or "",
        "sample": bool(s.get("sample_data")),
    }
