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
    history_note: str | None = None  # on-time/late judged from filled_on: why (shallow or no git history)
    public_stats: dict[str, Any] = field(default_factory=dict)  # aggregate figures for the public site
    extra: dict[str, Any] = field(default_factory=dict)


def analyse(content: Content, provenance: dict | None = None) -> Tables:
    """Run every analysis. Modules are imported lazily so a missing one fails loudly here only."""
    tables = Tables()
    from generator.analyse import public_stats

    tables.public_stats = public_stats.table(content)
    from generator.analyse import coverage, hazards, projects, submissions

    tables.submissions = submissions.table(content, provenance or {})
    tables.history_note = submissions.history_note(provenance if provenance is not None else {})
    tables.hazards = hazards.table(content)
    tables.projects = projects.table(content)
    tables.rectifications = projects.rectifications(content)
    tables.platform = projects.platform(content)
    tables.coverage = coverage.table(content)
    from generator.analyse import lookback

    tables.lookback = lookback.all_quarters(content)
    # The facts of each 通报 (generator.analyse.bulletin.documents) are computed by the PDF stage only.
    return tables
