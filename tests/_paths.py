"""Where tests find their inputs: the frozen fixture tree, never the office's live content/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# content/ frozen at the sample's 2025-01 state; schemas/ and mkdocs.yml link to the repository's own.
FIXTURE = REPO / "tests" / "fixtures" / "tree"
