"""Precompressed copies of the public site's text files (issue 12: workers on slow mobile data).

`index.html.gz` beside `index.html`, and so on for every text asset, written by the build: nginx's
`gzip_static on` (README, deploy) and most static hosts serve them to any browser that accepts gzip, with
no compression work per request. Reproducible: no file name or time in the gzip header. The one home of
this step (.ci/deploy only copies what the build wrote). Brotli would save ~15 % more but needs another
package and an nginx module most hosts lack; not done.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"})
MIN_BYTES = 256  # smaller files gain nothing: the gzip header and a request cost more


def compressed(path: Path) -> bool:
    """Whether a file of this name gets a .gz copy (when it is at least MIN_BYTES long)."""
    return path.suffix.lower() in TEXT_SUFFIXES


def precompress(folder: Path, only: Iterable[Path] | None = None) -> int:
    """Write <file>.gz beside every text file of `folder` (or of `only`, the files a partial build wrote
    again); returns how many were written."""
    candidates = sorted(Path(folder).rglob("*") if only is None else only)
    paths = [p for p in candidates if compressed(p) and p.is_file()]
    # zlib lets go of the GIL while it compresses: two threads use both cores on a large site
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return sum(pool.map(lambda p: write_gz(p.read_bytes(), str(p) + ".gz"), paths))


def write_gz(data: bytes, target: str) -> int:
    """`data` gzipped into `target` (1), or nothing when it is too small to gain (0)."""
    if len(data) < MIN_BYTES:
        return 0
    with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9,
                                                  mtime=0) as out:
        out.write(data)
    return 1
