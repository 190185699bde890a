"""The analyse stage: checked records (+ provenance) → pandas tables, one function per question.

Each question lives in its own module; `analyse()` runs them all once per build so that the
internal site and the PDFs read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model import Content


@dataclass
class Tables:
    submissions: Any = None  # unit × month → on time / late (days) / missing
    hazards: Any = None  # one row per hazard (latest state), with overdue flags
    projects: Any = None  # 一金三制 + platform vs targets, rectifications
    rectifications: Any = None  # one row per rectification, overdue first
    platform: Any = None  # qualifying project × month: connected, run rate vs target
    coverage: Any = None  # coordinator / 包保 / notice board / 渝薪码 per project and enterprise
    lookback: Any = None  # per quarter: clue matching and unit scores
    documents: Any = None  # every 通报 and 回头看 report (analyse/issued.py), when the PDFs are wanted
    posters: Any = None  # facts of every 维权信息告示牌 (analyse/posters.py), when the PDFs are wanted
    public_stats: dict[str, Any] = field(default_factory=dict)  # aggregate figures for the public site
    extra: dict[str, Any] = field(default_factory=dict)


def analyse(content: Content, provenance: dict | None = None, *, documents: bool = True) -> Tables:
    """Run every analysis. Modules are imported lazily so a missing one fails loudly here only.

    `documents`: also the facts of every printed document (通报, 回头看, posters); a build without PDFs
    skips them."""
    tables = Tables()
    from generator.analyse import public_stats

    tables.public_stats = public_stats.table(content)
    from generator.analyse import coverage, hazards, projects, submissions

    tables.submissions = submissions.table(content, provenance or {})
    tables.hazards = hazards.table(content)
    tables.projects = projects.table(content)
    tables.rectifications = projects.rectifications(content)
    tables.platform = projects.platform(content)
    tables.coverage = coverage.table(content)
    from generator.analyse import lookback
    from generator.analyse.submissions import landed_on

    # self-discovery credit from when returns landed (git provenance), not from the units' own dates
    tables.lookback = lookback.all_quarters(content, landed_on(tables.submissions))
    if documents:
        from generator.analyse import issued, posters

        tables.documents = issued.documents(content, tables)
        tables.posters = posters.posters(content)
    return tables
