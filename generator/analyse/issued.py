"""Every 通报 and 回头看 report of the run, and the issue register (content/issued/<document>.yaml).

An issued document is a record. Its register entry holds the number, the date of issue, the commit it
was built from, the SHA-256 of the PDF and every figure it printed (`figures`: the facts the template
lays out). A later build reproduces it figure for figure from that entry, whatever the returns say now:
the same facts through the same template give the same PDF bytes (weasyprint output is deterministic),
and the build compares the result with the recorded SHA-256. Rebuilding from the recorded commit via git
was the other way; it was not chosen because CI and the publish workflow often have a shallow clone
without that commit, and an old commit's content may no longer load under today's schemas.

A document not in the register is a draft (草稿): no number, marked on its first page.
Numbers are assigned once, by `zhiqian issue`, in issue order: settings.bulletin.first_number[year] for
the first document issued in a year, then the highest number issued that year + 1.

A correction made after issue (a return of an issued month amended later) changes what the month's
facts compute to now; the difference from the recorded figures is listed as 更正 (what changed, from
what to what, in which document) in the next 通报 that is not yet issued.
"""

from __future__ import annotations

from generator.analyse import bulletin, lookback, lookback_report
from generator.analyse.dates import is_due
from generator.analyse.gongwen import LOOKBACK, MONTHLY, Doc, cn_date, doc_number, header, money
from generator.model import Content

ORDER = {MONTHLY: 0, LOOKBACK: 1}


def file_stem(key: str) -> str:
    """content/issued/<stem>.yaml: ids are lowercase (2024-08, 2024-q3)."""
    return key.lower()


def next_number(content: Content, year: int) -> int:
    """The number the next document issued in `year` gets."""
    taken = [int(r["seq"]) for r in content.issued.values() if int(r["year"]) == year]
    if taken:
        return max(taken) + 1
    first = (content.settings.get("bulletin") or {}).get("first_number") or {}
    return int(first.get(str(year), 1))


def to_record(doc: Doc, seq: int, commit: str, settings: dict) -> dict:
    """The register entry for issuing `doc` now (sha256 is filled in once the PDF is made)."""
    year = int(doc.issued_on[:4])
    return {"document": doc.key, "kind": doc.kind, "number": doc_number(settings, year, seq), "year": year,
            "seq": seq, "title": doc.title, "issued_on": doc.issued_on, "commit": commit, "sha256": "0" * 64,
            "header": dict(doc.header), "figures": doc.facts}


def from_record(record: dict) -> Doc:
    """The issued document exactly as the register holds it."""
    kind = record["kind"]
    return Doc(kind=kind, key=record["document"], filename=f"{record['document']}-{kind}.pdf",
               issued_on=record["issued_on"], title=record["title"], year=int(record["year"]),
               seq=int(record["seq"]), number=record["number"], facts=record["figures"],
               header=dict(record["header"]), issued=True, commit=record["commit"], sha256=record["sha256"])


# ---------------------------------------------------------------------------- corrections (更正)
HEADLINE = [  # (path in the monthly facts, label, format)
    (("hazards", "count"), "报告欠薪隐患起数", "{:g}起"),
    (("hazards", "workers"), "涉及农民工人数", "{:g}人"),
    (("hazards", "amount"), "涉及金额", "money"),
    (("hazards", "resolved"), "本月化解起数", "{:g}起"),
    (("hazards", "open"), "尚未化解起数", "{:g}起"),
    (("hazards", "workers_paid"), "累计已支付人数", "{:g}人"),
    (("hazards", "amount_repaid"), "累计已支付金额", "money"),
]
ITEM_FIELDS = [("workers", "人数", "{:g}人"), ("amount_owed_yuan", "金额", "money"), ("status", "状态", "{}")]


def _fmt(value, how: str) -> str:
    if how == "money":
        return money(value)
    try:
        return how.format(value if not isinstance(value, (int, float)) else float(value))
    except (TypeError, ValueError):
        return str(value)


def _dig(facts: dict, path: tuple[str, ...]):
    for part in path:
        facts = (facts or {}).get(part) if isinstance(facts, dict) else None
    return facts


def changes(record: dict, now: dict) -> list[dict]:
    """What a monthly 通报 printed (`record`) and what its month's facts compute to now, figure by figure."""
    old = record["figures"]
    doc = f"《{record['title']}》（{record['number']}）"
    out = []
    for path, label, how in HEADLINE:
        a, b = _dig(old, path), _dig(now, path)
        if a is not None and b is not None and float(a) != float(b):
            out.append({"key": record["document"], "document": doc, "what": label,
                        "from": _fmt(a, how), "to": _fmt(b, how)})

    def items(facts):
        return {(h.get("target_name"), h.get("found_on")): h for h in _dig(facts, ("hazards", "items")) or []}

    before, after = items(old), items(now)
    for case, h in before.items():
        h2 = after.get(case)
        for field, label, how in ITEM_FIELDS:
            a, b = h.get(field), (h2 or {}).get(field)
            if h2 is not None and a != b:
                out.append({"key": record["document"], "document": doc, "what": f"“{case[0]}”欠薪隐患{label}",
                            "from": _fmt(a, how), "to": _fmt(b, how)})
    for case in after.keys() - before.keys():
        out.append({"key": record["document"], "document": doc, "what": f"“{case[0]}”欠薪隐患",
                    "from": "未列入", "to": "补列"})
    return out


def _basis(content: Content, month: str, known: list[str]) -> str:
    """The amendments registered in the month's returns since the document was issued: who, when, why."""
    parts = []
    for (m, unit), ret in sorted(content.returns.items()):
        if m != month:
            continue
        for a in ret.get("amendments") or []:
            if f"{unit}/{a.get('date')}/{a.get('reason', '')}" not in known:
                parts.append(f"{content.unit_name(unit)}{cn_date(a.get('date'))}更正：{a.get('reason', '')}")
    return "；".join(parts)


def _corrections(content: Content, docs: list[Doc], current: dict[str, dict]) -> None:
    """Put each difference between an issued 通报 and its month's facts now into the next draft 通报,
    one entry per corrected document (a difference an issued 通报 already listed is not repeated)."""
    listed = {(c["key"], i["what"], i["to"]) for d in docs if d.issued
              for c in d.facts.get("corrections") or [] for i in c.get("items") or []}
    drafts = sorted((d for d in docs if d.kind == MONTHLY and not d.issued), key=lambda d: d.key)
    for key in sorted(current):
        record = content.issued[key]
        if record["kind"] != MONTHLY:
            continue
        found = [c for c in changes(record, current[key]) if (c["key"], c["what"], c["to"]) not in listed]
        target = next((d for d in drafts if d.key > key), None)
        if not found or target is None:
            continue
        target.facts.setdefault("corrections", []).append({
            "key": key, "document": found[0]["document"],
            "items": [{"what": c["what"], "from": c["from"], "to": c["to"]} for c in found],
            "basis": _basis(content, key, record["figures"].get("amendments") or [])})


# ---------------------------------------------------------------------------- every document
def documents(content: Content, tables) -> list[Doc]:
    """Every 通报 (months whose due day has passed) and 回头看 report (ended quarters): issued ones from the
    register, the rest as drafts; in order of issue date."""
    src = bulletin.source(content, tables)
    months = [m for m in content.months if is_due(m, content.settings)]
    drafts = [bulletin.monthly(content, tables, m, src) for m in months]
    quarters = tables.lookback if tables.lookback is not None else lookback.all_quarters(content)
    drafts += [lookback_report.quarterly(content, q, src.names) for q in quarters]
    docs, current = [], {}
    for doc in drafts:
        record = content.issued.get(doc.key)
        if record is not None:
            current[doc.key] = doc.facts
            docs.append(from_record(record))
        else:
            doc.header = header(content.settings, doc.issued_on)
            docs.append(doc)
    known = {d.key for d in docs}
    # an issued document whose month or quarter the drafts no longer list is still a record
    docs += [from_record(r) for k, r in content.issued.items() if k not in known]
    for doc in docs:
        doc.facts.setdefault("corrections", [])
    _corrections(content, docs, current)
    return sorted(docs, key=lambda d: (d.issued_on, ORDER[d.kind], d.key))
