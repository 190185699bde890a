"""Every 通报 and 回头看 report of the run, numbered, in chronological order."""

from __future__ import annotations

from generator.analyse import bulletin, lookback, lookback_report
from generator.analyse.dates import is_due
from generator.analyse.gongwen import LOOKBACK, MONTHLY, Doc, doc_number, header
from generator.model import Content


def number_documents(docs: list[Doc], settings: dict) -> list[Doc]:
    """Assign 文号 per year in chronological order of issue (通报 before 回头看 on the same day)."""
    first = (settings.get("bulletin") or {}).get("first_number") or {}
    order = {MONTHLY: 0, LOOKBACK: 1}
    docs = sorted(docs, key=lambda d: (d.issued_on, order[d.kind], d.key))
    counters: dict[int, int] = {}
    for doc in docs:
        year = int(doc.issued_on[:4])
        seq = counters.get(year, int(first.get(str(year), 1)))
        counters[year] = seq + 1
        doc.year, doc.seq, doc.number = year, seq, doc_number(settings, year, seq)
    return docs


def documents(content: Content, tables) -> list[Doc]:
    """Every 通报 (months whose due day has passed) and 回头看 report (ended quarters)."""
    src = bulletin.source(content, tables)
    docs = [bulletin.monthly(content, tables, m, src) for m in content.months if is_due(m, content.settings)]
    quarters = tables.lookback if tables.lookback is not None else lookback.all_quarters(content)
    docs += [lookback_report.quarterly(content, q, src.names) for q in quarters]
    for doc in docs:
        doc.header = header(content.settings, doc.issued_on)
    return number_documents(docs, content.settings)
