"""Where things live: the content folders and their schema kinds, and the output folders."""

from pathlib import Path

CONTENT = "content"
SCHEMAS = "schemas"
SITE = "site"
INTERNAL = Path("build") / "internal"

# content-relative path → schema kind. Order matters: first match wins.
KIND_PATTERNS: list[tuple[str, str]] = [
    ("settings.yaml", "settings"),
    ("town.yaml", "town"),
    ("taskforce.yaml", "taskforce"),
    ("responsibilities.yaml", "responsibilities"),
    ("projects/*.yaml", "project"),
    ("enterprises/*.yaml", "enterprise"),
    ("returns/*/*.yaml", "return"),
    ("clues/*.yaml", "clues"),
    ("publicity/*.yaml", "publicity"),
    ("issued/*.yaml", "issued"),
]


def kind_of(rel: str) -> str | None:
    """The schema kind of a content-relative posix path, or None when it is not a data file."""
    from fnmatch import fnmatchcase

    for pattern, kind in KIND_PATTERNS:
        if fnmatchcase(rel, pattern) and rel.count("/") == pattern.count("/"):
            return kind
    return None


def return_path(month: str, unit: str) -> str:
    return f"returns/{month}/{unit}.yaml"
