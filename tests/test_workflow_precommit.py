"""pre-commit: the hook this repository offers and its own configuration."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from _workflow_repo import make_repo

MAIN = Path(__file__).resolve().parents[1]
PRE_COMMIT = shutil.which("pre-commit")


def manifest() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load((MAIN / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def test_hook_manifest_declares_zhiqian_validate():
    hook = manifest()["zhiqian-validate"]
    assert (hook["entry"], hook["language"], hook["files"]) == ("zhiqian validate", "python",
                                                                 r"^content/.*\.ya?ml$")
    files = re.compile(hook["files"])
    assert files.search("content/returns/2024-12/changjiang.yaml")
    assert files.search("content/taskforce.yaml")
    assert not files.search("README.md") and not files.search("schemas/return.schema.json")


def test_own_config_uses_the_same_hooks_locally():
    config = yaml.safe_load((MAIN / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    declared_hooks = manifest()
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:
        declared = declared_hooks[hook["id"]]
        assert (hook["entry"], hook["files"]) == (declared["entry"], declared["files"])


@pytest.mark.skipif(PRE_COMMIT is None, reason="未安装 pre-commit（pip install -e .[test] 会安装）")
def test_pre_commit_accepts_the_files_and_the_hook_stops_a_bad_return(tmp_path):
    for args in (["validate-manifest", ".pre-commit-hooks.yaml"],
                 ["validate-config", ".pre-commit-config.yaml"]):
        proc = subprocess.run([PRE_COMMIT, *args], cwd=MAIN, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    repo = make_repo(tmp_path / "repo")
    shutil.copy(MAIN / ".pre-commit-config.yaml", repo.path)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    repo.edit("content/returns/2024-12/changjiang.yaml", "workers: 6", "workers: 六")
    repo.git("add", "-A")
    proc = subprocess.run([PRE_COMMIT, "run", "zhiqian-validate"], cwd=repo.path, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 1
    assert "content/returns/2024-12/changjiang.yaml:20:" in proc.stdout
    assert "涉及人数" in proc.stdout

    repo.edit("content/returns/2024-12/changjiang.yaml", "workers: 六", "workers: 6")
    repo.git("add", "-A")
    proc = subprocess.run([PRE_COMMIT, "run", "zhiqian-validate"], cwd=repo.path, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stdout
