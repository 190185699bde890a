"""One build: load → check → provenance → analyse → render. Gather everything first, write last.

Outputs are rendered into staging folders beside their targets and swapped in only when every
step succeeded, so a failed build leaves the last good site/ and build/internal/ in place. With
`reuse`, an output whose inputs hash the same as at its last good build is kept (build_cache.py).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import build_cache
from generator.analyse import Tables, analyse
from generator.check import check_tree
from generator.errors import ContentInvalid, stage
from generator.model import Content, assemble
from generator.paths import INTERNAL, SITE

if TYPE_CHECKING:
    from generator.form.admin import ConfigCache


@dataclass
class BuildReport:
    content: Content | None  # None when every output was reused (nothing was loaded)
    tables: Tables | None
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rebuilt: list[str] = field(default_factory=list)  # what was rebuilt or reused, and why


def load_checked(root: Path, snap: build_cache.Snapshot | None = None) -> Content:
    """Load and check everything; raise ContentInvalid (nothing written) when there are errors.
    With `snap` (a build with reuse), files whose hash is unchanged are not parsed again (parse_cache.py)."""
    from generator.parse_cache import FILE

    with stage("校验", "content/"):  # warnings unplaced: shown only when errors stop the build
        result = check_tree(root, place_warnings=False, cache=None if snap is None else root / FILE,
                            hashes=None if snap is None else snap.files)
    if result.errors:
        from generator.check import place
        from generator.reporters import render_text

        raise ContentInvalid("内容校验未通过，未生成任何文件：\n" + render_text(place(root, result.findings)))
    with stage("校验", "content/"):
        return assemble(result.documents, result.pages, root / "content")


PDF_FOLDERS = ("bulletins", "posters")


@contextmanager
def staged(target: Path, keep: Callable[[str], bool] = lambda _name: False):
    """Yield a staging folder; on success it replaces `target` in one rename.

    The stage starts empty except for the entries of the current `target` whose names `keep`
    accepts: a partial build (`--only pdf`) must not drop the parts it does not rebuild.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = target.with_name(f".{target.name}.staging")
    old = target.with_name(f".{target.name}.old")
    recover_swap(target)
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    stage.mkdir()
    if target.is_dir():
        for entry in target.iterdir():
            if keep(entry.name):
                copy = shutil.copytree if entry.is_dir() else shutil.copy2
                copy(entry, stage / entry.name)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if target.exists() and _exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)  # it now holds the previous output
        return
    if target.exists():
        target.rename(old)
    stage.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE): no moment without `b`."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def recover_swap(target: Path) -> None:
    """Put back the last good output if a build was killed between its two renames."""
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():
        old.rename(target)


@contextmanager
def build_lock(root: Path, log: Callable[[str], None]):
    """One build at a time per repository: a second `build` (or a `serve` rebuild) waits for the first.

    An flock on build/.lock: the kernel releases it when the holder dies, so a killed build never
    leaves a stale lock behind.
    """
    lock_dir = root / "build"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("另一个生成正在进行（zhiqian build 或 serve），等待它结束后再生成……")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(root: Path, *, public: bool = True, internal: bool = True, pdf: bool = True,
          strict: bool = False, reuse: bool = False,
          log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Build every output from root/content. `strict` turns mkdocs warnings into errors; `reuse`
    keeps an output whose inputs hash the same as at its last good build (build_cache.py)."""
    # Absolute from here on: mkdocs resolves a relative site_dir against its config file's folder.
    root = Path(root).resolve()
    t0 = time.perf_counter()
    wanted = [name for name, on in (("public", public), ("internal", internal), ("pdf", pdf)) if on]
    snap = build_cache.snapshot(root, strict=strict, stages=wanted)
    timings = {"hash": time.perf_counter() - t0}
    if reuse and (root / build_cache.RECORD).is_file():  # no record: nothing to reuse, write nothing
        with build_lock(root, log):
            plan = build_cache.plan(root, snap)
            if plan.all_reused:  # same content, schemas and code as a build that passed the check
                snap.save_stats()
                return _reused(plan, timings, log)
    t = time.perf_counter()
    # Writes nothing but the parse cache: invalid content stops here, before any output is written.
    content = load_checked(root, snap if reuse else None)
    snap.save_stats()
    timings["check"] = time.perf_counter() - t
    with build_lock(root, log):
        plan = build_cache.plan(root, snap, force=not reuse)  # again: another build may have run meanwhile
        return _build(root, content, timings, plan, snap, strict=strict, reuse=reuse, log=log)


def _reused(plan: build_cache.Plan, timings: dict, log: Callable[[str], None]) -> BuildReport:
    report = BuildReport(content=None, tables=None, timings=timings)
    for decision in plan.decisions.values():
        log(decision.message)
        report.rebuilt.append(decision.message)
    for note in plan.notes:
        log(note)
    return report


def _write_form(content: Content, root: Path, internal_stage: Path, log: Callable[[str], None],
                cache: ConfigCache | None = None) -> None:
    """The staff web form (admin/); a machine without the npm package gets a warning, not a failure."""
    from generator.form import admin as cms

    if not (content.settings.get("forge") or {}).get("repo"):
        log(f"警告：settings.yaml 没有 forge.repo（仓库在哪个平台），在线填报表单 {INTERNAL}/admin/ 未生成。")
        return
    if cms.write(content, root, internal_stage / "admin", cache=cache):
        log(f"在线填报：{INTERNAL}/admin/")
        cms.copy_screenshots(root, internal_stage / "admin-howto")
    else:
        log(cms.MISSING.format(where=f"{INTERNAL}/admin/"))


def _build(root: Path, content: Content, timings: dict, plan: build_cache.Plan, snap: build_cache.Snapshot, *,
           strict: bool, reuse: bool, log: Callable[[str], None]) -> BuildReport:
    report = BuildReport(content=content, tables=None, timings=timings)
    report.rebuilt = [decision.message for decision in plan.decisions.values()]
    todo = [stage for stage, decision in plan.decisions.items() if not decision.reuse]
    public, internal, pdf = ("public" in todo), ("internal" in todo), ("pdf" in todo)
    notes: list[str] = []

    def note(message: str) -> None:  # a warning repeated when a later build reuses this output
        notes.append(message)
        log(message)

    if not todo:  # another build made the same outputs while this one waited for the lock
        for message in report.rebuilt:
            log(message)
        return report
    t = time.perf_counter()
    from generator import provenance

    with stage("provenance", "content/ 的 Git 历史"):
        prov = provenance.collect(root)
    timings["provenance"] = time.perf_counter() - t

    t = time.perf_counter()
    with stage("analyse", "统计表"):
        tables = analyse(content, prov, documents=pdf)  # printed documents' facts: only PDFs need them
    timings["analyse"] = time.perf_counter() - t
    if tables.history_note:
        note(f"警告：{tables.history_note}")
    from generator.analyse.dates import calendar_warnings

    for warning in calendar_warnings():
        note(warning)
    report.tables = tables
    for message in report.rebuilt:  # said once the content is known to build, before rendering starts
        log(message)
    build_cache.forget(root, todo)  # from here on the old outputs may be replaced

    # Render everything into staging folders before swapping any of them in.
    with ExitStack() as stack:
        site_stage = stack.enter_context(staged(root / SITE)) if public else None
        if internal or pdf:
            # a partial build keeps what it does not rebuild: the PDFs, or the internal pages
            def keep(name: str) -> bool:
                rebuilt = pdf if name in PDF_FOLDERS else internal
                return not rebuilt

            internal_stage = stack.enter_context(staged(root / INTERNAL, keep))
        if public:
            t = time.perf_counter()
            from generator.render import public as public_render
            from generator.render.site_cache import CACHE

            with stage("public", f"{SITE}/"):  # reuse: only the pages whose Markdown changed are rendered
                summary = public_render.render(content, tables, site_stage, root=root, strict=strict,
                                               cache=root / CACHE, reuse=reuse, published=root / SITE)
            timings["public"] = time.perf_counter() - t
            if summary:
                log(summary)
                report.rebuilt.append(summary)
            log(f"公开网站：{SITE}/")
        if internal:
            t = time.perf_counter()
            from generator.form import admin as form_admin
            from generator.render import internal as internal_render

            form_config = form_admin.ConfigCache(root / form_admin.CACHE, reuse)  # kept once all is written
            with stage("internal", f"{INTERNAL}/admin/"):  # first: the how-to page shows its screenshots
                _write_form(content, root, internal_stage, log, form_config)
            from generator.render.page_reuse import CACHE as PAGES

            with stage("internal", f"{INTERNAL}/"):  # reuse: a page whose data did not change is copied
                internal_render.render(content, tables, prov, internal_stage, root=root, cache=root / PAGES,
                                       reuse=reuse, log=lambda line: (log(line), report.rebuilt.append(line)))
            form_config.save()
            timings["internal"] = time.perf_counter() - t
            log(f"内部网站：{INTERNAL}/")
        if pdf:
            t = time.perf_counter()
            from generator.render import pdf as pdf_render

            with stage("pdf", f"{INTERNAL}/bulletins/ 和 posters/"):
                pdf_report = pdf_render.render(content, tables, internal_stage, root=root)
            for name in getattr(pdf_report, "changed_issued", None) or []:
                note(f"注意：已印发的 {name} 按登记重新生成后与印发稿的 SHA-256 不同（版式程序或字体已变），"
                    "以归档的印发稿为准。")
            timings["pdf"] = time.perf_counter() - t
            log(f"PDF：{INTERNAL}/bulletins/ 和 {INTERNAL}/posters/")
    report.outputs = [root / SITE, root / INTERNAL]
    from generator.unconfirmed import unconfirmed

    pending = unconfirmed(content)
    if pending:  # shown as 待核实 in every output, with what to do instead; listed here for the office
        note(f"待核实的事实（共 {len(pending)} 项，核实后改为 confirmed: true 或填入）：\n"
             + "\n".join(f"  - {line}" for line in pending))
    build_cache.remember(root, snap, todo, notes)  # every swap succeeded: these outputs are good
    return report
