"""What a pull request's check reports on: the files it changed plus the files that refer to them.

The whole tree is still loaded and checked (references and the cross-file rules need it) and only the
findings are narrowed, so a selected file gets exactly the findings of a full run. A change to a file
everything depends on (settings, town, taskforce, responsibilities, a schema) selects everything.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from generator.model import Document
from generator.paths import CONTENT, SCHEMAS, kind_of

EVERYTHING_KINDS = {"settings", "town", "taskforce", "responsibilities"}


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def selection(documents: list[Document], changed: list[str]) -> set[str] | None:
    """Repository-relative paths to report on for `changed` (repository-relative, deleted ones
    included), or None for everything."""
    selected = set(changed)
    ids: set[str] = set()  # project and enterprise ids whose files changed: referred to by id
    units: set[str] = set()  # a unit's returns are compared month against month
    clues = False
    for path in changed:
        if path.startswith(f"{SCHEMAS}/"):
            return None
        if not path.startswith(f"{CONTENT}/"):
            continue
        rel = path[len(CONTENT) + 1:]
        kind = kind_of(rel)
        if kind in EVERYTHING_KINDS:
            return None
        stem = PurePosixPath(rel).stem
        if kind in ("project", "enterprise"):
            ids.add(stem)
        elif kind == "return":
            units.add(stem)
        elif kind == "clues":
            clues = True  # clues point at one another (same_as)
    for doc in documents:
        if doc.kind == "return" and PurePosixPath(doc.rel).stem in units \
                or doc.kind == "clues" and clues \
                or ids and not ids.isdisjoint(_strings(doc.data)):
            selected.add(f"{CONTENT}/{doc.rel}")
    return selected
