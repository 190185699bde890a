"""Page-level reuse of the public site (render/site_cache.py): after one return changed, only the pages
showing it are rendered again, the build says so, and the site is byte for byte what a full build makes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from _paths import copy_fixture_tree, edit, files_of

from generator.build import build
from generator.errors import BuildFailed
from generator.paths import SITE
from generator.render.markdown_reuse import FILE as MARKDOWN
from generator.render.site_cache import CACHE

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"
RETURN = "content/returns/2024-12/changjiang.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_fixture_tree(tmp_path / "repo")


def _public(root: Path, reuse: bool = True) -> list[str]:
    lines: list[str] = []
    build(root, internal=False, pdf=False, reuse=reuse, log=lines.append)
    return [line for line in lines if line.startswith("公开网站：") and "个页面" in line]


def test_one_changed_return_renders_only_the_stats_page_and_equals_a_full_build(repo: Path, tmp_path: Path):
    first = _public(repo)
    assert len(first) == 1 and first[0].endswith("全部重新生成（没有上次成功生成的页面可沿用）")
    pages = int(first[0].split("：")[1].split(" 个页面")[0])
    assert pages > 10

    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    again = _public(repo)
    assert again == [f"公开网站：只重新生成有变化的页面（stats.md），其余 {pages - 1} 个页面沿用上次结果"]
    stats = (repo / SITE / "stats" / "index.html").read_text(encoding="utf-8")

    whole = copy_fixture_tree(tmp_path / "whole")
    shutil.copy2(repo / RETURN, whole / RETURN)
    assert _public(whole, reuse=False) == [f"公开网站：{pages} 个页面全部重新生成（完整生成）"]
    assert (whole / SITE / "stats" / "index.html").read_text(encoding="utf-8") == stats
    partial, full = files_of(repo / SITE), files_of(whole / SITE)
    assert sorted(partial) == sorted(full)
    differ = [rel for rel in full if partial[rel] != full[rel]]
    assert differ == []  # the search index and the .gz copies included


def test_a_new_project_changes_every_pages_nav_so_all_are_rendered(repo: Path):
    _public(repo)
    source = next((repo / "content" / "projects").glob("*.yaml"))
    text = source.read_text(encoding="utf-8")
    old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
    (source.parent / "zz-new.yaml").write_text(text.replace(f"\nid: {old_id}\n", "\nid: zz-new\n", 1),
                                                encoding="utf-8")
    lines = _public(repo)
    assert len(lines) == 1 and lines[0].endswith("全部重新生成（导航、页面目录、网站设置或生成程序有变化）")
    assert (repo / SITE / "projects" / "zz-new" / "index.html").is_file()


def test_a_build_that_fails_its_check_leaves_nothing_to_reuse(repo: Path, monkeypatch):
    _public(repo)
    from generator.detect import Hit
    from generator.render.page_finish import PageFinisher

    hit = [("index.html", Hit("手机号", "13800001234"))]
    monkeypatch.setattr(PageFinisher, "results", lambda *_a, **_k: hit)
    edit(repo, RETURN, "  workers: 6\n", "  workers: 8\n")
    with pytest.raises(BuildFailed, match="公开网站含有个人信息"):
        _public(repo)
    assert not (repo / CACHE / "state.json").exists()
    assert not (repo / CACHE / MARKDOWN).exists()  # no project page's Markdown is trusted either
    monkeypatch.undo()
    lines = _public(repo)
    assert len(lines) == 1 and lines[0].endswith("全部重新生成（没有上次成功生成的页面可沿用）")


def _age(folder: Path, seconds: int) -> None:
    for path in folder.rglob("*"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_unchanged_files_come_from_the_published_site_and_the_cache_never_shares_a_file_with_it(
        repo: Path, monkeypatch):
    _public(repo)
    before = _inodes(repo / SITE)
    for folder in (repo / SITE, repo / CACHE):  # as if built a minute ago: a file written within the file
        _age(folder, 60)                         # system's clock tick (2 s) of this build is never linked
    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    _public(repo)
    after = _inodes(repo / SITE)
    assert after["index.html"] == before["index.html"]  # linked, not copied again
    assert after["stats/index.html"] != before["stats/index.html"]  # rendered again
    # mkdocs rewrites the cache's files in place: a shared file would change the live site mid-build
    assert not set(after.values()) & set(_inodes(repo / CACHE / "site").values())

    # a build that fails after the public render leaves the published site as it was, byte for byte
    published = files_of(repo / SITE)
    from generator.render import internal

    def broken(*_args, **_kwargs):
        raise BuildFailed("内部网站生成失败（测试）")

    monkeypatch.setattr(internal, "render", broken)
    edit(repo, RETURN, "  workers: 7\n", "  workers: 9\n")
    with pytest.raises(BuildFailed, match="测试"):
        build(repo, pdf=False)
    assert files_of(repo / SITE) == published


def test_a_changed_project_with_the_others_markdown_reused_equals_a_full_build(repo: Path, tmp_path: Path):
    _public(repo)
    assert (repo / CACHE / MARKDOWN).is_file()  # the project pages' Markdown, kept after a good build
    project = "content/projects/changjiang-revetment.yaml"
    edit(repo, project, "  name: 何劳资示例\n", "  name: 何劳资改名\n")
    lines = _public(repo)
    assert lines[0].startswith("公开网站：只重新生成有变化的页面（projects/changjiang-revetment.md）")
    page = (repo / SITE / "projects" / "changjiang-revetment" / "index.html").read_text(encoding="utf-8")
    assert "何劳资改名" in page

    whole = copy_fixture_tree(tmp_path / "whole")
    shutil.copy2(repo / project, whole / project)
    _public(whole, reuse=False)
    partial, full = files_of(repo / SITE), files_of(whole / SITE)
    assert sorted(partial) == sorted(full)
    assert [rel for rel in full if partial[rel] != full[rel]] == []


def _internal(root: Path, reuse: bool = True) -> list[str]:
    lines: list[str] = []
    build(root, public=False, pdf=False, reuse=reuse, log=lines.append)
    return [line for line in lines if line.startswith("内部网站：") and "个页面" in line]


def test_internal_pages_with_unchanged_data_are_copied_and_equal_a_full_build(repo: Path, tmp_path: Path):
    first = _internal(repo)
    assert len(first) == 1 and first[0].endswith("个页面全部重新生成")
    total = int(first[0].split("：")[1].split(" 个页面")[0])

    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    again = _internal(repo)
    assert len(again) == 1 and again[0].startswith("内部网站：只重新生成数据有变化的页面（")
    rendered = again[0].split("（", 1)[1].split("）", 1)[0]
    assert rendered.startswith("index.html、hazards.html、")  # the dashboard and the hazards' table
    assert "submissions.html" not in rendered  # the board shows no worker counts: its data is the same
    copied = int(again[0].split("其余 ")[1].split(" 个页面")[0])
    count = int(rendered.split("等 ")[1].split(" 个")[0]) if " 等 " in rendered else len(rendered.split("、"))
    assert copied == total - count and copied > total // 2

    whole = copy_fixture_tree(tmp_path / "whole")
    shutil.copy2(repo / RETURN, whole / RETURN)
    _internal(whole, reuse=False)
    partial, full = files_of(repo / "build" / "internal"), files_of(whole / "build" / "internal")
    assert sorted(partial) == sorted(full)
    assert [rel for rel in full if partial[rel] != full[rel]] == []
