"""decap-server, the form's local backend: a git repository on this machine, no forge needed.

`zhiqian serve` and the browser tests start it bound to 127.0.0.1 in git mode (every entry a branch,
editorial workflow) and stop it when they stop.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator.form.admin import REPO

SERVER = Path("cms") / "node_modules" / "decap-server" / "dist" / "index.js"


def server_script(root: Path) -> Path | None:
    for base in (Path(root), REPO):
        if (base / SERVER).is_file():
            return base / SERVER
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalBackend:
    process: subprocess.Popen
    url: str  # the proxy API, e.g. http://127.0.0.1:PORT/api/v1

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(repo: Path, root: Path, *, timeout: float = 30.0,
          env: dict[str, str] | None = None) -> LocalBackend:
    """Start decap-server for the git repository `repo`; raise RuntimeError (Chinese) if it cannot."""
    script = server_script(root)
    node = shutil.which("node") or shutil.which("nodejs")
    if script is None or node is None:
        raise RuntimeError("没有找到 decap-server 或 Node.js：请运行 .ci/setup 安装在线填报程序。")
    port = free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git",
           "GIT_REPO_DIRECTORY": str(Path(repo).resolve()), "LOG_LEVEL": "warn", **(env or {})}
    process = subprocess.Popen([node, str(script)], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    backend = LocalBackend(process, f"http://127.0.0.1:{port}/api/v1")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"decap-server 启动失败（退出码 {process.returncode}）。")
        try:
            request = urllib.request.Request(backend.url, data=b'{"action":"info"}',
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                return backend
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    backend.stop()
    raise RuntimeError("decap-server 在 30 秒内没有响应。")
