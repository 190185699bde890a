"""The public site in headless Chromium: phone and desktop widths, search, links, no errors, no XSS."""

from __future__ import annotations

import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def page_urls(site: Path, base: str) -> list[str]:
    """The URL of every built page (directory URLs, as a static host serves them)."""
    urls = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        urls.append(base if rel == "." else f"{base}{rel}/")
    return urls


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_home_fits_the_screen_without_horizontal_scrolling(site_dir, serve_dir, open_page, width, height):
    base = serve_dir(site_dir)
    page, watch = open_page(width, height)
    page.goto(base)
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width
    assert page.get_by_role("heading", name="第一步：留好证据").is_visible()
    assert page.locator(".zq-sample-banner").is_visible()
    assert watch.console_errors == [] and watch.page_errors == [] and watch.foreign == []


def test_every_page_fits_a_phone(site_dir, serve_dir, open_page):
    base = serve_dir(site_dir)
    page, _watch = open_page(390, 844)
    for url in page_urls(site_dir, base):
        page.goto(url)
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], url


def test_searching_deposit_finds_the_policy_page(site_dir, serve_dir, open_page):
    base = serve_dir(site_dir)
    page, watch = open_page(1280, 800)
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("保证金")
    # The theme reads the query on keyup; a phone's input method sends one when it commits the
    # characters, Playwright's insertText does not: release a key as the input method would.
    page.keyboard.press("End")
    result = page.locator(".md-search-result__item a[href*='policy/']").first
    result.wait_for(state="visible", timeout=15000)
    shown = page.locator(".md-search-result").inner_text().replace("\u200b", "")
    assert "政策解读" in shown and "工资保证金：欠薪时的“备用钱”" in shown
    assert watch.console_errors == [] and watch.page_errors == []


def test_no_console_errors_and_no_foreign_requests_on_any_page(site_dir, serve_dir, open_page):
    base = serve_dir(site_dir)
    page, watch = open_page(1280, 800)
    for url in page_urls(site_dir, base):
        page.goto(url, wait_until="load")
    page.goto(base, wait_until="networkidle")  # includes the search worker and its index
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.foreign == []


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "link" and a.get("href"):
            self.hrefs.append(a["href"])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - localhost only
            return r.status, r.read().decode("utf-8", errors="replace")
    except HTTPError as e:
        return e.code, ""


def test_every_internal_link_and_anchor_resolves(site_dir, serve_dir):
    base = serve_dir(site_dir)
    host = urlsplit(base).netloc
    fetched: dict[str, tuple[int, Links]] = {}

    def get(doc: str) -> tuple[int, Links]:
        if doc not in fetched:
            code, body = fetch(doc)
            links = Links()
            if doc.endswith(("/", ".html")):
                links.feed(body)
            fetched[doc] = (code, links)
        return fetched[doc]

    broken: list[str] = []
    for url in page_urls(site_dir, base):
        for href in get(url)[1].hrefs:
            target = urljoin(url, href)
            if urlsplit(target).netloc != host:
                continue
            doc, fragment = urldefrag(target)
            code, links = get(doc)
            if code != 200:
                broken.append(f"{url} → {href} ({code})")
            elif fragment and unquote(fragment) not in links.ids:
                broken.append(f"{url} → {href} (没有这个锚点)")
    assert broken == []
    assert len(fetched) >= 20


def test_every_page_is_readable_without_javascript(site_dir, serve_dir, open_page):
    base = serve_dir(site_dir)
    page, watch = open_page(390, 844, js=False)
    page.goto(base)
    assert page.get_by_role("heading", name="第一步：留好证据").is_visible()
    assert page.locator(".zq-sample-banner").is_visible()
    for url in page_urls(site_dir, base):
        page.goto(url)
        article = page.locator("article")
        assert article.is_visible(), url
        assert len(article.inner_text()) > 40, url
    page.goto(base + "stats/")
    assert page.locator(".zq-bar").first.is_visible()
    assert watch.foreign == []


def test_hostile_content_runs_nothing_in_chromium(hostile_dir, serve_dir, open_page):
    base = serve_dir(hostile_dir)
    page, watch = open_page(1280, 800)
    for url in page_urls(hostile_dir, base):
        page.goto(url, wait_until="load")
    page.goto(base + "faq/")
    for text in ("点这里", "又一个", "普通文字"):
        page.get_by_text(text, exact=True).first.click()
    page.goto(base + "projects/yangliu-bridge/")
    page.get_by_text("点我", exact=False).first.hover()
    assert page.get_by_role("heading", level=1).inner_text().startswith("</title><script>")
    assert watch.dialogs == []
    assert watch.page_errors == []
    assert watch.foreign == []


def test_the_watch_does_see_a_script_that_runs(tmp_path, serve_dir, open_page):
    """Control for the test above: a page that does run a script is caught."""
    (tmp_path / "index.html").write_text("<p>x</p><img src=x onerror=alert(1)>", encoding="utf-8")
    page, watch = open_page()
    page.goto(serve_dir(tmp_path), wait_until="load")
    page.wait_for_function("document.images[0].complete")
    assert watch.dialogs == ["1"]
