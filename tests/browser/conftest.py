"""Fixtures for browser tests: built sites served on localhost, and Debian's Chromium via Playwright."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.analyse import analyse
from generator.build import load_checked
from generator.render import public

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tree"  # frozen inputs
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host: quiet, and a missing page gets the site's own 404.html, as nginx's error_page and
    GitHub Pages serve it."""

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@pytest.fixture(scope="session")
def serve_dir():
    """Start a tiny HTTP server for a folder on 127.0.0.1; returns its base URL. Stopped at the end."""
    servers = []

    def start(directory: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 functools.partial(_Quiet, directory=str(directory)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    content = load_checked(FIXTURE)
    out = tmp_path_factory.mktemp("browser-site")
    public.render(content, analyse(content, {}), out, root=FIXTURE, strict=True)
    return out


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("public_hostile", ROOT / "tests" / "test_public_hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_hostile(tmp_path_factory.mktemp("browser-hostile"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it must not: console errors, script errors, dialogs, foreign requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []


@pytest.fixture
def open_page(browser):
    """open_page(width, height, js=True) → (page, watch); every non-localhost request is aborted."""
    contexts = []

    def make(width: int = 1280, height: int = 800, js: bool = True, locale: str | None = None):
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=js,
                                      locale=locale)
        contexts.append(context)
        watch = Watch()

        def route(r):
            host = urlsplit(r.request.url).hostname
            if urlsplit(r.request.url).scheme in ("http", "https") and host not in ("127.0.0.1", "localhost"):
                watch.foreign.append(r.request.url)
                r.abort()
            else:
                r.continue_()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

        def dialog(d):
            watch.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        return page, watch

    yield make
    for context in contexts:
        context.close()
