"""One setting decides every address: a town on Forgejo with its own site URL gets no github address."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.analyse.posters import posters
from generator.build import load_checked
from generator.site_urls import edit_url, project_page, public_base, repo_url
from tests._paths import FIXTURE, REPO

SITE = "https://zhiqian.xingyi.example.cn/"
FORGE = "https://git.xingyi.example.cn"
GITHUB = re.compile(r"github\.(io|com)", re.IGNORECASE)
# mkdocs-material's own scripts: the bundle can fetch a GitHub repository's stars when mkdocs' repo_url is a
# GitHub address (never set here), and lunr-languages carry their project URL in a licence comment.
THEME_SCRIPTS = "site/assets/javascripts/"
# The web form's bundle (npm decap-cms) knows every backend it supports; only our config.yml says which one.
FORM_BUNDLE = "build/internal/admin/"


def _forgejo_tree(root: Path) -> Path:
    shutil.copytree(FIXTURE / "content", root / "content")
    shutil.copytree(FIXTURE / "schemas", root / "schemas")
    shutil.copy2(FIXTURE / "mkdocs.yml", root / "mkdocs.yml")
    settings = root / "content" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  url: .*$", f"  url: {SITE}", text)
    text = re.sub(r"(?m)^  repo_url: .*\n", "", text)
    text = re.sub(
        r"(?m)^forge:\n(  .*\n)+",
        f"forge:\n  kind: forgejo\n  base_url: {FORGE}\n"
        "  repo: xingyi/zhiqian\n  branch: main\n  app_id: null\n",
        text,
    )
    settings.write_text(text, encoding="utf-8")
    return root


def test_addresses_derive_from_the_settings() -> None:
    settings = {
        "site": {"url": "https://a.example/zq"},
        "forge": {"kind": "gitea", "base_url": "https://git.example/", "repo": "town/data", "branch": "main"},
    }
    assert public_base(settings) == "https://a.example/zq/"
    assert project_page(settings, "school-track") == "https://a.example/zq/projects/school-track/"
    assert repo_url(settings) == "https://git.example/town/data"
    assert (
        edit_url(settings, "content/returns/2024-12/nibaxi.yaml")
        == "https://git.example/town/data/_edit/main/content/returns/2024-12/nibaxi.yaml"
    )
    github = {**settings, "forge": {**settings["forge"], "kind": "github"}}
    assert edit_url(github, "content/x.yaml") == "https://git.example/town/data/edit/main/content/x.yaml"


def test_no_github_address_in_the_code_or_mkdocs_yml() -> None:
    sources = [p for p in (REPO / "generator").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    hits = [
        str(p.relative_to(REPO))
        for p in [*sources, REPO / "mkdocs.yml"]
        if GITHUB.search(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert hits == []


@pytest.mark.slow
def test_forgejo_build_carries_no_github_address(tmp_path: Path) -> None:
    root = _forgejo_tree(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr

    found, pdfs = [], 0
    for path in sorted([*(root / "site").rglob("*"), *(root / "build" / "internal").rglob("*")]):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(THEME_SCRIPTS):
            continue
        if rel.startswith(FORM_BUNDLE) and path.name not in ("config.yml", "index.html"):
            continue
        if path.suffix == ".pdf":
            pdfs += 1
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        else:
            text = path.read_bytes().decode("utf-8", errors="replace")
        if GITHUB.search(text):
            found.append(rel)
    assert found == [] and pdfs > 10
    assert "name: forgejo" in (root / FORM_BUNDLE / "config.yml").read_text(encoding="utf-8")

    # The theme's scripts only mention GitHub in code that runs for a GitHub repo_url, which no page has.
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "md-source" not in index and 'data-md-component="source"' not in index
    assert f'<link rel="canonical" href="{SITE}">' in index
    locs = re.findall(r"<loc>([^<]+)</loc>", (root / "site" / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs and all(loc.startswith(SITE) for loc in locs)

    content = load_checked(root)
    targets = [p["qr_url"] for p in posters(content)]
    own_pages = [t for t in targets if t.startswith(f"{SITE}projects/")]
    assert targets and all(not GITHUB.search(t) for t in targets) and own_pages  # what the QR codes encode
    poster = next((root / "build" / "internal" / "posters").glob("*.pdf"))
    poster_text = subprocess.run(["pdftotext", str(poster), "-"], capture_output=True, text=True).stdout
    assert SITE.removeprefix("https://").split("/")[0] in poster_text.replace("\n", "")

    unit = (root / "build" / "internal" / "units" / "nibaxi.html").read_text(encoding="utf-8")
    assert (
        f'<a href="{FORGE}/xingyi/zhiqian/_edit/main/content/returns/2024-12/nibaxi.yaml">'
        "在仓库网站上编辑</a>"
        in unit
    )
