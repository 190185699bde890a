"""Smoke test on a copy of the office's live content/: `zhiqian sample remove` leaves a tree that builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _zhiqian(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.mark.slow
def test_sample_remove_on_the_live_content_builds(tmp_path: Path) -> None:
    for name in ("content", "schemas", ".github"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy2(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    run = _zhiqian("sample", "remove", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sample: true" not in "".join(p.read_text(encoding="utf-8")
                                         for p in (tmp_path / "content").rglob("*.yaml"))
    assert _zhiqian("validate", cwd=tmp_path).returncode == 0
    build = _zhiqian("build", cwd=tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (tmp_path / "site" / "index.html").is_file()
