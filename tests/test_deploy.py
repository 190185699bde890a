"""`.ci/deploy` (the Forgejo publish step): copies site/ to a web root that a local nginx serves with
gzip_static, archives issued PDFs without overwriting them."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from generator.render.compress import precompress

MAIN = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PAGE = "<!doctype html><title>兴义镇根治欠薪</title>" + "<p>欠薪线索请拨打举报电话。</p>" * 50


def project(tmp_path: Path, pdf: bytes = b"%PDF-1 first") -> Path:
    root = tmp_path / "proj"
    (root / ".ci").mkdir(parents=True)
    shutil.copy(MAIN / ".ci" / "deploy", root / ".ci" / "deploy")
    (root / "site" / "projects").mkdir(parents=True)
    (root / "site" / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "site" / "projects" / "index.html").write_text(PAGE, encoding="utf-8")
    precompress(root / "site")  # as zhiqian build does
    (root / "build" / "internal" / "bulletins").mkdir(parents=True)
    (root / "build" / "internal" / "bulletins" / "2024-12-通报.pdf").write_bytes(pdf)
    return root


def deploy(root: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(root / ".ci" / "deploy")], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", **env})


def test_deploy_copies_the_site_with_precompressed_files(tmp_path):
    root = project(tmp_path)
    web = tmp_path / "www" / "zhiqian"
    proc = deploy(root, WEB_ROOT=str(web))
    assert proc.returncode == 0, proc.stderr
    assert f"公开网站已复制到 {web}" in proc.stdout
    assert (web / "index.html").read_text(encoding="utf-8") == PAGE
    assert gzip.decompress((web / "projects" / "index.html.gz").read_bytes()).decode() == PAGE


def test_deploy_without_a_target_says_what_to_set(tmp_path):
    proc = deploy(project(tmp_path))
    assert proc.returncode == 1
    assert "错误：没有配置发布目标：请设置 WEB_ROOT、RSYNC_TARGET 或 ARCHIVE_ROOT。" in proc.stderr


def test_issued_pdfs_are_never_overwritten(tmp_path):
    archive = tmp_path / "archive"
    root = project(tmp_path)
    assert deploy(root, ARCHIVE_ROOT=str(archive)).returncode == 0
    assert deploy(root, ARCHIVE_ROOT=str(archive)).returncode == 0  # same file again: kept once
    (root / "build" / "internal" / "bulletins" / "2024-12-通报.pdf").write_bytes(b"%PDF-1 corrected")
    proc = deploy(root, ARCHIVE_ROOT=str(archive))
    assert proc.returncode == 0, proc.stderr
    kept = archive / "bulletins"
    assert sorted(p.name for p in kept.iterdir()) == ["2024-12-通报-第2版.pdf", "2024-12-通报.pdf"]
    assert (kept / "2024-12-通报.pdf").read_bytes() == b"%PDF-1 first"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    if NGINX is None:
        pytest.skip("没有 nginx（Debian 软件包 nginx，.ci/setup 会安装）")
    web, port = tmp_path / "www", free_port()
    conf = tmp_path / "nginx.conf"
    # started as root, nginx's workers would drop to "nobody", who cannot read pytest's private tmp folders
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;
events {{}}
http {{
  access_log off; include /etc/nginx/mime.types;
  client_body_temp_path {tmp_path}/tmp; proxy_temp_path {tmp_path}/tmp; fastcgi_temp_path {tmp_path}/tmp;
  uwsgi_temp_path {tmp_path}/tmp; scgi_temp_path {tmp_path}/tmp;
  server {{ listen 127.0.0.1:{port}; root {web}; gzip_static on; }}
}}
""", encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield web, port
    proc.terminate()
    proc.wait(timeout=10)


def test_a_local_nginx_serves_the_deployed_pages_compressed(tmp_path, nginx):
    web, port = nginx
    assert deploy(project(tmp_path), WEB_ROOT=str(web)).returncode == 0
    for path in ("/", "/projects/"):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert "欠薪线索请拨打举报电话" in gzip.decompress(resp.read()).decode("utf-8")
