"""Reuse of the project pages' Markdown (render/markdown_reuse.py): after each kind of change, the pages a
rebuild takes from the last build are byte for byte what rendering them makes, and only pages that cannot
differ are taken."""

from __future__ import annotations

from pathlib import Path

import pytest
from _paths import copy_fixture_tree, edit
from jinja2 import DictLoader, Environment

from generator.analyse import analyse
from generator.build import load_checked
from generator.paths import SCHEMAS
from generator.privacy import public_view
from generator.render import markdown_reuse, public
from generator.render.markdown_reuse import FILE, SITE_READS, MarkdownReuse, template_reads

PROJECT = "content/projects/changjiang-revetment.yaml"
PAGE = "projects/changjiang-revetment.md"
RETURN = "content/returns/2024-12/changjiang.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_fixture_tree(tmp_path / "repo", mkdocs=False)


def _pages(root: Path, folder: Path | None, *, reuse: bool = True, save: bool = True):
    """The docs files with reuse from `folder`, the same rendered without any reuse, and the reuse."""
    content = load_checked(root)
    view = public_view(content, root / SCHEMAS)
    stats = analyse(content, {}).public_stats
    env = public._environment()
    reused = MarkdownReuse(folder, reuse=reuse)
    files = public._pages(view, public._Site(view, stats), env, reused)
    fresh = public._pages(view, public._Site(view, stats), env)
    if save:
        reused.save()
    return files, fresh, reused


def _projects(files: dict[str, bytes]) -> list[str]:
    """The project pages, in the order the site lists them (as they are rendered)."""
    return [rel for rel in files if rel.startswith("projects/") and rel != "projects/index.md"]


GENERATED = ["taskforce.md", "publicity.md", "stats.md", "projects/index.md"]


def test_first_build_renders_every_page_and_an_unchanged_rebuild_reuses_them_all(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 0
    assert reused.rendered == GENERATED + _projects(files) and len(_projects(files)) == 9
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 13 and reused.rendered == []


@pytest.mark.parametrize(("rel", "old", "new", "rerendered", "shows"), [
    # one project's own field: its page and the pages reading every project (publicity names them)
    (PROJECT, "  name: 何劳资示例\n", "  name: 何劳资改名\n", ["publicity.md", "projects/index.md", PAGE],
     (PAGE, "何劳资改名")),
    # a village's name: pages name their village through site.unit_name, so all of them are rendered
    ("content/town.yaml", "- id: changjiang\n  name: 长江\n", "- id: changjiang\n  name: 长江新\n",
     ["taskforce.md", "publicity.md", "projects/index.md", "all projects"],
     (PAGE, "所在村（社区）：长江新")),
    # a hotline's number: every page calling it (site.call) or reading settings
    ("content/settings.yaml", "  number: '12348'\n", "  number: '12349'\n",
     ["taskforce.md", "projects/index.md", "all projects"], (PAGE, "12349")),
    # the task force's own record (site.view.taskforce): its page only
    ("content/taskforce.yaml", "basis: 兴义府发〔2024〕51号 三（一）\n", "basis: 兴义府发〔2025〕1号\n",
     ["taskforce.md"], ("taskforce.md", "兴义府发〔2025〕1号")),
    # a return changes the public figures (stats), which only stats.md reads
    (RETURN, "  workers: 6\n", "  workers: 7\n", ["stats.md"], ("stats.md", "")),
])
def test_a_change_rerenders_exactly_what_it_can_change(repo: Path, tmp_path: Path, rel, old, new,
                                                        rerendered, shows):
    cache = tmp_path / "cache"
    before, _fresh, _reused = _pages(repo, cache)
    edit(repo, rel, old, new)
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh  # byte for byte what rendering every page makes
    if rerendered[-1] == "all projects":
        rerendered = [*rerendered[:-1], *_projects(files)]
    assert reused.rendered == rerendered
    page, text = shows
    assert text in files[page].decode("utf-8")
    assert files[page] != before[page]


def test_settings_read_by_an_included_template_rerender_every_page(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _pages(repo, cache)
    # shown through {% include "_minimum_wage.md" %}
    edit(repo, "content/settings.yaml", "  source: 重庆市人民政府公布的", "  source: 重庆市政府新公布的")
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.rendered == ["taskforce.md", "projects/index.md", *_projects(files)]
    assert "以重庆市政府新公布的最低工资标准" in files[PAGE].decode("utf-8")


def test_other_code_or_templates_rerender_every_page(repo: Path, tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    _pages(repo, cache)
    monkeypatch.setattr(markdown_reuse, "code_digest", lambda: "another version of project.md")
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 0
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 13


def test_a_build_that_does_not_finish_leaves_nothing_to_reuse(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _pages(repo, cache)
    assert (cache / FILE).is_file()
    _pages(repo, cache, save=False)  # failed after the Markdown: save() never ran
    assert not (cache / FILE).exists()
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 0


def test_a_full_build_reads_nothing(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _pages(repo, cache)
    files, fresh, reused = _pages(repo, cache, reuse=False)
    assert files == fresh and reused.reused == 0
    assert (cache / FILE).is_file()  # written again for the next build


def test_a_damaged_cache_file_is_ignored(repo: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _pages(repo, cache)
    (cache / FILE).write_bytes(b"\x00not marshal")
    files, fresh, reused = _pages(repo, cache)
    assert files == fresh and reused.reused == 0


# ------------------------------------------------------------------ what a template reads


def _reads(**templates: str) -> set[str] | None:
    env = Environment(loader=DictLoader({f"{name}.md": text for name, text in templates.items()}))
    return template_reads(env, "main.md")


def test_the_real_project_template_reads_settings_units_and_pending_only():
    assert template_reads(public._environment(), "project.md") == {"settings", "units", "PENDING"}


@pytest.mark.parametrize(("main", "expected"), [
    ("{{ p.name }}", set()),
    ("{{ stats.workers }} {{ settings.as_of }}", {"stats", "settings"}),
    ("{{ site.unit_name(p.village) }} {{ site.call('社保所') }}", {"units", "settings"}),
    ("{{ site['people'] }} {{ site.project_name(p.id) }}", {"people", "projects"}),
    ('{% include "part.md" %}', {"enterprises"}),
    ("{{ site.view.taskforce.office }} {{ site.view.publicity }}", {"view.taskforce", "view.publicity"}),
    ("{{ site.view.returns }}", None),  # a part of the view nobody classified
    ("{{ site.view }}", None),  # the whole view: cannot be bounded
    ("{{ site.something_new }}", None),  # an attribute nobody classified
    ("{{ site|string }}", None),  # site handed on whole
    ("{% set s = site %}{{ s.units }}", None),
    ("{% include p.template %}", None),  # which template is not known before rendering
    ("{{ site[p.key] }}", None),
])
def test_template_reads(main: str, expected):
    assert _reads(main=main, part="{{ site.enterprise_name(p.enterprise) }}") == expected


def test_every_site_attribute_says_what_it_reads(repo: Path):
    content = load_checked(repo)
    site = public._Site(public_view(content, repo / SCHEMAS), {})
    attributes = {name for name in dir(site) if not name.startswith("_")}
    assert attributes == set(SITE_READS)  # a new _Site helper must be classified in SITE_READS
