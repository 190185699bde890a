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
    facts = bulletin.monthly(content, tables, month).facts["hazards"]
    assert (facts["count"], facts["amount"], facts["amount_repaid"]) == (1, 1500.5, 1000.25)
