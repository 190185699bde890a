"""Benchmark: provenance.collect() on a history of 5,000 commits touching content/returns.

The repository is made with `git fast-import` (seconds, not minutes): 4,000 commits each land one
new return (80 units × 50 months), 1,000 later commits amend one of them. Dates go forward one hour
a commit, in +08:00. Goal: collect() under 2 s.

    python bench/bench_provenance.py [--commits 5000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.provenance import collect  # noqa: E402

START = 1719792000  # 2024-07-01T00:00:00Z


def _months(n: int) -> list[str]:
    return [f"{2024 + (6 + i) // 12}-{(6 + i) % 12 + 1:02d}" for i in range(n)]


def fast_import_stream(commits: int, units: int = 80) -> tuple[bytes, int]:
    """The fast-import stream and the number of distinct return files it creates."""
    adds = commits * 4 // 5
    months = _months(-(-adds // units))
    files = [f"content/returns/{m}/unit-{u:03d}.yaml" for m in months for u in range(units)][:adds]
    out: list[bytes] = []
    for i in range(commits):
        path = files[i] if i < adds else files[(i * 7919) % adds]
        body = f"month: {path.split('/')[2]}\nunit: {path.rsplit('/', 1)[1][:-5]}\nhazards: []\n# rev {i}\n"
        data = body.encode()
        message = f"{'月报' if i < adds else '更正'} {path}".encode()
        clerk = f"clerk-{i % units:03d}"
        who = f"{clerk} <{clerk}@example.invalid> {START + 3600 * i} +0800".encode()
        out.append(b"commit refs/heads/main\n")
        out.append(b"mark :%d\n" % (i + 1))
        out.append(b"author " + who + b"\n")
        out.append(b"committer " + who + b"\n")
        out.append(b"data %d\n%s\n" % (len(message), message))
        if i:
            out.append(b"from :%d\n" % i)
        out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    return b"".join(out), len(files)


def make_repo(path: Path, commits: int) -> int:
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream, n_files = fast_import_stream(commits)
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input=stream, check=True)
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "main"], check=True)
    return n_files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or Path(tmp) / "repo"
        t = time.perf_counter()
        n_files = make_repo(repo, args.commits)
        made = time.perf_counter() - t
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            prov = collect(repo)
            times.append(time.perf_counter() - t)
        amended = sum(1 for e in prov.values() if e["amendments"])
        assert len(prov) == n_files, (len(prov), n_files)
        print(f"repository: {args.commits} commits, {n_files} returns ({amended} amended), "
              f"built in {made:.1f} s")
        print(f"collect(): median {statistics.median(times):.3f} s, min {min(times):.3f} s, "
              f"max {max(times):.3f} s over {args.runs} runs (goal < 2 s)")
        return 0 if statistics.median(times) < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
