"""Soak test: the production server under a steady load for minutes, with zero errors and memory that stays flat.

gunicorn is started with the flags of the Makefile's `serve` target (read from the Makefile, so the soak runs what
`make run` runs), bound to loopback, on the demo warehouse (every region and period; built in a temporary folder
unless --warehouse is given). Debian's `wrk` (installed by benchmarks/load.py's rule) keeps --users connections
busy, each user sending its next request when the previous one is answered, in a mix a visitor's browser sends
(benchmarks/wrk/soak.lua): page loads and Dash's layout, the page router rendering pages, the recorded callbacks of
benchmarks/payloads/ as recorded (answered from the memoised answers after their first time) and made distinct
(the callback runs), API endpoints in JSON, CSV and Parquet, and chart downloads. Every request is checked for a
2xx or 3xx answer once before the load.

After a warm-up (--warmup-minutes, not measured: caches and memoised answers fill, the workers reach their working
size) the load runs --minutes while the resident memory (RSS) of the gunicorn master and workers is sampled every
--sample-seconds (and their proportional share, PSS, which counts the pages the forked workers share once).
It passes with zero errors (statuses >= 400, socket errors, timeouts after --timeout seconds, a worker restarted,
a traceback in the server log) and RSS at the end within 10% of RSS at the start of the measured period.

The warm-up is 3 minutes by default because that is how long the bounded caches take to fill at this mix's rate
(measured: the callback memo, 32 MB per worker, takes every unique answer, and RSS rises steeply for about 2.5
minutes and then slowly); memory growth measured from the first minute would mostly be those caches reaching
their bounds, not a leak. The samples of the warm-up are kept in the JSON, so the whole curve can be read.

`python -m benchmarks.soak [--minutes 10] [--users 32] [--warmup-minutes 3]` prints a table and writes
benchmarks/results/soak.json; `make soak` runs it. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.load import debian_tool, load_recorded, pids_with, wait_for
from config import PROJECT_ROOT
from tests.http_client import routed_body
from tests.servers import free_port, stop

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
WRK_SCRIPT = PROJECT_ROOT / "benchmarks" / "wrk" / "soak.lua"
MAKEFILE = PROJECT_ROOT / "Makefile"
CALLBACK_PATH = "/_dash-update-component"
MAX_GROWTH = 0.10
WORKERS_FLAG = "--workers"

PAGES = ("/", "/landelijk/ontvangen_meldingen", "/regionaal/ontvangen_meldingen", "/regio/VT09", "/vergelijk", "/data")
ROUTED = (
    ("/", ""),
    ("/landelijk/ontvangen_meldingen", "?regio=VT09"),
    ("/regionaal/ontvangen_meldingen", "?niveau=gemeente"),
    ("/regio/VT09", ""),
    ("/regio/VT09/rapport", ""),
    ("/vergelijk", "?regios=VT09,VT18,VT01&indicator=ontvangen_meldingen"),
)
API = (
    "/api/v1/manifest",
    "/api/v1/indicators",
    "/api/v1/regions?level=gemeente",
    "/api/v1/availability?indicator=ontvangen_meldingen",
    "/api/v1/observations?indicator=ontvangen_meldingen&region=VT09&level=veilig_thuis_regio",
    "/api/v1/observations?indicator=ontvangen_meldingen&region=VT09&level=veilig_thuis_regio&format=csv",
    "/api/v1/observations?indicator=ontvangen_meldingen&region=NL01&level=land&format=parquet",
)
DOWNLOADS = (
    "/download/landelijk-trend?"
    + urlencode({"indicator": "ontvangen_meldingen", "bereik": "getoond", "formaat": "csv"}),
    "/download/regionaal?"
    + urlencode({"indicator": "ontvangen_meldingen", "niveau": "gemeente", "bereik": "volledig", "formaat": "xlsx"}),
)


# -- the mix --------------------------------------------------------------------------------------------------------


def request_mix(recorded: list[dict]) -> list[tuple[str, str, bool, str]]:
    """(method, path, distinct, body) in the order each user sends them: per round of the mix, every callback as
    recorded and made distinct, every page route rendered, the page loads with Dash's layout, the API calls and a
    chart download: 8 of every 14 requests are callbacks or page renders, as in a browser session."""
    callbacks = [json.dumps(item["payload"], separators=(",", ":")) for item in recorded]
    routed = [json.dumps(routed_body(path, search), separators=(",", ":")) for path, search in ROUTED]
    mix: list[tuple[str, str, bool, str]] = []
    for round_number, page in enumerate(PAGES):
        mix += [
            ("GET", page, False, ""),
            ("GET", "/_dash-layout", False, ""),
            ("GET", "/_dash-dependencies", False, ""),
        ]
        mix.append(("POST", CALLBACK_PATH, round_number % 2 == 1, routed[round_number % len(routed)]))
        for number, body in enumerate(callbacks):
            mix.append(("POST", CALLBACK_PATH, (number + round_number) % 2 == 0, body))
        mix += [("GET", API[(round_number + offset) % len(API)], False, "") for offset in range(2)]
        mix.append(("GET", DOWNLOADS[round_number % len(DOWNLOADS)], False, ""))
    return mix


def write_mix(mix: list[tuple[str, str, bool, str]], path: Path) -> Path:
    path.write_text("".join(f"{m}\t{p}\t{int(d)}\t{b}\n" for m, p, d, b in mix), encoding="utf-8")
    return path


def check_mix(base: str, mix: list[tuple[str, str, bool, str]], accept_encoding: str) -> dict[str, list]:
    """Send each different request of the mix twice: every one must get 2xx or 3xx before the load (a broken mix
    would count as server errors). Returns the status and milliseconds of the second answer, by request."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    seen = {}
    try:
        for method, path, distinct, body in dict.fromkeys(mix):
            headers = {"Accept-Encoding": accept_encoding, "Content-Type": "application/json"}
            for _ in range(2):  # the first time fills the store's cache and the memoised answer
                sent = json.dumps({"_load": f"check-{uuid.uuid4().hex}", **json.loads(body)}) if distinct else body
                started = time.perf_counter()
                connection.request(method, path, body=sent.encode() if method == "POST" else None, headers=headers)
                response = connection.getresponse()
                response.read()
            label = f"{method} {path}" + (f" {body[:120]}" if method == "POST" else "")
            seen[label] = [response.status, round((time.perf_counter() - started) * 1000, 1)]
            if not 200 <= response.status < 400:
                raise RuntimeError(f"{label}: HTTP {response.status} before any load; the mix is broken")
    finally:
        connection.close()
    return seen


# -- the server -----------------------------------------------------------------------------------------------------


def makefile_server_args(makefile: Path = MAKEFILE) -> list[str]:
    """The gunicorn arguments of the Makefile's `serve` recipe, without the bind address (set here to loopback)."""
    lines = makefile.read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("serve:")))
    recipe = next(line for line in lines[start + 1 :] if "gunicorn" in line)
    words = shlex.split(recipe)
    words = words[[i for i, word in enumerate(words) if word.endswith("/gunicorn")][0] + 1 :]
    bind = words.index("--bind")
    del words[bind : bind + 2]
    if any("$(" in word for word in words):
        raise RuntimeError(f"the Makefile's serve recipe has variables the soak does not know: {recipe.strip()}")
    return words


@contextmanager
def production_server(warehouse: Path, log_path: Path) -> Iterator[tuple[str, int]]:
    """gunicorn as `make serve` starts it, on a free loopback port; yields its base URL and worker count."""
    port = free_port()
    args = makefile_server_args()
    workers = int(args[args.index(WORKERS_FLAG) + 1])
    command = [str(Path(sys.executable).with_name("gunicorn")), *args[:-1], "--bind", f"127.0.0.1:{port}", args[-1]]
    env = {**os.environ, "HGKM_DATASET": "demo", "HGKM_WAREHOUSE_DIR": str(warehouse)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/api/v1/manifest", process, seconds=60.0)
            yield base, workers
        finally:
            stop(process, seconds=20)


# -- memory ---------------------------------------------------------------------------------------------------------


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) when it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    return _field_kb(status, "VmRSS:"), _field_kb(rollup, "Pss:")


def _field_kb(text: str, name: str) -> int:
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith(name)), 0)


class MemorySampler(threading.Thread):
    """Samples the total RSS and PSS of the server's processes every `interval` seconds, and the process ids."""

    def __init__(self, bind: str, interval: float):
        super().__init__(daemon=True)
        self.bind, self.interval = bind, interval
        self.samples: list[dict] = []
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.stopped.is_set():
            pids = pids_with(f"--bind {self.bind} ")
            sizes = [memory_kb(pid) for pid in pids]
            self.samples.append(
                {
                    "seconds": round(time.monotonic() - self.started_at, 1),
                    "rss_mb": round(sum(rss for rss, _ in sizes) / 1024, 1),
                    "pss_mb": round(sum(pss for _, pss in sizes) / 1024, 1),
                    "pids": pids,
                }
            )
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


# -- the run --------------------------------------------------------------------------------------------------------


def run_wrk(wrk: str, base: str, requests: Path, accept_encoding: str, options, seconds: float) -> dict:
    command = [
        wrk, "--threads", "2", "--connections", str(options.users), "--duration", f"{seconds:g}s",
        "--timeout", f"{options.timeout:g}s", "--latency", "--script", str(WRK_SCRIPT), base,
    ]  # fmt: skip
    env = {
        **os.environ,
        "WRK_REQUESTS": str(requests),
        "WRK_ACCEPT_ENCODING": accept_encoding,
        "WRK_RUN": uuid.uuid4().hex,
    }
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    line = next((text for text in result.stdout.splitlines() if text.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return json.loads(line.removeprefix("WRK_JSON "))


def server_log_problems(log_path: Path) -> list[str]:
    """Lines of the server log that show a failure: a traceback, an unexpected error, a worker timeout or exit."""
    markers = ("Traceback", "unexpected error", "WORKER TIMEOUT", "Worker exited", "was sent SIGKILL")
    return [line for line in log_path.read_text(errors="replace").splitlines() if any(m in line for m in markers)]


def soak(warehouse: Path, options: argparse.Namespace, workdir: Path) -> dict:
    recorded = load_recorded()
    accept_encoding = recorded[0]["accept_encoding"]
    wrk = debian_tool("wrk", "wrk")
    mix = request_mix(recorded)
    requests = write_mix(mix, workdir / "requests.tsv")
    log_path = workdir / "server.log"
    with production_server(warehouse, log_path) as (base, workers):
        checked = check_mix(base, mix, accept_encoding)
        sampler = MemorySampler(base.removeprefix("http://"), options.sample_seconds)
        sampler.start()
        try:
            warmup = run_wrk(wrk, base, requests, accept_encoding, options, options.warmup_minutes * 60)
            measured_from = time.monotonic() - sampler.started_at
            load = run_wrk(wrk, base, requests, accept_encoding, options, options.minutes * 60)
        finally:
            sampler.stop()
    problems = server_log_problems(log_path)
    if problems:
        kept = PROJECT_ROOT / "artifacts" / "soak-server.log"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(log_path.read_bytes())
    return summarise(warehouse, options, workers, mix, checked, warmup, load, sampler.samples, measured_from, problems)


def summarise(warehouse, options, workers, mix, checked, warmup, load, samples, measured_from, problems) -> dict:
    measured = [sample for sample in samples if sample["seconds"] >= measured_from]
    start, end = measured[0], measured[-1]
    restarts = len({pid for sample in samples for pid in sample["pids"]}) - (workers + 1)
    errors = load["errors"]
    warmup_errors = sum(warmup["errors"].values())
    error_count = sum(errors.values()) + warmup_errors + max(restarts, 0) + len(problems)
    growth = (end["rss_mb"] - start["rss_mb"]) / start["rss_mb"]
    middle = measured[len(measured) // 2]  # a leak keeps growing in the second half; caches filling level off
    second_half = (end["rss_mb"] - middle["rss_mb"]) / middle["rss_mb"]
    seconds = load["duration_us"] / 1e6
    manifest = json.loads(next(warehouse.glob("*/manifest.json")).read_text())
    percentiles = load["latency_us"]["percentiles"]
    return {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_average": os.getloadavg()},
        "warehouse": {
            "dataset": "demo",
            "build_id": manifest["build_id"],
            "observations": manifest["tables"]["observations"],
        },
        "server": "gunicorn " + " ".join(makefile_server_args()) + " (the Makefile's serve), bound to 127.0.0.1",
        "users": options.users,
        "warmup_minutes": options.warmup_minutes,
        "minutes": options.minutes,
        "mix": {
            "requests_per_round": len(mix),
            "callbacks_distinct": sum(1 for m in mix if m[2]),
            "callbacks_repeat": sum(1 for m in mix if m[0] == "POST" and not m[2]),
            "gets": sum(1 for m in mix if m[0] == "GET"),
            "checked_statuses": checked,
        },
        "requests": load["requests"],
        "requests_per_second": round(load["requests"] / seconds, 1),
        "statuses": load["statuses"],
        "errors": error_count,
        "error_kinds": {
            **{kind: count for kind, count in errors.items() if count},
            **({"warmup": warmup_errors} if warmup_errors else {}),
            **({"worker_restarts": restarts} if restarts > 0 else {}),
            **({"server_log": len(problems)} if problems else {}),
        },
        "server_log_problems": problems[:20],
        "latency_ms": {
            **{f"p{key}": round(value / 1000, 1) for key, value in percentiles.items()},
            "mean": round(load["latency_us"]["mean"] / 1000, 1),
            "max": round(load["latency_us"]["max"] / 1000, 1),
        },
        "memory": {
            "rss_start_mb": start["rss_mb"],
            "rss_end_mb": end["rss_mb"],
            "rss_max_mb": max(sample["rss_mb"] for sample in measured),
            "rss_growth_pct": round(100 * growth, 2),
            "rss_growth_second_half_pct": round(100 * second_half, 2),
            "pss_start_mb": start["pss_mb"],
            "pss_end_mb": end["pss_mb"],
            "pss_max_mb": max(sample["pss_mb"] for sample in measured),
            "rss_before_warmup_mb": samples[0]["rss_mb"],
            "sample_seconds": options.sample_seconds,
            "samples": [{key: value for key, value in sample.items() if key != "pids"} for sample in samples],
        },
        "passed": error_count == 0 and growth <= MAX_GROWTH,
        "criteria": {"errors": 0, "rss_growth_pct_at_most": 100 * MAX_GROWTH},
    }


def print_table(result: dict) -> None:
    memory, latency = result["memory"], result["latency_ms"]
    print(f"\nSoak test: {result['server']}")
    print(
        f"  demo warehouse ({result['warehouse']['observations']:,} observations), {result['users']} users, "
        f"{result['warmup_minutes']:g} min warm-up, then {result['minutes']:g} min measured; "
        f"load average {result['machine']['load_average'][0]:.1f} on {result['machine']['cpus']} cores"
    )
    print("  requests     req/s  errors     p50     p95     p99     max (ms)")
    print(
        f"  {result['requests']:>8,} {result['requests_per_second']:>9.1f} {result['errors']:>7} {latency['p50']:>7.1f}"
        f" {latency['p95']:>7.1f} {latency['p99']:>7.1f} {latency['max']:>7.1f}"
    )
    print(f"  statuses: {result['statuses']}; error kinds: {result['error_kinds'] or 'none'}")
    print(
        f"  RSS (master + workers) MB: before warm-up {memory['rss_before_warmup_mb']:.0f}, start "
        f"{memory['rss_start_mb']:.0f}, end {memory['rss_end_mb']:.0f}, max {memory['rss_max_mb']:.0f}: growth "
        f"{memory['rss_growth_pct']:+.1f}% (<= {100 * MAX_GROWTH:.0f}%), second "
        f"half {memory['rss_growth_second_half_pct']:+.1f}%; PSS start {memory['pss_start_mb']:.0f}, "
        f"end {memory['pss_end_mb']:.0f}"
    )
    print(f"  {'PASSED' if result['passed'] else 'FAILED'}: 0 errors and memory growth <= {100 * MAX_GROWTH:.0f}%")


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "soak.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return out


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--minutes", type=float, default=10.0, help="minutes of measured load")
    parser.add_argument("--users", type=int, default=32, help="concurrent users (wrk connections, closed loop)")
    parser.add_argument("--warmup-minutes", type=float, default=3.0, help="minutes of load before measuring")
    parser.add_argument("--sample-seconds", type=float, default=5.0, help="seconds between memory samples")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    parser.add_argument("--warehouse", type=Path, help="a demo warehouse folder (default: build one)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    with tempfile.TemporaryDirectory(prefix="hgkm-soak-") as tmp:
        workdir = Path(tmp)
        if options.warehouse:
            warehouse = options.warehouse
        else:
            from benchmarks.api import build_demo

            warehouse = build_demo(workdir / "demo")
        result = soak(warehouse, options, workdir)
    print_table(result)
    print(f"\nwritten {write_result(result).relative_to(PROJECT_ROOT)}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
