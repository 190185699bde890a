"""Incremental builds: an output is reused when its inputs hash the same as at its last good build.

Inputs are hashed by content (SHA-256 of every file), never by timestamp: the content/ files, the
schemas, mkdocs.yml, the generator's own code, templates and static files, and the installed package
versions; the internal site and the PDFs also depend on the Git history (HEAD), the PDFs on the
fonts and weasyprint (pdf.environment_id()), the public site on --strict.

The record (build/.hashes.json) is written atomically. A stage's entry is removed before its output
is swapped and written again only after every swap succeeded, so an output from a failed, killed
or partial build is never taken for a good one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.paths import CONTENT, INTERNAL, SCHEMAS, SITE

RECORD = Path("build") / ".hashes.json"
KNOWN = Path("build") / ".cache" / "file-stats.json"  # _Known: hashes of files whose stats did not change
RACY_NS = 2_000_000_000
GENERATOR = Path(__file__).resolve().parent
NAMES = {"public": "公开网站", "internal": "内部网站", "pdf": "PDF"}
TARGETS = {"public": Path(SITE), "internal": INTERNAL, "pdf": INTERNAL}
EXTRA_NAMES = {"packages": "Python 版本或依赖软件包版本", "strict": "--strict 选项",
               "git": "Git 提交（HEAD）", "pdf_env": "PDF 字体或排版环境", "cms": "在线填报程序 Decap CMS"}
SKIPPED_DIRS = {"__pycache__", ".git"}


@dataclass
class Snapshot:
    files: dict[str, str]  # input path (content/…, schemas/…, mkdocs.yml, generator/…) → sha256
    extras: dict[str, dict[str, str]]  # stage → named inputs that are not files
    known: _Known | None = field(default=None, repr=False, compare=False)

    def save_stats(self) -> None:
        """Remember the files' stats for the next snapshot: called once the content passed the check
        (invalid content leaves every file as it was, build/ included)."""
        if self.known is not None:
            self.known.save()

    @property
    def files_digest(self) -> str:
        return _digest(self.files)

    def digest(self, stage: str) -> str:
        return _digest({"files": self.files_digest, **self.extras[stage]})


@dataclass
class Decision:
    stage: str
    reuse: bool
    why: str

    @property
    def message(self) -> str:
        return f"{NAMES[self.stage]}：{self.why}"


@dataclass
class Plan:
    decisions: dict[str, Decision] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # the last build's warnings, repeated when all is reused

    def reused(self, stage: str) -> bool:
        return stage in self.decisions and self.decisions[stage].reuse

    @property
    def all_reused(self) -> bool:
        return all(d.reuse for d in self.decisions.values())


def _digest(mapping: dict) -> str:
    return hashlib.sha256(json.dumps(mapping, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Known:
    """Each input file's SHA-256 from the last snapshot, with the file's inode, size, mtime and ctime then:
    a file whose four are the same is not read again (git's index does the same; reading a county's 31,000
    files took seconds of every build). The hash stays the key; the stats only say when it must be
    computed again. Any write to a file sets its ctime, which no tool can set back; a file changed within
    RACY_NS of the save is not remembered, since a second change in the same clock tick would look equal."""

    def __init__(self, path: Path | None):
        self.path = path
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.old = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                pass

    def sha256(self, path: str) -> str:
        st = os.stat(path)  # before reading: a change after it leaves stats that differ next time
        sig = [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        last = self.old.get(path)
        if isinstance(last, list) and last[:4] == sig and len(last) == 5:
            sha = last[4]
        else:
            with open(path, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
        self.new[path] = [*sig, sha]
        return sha

    def save(self) -> None:
        if self.path is None:
            return
        settled = time.time_ns() - RACY_NS
        keep = {k: v for k, v in self.new.items() if v[3] < settled and v[2] < settled}
        write_whole(self.path, json.dumps(keep).encode())  # unwritable: the next build hashes every file


def _hash_tree(folder: Path, prefix: str, out: dict[str, str], known: _Known | None = None) -> None:
    if not folder.is_dir():
        return
    known = known or _Known(None)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        rel_dir = Path(dirpath).relative_to(folder).as_posix()
        for name in filenames:
            if name.endswith(".pyc"):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            out[f"{prefix}/{rel}"] = known.sha256(os.path.join(dirpath, name))


def write_whole(path: Path, blob: bytes) -> None:
    """`blob` into `path` whole or not at all (a reader meanwhile sees the old file); a cache file that
    cannot be written only costs the next run its speed-up."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def code_digest() -> str:
    """The generator's code, templates and static files and the installed packages: what every page is
    rendered with (the page caches of render/site_cache.py and render/page_reuse.py key on it)."""
    files: dict[str, str] = {}
    _hash_tree(GENERATOR, "generator", files)
    return _digest({"files": files, "packages": _packages()})


@functools.cache  # once per process (~0.12 s): the packages a process has imported do not change under it
def _packages() -> str:
    from importlib.metadata import distributions

    names = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    return hashlib.sha256("\n".join([sys.version, *names]).encode()).hexdigest()


def _git_head(root: Path) -> str:
    from generator.provenance import _has_dot_git

    if not _has_dot_git(root):
        return ""
    proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _cms(root: Path) -> str:
    from generator.form.admin import bundle_dir

    package = bundle_dir(root).parent / "package.json"
    return hashlib.sha256(package.read_bytes()).hexdigest() if package.is_file() else ""


def snapshot(root: Path, *, strict: bool, stages: list[str]) -> Snapshot:
    """Hash every input of the wanted stages (taken before loading: a file saved during the build
    then differs from the record, so the next build redoes it)."""
    root = Path(root)
    files: dict[str, str] = {}
    known = _Known(root / KNOWN)
    _hash_tree(root / CONTENT, CONTENT, files, known)
    _hash_tree(root / SCHEMAS, SCHEMAS, files, known)
    _hash_tree(GENERATOR, "generator", files, known)
    config = root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else GENERATOR.parent / "mkdocs.yml"
    if config.is_file():
        files["mkdocs.yml"] = hashlib.sha256(config.read_bytes()).hexdigest()
    from generator.form.admin import SCREENSHOTS

    _hash_tree(root / SCREENSHOTS, SCREENSHOTS.as_posix(), files, known)  # copied into the internal how-to
    common = {"packages": _packages()}
    extras: dict[str, dict[str, str]] = {}
    if "public" in stages:
        extras["public"] = {**common, "strict": str(bool(strict))}
    if "internal" in stages or "pdf" in stages:
        git = _git_head(root)
        extras["internal"] = {**common, "git": git, "cms": _cms(root)}
        if "pdf" in stages:
            from generator.render.pdf import environment_id

            extras["pdf"] = {**common, "git": git, "pdf_env": environment_id()}
    return Snapshot(files=files, extras={s: extras[s] for s in stages}, known=known)


def _read(root: Path) -> dict:
    try:
        data = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == 1 else {}


def _write(root: Path, data: dict) -> None:
    """Write the record in one rename: a killed build leaves the old record or the new, never half."""
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def plan(root: Path, snap: Snapshot, *, force: bool = False) -> Plan:
    """For each stage of the snapshot: reuse the output, or rebuild it and why."""
    record = _read(root)
    stages, snapshots = record.get("stages", {}), record.get("snapshots", {})
    out = Plan()
    for stage in snap.extras:
        last = stages.get(stage)
        target = TARGETS[stage]
        if force:
            why = "指定了 --full，完整生成"
        elif not last:
            why = "没有上次成功生成的记录，完整生成"
        elif not (root / target).is_dir():
            why = f"{target.as_posix()}/ 不存在，重新生成"
        elif last.get("digest") == snap.digest(stage):
            out.decisions[stage] = Decision(stage, True, "未变化，沿用上次结果")
            out.notes = out.notes or list(last.get("notes", []))
            continue
        else:
            why = _difference(snap, stage, snapshots.get(last.get("files", ""), {}), last.get("extras", {}))
        out.decisions[stage] = Decision(stage, False, why)
    return out


def _difference(snap: Snapshot, stage: str, old_files: dict, old_extras: dict) -> str:
    changed = sorted(p for p in snap.files.keys() | old_files.keys() if snap.files.get(p) != old_files.get(p))
    if changed:
        return f"{changed[0]} 等 {len(changed)} 个文件有变化，重新生成"
    extras = [EXTRA_NAMES.get(k, k) for k, v in sorted(snap.extras[stage].items()) if old_extras.get(k) != v]
    return f"{'、'.join(extras) or '输入'}有变化，重新生成"


def forget(root: Path, stages: list[str]) -> None:
    """Before an output is replaced: until the build has succeeded it is not a known good output."""
    record = _read(root)
    if record and any(s in record.get("stages", {}) for s in stages):
        for s in stages:
            record["stages"].pop(s, None)
        _write(root, record)


def remember(root: Path, snap: Snapshot, stages: list[str], notes: list[str]) -> None:
    """After every swap succeeded: record the inputs the new outputs were built from."""
    record = _read(root) or {"version": 1, "stages": {}, "snapshots": {}}
    files = snap.files_digest
    for s in stages:
        record["stages"][s] = {"digest": snap.digest(s), "files": files, "extras": snap.extras[s],
                               "notes": notes}
    record["snapshots"][files] = snap.files
    used = {entry["files"] for entry in record["stages"].values()}
    record["snapshots"] = {k: v for k, v in record["snapshots"].items() if k in used}
    _write(root, record)
