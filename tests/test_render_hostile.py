"""Hostile text in every free-text field never runs in the internal site, its SVG charts or the PDF HTML.

The shipped content is loaded, then every string field whose schema leaves it free (no enum, no
pattern, not an id) gets a hostile suffix: markup, an attribute break-out, a javascript: link in
Markdown, a Jinja expression. The original text stays in front, so look-ups by name still work.
The public site has its own tests (tests/test_public_hostile.py); Chromium loads these pages in
tests/browser/test_internal_hostile_browser.py.
"""

from __future__ import annotations

import copy
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.analyse import analyse, gongwen, posters
from generator.build import load_checked
from generator.privacy import _resolve, load_schemas
from generator.render import internal, pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

HOSTILE = ('<script>alert(1)</script>"><img src=x onerror=alert(2)>'
           "'><svg onload=alert(3)>{{ 7*7 }}{% raw %}[点我](javascript:alert(4))")

pytestmark = pytest.mark.slow


def _poison(value, schema, root: dict, counter: list[int]):
    """value with HOSTILE appended to every free-text string (schema-guided)."""
    schema = _resolve(schema, root)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return {k: _poison(v, props.get(k, {}), root, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, schema.get("items", {}), root, counter) for v in value]
    free = ("enum" not in schema and "pattern" not in schema and "const" not in schema
            and "format" not in schema)
    if isinstance(value, str) and free and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        counter[0] += 1
        return value + HOSTILE
    return value


def hostile_content():
    """The shipped content with HOSTILE in every free-text field; returns (content, fields poisoned)."""
    content = copy.deepcopy(load_checked(FIXTURE))
    schemas = load_schemas(FIXTURE / "schemas")
    n = [0]
    for name in ("settings", "town", "taskforce", "responsibilities"):
        setattr(content, name, _poison(getattr(content, name), schemas[name], schemas[name], n))
    for name, kind in (("projects", "project"), ("enterprises", "enterprise"), ("returns", "return")):
        records = getattr(content, name)
        for key in records:
            records[key] = _poison(records[key], schemas[kind], schemas[kind], n)
    content.publicity = [_poison(e, schemas["publicity"], schemas["publicity"], n) for e in content.publicity]
    clue_item = schemas["clues"]["properties"]["clues"]["items"]
    content.clues = [_poison(c, clue_item, schemas["clues"], n) for c in content.clues]
    # a name carrying the hostile text must still be found where it is looked up by its unit id
    return content, n[0]


def build_hostile_internal(out: Path):
    content, _ = hostile_content()
    tables = analyse(content, {})
    internal.render(content, tables, {}, out)
    return content, tables


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("internal-hostile")
    content, tables = build_hostile_internal(out)
    return {"content": content, "tables": tables, "out": out}


class Active(HTMLParser):
    """Anything that could run: script elements, event-handler attributes, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "frame", "base", "meta"):
            if tag != "meta" or any(k == "http-equiv" for k, _ in attrs):
                self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if tag == "link" and value == "data:,":
                continue  # the pages' own "no favicon" link
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and re.match(
                    r"\s*(javascript|vbscript|data):", value, re.I):
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def active(markup: str) -> list[str]:
    parser = Active()
    parser.feed(markup)
    parser.close()
    return parser.found


def visible(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_hostile_content_reaches_many_fields():
    _, poisoned = hostile_content()
    assert poisoned > 300  # names, titles, descriptions, summaries, measures, notes… across every kind


def test_no_internal_page_or_chart_holds_anything_active(hostile):
    files = sorted(hostile["out"].rglob("*.html")) + sorted(hostile["out"].rglob("*.svg"))
    assert len(files) > 20
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert active(text) == [], f.relative_to(hostile["out"])
        assert "<script" not in text and "<img src=x" not in text and "<svg onload" not in text, f


def test_internal_pages_show_the_hostile_text_as_text(hostile):
    out = hostile["out"]
    register = (out / "register.html").read_text(encoding="utf-8")
    name = hostile["content"].projects["yangliu-bridge"]["name"]
    assert name in visible(register)  # shown whole, as the user typed it
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in register
    assert "{{ 7*7 }}" in visible(register) and ">49<" not in register  # no template evaluation
    assert '<a href="javascript' not in register  # Markdown in a name stays text
    unit = next((out / "units").glob("*.html")).read_text(encoding="utf-8")
    assert "&lt;svg onload=alert(3)&gt;" in unit or "&lt;svg onload=alert(3)&gt;" in register


def test_hostile_text_in_svg_charts_parses_back_intact(hostile):
    import xml.etree.ElementTree as ET

    for chart in sorted((hostile["out"] / "charts").glob("*.svg")):
        root = ET.fromstring(chart.read_text(encoding="utf-8"))  # well-formed: nothing broke out
        texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith(("text", "title")))
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "foreignObject", "image", "a", "iframe"}, chart.name
        if chart.stem == "org":
            assert "<script>alert(1)</script>" in texts


def test_bulletin_and_lookback_html_escape_content_text(hostile):
    content, tables = hostile["content"], hostile["tables"]
    docs = tables.documents
    kinds = {d.kind for d in docs}
    assert kinds == {gongwen.MONTHLY, gongwen.LOOKBACK}
    for doc in docs:
        html = pdf.document_html(doc)
        assert active(html) == [], doc.filename
        assert "<script>alert" not in html and "<img src=x" not in html, doc.filename
        assert "{{ 7*7 }}{% raw %}" in visible(html), doc.filename  # the issuer's name, not evaluated
    monthly = next(d for d in docs if d.kind == gongwen.MONTHLY and d.facts.get("hazards", {}))
    html = pdf.document_html(monthly)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the issuer, at least, is hostile text
    assert content.settings["bulletin"]["issuer"] in visible(html)


def test_poster_html_escapes_content_text_and_the_qr_link(hostile):
    content = hostile["content"]
    project = {**content.projects["yangliu-bridge"],
               "yuxinma": {"posted": True, "url": 'https://x.example/"><svg/onload=alert(5)>'}}
    facts = posters.poster(content, project)
    html = pdf.poster_html(facts)
    assert active(html) == []
    assert "<svg/onload" not in html and "<script>alert" not in html
    assert project["name"] in visible(html)
    assert 'https://x.example/"><svg/onload=alert(5)>' in visible(html)  # printed as text under the QR


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 'https://x.example/"><svg onload=alert(1)>'])
def test_a_default_yuxinma_link_that_is_not_a_web_address_is_refused(tmp_path, url):
    """It is encoded into every poster's QR code: validate must stop anything but http(s)."""
    import shutil

    from click.testing import CliRunner

    from generator.cli import cli

    for name in ("content", "schemas"):
        shutil.copytree(FIXTURE / name, tmp_path / name)
    settings = tmp_path / "content" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "\nyuxinma_default_url: null\n" in text
    settings.write_text(text.replace("\nyuxinma_default_url: null\n", f"\nyuxinma_default_url: '{url}'\n"),
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert ("yuxinma_default_url：字段“渝薪码默认链接”（yuxinma_default_url）"
            "应为以 http:// 或 https:// 开头、不含空格、引号和尖括号的网址") in result.output


def test_a_site_url_with_markup_cannot_break_out_of_the_canonical_link(tmp_path):
    """settings.site.url passes its schema (https, no space, ends in /) with quotes and tags in it;
    mkdocs-material writes site_url into <link rel="canonical"> unescaped, so it must arrive encoded."""
    from generator.render import public

    content = copy.deepcopy(load_checked(FIXTURE))
    content.settings["site"]["url"] = 'https://x.example/"><script>alert(1)</script>/'
    public.render(content, analyse(content, {}), tmp_path, root=FIXTURE, strict=True)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"',
                          (tmp_path / "projects" / "school-track" / "index.html").read_text(encoding="utf-8"))
    assert canonical.group(1) == "https://x.example/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E/projects/school-track/"
