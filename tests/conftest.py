"""Shared fixtures. `fixture_history` is the fixture tree with a git history of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import _workflow_repo
import pytest

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "tree"


@pytest.fixture(scope="session")
def fixture_history(tmp_path_factory) -> Path:
    """A repository whose content/ history (dates, authors) is replayed from tests/fixtures/history.fi.

    The stream is `git fast-export` of the sample's content history, frozen with the fixture tree, so tests of
    on-time/late own their history too instead of reading this checkout's (which may be shallow).
    """
    repo = tmp_path_factory.mktemp("history")
    git = ["git", "-C", str(repo), "-c", "core.autocrlf=false"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    with open(HERE / "fixtures" / "history.fi", "rb") as stream:
        subprocess.run([*git, "fast-import", "--quiet"], stdin=stream, check=True)
    subprocess.run([*git, "checkout", "-q", "-f", "main"], check=True)
    shutil.copytree(FIXTURE / "schemas", repo / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", repo / "mkdocs.yml")
    return repo

# The check-pr tests share one repository built per module and copied per test (building it is slow).
@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return _workflow_repo.make_repo(tmp_path_factory.mktemp("tpl") / "repo").path


@pytest.fixture
def repo(template, tmp_path):
    shutil.copytree(template, tmp_path / "repo")
    return _workflow_repo.Repo(tmp_path / "repo")
