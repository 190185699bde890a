"""The loader's result for each content file, kept between builds and keyed by the file's bytes.

At county scale (~30,000 files) parsing YAML is half of the check stage, yet a rebuild after one new
return changes one file. A file whose SHA-256 and loader code are the same as at the last run gets
its document and findings from here instead of being parsed again (content hashes, never timestamps).

One file for the whole tree (build/.cache/parse.marshal): reading one 20 MB file is much faster than
opening 30,000 small ones, and marshal reads and writes plain dicts and lists several times faster
than pickle. It is written in one rename (a killed build leaves the old cache or the new one), and a
missing, corrupt or old-format cache is ignored: the files are parsed as without it. It is written only
after a check that found no errors: bad content leaves every file as it was (house rule).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path

from generator.build_cache import write_whole
from generator.findings import Finding

FILE = Path("build") / ".cache" / "parse.marshal"  # under the repository root
FINDINGS_FILE = FILE.with_name("check.marshal")  # beside it: the check layers' findings (check/reuse.py)
FORMAT = 1  # raise when the shape of an entry changes
_GENERATOR = Path(__file__).resolve().parent

# An entry: (sha256 hex, findings as tuples, data, ok, late_day, long_number); `data` is None when not ok.
Entry = tuple


def code_id() -> str:
    """What parsing depends on besides the bytes: the generator's Python code, PyYAML and Python."""
    import yaml

    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{yaml.__version__}|{yaml.__with_libyaml__}".encode())
    for dirpath, dirnames, filenames in os.walk(_GENERATOR):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    h.update(f"{os.path.relpath(path, _GENERATOR)}\0".encode() + f.read() + b"\0")
    return h.hexdigest()


class ParseCache:
    """Entries of the last run (`old`) and of this one (`new`), by content-relative path.

    `hashes` (optional): repository-relative path (content/…) → SHA-256 already computed by the caller
    (build_cache's snapshot); a file whose hash is known and matches its entry is not even read."""

    def __init__(self, path: Path, hashes: dict[str, str] | None = None):
        self.path = Path(path)
        self.code = code_id()
        self.hashes = hashes or {}
        self.old: dict[str, Entry] = self._read()
        self.new: dict[str, Entry] = {}

    def _read(self) -> dict[str, Entry]:
        try:
            with open(self.path, "rb") as f:
                stored = marshal.loads(f.read())  # marshal.load(f) reads in small pieces: 4x slower
            if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (FORMAT, self.code) \
                    and isinstance(stored[2], dict):
                return stored[2]
        except (OSError, EOFError, ValueError, TypeError):
            pass
        return {}

    def known(self, rel: str) -> Entry | None:
        """The stored entry when the caller's hash of the file matches it (no need to read the file)."""
        sha = self.hashes.get(f"content/{rel}")
        entry = self.old.get(rel)
        if sha is not None and entry is not None and entry[0] == sha:
            self.new[rel] = entry
            return entry
        return None

    def lookup(self, rel: str, sha: str) -> Entry | None:
        entry = self.old.get(rel)
        if entry is not None and entry[0] == sha:
            self.new[rel] = entry
            return entry
        return None

    def store(self, rel: str, sha: str, findings: list[Finding], data, ok: bool, late: bool,
              long: bool) -> None:
        if any(f.loc is not None or f.at_key or f.stands_for for f in findings):
            return  # only findings whose position is known are kept (the loader makes no others)
        marks = tuple((f.code, f.severity, f.file, f.line, f.column, f.path, f.message) for f in findings)
        entry = (sha, marks, data if ok else None, ok, late, long)
        if long and not _writable(entry):
            return  # a number kept as a TooLong: this file is parsed every time
        self.new[rel] = entry

    def pack(self) -> Callable[[], None] | None:
        """This run's entries (files no longer there dropped) as bytes, taken right after loading (before
        anything can change the documents they share), and the function that writes them; None when they
        are the same as the last run's."""
        if self.new.keys() == self.old.keys() and all(self.new[k] is self.old[k] for k in self.new):
            return None
        try:
            blob = marshal.dumps((FORMAT, self.code, self.new))
        except ValueError:  # a value marshal cannot write (a TooLong number): leave that file out
            blob = marshal.dumps((FORMAT, self.code, {k: e for k, e in self.new.items() if _writable(e)}))
        return lambda: self._write(blob)

    def _write(self, blob: bytes) -> None:
        write_whole(self.path, blob)


def _writable(entry: Entry) -> bool:
    try:
        marshal.dumps(entry)
    except ValueError:
        return False
    return True


def findings_of(entry: Entry) -> list[Finding]:
    return [Finding(*t) for t in entry[1]]
