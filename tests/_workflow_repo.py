"""Temporary git repositories holding a copy of the shipped content, for the workflow tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

MAIN = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs, not the live content/


class Repo:
    def __init__(self, path: Path):
        self.path = path

    def git(self, *args: str, date: str | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
               "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        proc = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True, env=env,
                              check=True)
        return proc.stdout

    def commit(self, message: str, date: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)

    def file(self, rel: str) -> Path:
        return self.path / rel

    def edit(self, rel: str, old: str, new: str) -> None:
        p = self.file(rel)
        text = p.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        p.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_repo(path: Path, base_date: str = "2024-12-20T10:00:00+08:00") -> Repo:
    """content/ + schemas/ of the fixture tree in a fresh repository, committed once as `base`."""
    path.mkdir(parents=True, exist_ok=True)
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, path / name)
    repo = Repo(path)
    repo.git("init", "-q", "-b", "main")
    repo.commit("基准", base_date)
    repo.git("tag", "base")
    return repo

