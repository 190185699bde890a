"""The staff web form on this machine: a git repository made from the fixture tree, decap-server in git mode
on it, and the built admin/ served on 127.0.0.1 with the local backend's config."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from generator.build import load_checked
from generator.form import admin as cms
from generator.form import config as cms_config
from generator.form import local as cms_local

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tree"
AS_OF = "2025-01-20"  # 2025-01 is open to file (due 01-25, closes 02-04)


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {"GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "office@example.invalid",
           "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "office@example.invalid",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


LANDED = "2025-01-05T09:00:00+08:00"  # after the 2024-12 returns were due, before AS_OF


def make_repo(dest: Path) -> Path:
    """A one-commit repository on `main` holding the fixture tree, with as_of set to AS_OF."""
    shutil.copytree(FIXTURE, dest, symlinks=False)
    settings = dest / "content" / "settings.yaml"
    settings.write_text(re.sub(r"(?m)^as_of: .*$", f"as_of: '{AS_OF}'", settings.read_text(encoding="utf-8")),
                        encoding="utf-8")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "user.name", "办公室")
    git(dest, "config", "user.email", "office@example.invalid")
    git(dest, "add", "-A")
    # The fixture's returns land before the form is used: an amendment may not predate the landing.
    git(dest, "commit", "-q", "-m", "fixture tree", when=LANDED)
    return dest


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@contextmanager
def running_form(repo: Path, admin: Path):
    """Yield the admin URL: decap-server on `repo`, admin/ written into `admin` and served; both stop."""
    # the form's commits carry a date in the open month: check-pr takes "today" from the head commit
    when = f"{AS_OF}T10:00:00+08:00"
    backend = cms_local.start(repo, repo, env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    server = None
    try:
        content = load_checked(repo)
        cfg = cms_config.local(cms_config.config(cms.load_schemas(repo), content), backend.url)
        assert cms.write(content, repo, admin / "admin", cfg), "Decap CMS 未安装（cms/node_modules）"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 functools.partial(_Quiet, directory=str(admin)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/admin/"
    finally:
        if server:
            server.shutdown()
            server.server_close()
        backend.stop()
