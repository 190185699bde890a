"""The home page as a worker on slow mobile data gets it: bytes and first paint, with and without compression.

    python bench/bench_page_weight.py            # 3 cold loads each way, medians
    python bench/bench_page_weight.py --runs 5

Builds the public site from the shipped content (`zhiqian build --only public`, which writes a .gz beside
every text file), serves it on 127.0.0.1 the way nginx does with `gzip_static on` ("gzip": the .gz copy to a
browser that accepts gzip) or a host that does not compress ("plain"), and loads the home page in Debian's
Chromium with the cache off and the network throttled through the DevTools protocol to 400 kbit/s both ways
and 400 ms round trips (a cheap phone on a weak 3G/EDGE signal). Reports, per mode: bytes on the wire until
the load event, first contentful paint, and the load event.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
KBIT = 400
LATENCY_MS = 400


class Host(http.server.SimpleHTTPRequestHandler):
    """A static host; `gzip_static` decides whether it sends the .gz copy to a browser that accepts it."""

    gzip_static = False

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if self.gzip_static and "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
            body = packed.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Bytes(body)
        return super().send_head()


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def build_site(tmp: Path) -> Path:
    root = tmp / "root"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    subprocess.run([sys.executable, "-m", "generator", "build", "--only", "public", "--root", str(root)],
                   check=True, capture_output=True, cwd=REPO)
    return root / "site"


def serve(site: Path, gzip_static: bool) -> http.server.ThreadingHTTPServer:
    handler = type("H", (Host,), {"gzip_static": gzip_static})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def load_once(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = KBIT * 1000 / 8  # bytes per second
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                   "downloadThroughput": rate, "uploadThroughput": rate})
    wire: list[float] = []
    cdp.on("Network.loadingFinished", lambda e: wire.append(e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=120000)
    # the paint entry is recorded a frame after the paint itself: wait for it (buffered observer)
    timing = page.evaluate("""() => new Promise(done => {
        new PerformanceObserver((list, observer) => {
            const fcp = list.getEntriesByName('first-contentful-paint')[0];
            if (!fcp) return;
            observer.disconnect();
            done({fcp: fcp.startTime, load: performance.getEntriesByType('navigation')[0].loadEventStart});
        }).observe({type: 'paint', buffered: true});
    })""")
    context.close()
    return {"bytes": sum(wire), **timing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="zhiqian-weight-") as tmp:
        site = build_site(Path(tmp))
        home = site / "index.html"
        raw = home.stat().st_size
        packed = (site / "index.html.gz").stat().st_size
        print(f"首页 index.html：{raw / 1024:.1f} KB，预压缩 index.html.gz：{packed / 1024:.1f} KB")
        print(f"网络：{KBIT} kbit/s，往返 {LATENCY_MS} ms，不用缓存，360 px 宽；{args.runs} 次取中位数\n")
        print(f"{'服务方式':<24}{'传输字节':>12}{'首次内容绘制':>14}{'load 事件':>12}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for label, gzip_static in (("不压缩（plain）", False), ("预压缩 gzip_static", True)):
                server = serve(site, gzip_static)
                url = f"http://127.0.0.1:{server.server_address[1]}/"
                runs = [load_once(browser, url) for _ in range(args.runs)]
                server.shutdown()
                server.server_close()
                med = {k: statistics.median(r[k] for r in runs) for k in ("bytes", "fcp", "load")}
                print(f"{label:<24}{med['bytes'] / 1024:>10.1f} KB{med['fcp'] / 1000:>12.2f} s"
                      f"{med['load'] / 1000:>10.2f} s")
            browser.close()


if __name__ == "__main__":
    main()
