"""Hot publish: the production server (gunicorn, 2 workers) keeps answering every request while `python -m etl build`
publishes new builds over it, and switches to each new build without a restart.

Client threads request pages, the page router, recorded callback bodies (benchmarks/payloads/), API endpoints
(plain and conditional) and the build's file downloads without pause, while the command-line build publishes a
changed input three times. With HGKM_KEEP_BUILDS=1 every publish prunes the build the workers were just reading:
the hardest case for a request still in flight on it. Every response must be the expected 200 (or 304 for a
conditional request on the build the client holds); every API and download response to a request sent after a
publish must come from the new build, and the API and the national page must serve the changed figure."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from config import PROJECT_ROOT, Settings
from etl.publish import current_build_id
from tests.http_client import routed_page
from tests.servers import running_server

pytestmark = pytest.mark.slow

PAYLOADS = PROJECT_ROOT / "benchmarks" / "payloads"
CALLBACK_PATH = "/_dash-update-component"
CURATED = Path("cbs-published") / "curated" / "84853NED.csv"
CHANGED_ROW = ",{dotted},{plain},"  # the national number of completed investigations in 2023 (84853NED)
FIGURES = (7350, 7355, 7360, 7365)  # as published (7.350), then three changed inputs, one per publish
OBSERVATION = "/api/v1/observations?indicator=afgeronde_onderzoeken&region=NL01&level=land&period=2023JJ00"
CLIENTS = 4
JSON = (("Content-Type", "application/json"),)
ANSWERS_PER_BUILD = 8  # API and download answers on each build before the next publish
SETTLE_LIMIT_SECONDS = 120.0

GETS = (
    "/",
    "/landelijk/afgeronde_onderzoeken",
    "/api/v1/manifest",
    "/api/v1/indicators",
    OBSERVATION,
    "/api/v1/observations?indicator=afgeronde_onderzoeken&format=csv",
    "/data/download/observations.parquet",
    "/data/download/manifest.json",
)
ROUTED = ("/", "/landelijk/afgeronde_onderzoeken", "/regionaal/ontvangen_meldingen", "/regio/NL01")


@dataclass(frozen=True)
class Call:
    """One request of the mix; `conditional` ones send the ETag of the client's last API answer."""

    name: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    conditional: bool = False


@dataclass(frozen=True)
class Outcome:
    """One request: when it was sent and answered, what came back, and the build its ETag names (if any)."""

    call: Call
    sent: float
    answered: float
    status: int | str
    expected: tuple[int, ...]
    build_id: str | None


def _calls() -> list[Call]:
    """Pages, API and downloads (plain and conditional), the page router and every recorded callback."""
    calls = [Call(path, path) for path in GETS]
    calls += [
        Call(f"conditional {path}", path, conditional=True) for path in GETS if path.startswith(("/api", "/data"))
    ]
    calls += [Call(f"routed {path}", CALLBACK_PATH, _routed_body(path), JSON) for path in ROUTED]
    for path in sorted(PAYLOADS.glob("*.json")):
        recorded = json.loads(path.read_text(encoding="utf-8"))
        headers = (*JSON, ("Accept-Encoding", recorded["accept_encoding"]))
        calls.append(
            Call(f"callback {recorded['scenario']}", CALLBACK_PATH, json.dumps(recorded["payload"]).encode(), headers)
        )
    return calls


def _routed_body(path: str) -> bytes:
    """What Dash's page router is sent when a browser opens `path` (as tests/http_client.routed_page sends it)."""
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        }
    ).encode()


def _send(base: str, call: Call, held: str | None) -> tuple[int, str | None]:
    """(status, build id of the ETag) of one call, conditional on the build `held` when given; an HTTP error status
    is a result, a socket error raises."""
    headers = dict(call.headers)
    if held:
        headers["If-None-Match"] = f'W/"{held}"'
    request = urllib.request.Request(base + call.path, data=call.body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status, etag = response.status, response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        error.read()
        status, etag = error.code, error.headers.get("ETag")
    return status, etag.removeprefix("W/").strip('"') if etag else None


def _baseline(base: str, calls: list[Call]) -> dict[Call, int]:
    """Each call's status on the first build, before any publish: 200, or 204 where a callback has nothing to
    update for this data (Dash's PreventUpdate); anything else is a broken mix, not a test of publishing."""
    statuses = {call: _send(base, call, None)[0] for call in calls}
    broken = {call.name: status for call, status in statuses.items() if status not in (200, 204)}
    assert not broken, f"requests that fail before any publish: {broken}"
    return statuses


def _client(base: str, calls: list[Call], first: int, expected: dict[Call, int], stop: threading.Event, outcomes: list):
    """Send the calls in turn, from call `first` on, until stopped; every outcome is recorded. A 304 is right only
    when the ETag it carries (the build the server answers from) is the one the client sent."""
    held = None
    for call in itertools.islice(itertools.cycle(calls), first, None):
        if stop.is_set():
            return
        sent_etag = held if call.conditional else None
        sent = time.monotonic()
        try:
            status, build_id = _send(base, call, sent_etag)
        except OSError as error:  # refused, reset, timed out: a failed request
            status, build_id = repr(error), None
        if status == 304 and (sent_etag is None or build_id != sent_etag):
            status = f"304 for {sent_etag} from build {build_id}"
        allowed = (expected[call], 304) if sent_etag else (expected[call],)
        outcomes.append(Outcome(call, sent, time.monotonic(), status, allowed, build_id))
        held = build_id or held


def _publish(settings: Settings, figure: int) -> tuple[str, float, float]:
    """Change the input, publish with `python -m etl build`: the new build id, when the command started and when it
    returned (monotonic clock, as the clients record their requests)."""
    curated = settings.raw_dir / CURATED
    text = curated.read_text(encoding="utf-8")
    previous = next(value for value in FIGURES if _row(value) in text)
    curated.write_text(text.replace(_row(previous), _row(figure)), encoding="utf-8")
    env = {
        **os.environ,
        "HGKM_DATASET": settings.dataset,
        "HGKM_DATA_DIR": str(settings.data_dir),
        "HGKM_WAREHOUSE_DIR": str(settings.warehouse_dir),
        "HGKM_KEEP_BUILDS": "1",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--quiet"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return current_build_id(settings.warehouse_dir), started, time.monotonic()


def _row(figure: int) -> str:
    """The changed cells as the curated CSV writes them: `7.350,7350`."""
    return CHANGED_ROW.format(dotted=f"{figure // 1000}.{figure % 1000:03d}", plain=figure)


def _settle(outcomes: list[Outcome], since: float) -> None:
    """Keep the load on the current build until enough requests sent after `since` were answered with an ETag (on a
    busy machine that takes longer; the assertions need answers on every build)."""
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    while sum(1 for o in list(outcomes) if o.build_id and o.sent > since) < ANSWERS_PER_BUILD:
        assert time.monotonic() < deadline, f"fewer than {ANSWERS_PER_BUILD} answers in {SETTLE_LIMIT_SECONDS:g} s"
        time.sleep(0.1)


def _served_figure(base: str) -> tuple[str, float]:
    """(build id, value) of the changed figure as the API serves it."""
    with urllib.request.urlopen(base + OBSERVATION, timeout=30) as response:
        etag, body = response.headers["ETag"], json.load(response)
    return etag.removeprefix("W/").strip('"'), body["data"][0]["value"]


def test_the_server_switches_to_each_published_build_without_a_failed_request(private_data):
    first, _, _ = _publish(private_data, FIGURES[0])
    with running_server(private_data.warehouse_dir, dataset=private_data.dataset, workers=2) as base:
        assert _served_figure(base) == (first, FIGURES[0])
        calls = _calls()
        expected = _baseline(base, calls)
        stop, outcomes = threading.Event(), []
        starts = [number * len(calls) // CLIENTS for number in range(CLIENTS)]  # each client from its own call
        clients = [threading.Thread(target=_client, args=(base, calls, s, expected, stop, outcomes)) for s in starts]
        for client in clients:
            client.start()
        published = []
        try:
            _settle(outcomes, since=time.monotonic())
            for figure in FIGURES[1:]:
                published.append(_publish(private_data, figure))
                _settle(outcomes, since=published[-1][2])
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=60)
        served = _served_figure(base)
        national_page = [routed_page(base, "/landelijk/afgeronde_onderzoeken") for _ in range(4)]

    failed = Counter((o.call.name, o.status) for o in outcomes if o.status not in o.expected)
    assert not failed, f"{failed.total()} of {len(outcomes)} requests failed: {failed}"
    assert len({first, *(build_id for build_id, _, _ in published)}) == len(FIGURES)
    assert served == (published[-1][0], FIGURES[-1])
    shown = _row(FIGURES[-1]).split(",")[1].encode()  # 7.365, as the page writes it
    assert all(status == 200 and shown in body for status, body in national_page)
    assert sorted(path.name for path in private_data.warehouse_dir.iterdir() if path.is_dir()) == [served[0]]
    next_started = [started for _, started, _ in published[1:]] + [float("inf")]
    for (build_id, _, returned), until in zip(published, next_started, strict=True):
        between = {o.build_id for o in outcomes if o.build_id and o.sent > returned and o.answered < until}
        assert between == {build_id}, f"requests sent after {build_id} was published were answered from {between}"
