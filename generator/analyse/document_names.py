"""The printed documents' file names and titles, decided once: the PDF stage writes these files and the
internal site links to them, even in a build that makes no PDFs (`--only internal`).

analyse/bulletin.py still spells the monthly and look-back file names itself (issue 11 splits that module;
it should take them from here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model import Content

MONTHLY, LOOKBACK = "通报", "回头看"


def monthly_file(month: str) -> str:
    return f"{month}-{MONTHLY}.pdf"


def lookback_file(quarter_key: str) -> str:
    return f"{quarter_key}-{LOOKBACK}.pdf"


def poster_file(project_id: str) -> str:
    return f"{project_id}.pdf"


@dataclass(frozen=True)
class Link:
    label: str
    href: str  # relative to build/internal/


@dataclass
class PdfLinks:
    monthly: list[Link] = field(default_factory=list)
    quarters: list[Link] = field(default_factory=list)
    posters: list[Link] = field(default_factory=list)


def _cn_month(month: str) -> str:
    y, m = month.split("-")[:2]
    return f"{y}年{int(m)}月"


def pdf_links(content: Content, quarters: list) -> PdfLinks:
    """One link per 通报 (every month with returns), per 回头看 (the look-back's quarters) and per poster
    (every active project, as the PDF stage makes them)."""
    return PdfLinks(
        monthly=[Link(f"{_cn_month(m)}根治欠薪工作通报", f"bulletins/{monthly_file(m)}")
                 for m in content.months],
        quarters=[Link(f"{q.label}“回头看”情况通报", f"bulletins/{lookback_file(q.key)}") for q in quarters],
        posters=[Link(p["name"], f"posters/{poster_file(p['id'])}")
                 for p in sorted(content.active_projects(), key=lambda p: p["id"])],
    )
