"""The few git questions check-pr asks, through the git command line (one call each)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.errors import UsageProblem


@dataclass(frozen=True)
class Change:
    status: str  # A added, M modified, D deleted, R renamed, C copied, T type changed
    path: str  # repository-relative posix path (the new one for renames)
    old_path: str | None = None  # for renames and copies
    old_mode: str = ""  # git file modes: 100644 file, 100755 executable, 120000 symlink, 160000 submodule
    new_mode: str = ""


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError as e:
        raise UsageProblem("找不到 git 命令，请先安装 git。") from e
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"git {' '.join(args[:2])} 失败：{msg[-1] if msg else proc.returncode}")
    return proc


def resolve(root: Path, rev: str) -> str:
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    if b"not a git repository" in proc.stderr:
        raise UsageProblem(f"{root} 不是 git 仓库：请在仓库根目录运行，或用 --root 指定。")
    if proc.returncode != 0:
        raise UsageProblem(f"找不到提交“{rev}”。在 GitHub Actions 中请用 fetch-depth: 0 获取完整历史。")
    return proc.stdout.decode().strip()


def changes(root: Path, base: str, head: str) -> list[Change]:
    """Files changed on head since it left base (three-dot: later changes on base do not count)."""
    out = _git(root, "diff", "--raw", "-M", "-z", "--no-color", "--no-abbrev", f"{base}...{head}").stdout
    parts = out.decode("utf-8").split("\0")
    result: list[Change] = []
    i = 0
    while i < len(parts) and parts[i]:
        old_mode, new_mode, _, _, status = parts[i].lstrip(":").split(" ")
        status = status[0]
        if status in "RC":
            result.append(Change(status, parts[i + 2], parts[i + 1], old_mode, new_mode))
            i += 3
        else:
            result.append(Change(status, parts[i + 1], None, old_mode, new_mode))
            i += 2
    return result


def show(root: Path, rev: str, path: str) -> str | None:
    """A file's text at a revision, or None when it does not exist there."""
    proc = _git(root, "show", f"{rev}:{path}", check=False)
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8-sig", "replace")


def commit_day(root: Path, rev: str) -> date:
    """The committer date of a commit, as the calendar day in the committer's own time zone."""
    stamp = _git(root, "log", "-1", "--format=%cI", rev).stdout.decode().strip()
    return datetime.fromisoformat(stamp).date()


def landed_day(root: Path, rev: str, path: str) -> date | None:
    """The day a file was first committed on rev's history (its committer's calendar day), or None."""
    proc = _git(root, "log", "--diff-filter=A", "--format=%cI", rev, "--", path, check=False)
    stamps = proc.stdout.decode().split() if proc.returncode == 0 else []
    return datetime.fromisoformat(stamps[-1]).date() if stamps else None


def is_worktree_head(root: Path, sha: str) -> bool:
    proc = _git(root, "rev-parse", "HEAD", check=False)
    return proc.returncode == 0 and proc.stdout.decode().strip() == sha


def merge_base(root: Path, base: str, head: str = "HEAD") -> str | None:
    """Where head left base: the "before" of every file `changes` lists."""
    proc = _git(root, "merge-base", base, head, check=False)
    return proc.stdout.decode().strip() or None if proc.returncode == 0 else None


def files_containing(root: Path, needles: list[str], folders: list[str]) -> list[str]:
    """Repository-relative paths of the files under `folders` (work tree, untracked included) whose text
    holds any of `needles` (fixed strings): one multi-threaded `git grep`, far cheaper than reading them."""
    if not needles or not folders:
        return []
    patterns = [arg for n in needles for arg in ("-e", n)]
    proc = _git(root, "grep", "-l", "-z", "-F", "--untracked", "--no-color", *patterns, "--", *folders,
                check=False)
    if proc.returncode not in (0, 1):  # 1: nothing found
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"git grep 失败：{msg[-1] if msg else proc.returncode}")
    return [p for p in proc.stdout.decode("utf-8").split("\0") if p]
