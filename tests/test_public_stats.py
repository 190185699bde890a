"""Public aggregate figures (工作动态), computed in the analyse stage from the full content."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator.analyse import analyse
from generator.analyse.public_stats import table
from generator.build import load_checked

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


@pytest.fixture(scope="module")
def content():
    return load_checked(FIXTURE)


def test_analyse_fills_public_stats(content):
    stats = analyse(content, {}).public_stats
    assert stats["as_of"] == "2025-01-20"
    assert stats["projects"] == {"active": 8, "notice_board": 7, "notice_board_pct": 87.5,
                                 "yuxinma": 7, "yuxinma_pct": 87.5}
    assert stats["platform"] == {"qualifying": 7, "connected": 5, "connected_pct": 71.4, "target_pct": 100}


def test_a_hazard_reported_by_village_and_authority_over_months_counts_once(content):
    hz = table(content)["hazards"]
    # six distinct (target, found_on) pairs; the latest report gives the state
    assert (hz["found"], hz["resolved"], hz["open"]) == (6, 4, 2)
    assert hz["workers"] == 12 + 9 + 35 + 18 + 3 + 6
    assert hz["amount_repaid_yuan"] == 156000 + 63000 + 280000 + 120000 + 8400 + 0
    months = {m["month"]: (m["found"], m["resolved"]) for m in hz["by_month"]}
    assert months["2024-09"] == (2, 2) and months["2024-11"] == (1, 2) and months["2024-07"] == (0, 0)


def test_figures_hold_no_names(content):
    text = repr(table(content))
    for person in content.taskforce["people"]:
        assert person["name"] not in text
    for ret in content.returns.values():
        for h in ret.get("hazards") or []:
            if h.get("representative"):
                assert h["representative"]["name"] not in text


def test_no_projects_gives_no_percentages(content):
    empty = copy.copy(content)
    empty.projects = {}
    stats = table(empty)
    assert stats["projects"]["active"] == 0 and stats["projects"]["notice_board_pct"] is None
    assert stats["platform"]["connected_pct"] is None


def test_public_totals_agree_with_the_internal_hazards_table(content):
    tables = analyse(content, {})
    if tables.hazards is None:
        pytest.skip("internal hazards table not available")
    current = tables.hazards[tables.hazards["current"]]
    hz = tables.public_stats["hazards"]
    assert hz["found"] == len(current)
    assert hz["resolved"] == int((current["status"] == "已化解").sum())
    assert hz["workers"] == int(current["workers"].sum())
    assert hz["amount_repaid_yuan"] == int(current["amount_repaid_yuan"].sum())
