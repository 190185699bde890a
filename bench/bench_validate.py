"""Time `zhiqian validate` (all three layers, one process) against check-jsonschema on the county tree.

    python bench/gen_county.py          # once: writes bench/out/ (~31,000 files)
    python bench/bench_validate.py [--runs 3] [--no-baseline]

check-jsonschema is run with the same schemas on the same returns and projects (it does the schema
layer only); zhiqian validates the whole tree (also enterprises, clues, roster…) with every layer.
Both are timed as child processes: wall-clock time and CPU time (user + sys), whose ratio is the
fairer figure on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """(wall seconds, child CPU seconds, exit code, last line of output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return wall, cpu, proc.returncode, lines[-1] if lines else ""


def check_jsonschema(out: Path) -> tuple[float, float, int, list[str]]:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        sys.exit("check-jsonschema is not installed (pip install check-jsonschema)")
    wall = cpu = 0.0
    files = 0
    notes = []
    for schema, pattern in (("return", "content/returns/*/*.yaml"), ("project", "content/projects/*.yaml")):
        paths = sorted(p.relative_to(out).as_posix() for p in out.glob(pattern))
        files += len(paths)
        w, c, rc, last = timed([exe, "--schemafile", f"schemas/{schema}.schema.json", *paths], out)
        wall, cpu = wall + w, cpu + c
        notes.append(f"{schema}: {len(paths)} files, {w:.1f} s, exit {rc}: {last}")
    return wall, cpu, files, notes


def baseline(out: Path) -> tuple[float, int]:
    """Bare PyYAML C-loader parsing of the same returns and projects, in this process."""
    import yaml

    paths = sorted(out.glob("content/returns/*/*.yaml")) + sorted(out.glob("content/projects/*.yaml"))
    t = time.perf_counter()
    for p in paths:
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - t, len(paths)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="tree written by gen_county.py")
    ap.add_argument("--runs", type=int, default=3, help="zhiqian runs (median is reported)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the bare C-loader figure")
    ap.add_argument("--no-check-jsonschema", action="store_true")
    args = ap.parse_args()
    out = args.out.resolve()
    if not (out / "content").is_dir():
        sys.exit(f"{out}/content not found: run python bench/gen_county.py first")
    total = sum(1 for _ in (out / "content").rglob("*") if _.is_file())
    print(f"tree: {out} ({total} files)")

    runs = []
    for _ in range(args.runs):
        wall, cpu, rc, last = timed([sys.executable, "-m", "generator", "validate", "--root", str(out)], out)
        if rc != 0:
            sys.exit(f"zhiqian validate exited {rc}: {last}")
        runs.append((wall, cpu))
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(
        f"zhiqian validate (3 layers, {total} files): wall {wall:.1f} s = {total / wall:,.0f} files/s; "
        f"CPU {cpu:.1f} s = {total / cpu:,.0f} files/s  [{last}]"
    )

    if not args.no_baseline:
        b, n = baseline(out)
        print(f"bare yaml.load(CSafeLoader), {n} returns+projects: {b:.1f} s = {n / b:,.0f} files/s")

    if not args.no_check_jsonschema:
        cwall, ccpu, cfiles, notes = check_jsonschema(out)
        for note in notes:
            print(f"  check-jsonschema {note}")
        print(
            f"check-jsonschema (schema layer only, {cfiles} files): "
            f"wall {cwall:.1f} s = {cfiles / cwall:,.0f} files/s; "
            f"CPU {ccpu:.1f} s = {cfiles / ccpu:,.0f} files/s"
        )
        print(
            f"ratio zhiqian / check-jsonschema: wall {wall / cwall:.2f}, CPU {cpu / ccpu:.2f} "
            f"(goal ≤ 0.50; zhiqian also checks {total - cfiles} more files)"
        )


if __name__ == "__main__":
    main()
