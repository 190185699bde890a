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


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in root/rel by `new`, as a clerk's edit (fails when `old` is not there)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, as bytes: to compare two builds byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
