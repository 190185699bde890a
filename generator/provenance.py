"""Provenance: when each return first landed on the current branch, by whom, and its later changes.

One `git log` pass (first-parent, so a merged pull request counts once, on the day it was merged),
parsed once. Never a per-file walk of the history: that was measured ~280× slower (bench/README.md).

Result, keyed by the content-relative path ("returns/2024-08/changjiang.yaml"):
    {"landed": {"date", "datetime", "author", "email", "sha", "subject"},
     "amendments": [{"date", "datetime", "author", "email", "sha", "subject", "change"}, ...],
     "deleted": bool}
A folder that is not a git repository, or has no history, gives {}. In a shallow clone the
oldest fetched commits show every file as new: files seen there have no known landing and are
left out (the analysis then falls back to each return's filled_on). Either way the result's
`fallback` says why, in Chinese, so every output judging on-time/late can say so too.
"""

from __future__ import annotations

from pathlib import Path

RECORD = "\x1e"
FIELD = "\x1f"
LOG_FORMAT = f"{RECORD}%H{FIELD}%cI{FIELD}%an{FIELD}%ae{FIELD}%s"
RETURNS_DIR = "content/returns"

NO_REPO = "这里不是 Git 仓库（找不到 .git），没有提交历史"
DAMAGED = "Git 仓库无法读取（.git 已损坏或不完整）"
NO_COMMITS = "Git 仓库中还没有任何提交"
SHALLOW = "Git 历史不完整（浅克隆，只取了最近的提交）"


class Provenance(dict):
    """The per-file history, plus `fallback`: why some or all landings are unknown (None when complete)."""

    fallback: str | None = None

    def __init__(self, files: dict | None = None, fallback: str | None = None) -> None:
        super().__init__(files or {})
        self.fallback = fallback


def _has_dot_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def _git_log(root: Path) -> tuple[str, str, set[str]] | str:
    """(raw log text, repo-relative prefix of root, shallow boundary commits), or why there is no
    usable history."""
    try:
        import git
    except ImportError:  # GitPython is a declared dependency
        return DAMAGED
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return DAMAGED if _has_dot_git(Path(root)) else NO_REPO
    top = Path(repo.working_tree_dir or root).resolve()
    try:
        prefix = Path(root).resolve().relative_to(top).as_posix()
    except ValueError:
        return NO_REPO
    prefix = "" if prefix == "." else prefix + "/"
    try:
        # -c must precede the subcommand (after it, `log -c` means a combined diff).
        raw = repo.git.execute([
            "git", "-c", "core.quotePath=false", "log", "--first-parent", "--diff-merges=first-parent",
            "--reverse", "-M", "--name-status", f"--format={LOG_FORMAT}", "--", f"{prefix}{RETURNS_DIR}",
        ])
    except git.GitCommandError as e:
        return NO_COMMITS if "does not have any commits" in str(e) else DAMAGED
    shallow_file = Path(repo.git_dir) / "shallow"
    shallow = set(shallow_file.read_text().split()) if shallow_file.is_file() else set()
    return raw, prefix, shallow


def _parse(raw: str, prefix: str, shallow: set[str] | None = None) -> dict[str, dict]:
    strip = prefix + "content/"
    files: dict[str, dict] = {}
    unknown: set[str] = set()  # present at a shallow boundary: landing unknown

    def rel(path: str) -> str | None:
        if not path.startswith(strip) or not path.endswith(".yaml"):
            return None
        return path[len(strip):]

    for record in raw.split(RECORD):
        if not record.strip():
            continue
        header, _, body = record.partition("\n")
        sha, when, author, email, subject = (header.split(FIELD) + [""] * 5)[:5]
        commit = {"date": when[:10], "datetime": when, "author": author, "email": email,
                  "sha": sha, "subject": subject}
        boundary = sha in (shallow or ())
        for line in body.splitlines():
            if not line.strip():
                continue
            parts = line.split("\t")
            code = parts[0][:1]
            if boundary or (unknown and any(rel(p) in unknown for p in parts[1:])):
                unknown.update(r for r in map(rel, parts[1:]) if r)
                continue
            if code == "R" and len(parts) >= 3:
                old, new = rel(parts[1]), rel(parts[2])
                entry = files.pop(old, None) if old else None
                if new is None:
                    continue
                if entry is None:
                    files[new] = {"landed": commit, "amendments": [], "deleted": False}
                else:
                    entry["amendments"].append({**commit, "change": f"由 {old} 改名"})
                    files[new] = entry
                continue
            path = rel(parts[-1]) if len(parts) >= 2 else None
            if path is None:
                continue
            entry = files.get(path)
            if code == "D":
                if entry is not None:
                    entry["deleted"] = True
                    entry["amendments"].append({**commit, "change": "删除"})
            elif entry is None:
                files[path] = {"landed": commit, "amendments": [], "deleted": False}
            else:
                change = "重新添加" if entry["deleted"] else "修改"
                entry["deleted"] = False
                entry["amendments"].append({**commit, "change": change})
    for path in unknown:
        files.pop(path, None)
    return files


def collect(root: Path) -> Provenance:
    """Landing and later changes of every content/returns/**.yaml file, from one git log pass."""
    found = _git_log(Path(root))
    if isinstance(found, str):
        return Provenance(fallback=found)
    raw, prefix, shallow = found
    return Provenance(_parse(raw, prefix, shallow), fallback=SHALLOW if shallow else None)


def of_return(provenance: dict, month: str, unit: str) -> dict | None:
    """The provenance entry of one return, or None when git knows nothing about it."""
    return (provenance or {}).get(f"returns/{month}/{unit}.yaml")
