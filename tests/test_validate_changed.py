"""`zhiqian validate --changed-since BASE` (the pull-request check): it reports on the files the
pull request changed plus the files that refer to them, with exactly the findings a full run gives
those files, and leaves problems that were already on the base branch elsewhere out."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

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
    for name in ("content", "schemas"):
        shutil.copytree(FIXTURE / name, tmp_path / name)
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


def test_a_change_to_the_town_file_checks_everything(repo) -> None:
    root, base = repo
    town = root / "content" / "town.yaml"
    town.write_text(town.read_text(encoding="utf-8") + "# 备注\n", encoding="utf-8")
    _git(root, "commit", "-qam", "town")
    assert _findings(root, changed_since=base) == _findings(root)


def test_an_unknown_base_is_a_usage_problem(repo) -> None:
    root, _ = repo
    with pytest.raises(UsageProblem, match="找不到提交“nosuch”"):
        _findings(root, changed_since="nosuch")
