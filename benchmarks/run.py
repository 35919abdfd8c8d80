"""The benchmark suite: demo build time and peak memory, store query and API latency; prints a table, writes JSON."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import api, callbacks, load, page_weight
from config import PROJECT_ROOT
from store.queries import Store

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
BUILD_TARGET_SECONDS = 60.0
BUILD_TARGET_PEAK_MB = 2048.0
QUERY_TARGET_MS = 5.0


def _run_etl(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `python -m etl ...` in a child process; (wall seconds, peak RSS in MB of that child)."""
    started = time.perf_counter()
    script = (
        "import resource, runpy, sys; sys.argv = ['etl', *sys.argv[1:]];\n"
        "try:\n    runpy.run_module('etl', run_name='__main__')\n"
        "finally:\n    print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"etl {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    peak_kb = max(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK_RSS_KB"))
    return seconds, peak_kb / 1024


def _add_snapshot_copies(raw: Path, copies: int) -> None:
    """Publish every demo table `copies` times (as later snapshots), so the build reads copies x the observations.

    The catalog maps about 1.25 million cells of the real table structure; the real Veilig Thuis tables hold
    about 2.5 million because they have more categories than the catalog uses. Copies give the build the real
    input volume (parse, normalise, reconcile), although the published warehouse keeps one copy of each number.
    """
    for folder in sorted(raw.glob("cbs/*/*")):
        for copy in range(1, copies):
            shutil.copytree(folder, folder.with_name(f"{folder.name[:-2]}{int(folder.name[-2:]) + copy:02d}"))


def bench_demo_build(workdir: Path, copies: int) -> dict:
    """Generate the demo exports, then time a full build of them (copies x ~1.25 million observations)."""
    data = workdir / "data"
    data.mkdir(parents=True)
    for name in ("catalog", "reference", "geo"):
        (data / name).symlink_to(PROJECT_ROOT / "data" / name)
    env = {
        **os.environ,
        "HGKM_DATASET": "demo",
        "HGKM_DATA_DIR": str(data),
        "HGKM_WAREHOUSE_DIR": str(workdir / "warehouse"),
    }
    generate_s, generate_mb = _run_etl(["demo"], env)
    _add_snapshot_copies(data / "demo" / "raw", copies)
    build_s, build_mb = _run_etl(["build", "--quiet"], env)
    manifest = json.loads(next((workdir / "warehouse").glob("*/manifest.json")).read_text())
    return {
        "snapshot_copies": copies,
        "input_observations": sum(item["rows"] for item in manifest["inputs"]),
        "observations": manifest["tables"]["observations"],
        "demo_generate_seconds": round(generate_s, 2),
        "demo_generate_peak_mb": round(generate_mb, 1),
        "build_seconds": round(build_s, 2),
        "build_peak_mb": round(build_mb, 1),
        "build_target_seconds": BUILD_TARGET_SECONDS,
        "build_target_peak_mb": BUILD_TARGET_PEAK_MB,
        "warehouse_dir": str(workdir / "warehouse"),
    }


def query_cases(store: Store) -> dict[str, tuple]:
    """One typical call per query function, with arguments taken from the data itself."""
    indicator = "ontvangen_meldingen"
    latest = store.periods(indicator, "veilig_thuis_regio")
    period = latest["period_code"].iloc[0] if len(latest) else "2023JJ00"
    year = int(period[:4])
    breakdown_period = store.periods("meldingen_naar_aard_geweld", "veilig_thuis_regio")
    breakdown_period = breakdown_period["period_code"].iloc[0] if len(breakdown_period) else period
    return {
        "indicators": (),
        "availability": (),
        "periods": (indicator, "veilig_thuis_regio"),
        "regions": ("gemeente", year),
        "national_series": (indicator, "halfjaar"),
        "region_series": (indicator, ("VT09", "VT18", "VT01", "NL01"), "halfjaar"),
        "regional_values": (indicator, period, "veilig_thuis_regio", None),
        "regional_values_gemeente": (indicator, period, "gemeente", None),
        "category_breakdown": ("meldingen_naar_aard_geweld", "VT09", breakdown_period),
        "region_profile": ("VT09",),
    }


def bench_queries(warehouse_dir: Path, runs: int) -> dict:
    """Median and p95 latency per query function: uncached (the SQL itself) and cached."""
    store = Store(warehouse_dir)
    store.indicators()  # opens the build once, outside the timings
    results = {}
    for name, args in query_cases(store).items():
        method = getattr(Store, name.removesuffix("_gemeente"))
        uncached, cached = [], []
        for _ in range(runs):
            store.clear_cache()
            started = time.perf_counter()
            method(store, *args)
            uncached.append((time.perf_counter() - started) * 1000)
        for _ in range(runs):
            started = time.perf_counter()
            method(store, *args)
            cached.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "uncached_median_ms": round(statistics.median(uncached), 3),
            "uncached_p95_ms": round(statistics.quantiles(uncached, n=20)[18], 3),
            "cached_median_ms": round(statistics.median(cached), 4),
            "target_ms": QUERY_TARGET_MS,
        }
    return results


def _print_table(report: dict) -> None:
    if "demo_build" in report:
        build = report["demo_build"]
        print(
            f"\ndemo build: {build['input_observations']:,} input observations "
            f"({build['snapshot_copies']} snapshot(s) of each table) -> {build['observations']:,} in the warehouse"
        )
        generate = f"{build['demo_generate_seconds']:>7.1f} s   peak {build['demo_generate_peak_mb']:>7.0f} MB"
        print(f"  generate exports  {generate}")
        print(
            f"  etl build         {build['build_seconds']:>7.1f} s   peak {build['build_peak_mb']:>7.0f} MB"
            f"   (target <= {BUILD_TARGET_SECONDS:.0f} s, <= {BUILD_TARGET_PEAK_MB:.0f} MB)"
        )
    if "api" in report:
        api.print_table(report["api"])
    if "callbacks" in report:
        callbacks.print_table(report["callbacks"])
    if "page_weight" in report:
        page_weight.print_table(report["page_weight"])
    if "load" in report:
        load.print_table(report["load"])
    for dataset, queries in report["queries"].items():
        print(f"\nstore queries ({dataset}), ms       uncached median    p95   cached median   (target <= 5 ms)")
        for name, row in queries.items():
            flag = "" if row["uncached_median_ms"] <= QUERY_TARGET_MS else "  OVER"
            print(
                f"  {name:<28} {row['uncached_median_ms']:>12.2f} {row['uncached_p95_ms']:>8.2f}"
                f" {row['cached_median_ms']:>14.4f}{flag}"
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--runs", type=int, default=50, help="runs per query function")
    parser.add_argument("--skip-demo", action="store_true", help="only the store queries on the cbs build")
    parser.add_argument("--copies", type=int, default=2, help="snapshots of each demo table the build reads")
    args = parser.parse_args(argv)
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "queries": {}}
    with tempfile.TemporaryDirectory(prefix="hgkm-bench-") as tmp:
        workdir = Path(tmp)
        cbs = workdir / "cbs"
        _run_etl(["build", "--quiet"], {**os.environ, "HGKM_DATASET": "cbs", "HGKM_WAREHOUSE_DIR": str(cbs)})
        report["queries"]["cbs"] = bench_queries(cbs, args.runs)
        if not args.skip_demo:
            report["demo_build"] = bench_demo_build(workdir / "demo", args.copies)
            report["queries"]["demo"] = bench_queries(Path(report["demo_build"]["warehouse_dir"]), args.runs)
            demo = Path(report["demo_build"]["warehouse_dir"])
            report["api"] = api.bench_api(demo)
            api.write_result(report["api"])
            report["callbacks"] = callbacks.run(demo)
            report["page_weight"] = page_weight.bench_page_weight({"demo": demo, "cbs": cbs})
            page_weight.write_result(report["page_weight"])
            report["load"] = load.bench(demo, load.parse_options(["--duration", "10"]))
            load.write_result(report["load"])
    _print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nwritten {out.relative_to(PROJECT_ROOT)}")
    return 0
