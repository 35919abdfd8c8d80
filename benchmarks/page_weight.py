"""Page weight benchmark: bytes a visitor's browser transfers for a page, and how soon its first chart is drawn.

Each page is opened in Debian's headless Chromium (tests/browser.py, through Playwright) from the production
server (tests/servers.py: gunicorn, 2 workers x 4 threads) on loopback, without network or CPU throttling:

- cold: a fresh browser context (empty HTTP cache, no cookies), as a first-time visitor;
- warm: a new tab in the same context right after, as a returning visitor (versioned files come from the cache,
  unversioned ones are revalidated, the page's data callbacks run again).

Bytes are those on the wire, response headers included and compressed bodies as sent (the sum of the DevTools
protocol's `Network.loadingFinished.encodedDataLength` over every http(s) request), counted until the network
has been quiet for QUIET_SECONDS and, on a page with a chart (a dcc.Graph, `.dash-graph`), its first chart is
drawn. Times are milliseconds from navigation start (the document's `performance.now()` origin). A
MutationObserver installed before any script runs records when the page's heading (`#main h1`, the content Dash
renders from its callback) appears and when a chart first has a trace with a shape (`.js-plotly-plot .trace
path[d]`); the chart counts as drawn at the frame after that. Resource Timing gives when the first callback
answer and plotly.js had arrived, which shows where the time to the first chart goes. Times are the median of
--runs loads per page; pages take turns run by run, so that they share the machine's load. One unmeasured load
of every page first warms the server (its store cache, kept compressions and callback answers), as on a live
site after its first visitor.

Browser and server share the machine's two cores, so times include the server's work and the browser's parsing;
bytes do not depend on load. `python -m benchmarks.page_weight [--runs N] [--dataset demo|cbs ...]` builds the
warehouses in a temporary folder, prints a table with the budgets of issue 6 and the ten largest transfers of
`/`, and writes benchmarks/results/page_weight.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config import PROJECT_ROOT, load_settings
from tests.browser import VIEWPORTS, browser
from tests.servers import running_server

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
PAGES = ("/", "/regionaal/ontvangen_meldingen", "/landelijk/ontvangen_meldingen", "/regio/VT09")
FIRST_LOAD_BUDGET_BYTES = 750_000  # first load of `/` (issue 6)
FIRST_CHART_BUDGET_MS = 1500.0  # first chart drawn, every page with a chart (issue 6)
QUIET_SECONDS = 0.5  # the network counts as idle after this long without a request in flight (as Playwright's)
TIMEOUT_SECONDS = 60.0
BIGGEST = 10
PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"

# Installed in every document before its scripts run: performance.now() when the page's heading appears, when a
# chart's first trace has a shape, and at the frame after that (the chart painted).
MARKS_SCRIPT = """(() => {
  const marks = window.__hgkmMarks = {};
  const observer = new MutationObserver(() => {
    if (!('content' in marks) && document.querySelector('#main h1')) marks.content = performance.now();
    if (!('trace' in marks) && document.querySelector('.js-plotly-plot .trace path[d]:not([d=""])')) {
      marks.trace = performance.now();
      requestAnimationFrame(() => setTimeout(() => { marks.chart = performance.now(); }, 0));
    }
    if ('content' in marks && 'trace' in marks) observer.disconnect();
  });
  observer.observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['d']});
})();"""
TIMINGS_SCRIPT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const marks = window.__hgkmMarks || {};
  const ends = (part) => performance.getEntriesByType('resource').filter((e) => e.name.includes(part))
    .map((e) => e.responseEnd);
  const callbacks = ends('/_dash-update-component');
  const plotly = ends('/plotly/package_data/');
  return {
    first_contentful_paint_ms: paint ? paint.startTime : null,
    dom_content_loaded_ms: nav.domContentLoadedEventEnd,
    load_event_ms: nav.loadEventEnd,
    first_callback_ms: callbacks.length ? Math.min(...callbacks) : null,
    content_ms: marks.content ?? null,
    plotly_js_ms: plotly.length ? Math.max(...plotly) : null,
    first_trace_ms: marks.trace ?? null,
    first_chart_ms: marks.chart ?? null,
    graphs: document.querySelectorAll('.dash-graph').length,
  };
}"""


class Traffic:
    """Every http(s) request of one tab as the DevTools protocol reports it: type, status, encoding, bytes on the
    wire and decoded, whether the cache answered; and whether any is still in flight."""

    def __init__(self, context, page):
        self.requests: dict[str, dict] = {}
        self.pending: set[str] = set()
        self.wire_status: dict[str, int] = {}
        self.last_activity = time.monotonic()
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", self._from_cache)
        session.on("Network.responseReceived", self._response)
        session.on("Network.responseReceivedExtraInfo", self._wire_status)
        session.on("Network.dataReceived", self._data)
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.loadingFailed", self._failed)
        session.send("Network.enable")

    def _sent(self, event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith("http"):  # data: URLs (Bootstrap's inline icons) cost no transfer
            return
        self.last_activity = time.monotonic()
        self.pending.add(event["requestId"])
        self.requests.setdefault(event["requestId"], {"url": url, "type": event.get("type"), "decoded": 0})

    def _from_cache(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["from_cache"] = True

    def _response(self, event: dict) -> None:
        request = self.requests.get(event["requestId"])
        if request is not None:
            response = event["response"]
            headers = {name.lower(): value for name, value in response["headers"].items()}
            request["status"] = response["status"]
            request["encoding"] = headers.get("content-encoding")
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                request["from_cache"] = True

    def _wire_status(self, event: dict) -> None:
        """The status as sent (responseReceived reports a revalidated response as the cached 200, not the 304)."""
        self.wire_status[event["requestId"]] = event["statusCode"]

    def _data(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["decoded"] += event["dataLength"]

    def _finished(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["transferred"] = int(event["encodedDataLength"])
            self._done(event["requestId"])

    def _failed(self, event: dict) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["failed"] = event.get("errorText", "failed")
            self._done(event["requestId"])

    def _done(self, request_id: str) -> None:
        self.pending.discard(request_id)
        self.last_activity = time.monotonic()

    def wait_until_idle(self, page) -> None:
        """Let the tab run (Playwright delivers the protocol's events meanwhile) until no request has been in
        flight for QUIET_SECONDS."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while self.pending or time.monotonic() - self.last_activity < QUIET_SECONDS:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{page.url}: still loading {len(self.pending)} request(s)")
            page.wait_for_timeout(50)

    def rows(self) -> list[dict]:
        """Every request, with the status as sent."""
        return [{**row, "status": self.wire_status.get(key, row.get("status"))} for key, row in self.requests.items()]

    def summary(self) -> dict:
        rows = self.rows()
        return {
            "bytes": sum(row.get("transferred", 0) for row in rows),
            "requests": len(rows),
            "from_cache": sum(1 for row in rows if row.get("from_cache")),
            "not_modified": sum(1 for row in rows if row["status"] == 304),
            "failed": sum(1 for row in rows if "failed" in row),
        }


@contextmanager
def fresh_context(chromium) -> Iterator:
    """A new browser context (its own empty HTTP cache, no cookies) with the timing marks installed."""
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(MARKS_SCRIPT)
    try:
        yield context
    finally:
        context.close()


def load_page(context, url: str) -> dict:
    """Open `url` in a new tab of `context`; its traffic until the network is idle, and the page's timings."""
    page = context.new_page()
    traffic = Traffic(context, page)
    try:
        response = page.goto(url, wait_until="load", timeout=TIMEOUT_SECONDS * 1000)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response and response.status}")
        page.wait_for_selector("#main h1", timeout=TIMEOUT_SECONDS * 1000)
        traffic.wait_until_idle(page)
        if page.locator(".dash-graph").count():  # dcc.Graph, drawn or waiting for plotly.js
            page.wait_for_function("() => window.__hgkmMarks.chart !== undefined", timeout=TIMEOUT_SECONDS * 1000)
            traffic.wait_until_idle(page)
        return {**traffic.summary(), **page.evaluate(TIMINGS_SCRIPT), "transfers": traffic.rows()}
    finally:
        page.close()


def _median(values: list) -> float | None:
    present = [value for value in values if value is not None]
    return round(statistics.median(present), 1) if present else None


def _aggregate(loads: list[dict]) -> dict:
    """Bytes and requests of the loads (they barely vary: min and max kept) and the median of every time."""
    times = (
        "first_contentful_paint_ms", "dom_content_loaded_ms", "load_event_ms", "first_callback_ms", "content_ms",
        "plotly_js_ms", "first_trace_ms", "first_chart_ms",
    )  # fmt: skip
    return {
        "bytes_median": int(statistics.median(load["bytes"] for load in loads)),
        "bytes_min": min(load["bytes"] for load in loads),
        "bytes_max": max(load["bytes"] for load in loads),
        "requests": int(statistics.median(load["requests"] for load in loads)),
        "from_cache": int(statistics.median(load["from_cache"] for load in loads)),
        "not_modified": int(statistics.median(load["not_modified"] for load in loads)),
        "failed": max(load["failed"] for load in loads),
        "graphs": max(load["graphs"] for load in loads),
        **{name: _median([load[name] for load in loads]) for name in times},
        "first_chart_ms_runs": [
            None if load["first_chart_ms"] is None else round(load["first_chart_ms"], 1) for load in loads
        ],
    }


def _transfers(load: dict, base: str) -> list[dict]:
    """The requests of one load, largest transfer first, with paths relative to the server."""
    rows = [
        {
            "path": row["url"].removeprefix(base),
            "type": row.get("type"),
            "status": row.get("status"),
            "encoding": row.get("encoding"),
            "from_cache": row.get("from_cache", False),
            "transferred": row.get("transferred", 0),
            "decoded": row["decoded"],
        }
        for row in load["transfers"]
    ]
    return sorted(rows, key=lambda row: -row["transferred"])


def _served(base: str) -> tuple[str, str]:
    """The build the server serves, and the opening line of the plotly.js that dcc.Graph loads (naming the bundle,
    full or partial, and its version)."""
    with urllib.request.urlopen(base + "/api/v1/manifest", timeout=30) as response:
        build_id = json.loads(response.read())["data"]["build_id"]
    with urllib.request.urlopen(base + PLOTLY_PATH, timeout=30) as response:
        banner = response.read(300).decode("utf-8", "replace").split("\n")[1].lstrip("* ")
    return build_id, banner


def bench_dataset(chromium, warehouse_dir: Path, dataset: str, runs: int) -> dict:
    """Cold and warm loads of every page, `runs` times each, against the production server on one warehouse."""
    with running_server(warehouse_dir, dataset=dataset) as base:
        for path in PAGES:  # warms the server, unmeasured
            with fresh_context(chromium) as context:
                load_page(context, base + path)
        cold: dict[str, list] = {path: [] for path in PAGES}
        warm: dict[str, list] = {path: [] for path in PAGES}
        for _ in range(runs):
            for path in PAGES:
                with fresh_context(chromium) as context:
                    cold[path].append(load_page(context, base + path))
                    warm[path].append(load_page(context, base + path))
        build_id, plotly = _served(base)
    return {
        "build_id": build_id,
        "plotly_js": plotly,
        "pages": {
            path: {
                "cold": _aggregate(cold[path]),
                "warm": _aggregate(warm[path]),
                "cold_transfers": _transfers(cold[path][0], base),
                "warm_transfers": _transfers(warm[path][0], base),
            }
            for path in PAGES
        },
    }


def budget_checks(dataset: dict) -> dict:
    """Issue 6's budgets on one dataset's cold loads: bytes of `/`, and the first chart of every page with one."""
    pages = dataset["pages"]
    checks = {
        "first_load_bytes /": {
            "measured": pages["/"]["cold"]["bytes_median"],
            "budget": FIRST_LOAD_BUDGET_BYTES,
        }
    }
    for path, page in pages.items():
        if page["cold"]["first_chart_ms"] is not None:
            checks[f"first_chart_ms {path}"] = {
                "measured": page["cold"]["first_chart_ms"],
                "budget": FIRST_CHART_BUDGET_MS,
            }
    for check in checks.values():
        check["met"] = check["measured"] <= check["budget"]
    return checks


def bench_page_weight(warehouses: dict[str, Path], runs: int = 5) -> dict:
    """The benchmark on each dataset's warehouse ({"demo": dir, "cbs": dir}); a JSON-ready dict."""
    load_before = os.getloadavg()  # other work on the machine skews the times; recorded with them
    with browser() as chromium:
        version = chromium.version
        datasets = {name: bench_dataset(chromium, folder, name, runs) for name, folder in warehouses.items()}
    for dataset in datasets.values():
        dataset["budgets"] = budget_checks(dataset)
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "chromium": version,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "server": "gunicorn --workers 2 --threads 4 --preload (tests/servers.py), loopback, warmed by one load a page",
        "browser": (
            f"Debian Chromium {version}, headless through Playwright, viewport {VIEWPORTS['desktop']['width']}x"
            f"{VIEWPORTS['desktop']['height']}, no throttling; cold = fresh context, warm = new tab in the same context"
        ),
        "bytes": "on the wire incl. headers: sum of Network.loadingFinished.encodedDataLength until idle",
        "runs": runs,
        "datasets": datasets,
    }


def _kb(size: float) -> str:
    return f"{size / 1000:,.1f} kB"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _print_budgets(checks: dict) -> None:
    for check, row in checks.items():
        what, path = check.split(" ", 1)
        unit = _kb if what.endswith("bytes") else lambda value: f"{value:,.0f} ms"
        verdict = "ok" if row["met"] else f"OVER by {unit(row['measured'] - row['budget'])}"
        print(f"    budget {what:<17} {path:<31} {unit(row['measured']):>10} <= {unit(row['budget']):<10} {verdict}")


def print_table(result: dict) -> None:
    machine = result["machine"]
    print(
        f"\npage weight, headless Chromium {machine['chromium']} on loopback, median of {result['runs']} loads a page"
        f" (load average {' '.join(f'{x:.1f}' for x in machine['load_average_before'])})"
    )
    for name, dataset in result["datasets"].items():
        print(f"\n  {name} build {dataset['build_id']}; plotly.js served: {dataset['plotly_js']}")
        print(
            "    page                                 cold: kB  reqs | warm: kB  reqs cached 304 |  ms from navigation:"
            " callback  content  plotly.js  chart (warm)"
        )
        for path, page in dataset["pages"].items():
            cold, warm = page["cold"], page["warm"]
            print(
                f"    {path:<32} {cold['bytes_median'] / 1000:>12,.1f} {cold['requests']:>5} |"
                f" {warm['bytes_median'] / 1000:>8,.1f} {warm['requests']:>5} {warm['from_cache']:>6}"
                f" {warm['not_modified']:>3} | {_ms(cold['first_callback_ms']):>28} {_ms(cold['content_ms']):>8}"
                f" {_ms(cold['plotly_js_ms']):>10} {_ms(cold['first_chart_ms']):>6} ({_ms(warm['first_chart_ms'])})"
            )
        _print_budgets(dataset["budgets"])
    name, first = next(iter(result["datasets"].items()))
    print(f"\n  the {BIGGEST} largest transfers of the first load of / ({name} build):")
    print("    transferred    decoded  encoding  path")
    for row in first["pages"]["/"]["cold_transfers"][:BIGGEST]:
        print(
            f"    {_kb(row['transferred']):>11} {_kb(row['decoded']):>10}  {row['encoding'] or '-':<8}  "
            f"{row['path'][:90]}"
        )


def write_result(result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "page_weight.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return out


def _build_cbs(workdir: Path) -> Path:
    """The `cbs` warehouse from the shipped exports, built under `workdir` (as the test fixture does)."""
    from etl.build import build

    settings = load_settings({"HGKM_DATASET": "cbs", "HGKM_WAREHOUSE_DIR": str(workdir / "cbs-warehouse")})
    build(settings, progress=False)
    return settings.warehouse_dir


def main(argv: list[str]) -> int:
    from benchmarks.api import build_demo

    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_weight")
    parser.add_argument("--runs", type=int, default=5, help="cold and warm loads per page (times: median)")
    parser.add_argument(
        "--dataset", choices=("demo", "cbs"), action="append", help="warehouse(s) to serve (default: demo and cbs)"
    )
    args = parser.parse_args(argv)
    builders = {"demo": lambda workdir: build_demo(workdir / "demo"), "cbs": _build_cbs}
    with tempfile.TemporaryDirectory(prefix="hgkm-bench-pages-") as tmp:
        warehouses = {name: builders[name](Path(tmp)) for name in args.dataset or ("demo", "cbs")}
        result = bench_page_weight(warehouses, args.runs)
    print_table(result)
    print(f"\nwritten {write_result(result).relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
