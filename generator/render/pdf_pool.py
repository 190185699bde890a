"""Rendering PDFs with weasyprint in long-lived worker processes, each PDF cached by what it prints.

A job is either finished HTML (a 通报, a 回头看 report, the publicity materials), keyed by that HTML, or a
poster's facts (analyse/posters.py), keyed by the facts plus the poster layout (templates, CSS, code,
fonts, weasyprint and segno versions: pdf.poster_layout_id()). A poster's HTML and its QR code, ~50 ms
each, are only made in the worker that renders it: a county's 3,000 posters that did not change cost a
hash each, and a change to one project re-renders that project's poster only.

Workers: one per core (at most), started by a fork server with weasyprint loaded (not forked from the
build process, whose county-sized content they would otherwise carry), warmed once, and each with one
font configuration for all its renders: weasyprint's default, a new one per render, is never freed
(~70 MB per PDF with the CJK fonts; a worker reached 1 GB after 10 posters). Workers are not recycled
(max_tasks_per_child): on Python 3.11 the pool hangs once the first workers retire. Each result carries
the worker's peak memory (VmHWM), so the bench reports it per PDF.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildFailed

EVEN_COLOPHON = ('<body class="gongwen">', '<body class="gongwen colophon-even">')


class Job:
    """One PDF to make: `rel` under the output folder, from `html` or from a poster's `facts`."""

    def __init__(self, rel: str, html: str = "", *, facts: dict | None = None):
        self.rel, self._html, self.facts, self.key = rel, html, facts, ""

    @property
    def html(self) -> str:
        """The page (a poster's is laid out on first use: the renderer itself does it in the worker)."""
        if not self._html and self.facts is not None:
            from generator.render.pdf import poster_html

            self._html = poster_html(self.facts)
        return self._html

    def cache_key(self, environment_id: str, poster_layout_id: str) -> str:
        if self.facts is not None:  # whether or not its HTML was made meanwhile
            printed = json.dumps(self.facts, ensure_ascii=False, sort_keys=True, default=str)
            return cache_key(printed, poster_layout_id)
        return cache_key(self.html, environment_id)

    def payload(self) -> tuple[str, dict | None]:
        """What the worker gets: the HTML, or the facts it lays out itself."""
        return (self._html, None) if self._html else ("", self.facts)


def cache_key(text: str, environment_id: str) -> str:
    return hashlib.sha256((environment_id + "\0" + text).encode()).hexdigest()[:32]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_FONT_CONFIG = None


def _font_config():
    """One weasyprint FontConfiguration per process. weasyprint makes a new one for every render() by
    default and never frees it (~70 MB each with the CJK fonts: a worker grew by that much per poster).
    The templates declare no @font-face, so every render sees the same fonts either way."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def _warm() -> None:
    """Worker start: import weasyprint once and load the fonts, so every later render is warm."""
    import weasyprint

    weasyprint.HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>兴义</p>").render(
        font_config=_font_config())


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB; 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def render_one(html: str, target: str, facts: dict | None = None) -> dict:
    """Render one PDF into `target` (atomically). Runs in a worker; returns what the parent checks."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    from generator.render import pdf_fonts
    from generator.render.pdf import _allowed_family, poster_html

    pdf_fonts.install()  # ~120 KB less per embedded CJK font

    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    t0 = time.perf_counter()
    tmp = f"{target}.{os.getpid()}.tmp"
    html = html or poster_html(facts)
    try:
        # data: URLs only: the templates load nothing, and text from content must not make them
        local_only = URLFetcher(allowed_protocols={"data"})
        document = weasyprint.HTML(string=html, url_fetcher=local_only).render(font_config=_font_config())
        if len(document.pages) % 2 and EVEN_COLOPHON[0] in html:
            # GB/T 9704: the 版记 is on the last, even page; a blank page goes before it when needed
            html = html.replace(*EVEN_COLOPHON, 1)
            del document  # not two laid-out documents in memory at once (hundreds of MB for a long one)
            document = weasyprint.HTML(string=html, url_fetcher=local_only).render(font_config=_font_config())
        document.write_pdf(tmp)
    finally:
        logger.removeHandler(handler)
    seconds = time.perf_counter() - t0
    size = os.path.getsize(tmp)
    # Font objects live in compressed object streams: ask weasyprint which families it embedded.
    fonts = sorted({str(getattr(f, "family", "")) for f in (getattr(document, "fonts", None) or {}).values()})
    missing = sorted(set(re.findall(r'unsupported by fonts: "(.*?)"', "\n".join(handler.messages))))
    foreign = [f for f in fonts if not _allowed_family(f)]
    if missing or foreign:
        os.unlink(tmp)
    else:
        os.replace(tmp, target)
    return {"seconds": seconds, "bytes": size, "fonts": fonts, "missing": missing, "foreign": foreign,
            "warnings": handler.messages, "pid": os.getpid(), "peak_mb": peak_rss_mb()}


def _cores() -> int:
    """CPUs this process may run on (a container may allow fewer than os.cpu_count())."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Report:
    files: list[Path] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)  # the rendering worker's peak, per PDF
    workers: int = 0
    keys: dict[str, str] = field(default_factory=dict)  # rel → cache key (the PDF in the cache folder)
    changed_issued: list[str] = field(default_factory=list)  # issued, bytes differ from the record


def _pool(n: int) -> ProcessPoolExecutor:
    try:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["weasyprint", "generator.render.pdf"])
    except ValueError:  # no fork server on this platform
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_warm)


def _render_all(unique: list[Job], cache_dir: Path, n: int, in_process: bool) -> dict[str, dict]:
    results: dict[str, dict] = {}
    if in_process or not unique:
        for job in unique:
            html, facts = job.payload()
            results[job.key] = render_one(html, str(cache_dir / f"{job.key}.pdf"), facts)
        return results
    with _pool(n) as pool:
        futures = {}
        for j in unique:
            html, facts = j.payload()
            futures[j.key] = pool.submit(render_one, html, str(cache_dir / f"{j.key}.pdf"), facts)
        failed = []
        for key, future in futures.items():
            try:
                results[key] = future.result()
            except Exception as exc:  # a crash inside weasyprint: name the PDF, not a traceback
                failed.append(f"{next(j.rel for j in unique if j.key == key)}：{exc}")
        if failed:
            raise BuildFailed("PDF 生成失败：\n" + "\n".join(failed))
    return results


def render_jobs(todo: list[Job], out_dir: Path, cache_dir: Path, *, workers: int | None = None,
                use_cache: bool = True) -> Report:
    """Render (or reuse) every job into out_dir; raise BuildFailed on a missing glyph."""
    from generator.render.pdf import environment_id, poster_layout_id

    report = Report()
    cache_dir.mkdir(parents=True, exist_ok=True)
    env_id = environment_id()
    poster_id = poster_layout_id(env_id) if any(j.facts is not None for j in todo) else ""
    pending: list[Job] = []
    for job in todo:
        job.key = job.cache_key(env_id, poster_id)
        report.keys[job.rel] = job.key
        if not (use_cache and (cache_dir / f"{job.key}.pdf").exists()):
            pending.append(job)
        else:
            report.reused.append(job.rel)
    # Several jobs with the same key render once; the longest documents first (balance across workers).
    unique = list({j.key: j for j in pending}.values())
    unique.sort(key=lambda j: -len(j.payload()[0]))
    n = max(1, min(workers or _cores(), len(unique)))
    report.workers = n if unique else 0
    # Even one PDF goes to a worker unless asked (workers=1): a county's 通报 takes ~700 MB to lay out,
    # which must not land on top of the build process and its loaded content.
    results = _render_all(unique, cache_dir, n, in_process=workers == 1)
    problems = []
    for job in pending:
        r = results[job.key]
        report.seconds[job.rel] = r["seconds"]
        report.peak_mb[job.rel] = r["peak_mb"]
        if r["missing"]:
            problems.append(f"{job.rel}：字体中没有这些字符的字形：{'、'.join(r['missing'])}"
                            "（请检查内容中的生僻字或特殊符号，改用常用写法）")
        if r["foreign"]:
            problems.append(f"{job.rel}：有字符不在字体栈中，改用了其他字体：{'、'.join(r['foreign'])}")
        report.rendered.append(job.rel)
    if problems:
        raise BuildFailed("PDF 生成失败：\n" + "\n".join(problems))
    for job in todo:
        dest = out_dir / job.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        cached = cache_dir / f"{job.key}.pdf"
        shutil.copyfile(cached, dest)
        os.utime(cached)  # recently used: kept by prune()
        report.files.append(dest)
        report.sizes[job.rel] = dest.stat().st_size
    prune(cache_dir, {j.key for j in todo})
    return report


def cached_text(cache_dir: Path, key: str) -> str:
    """The text of a cached PDF (pdftotext), itself cached beside it: the same key, the same bytes."""
    from generator.privacy_scan import pdf_text

    path = cache_dir / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        text = pdf_text(cache_dir / f"{key}.pdf")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return text


def prune(cache_dir: Path, keep: set[str], max_age_days: int = 30) -> None:
    """Drop cached PDFs (and their texts) unused for max_age_days (the cache must not grow without bound)."""
    limit = time.time() - max_age_days * 86400
    for path in cache_dir.glob("*"):
        if path.name.split(".")[0] in keep:
            continue
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass
