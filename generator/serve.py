"""Local preview: build the public site, serve site/ on localhost, rebuild when sources change.

A plain polling loop and http.server: no extra dependency, and a failed rebuild keeps the last
good site/ (the build swaps folders atomically) while the error is printed. /admin/ is the staff web
form against decap-server (local git, started and stopped here, bound to 127.0.0.1): staff and the office
try the form on this repository without any forge; each saved return is a branch `cms/…`.
"""

from __future__ import annotations

import errno
import functools
import http.server
import shutil
import signal
import subprocess
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
        build(root, public=True, internal=False, pdf=False, reuse=True)
    except ZhiqianError as e:
        echo(f"错误：{e.message}")
        return False
    echo("已重新生成公开网站。")
    return True


class _Quiet(http.server.SimpleHTTPRequestHandler):
    admin: Path | None = None  # the form's folder, served under /admin/

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass

    def translate_path(self, path: str) -> str:
        if self.admin is not None and (path == "/admin" or path.startswith("/admin/")):
            inner = super().translate_path(path.removeprefix("/admin"))
            return str(self.admin / Path(inner).relative_to(Path(self.directory)))
        return super().translate_path(path)


FORM_DIR = Path("build") / "serve-admin"


def _current_branch(root: Path) -> str | None:
    """decap-server branches off and reads the branch checked out here, not necessarily main."""
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--abbrev-ref", "HEAD"],
                         capture_output=True, text=True)
    name = out.stdout.strip()
    return name if out.returncode == 0 and name and name != "HEAD" else None


def _stop_on_sigterm() -> None:
    """`kill` (SIGTERM) stops serve like Ctrl+C, so decap-server is stopped too, never left running."""
    def handler(_signum, _frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def start_form(root: Path, echo: Callable[[str], None]):
    """decap-server on this repository and the form written for it; (None, None) with a warning otherwise."""
    from generator.build import load_checked
    from generator.form import admin as cms
    from generator.form import config as cms_config
    from generator.form import local as cms_local

    if not (root / ".git").exists():
        echo("提示：这里不是 git 仓库，在线填报（/admin/）不可用。")
        return None, None
    try:
        backend = cms_local.start(root, root)
    except RuntimeError as e:
        echo(f"警告：{e}在线填报（/admin/）不可用。")
        return None, None
    try:
        content = load_checked(root)
        cfg = cms_config.local(cms_config.config(cms.load_schemas(root), content), backend.url,
                               branch=_current_branch(root))
        shutil.rmtree(root / FORM_DIR, ignore_errors=True)
        if not cms.write(content, root, root / FORM_DIR, cfg):
            echo(cms.MISSING.format(where="/admin/"))
            backend.stop()
            return None, None
    except (ZhiqianError, OSError) as e:
        echo(f"警告：在线填报（/admin/）不可用：{e}")
        backend.stop()
        return None, None
    return backend, root / FORM_DIR


def serve(root: Path, port: int = 8000, *, interval: float = 1.0,
          echo: Callable[[str], None] = print, form: bool = True) -> None:
    root = Path(root).resolve()
    handler_class = type("_Handler", (_Quiet,), {"admin": None})
    handler = functools.partial(handler_class, directory=str(root / SITE))
    try:  # bind before the first build, so a taken port is reported at once
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageProblem(f"端口 {port} 已被占用（也许另一个 zhiqian serve 还在运行）：先关掉它，"
                               f"或换一个端口，如 zhiqian serve --port {port + 1}。") from e
        raise
    rebuild(root, echo)
    _stop_on_sigterm()
    backend, admin = start_form(root, echo) if form else (None, None)
    handler_class.admin = admin
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （按 Ctrl+C 停止）")
    if admin is not None:
        echo(f"在线填报：http://127.0.0.1:{server.server_address[1]}/admin/ "
             "（本机 git 仓库，每份月报一个 cms/ 分支）")
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
        if backend is not None:
            backend.stop()
