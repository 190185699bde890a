"""The sidebar lists a town's projects, not a county's: it is part of every page's HTML."""

from __future__ import annotations

from pathlib import Path

from _paths import copy_fixture_tree

from generator.analyse import analyse
from generator.build import load_checked
from generator.render import public

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"


def _site(root: Path, out: Path) -> None:
    content = load_checked(root)
    public.render(content, analyse(content, {}), out, root=root)


def test_a_towns_projects_each_have_a_sidebar_entry(tmp_path: Path):
    _site(FIXTURE, tmp_path / "site")
    page = tmp_path / "site" / "projects" / "changjiang-revetment" / "index.html"
    # its sibling, in the sidebar (the page's text does not link it)
    assert 'href="../changjiang-warehouse/"' in page.read_text(encoding="utf-8")


def test_beyond_thirty_projects_the_index_lists_them_and_the_sidebar_does_not(tmp_path: Path):
    root = copy_fixture_tree(tmp_path / "repo")
    source = root / "content" / "projects" / "changjiang-revetment.yaml"
    text = source.read_text(encoding="utf-8")
    count = len(list(source.parent.glob("*.yaml")))
    for n in range(public.NAV_PROJECTS_MAX + 1 - count):
        (source.parent / f"copy-{n:02d}.yaml").write_text(
            text.replace("id: changjiang-revetment", f"id: copy-{n:02d}", 1)
                .replace("name: ", f"name: 第{n:02d}号", 1), encoding="utf-8")
    _site(root, tmp_path / "site")
    site = tmp_path / "site"
    page = (site / "projects" / "copy-07" / "index.html").read_text(encoding="utf-8")
    assert "第07号" in page  # every project keeps its page (a poster's QR points at it)
    assert "copy-08/" not in page
    index = (site / "projects" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="copy-') == public.NAV_PROJECTS_MAX + 1 - count
    assert "在页面上方的<strong>搜索框</strong>输入项目名称的一部分" in index
    assert "projects/copy-" not in (site / "index.html").read_text(encoding="utf-8")
