"""API benchmark: latency of a typical observations query and the full-series download, over the production server.

The server is gunicorn as the tests start it (tests/servers.py: 2 workers, 4 threads, --preload) on the demo
warehouse, which holds every region and period; the client sends one request at a time on loopback, each on a
new connection, as `curl` or `pandas.read_csv(url)` would. Runs with `python -m benchmarks` (on the demo build it
makes) or alone: `python -m benchmarks.api [--requests N] [--runs N]`, which builds the demo in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from config import PROJECT_ROOT
from tests.servers import running_server

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
TYPICAL = {"indicator": "ontvangen_meldingen", "region": "VT09"}  # one indicator, one VT region, all periods
FORMATS = ("json", "csv", "parquet")
WARMUP = 10


def _fetch(url: str) -> tuple[bytes, dict]:
    with urllib.request.urlopen(url, timeout=120) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read(), response.headers


def _latency(url: str, requests: int) -> dict:
    """Median and p95 milliseconds of `requests` sequential GETs (after a warm-up), and the response size."""
    for _ in range(WARMUP):
        _fetch(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        body, headers = _fetch(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "requests": requests,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(statistics.quantiles(times, n=20)[18], 2),
        "rows": int(headers["X-Total-Count"]),
        "bytes": len(body),
    }


def _largest_indicator(base: str) -> str:
    """The indicator with the most observations, from the API's own availability table."""
    counts: Counter[str] = Counter()
    for row in json.loads(_fetch(f"{base}/api/v1/availability")[0])["data"]:
        counts[row["indicator_id"]] += row["n_observations"]
    return counts.most_common(1)[0][0]


def _full_series(base: str, indicator: str, fmt: str, runs: int) -> dict:
    """Every observation of an indicator, following the `Link: rel="next"` pages; median seconds over `runs`."""
    seconds = []
    for _ in range(runs):
        url: str | None = f"{base}/api/v1/observations?indicator={indicator}&format={fmt}"
        started, size, pages, rows = time.perf_counter(), 0, 0, 0
        while url:
            body, headers = _fetch(url)
            size, pages, rows = size + len(body), pages + 1, int(headers["X-Total-Count"])
            link = headers.get("Link")
            url = base + link[1 : link.index(">")] if link else None
        seconds.append(time.perf_counter() - started)
    return {
        "indicator": indicator,
        "rows": rows,
        "pages": pages,
        "bytes": size,
        "runs": runs,
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": round(max(seconds), 3),
    }


def _chart_download(base: str, indicator: str, fmt: str, runs: int) -> dict:
    """The full-series chart download (/download/regionaal?bereik=volledig): the first request writes the file,
    later ones may come from the worker's cache (two workers: each writes it once)."""
    url = f"{base}/download/regionaal?indicator={indicator}&bereik=volledig&formaat={fmt}"
    seconds, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        body, _ = _fetch(url)
        seconds.append(time.perf_counter() - started)
        size = len(body)
    return {"bytes": size, "first_seconds": round(seconds[0], 3), "fastest_seconds": round(min(seconds), 3)}


def bench_api(warehouse_dir: Path, requests: int = 200, runs: int = 5) -> dict:
    """Latency per format for the typical query and the full-series download, against the demo warehouse."""
    load = os.getloadavg()  # other work on the machine skews the numbers; recorded with them
    with running_server(warehouse_dir, dataset="demo") as base:
        manifest = json.loads(_fetch(f"{base}/api/v1/manifest")[0])["data"]
        query = urllib.parse.urlencode(TYPICAL)
        latency = {fmt: _latency(f"{base}/api/v1/observations?{query}&format={fmt}", requests) for fmt in FORMATS}
        indicator = _largest_indicator(base)
        full = {fmt: _full_series(base, indicator, fmt, runs) for fmt in ("csv", "parquet")}
        downloads = {fmt: _chart_download(base, indicator, fmt, runs) for fmt in ("csv", "csv-nl", "xlsx", "json")}
    return {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_average_before": load},
        "warehouse": {
            "dataset": "demo",
            "build_id": manifest["build_id"],
            "observations": manifest["tables"]["observations"],
        },
        "server": "gunicorn --workers 2 --threads 4 --preload (tests/servers.py), client on loopback, one at a time",
        "typical_query": f"/api/v1/observations?{query}",
        "latency": latency,
        "full_series": full,
        "chart_download_full_series": {"indicator": indicator, **downloads},
    }


def print_table(result: dict) -> None:
    print(f"\nAPI over gunicorn, demo warehouse ({result['warehouse']['observations']:,} observations)")
    print(f"  {result['typical_query']}          median ms    p95 ms     rows      bytes")
    for fmt, row in result["latency"].items():
        print(
            f"    format={fmt:<8} ({row['requests']} requests) {row['median_ms']:>15.1f} {row['p95_ms']:>9.1f}"
            f" {row['rows']:>8,} {row['bytes']:>10,}"
        )
    for fmt, row in result["full_series"].items():
        print(
            f"  full series {row['indicator']} as {fmt}: {row['rows']:,} rows in {row['pages']} page(s), "
            f"{row['bytes']:,} bytes, median {row['median_seconds']:.2f} s (max {row['max_seconds']:.2f} s) over "
            f"{row['runs']} runs"
        )

    downloads = dict(result["chart_download_full_series"])
    indicator = downloads.pop("indicator")
    print(f"  chart download, full series of {indicator} (/download/regionaal?bereik=volledig):")
    for fmt, row in downloads.items():
        print(
            f"    {fmt:<7} {row['bytes']:>12,} bytes, first request {row['first_seconds']:.2f} s, "
            f"fastest {row['fastest_seconds']:.2f} s"
        )


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "api.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return out


def build_demo(workdir: Path) -> Path:
    """Generate the demo exports and build them into a warehouse under `workdir` (as the test fixture does)."""
    from config import load_settings
    from etl.build import build
    from etl.demo_inputs import ensure_demo_exports

    data = workdir / "data"
    data.mkdir(parents=True)
    for name in ("catalog", "reference", "geo"):
        (data / name).symlink_to(PROJECT_ROOT / "data" / name)
    settings = load_settings(
        {"HGKM_DATASET": "demo", "HGKM_DATA_DIR": str(data), "HGKM_WAREHOUSE_DIR": str(workdir / "warehouse")}
    )
    ensure_demo_exports(settings)
    build(settings, progress=False)
    return settings.warehouse_dir


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api")
    parser.add_argument("--requests", type=int, default=200, help="requests per format for the typical query")
    parser.add_argument("--runs", type=int, default=5, help="downloads of the full series per format")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hgkm-bench-api-") as tmp:
        result = bench_api(build_demo(Path(tmp)), args.requests, args.runs)
    print_table(result)
    print(f"\nwritten {write_result(result).relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
