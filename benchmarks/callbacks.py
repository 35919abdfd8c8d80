"""Callback benchmark: latency of the main Dash callbacks against a naive baseline, and the server's cold start.

Each main callback is replayed with a request body recorded from a real page (headless Chromium against the
production server on the demo warehouse; `--record` records them again into benchmarks/payloads/), on a demo
warehouse built in a temporary folder:

- over HTTP in-process: the Flask test client POSTs the recorded body to /_dash-update-component, with the
  browser's Accept-Encoding, so Dash's dispatch, validation, JSON encoding and compression are included:
  `memo` repeats the identical request (the server answers it from memory, serving/callback_memo.py),
  `warm` and `cold` vary the body's trailing whitespace so that the callback runs every time;
- as a plain function call with Dash's callback context set, then the outputs encoded as Dash does
  (plotly's JSON encoder); the difference to the HTTP figure is Dash's request overhead;
- both warm (the store's results memoised per build, as in production after first use) and cold
  (Store.clear_cache() before every call: every query runs in DuckDB);
- the naive baseline (benchmarks/naive.py: pandas masks over the whole observations table, plotly express,
  everything re-rendered), as a plain call encoded the same way. The ratio naive / ours is of those medians:
  against ours from memory (a repeated request), ours computed with the store warm, and ours cold.

The ways take turns call by call, so that they share the machine's load; each callback gets at most --runs
rounds and stops after --budget seconds (at least MIN_ROUNDS rounds). A callback whose computed answer misses
the 10x target is profiled (cProfile over warm calls) and its top entries reported. Cold start: seconds from
starting gunicorn as the Makefile does to the first 200 on / and then to the first successful callback POST,
median of --starts.

`python -m benchmarks.callbacks [--runs N] [--budget S] [--naive-every N] [--starts N] [--warehouse DIR]
[--record]` prints a table and writes benchmarks/results/callbacks.json.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import itertools
import json
import multiprocessing
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from config import PROJECT_ROOT
from tests.servers import stop

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
PAYLOADS = PROJECT_ROOT / "benchmarks" / "payloads"
CALLBACK_URL = "/_dash-update-component"
TARGET_RATIO = 10.0
COLD_START_TARGET_SECONDS = 5.0
WARMUP = 2
MIN_ROUNDS = 15
ISOLATED_NAIVE_RUNS = 8
BUDGET_SECONDS = 10.0  # per scenario, for all its ways together
PROFILE_CALLS = 30
PROFILE_SECONDS = 2.0
PROFILE_TOP = 15
PROJECT_FOLDERS = tuple(str(PROJECT_ROOT / name) + os.sep for name in ("callbacks", "layouts", "store"))
SERVER_FLAGS = ["--workers", "2", "--threads", "4", "--preload", "--limit-request-line", "8190"]  # as the Makefile


@dataclass(frozen=True)
class Scenario:
    """One user action on one page, answered by one callback."""

    name: str
    module: str
    function: str
    output: str  # a piece of the callback's output id, to pick its request out of the page's traffic
    page: str
    action: str


SCENARIOS = (
    Scenario(
        "national", "callbacks.national", "update_view", "national-content.children",
        "/landelijk/meldingen_naar_aard_geweld?regio=VT09", "period type: per year (trend with VT09, breakdown)",
    ),
    Scenario(
        "regional_click", "callbacks.regional", "update_regional", "regional-map.figure",
        "/regionaal/ontvangen_meldingen?periode=2024JJ00&regio=VT09", "click the first bar (patches the highlight)",
    ),
    Scenario(
        "regional_sort", "callbacks.regional", "update_regional", "regional-map.figure",
        "/regionaal/ontvangen_meldingen?periode=2024JJ00&regio=VT09", "sort the table by region name",
    ),
    Scenario(
        "regional_control", "callbacks.regional", "update_regional", "regional-map.figure",
        "/regionaal/ontvangen_meldingen?periode=2024JJ00&regio=VT09", "period 2023 (25 Veilig Thuis regions)",
    ),
    Scenario(
        "regional_gemeente", "callbacks.regional", "update_regional", "regional-map.figure",
        "/regionaal/ontvangen_meldingen?periode=2024JJ00&regio=VT09", "level gemeente (342 gemeenten on the map)",
    ),
    Scenario(
        "profile", "callbacks.profile", "update_profile", "profile-content.children",
        "/regio/VT09", "period type: year (5 trend charts with peers, gemeenten)",
    ),
    Scenario(
        "compare", "callbacks.compare", "update_compare", "compare-content.children",
        "/vergelijk?regios=VT09,VT18,NL01&indicator=ontvangen_meldingen", "measure: per 1,000 inhabitants",
    ),
)  # fmt: skip

# What the recorder does on each page, in order (later actions start from the state the earlier ones left).
ACTIONS: dict[str, Callable] = {
    "national": lambda page: page.get_by_label("Per jaar", exact=True).check(),
    "regional_click": lambda page: _click_centre(page, "#regional-bar .point path"),
    "regional_sort": lambda page: page.locator("#regional-table button", has_text="Regio").click(),
    "regional_control": lambda page: page.select_option("#regional-period", "2023JJ00"),
    "regional_gemeente": lambda page: page.select_option("#regional-level", "gemeente"),
    "profile": lambda page: page.locator("#profile-period-type label:has-text('jaar')").last.click(),
    "compare": lambda page: page.locator("#compare-measure label:has-text('per 1.000 inwoners')").click(),
}


def _click_centre(page, selector: str) -> None:
    page.wait_for_selector(selector)
    box = page.locator(selector).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


# -- recording ---------------------------------------------------------------------------------------------------


def record(warehouse_dir: Path) -> list[Path]:
    """Drive each page in headless Chromium against gunicorn and keep the callback request each action sends."""
    from tests.browser import browser
    from tests.servers import running_server

    PAYLOADS.mkdir(parents=True, exist_ok=True)
    written = []
    with running_server(warehouse_dir, dataset="demo") as base, browser() as chromium:
        page, opened = None, None
        for scenario in SCENARIOS:
            if scenario.page != opened:
                if page is not None:
                    page.close()
                page = chromium.new_page(viewport={"width": 1366, "height": 900})
                page.goto(base + scenario.page)
                page.wait_for_selector("h1")
                page.wait_for_load_state("networkidle")
                opened = scenario.page
            with page.expect_response(lambda response, s=scenario: _is_callback(response, s)) as answer:
                ACTIONS[scenario.name](page)
            response = answer.value
            if response.status != 200:
                raise RuntimeError(f"{scenario.name}: the recorded callback answered HTTP {response.status}")
            page.wait_for_load_state("networkidle")
            request = response.request
            recorded = {
                "scenario": scenario.name,
                "callback": f"{scenario.module.replace('.', '/')}.py {scenario.function}",
                "page": scenario.page,
                "action": scenario.action,
                "recorded_with": "headless Chromium (Playwright) against gunicorn on the demo warehouse",
                "recorded_on": time.strftime("%Y-%m-%d"),
                "path": urllib.parse.urlsplit(request.url).path,  # without the renderer's ?endId= request tag
                "accept_encoding": request.all_headers().get("accept-encoding", ""),
                "payload": request.post_data_json,
            }
            path = PAYLOADS / f"{scenario.name}.json"
            path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(path)
        page.close()
    return written


def _is_callback(response, scenario: Scenario) -> bool:
    request = response.request
    return request.method == "POST" and CALLBACK_URL in request.url and scenario.output in (request.post_data or "")


def load_payloads() -> dict[str, dict]:
    missing = [s.name for s in SCENARIOS if not (PAYLOADS / f"{s.name}.json").exists()]
    if missing:
        raise RuntimeError(f"no recorded payloads for {missing}: run `python -m benchmarks.callbacks --record`")
    return {s.name: json.loads((PAYLOADS / f"{s.name}.json").read_text(encoding="utf-8")) for s in SCENARIOS}


# -- calling a callback ------------------------------------------------------------------------------------------


def _values(items: list) -> list:
    """Callback arguments from a request's inputs or state (a pattern-matching input is a list of values)."""
    return [[entry.get("value") for entry in item] if isinstance(item, list) else item.get("value") for item in items]


def plain_call(function: Callable, payload: dict) -> Callable[[], object]:
    """A zero-argument call of `function` with the payload's values and Dash's callback context, as Dash sets it."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict, inputs_to_dict

    inputs, state = payload["inputs"], payload.get("state", [])
    input_values = inputs_to_dict(inputs)
    context = AttributeDict(
        inputs_list=inputs,
        states_list=state,
        outputs_list=payload["outputs"],
        input_values=input_values,
        state_values=inputs_to_dict(state),
        triggered_inputs=[{"prop_id": p, "value": input_values.get(p)} for p in payload["changedPropIds"]],
    )
    arguments = _values(inputs) + _values(state)

    def call():
        context_value.set(context)
        return function(*arguments)

    return call


def encode(payload: dict, result) -> str:
    """The callback's answer as Dash encodes it: {multi, response: {id: {property: value}}}, no_update left out."""
    from dash import NoUpdate
    from dash._utils import stringify_id, to_json

    outputs = payload["outputs"] if isinstance(payload["outputs"], list) else [payload["outputs"]]
    results = result if isinstance(payload["outputs"], list) else [result]
    response: dict = {}
    for spec, value in zip(outputs, results, strict=True):
        if not NoUpdate.is_no_update(value):
            response.setdefault(stringify_id(spec["id"]), {})[spec["property"]] = value
    return to_json({"multi": True, "response": response})


def _in_process_app(warehouse_dir: Path):
    """The production app object (app.server) serving the demo warehouse, created in this process (the settings
    are read from the environment while `app` is imported, then the environment is put back)."""
    settings = {"HGKM_DATASET": "demo", "HGKM_WAREHOUSE_DIR": str(warehouse_dir)}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        import app as application
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    from store import runtime

    if Path(runtime.current().warehouse.warehouse_dir).resolve() != warehouse_dir.resolve():
        runtime.configure(warehouse_dir)  # the app was imported before with other settings
    return application.server, runtime.current()


# -- timing ------------------------------------------------------------------------------------------------------


def _summary(times: list[float]) -> dict:
    return {
        "runs": len(times),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(statistics.quantiles(times, n=20)[18], 3),
    }


def _plain_way(call: Callable, payload: dict, before: Callable | None = None) -> Callable[[], dict]:
    """One timed plain call: the callback itself, then Dash's encoding of its outputs."""

    def once() -> dict:
        if before:
            before()
        started = time.perf_counter()
        result = call()
        called = time.perf_counter()
        size = len(encode(payload, result))
        finished = time.perf_counter()
        return {"call": (called - started) * 1000, "json": (finished - called) * 1000, "bytes": size}

    return once


def _http_way(
    client, recorded: dict, before: Callable | None = None, variants: Iterator[int] | None = None
) -> Callable[[], dict]:
    """One timed POST of the recorded body to /_dash-update-component through the Flask test client.

    The server answers a request it has answered before from memory (serving/callback_memo.py, keyed by a hash
    of the body); with `variants` each body gets a different amount of trailing whitespace (the same JSON), so
    that the callback runs every time."""
    body = json.dumps(recorded["payload"])
    headers = {"Content-Type": "application/json", "Accept-Encoding": recorded["accept_encoding"]}

    def once() -> dict:
        if before:
            before()
        data = body + " " * next(variants) if variants else body
        started = time.perf_counter()
        response = client.post(recorded["path"], data=data, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{recorded['scenario']}: HTTP {response.status_code} {response.get_data()[:300]!r}")
        return {
            "total": elapsed,
            "bytes": len(response.get_data()),
            "encoding": response.content_encoding,
            "from_memory": response.headers.get("X-Callback-Memo") == "hit",
        }

    return once


def _rounds(ways: dict[str, tuple[Callable, int]], runs: int, budget: float) -> dict[str, list[dict]]:
    """Interleaved timing: each round calls every way once (a way with step k every k-th round), so all ways see
    the same machine load; stops after `runs` rounds or, past MIN_ROUNDS, when `budget` seconds have passed."""
    for once, _ in ways.values():
        for _ in range(WARMUP):
            once()
    samples: dict[str, list[dict]] = {name: [] for name in ways}
    deadline = time.perf_counter() + budget
    for round_number in range(runs):
        for name, (once, step) in ways.items():
            if round_number % step == 0:
                samples[name].append(once())
        if round_number + 1 >= MIN_ROUNDS and time.perf_counter() > deadline:
            break
    return samples


def _plain_figures(samples: list[dict]) -> dict:
    return {
        "call": _summary([s["call"] for s in samples]),
        "json": _summary([s["json"] for s in samples]),
        "call_and_json": _summary([s["call"] + s["json"] for s in samples]),
        "response_bytes": samples[-1]["bytes"],
    }


def _http_figures(samples: list[dict]) -> dict:
    return {
        **_summary([s["total"] for s in samples]),
        "answered_from_memory": sum(s["from_memory"] for s in samples),
        "response_bytes": samples[-1]["bytes"],
        "content_encoding": samples[-1]["encoding"] or "identity",
    }


def profile(call: Callable, payload: dict, typical_ms: float) -> dict:
    """Where a warm call + encoding spends its time (cProfile, per callback call): the top entries by own time,
    and the project's own functions (callbacks/, layouts/, store/) by cumulative time."""
    calls = max(5, min(PROFILE_CALLS, int(PROFILE_SECONDS * 1000 / max(typical_ms, 0.1))))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        encode(payload, call())
    profiler.disable()
    stats = pstats.Stats(profiler).stats

    def entries(rows) -> list[dict]:
        return [
            {
                "function": _function_name(key),
                "calls_per_callback": round(value[1] / calls, 1),
                "own_ms_per_callback": round(value[2] / calls * 1000, 3),
                "cumulative_ms_per_callback": round(value[3] / calls * 1000, 3),
            }
            for key, value in rows
        ]

    own = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:PROFILE_TOP]
    ours = [item for item in stats.items() if item[0][0].startswith(PROJECT_FOLDERS)]
    cumulative = sorted(ours, key=lambda item: item[1][3], reverse=True)[:PROFILE_TOP]
    return {"calls": calls, "by_own_time": entries(own), "project_by_cumulative_time": entries(cumulative)}


def _function_name(key: tuple) -> str:
    filename, line, name = key
    for prefix in (str(PROJECT_ROOT) + "/", "site-packages/"):
        if prefix in filename:
            filename = filename.split(prefix, 1)[1]
    return f"{filename}:{line}({name})" if line else name


def bench_scenarios(
    warehouse_dir: Path, runs: int, budget: float, naive_every: int, only: frozenset[str] = frozenset()
) -> dict:
    """Every scenario (or those named in `only`): ours over HTTP and as plain calls, warm and cold, and the naive
    baseline; ratios."""
    from benchmarks import naive

    server, store = _in_process_app(warehouse_dir)
    client = server.test_client()
    started = time.perf_counter()
    naive.load(warehouse_dir)
    naive_load = time.perf_counter() - started
    payloads = load_payloads()
    results = {}
    for scenario in SCENARIOS:
        if only and scenario.name not in only:
            continue
        recorded = payloads[scenario.name]
        payload = recorded["payload"]
        ours = plain_call(getattr(importlib.import_module(scenario.module), scenario.function), payload)
        baseline = plain_call(getattr(naive, scenario.function), payload)
        variants = itertools.count(1)
        # A cold call refills the store's cache, so the warm call after it in the same round is warm again.
        ways = {
            "plain_cold": (_plain_way(ours, payload, before=store.clear_cache), 1),
            "plain_warm": (_plain_way(ours, payload), 1),
            "http_cold": (_http_way(client, recorded, before=store.clear_cache, variants=variants), 2),
            "http_warm": (_http_way(client, recorded, variants=variants), 1),
            "http_memo": (_http_way(client, recorded), 1),
            "naive": (_plain_way(baseline, payload), naive_every),
        }
        samples = _rounds(ways, runs, budget)
        # The naive baseline also alone, call after call, where its large columns can stay in the CPU caches: a
        # check that taking turns with ours does not make it look slower than it is.
        samples["naive_isolated"] = [_plain_way(baseline, payload)() for _ in range(ISOLATED_NAIVE_RUNS)]
        row = {
            "callback": recorded["callback"],
            "page": scenario.page,
            "action": scenario.action,
            **{name: _http_figures(samples[name]) for name in ("http_memo", "http_warm", "http_cold")},
            **{name: _plain_figures(samples[name]) for name in ("plain_warm", "plain_cold", "naive", "naive_isolated")},
        }
        naive_ms = row["naive"]["call_and_json"]["median_ms"]
        warm_ms = row["plain_warm"]["call_and_json"]["median_ms"]
        row["ratio_memo"] = round(naive_ms / row["http_memo"]["median_ms"], 1)
        row["ratio_warm"] = round(naive_ms / warm_ms, 1)
        row["ratio_cold"] = round(naive_ms / row["plain_cold"]["call_and_json"]["median_ms"], 1)
        row["ratio_warm_isolated_naive"] = round(row["naive_isolated"]["call_and_json"]["median_ms"] / warm_ms, 1)
        row["meets_target_memo"] = row["ratio_memo"] >= TARGET_RATIO
        row["meets_target_computed"] = row["ratio_warm"] >= TARGET_RATIO
        if not row["meets_target_computed"]:
            row["profile_warm"] = profile(ours, payload, warm_ms)
        results[scenario.name] = row
    return {"naive_load_seconds": round(naive_load, 2), "scenarios": results}


# -- cold start --------------------------------------------------------------------------------------------------


def _status(url: str, body: bytes | None = None) -> int | None:
    headers = {"Content-Type": "application/json"} if body else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None  # not listening yet


def _until_ok(process: subprocess.Popen, url: str, body: bytes | None, started: float, log: Path) -> float:
    """Seconds since `started` when `url` first answers 200 (polled every 10 ms)."""
    deadline = started + 60
    while _status(url, body) != 200:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no 200 from {url} within 60 s")
        time.sleep(0.01)
    return time.perf_counter() - started


def cold_start(warehouse_dir: Path, recorded: dict, starts: int) -> dict:
    """Seconds from starting gunicorn (the Makefile's flags) to the first 200 on / and on a callback POST."""
    from tests.servers import free_port

    env = {**os.environ, "HGKM_DATASET": "demo", "HGKM_WAREHOUSE_DIR": str(warehouse_dir)}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    body = json.dumps(recorded["payload"]).encode()
    to_page, to_callback = [], []
    for _ in range(starts):
        base = f"http://127.0.0.1:{free_port()}"
        log = Path(tempfile.mkstemp(prefix="hgkm-coldstart-", suffix=".log")[1])
        with log.open("wb") as output:
            started = time.perf_counter()
            command = [gunicorn, *SERVER_FLAGS, "--bind", base.removeprefix("http://"), "app:server"]
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            try:
                to_page.append(_until_ok(process, base + "/", None, started, log))
                to_callback.append(_until_ok(process, base + recorded["path"], body, started, log))
            finally:
                stop(process)
        log.unlink(missing_ok=True)
    return {
        "command": f"gunicorn {' '.join(SERVER_FLAGS)} app:server (HGKM_DATASET=demo)",
        "starts": starts,
        "first_page_seconds": {"median": round(statistics.median(to_page), 2), "max": round(max(to_page), 2)},
        "first_callback_seconds": {
            "median": round(statistics.median(to_callback), 2),
            "max": round(max(to_callback), 2),
        },
        "callback": "national (recorded payload)",
        "target_seconds": COLD_START_TARGET_SECONDS,
    }


# -- the report --------------------------------------------------------------------------------------------------


def bench_callbacks(
    warehouse_dir: Path,
    runs: int = 200,
    budget: float = BUDGET_SECONDS,
    naive_every: int = 2,
    starts: int = 5,
    only: frozenset[str] = frozenset(),
) -> dict:
    """The whole callback benchmark on a built demo warehouse; a JSON-ready dict with the machine's load."""
    load_before = os.getloadavg()  # other work on the machine skews the numbers; recorded with them
    started = time.perf_counter()
    payloads = load_payloads()
    scenarios = bench_scenarios(warehouse_dir, runs, budget, naive_every, only)
    start = cold_start(warehouse_dir, payloads["national"], starts) if starts else None
    manifest = json.loads(next(warehouse_dir.glob("*/manifest.json")).read_text(encoding="utf-8"))
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "warehouse": {
            "dataset": "demo",
            "build_id": manifest["build_id"],
            "observations": manifest["tables"]["observations"],
        },
        "method": (
            "recorded request bodies (benchmarks/payloads/) replayed in-process: Flask test client POST (http_*) "
            "and plain function call + Dash's JSON encoding (plain_*); http_memo = the identical request repeated "
            "(answered from the server's memory), http_warm/http_cold = a body varied in whitespace so the "
            "callback runs; warm = store memoised per build, cold = Store.clear_cache() before each call; "
            "naive = benchmarks/naive.py (pandas masks over the whole observations table + plotly express), plain "
            "call + the same encoding, taking turns with ours; naive_isolated = the same called alone; "
            "ratio = naive / ours, medians"
        ),
        "target_ratio": TARGET_RATIO,
        **scenarios,
        "cold_start": start,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _cell(figures: dict) -> str:
    return f"{figures['median_ms']:>7.1f} /{figures['p95_ms']:>6.1f}"


def print_table(result: dict) -> None:
    scenarios = result["scenarios"]
    print(
        f"\ncallbacks, demo warehouse ({result['warehouse']['observations']:,} observations), ms median / p95"
        f" (load average {' '.join(f'{x:.1f}' for x in result['machine']['load_average_before'])})"
    )
    print(
        f"  {'':<18} {'rounds':>6}  {'HTTP memo':>14}  {'HTTP warm':>14}  {'HTTP cold':>14}  {'call warm':>14}"
        f"  {'encode warm':>14}  {'call+enc warm':>14}  {'call+enc cold':>14}"
    )
    for name, row in scenarios.items():
        warm, cold = row["plain_warm"], row["plain_cold"]
        cells = [row["http_memo"], row["http_warm"], row["http_cold"], warm["call"], warm["json"]]
        cells += [warm["call_and_json"], cold["call_and_json"]]
        print(f"  {name:<18} {warm['call']['runs']:>6}  " + "  ".join(_cell(cell) for cell in cells))
    print(f"\n  naive baseline (benchmarks/naive.py; data load {result['naive_load_seconds']} s), call+encode, ms;")
    print(
        "  ratio = naive / ours: ours over HTTP from memory, ours computed warm and cold, and against the naive alone"
    )
    print(
        f"  {'':<18} {'runs':>6}  {'naive':>14}  {'memo':>7}  {'warm':>7}  {'cold':>7}  {'naive alone':>11} {'warm':>7}"
    )
    for name, row in scenarios.items():
        naive, alone = row["naive"]["call_and_json"], row["naive_isolated"]["call_and_json"]
        misses = [
            label for label, key in (("memo", "memo"), ("computed", "computed")) if not row[f"meets_target_{key}"]
        ]
        flag = f"   < {TARGET_RATIO:.0f}x: {', '.join(misses)}" if misses else ""
        print(
            f"  {name:<18} {naive['runs']:>6}  {_cell(naive)}  {row['ratio_memo']:>6.0f}x  {row['ratio_warm']:>6.1f}x"
            f"  {row['ratio_cold']:>6.1f}x  {alone['median_ms']:>11.1f} {row['ratio_warm_isolated_naive']:>6.1f}x{flag}"
        )
    print("\n  response bytes: ours encoded, ours over HTTP (compressed), naive encoded")
    for name, row in scenarios.items():
        http = row["http_warm"]
        print(
            f"  {name:<18} {row['plain_warm']['response_bytes']:>9,} {http['response_bytes']:>9,}"
            f" {http['content_encoding']:<8} {row['naive']['response_bytes']:>9,}"
        )
    for name, row in scenarios.items():
        if "profile_warm" in row:
            found = row["profile_warm"]
            print(f"\n  profile of {name}, warm call + encode ({found['calls']} calls)")
            print("    per callback call: own ms, cumulative ms, calls; then our own functions by cumulative time")
            for entry in found["by_own_time"][:8] + [None] + found["project_by_cumulative_time"][:8]:
                if entry is None:
                    print("    " + "-" * 40)
                    continue
                print(
                    f"    {entry['own_ms_per_callback']:>7.2f} {entry['cumulative_ms_per_callback']:>8.2f}"
                    f" {entry['calls_per_callback']:>9.1f}  {entry['function']}"
                )
    start = result["cold_start"]
    if start is None:
        return
    page, callback = start["first_page_seconds"], start["first_callback_seconds"]
    print(
        f"\n  cold start, median of {start['starts']} ({start['command']}): first 200 on / {page['median']:.2f} s"
        f" (max {page['max']:.2f}), first callback {callback['median']:.2f} s (max {callback['max']:.2f})"
        f"   (target <= {COLD_START_TARGET_SECONDS:.0f} s)"
    )


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "callbacks.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return out


def run(warehouse_dir: Path) -> dict:
    """The benchmark with its defaults on a built demo warehouse, written to results/callbacks.json (for run.py)."""
    result = bench_callbacks(warehouse_dir)
    write_result(result)
    return result


def build_demo_elsewhere(workdir: Path) -> Path:
    """Build the demo warehouse in a child process: a build in this process leaves a large heap behind that
    slows the naive baseline's big array allocations (about 1.7x measured) and would flatter the ratios."""
    from benchmarks.api import build_demo

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(build_demo, workdir).result()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.callbacks")
    parser.add_argument("--runs", type=int, default=200, help="most timed rounds per callback (after a warm-up)")
    parser.add_argument(
        "--budget", type=float, default=BUDGET_SECONDS, help=f"seconds per callback (at least {MIN_ROUNDS} rounds)"
    )
    parser.add_argument("--naive-every", type=int, default=2, help="time the naive baseline every N-th round")
    parser.add_argument("--starts", type=int, default=5, help="server starts for the cold-start figure (0: none)")
    parser.add_argument("--warehouse", type=Path, help="a built demo warehouse folder (default: build one)")
    parser.add_argument("--record", action="store_true", help="record the payloads again with headless Chromium")
    parser.add_argument(
        "--only", action="append", default=[], choices=[s.name for s in SCENARIOS], help="just this scenario"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hgkm-bench-callbacks-") as tmp:
        warehouse = args.warehouse or build_demo_elsewhere(Path(tmp))
        if args.record:
            for path in record(warehouse):
                print(f"recorded {path.relative_to(PROJECT_ROOT)}")
            return 0
        result = bench_callbacks(warehouse, args.runs, args.budget, args.naive_every, args.starts, frozenset(args.only))
    print_table(result)
    print(f"\nwritten {write_result(result).relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
