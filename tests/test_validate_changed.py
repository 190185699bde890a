"""`zhiqian validate --changed-since BASE` (the pull-request check): it reports on the files the
pull request changed plus the files that refer to them, with exactly the findings a full run gives
those files, and leaves problems that were already on the base branch elsewhere out."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from _paths import copy_fixture_tree

from generator.check.report import run_validate
from generator.errors import UsageProblem

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
OLD_PROBLEM = "content/returns/2024-09/jingfa.yaml"  # already wrong on the base branch
CHANGED = "content/returns/2024-08/caizheng.yaml"
DELETED_PROJECT = "content/projects/changjiang-revetment.yaml"  # returns, a clue and publicity name it


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout.strip()


def _spoil(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "not_a_field: 1\n", encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, str]:
    copy_fixture_tree(tmp_path, mkdocs=False)
    _git(tmp_path, "init", "-q", "-b", "main")
    _spoil(tmp_path / OLD_PROBLEM)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    base = _git(tmp_path, "rev-parse", "HEAD")
    _spoil(tmp_path / CHANGED)
    (tmp_path / DELETED_PROJECT).unlink()
    _git(tmp_path, "commit", "-qam", "pull request")
    return tmp_path, base


def _findings(root: Path, **kw) -> tuple[int, list[dict]]:
    out = io.StringIO()
    code = run_validate(root, [], "json", out=out, **kw)
    return code, json.loads(out.getvalue())["findings"]


def test_changed_files_and_their_referrers_get_the_findings_of_a_full_run(repo) -> None:
    root, base = repo
    _, full = _findings(root)
    code, changed = _findings(root, changed_since=base)
    assert code == 1
    files = {f["file"] for f in changed}
    assert CHANGED in files  # the changed return itself
    assert "content/returns/2024-08/nongfu.yaml" in files  # unchanged, but names the deleted project
    assert OLD_PROBLEM in {f["file"] for f in full} and OLD_PROBLEM not in files
    # every finding of the full run except the base branch's own problem, in the same order and words
    assert changed == [f for f in full if f["file"] != OLD_PROBLEM]


@pytest.mark.parametrize("name", ["town.yaml", "taskforce.yaml"])
def test_a_change_to_the_town_or_the_roster_checks_everything_and_says_so(repo, name, capsys) -> None:
    root, base = repo
    changed = root / "content" / name
    changed.write_text(changed.read_text(encoding="utf-8") + "# 备注\n", encoding="utf-8")
    _git(root, "commit", "-qam", name)
    capsys.readouterr()
    assert _findings(root, changed_since=base) == _findings(root)
    assert capsys.readouterr().err == f"改动了 content/{name}（所有文件都用到它），校验全部文件。\n"


# --- one-file pull requests: the findings of the files reported on equal a full run's ----------------------
HAZARD = """hazards:
- id: h9
  project: {project}
  found_on: '{found}'
  cause: 工程款拖欠
  workers: 3
  amount_owed_yuan: 30000
  deadline: '2024-12-30'
  status: 未化解
"""


@pytest.fixture()
def clean(tmp_path: Path) -> tuple[Path, str]:
    """The fixture tree as the base branch, with nothing changed yet."""
    copy_fixture_tree(tmp_path, mkdocs=False)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    return tmp_path, _git(tmp_path, "rev-parse", "HEAD")


def _pull_request(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _git(root, "commit", "-qam", "pull request")


def _as_full_run(root: Path, base: str) -> tuple[set[str], list[dict]]:
    """(the files the PR check reports on, its findings), after asserting those findings are exactly the
    full run's findings on those files (codes, messages, lines, order) and that every file whose findings
    the change made differ from the base branch's is among them."""
    from generator.check.report import _changed
    from generator.check.selection import plan
    from generator.workflow import gitio

    start = gitio.resolve(root, base)
    reported, _ = plan(root, _changed(root, start), gitio.merge_base(root, start))
    _, full = _findings(root)
    _, pr = _findings(root, changed_since=base)
    assert pr == [f for f in full if f["file"] in reported]
    head = _git(root, "rev-parse", "HEAD")
    _git(root, "checkout", "-q", start)
    _, before = _findings(root)
    _git(root, "checkout", "-q", head)
    differ = {f["file"] for f in full if f not in before} | {f["file"] for f in before if f not in full}
    assert differ <= reported
    return reported, pr


def _codes(findings: list[dict], file: str) -> set[str]:
    return {f["code"] for f in findings if f["file"] == file}


def test_a_new_hazard_on_a_project_that_does_not_exist(clean) -> None:
    root, base = clean
    _pull_request(root, "returns/2024-12/caizheng.yaml", "hazards: []\n",
                  HAZARD.format(project="no-such-road", found="2024-12-05"))
    reported, pr = _as_full_run(root, base)
    unknown = [f for f in pr if f["code"] == "ref.unknown-project"]
    assert [(f["file"], f["line"]) for f in unknown] == [("content/returns/2024-12/caizheng.yaml", 16)]
    assert "找不到编号为“no-such-road”的项目" in unknown[0]["message"]


def test_an_open_hazard_added_last_month_is_dropped_by_this_month(clean) -> None:
    root, base = clean
    _pull_request(root, "returns/2024-11/nongfu.yaml", "hazards:\n",
                  HAZARD.format(project="nibaxi-road", found="2024-11-05"))
    reported, pr = _as_full_run(root, base)
    nexts = "content/returns/2024-12/nongfu.yaml"  # unchanged, but it no longer reports h9
    assert nexts in reported
    dropped = [f for f in pr if f["code"] == "hazard.dropped-unresolved"]
    assert [f["file"] for f in dropped] == [nexts]
    assert "上月（2024-11）报的隐患 h9（发现于 2024-11-05" in dropped[0]["message"]


def test_an_authority_reports_arrears_in_a_village_that_filed_a_zero_report(clean) -> None:
    root, base = clean
    _pull_request(root, "returns/2024-12/caizheng.yaml", "hazards: []\n",
                  HAZARD.format(project="market-upgrade", found="2024-12-05"))
    reported, pr = _as_full_run(root, base)
    village = "content/returns/2024-12/nibaxi.yaml"  # market-upgrade lies in 泥巴溪, its return is zero
    assert village in reported
    assert "return.zero-report-contradicted" in _codes(pr, village)


def test_a_village_edits_its_zero_report_while_an_authority_reported_arrears_there(clean) -> None:
    root, _ = clean
    _pull_request(root, "returns/2024-12/caizheng.yaml", "hazards: []\n",
                  HAZARD.format(project="market-upgrade", found="2024-12-05"))
    base = _git(root, "rev-parse", "HEAD")  # already on the base branch: only the village's file changes
    _pull_request(root, "returns/2024-12/nibaxi.yaml", "filled_on: '2024-12-18'", "filled_on: '2024-12-17'")
    reported, pr = _as_full_run(root, base)
    village = "content/returns/2024-12/nibaxi.yaml"
    assert "return.zero-report-contradicted" in _codes(pr, village)
    assert "财政办报了“" in next(f["message"] for f in pr if f["code"] == "return.zero-report-contradicted")


def test_a_project_moved_to_another_village_breaks_the_returns_that_check_it(clean) -> None:
    root, base = clean
    _pull_request(root, "projects/yangliu-farmland.yaml", "village: yangliu\n", "village: changjiang\n")
    reported, pr = _as_full_run(root, base)
    village = "content/returns/2024-12/yangliu.yaml"  # 杨柳 still lists it among its checked projects
    assert village in reported
    assert {"return.checked-outside-area", "hazard.outside-area"} <= _codes(pr, village)


def test_an_unknown_base_is_a_usage_problem(repo) -> None:
    root, _ = repo
    with pytest.raises(UsageProblem, match="找不到提交“nosuch”"):
        _findings(root, changed_since="nosuch")
