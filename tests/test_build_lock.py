"""One build at a time, and a swap that never loses the last good output (killed builds, two at once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _paths import copy_fixture_tree

from generator.build import recover_swap, staged

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return copy_fixture_tree(tmp_path)


def _start(tree: Path, capture: bool = False) -> subprocess.Popen:
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    args = [sys.executable, "-m", "generator", "build", "--full", "--only", "internal", "--root", str(tree)]
    return subprocess.Popen(args, cwd=tree, stdout=out, stderr=out, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def _whole(out: Path) -> bool:
    return (out / "index.html").is_file() and len(list(out.rglob("*.html"))) > 3


def test_two_builds_at_once_both_succeed_and_the_output_is_whole(tree: Path) -> None:
    first, second = _start(tree, True), _start(tree, True)
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert _whole(tree / "build/internal")
    assert not (tree / "build/.internal.staging").exists()


def test_killing_a_build_at_ten_moments_never_loses_the_output(tree: Path) -> None:
    assert _start(tree).wait(timeout=600) == 0
    start = time.perf_counter()
    assert _start(tree).wait(timeout=600) == 0
    duration = time.perf_counter() - start
    for i in range(10):
        proc = _start(tree)
        time.sleep(duration * (i + 0.5) / 10)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _whole(tree / "build/internal"), f"第 {i + 1} 次中断后 build/internal 不完整"
    assert _start(tree).wait(timeout=600) == 0
    assert _whole(tree / "build/internal")


def test_a_build_killed_between_the_renames_is_recovered(tmp_path: Path) -> None:
    target = tmp_path / "site"
    (tmp_path / ".site.old").mkdir()
    (tmp_path / ".site.old" / "index.html").write_text("上一次的结果", encoding="utf-8")
    recover_swap(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "上一次的结果"


def test_a_failed_build_keeps_the_last_good_copy(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("好的", encoding="utf-8")
    with pytest.raises(RuntimeError), staged(target) as stage:
        (stage / "index.html").write_text("半成品", encoding="utf-8")
        raise RuntimeError("渲染失败")
    assert (target / "index.html").read_text(encoding="utf-8") == "好的"
    with staged(target) as stage:
        (stage / "index.html").write_text("新的", encoding="utf-8")
    assert (target / "index.html").read_text(encoding="utf-8") == "新的"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
