"""Posters are cached by what they print (render/pdf_pool.py): one changed project re-renders its own
poster only, a printed setting re-renders every poster, an unprinted one none. Counted by the renderer's
own report (rendered / reused), on a copy of the fixture tree edited as staff would edit it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.analyse import posters
from generator.build import load_checked
from generator.render import pdf

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"


def _jobs(root: Path) -> list[pdf.Job]:
    content = load_checked(root)
    return [pdf.Job(f"posters/{p['id']}.pdf", facts=p) for p in posters.posters(content)]


def _text(path: Path) -> str:
    from generator.privacy_scan import pdf_text

    return pdf_text(path)


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    """Every poster of the fixture tree rendered once into a cache."""
    base = tmp_path_factory.mktemp("posters")
    shutil.copytree(FIXTURE, base / "tree")
    jobs = _jobs(base / "tree")
    report = pdf.render_jobs(jobs, base / "out", base / "cache")
    return {"base": base, "rels": sorted(j.rel for j in jobs), "report": report}


@pytest.fixture
def tree(cold, tmp_path):
    """A fresh copy of the tree and of the warm cache, for a test to edit."""
    shutil.copytree(FIXTURE, tmp_path / "tree")
    shutil.copytree(cold["base"] / "cache", tmp_path / "cache")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _again(tree: Path) -> pdf.Report:
    return pdf.render_jobs(_jobs(tree / "tree"), tree / "out", tree / "cache")


def test_a_cold_cache_renders_every_poster(cold):
    assert len(cold["rels"]) >= 5
    assert sorted(cold["report"].rendered) == cold["rels"] and cold["report"].reused == []


def test_nothing_changed_renders_nothing_and_gives_the_same_files(cold, tree):
    report = _again(tree)
    assert report.rendered == [] and sorted(report.reused) == cold["rels"]
    for rel in cold["rels"]:
        assert (tree / "out" / rel).read_bytes() == (cold["base"] / "out" / rel).read_bytes()


def test_one_changed_project_renders_its_own_poster_only(cold, tree):
    _edit(tree / "tree/content/projects/school-track.yaml", "  name: 吴劳资示例", "  name: 郑劳资示例")
    report = _again(tree)
    assert report.rendered == ["posters/school-track.pdf"]
    assert sorted(report.reused) == [r for r in cold["rels"] if r != "posters/school-track.pdf"]
    assert "郑劳资示例" in _text(tree / "out/posters/school-track.pdf")
    assert "郑劳资示例" not in _text(tree / "out/posters/changjiang-revetment.pdf")


def test_a_setting_every_poster_prints_renders_them_all(cold, tree):
    settings = tree / "tree/content/settings.yaml"
    _edit(settings, "  purpose: 法律咨询、申请法律援助", "  purpose: 法律咨询和申请法律援助")
    report = _again(tree)
    assert sorted(report.rendered) == cold["rels"] and report.reused == []
    assert "法律咨询和申请法律援助" in _text(tree / "out/posters/changjiang-revetment.pdf").replace("\n", "")


def test_a_setting_no_poster_prints_renders_none(cold, tree):
    _edit(tree / "tree/content/settings.yaml", "  platform_run_rate: 100", "  platform_run_rate: 95")
    report = _again(tree)
    assert report.rendered == [] and sorted(report.reused) == cold["rels"]


def test_a_poster_key_covers_its_layout(cold, tree, monkeypatch):
    """The poster CSS is not in the facts but in the key: a layout change renders every poster again."""
    jobs = _jobs(tree / "tree")
    env = pdf.environment_id()
    assert {j.rel: j.cache_key(env, pdf.poster_layout_id(env)) for j in jobs} == cold["report"].keys
    css = tree / "poster.css"
    css.write_bytes((pdf.TEMPLATES / "poster.css").read_bytes() + b"\n/* changed */\n")
    layout = [css if path.name == "poster.css" else path for path in pdf.POSTER_LAYOUT]
    monkeypatch.setattr(pdf, "POSTER_LAYOUT", layout)
    changed = {j.rel: j.cache_key(env, pdf.poster_layout_id(env)) for j in jobs}
    assert all(changed[rel] != key for rel, key in cold["report"].keys.items())


def test_a_worker_keeps_one_font_configuration(tmp_path, monkeypatch):
    """weasyprint's default, a new FontConfiguration per render, is never freed (~70 MB each with the CJK
    fonts): a worker grew past 1 GB after 10 posters. Every render of a process shares one."""
    import weasyprint.document
    from weasyprint.text.fonts import FontConfiguration

    from generator.render import pdf_pool

    made = []

    class Counted(FontConfiguration):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "FontConfiguration", Counted)
    monkeypatch.setattr("weasyprint.text.fonts.FontConfiguration", Counted)
    monkeypatch.setattr(pdf_pool, "_FONT_CONFIG", None)
    jobs = [pdf.Job(f"bulletins/{n}.pdf", f"<p style='font-family: \"Noto Serif CJK SC\"'>兴义镇{n}</p>")
            for n in range(3)]
    report = pdf.render_jobs(jobs, tmp_path / "out", tmp_path / "cache", workers=1)  # in this process
    assert sorted(report.rendered) == sorted(j.rel for j in jobs)
    assert len(made) == 1
