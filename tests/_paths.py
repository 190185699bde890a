"""Where tests find their inputs: the frozen fixture tree, never the office's live content/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# content/ frozen at the sample's 2025-01 state; schemas/ and mkdocs.yml link to the repository's own.
FIXTURE = REPO / "tests" / "fixtures" / "tree"


def copy_fixture_tree(dest: Path, *, mkdocs: bool = True) -> Path:
    """content/, schemas/ and mkdocs.yml of the fixture tree copied into `dest` (a repository root)."""
    import shutil

    for name in ("content", "schemas"):
        shutil.copytree(FIXTURE / name, dest / name)
    if mkdocs:
        shutil.copy2(FIXTURE / "mkdocs.yml", dest / "mkdocs.yml")
    return dest
