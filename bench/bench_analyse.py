"""Time the analyse stage (and load+check) on the county tree, in one process.

    python bench/gen_county.py --out /tmp/county       # once (~31,000 files)
    cd /tmp/county && git init -q && git add -A && git commit -qm tree   # optional: real provenance
    python bench/bench_analyse.py --out /tmp/county [--runs 3] [--save FILE] [--check-against FILE]
                                  [--loaded FILE] [--only true|false]

It loads and checks the tree (`build.load_checked`, timed), collects git provenance once, then
times `analyse(content, prov, documents=False)` and `documents=True` (the build asks for the
printed documents' facts only when it builds PDFs). The floor is one plain pass over every loaded
record (each return's hazards, each project, each clue): analyse cannot be faster than reading
its input once, so `analyse / floor` says how far from that it is.

`--save FILE` pickles both results; `--check-against FILE` compares the results with a saved pickle
(DataFrames cell for cell, with dtypes and index) and exits 1 on the first difference: the results
must not change when analyse is made faster. `--loaded FILE` keeps the loaded records in a pickle
so that rounds of changes to analyse skip the load (not for figures of load_checked).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from generator import provenance  # noqa: E402
from generator.analyse import analyse  # noqa: E402
from generator.build import load_checked  # noqa: E402

CPU: list[float] = []  # CPU seconds of each timed run, the fairer figure on a shared machine


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    CPU.clear()
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        CPU.append(time.process_time() - c)
    return times, result


def floor_pass(content) -> int:
    """Read every record once: the least any analysis of them has to do."""
    n = 0
    for r in content.returns.values():
        for h in r.get("hazards") or []:
            n += len(h)
        n += len(r)
    for p in content.projects.values():
        n += len(p)
    for e in content.enterprises.values():
        n += len(e)
    for c in content.clues:
        n += len(c)
    return n


def plain(value):
    """The comparable form of a result: dataclasses → dicts, everything else as is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"<class>": type(value).__name__, **{f.name: plain(getattr(value, f.name))
                                                    for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    return value


def differ(a, b, where: str = "tables") -> str | None:
    """Where `a` and `b` first differ, or None when they are the same."""
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        if not (isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame)):
            return f"{where}: {type(a).__name__} vs {type(b).__name__}"
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        except AssertionError as exc:
            return f"{where}: {str(exc)[:600]}"
        return None
    if isinstance(a, pd.Series) or isinstance(b, pd.Series):
        try:
            pd.testing.assert_series_equal(a, b, check_exact=True)
        except (AssertionError, TypeError) as exc:
            return f"{where}: {str(exc)[:600]}"
        return None
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} {a!r:.80} vs {type(b).__name__} {b!r:.80}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where}: keys {sorted(map(str, set(a) ^ set(b)))[:10]} (or their order) differ"
        for k in a:
            found = differ(a[k], b[k], f"{where}[{k!r}]")
            if found:
                return found
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{where}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = differ(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    try:
        same = a == b
    except Exception:  # noqa: BLE001 - anything not comparable is a difference worth seeing
        same = False
    if same is True or (not isinstance(same, bool) and bool(same)):
        return None
    return f"{where}: {a!r:.120} vs {b!r:.120}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="tree written by gen_county.py")
    ap.add_argument("--runs", type=int, default=3, help="runs of each analyse (median is reported)")
    ap.add_argument("--load-runs", type=int, default=1, help="runs of load_checked")
    ap.add_argument("--only", choices=("false", "true"), help="time only documents=False or =True")
    ap.add_argument("--loaded", type=Path, help="pickle of the loaded records and provenance: written when "
                    "missing, read (load_checked not run) when present")
    ap.add_argument("--save", type=Path, help="pickle both results to FILE")
    ap.add_argument("--check-against", type=Path, help="compare both results with a saved pickle")
    args = ap.parse_args()
    root = args.out.resolve()
    if not (root / "content").is_dir():
        sys.exit(f"{root}/content not found: run python bench/gen_county.py --out {root} first")

    if args.loaded and args.loaded.exists():  # a saved load: for quick rounds while changing analyse
        load_times, prov_time = [], 0.0
        content, prov = pickle.loads(args.loaded.read_bytes())
    else:
        load_times, content = timed(lambda: load_checked(root), args.load_runs)
        load_cpu = list(CPU)
        t = time.perf_counter()
        prov = provenance.collect(root)
        prov_time = time.perf_counter() - t
        if args.loaded:
            args.loaded.write_bytes(pickle.dumps((content, prov)))
    floor_times, _ = timed(lambda: floor_pass(content), 3)
    floor = statistics.median(floor_times)
    print(f"tree: {root}: {len(content.returns)} returns, {len(content.projects)} projects, "
          f"{len(content.enterprises)} enterprises, {len(content.clues)} clues; "
          f"provenance: {len(prov)} files{' (' + prov.fallback + ')' if prov.fallback else ''}")
    if load_times:
        print(f"load_checked: median {statistics.median(load_times):.2f} s "
              f"({', '.join(f'{x:.2f}' for x in load_times)}), "
              f"CPU median {statistics.median(load_cpu):.2f} s")
    else:
        print(f"load_checked: not timed (records and provenance read from {args.loaded})")
    print(f"provenance.collect: {prov_time:.2f} s; floor (one pass over the records): {floor * 1000:.1f} ms")

    results = {}
    for documents in (False, True):
        if args.only and args.only != str(documents).lower():
            continue
        times, tables = timed(lambda d=documents: analyse(content, prov, documents=d), args.runs)
        results[documents] = plain(tables)
        med = statistics.median(times)
        print(f"analyse(documents={documents}): median {med:.2f} s ({', '.join(f'{x:.2f}' for x in times)}), "
              f"CPU median {statistics.median(CPU):.2f} s, {med / floor:.0f}× the floor")

    if args.save:
        args.save.write_bytes(pickle.dumps(results))
        print(f"saved to {args.save}")
    if args.check_against:
        saved = pickle.loads(args.check_against.read_bytes())
        for documents, tables in results.items():
            found = differ(saved[documents], tables, f"documents={documents}")
            if found:
                print(f"DIFFERENT: {found}")
                sys.exit(1)
        print(f"same results as {args.check_against}")


if __name__ == "__main__":
    main()
