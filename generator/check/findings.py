"""Findings: what every check layer yields, and the codes they use.

A finding's `code` is stable English (tests and docs rely on it); its `message` is Chinese for staff.
Line and column are 1-based; 0 means "the whole file". Layers that know only a field path leave
line 0 and set `loc`; positions.resolve() fills in line and column later, only for files with findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

SEVERITY_ZH = {ERROR: "错误", WARNING: "警告"}

# Field path: a tuple of keys (str) and list indices (int), e.g. ("hazards", 0, "workers").
Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    file: str  # repo-relative posix path, e.g. content/returns/2024-07/nibaxi.yaml
    line: int
    column: int
    path: str  # field path, e.g. hazards[0].workers ("" for the whole file)
    message: str
    # Unresolved position: the field path to look up, and whether to point at its key (unknown field).
    loc: Loc | None = field(default=None, compare=False, repr=False)
    at_key: bool = field(default=False, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.path, self.message)

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["loc"], d["at_key"]
        return d


def format_path(loc: Loc | None) -> str:
    """("hazards", 0, "workers") → "hazards[0].workers"."""
    if not loc:
        return ""
    out: list[str] = []
    for part in loc:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}" if out else str(part))
    return "".join(out)


def at_field(code: str, file: str, loc: Loc, message: str, *, severity: str = ERROR,
             at_key: bool = False) -> Finding:
    """A finding about a field; its line and column are looked up later."""
    return Finding(code, severity, file, 0, 0, format_path(loc), message, loc=tuple(loc), at_key=at_key)


def at_mark(code: str, file: str, line: int, column: int, message: str, *, path: str = "",
            severity: str = ERROR) -> Finding:
    """A finding whose position is already known (1-based)."""
    return Finding(code, severity, file, line, column, path, message)


def count(findings: list[Finding]) -> tuple[int, int, int]:
    """(files with findings, errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return len({f.file for f in findings}), errors, len(findings) - errors
