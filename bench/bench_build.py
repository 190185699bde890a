"""`zhiqian build` end to end by stage, peak memory, against plain `mkdocs build` of the same pages.

    python bench/gen_county.py --out /tmp/county        # once; keep the tree outside the repo
    python bench/bench_build.py --root /tmp/county [--runs 3] [--only public]

Each run is a fresh process (`python -m generator build`'s own code path) whose stage timings and
max RSS are printed; then the pages of the last run are built by plain `mkdocs build` (fresh
process, the same mkdocs.yml, the same nav and extras, without our plugin) as the floor. A second
run of ours measures the rebuild with nothing changed (reusing outputs, build_cache.py); `--touch`
also edits one return (a hazard's number of workers + 1, a figure the public site shows) to measure a
one-return rebuild (only the pages whose data changed are rendered: site_cache.py, page_reuse.py); `--pr`
times the pull-request check (`validate --changed-since`) on one changed return against a full
`validate`, in a throw-away Git repository made in the tree and removed afterwards. Ratios are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}

# Runs inside the child: our build, timing each stage, keeping the generated pages and config.
CHILD = r"""
import json, resource, shutil, sys, time
from pathlib import Path
import yaml
root, keep = Path(sys.argv[1]), sys.argv[2]
only = sys.argv[3].split(",")
if keep:
    import mkdocs.commands.build as mb
    real = mb.build
    def capture(config, *a, **k):
        dest = Path(keep)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(config.docs_dir, dest / "docs")
        base = Path(config.config_file_path).read_text(encoding="utf-8")
        extra = {"nav": config.nav, "extra": dict(config.extra), "site_name": config.site_name,
                 "docs_dir": str(dest / "docs"), "site_dir": str(dest / "site")}
        (dest / "mkdocs.yml").write_text(base + yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8")
        return real(config, *a, **k)
    mb.build = capture
from generator.build import build
t = time.perf_counter()
report = build(root, public="public" in only, internal="internal" in only, pdf="pdf" in only, reuse=True)
out = dict(report.timings, total=time.perf_counter() - t,
           rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           child_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
           rebuilt=getattr(report, "rebuilt", None))
print("BENCH " + json.dumps(out, ensure_ascii=False))
"""


def ours(root: Path, only: str, keep: str = "") -> dict:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(root), keep, only], env=ENV,
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    line = next(x for x in proc.stdout.splitlines() if x.startswith("BENCH "))
    return {**json.loads(line[6:]), "wall": time.perf_counter() - t}


def plain(workdir: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(workdir / "mkdocs.yml")],
                   check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t


def touch_one_return(root: Path, n: int) -> Path:
    """One return edited as a clerk would: a hazard's number of workers goes up by one (a public figure)."""
    for ret in sorted((root / "content").glob("returns/**/*.yaml")):
        text = ret.read_text(encoding="utf-8")
        m = re.search(r"\n  workers: (\d+)\n", text)
        if m:
            ret.write_text(text[:m.start(1)] + str(int(m.group(1)) + 1) + text[m.end(1):], encoding="utf-8")
            return ret
    sys.exit("没有带隐患的月报可改")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def _timed(args: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", *args], env=ENV, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr[-3000:])
    return time.perf_counter() - t


def pr_check(root: Path, runs: int) -> tuple[list[float], list[float]]:
    """(PR check on one changed return, full validate) wall times, each a fresh process."""
    if (root / ".git").exists():
        sys.exit(f"{root} 已是 Git 仓库：--pr 需要一棵没有 .git 的树（它临时建一个，用完删掉）")
    ret = sorted((root / "content").glob("returns/**/*.yaml"))[0]
    original = ret.read_bytes()
    try:
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "content", "schemas")
        _git(root, "commit", "-qm", "base")
        base = _git(root, "rev-parse", "HEAD")
        ret.write_bytes(original + b"\n# bench pr\n")
        _git(root, "commit", "-qam", "one return")
        pr = [_timed(["validate", "--changed-since", base, "--root", str(root)]) for _ in range(runs)]
        whole = [_timed(["validate", "--root", str(root)]) for _ in range(runs)]
    finally:
        shutil.rmtree(root / ".git", ignore_errors=True)
        ret.write_bytes(original)
    return pr, whole


def show(name: str, runs: list[dict]) -> None:
    keys = [k for k in runs[0] if isinstance(runs[0][k], float)]
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    print(f"{name}: " + "  ".join(f"{k} {v:.2f}" for k, v in med.items()))
    if runs[-1].get("rebuilt"):
        print("  rebuilt: " + "; ".join(runs[-1]["rebuilt"])[:600])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, required=True, help="a tree written by gen_county.py")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="public,internal,pdf")
    ap.add_argument("--touch", action="store_true", help="also time a rebuild after one return changed")
    ap.add_argument("--pr", action="store_true", help="also time the PR check on one changed return")
    args = ap.parse_args()
    root = args.root.resolve()
    if not (root / "content" / "pages").is_dir():
        shutil.copytree(REPO / "content" / "pages", root / "content" / "pages")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("custom_dir: generator/", f"custom_dir: {REPO}/generator/"),
                                     encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="zhiqian-bench-build-") as tmp:
        full, warm, touched, ref = [], [], [], []
        for i in range(args.runs):
            for out in ("site", "build"):  # a cold build: nothing to reuse
                shutil.rmtree(root / out, ignore_errors=True)
            full.append(ours(root, args.only, keep=tmp if i == 0 else ""))
            warm.append(ours(root, args.only))
            if args.touch:
                touch_one_return(root, i)
                touched.append(ours(root, args.only))
        if "public" in args.only:
            ref = [plain(Path(tmp)) for _ in range(args.runs)]
    f = statistics.median(r["total"] for r in full)
    print(f"runs: {args.runs}  root: {root}")
    show("full build (s)", full)
    show("no-change rebuild (s)", warm)
    if touched:
        show("one-return rebuild (s)", touched)
    print(f"peak RSS: {max(r['rss_mb'] for r in full + warm + touched):.0f} MB (build process), "
          f"{max(r['child_rss_mb'] for r in full + warm + touched):.0f} MB (largest child process)")
    if ref:
        pub = statistics.median(r.get("public", 0.0) for r in full)
        p = statistics.median(ref)
        print(f"plain mkdocs build: median {p:.2f} s (min {min(ref):.2f}, max {max(ref):.2f})")
        print(f"ratio public stage / plain mkdocs: {pub / p:.2f}")
        if args.only == "public":
            print(f"ratio full build / plain mkdocs: {f / p:.2f}")
    print(f"ratio no-change rebuild / full: {statistics.median(r['total'] for r in warm) / f:.3f}")
    if touched:
        print(f"ratio one-return rebuild / full: {statistics.median(r['total'] for r in touched) / f:.3f}")
    if args.pr:
        pr, whole = pr_check(root, args.runs)
        p_med, w_med = statistics.median(pr), statistics.median(whole)
        print(f"PR check, one changed return (validate --changed-since): median {p_med:.2f} s "
              f"(min {min(pr):.2f}, max {max(pr):.2f}); full validate: median {w_med:.2f} s; "
              f"ratio {p_med / w_med:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
