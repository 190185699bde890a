"""Responsibility matrix: each measure/requirement of the town document × unit → lead or supporting.

The group tokens of responsibilities.yaml expand to their units: "全体村（社区）" to every village or
community, "行业主管部门" to every sector authority. A unit named as lead is never also support.
"""

from __future__ import annotations

import pandas as pd

from generator.model import Content

ALL_VILLAGES = "全体村（社区）"
SECTOR_AUTHORITIES = "行业主管部门"
LEAD, SUPPORT = "牵头", "配合"
COLUMNS = ["item", "section", "title", "unit", "unit_name", "unit_kind", "role", "via"]


def expand(content: Content, tokens: list[str]) -> list[str]:
    """Unit ids named by a lead/support list, group tokens expanded, in first-mention order."""
    out: list[str] = []
    for token in tokens or []:
        if token == ALL_VILLAGES:
            ids = [u["id"] for u in content.units.values() if u["kind"] == "village"]
        elif token == SECTOR_AUTHORITIES:
            ids = [u["id"] for u in content.sector_authorities]
        else:
            ids = [token]
        out += [i for i in ids if i not in out]
    return out


def matrix(content: Content) -> pd.DataFrame:
    """One row per (item, unit) with a role. Columns: item, section, title, unit, unit_name, unit_kind,
    role ("牵头" | "配合"), via (the group token it came from, or None)."""
    units = content.units
    rows = []
    for item in content.responsibilities.get("items", []):
        seen: set[str] = set()
        for role, key in ((LEAD, "lead"), (SUPPORT, "support")):
            for token in item.get(key) or []:
                via = token if token in (ALL_VILLAGES, SECTOR_AUTHORITIES) else None
                for uid in expand(content, [token]):
                    if uid in seen:
                        continue
                    seen.add(uid)
                    rows.append({"item": item["id"], "section": item.get("section"),
                                 "title": item.get("title"), "unit": uid, "unit_name": content.unit_name(uid),
                                 "unit_kind": units.get(uid, {}).get("kind"), "role": role, "via": via})
    return pd.DataFrame(rows, columns=COLUMNS)
