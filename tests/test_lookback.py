"""Quarterly 回头看: clue matching (names written differently), categories, unit scores, 文号 order.

Crafted content is built in memory (no YAML); the shipped sample clues are checked too, since they were
designed to hit every category."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.analyse import clue_match, issued, lookback, posters
from generator.model import Content

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

SETTINGS = {
    "as_of": "2025-01-20",
    "returns": {"due_day": 25, "due_month_offset": 0, "close_after_days": 10},
    "lookback": {"base": 100, "miss_penalty": 10, "late_penalty": 5, "own_find_bonus": 10,
                 "screening_window_days": 92},
    "bulletin": {"issuer": "兴义镇根治欠薪工作专班", "issuer_short": "兴义治欠专班",
                 "first_number": {"2024": 5}, "addressees": "各村（社区），镇级各部门：",
                 "signatory": "兴义镇根治欠薪工作专班"},
    "site": {"title": "t", "url": "https://example.org/zq/"},
    "hotlines": [], "minimum_wage": {"source": "重庆市标准", "confirmed": False},
}


def _content(returns: dict, clues: list[dict]) -> Content:
    town = {"villages": [{"id": "east", "name": "东村", "reports_monthly": True},
                         {"id": "west", "name": "西村", "reports_monthly": True}],
            "departments": [{"id": "farm", "name": "农服中心", "reports_monthly": True,
                             "sector_authority": True}]}
    projects = {
        "road": {"id": "road", "name": "东村道路工程（示例）", "status": "在建", "village": "east",
                 "authority": "farm", "construction_unit": "兴义镇人民政府",
                 "general_contractor": "重庆ABC建设工程有限公司",
                 "subcontractors": ["丰都县宏远劳务有限公司"]},
        "bridge": {"id": "bridge", "name": "西村便民桥", "status": "在建", "village": "west",
                   "authority": "farm", "general_contractor": "重庆路桥建设有限公司"},
    }
    enterprises = {"shoes": {"id": "shoes", "name": "重庆西村鞋业有限公司（示例）", "village": "west"}}
    rets = {}
    for (month, unit), ret in returns.items():
        rets[(month, unit)] = {"month": month, "unit": unit, "checked_projects": [],
                               "checked_enterprises": [], "hazards": [], **ret}
    for i, c in enumerate(clues):
        c.setdefault("id", f"c-{i}")
        c.setdefault("channel", "12345")
        c.setdefault("summary", "反映欠薪")
        c.setdefault("month", c["received_on"][:7])
    return Content(settings=SETTINGS, town=town, taskforce={}, responsibilities={}, projects=projects,
                   enterprises=enterprises, returns=rets, clues=clues)


# ----------------------------------------------------------------------------- names
@pytest.mark.parametrize(("a", "b"), [
    ("重庆ＡＢＣ建设工程有限公司", "重庆ABC建设工程有限公司"),  # full-width letters
    ("重庆 ABC 建设工程 公司", "重庆ABC建设工程有限公司"),  # spaces, 公司 vs 有限公司
    ("丰都县宏远劳务有限责任公司", "丰都县宏远劳务有限公司"),  # 有限责任公司 vs 有限公司
    ("重庆市丰都县宏远劳务公司", "宏远劳务有限公司"),  # place prefixes
    ("东村道路工程", "东村道路工程（示例）"),  # sample mark
    ("东村道路工程(示例)", "东村道路工程（示例）"),  # half-width brackets
    ("abc·劳务，公司", "ABC劳务公司"),  # punctuation, case
])
def test_names_written_differently_normalise_alike(a, b):
    assert clue_match.normalise(a) == clue_match.normalise(b)


@pytest.mark.parametrize(("a", "b"), [
    ("重庆青山食品有限公司", "重庆青山建材有限公司"),
    ("兴义镇中心小学", "兴义镇中心小学运动场改造"),
])
def test_different_names_stay_different(a, b):
    assert clue_match.normalise(a) != clue_match.normalise(b)
    assert not clue_match.similar(clue_match.normalise(a), clue_match.normalise(b)) or len(a) != len(b)


def test_similar_names_need_a_word_left_out_only():
    assert clue_match.similar("长江码头装卸队", "长江码头个体装卸队")
    assert not clue_match.similar("长江码头装卸队", "长江码头运输队")
    assert not clue_match.similar("装卸队", "个体装卸队")  # too short to trust


# ----------------------------------------------------------------------------- crafted quarter
@pytest.fixture(scope="module")
def crafted():
    returns = {
        ("2024-07", "east"): {"checked_projects": ["road"]},
        ("2024-08", "farm"): {"checked_projects": ["road", "bridge"], "hazards": [
            {"id": "h1", "project": "bridge", "found_on": "2024-08-05", "deadline": "2024-08-31",
             "status": "已化解", "resolved_on": "2024-08-20", "workers": 3, "amount_owed_yuan": 9000},
            {"id": "h2", "project": "road", "found_on": "2024-08-10", "deadline": "2024-09-10",
             "status": "化解中", "workers": 5, "amount_owed_yuan": 20000}]},
        ("2024-09", "west"): {"checked_enterprises": ["shoes"], "hazards": [
            {"id": "h1", "other_target": "西村个体装卸队", "found_on": "2024-09-01", "deadline": "2024-12-31",
             "status": "化解中"}]},
    }
    clues = [
        # full-width letters + spaces + 公司 → road's general contractor; hazard h2 overdue → late
        {"id": "c-late", "received_on": "2024-08-20", "target_name": "重庆 ＡＢＣ建设工程 公司"},
        # id given → bridge; hazard resolved in time
        {"id": "c-ok", "received_on": "2024-08-25", "target_name": "随便写的名字", "project": "bridge"},
        # 有限责任公司 vs 有限公司 → subcontractor of road, same hazard h2
        {"id": "c-sub", "received_on": "2024-09-02", "target_name": "丰都县宏远劳务有限责任公司"},
        # enterprise screened by west in September, no hazard → 排查未发现
        {"id": "c-notfound", "received_on": "2024-09-15", "target_name": "西村鞋业公司", "village": "west"},
        # nobody knows it → 从未排查, attributed to the clue's village
        {"id": "c-never", "received_on": "2024-09-20", "target_name": "东村砖厂", "village": "east"},
        # a word left out, same village → similar-name match; open, deadline ahead → 处置中（未到期）
        {"id": "c-pending", "received_on": "2024-09-25", "target_name": "西村装卸队", "village": "west"},
        # outside the quarter
        {"id": "c-later", "received_on": "2024-10-02", "target_name": "东村砖厂", "village": "east"},
    ]
    content = _content(returns, clues)
    return content, lookback.analyse_quarter(content, 2024, 3)


def _row(q, clue):
    rows = q.clues[q.clues["clue"] == clue]
    assert len(rows) == 1, clue
    return rows.iloc[0]


@pytest.mark.parametrize(("clue", "category", "matched", "basis"), [
    ("c-late", "发现未按期处置", "东村道路工程（示例）", "名称"),
    ("c-ok", "已按期处置", "西村便民桥", "编号"),
    ("c-sub", "发现未按期处置", "东村道路工程（示例）", "名称"),
    ("c-notfound", "排查未发现", "重庆西村鞋业有限公司（示例）", "名称"),
    ("c-never", "从未排查", None, "未匹配"),
    ("c-pending", "处置中（未到期）", "西村个体装卸队", "名称近似（请核对）"),
])
def test_crafted_clues_land_in_their_category(crafted, clue, category, matched, basis):
    _content_, q = crafted
    row = _row(q, clue)
    assert row["category"] == category
    assert row["matched_name"] == matched
    assert row["match_basis"] == basis


def test_quarter_bounds_and_report_date(crafted):
    _c, q = crafted
    assert (q.key, q.label) == ("2024-Q3", "2024年第三季度")
    assert (q.report_month, q.report_date) == ("2024-10", "2024-10-31")
    assert "c-later" not in set(q.clues["clue"])


def test_attribution_to_village_and_sector_authority(crafted):
    _c, q = crafted
    late = _row(q, "c-late")
    assert (late["village"], late["authority"]) == ("east", "farm")
    assert late["found_by"] == ["farm"]
    never = _row(q, "c-never")
    assert (never["village_name"], never["authority"]) == ("东村", None)
    assert never["review"] == "线索所反映的对象不在项目、企业台账和排查记录中，属地未纳入排查。"


def test_unit_scores_follow_the_formula(crafted):
    _c, q = crafted
    units = q.units.set_index("unit")
    # east: c-late, c-sub (late, not found by east), c-never (miss) → 100 − 10 − 2×5 + 10×0 = 80
    assert units.loc["east", ["clues", "misses", "late", "own_found"]].tolist() == [3, 1, 2, 0]
    assert units.loc["east", "score"] == 80
    # west: c-notfound (miss), c-pending (found by west) → 100 − 10 + 10 × 1/2 = 95
    assert units.loc["west", ["clues", "misses", "late", "own_found"]].tolist() == [3, 1, 0, 1]
    assert units.loc["west", "score"] == pytest.approx(100 - 10 + 10 * 1 / 3, abs=0.05)
    # farm (属事 for road and bridge): c-late, c-ok, c-sub, all found by farm → 100 − 10 + 10 = 100 (capped)
    assert units.loc["farm", ["clues", "misses", "late", "own_found"]].tolist() == [3, 0, 2, 3]
    assert units.loc["farm", "score"] == 100
    assert q.formula.startswith("得分＝100－10×漏排数（从未排查、排查未发现）－5×未按期处置数＋10×自查发现率")


def test_self_discovery_is_credited_from_when_the_return_landed_not_found_on(crafted):
    """farm wrote found_on 2024-08-05/08-10 for h1/h2, but its August return only landed on 2024-09-05:
    the clues of 08-20, 08-25 and 09-02 about them earn it no self-discovery credit."""
    content, before = crafted
    landed = {("2024-07", "east"): "2024-07-25", ("2024-08", "farm"): "2024-09-05",
              ("2024-09", "west"): "2024-09-20"}
    after = lookback.analyse_quarter(content, 2024, 3,
                                     lookback.records(content, {k: date.fromisoformat(v)
                                                                for k, v in landed.items()}))
    assert _row(before, "c-late")["found_by"] == ["farm"]
    assert _row(after, "c-late")["found_by"] == []  # landed after the clue of 08-20
    assert _row(after, "c-ok")["found_by"] == []  # 08-25: still before the landing
    assert _row(after, "c-late")["review"].startswith("农服中心于2024年8月10日排查发现")  # still named
    assert _row(after, "c-pending")["found_by"] == ["west"]  # west's return landed 09-20, clue 09-25
    units = after.units.set_index("unit")
    assert units.loc["farm", ["clues", "own_found"]].tolist() == [3, 0]
    assert (before.units.set_index("unit").loc["farm", "score"], units.loc["farm", "score"]) == (100, 90)


def test_misses_listed_for_review(crafted):
    _c, q = crafted
    assert list(q.misses["clue"]) == ["c-late", "c-sub", "c-notfound", "c-never"]


def _one_hazard(deadline: str) -> Content:
    hazard = {"id": "h1", "project": "bridge", "found_on": "2024-09-05", "deadline": deadline}
    returns = {("2024-09", "farm"): {"hazards": [{**hazard, "status": "化解中"}]},
               ("2024-11", "farm"): {"hazards": [{**hazard, "status": "已化解",
                                                  "resolved_on": "2024-11-20"}]}}
    return _content(returns, [{"id": "c", "received_on": "2024-09-15", "target_name": "西村便民桥"}])


@pytest.mark.parametrize(("deadline", "category"), [
    ("2024-10-31", "处置中（未到期）"),  # on the report date (2024-10-31) the deadline has not passed
    ("2024-10-20", "发现未按期处置"),  # passed, and the November resolution comes after the report date
    ("2024-11-30", "处置中（未到期）"),
])
def test_late_is_judged_as_of_the_report_date(deadline, category):
    q3 = lookback.analyse_quarter(_one_hazard(deadline), 2024, 3)
    assert _row(q3, "c")["category"] == category


def test_quarters_run_from_2024_q3_to_the_last_with_returns_that_has_ended():
    content = _content({("2024-08", "east"): {}, ("2025-01", "east"): {}}, [])
    assert lookback.quarters(content) == [(2024, 3), (2024, 4)]  # 2025 Q1 ends after as_of 2025-01-20
    content = _content({("2024-05", "east"): {}}, [])
    assert lookback.quarters(content) == []  # the look-back starts with 2024 Q3 (town document 三(三))


# ----------------------------------------------------------------------------- document numbers
def test_document_numbers_are_given_in_issue_order_per_year():
    """Numbers come from the issue register (zhiqian issue), never recomputed from dates at build time."""
    content = _content({}, [])
    assert issued.next_number(content, 2024) == 5  # settings.bulletin.first_number["2024"]
    content.issued = {"2024-Q3": {"year": 2024, "seq": 5}, "2024-09": {"year": 2024, "seq": 6}}
    assert issued.next_number(content, 2024) == 7
    assert issued.next_number(content, 2025) == 1  # no first_number for 2025: from 1


def test_qr_target_rule():
    content = _content({}, [])
    road = content.projects["road"]
    assert posters.qr_target(content, road)[0] == "https://example.org/zq/projects/road/"
    content.settings = {**SETTINGS, "yuxinma_default_url": "https://yxm.example/"}
    assert posters.qr_target(content, road)[0] == "https://yxm.example/"
    road = {**road, "yuxinma": {"posted": True, "url": "https://yxm.example/road"}}
    assert posters.qr_target(content, road)[0] == "https://yxm.example/road"


# ----------------------------------------------------------------------------- shipped sample
@pytest.fixture(scope="module")
def sample_quarters():
    from generator.build import load_checked

    content = load_checked(FIXTURE)
    return {q.key: q for q in lookback.all_quarters(content)}


def test_sample_clues_hit_every_category(sample_quarters):
    got = {}
    for q in sample_quarters.values():
        got.update(dict(zip(q.clues["clue"], q.clues["category"], strict=True)))
    assert got == {
        "c-2024-07-01": "排查未发现",  # 渝东 (nibaxi-road) screened in July, nothing found
        "c-2024-08-01": "已按期处置",  # id given; found 8-20, resolved 9-18 ≤ 9-20
        "c-2024-08-02": "已按期处置",  # "重庆 江岸劳务 公司" → subcontractor of changjiang-revetment
        "c-2024-09-01": "处置中（未到期）",  # deadline 10-31 not passed on the Q3 report date
        "c-2024-09-02": "已按期处置",  # 有限责任公司 vs 有限公司 → qingshan-plant's subcontractor
        "c-2024-10-01": "从未排查",  # changjiang-garment is in nobody's checked_enterprises
        "c-2024-11-01": "排查未发现",  # 泥巴溪鞋业公司 screened monthly by 泥巴溪村
        "c-2024-12-01": "发现未按期处置",  # yangliu-farmland: deadline 11-15, still open
        "c-2024-12-02": "已按期处置",  # school-track, by project name
        "c-2024-12-03": "处置中（未到期）",  # 长江码头装卸队 ~ 长江码头个体装卸队 (similar name)
    }
    assert set(sample_quarters) == {"2024-Q3", "2024-Q4"}


def test_sample_scores(sample_quarters):
    units = sample_quarters["2024-Q4"].units.set_index("unit_name")
    assert units.loc["长江", "score"] == 92.5  # 100 − 10 × 1 miss + 5 × half of its clues found itself
    assert units.loc["泥巴溪村", "score"] == 90
    # found it itself, but not handled by the deadline: the penalty outweighs the bonus
    assert units.loc["杨柳", "score"] == 95
