"""One hazard case reported twice in a month, with fractional amounts, gives one total in the internal
hazards table, the public figures and the 通报 facts (the rule's one home: analyse/hazards.py)."""

from __future__ import annotations

import copy
from pathlib import Path

from generator.analyse import analyse, bulletin, hazards
from generator.analyse.public_stats import table as public_table
from generator.build import load_checked

TREE = Path(__file__).resolve().parent / "fixtures" / "tree"


def test_a_repeated_case_with_fractional_amounts_has_one_total_everywhere():
    content = load_checked(TREE)
    (month, unit), ret = next((k, r) for k, r in sorted(content.returns.items()) if r.get("hazards"))
    h = copy.deepcopy(ret["hazards"][0])
    h.update(amount_owed_yuan=1500.5, amount_repaid_yuan=1000.25, status="未化解", resolved_on=None)
    h.pop("resolved_on")
    again = {**copy.deepcopy(h), "id": f"{h['id']}-again"}
    ret["hazards"] = [h, again]  # the same target and found_on twice: one case
    for key in [k for k in content.returns if k[0] == month and k != (month, unit)]:
        content.returns[key]["hazards"] = []
    for key in [k for k in content.returns if k[0] > month]:
        content.returns[key]["hazards"] = []
    tables = analyse(content, {})
    cases = hazards.table(content)
    internal = cases[(cases["month"] == month) & cases["current"].astype(bool)]
    assert len(internal) == 1 and internal["amount_owed_yuan"].sum() == 1500.5
    public = public_table(content)["hazards"]
    assert (public["found"], public["amount_owed_yuan"], public["amount_repaid_yuan"]) == (1, 1500.5, 1000.25)
    doc = next(d for d in tables.documents if d.key == month)
    facts = doc.facts["hazards"]
    assert (facts["count"], facts["amount"], facts["amount_repaid"]) == (1, 1500.5, 1000.25)
    from generator.render import pdf

    # what the 通报 prints (without the zero-width spaces that justify it): the fraction, the case once
    html = pdf.document_html(doc).replace(" ", "").replace("\u00a0", "")
    assert "欠薪隐患1起" in html and "金额1500.5元" in html and "1000.25元" in html


def test_a_clue_marked_as_the_same_matter_counts_once_in_totals_and_scores():
    """c-2024-08-02 is the same matter as c-2024-08-01 (same_as): listed, but counted once."""
    from generator.analyse import lookback

    content = load_checked(TREE)
    assert any(c.get("same_as") == "c-2024-08-01" for c in content.clues)
    q3 = lookback.all_quarters(content)[0]
    counted = lookback.summary(q3)
    units = q3.units.set_index("unit")
    for c in content.clues:
        c.pop("same_as", None)
    twice = lookback.all_quarters(content)[0]
    assert len(q3.clues) == len(twice.clues)  # still listed in the report
    assert counted["total"] == lookback.summary(twice)["total"] - 1
    assert counted["amount_yuan"] == lookback.summary(twice)["amount_yuan"] - 156000
    assert "全国平台" not in counted["by_channel"]
    again = twice.units.set_index("unit")
    assert (units.loc["changjiang", "clues"], again.loc["changjiang", "clues"]) == (1, 2)
    assert (units.loc["nongfu", "clues"], again.loc["nongfu", "clues"]) == (2, 3)
    assert (units.loc["nongfu", "score"], again.loc["nongfu", "score"]) == (92.5, 93.3)


def test_cumulative_paid_never_shrinks_when_a_paid_case_leaves_the_returns():
    content = load_checked(TREE)
    months = sorted({m for m, _u in content.returns})
    (month, unit), ret = next((k, r) for k, r in sorted(content.returns.items()) if r.get("hazards"))
    h = copy.deepcopy(ret["hazards"][0])
    h.update(status="已化解", resolved_on=f"{month}-28", workers_paid=3, amount_repaid_yuan=1000.25)
    ret["hazards"] = [h, {**copy.deepcopy(h), "id": f"{h['id']}-again"}]  # reported twice: one case
    for key in [k for k in content.returns if k != (month, unit)]:
        content.returns[key]["hazards"] = []  # the paid case is not reported again in later months
    docs = {d.key: d for d in analyse(content, {}).documents if d.kind == bulletin.MONTHLY}
    paid = [(docs[m].facts["hazards"]["workers_paid"], docs[m].facts["hazards"]["amount_repaid"])
            for m in months if m >= month and m in docs]
    assert len(paid) >= 2
    assert paid == [(3, 1000.25)] * len(paid)
    total = hazards.cumulative_paid(hazards.table(content), months[-1])
    assert total == {"workers_paid": 3, "amount_repaid_yuan": 1000.25}
