"""Some files of content/, loaded by path on demand: what the pull-request check reads instead of the tree.

Files are found by their path, never by parsing the others: a return is returns/<month>/<unit>.yaml, a
project projects/<id>.yaml, an enterprise enterprises/<id>.yaml (rules return.period-mismatch,
return.unit-mismatch, project.id-mismatch and enterprise.id-mismatch make these errors). When a path does
not name what was asked for, the whole folder is loaded, as a full run would see it. Files that mention an
id are found with `git grep` (text, not YAML: a superset, narrowed by the rules themselves).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.check.refs import SINGLETONS, dicts, text
from generator.load import LoadResult, load_file, parse_text
from generator.model import Document
from generator.paths import CONTENT
from generator.workflow import gitio


class PartialTree:
    def __init__(self, root: Path, before: str | None):
        self.root, self.before = Path(root), before  # before: the commit the pull request started from
        self.content = self.root / CONTENT
        self.result = LoadResult()
        self.docs: dict[str, Document | None] = {}  # content-relative path → its document (None: none)
        self.whole: set[str] = set()  # folders loaded completely

    # --- loading ---
    def exists(self, rel: str) -> bool:
        """A file the whole-tree load would read (it skips hidden names: .gitkeep, editor files)."""
        return not any(part.startswith(".") for part in rel.split("/")) and os.path.isfile(self.content / rel)

    def load(self, rel: str) -> dict | None:
        """The data of one file (loaded once), or None when it is missing, unreadable or not a mapping."""
        if rel not in self.docs:
            self.docs[rel] = None
            if self.exists(rel):
                before = len(self.result.documents)
                load_file(self.result, self.content, rel, str(self.content / rel))
                if len(self.result.documents) > before:
                    self.docs[rel] = self.result.documents[-1]
        doc = self.docs[rel]
        return doc.data if doc is not None and isinstance(doc.data, dict) else None

    def load_folder(self, folder: str) -> None:
        """Every file of a folder (projects, enterprises, clues), as the whole-tree load sees it."""
        if folder in self.whole:
            return
        self.whole.add(folder)
        try:
            names = sorted(os.listdir(self.content / folder))
        except OSError:
            return
        for name in names:
            if not name.startswith(".") and os.path.isfile(self.content / folder / name):
                self.load(f"{folder}/{name}")

    def record(self, folder: str, rid: str | None) -> dict | None:
        """A project or enterprise by id. A file that does not hold that id (missing, misnamed, broken)
        loads the whole folder: the reference rules then see what a full run sees, guesses included."""
        if rid is None or folder in self.whole:
            return None
        data = self.load(f"{folder}/{rid}.yaml")
        if data is None or text(data.get("id")) not in (None, rid):
            self.load_folder(folder)
            return None
        return data

    def singletons(self) -> None:
        for name in SINGLETONS.values():
            self.load(name)

    def documents(self) -> LoadResult:
        """What was loaded, in the order of a whole-tree load (sorted paths)."""
        self.result.documents.sort(key=lambda d: d.rel)
        self.result.files.sort()
        self.result.findings.sort(key=lambda f: (f.file, f.line, f.column))
        return self.result

    # --- the pull request's "before" and text search ---
    def before_data(self, rel: str) -> dict | None:
        """A changed file as it was where the pull request started (what the others used to see)."""
        if self.before is None:
            return None
        old = gitio.show(self.root, self.before, f"{CONTENT}/{rel}")
        data = parse_text(old, rel)[0] if old is not None else None
        return data if isinstance(data, dict) else None

    def mentioning(self, values: set[str], folders: list[str]) -> list[str]:
        """Content-relative paths under folders whose text may hold any of the values."""
        needles = sorted({n for v in values if (n := needle(v))})
        if not needles:
            return []
        needles.append("\\")  # an escaped scalar may spell a value differently: such files are read too
        folders = [f"{CONTENT}/{f}" for f in folders if os.path.isdir(self.content / f)]
        return [p[len(CONTENT) + 1:] for p in gitio.files_containing(self.root, needles, folders)]


    def text_of(self, rel: str) -> str:
        """A file's raw text (to narrow what `mentioning` found before parsing it), or "" ."""
        try:
            return (self.content / rel).read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""


def may_hold(text: str, values: set[str]) -> bool:
    """Whether a file's text may hold every one of the values (spelled in any YAML way)."""
    return "\\" in text or all(needle(v) in text for v in values)


def needle(value: str) -> str:
    """The longest piece of a value that any YAML spelling of it holds verbatim: folding breaks lines
    only at spaces and quoting doubles only quote marks."""
    piece, best = "", ""
    for ch in value + " ":
        if ch.isspace() or ch in "'\"\\":
            best, piece = max(best, piece, key=len), ""
        else:
            piece += ch
    return best


def hazard_targets(data: dict) -> set[str]:
    """What the hazards of a return are about (project, enterprise or other target)."""
    out = set()
    for _, h in dicts(data.get("hazards")):
        for key in ("project", "enterprise", "other_target"):
            if text(h.get(key)):
                out.add(h[key])
    return out

