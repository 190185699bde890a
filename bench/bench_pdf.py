"""Time and size of the PDFs: one monthly bulletin, all posters, the whole set; serial vs parallel.

    python bench/bench_pdf.py [--month 2024-09] [--runs 3] [--json]

Renders from the repository's content into a temporary folder with the cache off (every PDF goes
through weasyprint), then once more with the cache on to show the incremental case. Goals (issue 5):
a bulletin under 2 s and 300 KB; the whole set no slower than the slowest single PDF × number of
PDFs / cores. Exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import provenance  # noqa: E402
from generator.analyse import analyse  # noqa: E402
from generator.build import load_checked  # noqa: E402
from generator.render import pdf, pdf_pool  # noqa: E402


def _run(jobs, workers: int, use_cache: bool, cache: Path) -> tuple[float, pdf.Report]:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        report = pdf.render_jobs(list(jobs), Path(out), cache, workers=workers, use_cache=use_cache)
        return time.perf_counter() - t0, report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--month", default="2024-09")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    content = load_checked(ROOT)
    tables = analyse(content, provenance.collect(ROOT))
    jobs = pdf.jobs(tables)
    prepare = time.perf_counter() - t0
    cores = pdf_pool._cores()
    bulletin = [j for j in jobs if j.rel == f"bulletins/{args.month}-通报.pdf"]
    posters = [j for j in jobs if j.rel.startswith("posters/")]
    results: dict = {"cores": cores, "pdfs": len(jobs), "posters": len(posters), "prepare_s": prepare,
                     "load_before": os.getloadavg()[0]}

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        # One bulletin, in this process: the first run pays the weasyprint import and font loading.
        t0 = time.perf_counter()
        import weasyprint  # noqa: F401

        results["import_s"] = time.perf_counter() - t0
        singles = []
        for _ in range(args.runs):
            wall, rep = _run(bulletin, 1, False, cache)
            singles.append((wall, rep.sizes[bulletin[0].rel]))
        results["bulletin"] = {"rel": bulletin[0].rel, "first_s": singles[0][0],
                               "warm_median_s": statistics.median(w for w, _ in singles[1:] or singles),
                               "bytes": singles[0][1]}
        # Every PDF once, serially, to find the slowest single one.
        wall, rep = _run(jobs, 1, False, cache)
        results["serial_all_s"] = wall
        results["slowest"] = max(rep.seconds.items(), key=lambda kv: kv[1])
        results["sizes"] = rep.sizes
        wall_p, rep_p = _run(posters, 1, False, cache)
        results["serial_posters_s"] = wall_p
        # In parallel: long-lived workers, one per core.
        results["parallel_posters_s"], _ = _run(posters, cores, False, cache)
        results["parallel_all_s"], rep_all = _run(jobs, cores, False, cache)
        results["workers"] = rep_all.workers
        # Incremental: nothing changed, everything comes from the cache.
        _run(jobs, cores, True, cache)
        results["cached_all_s"], rep_c = _run(jobs, cores, True, cache)
        results["cached_reused"] = len(rep_c.reused)

    results["load_after"] = os.getloadavg()[0]
    slowest = results["slowest"][1]
    budget = slowest * len(jobs) / cores
    results["set_budget_s"] = budget
    ok_bulletin = results["bulletin"]["warm_median_s"] < 2 and results["bulletin"]["bytes"] < 300_000
    ok_set = results["parallel_all_s"] <= budget
    results["goals"] = {"bulletin_under_2s_300kb": ok_bulletin, "set_within_budget": ok_set}

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    else:
        b = results["bulletin"]
        poster_sizes = [v for k, v in results["sizes"].items() if k.startswith("posters/")]
        print(f"机器：{cores} 核；PDF 共 {len(jobs)} 个（海报 {len(posters)} 个）；"
              f"载入与分析 {prepare:.2f} s；"
              f"import weasyprint {results['import_s']:.2f} s")
        print(f"| 测量 | 结果 |\n|---|---|\n"
              f"| 一份月度通报 {b['rel']}：首次（含字体加载） | {b['first_s']:.2f} s |\n"
              f"| 同一通报，热启动中位数（{args.runs - 1} 次） | {b['warm_median_s']:.2f} s |\n"
              f"| 该通报大小 | {b['bytes'] / 1024:.0f} KB |\n"
              f"| 全部海报，串行 | {results['serial_posters_s']:.2f} s |\n"
              f"| 全部海报，并行（{cores} 个进程） | {results['parallel_posters_s']:.2f} s |\n"
              f"| 海报大小（每张） | {min(poster_sizes) / 1024:.0f}–{max(poster_sizes) / 1024:.0f} KB |\n"
              f"| 全部 {len(jobs)} 个 PDF，串行 | {results['serial_all_s']:.2f} s |\n"
              f"| 全部 {len(jobs)} 个 PDF，并行 | {results['parallel_all_s']:.2f} s |\n"
              f"| 最慢的单个 PDF（{results['slowest'][0]}） | {slowest:.2f} s |\n"
              f"| 预算：最慢 × {len(jobs)} / {cores} | {budget:.2f} s |\n"
              f"| 全部不变，再次生成（缓存命中 {results['cached_reused']} 个） "
              f"| {results['cached_all_s']:.2f} s |")
        print(f"负载（1 分钟平均）：开始 {results['load_before']:.2f}，结束 {results['load_after']:.2f}"
              "（机器被其他进程占用时并行结果不可比）")
        print(f"目标：通报 < 2 s 且 < 300 KB：{'达到' if ok_bulletin else '未达到'}；"
              f"整套不慢于预算：{'达到' if ok_set else '未达到'}")
    return 0 if ok_bulletin and ok_set else 1


if __name__ == "__main__":
    sys.exit(main())
