"""`zhiqian sample remove`: the office's first day on a copy of the fixture tree."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.workflow.codeowners import generate
from tests._paths import FIXTURE, REPO


def _zhiqian(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(FIXTURE / "schemas", tmp_path / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text(generate(tmp_path), encoding="utf-8")
    return tmp_path


def _sample_files(root: Path) -> list[str]:
    return [p.name for p in (root / "content").rglob("*.yaml")
            if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("sample") is True]


def test_dry_run_lists_everything_and_changes_nothing(tree: Path) -> None:
    before = _digest(tree)
    run = _zhiqian("sample", "remove", "--dry-run", cwd=tree)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "将移除示例数据" in run.stdout
    assert "删除 content/projects/yangliu-bridge.yaml（项目“杨柳便民桥建设工程（示例）”）" in run.stdout
    assert "content/town.yaml：移除 villages 中的“青山村示例”" in run.stdout
    assert "content/taskforce.yaml：移除 people 中的“陈书记示例”" in run.stdout
    assert "未改动任何文件" in run.stdout
    assert _digest(tree) == before


def test_remove_leaves_a_real_tree_that_validates_and_builds(tree: Path) -> None:
    run = _zhiqian("sample", "remove", cwd=tree)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "已移除示例数据" in run.stdout
    # What the office must fill in next, read from the tree itself.
    todo = run.stdout.split("接下来办公室要填写：", 1)[1]
    assert "“丰都县劳动保障监察投诉电话”尚未核实（confirmed: false）" in todo
    assert "minimum_wage：尚未核实" in todo
    assert "请把本镇其余的村（社区）补进 villages（现有：长江、泥巴溪村、杨柳）" in todo
    assert "village_taskforces（村（社区）专班）现为空" in todo
    assert "content/projects/：现在没有任何文件，请登记在建项目台账" in todo

    assert _sample_files(tree) == []
    town = yaml.safe_load((tree / "content" / "town.yaml").read_text(encoding="utf-8"))
    assert [v["id"] for v in town["villages"]] == ["changjiang", "nibaxi", "yangliu"]  # the real ones stay
    assert len(town["departments"]) == 8
    roster = yaml.safe_load((tree / "content" / "taskforce.yaml").read_text(encoding="utf-8"))
    assert roster["village_taskforces"] == []
    assert "changjiang-secretary" not in roster["members"] and "li-jun" == roster["leader"]
    settings = (tree / "content" / "settings.yaml").read_text(encoding="utf-8")
    assert "sample_data: false" in settings and "# 可配置的事实与阈值" in settings  # comments kept
    assert not (tree / "content" / "returns").exists()
    codeowners = (tree / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "changjiang-sample" not in codeowners and codeowners == generate(tree)

    check = _zhiqian("validate", cwd=tree)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 个错误" in check.stdout or "没有发现问题" in check.stdout
    build = _zhiqian("build", "--only", "public", "--only", "internal", cwd=tree)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "完成" in build.stdout
    assert (tree / "site" / "index.html").is_file() and (tree / "build" / "internal" / "index.html").is_file()
    again = _zhiqian("sample", "remove", cwd=tree)
    assert again.returncode == 0 and "没有示例数据可移除" in again.stdout


def test_a_real_record_that_needs_a_sample_one_stops_the_removal(tree: Path) -> None:
    """A real return approved by a sample person cannot be fixed automatically: nothing changes, file named"""
    real = tree / "content" / "returns" / "2024-12" / "nongfu.yaml"
    text = real.read_text(encoding="utf-8").replace("sample: true", "sample: false")
    real.write_text(text.replace("approved_by: tan-yajun", "approved_by: nibaxi-secretary"), encoding="utf-8")
    assert "approved_by: nibaxi-secretary" in real.read_text(encoding="utf-8")
    before = _digest(tree)
    run = _zhiqian("sample", "remove", cwd=tree)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "移除示例后内容将无法通过校验，未改动任何文件" in run.stdout
    assert "content/returns/2024-12/nongfu.yaml" in run.stdout
    assert _digest(tree) == before
