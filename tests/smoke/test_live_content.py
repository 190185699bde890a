"""Smoke tests on the office's live content/: it validates, builds, and CODEOWNERS follows its roster.

These are the only tests that read content/. They run as their own CI step (.ci/run), so a data edit can
fail the data step and never the code tests, which read tests/fixtures/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.workflow.codeowners import generate

REPO = Path(__file__).resolve().parents[2]


def _zhiqian(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_live_content_validates() -> None:
    run = _zhiqian("validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout or "警告" in run.stdout


def test_committed_codeowners_matches_the_live_roster() -> None:
    committed = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == generate(REPO), "CODEOWNERS 已过期：请运行 zhiqian codeowners 并提交"


@pytest.mark.slow
def test_live_content_builds_the_public_site(tmp_path: Path) -> None:
    for name in ("content", "schemas"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    run = _zhiqian("build", "--only", "public", "--root", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "site" / "index.html").is_file()
