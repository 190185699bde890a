"""Chromium loads every page of an internal site built from hostile content: nothing runs.

The content is tests/test_render_hostile.py's: a script, an attribute break-out, an event handler,
a javascript: Markdown link and a Jinja expression appended to every free-text field.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def internal_hostile(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("render_hostile", ROOT / "tests" / "test_render_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("internal-hostile-browser")
    module.build_hostile_internal(out)
    return out


def test_hostile_internal_site_runs_nothing_in_chromium(internal_hostile, serve_dir, open_page):
    base = serve_dir(internal_hostile)
    page, watch = open_page(1280, 800)
    pages = sorted(p.relative_to(internal_hostile).as_posix() for p in internal_hostile.rglob("*.html"))
    assert "register.html" in pages and len(pages) > 15
    for rel in pages + ["charts/org.svg", "charts/matrix.svg", "charts/grid.svg"]:
        page.goto(base + rel, wait_until="load")
    page.goto(base + "register.html", wait_until="load")
    page.get_by_text("[点我](javascript:alert(4))", exact=False).first.hover()
    assert "<script>alert(1)</script>" in page.locator("body").inner_text()
    assert watch.dialogs == []
    assert watch.page_errors == []
    assert watch.foreign == []
