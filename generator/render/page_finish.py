"""The last step for every file the public build writes: the privacy scan, then its .gz copy.

At county scale mkdocs spends most of a minute on one core rendering 3,000 pages; scanning and
compressing them afterwards added several seconds more. Here each page goes, as mkdocs hands it over
(`on_post_page`: the exact text it is about to write), to worker processes on the other core, so that
work is done when mkdocs is. What mkdocs writes besides pages (search index, sitemap, 404, theme assets)
is finished from the files afterwards. A small site (a town's) is finished in the build's own process:
starting workers would cost more than they save.

The .gz copies are written into the page cache (site_cache.py) before the scan's verdict; that is safe
because nothing from there is published, nor reused by a later build, unless the whole scan passed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from generator import detect
from generator.privacy_scan import scanned
from generator.render.compress import compressed
from generator.render.finish_worker import finish_file, init

WORKERS_FROM_PAGES = 200  # below this many pages the build's own process finishes them


class _Done(Future):
    """A finished result, for the in-process path: one code path for both."""

    def __init__(self, fn, *args):
        super().__init__()
        try:
            self.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - re-raised by result(), as a pool's would be
            self.set_exception(exc)


class PageFinisher(BasePlugin):
    """mkdocs plugin (registered by public.py, last of all) plus the pool that finishes the pages."""

    def __init__(self, allowed: Iterable[str], *, workers: int):
        super().__init__()
        self.allowed = frozenset(allowed)
        self.pool: ProcessPoolExecutor | None = None
        if workers:
            # spawn, not the fork server: pdf_pool.py preloads weasyprint into that one
            spawn = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=spawn, initializer=init,
                                            initargs=(self.allowed,))
        self.futures: dict[Path, Future] = {}

    def _submit(self, path: Path, data: bytes | None, scan: bool, gz: bool,
                scan_part: bytes | None = None) -> None:
        if self.pool is None:
            self.futures[path] = _Done(finish_file, str(path), data, scan, gz, self.allowed, scan_part)
        else:
            self.futures[path] = self.pool.submit(finish_file, str(path), data, scan, gz, None, scan_part)

    def take(self, path: Path, data: bytes, scan_part: bytes | None = None) -> None:
        """A file another plugin has just written (`data`, its bytes), finished now rather than from the
        file afterwards; `scan_part`: only that part of it is new (site_cache.SearchMerge)."""
        self._submit(Path(path), data, scanned(Path(path)), compressed(Path(path)), scan_part)

    @event_priority(-100)  # after every other plugin changed the page: these are the bytes written
    def on_post_page(self, output, *, page, config):  # noqa: ARG002 - mkdocs signature
        if output.strip():  # mkdocs writes no file for an empty page
            path = Path(page.file.abs_dest_path)
            os.makedirs(path.parent, exist_ok=True)
            data = output.encode("utf-8", errors="xmlcharrefreplace")  # as mkdocs writes it
            self._submit(path, data, scanned(path), compressed(path))
        return output

    def finish(self, site: Path, written: list[Path], scan_all: bool) -> list[tuple[str, detect.Hit]]:
        """submit_rest, then results."""
        self.submit_rest(site, written, scan_all)
        return self.results(site)

    def submit_rest(self, site: Path, written: list[Path], scan_all: bool) -> None:
        """Hand over what mkdocs wrote besides pages (and, with scan_all, every other file, to be scanned)."""
        site = Path(site)
        fresh = set(written)
        others = sorted(p for p in site.rglob("*") if p.is_file()) if scan_all else sorted(fresh)
        for path in others:
            if path in self.futures:
                continue
            scan, gz = scanned(path), path in fresh and compressed(path)
            if scan or gz:
                self._submit(path, None, scan, gz)

    def results(self, site: Path) -> list[tuple[str, detect.Hit]]:
        """Wait for every file handed over; the hits as (path relative to site, hit), in path order like
        scan_site's. Until then the .gz copies may still be being written."""
        found = []
        for path in sorted(self.futures):
            rel = path.relative_to(site).as_posix()
            found.extend((rel, hit) for hit in self.futures[path].result())
        return found

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
