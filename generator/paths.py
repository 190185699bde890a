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
    for match, kind in _KIND_MATCHERS.get(rel.count("/"), ()):
        if match(rel):
            return kind
    return None


def _matchers() -> dict[int, list]:
    """KIND_PATTERNS as compiled fnmatch patterns, grouped by depth ("*" would match a "/" too): a county
    has 30,000 files to sort, and for each only the patterns of its own depth are tried."""
    import re
    from fnmatch import translate

    out: dict[int, list] = {}
    for pattern, kind in KIND_PATTERNS:
        out.setdefault(pattern.count("/"), []).append((re.compile(translate(pattern)).match, kind))
    return out


_KIND_MATCHERS = _matchers()


def return_path(month: str, unit: str) -> str:
    return f"returns/{month}/{unit}.yaml"
