"""What a worker process of page_finish.py runs for one file; kept free of mkdocs and Jinja so that a
worker starts in a fraction of a second."""

from __future__ import annotations

from generator import detect
from generator.render.compress import write_gz

_ALLOWED: frozenset[str] = frozenset()  # in a worker: the numbers the site may publish


def init(allowed: frozenset[str]) -> None:
    global _ALLOWED
    _ALLOWED = allowed


def finish_file(path: str, data: bytes | None, scan: bool, gz: bool,
                allowed: frozenset[str] | None = None, scan_part: bytes | None = None) -> list[detect.Hit]:
    """Scan `data` (None: the file's bytes) for personal numbers and write its .gz copy; the hits.
    `scan_part`: scan only these bytes, the part of `data` no earlier build has scanned."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    hits: list[detect.Hit] = []
    if scan:  # what a browser shows: undecodable bytes as U+FFFD, as scan_site reads them
        text = (data if scan_part is None else scan_part).decode("utf-8", errors="replace")
        hits = detect.find(text, _ALLOWED if allowed is None else allowed)
    if gz:
        write_gz(data, path + ".gz")
    return hits
