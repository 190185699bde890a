"""Hostile content (script tags, javascript: links, HTML in names) never executes on the public site.

A tmp copy of the repository's content is edited with hostile strings in public fields and in a
hand-written page; the built HTML must show them as text and contain nothing that runs.
The browser tests load the same site in Chromium (tests/browser/).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.analyse import analyse
from generator.build import load_checked
from generator.render import public

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

pytestmark = pytest.mark.slow

# (file under content/, text to replace, hostile replacement). Every value stays schema-valid.
EDITS = [
    ("projects/yangliu-bridge.yaml", "name: 杨柳便民桥建设工程（示例）",
     "name: '</title><script>alert(\"name\")</script>杨柳桥<img src=x onerror=alert(1)>（示例）'"),
    ("projects/yangliu-bridge.yaml", "location: 杨柳三组河段",
     "location: '[点我](javascript:alert(2)) <a href=\"javascript:alert(3)\">链接</a>'"),
    ("projects/yangliu-bridge.yaml", "general_contractor: 重庆路桥建设工程有限公司",
     "general_contractor: '</li></ul><script>alert(4)</script>**粗** | 表格 | {: onclick=\"alert(4)\" }'"),
    ("projects/yangliu-bridge.yaml", "yuxinma:\n  posted: false",
     # quotes and angle brackets are refused by the schema; what passes it is still encoded
     "yuxinma:\n  posted: true\n  url: 'https://x.example/?next=javascript:alert(5)&x=1'"),
    ("publicity/2024-12-04-law-day.yaml", "title: 全国法治宣传日根治欠薪专场宣传",
     "title: '<svg onload=alert(6)>法治宣传日'"),
    ("publicity/2024-12-04-law-day.yaml",
     "summary: 12月4日全国法治宣传日，在农贸市场设站宣传根治欠薪法律法规，"
     "推广“渝悦·根治欠薪”应用。",
     "summary: '<iframe src=\"javascript:alert(7)\"></iframe>` code` 12月4日全国法治宣传日。'"),
    ("taskforce.yaml", "name: 李俊", "name: '<b onmouseover=alert(8)>李俊</b>'"),
    ("town.yaml", "name: 社保所", "name: '社保所<script>alert(9)</script>'"),
    ("settings.yaml", "sample_data: true", "sample_data: false"),
]

HOSTILE_PAGE = """

## 恶意内容测试

<script>alert(10)</script>
<img src="x" onerror="alert(11)">
<a href="javascript:alert(12)">点这里</a>
[又一个](javascript:alert(13))
<iframe src="https://evil.example/"></iframe>
<div onclick="alert(14)" style="background:url(https://evil.example/x.png)">普通文字</div>
<img src="https://evil.example/track.gif">
"""

HOSTILE_FRONT_MATTER = """---
title: '</title><script>alert(15)</script>指南'
description: '"><script>alert(16)</script>'
template: evil.html
---
"""


def hostile_root(tmp: Path) -> Path:
    """A repository root in `tmp` whose content carries the hostile strings above."""
    root = tmp / "repo"
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    for rel, old, new in EDITS:
        path = root / "content" / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    guide = root / "content" / "pages" / "guide.md"
    guide.write_text(HOSTILE_FRONT_MATTER + guide.read_text(encoding="utf-8"), encoding="utf-8")
    faq = root / "content" / "pages" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + HOSTILE_PAGE, encoding="utf-8")
    return root


def build_hostile(tmp: Path) -> Path:
    root = hostile_root(tmp)
    content = load_checked(root)
    out = tmp / "site"
    out.mkdir()
    public.render(content, analyse(content, {}), out, root=root, strict=True)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


class Active(HTMLParser):
    """Things in a page that could run: scripts, event handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "frame"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self._script = True
            src = dict(attrs).get("src") or ""
            if src and not src.startswith(("/assets/", "../", "assets/")):
                self.found.append(f"script src={src}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if value and re.match(r"\s*(javascript|vbscript|data):", value, re.I) and name in (
                    "href", "src", "action", "formaction", "xlink:href"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.scripts.append(data)


def test_nothing_active_in_any_page(site):
    for page in sorted(site.rglob("*.html")):
        parser = Active()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], page.relative_to(site)
        assert not [s for s in parser.scripts if "alert" in s], page.relative_to(site)


def test_hostile_names_are_shown_as_text(site):
    html = (site / "projects" / "yangliu-bridge" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html or "&#60;script&#62;" in html
    from html import unescape

    visible = unescape(re.sub(r"<[^>]+>", "", html))
    assert '</title><script>alert("name")</script>杨柳桥<img src=x onerror=alert(1)>（示例）' in visible
    assert "[点我](javascript:alert(2))" in visible
    assert "**粗** | 表格 |" in visible


def test_unsafe_yuxinma_link_cannot_break_out_of_its_attribute(site):
    html = (site / "projects" / "yangliu-bridge" / "index.html").read_text(encoding="utf-8")
    assert "<svg/onload" not in html
    assert 'href="https://x.example/?next=javascript:alert%285%29&amp;x=1"' in html


def test_hand_written_page_is_sanitised(site):
    html = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert "恶意内容测试" in html and "普通文字" in html  # the harmless text stays
    assert "evil.example" not in html  # no frame, no remote image, no remote CSS
    assert "javascript:" not in html


def test_nav_and_titles_escape_project_names(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<svg onload" not in html and "<b onmouseover" not in html, page


def test_front_matter_of_hand_written_pages_is_escaped(site):
    html = (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/title&gt;&lt;script&gt;alert(15)&lt;/script&gt;指南" in html  # shown as text
    assert "<title>维权指南 - " in html
    assert "<script>alert(16)" not in html


def test_no_banner_when_sample_data_is_false(site):
    for page in site.rglob("*.html"):
        assert "zq-sample-banner" not in page.read_text(encoding="utf-8"), page
