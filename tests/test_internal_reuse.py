"""What a rebuild of the internal site takes from build/.cache/: the charts and the form's config are drawn
and written again only when what they show changed, unchanged pages are hard links to the cached copies,
and the result is byte for byte what a build without any cache makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _paths import REPO, copy_fixture_tree, edit, files_of

from generator.build import build
from generator.form import admin
from generator.render import charts
from generator.render.page_reuse import CACHE

RETURN = "content/returns/2024-12/changjiang.yaml"
TOWN = "content/town.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_fixture_tree(tmp_path / "repo")


@pytest.fixture()
def drawn(monkeypatch) -> list[str]:
    """The charts drawn and the form configs written as YAML, in order."""
    calls: list[str] = []
    for name in ("org_chart", "responsibility_matrix", "grid"):
        real = getattr(charts, name)
        monkeypatch.setattr(charts, name, lambda *a, _real=real, _name=name, **k: (calls.append(_name),
                                                                                    _real(*a, **k))[1])
    real_config = admin.config_text
    monkeypatch.setattr(admin, "config_text", lambda cfg: (calls.append("config.yml"), real_config(cfg))[1])
    return calls


def _internal(root: Path, reuse: bool = True) -> list[str]:
    lines: list[str] = []
    build(root, public=False, pdf=False, reuse=reuse, log=lines.append)
    return lines


def _same_as_a_build_without_cache(repo: Path, tmp_path: Path, *changed: str) -> None:
    whole = copy_fixture_tree(tmp_path / "whole")
    for rel in changed:
        (whole / rel).write_bytes((repo / rel).read_bytes())
    _internal(whole, reuse=False)
    partial, full = files_of(repo / "build" / "internal"), files_of(whole / "build" / "internal")
    assert sorted(partial) == sorted(full)
    assert [rel for rel in full if partial[rel] != full[rel]] == []


def _has_form(repo: Path) -> bool:
    return admin.bundle_dir(repo).joinpath("decap-cms.js").is_file()


def test_a_changed_return_reuses_the_charts_and_the_form_config(repo: Path, tmp_path: Path, drawn: list[str]):
    _internal(repo)
    form = ["config.yml"] if _has_form(repo) else []
    assert drawn == [*form, "org_chart", "responsibility_matrix", "grid"]  # the form is written first
    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    lines = _internal(repo)
    partial = "内部网站：只重新生成数据有变化的页面（index.html、hazards.html、"
    assert any(line.startswith(partial) for line in lines)
    assert drawn == [*form, "org_chart", "responsibility_matrix", "grid"]  # nothing drawn or written again
    _same_as_a_build_without_cache(repo, tmp_path, RETURN)


def test_a_renamed_village_redraws_the_charts_and_rewrites_the_form_config(repo: Path, tmp_path: Path,
                                                                           drawn: list[str]):
    _internal(repo)
    grid_before = (repo / "build/internal/charts/grid.svg").read_text(encoding="utf-8")
    assert "青山村示例" in grid_before
    drawn.clear()
    edit(repo, TOWN, "name: 青山村示例\n", "name: 青山新村示例\n")
    lines = _internal(repo)
    assert any(line.endswith("个页面全部重新生成") for line in lines)  # the menus list the units
    form = ["config.yml"] if _has_form(repo) else []
    assert drawn == [*form, "org_chart", "responsibility_matrix", "grid"]
    assert "青山新村示例" in (repo / "build/internal/charts/grid.svg").read_text(encoding="utf-8")
    assert "青山新村示例" in (repo / "build/internal/grid.html").read_text(encoding="utf-8")
    if form:
        config = (repo / "build/internal/admin/config.yml").read_text(encoding="utf-8")
        assert "青山新村示例" in config and "青山村示例" not in config
    _same_as_a_build_without_cache(repo, tmp_path, TOWN)


def test_unchanged_pages_are_links_and_a_rebuild_never_writes_into_them(repo: Path, tmp_path: Path):
    _internal(repo)
    page = repo / "build/internal/units/changjiang.html"
    other = repo / "build/internal/units/nibaxi.html"
    kept = tmp_path / "kept.html"  # another name of the page a reader has open while the next build runs
    os.link(page, kept)
    before = kept.read_bytes()
    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    _internal(repo)
    assert kept.read_bytes() == before  # replaced in build/internal/, not written into
    assert page.read_bytes() != before
    cached = repo / CACHE / "pages" / "units" / "nibaxi.html"
    assert other.stat().st_ino == cached.stat().st_ino  # unchanged: the cached copy itself
    _same_as_a_build_without_cache(repo, tmp_path, RETURN)


def test_page_keys_are_the_same_in_another_process(repo: Path):
    """Keys must not depend on the process (PYTHONHASHSEED orders sets and dict-of-set differently)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}

    def run(seed: str) -> str:
        args = ["build", "--only", "internal", "--root", str(repo)]
        proc = subprocess.run([sys.executable, "-m", "generator", *args], env={**env, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout + proc.stderr

    run("1")
    edit(repo, RETURN, "  workers: 6\n", "  workers: 7\n")
    out = run("2")
    assert "内部网站：只重新生成数据有变化的页面（index.html、hazards.html、" in out
