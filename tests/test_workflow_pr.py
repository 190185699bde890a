"""`zhiqian check-pr` on temporary git repositories: ownership, deletions, amendments of closed months.

With settings.returns (due day 25, closed 10 days later), a head commit dated 2024-12-30 leaves
2024-12 open and 2024-11 closed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from _workflow_repo import Repo, make_repo

from generator.reporters import render_pr_github, render_pr_text
from generator.workflow.pr import check_pr, run_check_pr

OPEN_DAY = "2024-12-30T09:00:00+08:00"
CJ_DEC = "content/returns/2024-12/changjiang.yaml"
NB_DEC = "content/returns/2024-12/nibaxi.yaml"
CJ_NOV = "content/returns/2024-11/changjiang.yaml"
CJ_AUG = "content/returns/2024-08/changjiang.yaml"


def run(repo: Repo, author: str, fmt: str = "text", capsys=None):
    code = run_check_pr(repo.path, base="base", head="HEAD", author=author, fmt=fmt)
    return code, capsys.readouterr().out if capsys else ""


def messages(repo: Repo, author: str) -> list[tuple[str, str | None, str]]:
    result = check_pr(repo.path, "base", "HEAD", author)
    return [(f.code, f.file, f.message) for f in result.findings]


def test_unit_changing_its_own_open_return_passes(repo, capsys):
    repo.edit(CJ_DEC, "payday_patrols: 2", "payday_patrols: 3")
    repo.commit("长江 12 月报更正巡查次数", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", capsys=capsys)
    assert code == 0
    assert out.splitlines()[0] == ("检查合并请求 base...HEAD：提交者 changjiang-sample（长江），"
                                   "以 2024-12-30 为当天，content/ 下改动 1 个文件。")
    assert out.splitlines()[-1] == "通过。"


def test_account_match_ignores_case(repo):
    repo.edit(CJ_DEC, "payday_patrols: 2", "payday_patrols: 3")
    repo.commit("改", OPEN_DAY)
    assert messages(repo, "ChangJiang-Sample") == []


def test_changing_another_units_return_is_refused(repo, capsys):
    repo.edit(NB_DEC, "payday_patrols:", "payday_patrols: 5\nx_old_patrols:")
    repo.commit("改泥巴溪", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", capsys=capsys)
    assert code == 1
    assert (f"{NB_DEC}：错误：这是“泥巴溪村”的月报；账号“changjiang-sample”属于“长江”，"
            "只能新增或修改本单位的月报。（只能修改本单位的月报，pr.not-own-unit）") in out
    assert out.splitlines()[-1] == "不通过：1 个错误，0 个提醒。"


def test_adding_a_return_for_another_unit_is_refused(repo):
    shutil.copy(repo.file(CJ_DEC), repo.file("content/returns/2024-12/jingfa2.yaml"))
    repo.commit("新增", OPEN_DAY)
    assert [c for c, _, _ in messages(repo, "changjiang-sample")] == ["pr.not-own-unit"]


def test_deleting_a_return_is_refused_even_for_the_office(repo, capsys):
    repo.file(CJ_AUG).unlink()
    repo.commit("删除", OPEN_DAY)
    code, out = run(repo, "zhanglu-sample", capsys=capsys)
    assert code == 1
    assert (f"{CJ_AUG}：错误：月报不得删除、改名或移动（本次删除）。已报送的月报只能修改；"
            "报错了单位或月份时，请联系专班办公室处理。（月报不得删除或移动，pr.return-deleted）") in out


def test_moving_a_return_is_refused(repo):
    repo.git("mv", CJ_DEC, "content/returns/2024-12/changjiang-old.yaml")
    repo.commit("改名", OPEN_DAY)
    found = messages(repo, "zhanglu-sample")
    assert ("pr.return-deleted", CJ_DEC,
            "月报不得删除、改名或移动（本次改名或移动为 content/returns/2024-12/changjiang-old.yaml）。"
            "已报送的月报只能修改；报错了单位或月份时，请联系专班办公室处理。") in found


@pytest.mark.parametrize("rel, code, text", [
    ("content/taskforce.yaml", "pr.roster-office-only",
     "名册、镇村单位、责任分工和设置只能由专班办公室（社保所）修改；账号“changjiang-sample”不是办公室账号。"
     "需要修改时，请把修改内容告诉办公室。"),
    ("content/settings.yaml", "pr.roster-office-only", None),
    ("content/projects/changjiang-revetment.yaml", "pr.register-office-only",
     "项目和企业台账只能由专班办公室（社保所）修改；账号“changjiang-sample”不是办公室账号。"
     "项目开工、完工或情况有变，请报办公室登记。"),
    ("content/enterprises/changjiang-garment.yaml", "pr.register-office-only", None),
    ("content/clues/2024-12.yaml", "pr.office-only",
     "这个文件只能由专班办公室（社保所）修改；账号“changjiang-sample”只能新增或修改本单位（长江）的月报 "
     "content/returns/月份/单位编号.yaml。"),
])
def test_office_files_are_refused_for_a_unit_account(repo, rel, code, text):
    with repo.file(rel).open("a", encoding="utf-8") as fh:
        fh.write("# 改一下\n")
    repo.commit("改办公室的文件", OPEN_DAY)
    found = messages(repo, "changjiang-sample")
    assert [(c, f) for c, f, _ in found] == [(code, rel)]
    if text:
        assert found[0][2] == text
    assert messages(repo, "zhanglu-sample") == []  # the office may


def test_unknown_account_is_told_to_ask_the_office(repo, capsys):
    repo.edit(CJ_DEC, "payday_patrols: 2", "payday_patrols: 3")
    repo.commit("改", OPEN_DAY)
    code, out = run(repo, "stranger", capsys=capsys)
    assert code == 1
    assert ("错误：账号“stranger”不在专班名册中，不能修改 content/ 下的文件。请联系专班办公室（社保所），"
            "把你的 GitHub 账号加到 content/taskforce.yaml 中你本人的 git_accounts 下。"
            "（账号不在名册中，pr.unknown-account）") in out


def test_files_outside_content_are_refused_for_anyone_but_the_office(repo):
    repo.file("README.md").write_text("说明\n", encoding="utf-8")
    repo.commit("文档", OPEN_DAY)
    assert messages(repo, "stranger") == [(
        "pr.outside-content", "",
        "账号“stranger”改动了 content/returns/ 以外的文件（README.md）：程序、模式、工作流和设置"
        "只能由专班办公室（社保所）修改，须由办公室账号（zhanglu-sample）提交或审核。"
        "请把这些改动从本合并请求中去掉。")]
    assert messages(repo, "zhanglu-sample") == []


CLOSED_MSG = ("2024-11 月份已关账（报送截止日 2024-11-25，截止后 10 天即 2024-12-05 以后关账），"
              "修改本表须在 amendments（更正记录）末尾新增一条，"
              "写明 date（更正日期）、by（修改人编号）和 reason（更正原因）。")


def test_rewriting_a_closed_month_without_amendment_is_refused(repo, capsys):
    repo.edit(CJ_NOV, "payday_patrols: ", "payday_patrols: 1")
    repo.commit("改 11 月", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", capsys=capsys)
    assert code == 1
    assert f"{CJ_NOV}：错误：{CLOSED_MSG}（已关账月份的修改须登记更正，pr.amendment-missing）" in out


AMENDMENT = "amendments:\n- date: '2024-12-28'\n  by: {by}\n  reason: 巡查次数漏记一次\n"


def test_rewriting_a_closed_month_with_an_amendment_passes(repo):
    assert "amendments" not in repo.file(CJ_NOV).read_text(encoding="utf-8")
    repo.edit(CJ_NOV, "payday_patrols: ", "payday_patrols: 1")
    with repo.file(CJ_NOV).open("a", encoding="utf-8") as fh:
        fh.write(AMENDMENT.format(by="changjiang-secretary"))
    repo.commit("更正 11 月", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == []


def test_amendment_signed_by_the_office_passes(repo):
    with repo.file(CJ_NOV).open("a", encoding="utf-8") as fh:
        fh.write(AMENDMENT.format(by="zhang-lu"))
    repo.commit("办公室代为更正", OPEN_DAY)
    assert messages(repo, "zhanglu-sample") == []


@pytest.mark.parametrize("by", ["nibaxi-clerk", "zhang-lu"])  # another unit's clerk; the office director
def test_amendment_signed_as_someone_else_is_refused(repo, by):
    with repo.file(CJ_NOV).open("a", encoding="utf-8") as fh:
        fh.write(AMENDMENT.format(by=by))
    repo.commit("更正", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == [(
        "pr.amendment-by", CJ_NOV,
        f"第 1 条更正记录的修改人“{by}”不是提交账号“changjiang-sample”的本人；"
        "by 应填写你本人在 content/taskforce.yaml 中的人员编号：changjiang-secretary。")]


def test_existing_amendments_cannot_be_rewritten(repo):
    repo.edit(CJ_AUG, "涉及人数由 10 人更正为 12 人", "涉及人数由 11 人更正为 12 人")
    repo.commit("改旧的更正记录", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == [(
        "pr.amendment-history", CJ_AUG,
        "已有的更正记录不得修改或删除，只能在 amendments（更正记录）末尾新增。")]


def test_a_second_amendment_after_an_existing_one_passes(repo):
    with repo.file(CJ_AUG).open("a", encoding="utf-8") as fh:
        fh.write("- date: '2024-12-28'\n  by: changjiang-secretary\n  reason: 补充化解情况\n")
    repo.commit("再次更正", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == []


def test_the_day_comes_from_the_head_commit_not_the_clock(repo):
    # 2024-12 is still open on 2025-01-04 and closed from 2025-01-05 on
    repo.edit(CJ_DEC, "payday_patrols: 2", "payday_patrols: 3")
    repo.commit("改", "2025-01-04T23:30:00+08:00")
    assert messages(repo, "changjiang-sample") == []
    repo.edit(CJ_DEC, "payday_patrols: 3", "payday_patrols: 4")
    repo.commit("又改", "2025-01-05T08:00:00+08:00")
    assert [c for c, _, _ in messages(repo, "changjiang-sample")] == ["pr.amendment-missing"]


def test_a_late_new_return_passes_with_a_warning(repo, capsys):
    new = "content/returns/2024-09/yangliu.yaml"
    text = repo.file("content/returns/2024-10/yangliu.yaml").read_text(encoding="utf-8")
    repo.file(new).write_text(text.replace("2024-10", "2024-09"), encoding="utf-8")
    repo.commit("补报 9 月", OPEN_DAY)
    code, out = run(repo, "yangliu-sample", capsys=capsys)
    assert code == 0
    assert (f"{new}：提醒：2024-09 月份已关账（报送截止日 2024-09-25，截止后 10 天即 2024-10-05 以后关账），"
            "本表为逾期报送，将在报送情况中记为逾期。（逾期报送，pr.late-return）") in out
    assert out.splitlines()[-1] == "通过，有 1 个提醒。"


def test_github_format_prints_annotations_and_a_summary(repo, capsys, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    repo.edit(NB_DEC, "payday_patrols:", "payday_patrols: 5\nx_old_patrols:")
    repo.commit("改泥巴溪", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", fmt="github", capsys=capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=content/returns/2024-12/nibaxi.yaml,title=只能修改本单位的月报::"
        "这是“泥巴溪村”的月报；账号“changjiang-sample”属于“长江”，只能新增或修改本单位的月报。")
    md = summary.read_text(encoding="utf-8")
    assert "## 合并请求检查（归属和更正）" in md
    assert "| ❌ 错误 | content/returns/2024-12/nibaxi.yaml | 只能修改本单位的月报 |" in md
    assert "**不通过：1 个错误，0 个提醒。**" in md


def test_json_format(repo, capsys):
    repo.file(CJ_AUG).unlink()
    repo.commit("删除", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", fmt="json", capsys=capsys)
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["today"] == "2024-12-30"
    assert doc["author_units"] == ["changjiang"]
    assert [(f["code"], f["severity"], f["file"]) for f in doc["findings"]] == [
        ("pr.return-deleted", "error", CJ_AUG)]
    # the same finding shape as validate's JSON, plus the rule's title
    assert {k: v for k, v in doc["findings"][0].items() if k != "message"} == {
        "code": "pr.return-deleted", "severity": "error", "rule": "月报不得删除或移动", "file": CJ_AUG,
        "line": 0, "column": 0, "path": "", "field_path": []}


def test_render_functions_agree_on_the_verdict(repo):
    repo.commit("空", OPEN_DAY)
    result = check_pr(repo.path, "base", "HEAD", "zhanglu-sample")
    assert render_pr_text(result).endswith("通过。")
    assert render_pr_github(result) == "合并请求检查：通过。"


def cli(repo: Repo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check-pr", "--root", str(repo.path), *args],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_cli_exit_codes(repo):
    repo.edit(NB_DEC, "payday_patrols:", "payday_patrols: 5\nx_old_patrols:")
    repo.commit("改泥巴溪", OPEN_DAY)
    refused = cli(repo, "--base", "base", "--author", "changjiang-sample")
    assert refused.returncode == 1, refused.stderr
    assert cli(repo, "--base", "base", "--author", "nibaxi-sample").returncode == 0
    bad = cli(repo, "--base", "no-such-branch", "--author", "nibaxi-sample")
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("错误：找不到提交“no-such-branch”。"
                                  "在 GitHub Actions 中请用 fetch-depth: 0 获取完整历史。")
    nobody = cli(repo, "--base", "base")
    assert nobody.returncode == 2
    assert "请用 --author 指定提交者的 GitHub 账号" in nobody.stderr


def test_web_editor_path_copy_last_month_edit_by_hand_and_submit(repo):
    """What the how-to tells staff to do in the browser: copy December, edit the text, commit."""
    text = repo.file(CJ_DEC).read_text(encoding="utf-8")
    edits = [("month: 2024-12", "month: '2025-01'"), ("filled_on: '2024-12-23'", "filled_on: '2025-01-20'"),
             ("  status: 化解中", "  status: 已化解\n  resolved_on: '2025-01-15'"),
             ("  workers_paid: 0", "  workers_paid: 6"),
             ("  amount_repaid_yuan: 0", "  amount_repaid_yuan: 12000")]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    text += ("- id: h2\n  project: changjiang-warehouse\n  found_on: '2025-01-08'\n  cause: 劳资纠纷\n"
             "  workers: 12\n  amount_owed_yuan: 36000\n  status: 未化解\n")
    new = repo.file("content/returns/2025-01/changjiang.yaml")
    new.parent.mkdir()
    new.write_text(text, encoding="utf-8")
    repo.commit("2025-01 长江 欠薪隐患排查根治表", "2025-01-20T16:00:00+08:00")
    assert messages(repo, "changjiang-clerk-sample") == []
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", str(new), "--root", str(repo.path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_due_and_closing_days_follow_the_settings():
    from datetime import date

    from generator.analyse.dates import due_date, is_closed, last_open_day

    nextmonth = {"returns": {"due_day": 5, "due_month_offset": 1, "close_after_days": 3}}
    assert due_date("2024-12", nextmonth) == date(2025, 1, 5)
    assert last_open_day("2024-12", nextmonth) == date(2025, 1, 8)
    assert not is_closed("2024-12", nextmonth, date(2025, 1, 8))
    assert is_closed("2024-12", nextmonth, date(2025, 1, 9))
    # due_day is 1–28 (schema): 0 no longer silently means the 25th, 31 no longer means "month end"
    for bad in (0, 31):
        with pytest.raises(ValueError, match=f"settings.returns.due_day 应为 1–28，现为 {bad}"):
            due_date("2024-11", {"returns": {"due_day": bad}})


# --- trust: forged signatures, files outside returns, tree entries, the last pusher ---------------

def test_an_amendment_dated_in_the_future_is_refused(repo):
    with repo.file(CJ_NOV).open("a", encoding="utf-8") as fh:
        fh.write(AMENDMENT.format(by="changjiang-secretary").replace("2024-12-28", "2099-01-01"))
    repo.commit("更正", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == [(
        "pr.amendment-date", CJ_NOV,
        "第 1 条更正记录的日期 2099-01-01 不对：应在 2024-11 月份关账（2024-12-05）之后，"
        "且不晚于本次提交的日期 2024-12-30。")]


def test_editing_the_checker_with_another_units_return_fails_under_the_base_rules(repo):
    (repo.path / "generator" / "workflow").mkdir(parents=True)
    repo.file("generator/workflow/pr.py").write_text("def check_pr(*a):\n    return None\n", encoding="utf-8")
    repo.edit(NB_DEC, "payday_patrols:", "payday_patrols: 5\nx_old_patrols:")
    repo.commit("改检查程序和泥巴溪", OPEN_DAY)
    codes = [(c, f) for c, f, _ in messages(repo, "changjiang-sample")]
    assert codes == [("pr.outside-content", ""), ("pr.not-own-unit", NB_DEC)]


@pytest.mark.parametrize("rel", ["schemas/return.schema.json", "generator/build.py",
                                 ".github/workflows/pr.yml", ".forgejo/workflows/pr.yml", "mkdocs.yml"])
def test_a_unit_account_changing_program_or_settings_fails(repo, capsys, rel):
    repo.file(rel).parent.mkdir(parents=True, exist_ok=True)
    repo.file(rel).write_text("{}\n", encoding="utf-8")
    repo.commit("改程序", OPEN_DAY)
    code, out = run(repo, "changjiang-sample", capsys=capsys)
    assert code == 1
    assert (f"错误：账号“changjiang-sample”改动了 content/returns/ 以外的文件（{rel}）："
            "程序、模式、工作流和设置只能由专班办公室（社保所）修改，"
            "须由办公室账号（zhanglu-sample）提交或审核。") in out


def test_a_submodule_at_a_units_own_return_path_fails(repo, tmp_path):
    other = make_repo(tmp_path / "other")
    repo.file(CJ_DEC).unlink()
    sha = other.git("rev-parse", "HEAD").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{sha},{CJ_DEC}")
    repo.git("commit", "-q", "-m", "子模块", date=OPEN_DAY)
    found = messages(repo, "changjiang-sample")
    assert ("pr.tree-entry", CJ_DEC, f"本合并请求把 {CJ_DEC} 提交为子模块：仓库中只能提交普通文件。"
            "请删除该子模块，改为提交文件本身。") in found


def test_a_symlink_fails_even_for_the_office(repo):
    repo.file(CJ_DEC).unlink()
    repo.file(CJ_DEC).symlink_to("../2024-11/changjiang.yaml")
    repo.commit("链接", OPEN_DAY)
    assert ("pr.tree-entry", CJ_DEC, f"本合并请求把 {CJ_DEC} 提交为符号链接：仓库中只能提交普通文件。"
            "请删除该符号链接，改为提交文件本身。") in messages(repo, "zhanglu-sample")


def test_a_mode_change_fails(repo):
    repo.file(CJ_DEC).chmod(0o755)
    repo.commit("权限", OPEN_DAY)
    assert messages(repo, "changjiang-sample") == [(
        "pr.tree-entry", CJ_DEC, f"本合并请求修改了 {CJ_DEC} 的文件权限（100644 → 100755）："
        "合并请求不得修改文件权限，请改回原来的权限。")]


def test_the_last_pusher_is_checked_as_well_as_the_author(repo):
    repo.edit(CJ_DEC, "payday_patrols: 2", "payday_patrols: 3")
    repo.commit("长江", OPEN_DAY)
    result = check_pr(repo.path, "base", "HEAD", "changjiang-sample", actor="nibaxi-sample")
    assert [(f.code, f.message) for f in result.findings] == [(
        "pr.not-own-unit", "最后推送本合并请求的账号“nibaxi-sample”：这是“长江”的月报；"
        "账号“nibaxi-sample”属于“泥巴溪村”，只能新增或修改本单位的月报。")]
    # the office clicking "Update branch" is the last pusher and changes nothing about the verdict
    assert check_pr(repo.path, "base", "HEAD", "changjiang-sample", actor="zhanglu-sample").findings == []
