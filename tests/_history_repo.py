"""Temporary git repositories with back-dated commits, for the provenance and history tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

MAIN = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs, not the live content/


class HistoryRepo:
    def __init__(self, path: Path, init: bool = True):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None, author: str = "tester") -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.invalid",
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.invalid"}
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        proc = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True, env=env,
                              check=True)
        return proc.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def commit(self, message: str, date: str, author: str = "tester", paths: list[str] | None = None) -> str:
        self.git("add", "-A", *(["--", *paths] if paths else []))
        self.git("commit", "-q", "-m", message, date=date, author=author)
        return self.git("rev-parse", "HEAD")


def shipped_copy(path: Path) -> HistoryRepo:
    """content/ and schemas/ of the fixture tree copied into a fresh repository (nothing committed)."""
    path.mkdir(parents=True, exist_ok=True)
    for name in ("content", "schemas"):
        shutil.copytree(MAIN / name, path / name)
    return HistoryRepo(path)
