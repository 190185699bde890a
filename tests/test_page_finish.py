"""The page finisher (render/page_finish.py): the privacy scan and the .gz copies done in worker processes
while mkdocs renders give the same site and the same findings as in the build's own process."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from _paths import copy_fixture_tree, files_of

from generator.build import build
from generator.errors import BuildFailed
from generator.paths import SITE
from generator.render import page_finish, public
from generator.render.page_finish import PageFinisher

MOBILE = "13912345678"  # a mobile number nobody publishes
ID_NUMBER = "110101199003074258"  # check digit valid


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>工资</p>" * 60, encoding="utf-8")
    (site / "b.html").write_text(f"<p>联系 {MOBILE[:3]}&#32;{MOBILE[3:]}</p>" + "x" * 300, encoding="utf-8")
    (site / "search").mkdir()
    index = '{"docs":[{"text":"\\u8eab\\u4efd ' + ID_NUMBER + '"}]}'  # JSON escapes, as the theme writes
    (site / "search" / "search_index.json").write_text(index, encoding="utf-8")
    (site / "small.css").write_text("p{}", encoding="utf-8")
    return site


@pytest.mark.parametrize("workers", [0, 2])
def test_written_files_are_scanned_and_compressed_in_and_out_of_process(tmp_path: Path, workers: int):
    site = _site(tmp_path)
    written = sorted(p for p in site.rglob("*") if p.is_file())
    finisher = PageFinisher({"12333"}, workers=workers)
    try:
        found = finisher.finish(site, written, scan_all=False)
    finally:
        finisher.close()
    assert [(rel, hit.kind, hit.digits) for rel, hit in found] == [
        ("b.html", "手机号", MOBILE), ("search/search_index.json", "身份证号", ID_NUMBER)]
    page = site / "a" / "index.html"
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()
    assert not (site / "small.css.gz").exists()  # under 256 bytes: not worth a copy


def test_an_allowed_number_is_no_finding_and_unwritten_files_are_scanned_only_when_asked(tmp_path: Path):
    site = _site(tmp_path)
    finisher = PageFinisher({MOBILE}, workers=0)
    assert finisher.finish(site, [site / "a" / "index.html"], scan_all=False) == []
    assert not (site / "b.html.gz").exists()  # not written by this build: left as it is
    again = PageFinisher({MOBILE}, workers=0)
    assert [rel for rel, _hit in again.finish(site, [], scan_all=True)] == ["search/search_index.json"]
    assert not (site / "search" / "search_index.json.gz").exists()  # scanned, not rewritten


def test_a_site_finished_by_workers_is_byte_for_byte_the_in_process_one(tmp_path: Path, monkeypatch):
    inline = copy_fixture_tree(tmp_path / "inline")
    build(inline, internal=False, pdf=False)
    pooled = copy_fixture_tree(tmp_path / "pooled")
    monkeypatch.setattr(public, "WORKERS_FROM_PAGES", 1)  # the fixture's ~20 pages go to two workers
    seen = []
    real = page_finish.PageFinisher.__init__

    def spy(self, allowed, *, workers):
        seen.append(workers)
        real(self, allowed, workers=workers)

    monkeypatch.setattr(page_finish.PageFinisher, "__init__", spy)
    build(pooled, internal=False, pdf=False)
    assert seen == [2]
    a, b = files_of(inline / SITE), files_of(pooled / SITE)
    assert sorted(a) == sorted(b) and any(rel.endswith(".html.gz") for rel in a)
    assert [rel for rel in a if a[rel] != b[rel]] == []


def test_a_personal_number_in_a_page_stops_the_build_through_the_workers(tmp_path: Path, monkeypatch):
    root = copy_fixture_tree(tmp_path / "repo")
    monkeypatch.setattr(public, "WORKERS_FROM_PAGES", 1)
    # past the content check: a number a template prints from a field the check does not read
    monkeypatch.setattr(public.public_md, "md_escape", _leak(public.public_md.md_escape))
    with pytest.raises(BuildFailed) as err:
        build(root, internal=False, pdf=False)
    assert "公开网站含有个人信息，已停止发布" in str(err.value)
    assert f"疑似手机号（{MOBILE[:3]}" in str(err.value)
    assert not (root / SITE).exists()  # nothing published


def _leak(real):
    def md_escape(value):
        return real(value) + f" {MOBILE}"

    return md_escape


@pytest.mark.parametrize("workers", [0, 2])
def test_a_file_taken_whole_is_compressed_whole_and_scanned_only_in_its_new_part(tmp_path: Path, workers):
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    old = '{"location":"a/","text":"' + ID_NUMBER + '"}'  # scanned by the last build (which stopped on it)
    new = '{"location":"b/","text":"' + MOBILE + '"}'
    data = ('{"docs":[' + old + "," + new + "]}" + " " * 300).encode()
    index.write_bytes(data)
    finisher = PageFinisher(set(), workers=workers)
    try:
        finisher.take(index, data, ('{"docs":[' + new + "]}").encode())
        found = finisher.finish(tmp_path, [index], scan_all=False)
    finally:
        finisher.close()
    assert [(rel, hit.digits) for rel, hit in found] == [("search/search_index.json", MOBILE)]
    assert gzip.decompress(index.with_name("search_index.json.gz").read_bytes()) == data
