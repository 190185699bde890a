"""zhiqian serve's /admin/: the web form against decap-server on this repository, bound to 127.0.0.1, stopped
with serve."""

from __future__ import annotations

import functools
import http.server
import json
import signal
import subprocess
import sys
import threading
import urllib.request

import pytest
import yaml
from browser import _cms

from generator.form import admin as cms
from generator.form import local
from generator.serve import _Quiet, start_form

pytestmark = pytest.mark.skipif(not (cms.bundle_dir(_cms.FIXTURE) / "decap-cms.js").is_file(),
                                reason="Decap CMS 未安装")


def test_serve_runs_the_form_on_a_local_git_backend_and_stops_it(tmp_path):
    repo = _cms.make_repo(tmp_path / "repo")
    said: list[str] = []
    backend, admin = start_form(repo, said.append)
    assert backend is not None, said
    handler = type("_H", (_Quiet,), {"admin": admin})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with urllib.request.urlopen(f"{base}/admin/config.yml") as r:
            cfg = yaml.safe_load(r.read())
        assert cfg["backend"] == {"name": "proxy", "proxy_url": backend.url, "branch": "main"}
        assert cfg["locale"] == "zh_Hans" and backend.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base}/admin/") as r:
            assert b'<script src="decap-cms.js">' in r.read()
        request = urllib.request.Request(backend.url, data=b'{"action":"info"}',
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as r:
            info = json.loads(r.read())
        assert info["type"] == "local_git" and "editorial_workflow" in info["publish_modes"]
    finally:
        server.shutdown()
        server.server_close()
        backend.stop()
    assert backend.process.poll() is not None


def test_outside_a_git_repository_serve_says_the_form_is_unavailable(tmp_path):
    said: list[str] = []
    assert start_form(tmp_path, said.append) == (None, None)
    assert said == ["提示：这里不是 git 仓库，在线填报（/admin/）不可用。"]


def test_stopping_serve_stops_decap_server(tmp_path):
    """SIGTERM (from `kill` or a service manager) stops serve and its decap-server; none is left running."""
    repo = _cms.make_repo(tmp_path / "repo")
    port = local.free_port()
    command = [sys.executable, "-m", "generator", "serve", "--port", str(port), "--root", str(repo)]
    serve = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in serve.stdout:
            lines.append(line)
            if "在线填报：" in line or "不可用" in line:  # either way serve has said what it serves
                break
        assert any(f"http://127.0.0.1:{port}/admin/" in x for x in lines), lines
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.yml") as r:
            cfg = yaml.safe_load(r.read())
        proxy = cfg["backend"]["proxy_url"]
        assert cfg["backend"]["branch"] == "main"
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0
        assert "已停止预览。" in serve.stdout.read()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        serve.stdout.close()
    with pytest.raises(OSError):  # decap-server's port no longer answers
        urllib.request.urlopen(urllib.request.Request(proxy, data=b'{"action":"info"}'), timeout=5)
