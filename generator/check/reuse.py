"""Findings of the layers that judge each document on its own, kept between builds.

A rebuild after one new return changes one file, yet the check layers judged all ~31,000 documents
again (~2 s of the check stage in a county). What those layers say about a document depends only on
its bytes and on a small context, so a build remembers each document's findings with the SHA-256 of
its bytes and one digest of that context, and takes them back when both are the same:

- the generator's code, Python and PyYAML (parse_cache.code_id) and the schema validators' packages;
- the schema files' bytes (schema layer, public fields);
- the published numbers (public phone fields of every record: a return could hold one too);
- every content file outside returns/, with the bytes of each document: settings (as_of
  for the time rules, sample_data, key days, deposit rates), town, taskforce, responsibilities, the
  projects and enterprises that references and areas point at, clues, publicity, issued records;
  files that did not load count by name (a project that fails to load is not reported as unknown).

Monthly returns are the one kind no per-document rule reads from another document, so a changed return
changes only its own entry. Clue files are always judged again: clue ids are compared across them.
The rules that compare returns with one another (a hazard carried from the month before, a zero report
contradicted by another unit) are remembered per month: what they say about the returns of a month
depends only on the returns of that month and of the month before (and the context above), so only
those months are judged again. What reads the pages runs every time.

Like the parse cache it is used by `build` only (`build --full`, `validate` and the pull-request check
never read it), is written only after a check without errors, in one rename, and a missing, corrupt or
old cache is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from generator.build_cache import write_whole
from generator.findings import Finding
from generator.model import Document
from generator.paths import CONTENT

FORMAT = 2  # raise when the shape of an entry changes
NEVER_REUSED = frozenset({"clues"})  # judged across files (clue ids are unique in every month's file)
# Packages whose behaviour the layers depend on besides the generator's own code (parse_cache.code_id
# covers that, Python and PyYAML): the schema validators.
_PACKAGES = ("jsonschema", "jsonschema-rs", "jsonschema-specifications", "referencing", "rpds-py", "regress")


def _findings(rows: tuple) -> list[Finding]:
    return [Finding(*row) for row in rows]


def _rows(findings: list[Finding]) -> tuple:
    return tuple((f.code, f.severity, f.file, f.line, f.column, f.path, f.message, f.loc, f.at_key,
                  f.stands_for) for f in findings)


class CheckReuse:
    """The entries of the last build (`old`, by content-relative path: (sha, findings)) and of this one."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.context = ""
        self.old: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        # The returns' month rules: month → (digest of the returns they read, findings).
        self.old_months: dict[str, tuple] = {}
        self.new_months: dict[str, tuple] = {}
        self.month_of_file: dict[str, str] = {}  # "content/returns/…" → the month its data names

    def start(self, root: Path, documents: list[Document], files: list[str], shas: dict[str, str],
              published: set[str]) -> dict[str, list[Finding]]:
        """The remembered findings of every document that can be reused (path → findings), after working
        out this run's context. Nothing is reused when a document's bytes are not known."""
        if any(d.rel not in shas for d in documents):
            self.context = ""
            return {}
        self.context = context_digest(root, files, shas, published)
        stored = self._read()
        if stored is None or stored[0] != self.context:
            return {}
        self.old, self.old_months = stored[1], stored[2]
        out: dict[str, list[Finding]] = {}
        for doc in documents:
            entry = self.old.get(doc.rel)
            if entry is not None and doc.kind not in NEVER_REUSED and entry[0] == shas[doc.rel]:
                self.new[doc.rel] = entry
                out[doc.rel] = _findings(entry[1]) if entry[1] else []
        return out

    def remember(self, judged: list[Document], shas: dict[str, str], findings: list[Finding]) -> None:
        """Keep this run's findings of the documents judged again (`findings`: all the per-document layers
        said about them). Nothing is kept if a finding is about a file outside `judged`."""
        if not self.context:
            return
        by_file: dict[str, list[Finding]] = {f"{CONTENT}/{d.rel}": [] for d in judged}
        for f in findings:
            if f.file not in by_file:
                self.context = ""  # a layer broke the rule of judging each document alone: keep nothing
                return
            by_file[f.file].append(f)
        for doc in judged:
            if doc.kind not in NEVER_REUSED:
                self.new[doc.rel] = (shas[doc.rel], _rows(by_file[f"{CONTENT}/{doc.rel}"]))

    def months(self, documents: list[Document],
               shas: dict[str, str]) -> tuple[dict[str, list[Finding]], set[str]]:
        """(remembered findings of the returns' month rules by month, the months to judge again). Call
        after start(); with no context every month is judged again."""
        from generator.check.rule_kit import month_after, month_of

        by_month: dict[str, list[str]] = {}
        for doc in documents:
            if doc.kind == "return" and isinstance(doc.data, dict):
                month = month_of(doc.data.get("month"))
                if month is not None:
                    by_month.setdefault(month, []).append(doc.rel)
                    self.month_of_file[f"{CONTENT}/{doc.rel}"] = month
        # Each month's returns (paths in load order, with their bytes' digests), then each month with the
        # month before: the returns a month's findings depend on.
        parts = {month: hashlib.sha256("\0".join(f"{rel}\0{shas.get(rel, '')}" for rel in rels).encode()
                                       ).hexdigest() for month, rels in by_month.items()}
        remembered: dict[str, list[Finding]] = {}
        judge: set[str] = set()
        for month in by_month:
            digest = f"{parts.get(month_after(month, -1), '')}:{parts[month]}"
            entry = self.old_months.get(month) if self.context else None
            if entry is not None and entry[0] == digest:
                self.new_months[month] = entry
                remembered[month] = _findings(entry[1])
            else:
                judge.add(month)
                self.new_months[month] = (digest, ())
        return remembered, judge

    def remember_months(self, judged: set[str], findings: list[Finding]) -> None:
        """Keep this run's findings of the month rules on the months judged again."""
        if not self.context:
            return
        by_month: dict[str, list[Finding]] = {m: [] for m in judged}
        for f in findings:
            month = self.month_of_file.get(f.file)
            if month not in by_month:
                self.context = ""  # a finding outside the months judged: keep nothing
                return
            by_month[month].append(f)
        for month in judged:
            self.new_months[month] = (self.new_months[month][0], _rows(by_month[month]))

    def write(self) -> None:
        """Write this run's entries (only those of documents still there), unless they are the last run's."""
        if not self.context:
            return
        if self.new.keys() == self.old.keys() and all(self.new[k] is self.old[k] for k in self.new) \
                and self.new_months.keys() == self.old_months.keys() \
                and all(self.new_months[k] is self.old_months[k] for k in self.new_months):
            return
        try:
            blob = marshal.dumps((FORMAT, self.context, self.new, self.new_months))
        except ValueError:  # a value marshal cannot write: the next build judges everything again
            return
        write_whole(self.path, blob)

    def _read(self) -> tuple[str, dict, dict] | None:
        try:
            with open(self.path, "rb") as f:
                stored = marshal.loads(f.read())
            if isinstance(stored, tuple) and len(stored) == 4 and stored[0] == FORMAT \
                    and isinstance(stored[1], str) and all(isinstance(x, dict) for x in stored[2:]):
                return stored[1], stored[2], stored[3]
        except (OSError, EOFError, ValueError, TypeError):
            pass
        return None


def context_digest(root: Path, files: list[str], shas: dict[str, str], published: set[str]) -> str:
    """Everything besides a document's own bytes that the per-document layers read (see the module doc)."""
    from importlib.metadata import PackageNotFoundError, version

    from generator.parse_cache import code_id
    from generator.paths import SCHEMAS

    h = hashlib.sha256(f"{FORMAT}\0{code_id()}\0".encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=\0".encode())
    for path in sorted(Path(root, SCHEMAS).glob("*.schema.json")):
        h.update(f"{path.name}\0".encode() + path.read_bytes() + b"\0")
    h.update(("\0".join(sorted(published)) + "\0\0").encode())
    for rel in files:  # no file under returns/ is read by another document's rules (nor counts as unloaded)
        if not rel.startswith("returns/"):
            h.update(f"{rel}\0{shas.get(rel, '')}\0".encode())
    return h.hexdigest()
