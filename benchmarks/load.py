"""HTTP load test of the Dash callbacks over the production server, and the scale-out scenario behind nginx.

The requests are the callback bodies recorded from real pages in headless Chromium (benchmarks/payloads/, written
by `python -m benchmarks.callbacks --record`): national view change, regional control change, region click, table
sort, gemeente level, profile period switch, compare measure. Debian's `wrk` (its own process, C and LuaJIT) POSTs
them in turn to /_dash-update-component with the browser's Accept-Encoding (benchmarks/wrk/callbacks.lua), so
Dash's dispatch, the callback, JSON encoding and compression are all in each request. Two mixes:

- repeat: the bodies as recorded, as a burst of visitors on the same shared links and controls sends them; after
  its first time in a worker, each is answered from the server's memoised answers (serving/callback_memo.py);
- distinct: every body made unique with a leading member Dash does not read, so the memo never answers and the
  callback runs every time (on store query results cached per build): views nobody asked for before.

Setups, on the demo warehouse (every region and period; built in a temporary folder unless --warehouse is given):

- single: gunicorn as the Makefile serves it (2 workers x 4 threads, --preload), closed loop: each of 8, 32 and
  64 users (wrk connections, keep-alive) sends its next request as soon as the previous one is answered;
- paced: 32 users who wait a random think time (exponential, mean users / --paced-rate seconds) between requests,
  so that they offer about --paced-rate requests per second: the latency at that rate when the server keeps up;
- scale-out: nginx (Debian's package, started here from a generated configuration with the proxy settings of
  deploy/nginx.conf, and stopped afterwards) in front of that instance (the proxy's own cost); then two small
  instances (1 worker x 4 threads each, each pinned to a core of its own as if on a machine of its own), first one
  of them alone, direct, then both behind nginx, at 32 and 64 users. Against one small instance, the pair shows
  what an added instance with its own CPU adds; against the Makefile's instance (2 workers), that splitting one
  machine into instances adds nothing. On N machines, throughput adds up.

Errors are HTTP statuses >= 400 and socket errors (connect, read, write, timeout after --timeout seconds). Every
run records the CPU time of the server (and of each of its processes), nginx, wrk, interrupt handling and everything
else on the machine, from /proc, and the load average (which counts the server's own busy threads too): other work
on a 2-core machine changes the figures, and the record says by how much. --wait-quiet waits
before each run until other processes use less than a quarter of a core.

`python -m benchmarks.load [--duration S] [--users 8,32,64] [--mixes repeat,distinct] [--no-scale-out]
[--warehouse DIR] [--wait-quiet]` prints a table and writes benchmarks/results/load.json. wrk and nginx are
installed with apt-get when missing and running as root; otherwise the run stops and says which package to install.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from config import PROJECT_ROOT
from tests.servers import free_port, running_server

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
PAYLOADS = PROJECT_ROOT / "benchmarks" / "payloads"
WRK_SCRIPT = PROJECT_ROOT / "benchmarks" / "wrk" / "callbacks.lua"
CALLBACK_PATH = "/_dash-update-component"
MEMO_HEADER = "X-Callback-Memo"  # "hit" when serving/callback_memo.py answered
HEALTH_PATH = "/api/v1/manifest"
USERS = (8, 32, 64)
SCALE_USERS = (32, 64)
MIXES = ("repeat", "distinct")
BUDGET_USERS = 32
BUDGET_P95_MS = 25.0
BUDGET_RPS = 500.0
PERCENTILES = ("50", "75", "90", "95", "99", "99.9")
SEQUENTIAL_REQUESTS = 15
QUIET_CORES = 0.25
RUN = uuid.uuid4().hex  # in every distinct body: a body no earlier run has sent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- tools ----------------------------------------------------------------------------------------------------------


def debian_tool(command: str, package: str) -> str:
    """The path of a command from a Debian package, installed with apt-get when missing and running as root."""
    path = shutil.which(command)
    if path:
        return path
    if os.geteuid() != 0:
        raise RuntimeError(f"`{command}` is missing: install Debian's {package} package (apt-get install {package})")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", package]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(install, env=env, check=True, capture_output=True)
    return shutil.which(command) or f"/usr/sbin/{command}"


# -- payloads -------------------------------------------------------------------------------------------------------


def load_recorded(folder: Path = PAYLOADS) -> list[dict]:
    """The recorded callback requests, one per scenario, in name order."""
    recorded = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    if not recorded:
        raise RuntimeError(f"no recorded payloads in {folder}: run `python -m benchmarks.callbacks --record`")
    return recorded


def write_bodies(recorded: list[dict], path: Path) -> Path:
    """One compact JSON body per line, as benchmarks/wrk/callbacks.lua reads them."""
    lines = [json.dumps(item["payload"], separators=(",", ":"), ensure_ascii=False) for item in recorded]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def distinct_body(payload: dict, number: int) -> bytes:
    """The payload made unique with a leading member Dash does not read (as benchmarks/wrk/callbacks.lua does), so
    that the server's answers memoised per request body do not answer it: the callback runs."""
    return json.dumps({"_load": f"sequential-{RUN}-{number}", **payload}).encode()


def sequential(base: str, recorded: list[dict], requests: int = SEQUENTIAL_REQUESTS) -> dict:
    """Each recorded request alone, one at a time on one keep-alive connection, as recorded (answered from the
    memoised answers after its first time) and made distinct (the callback runs, on store results cached per
    build): its response size and median latency. Checks that every body is answered with 200 before any load,
    that the distinct bodies are never answered from the memo (its X-Callback-Memo header), and warms the store."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    numbers = itertools.count()
    results = {}

    def timed(body: bytes, headers: dict, scenario: str) -> tuple[float, bytes, str, bool]:
        started = time.perf_counter()
        connection.request("POST", CALLBACK_PATH, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{scenario}: HTTP {response.status} {content[:300]!r}")
        memo_hit = response.getheader(MEMO_HEADER, "") == "hit"
        return elapsed, content, response.getheader("Content-Encoding", ""), memo_hit

    try:
        for item in recorded:
            payload, scenario = item["payload"], item["scenario"]
            headers = {"Content-Type": "application/json", "Accept-Encoding": item["accept_encoding"]}
            plain = json.dumps(payload).encode()
            for _ in range(2):  # warm-up: the store's queries, the memoised answer
                timed(plain, headers, scenario)
                timed(distinct_body(payload, next(numbers)), headers, scenario)
            repeat = [timed(plain, headers, scenario) for _ in range(requests)]
            distinct = [timed(distinct_body(payload, next(numbers)), headers, scenario) for _ in range(requests)]
            if any(row[3] for row in distinct):
                raise RuntimeError(f"{scenario}: a distinct body was answered from the memo; the mix would not run it")
            results[scenario] = {
                "callback": item["callback"],
                "action": item["action"],
                "repeat_median_ms": round(statistics.median(row[0] for row in repeat), 2),
                "repeat_memo_hits": sum(row[3] for row in repeat),
                "distinct_median_ms": round(statistics.median(row[0] for row in distinct), 2),
                "distinct_min_ms": round(min(row[0] for row in distinct), 2),
                "requests": requests,
                "response_bytes": len(repeat[-1][1]),
                "content_encoding": repeat[-1][2],
            }
    finally:
        connection.close()
    return results


# -- CPU accounting from /proc --------------------------------------------------------------------------------------


def pids_with(text: str) -> list[int]:
    """Processes whose command line contains `text` (a server's bind address, nginx's configuration path), and
    their descendants (gunicorn's and nginx's workers)."""
    parents: dict[int, int] = {}
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    while grown := {pid for pid, parent in parents.items() if parent in found} - found:
        found |= grown
    return sorted(found)


def server_pids(base: str, workers: int, seconds: float = 30.0) -> list[int]:
    """The gunicorn master and workers serving `base`, once all `workers` have been forked (the server answers as
    soon as the first one has)."""
    deadline = time.monotonic() + seconds
    while len(pids := pids_with(f"--bind {urlsplit(base).netloc} ")) < workers + 1:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base}: {workers} workers expected, found processes {pids}")
        time.sleep(0.2)
    return pids


def pin_to_core(pids: list[int], core: int) -> None:
    """Run these processes (every thread they have, and so the threads they start later) on one core only: a
    small instance as if on a machine of its own. A lone gunicorn worker whose threads may use any core spends
    far more CPU per request on an otherwise idle machine (measured here: 1.7-1.9 times, the threads handing
    Python's interpreter lock to each other across cores)."""
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            os.sched_setaffinity(int(task.name), {core})


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (not their children)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            continue
    return total / CLOCK_TICKS


def interrupt_seconds() -> float:
    """CPU seconds the machine has spent handling interrupts (irq, softirq; on loopback mostly the test's own
    network traffic), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split()
    return (int(fields[6]) + int(fields[7])) / CLOCK_TICKS


def every_process_cpu() -> dict[int, float]:
    """User + system CPU seconds of every process now running, by process id."""
    pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    return {pid: process_cpu_seconds([pid]) for pid in pids}


def children_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (wrk, once it has exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def others_seconds(before: dict[int, float], after: dict[int, float], ours: set[int]) -> float:
    """CPU seconds used between two snapshots by processes other than `ours` and this one (a process that ended
    in between is missed)."""
    skip = ours | {os.getpid()}
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items() if pid not in skip)


def others_cores(ours: list[int], seconds: float = 3.0) -> float:
    """Cores used by every process but `ours` and this one over the next `seconds`."""
    before = every_process_cpu()
    time.sleep(seconds)
    return others_seconds(before, every_process_cpu(), set(ours)) / seconds


def wait_until_quiet(ours: list[int], limit_seconds: float = 600.0) -> float:
    """Wait (at most `limit_seconds`) until other processes use less than QUIET_CORES; their last use."""
    deadline = time.monotonic() + limit_seconds
    while (used := others_cores(ours, 5.0)) >= QUIET_CORES and time.monotonic() < deadline:
        print(f"  waiting: other processes use {used:.2f} cores", file=sys.stderr)
    return used


# -- wrk ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """What every wrk run shares: the program, the request bodies and how long and how patiently to run."""

    wrk: str
    bodies: Path
    accept_encoding: str
    duration: float
    timeout: float


def run_wrk(
    load: Load,
    base: str,
    users: int,
    mix: str,
    groups: tuple[list[int], ...],
    think_ms: float = 0.0,
    duration: float | None = None,
) -> dict:
    """One wrk run of `users` keep-alive connections; throughput, latency, errors, and the CPU used by each group
    of processes (server, then nginx), by wrk and by everything else on the machine."""
    seconds = duration or load.duration
    command = [
        load.wrk, "--threads", str(min(2, users)), "--connections", str(users), "--duration", f"{seconds:g}s",
        "--timeout", f"{load.timeout:g}s", "--latency", "--script", str(WRK_SCRIPT), base,
    ]  # fmt: skip
    env = {
        **os.environ,
        "WRK_BODIES": str(load.bodies),
        "WRK_ACCEPT_ENCODING": load.accept_encoding,
        "WRK_DISTINCT": "1" if mix == "distinct" else "0",
        "WRK_THINK_MS": f"{think_ms:g}",
        "WRK_RUN": uuid.uuid4().hex,
    }
    load_before = os.getloadavg()
    cpu_before = [process_cpu_seconds(pids) for pids in groups]
    server_before = {pid: process_cpu_seconds([pid]) for pid in groups[0]}
    everyone, irq_before, wrk_before = every_process_cpu(), interrupt_seconds(), children_cpu_seconds()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr[-2000:]}")
    line = next((text for text in result.stdout.splitlines() if text.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no WRK_JSON line:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    group_cpu = [process_cpu_seconds(pids) - before for pids, before in zip(groups, cpu_before, strict=True)]
    server_processes = {pid: process_cpu_seconds([pid]) - before for pid, before in server_before.items()}
    wrk_cpu = children_cpu_seconds() - wrk_before
    irq = interrupt_seconds() - irq_before
    others = others_seconds(everyone, every_process_cpu(), {pid for pids in groups for pid in pids})
    measured = raw["duration_us"] / 1e6
    requests, errors, percentiles = raw["requests"], raw["errors"], raw["latency_us"]["percentiles"]
    return {
        "mix": mix,
        "users": users,
        "think_ms": round(think_ms, 1),
        "seconds": round(measured, 2),
        "requests": requests,
        "requests_per_second": round(requests / measured, 1),
        "mean_response_bytes": round(raw["bytes"] / requests) if requests else 0,
        "latency_ms": {
            **{f"p{key}": round(percentiles[key] / 1000, 1) for key in PERCENTILES},
            "mean": round(raw["latency_us"]["mean"] / 1000, 1),
            "max": round(raw["latency_us"]["max"] / 1000, 1),
        },
        "errors": sum(errors.values()),
        "error_kinds": {kind: count for kind, count in errors.items() if count},
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "cpu_cores": {
            "server": round(group_cpu[0] / wall, 2),
            "nginx": round(sum(group_cpu[1:]) / wall, 2),
            "wrk": round(wrk_cpu / wall, 2),
            "interrupts": round(irq / wall, 2),
            "others": round(others / wall, 2),
        },
        # per gunicorn process (masters idle): keep-alive connections stay with the worker that accepted them
        "server_process_cores": sorted((round(value / wall, 2) for value in server_processes.values()), reverse=True),
        "server_cpu_ms_per_request": round(group_cpu[0] * 1000 / requests, 2) if requests else None,
    }


# -- nginx ----------------------------------------------------------------------------------------------------------


NGINX_CONF = """\
# Generated by benchmarks/load.py for one run on loopback; deploy/nginx.conf is the configuration for deployment.
{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    log_format upstream '$upstream_addr $status $request_time $upstream_response_time';
    access_log {prefix}/access.log upstream buffer=256k flush=1s;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 1000000;
    gzip off;  # the app compresses (brotli or gzip, per the client's Accept-Encoding)
    upstream hgkm {{
        least_conn;  # callbacks differ ten-fold in cost: send each to the instance with the fewest in flight
{servers}
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 1s;  # below gunicorn's --keep-alive (2 s): nginx never reuses one gunicorn closed
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 1m;
        location / {{
            proxy_pass http://hgkm;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering on;
            proxy_buffer_size 16k;
            proxy_buffers 32 16k;
        }}
    }}
}}
"""


@contextmanager
def running_nginx(nginx: str, upstreams: list[str], workdir: Path) -> Iterator[tuple[str, Path, list[int]]]:
    """nginx balancing over `upstreams` (base URLs) on a free loopback port; yields its base URL, its access log
    and its process ids, and stops it afterwards. Nothing of the system's nginx (service, logs) is touched."""
    prefix = Path(tempfile.mkdtemp(prefix="nginx-", dir=workdir))
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir()
    port = free_port()
    # max_fails=0: under a saturating load a slow answer is not a failed instance; none is ever taken out
    servers = "\n".join(f"        server {urlsplit(url).netloc} max_fails=0;" for url in upstreams)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers as the invoking user: they write into prefix
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, servers=servers, port=port), encoding="utf-8")
    command = [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused its configuration: {check.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + HEALTH_PATH, process)
        yield base, prefix / "access.log", pids_with(str(conf))
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, which flushes the buffered access log
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 15.0) -> None:
    address = urlsplit(url)
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
        try:
            connection.request("GET", address.path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: no 200 within {seconds:g} s")
        time.sleep(0.2)


def upstream_shares(access_log: Path, upstreams: list[str]) -> dict[str, float]:
    """Share of the proxied requests (warm-up and runs) each instance answered, from nginx's access log."""
    counts = Counter(line.split()[0] for line in access_log.read_text().splitlines() if line)
    total = sum(counts.values()) or 1
    return {url: round(counts.get(urlsplit(url).netloc, 0) / total, 3) for url in upstreams}


# -- the scenario ---------------------------------------------------------------------------------------------------


def bench_load(warehouse_dir: Path, workdir: Path, options: argparse.Namespace) -> dict:
    """Every run of the load test (see the module docstring): rows of setup, mix, users and the figures."""
    nginx = debian_tool("nginx", "nginx") if options.scale_out else None
    recorded = load_recorded()
    load = Load(
        wrk=debian_tool("wrk", "wrk"),
        bodies=write_bodies(recorded, workdir / "bodies.txt"),
        accept_encoding=recorded[0]["accept_encoding"],
        duration=options.duration,
        timeout=options.timeout,
    )
    rows: list[dict] = []

    def runs(setup: str, base: str, groups: tuple[list[int], ...], users: tuple[int, ...], paced: bool) -> None:
        for mix in options.mixes:
            run_wrk(load, base, max(users), mix, groups, duration=options.warmup)  # warm-up, not recorded
            plan = [(count, 0.0) for count in users] + (
                [(BUDGET_USERS, 1000 * BUDGET_USERS / options.paced_rate)] if paced else []
            )
            for count, think_ms in plan:
                if options.wait_quiet:
                    wait_until_quiet([pid for group in groups for pid in group])
                row = {"setup": setup, **run_wrk(load, base, count, mix, groups, think_ms)}
                rows.append(row)
                print(
                    f"  {setup} {mix} {count} users{' paced' if think_ms else ''}: "
                    f"{row['requests_per_second']:.1f} req/s, p95 {row['latency_ms']['p95']:.1f} ms, "
                    f"{row['errors']} errors, others {row['cpu_cores']['others']} cores",
                    file=sys.stderr,
                )

    report: dict = {}
    with running_server(warehouse_dir, dataset="demo", workers=2) as base:
        pids = server_pids(base, workers=2)
        report["sequential"] = sequential(base, recorded)
        runs("single", base, (pids,), options.users, paced=True)
        if options.scale_out:
            with running_nginx(nginx, [base], workdir) as (proxy, _, nginx_pids):
                runs("nginx_one_instance", proxy, (pids, nginx_pids), options.scale_users, paced=False)
    if options.scale_out:
        with ExitStack() as stack:
            bases = [stack.enter_context(running_server(warehouse_dir, dataset="demo", workers=1)) for _ in range(2)]
            instances = [server_pids(url, workers=1) for url in bases]
            for core, instance in enumerate(instances):
                pin_to_core(instance, core % (os.cpu_count() or 1))
            pids = [pid for instance in instances for pid in instance]
            for url in bases:
                sequential(url, recorded, requests=1)  # the same first use as the single instance had
            runs("one_small_instance", bases[0], (instances[0],), options.scale_users, paced=False)
            proxy, log, nginx_pids = stack.enter_context(running_nginx(nginx, bases, workdir))
            runs("nginx_two_instances", proxy, (pids, nginx_pids), options.scale_users, paced=False)
        report["upstream_shares"] = upstream_shares(log, bases)
    report["runs"] = rows
    return report


def _row(rows: list[dict], setup: str, mix: str, users: int, paced: bool = False) -> dict | None:
    return next(
        (
            row
            for row in rows
            if (row["setup"], row["mix"], row["users"], bool(row["think_ms"])) == (setup, mix, users, paced)
        ),
        None,
    )


def budgets(report: dict, mixes: tuple[str, ...]) -> dict:
    """The issue's budgets against the single instance, per mix."""
    rows = report["runs"]
    checks = {}
    for mix in mixes:
        at_budget = _row(rows, "single", mix, BUDGET_USERS)
        paced = _row(rows, "single", mix, BUDGET_USERS, paced=True)
        single = [row for row in rows if row["setup"] == "single" and row["mix"] == mix and not row["think_ms"]]
        checks[mix] = {
            f"p95_ms_at_{BUDGET_USERS}_users": at_budget["latency_ms"]["p95"],
            "best_requests_per_second": max(row["requests_per_second"] for row in single),
            "errors": sum(row["errors"] for row in rows if row["mix"] == mix),
            "paced_offered_per_second": round(BUDGET_USERS * 1000 / paced["think_ms"]),
            "paced_requests_per_second": paced["requests_per_second"],
            "paced_p95_ms": paced["latency_ms"]["p95"],
        }
        checks[mix]["met"] = (
            checks[mix][f"p95_ms_at_{BUDGET_USERS}_users"] <= BUDGET_P95_MS
            and checks[mix]["best_requests_per_second"] >= BUDGET_RPS
            and checks[mix]["errors"] == 0
        )
    return {
        "budget": {"p95_ms": BUDGET_P95_MS, "users": BUDGET_USERS, "requests_per_second": BUDGET_RPS, "errors": 0},
        **checks,
    }


def scale_out(report: dict) -> list[dict]:
    """Throughput of two instances behind nginx against one instance of the same size (1 worker: what adding an
    instance adds), one instance as the Makefile serves it (2 workers: the same CPU as the pair) and that instance
    behind nginx (the proxy's cost)."""
    rows = report["runs"]
    compared = []
    for row in (row for row in rows if row["setup"] == "nginx_two_instances"):
        entry = {"mix": row["mix"], "users": row["users"], "two_instances_per_second": row["requests_per_second"]}
        for setup in ("one_small_instance", "single", "nginx_one_instance"):
            other = _row(rows, setup, row["mix"], row["users"])
            if other:
                entry[f"{setup}_per_second"] = other["requests_per_second"]
                entry[f"ratio_to_{setup}"] = round(row["requests_per_second"] / other["requests_per_second"], 2)
        compared.append(entry)
    return compared


# -- output ---------------------------------------------------------------------------------------------------------


def print_table(result: dict) -> None:
    observations = result["warehouse"]["observations"]
    print(f"\nCallback load test, demo warehouse ({observations:,} observations), wrk on loopback")
    print(
        "  each recorded request alone, one keep-alive connection  ms: repeat  distinct      bytes  encoding  memo hits"
    )
    for name, row in result["sequential"].items():
        print(
            f"    {name:<18} {row['action'][:36]:<36} {row['repeat_median_ms']:>7.1f} {row['distinct_median_ms']:>9.1f}"
            f" {row['response_bytes']:>10,}  {row['content_encoding'] or 'identity':<8}  {row['repeat_memo_hits']}/"
            f"{row['requests']}"
        )
    print(
        "\n  setup               mix       users   req/s    p50    p95    p99     max  errors  server ms/req"
        "  cores: server (busiest processes) nginx  wrk  irq others  load"
    )
    for row in result["runs"]:
        latency, cores = row["latency_ms"], row["cpu_cores"]
        users = f"{row['users']}{'p' if row['think_ms'] else ''}"
        print(
            f"  {row['setup']:<19} {row['mix']:<8} {users:>6} {row['requests_per_second']:>7.1f} {latency['p50']:>6.1f}"
            f" {latency['p95']:>6.1f} {latency['p99']:>6.1f} {latency['max']:>7.1f} {row['errors']:>7}"
            f" {row['server_cpu_ms_per_request'] or 0:>14.2f}  {cores['server']:>13.2f}"
            f" ({'/'.join(f'{value:.2f}' for value in row['server_process_cores'][:2])}) {cores['nginx']:>5.2f}"
            f" {cores['wrk']:>4.2f} {cores['interrupts']:>4.2f} {cores['others']:>6.2f}"
            f"  {row['load_average_before'][0]:.2f}"
        )
    print("  (p = paced users: exponential think time, see the JSON's think_ms; latency in ms)")
    for row in result.get("scale_out", []):
        print(
            f"  scale-out, {row['mix']}, {row['users']} users: two 1-worker instances behind nginx "
            f"{row['two_instances_per_second']:.0f} req/s = {row.get('ratio_to_one_small_instance')}x one 1-worker "
            f"instance, {row.get('ratio_to_single')}x the 2-worker instance direct, "
            f"{row.get('ratio_to_nginx_one_instance')}x it behind nginx"
        )
    if "upstream_shares" in result:
        shares = ", ".join(f"{share:.0%}" for share in result["upstream_shares"].values())
        print(f"  requests each of the two instances answered (nginx access log): {shares}")
    checks = result["budgets"]
    for mix in (key for key in checks if key != "budget"):
        row = checks[mix]
        print(
            f"  budgets, {mix}: p95 at {BUDGET_USERS} users {row[f'p95_ms_at_{BUDGET_USERS}_users']:.1f} ms "
            f"(<= {BUDGET_P95_MS:.0f}); best {row['best_requests_per_second']:.0f} req/s (>= {BUDGET_RPS:.0f}); "
            f"{row['errors']} errors (0): {'met' if row['met'] else 'MISSED'}; paced at "
            f"{row['paced_offered_per_second']}/s offered: {row['paced_requests_per_second']:.0f}/s, "
            f"p95 {row['paced_p95_ms']:.1f} ms"
        )


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "load.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return out


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(value) for value in text.split(","))


def _mixes(text: str) -> tuple[str, ...]:
    mixes = tuple(text.split(","))
    if not set(mixes) <= set(MIXES):
        raise argparse.ArgumentTypeError(f"mixes are {', '.join(MIXES)}")
    return mixes


def parse_options(argv: list[str]) -> argparse.Namespace:
    """The command line's options; `parse_options([])` gives the defaults (for benchmarks/run.py)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of unmeasured load before each mix")
    parser.add_argument("--users", type=_numbers, default=USERS, help="concurrent users of the single instance")
    parser.add_argument("--scale-users", type=_numbers, default=SCALE_USERS, help="concurrent users behind nginx")
    parser.add_argument("--mixes", type=_mixes, default=MIXES, help="repeat (as recorded), distinct (unique bodies)")
    parser.add_argument("--paced-rate", type=float, default=BUDGET_RPS, help="requests/s the paced users offer")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before wrk counts a request failed")
    parser.add_argument("--no-scale-out", dest="scale_out", action="store_false", help="only the single instance")
    parser.add_argument("--wait-quiet", action="store_true", help="wait for other processes to go quiet first")
    parser.add_argument("--warehouse", type=Path, help="a demo warehouse folder (default: build one)")
    options = parser.parse_args(argv)
    if BUDGET_USERS not in options.users:
        parser.error(f"--users must include {BUDGET_USERS}, the budget's user count")
    return options


def bench(warehouse: Path, options: argparse.Namespace) -> dict:
    """The whole load test on a demo warehouse, with the machine, method, budgets and scale-out comparison."""
    load_before = os.getloadavg()
    manifest = json.loads(next(warehouse.glob("*/manifest.json")).read_text())
    with tempfile.TemporaryDirectory(prefix="hgkm-bench-load-") as tmp:
        report = bench_load(warehouse, Path(tmp), options)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
            "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip(),
        },
        "warehouse": {
            "dataset": "demo",
            "build_id": manifest["build_id"],
            "observations": manifest["tables"]["observations"],
        },
        "method": (
            "wrk (own process, 2 threads) POSTs the recorded bodies of benchmarks/payloads/ in turn to "
            f"{CALLBACK_PATH} with the browser's Accept-Encoding. Closed loop: each connection is a user who sends "
            "the next request when the previous one is answered; paced users wait an exponential think time first. "
            "Mix 'repeat': the bodies as recorded (answered from the server's memoised answers after first use); "
            "'distinct': each body made unique with a member Dash ignores, so the callback runs (store results "
            "cached per build). Errors = HTTP status >= 400 + socket errors; cpu_cores from /proc over each run."
        ),
        "servers": {
            "single": "gunicorn --workers 2 --threads 4 --preload (as the Makefile's serve), direct",
            "nginx_one_instance": "nginx (1 worker, least_conn, keepalive to upstream) -> that single instance",
            "one_small_instance": "gunicorn --workers 1 --threads 4 --preload on core 0, direct (one of the pair)",
            "nginx_two_instances": "nginx -> two instances of gunicorn --workers 1 --threads 4 --preload, pinned to "
            "cores 0 and 1",
        },
        "duration_seconds": options.duration,
        **report,
    }
    result["budgets"] = budgets(result, options.mixes)
    if options.scale_out:
        result["scale_out"] = scale_out(result)
    return result


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.warehouse:
        result = bench(options.warehouse, options)
    else:
        from benchmarks.api import build_demo

        with tempfile.TemporaryDirectory(prefix="hgkm-bench-load-demo-") as tmp:
            result = bench(build_demo(Path(tmp)), options)
    print_table(result)
    print(f"\nwritten {write_result(result).relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
