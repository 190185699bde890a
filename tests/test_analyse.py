"""Analysis tables, tested on numbers: submissions (with a back-dated git history), hazards,
projects, platform, rectifications, coverage, the responsibility matrix, and `zhiqian status`."""

from __future__ import annotations

import pytest
from _history_repo import HistoryRepo

from generator import provenance
from generator.analyse import coverage, hazards, projects, responsibility, submissions
from generator.model import Content
from generator.status import status_lines

TABLE_CONTRACT = {
    "submissions": ["month", "unit", "unit_name", "unit_kind", "due_date", "landed_on", "landed_by", "source",
                    "status", "days_late", "amendments"],
    "hazards": ["month", "unit", "unit_name", "hazard_id", "key", "target_kind", "target_id", "target_name",
                "village", "authority", "cause", "workers", "amount_owed_yuan", "workers_paid",
                "amount_repaid_yuan", "found_on", "deadline", "status", "resolved_on", "overdue", "latest"],
    "projects": ["project", "name", "status", "village", "village_name", "authority", "authority_name",
                 "government_funded", "qualifies", "connected", "latest_month", "latest_run_rate",
                 "below_target", "deposit_required", "deposit_stored", "real_name", "dedicated_account",
                 "bank_payroll",
                 "process_settlement", "notice_board", "yuxinma", "coordinator", "baobao",
                 "open_rectifications", "overdue_rectifications"],
    "platform": ["month", "project", "name", "authority", "authority_name", "connected", "run_rate",
                 "below_target", "data_issues"],
    "rectifications": ["project", "name", "authority", "authority_name", "rect_id", "issue", "issued_on",
                       "deadline", "completed_on", "status", "days_overdue"],
    "coverage": ["kind", "id", "name", "village", "village_name", "coordinator", "coordinator_name", "baobao",
                 "baobao_name", "notice_board", "yuxinma"],
}


# ----------------------------------------------------------------------------- synthetic history
def _return(month: str, unit: str, filled_on: str, amendments: int = 0) -> dict:
    return {"month": month, "unit": unit, "filled_by": f"{unit}-clerk", "filled_on": filled_on, "hazards": [],
            "amendments": [{"date": filled_on, "by": f"{unit}-clerk", "reason": "更正"}] * amendments}


def _content(returns: list[dict]) -> Content:
    return Content(
        settings={"as_of": "2024-09-10", "returns": {"due_day": 25, "due_month_offset": 0}},
        town={"villages": [{"id": "a", "name": "甲村", "reports_monthly": True}],
              "departments": [{"id": "d", "name": "乙办", "reports_monthly": True, "sector_authority": True},
                              {"id": "x", "name": "丙办", "reports_monthly": False}]},
        taskforce={"people": [{"id": "a-clerk", "name": "张三", "git_accounts": ["a-clerk-gh"]}]},
        responsibilities={}, returns={(r["month"], r["unit"]): r for r in returns})


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """a: 07 on time, 08 late 5 days then amended; d: 07 late 1 day (after midnight), 08 missing;
    a 09 exists but is not committed (falls back to its filled_on); as_of 2024-09-10."""
    path = tmp_path_factory.mktemp("history")
    repo = HistoryRepo(path)

    def land(month, unit, date, author, text="hazards: []\n"):
        repo.write(f"content/returns/{month}/{unit}.yaml", f"month: {month}\nunit: {unit}\n{text}")
        repo.commit(f"{month} {unit}", date, author)

    land("2024-07", "a", "2024-07-25T18:00:00+08:00", "a-clerk-gh")
    land("2024-07", "d", "2024-07-26T00:30:00+08:00", "d-clerk-gh")
    land("2024-08", "a", "2024-08-30T10:00:00+08:00", "a-clerk-gh")
    land("2024-08", "a", "2024-09-02T10:00:00+08:00", "office-gh", "hazards: []\namendments: [1]\n")
    content = _content([
        _return("2024-07", "a", "2024-07-25"), _return("2024-07", "d", "2024-07-25"),
        _return("2024-08", "a", "2024-08-24", amendments=1), _return("2024-09", "a", "2024-09-05"),
    ])
    prov = provenance.collect(path)
    board = submissions.table(content, prov)
    return content, prov, board.set_index(["unit", "month"])


def test_board_covers_every_reporting_unit_and_month(history):
    _content, _prov, board = history
    assert sorted(board.index) == [(u, m) for u in ("a", "d") for m in ("2024-07", "2024-08", "2024-09")]
    assert list(submissions.table(history[0], history[1]).columns[:11]) == TABLE_CONTRACT["submissions"]


def test_on_time_on_the_due_day(history):
    row = history[2].loc[("a", "2024-07")]
    assert (row.status, row.days_late, row.landed_on, row.source) == ("按时", 0, "2024-07-25", "git")
    assert (row.landed_by, row.landed_by_name) == ("a-clerk-gh", "张三")


def test_late_by_days_and_amended(history):
    row = history[2].loc[("a", "2024-08")]
    assert (row.status, row.days_late, row.landed_on) == ("逾期", 5, "2024-08-30")
    assert row.amendments == 1
    assert row.git_changes == 1
    assert submissions.status_label(row) == "逾期 5 天"


def test_late_after_midnight_in_local_time(history):
    row = history[2].loc[("d", "2024-07")]
    assert (row.status, row.days_late) == ("逾期", 1)


def test_missing_counts_days_since_due(history):
    row = history[2].loc[("d", "2024-08")]
    assert (row.status, row.days_late, row.landed_on, row.source) == ("未报送", 16, None, None)


def test_without_git_history_filled_on_stands_in(history):
    row = history[2].loc[("a", "2024-09")]
    assert (row.status, row.landed_on, row.source) == ("按时", "2024-09-05", "填报日期")


def test_month_not_yet_due_is_not_missing_yet(history):
    row = history[2].loc[("d", "2024-09")]
    assert (row.status, row.due_passed, row.days_late) == ("未报送", False, 0)
    assert submissions.status_label(row) == "未到期"


def test_no_provenance_at_all_uses_filled_on(history):
    board = submissions.table(history[0], {}).set_index(["unit", "month"])
    assert board.loc[("a", "2024-08"), "status"] == "按时"
    assert board.loc[("a", "2024-08"), "source"] == "填报日期"


def test_status_defaults_to_latest_due_month(history):
    content, prov, _board = history
    lines = status_lines(content, prov, None)
    assert lines[0] == "2024年8月 欠薪隐患排查根治表报送情况（截止 2024-08-25，统计截止 2024-09-10）"
    text = "\n".join(lines)
    assert "逾期 5 天" in text
    assert "张三（a-clerk-gh）" in text
    assert "共 2 个单位：按时 0，逾期 1，未报送 1。" in text
    assert lines[-1] == "未报送：乙办"


def test_status_rejects_bad_month(history):
    from generator.errors import UsageProblem

    with pytest.raises(UsageProblem, match="YYYY-MM"):
        status_lines(history[0], history[1], "2024-8")
    with pytest.raises(UsageProblem, match="不在报送统计范围内"):
        status_lines(history[0], history[1], "2023-01")


# ----------------------------------------------------------------------------- shipped content
@pytest.fixture(scope="module")
def shipped(fixture_history):
    from generator.analyse import analyse
    from generator.build import load_checked

    content = load_checked(fixture_history)
    prov = provenance.collect(fixture_history)
    return content, prov, analyse(content, prov)


def _needs_history(prov):
    if "returns/2024-08/jingfa.yaml" not in prov:
        pytest.skip("this checkout has no git history of content/returns (shallow clone)")


def test_tables_follow_the_contract(shipped):
    tables = shipped[2]
    for name, columns in TABLE_CONTRACT.items():
        df = getattr(tables, name)
        assert list(df.columns[:len(columns)]) == columns, name


def test_shipped_submission_board(shipped):
    content, prov, tables = shipped
    _needs_history(prov)
    board = tables.submissions.set_index(["unit", "month"])
    cell = board[["status", "days_late", "landed_on"]]
    assert tuple(cell.loc[("jingfa", "2024-08")]) == ("逾期", 9, "2024-09-03")
    assert tuple(cell.loc[("xinchang", "2024-11")]) == ("逾期", 3, "2024-11-28")
    assert board.loc[("yangliu", "2024-09"), "status"] == "未报送"
    assert board.loc[("yangliu", "2024-09"), "days_late"] == 117  # 2024-09-25 → as_of 2025-01-20
    assert board.loc[("changjiang", "2024-08"), "amendments"] == 1
    assert board.loc[("changjiang", "2024-08"), "git_changes"] == 1
    assert tables.submissions["status"].value_counts().to_dict() == {"按时": 45, "逾期": 2, "未报送": 1}
    assert submissions.latest_due_month(content) == "2024-12"


def test_shipped_hazards(shipped):
    hz = shipped[2].hazards
    assert len(hz) == 15
    # yangliu and nongfu both report the farmland case: one case, overdue since 2024-11-15
    totals = hazards.totals(hz)
    assert totals == {"hazards": 6, "open": 2, "resolved": 4, "overdue": 1, "workers": 83, "workers_paid": 69,
                      "amount_owed_yuan": 729400.0, "amount_repaid_yuan": 627400.0, "open_workers": 24,
                      "open_amount_yuan": 222000.0}
    farmland = hazards.current(hz).iloc[0]
    assert (farmland.target_id, farmland.days_overdue) == ("yangliu-farmland", 66)
    assert farmland.reported_by == ["农业服务中心", "杨柳"]
    # the contract's per-month flag: deadline 2024-11-15 passed within November
    nov = hz[(hz.month == "2024-11") & (hz.unit == "yangliu")].iloc[0]
    assert bool(nov.overdue) and nov.key == "yangliu/h1/2024-10-12"
    oct_ = hz[(hz.month == "2024-10") & (hz.unit == "yangliu")].iloc[0]
    assert not bool(oct_.overdue) and not bool(oct_.latest)
    by_authority = hazards.summary(hz, "authority_name").set_index("authority_name")
    assert by_authority.loc["农业服务中心", "open_amount_yuan"] == 210000
    assert by_authority.loc["农业服务中心", "overdue"] == 1
    by_cause = hazards.summary(hz, "cause").set_index("cause")
    assert by_cause.loc["工程款拖欠", "workers"] == 30


def test_shipped_projects_and_platform(shipped):
    tables = shipped[2]
    pj = tables.projects.set_index("project")
    below = {"changjiang-revetment", "changjiang-warehouse", "yangliu-farmland"}
    assert set(pj.index[pj.below_target]) == below
    assert pj.loc["changjiang-revetment", "latest_run_rate"] == 92
    assert pj.loc["changjiang-revetment", "overdue_rectifications"] == 2
    assert pj.loc["market-upgrade", "latest_run_rate"] is None
    rates = projects.yijin_sanzhi(tables.projects)
    assert (rates["projects"], rates["platform_connection"], rates["bank_payroll"]) == (8, 71.4, 75.0)
    plat = tables.platform
    first = plat[(plat.project == "changjiang-revetment") & (plat.month == "2024-07")].iloc[0]
    assert (first.run_rate, bool(first.below_target), first.data_issues) == (80.0, True, ["数据不全"])
    assert plat[plat.project == "yangliu-bridge"]["month"].min() == "2024-08"  # started in August
    assert "xinchang-housing" not in set(plat[plat.month == "2024-11"]["project"])  # completed in October


def test_shipped_rectifications_overdue_first(shipped):
    rect = shipped[2].rectifications
    assert list(rect["status"]) == ["逾期未完成"] * 4 + ["逾期完成"] * 2
    assert (rect.iloc[0].project, rect.iloc[0].rect_id, rect.iloc[0].days_overdue) == (
        "changjiang-revetment", "run-rate-2024-07", 112)


def test_shipped_coverage(shipped):
    cov = shipped[2].coverage.set_index("id")
    assert cov.loc["yangliu-stone", "coordinator"] is None
    assert cov.loc["yangliu-stone", "gaps"] == ["无治欠协管员"]
    assert cov.loc["yangliu-bridge", "gaps"] == ["未贴渝薪码"]
    summary = coverage.summary(shipped[2].coverage).set_index("kind")
    assert summary.loc["项目"].to_dict() == {"total": 8, "coordinator": 8, "baobao": 8, "notice_board": 7,
                                              "yuxinma": 7, "complete": 6}
    assert summary.loc["企业", "coordinator"] == 3


def test_responsibility_matrix_expands_groups(shipped):
    m = responsibility.matrix(shipped[0])
    leads = set(m[(m.item == "m2-5") & (m.role == "牵头")]["unit_name"])
    villages = {"长江", "泥巴溪村", "杨柳", "青山村示例", "新场社区示例"}
    assert leads == villages | {"农业服务中心", "财政办", "经发办"}
    # caizheng is a sector authority (lead through the group), so not also support
    assert set(m[(m.item == "m2-5") & (m.role == "配合")]["unit"]) == {"shebao"}


def test_run_rate_targets_from_settings(shipped):
    import copy

    content = copy.deepcopy(shipped[0])
    pj = projects.table(content).set_index("project")
    assert pj.loc["changjiang-revetment", "latest_real_name_rate"] == 75
    assert pj.loc["changjiang-revetment", "rate_shortfalls"] == []  # target 70%
    content.settings["targets"]["real_name_run"] = 80
    pj = projects.table(content).set_index("project")
    assert pj.loc["changjiang-revetment", "rate_shortfalls"] == ["实名制运行率 75%（目标 80%）"]
    content.settings["targets"]["platform_run_rate"] = 90
    below = set(projects.table(content).query("below_target")["project"])
    assert below == {"changjiang-warehouse", "yangliu-farmland"}  # 92% now meets the target


def test_projects_by_urgency_puts_overdue_and_below_target_first_and_completed_last():
    import pandas as pd

    from generator.analyse.projects import by_urgency

    df = pd.DataFrame([
        {"project": "a-done", "status": "完工", "overdue_rectifications": 3, "below_target": True},
        {"project": "b-fine", "status": "在建", "overdue_rectifications": 0, "below_target": False},
        {"project": "c-below", "status": "在建", "overdue_rectifications": 0, "below_target": True},
        {"project": "d-overdue", "status": "停工", "overdue_rectifications": 2, "below_target": False},
    ])
    assert list(by_urgency(df)["project"]) == ["d-overdue", "c-below", "b-fine", "a-done"]
