"""The check stage: schema → references → rules. Every finding of a run is reported together.

INTERIM: loads only; the foundation issue fills in the three layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.load import load_tree
from generator.model import Document


@dataclass
class CheckResult:
    documents: list[Document]
    pages: dict[str, str]
    findings: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if getattr(f, "severity", "error") == "error"]


def check_tree(root: Path, paths: list[Path] | None = None) -> CheckResult:
    """Load and check the content under root/content (or only `paths`, with the rest as context)."""
    docs, pages = load_tree(root / "content")
    return CheckResult(documents=docs, pages=pages)
