"""The build's check stage (load + check of every content file) on a county tree, as `zhiqian build` runs it.

    python bench/gen_county.py --out /tmp/county        # once; keep the tree outside the repo
    python bench/bench_check.py --root /tmp/county [--runs 3]

Each run is a fresh process doing what build() does before its "check" timing: hash the inputs
(build_cache.snapshot), then `load_checked`. Three cases, medians printed:
- one-return rebuild: one return edited since the last run, the parse cache (build/.cache/parse.marshal)
  and the remembered findings (build/.cache/check.marshal, check/reuse.py) written by that run: only
  the edited file is parsed and judged again;
- first build with reuse: no caches yet, every file is parsed and judged, the caches are written;
- --full: no parse cache used or written (`build --full`).
The edited return is left with its new value (the tree is a throw-away benchmark tree).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD = r"""
import sys, time
from pathlib import Path
from generator import build, build_cache
root, reuse = Path(sys.argv[1]).resolve(), sys.argv[2] == "reuse"
snap = build_cache.snapshot(root, strict=False, stages=["public", "internal"])
t, c = time.perf_counter(), time.process_time()
build.load_checked(root, snap if reuse else None)
print(f"{time.perf_counter() - t:.3f} {time.process_time() - c:.3f}")
"""


def stage(root: Path, reuse: bool) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), "reuse" if reuse else "full"], check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    wall, cpu = out.split()
    return float(wall), float(cpu)


def touch_one_return(root: Path, n: int) -> None:
    path = sorted((root / "content" / "returns").glob("*/*.yaml"))[100]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"payday_patrols: \d+", f"payday_patrols: {10 + n}", text, count=1)
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, required=True, help="a tree written by gen_county.py")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    caches = [args.root / "build" / ".cache" / name for name in ("parse.marshal", "check.marshal")]
    cases: dict[str, list[tuple[float, float]]] = {"one-return rebuild": [], "first build with reuse": [],
                                                    "--full": []}
    stage(args.root, True)  # the last build, which leaves the parse cache
    for i in range(args.runs):
        touch_one_return(args.root, i)
        cases["one-return rebuild"].append(stage(args.root, True))
    for _ in range(args.runs):
        cases["--full"].append(stage(args.root, False))
        for cache in caches:
            cache.unlink(missing_ok=True)
        cases["first build with reuse"].append(stage(args.root, True))
    for name, runs in cases.items():
        print(f"{name}: check {statistics.median(w for w, _ in runs):.2f} s wall, "
              f"{statistics.median(c for _, c in runs):.2f} s CPU "
              f"(runs: {', '.join(f'{w:.2f}' for w, _ in runs)}); load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
