"""Time the public site build against plain `mkdocs build` of the same pages.

    python bench/bench_site.py                 # the shipped content
    python bench/bench_site.py --projects 300  # a generated county tree with 300 project pages

"ours" is the command a user runs, `zhiqian build --only public`, in a fresh process: load and
check every file, analyse, write the Markdown pages, mkdocs build (jieba segmenting Chinese for
search) and the privacy scan. "plain" is `mkdocs build`, also a fresh process, on the Markdown pages
ours wrote with the same mkdocs.yml: the floor set by the tool we build on. Both start Python and
import mkdocs, so the ratio shows what our steps add on top of it.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {"NO_MKDOCS_2_WARNING": "1"}


def make_root(tmp: Path, projects: int) -> Path:
    """A throw-away repository root: the shipped content, or a generated county tree."""
    root = tmp / "root"
    if projects:
        gen = [sys.executable, str(REPO / "bench" / "gen_county.py"), "--out", str(root)]
        subprocess.run([*gen, "--units", "40", "--months", "2", "--projects", str(projects)],
                       check=True, capture_output=True)
        shutil.copytree(REPO / "content" / "pages", root / "content" / "pages")  # the hand-written pages
    else:
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "schemas", root / "schemas")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("custom_dir: generator/", f"custom_dir: {REPO}/generator/"),
                                     encoding="utf-8")
    return root


def run(cmd: list[str]) -> float:
    import os

    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **ENV})
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=0, help="build a generated tree with this many projects")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhiqian-bench-site-") as tmp_name:
        tmp = Path(tmp_name)
        root = make_root(tmp, args.projects)
        ours = [run([sys.executable, "-m", "generator", "build", "--only", "public", "--root", str(root)])
                for _ in range(args.runs)]
        # The pages ours generated, recovered by building once more with a kept docs folder.
        docs = tmp / "docs"
        keep = ("import sys, shutil; from pathlib import Path; from generator.render import public as p;"
                "real = p._mkdocs_build\n"
                "def keep(root, docs, *a):\n"
                "    shutil.copytree(docs, sys.argv[1]); return real(root, docs, *a)\n"
                "p._mkdocs_build = keep\n"
                "from generator.build import build; build(Path(sys.argv[2]), internal=False, pdf=False)")
        subprocess.run([sys.executable, "-c", keep, str(docs), str(root)], check=True, cwd=REPO, env=None)
        config = tmp / "mkdocs.yml"
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        text = text.replace("docs_dir: docs", f"docs_dir: {docs}")
        config.write_text(text + f"\nsite_dir: {tmp / 'plain'}\n", encoding="utf-8")
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
        plain = [run(mkdocs) for _ in range(args.runs)]
        pages = sum(1 for _ in docs.rglob("*.md"))
        site = root / "site"
        home_gz = len(gzip.compress((site / "index.html").read_bytes(), 9))
        index = (site / "search" / "search_index.json").read_bytes()
    o, p = statistics.median(ours), statistics.median(plain)
    print(f"pages: {pages}  runs: {args.runs}")
    for name, times in (("ours  (zhiqian build --only public)", ours), ("plain (mkdocs build)", plain)):
        med = statistics.median(times)
        print(f"{name:36}: median {med:.2f} s  (min {min(times):.2f}, max {max(times):.2f})")
    print(f"ratio ours / plain: {o / p:.2f}")
    print(f"home page HTML: {home_gz / 1024:.1f} KB gzip; search index: {len(index) / 1024:.1f} KB "
          f"({len(gzip.compress(index, 9)) / 1024:.1f} KB gzip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
