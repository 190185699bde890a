"""check-pr as clerks work: a return saved outside content/returns/ is told where it belongs, and last
month's return edited in place into this month's is told to be copied into the new month's folder."""

from __future__ import annotations

import shutil

import pytest
from _workflow_repo import Repo

from generator.reporters import render_pr_github as render_github
from generator.workflow.pr import check_pr

JAN_DAY = "2025-01-20T09:00:00+08:00"
CJ_DEC = "content/returns/2024-12/changjiang.yaml"


def findings(repo: Repo, author: str) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.file, f.message) for f in check_pr(repo.path, "base", "HEAD", author).findings]


@pytest.mark.parametrize("rel", ["2025-01/changjiang.yaml", "content/2025-01/changjiang.yaml",
                                 "content/clues/2025-01/changjiang.yaml"])
def test_a_return_saved_outside_the_returns_folder_is_told_where_it_belongs(repo, rel):
    repo.file(rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(repo.file(CJ_DEC), repo.file(rel))
    repo.edit(rel, "month: 2024-12", "month: 2025-01")
    repo.commit("一月月报", JAN_DAY)
    expected = [("pr.return-misplaced", rel, f"这是一份月报，但放在了 {rel}，不会被读取和报送："
                 "请把它移到 content/returns/2025-01/changjiang.yaml。")]
    assert findings(repo, "changjiang-sample") == expected
    assert findings(repo, "zhanglu-sample") == expected  # the office's misplaced return is not read either


def test_last_months_return_edited_in_place_is_told_to_copy_it(repo):
    repo.edit(CJ_DEC, "month: 2024-12", "month: 2025-01")
    repo.commit("一月月报", JAN_DAY)
    assert findings(repo, "changjiang-sample") == [(
        "pr.edited-in-place", CJ_DEC,
        "本次把已报送的 2024-12 月报直接改成了 2025-01 月的内容。请复制到新月份的文件夹：新建"
        " content/returns/2025-01/changjiang.yaml，把改好的内容放进去；"
        "content/returns/2024-12/changjiang.yaml 恢复原样"
        "（已报送的月报不能改成别的月份，也不能改名或移动）。")]


def test_annotation_titles_are_chinese(repo):
    repo.edit(CJ_DEC, "month: 2024-12", "month: 2025-01")
    repo.commit("一月月报", JAN_DAY)
    out = render_github(check_pr(repo.path, "base", "HEAD", "changjiang-sample"))
    assert out.startswith(f"::error file={CJ_DEC},title=新月份的月报须复制到新文件夹::本次把已报送的")


def test_an_amendment_dated_before_the_return_first_landed_is_refused(repo):
    # base (2024-12-20) holds November's return; the month closed on 2024-12-05
    repo.edit("content/returns/2024-11/changjiang.yaml", "payday_patrols: ", "payday_patrols: 1")
    text = repo.file("content/returns/2024-11/changjiang.yaml").read_text(encoding="utf-8")
    repo.file("content/returns/2024-11/changjiang.yaml").write_text(
        text + "amendments:\n- date: '2024-12-10'\n  by: changjiang-secretary\n  reason: 巡查次数漏记一次\n",
        encoding="utf-8")
    repo.commit("更正 11 月", "2024-12-30T09:00:00+08:00")
    assert findings(repo, "changjiang-sample") == [(
        "pr.amendment-date", "content/returns/2024-11/changjiang.yaml",
        "第 1 条更正记录的日期 2024-12-10 早于本表首次报送的日期 2024-12-20："
        "更正只能在报送之后，请核对更正日期。")]
