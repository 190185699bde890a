"""Local preview: build the public site, serve site/ on localhost, rebuild when sources change.

A plain polling loop and http.server: no extra dependency, and a failed rebuild keeps the last
good site/ (the build swaps folders atomically) while the error is printed.
"""

from __future__ import annotations

import errno
import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.errors import UsageProblem, ZhiqianError
from generator.paths import CONTENT, SCHEMAS, SITE

WATCHED = (CONTENT, SCHEMAS, "mkdocs.yml",
           "generator/render/templates/public", "generator/render/static/public")


def snapshot(root: Path) -> dict[str, float]:
    """Modification time of every watched file."""
    out: dict[str, float] = {}
    for name in WATCHED:
        base = root / name
        files = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for f in files:
            if not f.is_file():
                continue
            try:
                out[str(f)] = f.stat().st_mtime
            except FileNotFoundError:  # removed between listing and stat
                pass
    return out


def rebuild(root: Path, echo: Callable[[str], None]) -> bool:
    from generator.build import build

    try:
        build(root, public=True, internal=False, pdf=False)
    except ZhiqianError as e:
        echo(f"错误：{e.message}")
        return False
    echo("已重新生成公开网站。")
    return True


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


def serve(root: Path, port: int = 8000, *, interval: float = 1.0,
          echo: Callable[[str], None] = print) -> None:
    root = Path(root).resolve()
    handler = functools.partial(_Quiet, directory=str(root / SITE))
    try:  # bind before the first build, so a taken port is reported at once
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageProblem(f"端口 {port} 已被占用（也许另一个 zhiqian serve 还在运行）：先关掉它，"
                               f"或换一个端口，如 zhiqian serve --port {port + 1}。") from e
        raise
    rebuild(root, echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （按 Ctrl+C 停止）")
    seen = snapshot(root)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(root)
            if now != seen:
                seen = now
                echo("内容有变化，正在重新生成……")
                rebuild(root, echo)
    except KeyboardInterrupt:
        echo("已停止预览。")
    finally:
        server.shutdown()
        server.server_close()
