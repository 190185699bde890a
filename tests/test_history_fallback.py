"""Without a complete git history, on-time/late falls back to filled_on, and every output says so."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.provenance import DAMAGED, NO_REPO, SHALLOW, collect
from tests._paths import FIXTURE, REPO

NOTE = "月报是否按时，改按各单位自填的填报日期（filled_on）判断，可能不准确"


def _zhiqian(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def _shallow(fixture_history: Path, tmp_path: Path) -> Path:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", fixture_history.as_uri(), str(clone)], check=True)
    shutil.copytree(FIXTURE / "schemas", clone / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", clone / "mkdocs.yml")
    return clone


def _copy(fixture_history: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(fixture_history, copy, symlinks=True)
    return copy


def test_complete_history_says_nothing(fixture_history: Path) -> None:
    assert collect(fixture_history).fallback is None
    run = _zhiqian("status", cwd=fixture_history)
    assert run.returncode == 0, run.stderr
    assert "警告" not in run.stdout and NOTE not in run.stdout


def test_shallow_clone_status_warns_first(fixture_history: Path, tmp_path: Path) -> None:
    clone = _shallow(fixture_history, tmp_path)
    assert collect(clone).fallback == SHALLOW
    run = _zhiqian("status", cwd=clone)
    assert run.returncode == 0, run.stderr
    first = run.stdout.splitlines()[0]
    assert first.startswith("警告：Git 历史不完整（浅克隆") and NOTE in first
    assert "git fetch --unshallow" in first


@pytest.mark.parametrize("damage", ["HEAD", "objects"])
def test_damaged_git_status_warns(fixture_history: Path, tmp_path: Path, damage: str) -> None:
    copy = _copy(fixture_history, tmp_path)
    if damage == "HEAD":  # git no longer recognises the folder as a repository
        (copy / ".git" / "HEAD").unlink()
    else:  # the repository opens, but its commits cannot be read
        shutil.rmtree(copy / ".git" / "objects")
        (copy / ".git" / "objects").mkdir()
    assert collect(copy).fallback == DAMAGED
    run = _zhiqian("status", cwd=copy)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"警告：{DAMAGED}：{NOTE}")


def test_no_repository_at_all(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    assert collect(tmp_path).fallback == NO_REPO


@pytest.mark.slow
def test_shallow_clone_build_warns_on_the_dashboard_and_in_the_bulletin(fixture_history: Path,
                                                                          tmp_path: Path) -> None:
    clone = _shallow(fixture_history, tmp_path)
    run = _zhiqian("build", "--only", "internal", "--only", "pdf", cwd=clone)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"警告：{SHALLOW}：{NOTE}" in run.stdout
    for page in ("index.html", "submissions.html"):
        html = (clone / "build" / "internal" / page).read_text(encoding="utf-8")
        note = f'<p class="history-note" role="alert"><strong>按时/逾期的依据：</strong>{SHALLOW}：{NOTE}'
        assert note in html
    bulletin = sorted((clone / "build" / "internal" / "bulletins").glob("*-通报.pdf"))[-1]
    text = subprocess.run(["pdftotext", str(bulletin), "-"], capture_output=True, text=True, check=True)
    flat = "".join(text.stdout.split())
    assert "（说明：" + "".join(f"{SHALLOW}：{NOTE}".split()) in flat
