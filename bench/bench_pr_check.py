"""The pull-request check (`zhiqian validate --changed-since BASE`) against a full validate, county tree.

    python bench/gen_county.py --out /tmp/county        # once; keep the tree outside the repo
    python bench/bench_pr_check.py --root /tmp/county [--runs 3]

It makes a throw-away Git repository in the tree (removed afterwards: the tree must have no .git), then for
each one-file pull request below (a return whose filled_on changes, a project whose name changes) times the
PR check as a fresh process, `--runs` times, and the full validate of the same tree. Each run's findings are
compared: the PR check's must equal the full run's on the files it reports on (check/selection.py), or the
bench exits 1. Prints medians and the ratio to the full validate.

PYTHONDONTWRITEBYTECODE is dropped for the runs: an installed zhiqian has its bytecode cached, and compiling
the sources again on every run (~0.15 s here) would measure the environment, not the check.
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(REPO)}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def _validate(root: Path, *extra: str) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(root),
                           "--format", "json", *extra], env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"validate 失败：{proc.stderr[-2000:]}")
    return took, json.loads(proc.stdout)["findings"]


def _reported(root: Path, base: str) -> set[str]:
    sys.path.insert(0, str(REPO))
    from generator.check.report import _changed
    from generator.check.selection import plan
    from generator.workflow import gitio

    return plan(root, _changed(root, base), gitio.merge_base(root, base))[0]


def _one_return(root: Path) -> str:
    month = sorted(os.listdir(root / "content" / "returns"))[-6]
    unit = sorted(os.listdir(root / "content" / "returns" / month))[0]
    rel = f"content/returns/{month}/{unit}"
    path = root / rel
    path.write_text(re.sub(r"^filled_on: '(\d{4}-\d{2})-\d{2}'", r"filled_on: '\1-21'",
                           path.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    return rel


def _one_project(root: Path) -> str:
    names = sorted(os.listdir(root / "content" / "projects"))
    name = names[len(names) // 2]
    rel = f"content/projects/{name}"
    path = root / rel
    path.write_text(re.sub(r"^name: (.*)$", r"name: \1（改名）", path.read_text(encoding="utf-8"), count=1,
                           flags=re.M), encoding="utf-8")
    return rel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, required=True, help="a county tree, without .git")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root = args.root.resolve()
    if (root / ".git").exists():
        sys.exit(f"{root} 已是 Git 仓库：需要一棵没有 .git 的树（本脚本临时建一个，用完删掉）")
    try:
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "content", "schemas")
        _git(root, "commit", "-qm", "base")
        base = _git(root, "rev-parse", "HEAD")
        full_times: list[float] = []
        rows = []
        for label, edit in (("一份月报", _one_return), ("一个项目", _one_project)):
            _git(root, "checkout", "-q", "-B", "pr", base)
            rel = edit(root)
            _git(root, "commit", "-qam", label)
            _validate(root, "--changed-since", base)  # writes the bytecode once
            pr = [_validate(root, "--changed-since", base) for _ in range(args.runs)]
            fulls = [_validate(root) for _ in range(args.runs if not full_times else 1)]
            full_times += [t for t, _ in fulls]
            reported = _reported(root, base)
            expected = [f for f in fulls[-1][1] if f["file"] in reported]
            same = all(found == expected for _, found in pr)
            rows.append((label, rel, statistics.median(t for t, _ in pr), min(t for t, _ in pr),
                         max(t for t, _ in pr), len(reported), same))
        full = statistics.median(full_times)
        load = os.getloadavg()
        print(f"full validate: median {full:.2f} s of {len(full_times)} "
              f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
        for label, rel, med, lo, hi, n, same in rows:
            print(f"PR check, {label} ({rel}): median {med:.2f} s (min {lo:.2f}, max {hi:.2f}), "
                  f"reports on {n} files, {med / full:.3f}× the full validate; findings as a full run: "
                  f"{'same' if same else 'DIFFERENT'}")
        if not all(row[-1] for row in rows):
            sys.exit(1)
    finally:
        _git(root, "checkout", "-q", "-f", "main") if (root / ".git").exists() else None
        shutil.rmtree(root / ".git", ignore_errors=True)


if __name__ == "__main__":
    main()
