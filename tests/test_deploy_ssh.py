"""`.ci/deploy` over rsync + SSH, against Debian's sshd started by the test on 127.0.0.1.

The server has its own host key, authorized_keys and port in a temporary folder (`sshd -D -f config`);
the client's known_hosts goes to a temporary HOME. Skipped, saying why, only when sshd cannot run here.
"""

from __future__ import annotations

import getpass
import gzip
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from generator.render.compress import precompress
from tests._paths import REPO

SSHD = "/usr/sbin/sshd"
PAGE = "<!doctype html><title>兴义镇根治欠薪</title>" + "<p>欠薪线索请拨打举报电话。</p>" * 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


@pytest.fixture
def sshd(tmp_path: Path):
    if not Path(SSHD).exists() or shutil.which("rsync") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("没有 sshd、rsync 或 ssh-keygen（Debian 的 openssh-server、rsync，.ci/setup 会安装）")
    if os.geteuid() == 0 and not Path("/run/sshd").is_dir():
        # sshd's privilege-separation folder, which the service would make on boot
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    conf = tmp_path / "sshd"
    conf.mkdir()
    _keygen(conf / "host_key")
    _keygen(conf / "deploy_key")
    shutil.copy(conf / "deploy_key.pub", conf / "authorized_keys")
    (conf / "authorized_keys").chmod(0o600)
    port, user = _free_port(), getpass.getuser()
    config = conf / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {conf / 'host_key'}",
        f"AuthorizedKeysFile {conf / 'authorized_keys'}", f"PidFile {conf / 'sshd.pid'}",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
        "PermitRootLogin prohibit-password", f"AllowUsers {user}", "LogLevel ERROR", "",
    ]), encoding="utf-8")
    test = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
    if test.returncode != 0:
        pytest.skip(f"sshd 在这里无法运行：{test.stderr.strip()}")
    server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):  # wait until it listens (not a timed assertion: it just has to come up)
            if server.poll() is not None:
                pytest.skip(f"sshd 启动后退出：{server.stderr.read().strip()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield {"port": port, "user": user, "key": (conf / "deploy_key").read_text(), "dir": conf}
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "deploy", root / ".ci" / "deploy")
    (root / "site" / "projects").mkdir(parents=True)
    (root / "site" / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "site" / "projects" / "index.html").write_text(PAGE, encoding="utf-8")
    precompress(root / "site")  # the build writes the .gz copies; deploy only copies them
    return root


def _deploy(root: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run([str(root / ".ci" / "deploy")], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": str(home), **env})


def test_deploy_rsyncs_the_site_over_ssh(sshd, tmp_path: Path) -> None:
    root, web = _project(tmp_path), tmp_path / "remote" / "www"
    web.parent.mkdir()
    target = f"{sshd['user']}@127.0.0.1:{web}"
    env = {"RSYNC_TARGET": target, "DEPLOY_KEY": sshd["key"], "DEPLOY_SSH_PORT": str(sshd["port"])}
    first = _deploy(root, tmp_path, **env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"公开网站已同步到 {target}" in first.stdout
    assert (web / "index.html").read_text(encoding="utf-8") == PAGE
    assert gzip.decompress((web / "projects" / "index.html.gz").read_bytes()).decode() == PAGE
    # a page removed from the site disappears from the web root on the next deploy
    shutil.rmtree(root / "site" / "projects")
    second = _deploy(root, tmp_path, **env)
    assert second.returncode == 0, second.stderr
    assert not (web / "projects").exists() and (web / "index.html").exists()


def test_deploy_with_a_key_the_server_does_not_know_says_what_to_check(sshd, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    _keygen(stranger)
    root, web = _project(tmp_path), tmp_path / "remote" / "www"
    run = _deploy(root, tmp_path, RSYNC_TARGET=f"{sshd['user']}@127.0.0.1:{web}",
                  DEPLOY_KEY=stranger.read_text(), DEPLOY_SSH_PORT=str(sshd["port"]))
    assert run.returncode == 1
    assert "错误：用 rsync 同步到" in run.stderr and "检查 DEPLOY_KEY 的公钥是否已加入目标机器" in run.stderr
    assert not web.exists()
