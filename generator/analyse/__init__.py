"""The analyse stage: checked records (+ provenance) → tables and figures, one module per question.

`analyse()` runs them all once per build, so the internal site, the public site and the PDFs read the
same numbers; render lays out what Tables carries and computes none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator import gc_pause
from generator.model import Content

if TYPE_CHECKING:  # annotations only: the check stage imports analyse/dates.py without paying for pandas
    import pandas as pd


@dataclass
class Tables:
    submissions: Any = None  # unit × month → on time / late (days) / missing, with its label
    hazards: Any = None  # one row per hazard per return, with case identity and overdue flags
    projects: Any = None  # 一金三制 + platform vs targets, rectifications
    rectifications: Any = None  # one row per rectification, overdue first
    platform: Any = None  # qualifying project × month: connected, run rate vs target
    coverage: Any = None  # coordinator / 包保 / notice board / 渝薪码 per project and enterprise
    lookback: Any = None  # per quarter: clue matching and unit scores
    history_note: str | None = None  # on-time/late judged from filled_on: why (shallow or no git history)
    documents: Any = None  # every 通报 and 回头看 report (analyse/issued.py), when the PDFs are wanted
    posters: Any = None  # facts of every 维权信息告示牌 (analyse/posters.py), when the PDFs are wanted
    materials: Any = None  # facts of the 宣传册 and 宣传画 (analyse/materials.py), when the PDFs are wanted
    public_stats: dict[str, Any] = field(default_factory=dict)  # aggregate figures for the public site
    # Figures derived from the tables above, computed here once for every output.
    submissions_by_unit: pd.DataFrame | None = None  # per unit: months due, on time, late, missing, rate
    submission_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # unit → status → months due
    latest_due_month: str | None = None  # the latest month already due by as_of
    latest_month_counts: dict[str, int] = field(default_factory=dict)  # status → units, that month
    hazard_cases: pd.DataFrame | None = None  # each case in its current state, overdue first
    hazard_totals: dict[str, float] = field(default_factory=dict)  # over cases, each counted once
    hazard_summaries: dict[str, pd.DataFrame] = field(default_factory=dict)  # by unit_name, cause, authority
    yijin_sanzhi: dict[str, Any] = field(default_factory=dict)  # rates (%) over active projects
    projects_by_urgency: pd.DataFrame | None = None  # the projects table in the order the office chases them
    coverage_summary: pd.DataFrame | None = None  # per kind: how many have each of the four
    responsibility: pd.DataFrame | None = None  # measure × unit → 牵头 / 配合
    attention: Any = None  # attention.Attention: what the office must chase today
    account_names: dict[str, str] = field(default_factory=dict)  # git account → person's name
    pdf_links: Any = None  # document_names.PdfLinks: the PDFs the internal site links to


def analyse(content: Content, provenance: dict | None = None, *, documents: bool = True) -> Tables:
    """Run every analysis. Modules are imported lazily so a missing one fails loudly here only.

    `documents`: also the facts of every printed document (通报, 回头看, posters); a build without PDFs
    skips them."""
    with gc_pause.paused():  # a third of analyse's time at county scale was the collector
        return _analyse(content, provenance, documents)


def _analyse(content: Content, provenance: dict | None, documents: bool) -> Tables:
    from generator.analyse import (
        attention,
        coverage,
        document_names,
        hazards,
        lookback,
        projects,
        public_stats,
        responsibility,
        submissions,
    )

    tables = Tables()
    tables.hazards = hazards.table(content)
    tables.public_stats = public_stats.table(content, tables.hazards)
    tables.submissions = submissions.table(content, provenance or {})
    tables.history_note = submissions.history_note(provenance if provenance is not None else {})
    tables.projects = projects.table(content)
    tables.rectifications = projects.rectifications(content)
    tables.platform = projects.platform(content)
    tables.coverage = coverage.table(content)
    # self-discovery credit from when returns landed (git provenance), not from the units' own dates
    tables.lookback = lookback.all_quarters(content, submissions.landed_on(tables.submissions))

    subs = tables.submissions
    tables.submissions_by_unit = submissions.by_unit(subs) if len(subs) else None
    tables.submission_counts = submissions.counts_by_unit(subs)
    tables.latest_due_month = submissions.latest_due_month(content)
    tables.latest_month_counts = submissions.month_counts(subs, tables.latest_due_month)
    tables.hazard_cases = hazards.current(tables.hazards)
    tables.hazard_totals = hazards.totals(tables.hazards)
    tables.hazard_summaries = hazards.summaries(tables.hazards)
    tables.yijin_sanzhi = projects.yijin_sanzhi(tables.projects)
    tables.projects_by_urgency = projects.by_urgency(tables.projects)
    tables.coverage_summary = coverage.summary(tables.coverage) if len(tables.coverage) else None
    tables.responsibility = responsibility.matrix(content)
    tables.attention = attention.attention(subs, tables.hazard_cases, tables.rectifications, tables.projects,
                                           tables.coverage)
    tables.account_names = content.account_names()
    tables.pdf_links = document_names.pdf_links(content, tables.lookback)
    if documents:  # the facts of each 通报, 回头看 and poster: only the PDF stage needs them
        from generator.analyse import issued, materials, posters

        tables.documents = issued.documents(content, tables)
        tables.posters = posters.posters(content)
        tables.materials = materials.facts(content)
    return tables
