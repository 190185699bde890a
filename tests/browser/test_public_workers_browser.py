"""The public site as an unpaid worker meets it (issue 12): a 360 px phone, a poster's QR code after the
project is finished, a mistyped address, the search box, and axe-core's accessibility rules."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.analyse.posters import qr_target
from generator.build import load_checked

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tree"
AXE = Path(__file__).resolve().parents[1] / "tools" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = (360, 740)


def test_a_finished_projects_page_and_its_poster_qr_target_load(site_dir, serve_dir, open_page):
    content = load_checked(FIXTURE)
    finished = content.projects["xinchang-housing"]
    assert finished["status"] == "完工"
    url, _caption = qr_target(content, finished)
    base = serve_dir(site_dir)
    page, watch = open_page(*PHONE)
    response = page.goto(base + urlsplit(url).path.lstrip("/"))  # the QR's path on this host
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "新场安置房建设项目（示例）"
    assert page.get_by_text("这个工程已经完工（2024年10月28日）").is_visible()
    assert page.locator("a[href='tel:13700000105']").first.is_visible()  # the wage officer
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    assert watch.console_errors == [] and watch.page_errors == []


def test_a_missing_page_answers_in_chinese_with_hotlines_search_and_home(site_dir, serve_dir, open_page):
    base = serve_dir(site_dir)
    page, watch = open_page(*PHONE)
    response = page.goto(base + "projects/no-such-project/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "没有找到这个页面"
    assert "Not found" not in page.content()
    assert page.locator("a[href='tel:12333']").first.is_visible()
    page.locator("label.md-header__button[for=__search]").click()
    assert page.locator("input.md-search__input").is_visible()
    page.keyboard.press("Escape")
    page.get_by_role("link", name="回到首页").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="第一步：留好证据").is_visible()
    assert watch.page_errors == [] and watch.foreign == []


def search(page, base: str, query: str) -> str:
    """Type `query` into the theme's search box on a phone; the path of the first result."""
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    page.keyboard.press("End")  # the theme reads the query on keyup, as a phone's input method sends it
    first = page.locator(".md-search-result__list > li > a").first
    first.wait_for(state="visible", timeout=15000)
    return unquote(urlsplit(first.get_attribute("href")).path)


@pytest.mark.parametrize("query,expected", [
    ("渝薪码", "/"),  # the home page's step 2, not the publicity or statistics pages
    ("仲裁要钱吗", "/faq/"),
    ("欠条", "/faq/"),
    ("白条", "/faq/"),
    ("包工头", "/situations/contractor-gone/"),
    ("广厦建工", "/projects/xinchang-housing/"),  # a contractor's name finds its (finished) project
])
def test_search_puts_what_a_worker_needs_first(site_dir, serve_dir, open_page, query, expected):
    base = serve_dir(site_dir)
    page, watch = open_page(*PHONE)
    assert search(page, base, query) == expected
    assert watch.console_errors == [] and watch.page_errors == []


def axe_findings(page) -> list[str]:
    if not AXE.is_file():
        pytest.fail("未安装 npm 包 axe-core：请运行 .ci/setup（在 tests/tools 中 npm install）")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {n['target']}" for v in result["violations"]
            if v["impact"] in ("serious", "critical") for n in v["nodes"]]


@pytest.mark.parametrize("path,status", [("", 200), ("guide/", 200), ("situations/project-finished/", 200),
                                         ("projects/yangliu-bridge/", 200), ("no-such-page/", 404)])
@pytest.mark.parametrize("width", [PHONE[0], 1280])
def test_axe_core_finds_nothing_serious(site_dir, serve_dir, open_page, path, status, width):
    base = serve_dir(site_dir)
    page, _watch = open_page(width, 800)
    assert page.goto(base + path).status == status
    page.wait_for_load_state("networkidle")
    assert axe_findings(page) == []


@pytest.mark.parametrize("path", ["", "guide/", "projects/yangliu-bridge/", "no-such-page/"])
def test_phone_numbers_and_buttons_are_big_enough_to_tap(site_dir, serve_dir, open_page, path):
    base = serve_dir(site_dir)
    page, _watch = open_page(*PHONE)
    page.goto(base + path)
    # shown ones only: the search box's clear button is invisible (and scaled down) until a query is typed
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        'a[href^="tel:"], .md-header__button, .md-button, .md-search__icon')]
        .filter(e => e.offsetParent !== null && getComputedStyle(e).opacity !== "0")
        .map(e => { const r = e.getBoundingClientRect();
                    return [e.outerHTML.slice(0, 60), Math.round(r.width), Math.round(r.height)]; })""")
    assert sum(1 for s in sizes if "tel:" in s[0]) >= 3
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    assert small == []
