"""Page-level reuse for the public site: a rebuild re-renders only the pages whose Markdown changed.

The generated Markdown (docs/) and mkdocs' output (site/) stay in build/.cache/public/ between builds.
A Markdown file is rewritten only when its bytes differ from the last build's, so mkdocs' own --dirty
test (source newer than output) picks exactly the changed pages. What every page shows besides its own
text (the nav, the set of pages, the config, the theme and our code) forms the shell key: when it
differs, the whole site is rebuilt. The search index of a partial build holds only the re-rendered
pages; SearchMerge puts the other pages' entries back from the last index, in page order, so the
result is byte for byte a full build's (tests/test_site_cache.py).

The state file is removed before mkdocs starts and written after the output passed every check: a
failed or killed build leaves no state, and the next one rebuilds everything.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from mkdocs.plugins import BasePlugin

CACHE = Path("build") / ".cache" / "public"  # under the repository root; build.py passes it
DIRTY_WARNING = "A 'dirty' build is being performed"  # mkdocs' warning, expected here
RACY_NS = 2_000_000_000  # a file system's clock may tick this coarsely (FAT, some network shares)


class PageCache:
    def __init__(self, folder: Path, *, reuse: bool):
        self.dir = Path(folder)
        self.docs = self.dir / "docs"
        self.site = self.dir / "site"
        self.state_file = self.dir / "state.json"
        self.reuse = reuse
        self.changed: set[str] = set()  # Markdown (and assets) rewritten by this build
        self.shell = ""
        self.partial = False  # True: mkdocs renders only the changed pages
        self.last: dict = {}
        self.before: dict[str, list[int]] = {}
        self.after: dict[str, list[int]] = {}
        self.allowed = ""
        self.pages = 0
        self.why = ""

    def sync(self, files: dict[str, bytes], shell_parts: dict) -> None:
        """Write `files` into docs/ (only those that differ), drop the rest; decide full or partial."""
        self.docs.mkdir(parents=True, exist_ok=True)
        for rel, data in files.items():
            path = self.docs / rel
            try:
                same = path.stat().st_size == len(data) and path.read_bytes() == data
            except OSError:
                same = False
            if not same:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                self.changed.add(rel)
        for path in sorted(self.docs.rglob("*"), reverse=True):  # children before their folders
            rel = path.relative_to(self.docs).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        # the page set is part of the shell: adding or removing a page changes every page's nav
        self.shell = _digest({**shell_parts, "files": sorted(files)})
        self.last = self._state()
        index = self.site / "search" / "search_index.json"  # SearchMerge needs the last one
        self.partial = self.reuse and self.last.get("shell") == self.shell and index.is_file()
        self.pages = sum(1 for rel in files if rel.endswith(".md"))
        if not self.reuse:
            self.why = "完整生成"
        elif not self.last:
            self.why = "没有上次成功生成的页面可沿用"
        elif self.last.get("shell") != self.shell:
            self.why = "导航、页面目录、网站设置或生成程序有变化"
        else:
            self.why = "上次的搜索索引不在了"
        self.state_file.unlink(missing_ok=True)  # not trusted again until this build succeeds
        if self.partial:  # the outputs as the last build left them, without walking 6,000 files again
            recorded = self.last.get("outputs")
            self.before = recorded if isinstance(recorded, dict) else self.outputs()
        else:
            shutil.rmtree(self.site, ignore_errors=True)

    def _state(self) -> dict:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def outputs(self) -> dict[str, list[int]]:
        """Every output file with its size and modification time, to tell what mkdocs rewrote."""
        out: dict[str, list[int]] = {}
        for dirpath, _dirs, names in os.walk(self.site):
            for name in names:
                path = os.path.join(dirpath, name)
                st = os.stat(path)
                out[os.path.relpath(path, self.site)] = [st.st_size, st.st_mtime_ns]
        return out

    @property
    def summary(self) -> str:
        """What this build rendered and why, for the build's log."""
        if not self.partial:
            return f"公开网站：{self.pages} 个页面全部重新生成（{self.why}）"
        changed = sorted(rel for rel in self.changed if rel.endswith(".md"))
        if not changed:
            return f"公开网站：{self.pages} 个页面都没有变化，沿用上次结果"
        named = "、".join(changed[:3]) + (f" 等 {len(changed)} 个" if len(changed) > 3 else "")
        return (f"公开网站：只重新生成有变化的页面（{named}），其余 {self.pages - len(changed)} 个页面"
                "沿用上次结果")

    def written(self) -> list[Path]:
        """Output files written by this build (all of them after a full build). A file changed after
        this walk (a .gz the finisher writes last) only counts as written again next time: finished
        twice, never missed."""
        self.after = self.outputs()
        return [self.site / rel for rel in sorted(self.after) if self.before.get(rel) != self.after[rel]]

    def scan_all(self, allowed: Iterable[str]) -> bool:
        """Whether the privacy scan must read every file, not only the written ones: after a full build,
        or when the numbers allowed on the site changed (an unchanged page may hold one no longer allowed)."""
        self.allowed = _digest(sorted(allowed))
        return not (self.partial and self.last.get("allowed") == self.allowed)

    def save(self) -> None:
        """After the output passed its checks: the next build may render only what changed."""
        state = {"shell": self.shell, "allowed": self.allowed, "outputs": self.after}
        self.state_file.write_text(json.dumps(state), encoding="utf-8")


class Publish:
    """Copy the cache's site into out_dir (the staging folder): first every file but the .gz copies, while
    the page finisher may still be writing those (at county scale it finished ~1.7 s after mkdocs, and
    copying took ~1.8 s), then the .gz copies once it is done.

    A file the last build published unchanged is hard-linked from the published folder instead of copied.
    Unchanged means the same size and modification time as the cache's file (copy2 keeps the time;
    mkdocs and the .gz step give a file they rewrite a new one), and a time older than `started` less
    RACY_NS, so that a file system with a coarse clock cannot pass off a file rewritten by this build.
    Never linked from the cache itself, whose files mkdocs rewrites in place: the live site would change
    during the next build. The published folder is never written into, only swapped out whole
    (build.py staged()).
    """

    def __init__(self, site: Path, out_dir: Path, published: Path | None, started: int):
        self.site, self.out_dir, self.published = Path(site), Path(out_dir), published
        self.before_ns = started - RACY_NS

    def all_but_gz(self) -> None:
        self._walk(gz=False)

    def gz(self) -> None:
        """Once the finisher is done: the folder is walked again, as it was writing them meanwhile."""
        self._walk(gz=True)

    def _walk(self, gz: bool) -> None:
        for dirpath, _dirs, names in os.walk(self.site):
            rel_dir = os.path.relpath(dirpath, self.site)
            if not gz:
                (self.out_dir / rel_dir).mkdir(parents=True, exist_ok=True)
            for name in names:
                if name.endswith(".gz") == gz:
                    self._one(rel_dir, name)

    def _one(self, rel_dir: str, name: str) -> None:
        source, target = os.path.join(self.site, rel_dir, name), self.out_dir / rel_dir / name
        if self.published is not None:
            old = self.published / rel_dir / name
            if _same_file(source, old, self.before_ns):
                try:
                    os.link(old, target)
                    return
                except OSError:  # another file system, or links not allowed: a copy is always right
                    pass
        shutil.copy2(source, target)


def _same_file(a: str, b: Path, before_ns: int) -> bool:
    try:
        sa, sb = os.stat(a), os.stat(b, follow_symlinks=False)
    except OSError:
        return False
    return (stat.S_ISREG(sb.st_mode) and sa.st_mtime_ns < before_ns
            and (sa.st_size, sa.st_mtime_ns) == (sb.st_size, sb.st_mtime_ns))


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def tool_digest(config_file: Path, overrides: Path) -> str:
    """The code, theme and packages every page is rendered with."""
    from generator.build_cache import GENERATOR, _hash_tree, code_digest

    files: dict[str, str] = {}
    if overrides.is_dir() and not overrides.is_relative_to(GENERATOR):
        _hash_tree(overrides, "overrides", files)
    files["mkdocs.yml"] = hashlib.sha256(Path(config_file).read_bytes()).hexdigest()
    return _digest({"files": files, "code": code_digest()})


class QuietDirty(logging.Filter):
    """Drop mkdocs' warning about --dirty builds: here the shell key makes them exact."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


class SearchMerge(BasePlugin):
    """After the theme's search plugin wrote the index of the re-rendered pages: put back the entries of
    the pages not re-rendered, taken from the last build's index, in the order a full build writes.

    The merged index goes straight to the page finisher. With `only_fresh`, only the re-rendered pages'
    entries are scanned for personal numbers: the others passed the last build's scan against the same
    allowed numbers, and entries are scanned apart anyway (JSON punctuation separates them). At county
    scale the whole 32 MB index took ~1.1 s to scan on every one-page rebuild."""

    def __init__(self, partial: bool, finisher=None, only_fresh: bool = False):
        super().__init__()
        self.partial = partial
        self.finisher = finisher
        self.only_fresh = only_fresh
        self.previous: dict[str, list[dict]] = {}
        self.order: list[str] = []
        self.rendered: set[str] = set()

    @staticmethod
    def _path(config) -> Path:
        return Path(config.site_dir) / "search" / "search_index.json"

    def on_pre_build(self, *, config):
        if self.partial and self._path(config).is_file():
            self.previous = _by_page(json.loads(self._path(config).read_text(encoding="utf-8"))["docs"])

    def on_nav(self, nav, *, config, files):  # noqa: ARG002 - mkdocs signature
        # the order a full build indexes pages in; Page.url, as the index's locations ("" for home)
        self.order = [f.page.url for f in files.documentation_pages() if f.page is not None]
        return nav

    def on_page_context(self, context, *, page, config, nav):  # noqa: ARG002 - mkdocs signature
        self.rendered.add(page.url)
        return context

    def on_post_build(self, *, config):
        path = self._path(config)
        if not self.partial or not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        fresh = _by_page(index["docs"])
        docs: list[dict] = []
        for url in self.order:
            docs.extend(fresh.get(url, []) if url in self.rendered else self.previous.get(url, []))
        index["docs"] = docs
        data = _index_bytes(index)
        path.write_bytes(data)
        if self.finisher is not None:
            new = [entry for url in self.order if url in self.rendered for entry in fresh.get(url, [])]
            part = _index_bytes({**index, "docs": new}) if self.only_fresh else None
            self.finisher.take(path, data, part)


def _index_bytes(index: dict) -> bytes:
    """The theme's own layout of the file (plugins/search/plugin.py): both builds match byte for byte."""
    return json.dumps(index, separators=(",", ":"), default=str).encode("utf-8")


def _by_page(entries: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entry in entries:
        out.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    return out
