"""The build run (build.py): all or nothing, and partial builds keep what they do not rebuild.

The renderers are replaced by stubs that write marker files: what is tested here is the staging
and swapping, not the pages (tests/test_public*.py, test_internal.py and test_pdf.py do those).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import build as build_module
from generator.errors import BuildFailed, ContentInvalid
from generator.render import internal, pdf, public

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(FIXTURE / "schemas", tmp_path / "schemas")
    return tmp_path


@pytest.fixture()
def stub_renderers(monkeypatch):
    calls: list[str] = []

    def fake_public(content, tables, out_dir, *, root, strict=False, **_cache):
        calls.append("public")
        (Path(out_dir) / "index.html").write_text("public", encoding="utf-8")

    def fake_internal(content, tables, prov, out_dir, *, root, **_cache):
        calls.append("internal")
        (Path(out_dir) / "index.html").write_text(f"internal {len(calls)}", encoding="utf-8")

    def fake_pdf(content, tables, out_dir, *, root):
        calls.append("pdf")
        for folder in ("bulletins", "posters"):
            (Path(out_dir) / folder).mkdir(exist_ok=True)
        (Path(out_dir) / "bulletins" / "2024-07-通报.pdf").write_text(f"pdf {len(calls)}", encoding="utf-8")

    monkeypatch.setattr(public, "render", fake_public)
    monkeypatch.setattr(internal, "render", fake_internal)
    monkeypatch.setattr(pdf, "render", fake_pdf)
    return calls


def test_full_build_writes_both_outputs(repo, stub_renderers):
    build_module.build(repo)
    assert stub_renderers == ["public", "internal", "pdf"]
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "public"
    assert (repo / "build" / "internal" / "index.html").is_file()
    assert (repo / "build" / "internal" / "bulletins" / "2024-07-通报.pdf").is_file()
    assert not list(repo.glob(".*staging"))
    # no leftovers: the record, the lock and (with the form's npm package) the cache of the form's config
    assert {p.name for p in (repo / "build").glob(".*")} - {".cache"} == {".hashes.json", ".lock"}


def test_only_pdf_keeps_the_internal_pages_and_only_internal_keeps_the_pdfs(repo, stub_renderers):
    build_module.build(repo)
    internal_dir = repo / "build" / "internal"
    build_module.build(repo, public=False, internal=False, pdf=True)
    assert (internal_dir / "index.html").read_text(encoding="utf-8") == "internal 2"
    assert (internal_dir / "bulletins" / "2024-07-通报.pdf").read_text(encoding="utf-8") == "pdf 4"
    build_module.build(repo, public=False, internal=True, pdf=False)
    assert (internal_dir / "index.html").read_text(encoding="utf-8") == "internal 5"
    assert (internal_dir / "bulletins" / "2024-07-通报.pdf").read_text(encoding="utf-8") == "pdf 4"


def test_a_failing_step_leaves_the_last_good_outputs(repo, stub_renderers, monkeypatch):
    build_module.build(repo)

    def broken(*args, **kwargs):
        raise BuildFailed("公开网站含有个人信息，已停止发布")

    monkeypatch.setattr(pdf, "render", broken)
    with pytest.raises(BuildFailed):
        build_module.build(repo)
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "public"
    assert (repo / "build" / "internal" / "index.html").read_text(encoding="utf-8") == "internal 2"
    assert not list(repo.glob(".site.*")) and not list((repo / "build").glob(".internal.*"))


def test_invalid_content_writes_nothing(repo, stub_renderers):
    settings = repo / "content" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("due_day: 25", "due_day: -1"),
                        encoding="utf-8")
    with pytest.raises(ContentInvalid) as info:
        build_module.build(repo)
    assert "内容校验未通过，未生成任何文件" in info.value.format_message()
    assert "content/settings.yaml" in info.value.format_message()
    assert stub_renderers == []
    assert not (repo / "site").exists() and not (repo / "build").exists()


def test_the_command_builds_the_site_from_a_relative_root(repo):
    """`zhiqian build` run in the repository (root "."), as the README says: real pages in site/."""
    shutil.copy2(FIXTURE / "mkdocs.yml", repo / "mkdocs.yml")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--only", "public"], cwd=repo,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert "被欠工资了？先做这三件事" in (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert (repo / "site" / "search" / "search_index.json").is_file()
