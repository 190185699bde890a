"""Posters of a (county) tree: cold, warm with nothing changed, warm with one project changed.

    python bench/bench_posters.py --root /tmp/county [--limit N] [--workers 2] [--json]

Loads and checks the tree, makes every active project's poster facts (analyse/posters.py), then through
pdf.render_jobs with a fresh cache folder (<root>/build/.cache/pdf-bench, removed at the end):
1. cold: every poster rendered by weasyprint (long-lived workers, one per core);
2. warm, nothing changed: new jobs from the same facts, every poster from the cache;
3. warm, one project changed (its 劳资专管员's name, as an edit of its YAML would give): one poster rendered.
Each step also runs the posters' privacy scan as the build does (the PDF text, cached per PDF). Prints
seconds, rendered/reused counts (the renderer's own), the largest worker peak RSS (VmHWM) and the load.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.analyse import posters  # noqa: E402
from generator.build import load_checked  # noqa: E402
from generator.paths import SCHEMAS  # noqa: E402
from generator.privacy import scan_posters  # noqa: E402
from generator.render import pdf, pdf_pool  # noqa: E402


def _step(content, facts: list[dict], cache: Path, workers: int, root: Path) -> dict:
    jobs = [pdf.Job(f"posters/{p['id']}.pdf", facts=p) for p in facts]
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        report = pdf.render_jobs(jobs, Path(out), cache, workers=workers)
        render_s = time.perf_counter() - t0
        files = {f.stem: f for f in report.files}
        key_of = {f.name: report.keys[f"posters/{f.name}"] for f in files.values()}
        t0 = time.perf_counter()
        problems = scan_posters(content, files, root / SCHEMAS,
                                text_of=lambda path: pdf.cached_text(cache, key_of[path.name]))
        scan_s = time.perf_counter() - t0
    return {"render_s": render_s, "scan_s": scan_s, "total_s": render_s + scan_s,
            "rendered": len(report.rendered), "reused": len(report.reused), "workers": report.workers,
            "worker_peak_mb": max(report.peak_mb.values(), default=0.0), "problems": len(problems),
            "load": os.getloadavg()[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="only the first N posters (0: all)")
    ap.add_argument("--workers", type=int, default=0, help="0: one per core")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = args.root.resolve()
    results: dict = {"root": str(root), "cores": pdf_pool._cores(), "load_before": os.getloadavg()[0],
                     "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    t0 = time.perf_counter()
    content = load_checked(root)
    results["load_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    facts = posters.posters(content)
    if args.limit:
        facts = facts[: args.limit]
    results["facts_s"] = time.perf_counter() - t0
    results["posters"] = len(facts)
    workers = args.workers or pdf_pool._cores()
    cache = root / "build" / ".cache" / "pdf-bench"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        results["cold"] = _step(content, facts, cache, workers, root)
        results["warm"] = _step(content, facts, cache, workers, root)
        changed = copy.deepcopy(facts)
        changed[len(changed) // 2]["labour_manager"] += "（已更换）"
        results["one_changed"] = _step(content, changed, cache, workers, root)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    results["parent_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"{results['date']}；{results['cores']} 核；告示牌 {len(facts)} 张；"
          f"载入与校验 {results['load_s']:.1f} s；告示牌事实 {results['facts_s']:.2f} s；"
          f"负载 {results['load_before']:.2f} → {results['load_after']:.2f}")
    print("| 情形 | 渲染 | 隐私扫描 | 合计 | 重新渲染 / 复用 | 工作进程峰值内存 | 负载 |")
    print("|---|---|---|---|---|---|---|")
    for name, label in (("cold", "冷缓存"), ("warm", "无变化"), ("one_changed", "改动一个项目")):
        r = results[name]
        print(f"| {label} | {r['render_s']:.2f} s | {r['scan_s']:.2f} s | {r['total_s']:.2f} s "
              f"| {r['rendered']} / {r['reused']} | {r['worker_peak_mb']:.0f} MB | {r['load']:.2f} |")
    print(f"主进程峰值内存 {results['parent_peak_mb']:.0f} MB")
    ok = results["warm"]["rendered"] == 0 and results["one_changed"]["rendered"] == 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
