"""Outputs depend on the commit, not on the clock or the network."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.build import build
from generator.render.pdf import render_one

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs


def test_sitemap_dates_are_the_as_of_date(tmp_path):
    for part in ("content", "schemas"):
        shutil.copytree(FIXTURE / part, tmp_path / part)
    shutil.copy2(FIXTURE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    build(tmp_path, internal=False, pdf=False)
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2025-01-20"}


def test_pdfs_fetch_nothing_from_the_network(tmp_path):
    html = '<p style="font-family: Noto Serif CJK SC">兴义 <img src="http://example.com/x.png"></p>'
    result = render_one(html, str(tmp_path / "t.pdf"))
    assert (tmp_path / "t.pdf").is_file()
    assert any("disallowed protocol: http://example.com/x.png" in w for w in result["warnings"])
