"""Which project, enterprise or other target a clue names: names normalised (full/half width, 有限公司,
place prefixes, （示例）), then by id, by name, by a similar name (flagged for the office to check)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from generator.model import Content

BY_ID = "编号"
BY_NAME = "名称"
BY_SIMILAR = "名称近似（请核对）"
UNMATCHED = "未匹配"

# ---------------------------------------------------------------------------- names
_PREFIXES = ("重庆市", "丰都县", "重庆")
_SAMPLE_MARK = re.compile(r"\(示例\)")


def normalise(name: str | None) -> str:
    """Comparable form of a unit or project name.

    NFKC (full/half width), drop （示例）, spaces and punctuation, treat 有限责任公司/有限公司/公司 alike,
    drop leading place names 重庆市/丰都县/重庆 and lower-case Latin letters.
    """
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = _SAMPLE_MARK.sub("", s)
    s = "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PZSC")
    s = s.replace("有限责任公司", "公司").replace("有限公司", "公司")
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if s.startswith(prefix) and len(s) > len(prefix):
                s = s[len(prefix):]
                changed = True
    return s.casefold()


def similar(a: str, b: str) -> bool:
    """Loose match for names written with a word left out (长江码头装卸队 ~ 长江码头个体装卸队).

    The shorter normalised name must be a subsequence of the longer one, at least 4 characters, and the
    two at least 75 % alike; callers also require the same village. Such matches are flagged for review.
    """
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4 or not short or short == long_:
        return False
    it = iter(long_)
    if not all(ch in it for ch in short):
        return False
    return difflib.SequenceMatcher(None, short, long_).ratio() >= 0.75



# ---------------------------------------------------------------------------- targets
@dataclass
class Target:
    kind: str  # "项目" | "企业" | "其他"
    id: str
    name: str
    village: str | None
    authority: str | None
    direct: set[str]  # normalised names of the target itself
    roles: set[str]  # normalised names of the units working on it (projects only)


def targets(content: Content) -> list[Target]:
    out: list[Target] = []
    for p in content.projects.values():
        roles = {p.get("construction_unit"), p.get("general_contractor"), p.get("project_department"),
                 *(p.get("subcontractors") or [])}
        out.append(Target("项目", p["id"], p["name"], p.get("village"), p.get("authority"),
                          {normalise(p["name"])}, {normalise(r) for r in roles if r} - {""}))
    for e in content.enterprises.values():
        out.append(Target("企业", e["id"], e["name"], e.get("village"), None, {normalise(e["name"])}, set()))
    units = content.units
    others: dict[str, Target] = {}
    for (_month, unit), ret in sorted(content.returns.items()):
        for h in ret.get("hazards") or []:
            if h.get("other_target"):
                key = normalise(h["other_target"])
                village = unit if units.get(unit, {}).get("kind") == "village" else None
                t = others.setdefault(key, Target("其他", "other:" + key, h["other_target"], village, None,
                                                  {key}, set()))
                t.village = t.village or village
    out.extend(others.values())
    return out


def match(clue: dict, targets: list[Target]) -> tuple[list[Target], str]:
    """The targets a clue names and how they were found: by id, by name, by similar name, or none.

    Names of a project or enterprise itself rank before the names of the units working on a project;
    among several, those in the clue's village are kept.
    """
    for key, kind in (("project", "项目"), ("enterprise", "企业")):
        if clue.get(key):
            hits = [t for t in targets if t.kind == kind and t.id == clue[key]]
            if hits:
                return hits, BY_ID
    name = normalise(clue.get("target_name"))
    village = clue.get("village")

    def prefer_village(hits: list[Target]) -> list[Target]:
        local = [t for t in hits if village and t.village == village]
        return local or hits

    if name:
        for tier in ("direct", "roles"):
            hits = [t for t in targets if name in getattr(t, tier)]
            if hits:
                return prefer_village(hits), BY_NAME
        hits = [t for t in targets
                if (not village or t.village == village)
                and any(similar(name, n) for n in t.direct | t.roles)]
        if hits:
            return prefer_village(hits), BY_SIMILAR
    return [], UNMATCHED
