"""Hostile requests to every API endpoint of the real production server: malformed, unknown, repeated, huge,
unicode, NUL, SQL-ish and path-traversing query parameters and path segments, odd methods and validators. None may
produce a server error or leak internals, and every refusal is a short JSON error naming what was wrong.

tests/test_api_schema.py (schemathesis) already checks that answers conform to the OpenAPI document for inputs
the document describes; this module sends what a hostile client sends instead. The endpoints come from the
served OpenAPI document, plus the whole-dataset and chart downloads that share the API's validation style.
"""

from __future__ import annotations

import json
import random
import time
from urllib.parse import quote

import pytest

from tests.http_client import get
from tests.test_fuzz_callbacks import HOSTILE_VALUES, Answer, FuzzCase, describe_failures, problems, send_all

CASES = 4000
INDICATOR = "ontvangen_meldingen"
DOWNLOAD_NAMES = ("observations.parquet", "manifest.json", "regions.parquet")
CHARTS = ("landelijk-trend", "landelijk-verdeling", "regionaal", "profiel", "profiel-trend", "vergelijk")
CHART_PARAMETERS = (
    "regio", "periode", "periodetype", "niveau", "maat", "weergave", "categorie", "regios", "lang",
    "indicator", "verdeling", "balken", "formaat", "bereik",
)  # fmt: skip
METHODS = ("GET",) * 12 + ("HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND")
HOSTILE_PATHS = (
    "/api/v1/../../../../etc/passwd",
    "/api/v1/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/api/v1/observations/..%2f..%2f..%2fpyproject.toml",
    "/api/v1/indicators;.json",
    "/api/v1/indicators%00",
    "/api/v1/indicators%20",
    "/api//v1/indicators",
    "//api/v1/indicators",
    "/API/V1/INDICATORS",
    "/api/v1/%E2%80%AE",
    "/api/v1/" + "a" * 3000,
    "/api/v1/openapi.json/../../../pyproject.toml",
    "/api/v1/%2e%2e%2f%2e%2e%2fproc%2fself%2fenviron",
    "/data/download/..%2fCURRENT",
    "/data/download/../CURRENT",
    "/data/download/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/data/download/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/data/download/%2fetc%2fpasswd",
    "/data/download/observations.parquet%00.json",
    "/data/download/manifest.json/",
    "/data/download/./manifest.json",
    "/data/download/MANIFEST.JSON",
    "/download/..%2f..%2fpyproject.toml",
    "/data/download/..%2f..%2f..%2f..%2fproc%2fself%2fenviron",
    "/download/%00",
    "/download/regionaal%2f..%2f..%2fpyproject.toml",
)
JUNK_HEADERS = (
    ("If-None-Match", '"'),
    ("If-None-Match", "W/" + "x" * 4000),
    ("If-None-Match", "*"),
    ("If-Modified-Since", "yesterday"),
    ("If-Modified-Since", "Mon, 99 Foo 99999 99:99:99 GMT"),
    ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
    ("Range", "bytes=999999999-"),
    ("Range", "bytes=5-1, junk"),
    ("If-Range", "nonsense"),
    ("Content-Type", "application/json; charset=utf-99"),
    ("Origin", "https://evil.example"),
)


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)[:3000]


def _encoded(rng: random.Random, text: str) -> str:
    """A query piece as a client might send it: percent-encoded, raw where the URL allows it, or broken."""
    roll = rng.random()
    if roll < 0.75:
        return quote(text, safe="")
    if roll < 0.9:
        return quote(text, safe="/,;:'()*!$")
    return rng.choice(("%", "%zz", "%0", "%E2%82", "%C0%AF", "%u0041", "+" * 20, "%2525"))


def _endpoints(openapi: dict) -> dict[str, list[str]]:
    """Each endpoint of the OpenAPI document with the names of its query parameters."""
    components = openapi["components"]["parameters"]
    endpoints = {}
    for path, item in openapi["paths"].items():
        names = []
        for parameter in item["get"].get("parameters", []):
            if "$ref" in parameter:
                parameter = components[parameter["$ref"].rsplit("/", 1)[1]]
            names.append(parameter["name"])
        endpoints[path] = names
    for name in DOWNLOAD_NAMES:
        endpoints[f"/data/download/{name}"] = []
    for chart in CHARTS:
        endpoints[f"/download/{chart}"] = list(CHART_PARAMETERS)
    return endpoints


def api_case(seed: int, endpoints: dict[str, list[str]]) -> FuzzCase:
    """One hostile request: a real endpoint with mutated parameters, or a hostile path."""
    rng = random.Random(seed)
    if rng.random() < 0.08:
        path, names = rng.choice(HOSTILE_PATHS), []
    else:
        path, names = rng.choice(sorted(endpoints.items()))
    pairs = []
    if "indicator" in names and rng.random() < 0.7:
        pairs.append(("indicator", INDICATOR))
    labels = []
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        roll = rng.random()
        name = rng.choice(names) if names and roll < 0.7 else rng.choice(("x", "", "indicator[]", "ä", "a" * 300))
        if roll < 0.08:
            value = "A" * rng.choice((2999, 3001, 5000, 8000))
            labels.append(f"long {name}")
        elif roll < 0.14 and names:
            pairs.append((name, "NL01"))
            value = "NL01"
            labels.append(f"repeated {name}")
        elif roll < 0.20:
            value = ",".join(
                rng.choice(("NL01", "VT01", "XX99", "GM0363", "", " ")) for _ in range(rng.choice((2, 401)))
            )
            labels.append(f"list {name}")
        else:
            value = _text(rng.choice(HOSTILE_VALUES))
            labels.append(f"hostile {name}")
        pairs.append((name, value))
    if rng.random() < 0.05:
        pairs.append(("bare", None))
        labels.append("parameter without '='")
    query = "&".join(
        _encoded(rng, name) + ("" if value is None else "=" + _encoded(rng, value)) for name, value in pairs
    )
    method = rng.choice(METHODS)
    headers = (rng.choice(JUNK_HEADERS),) if rng.random() < 0.15 else ()
    body = b"x" * rng.choice((0, 10, 2000)) if method in ("POST", "PUT", "PATCH") else b""
    target = f"{path}?{query}" if query else path
    return FuzzCase(seed, f"{method} {path} {'; '.join(labels)}", body, "", method, target, headers)


def refusal_problems(answer: Answer) -> list[str]:
    """An API refusal is a short JSON object with "error" (and "parameter" for /api/ 400s): what was wrong."""
    case = answer.case
    if not 400 <= answer.status < 500 or case.method == "HEAD" or answer.status == 414:
        return []  # 414: gunicorn refuses an over-long request line itself, before the app sees it
    path = case.path.split("?", 1)[0]
    if not path.startswith(("/api/", "/data/download/", "/download/")):
        return []
    try:
        error = json.loads(answer.body)
    except ValueError:
        return [f"{answer.status} is not JSON: {answer.body[:120]!r}"]
    if not isinstance(error, dict) or not isinstance(error.get("error"), str) or not error["error"]:
        return [f"{answer.status} without an error message: {error!r:.200}"]
    if path.startswith("/api/") and answer.status == 400 and "parameter" not in error:
        return [f"400 without 'parameter': {error!r:.200}"]
    return []


def all_problems(answer: Answer) -> list[str]:
    return problems(answer) + refusal_problems(answer)


@pytest.fixture(scope="module")
def endpoints(cbs_server) -> dict[str, list[str]]:
    status, _, body = get(cbs_server + "/api/v1/openapi.json")
    assert status == 200
    return _endpoints(json.loads(body))


def test_the_fuzz_covers_every_endpoint(endpoints):
    assert {"/api/v1/observations", "/api/v1/regions", "/api/v1/openapi.json"} <= set(endpoints)
    assert set(endpoints["/api/v1/observations"]) >= {"indicator", "region", "from", "to", "limit", "offset"}
    covered = {api_case(seed, endpoints).path.split("?")[0] for seed in range(CASES)}
    assert set(endpoints) <= covered


def test_hostile_api_requests_never_fail_or_leak(cbs_server, endpoints):
    started = time.monotonic()
    answers = send_all(cbs_server, [api_case(seed, endpoints) for seed in range(CASES)])
    elapsed = time.monotonic() - started
    failures = [answer for answer in answers if all_problems(answer)]
    assert not failures, describe_failures(failures, problems_of=all_problems)
    statuses = {answer.status for answer in answers}
    assert {200, 400, 404, 405} <= statuses, statuses  # the fuzz reaches answers and every kind of refusal
    print(f"\n{len(answers)} API requests in {elapsed:.1f} s; statuses {sorted(statuses)}")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("regions?year=2023%0A", "year"),
        ("regions?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93", "year"),  # fullwidth digits
        (f"observations?indicator={INDICATOR}&limit=5%0A", "limit"),
        (f"observations?indicator={INDICATOR}&offset=%201", "offset"),
        (f"observations?indicator={INDICATOR}&region=NL01%0A", "region"),
        (f"observations?indicator={INDICATOR}%0A", "indicator"),
    ],
)
def test_values_are_matched_whole(cbs_server, query, parameter):
    """A value that only starts like a valid one (a final newline, other digits, a space) is refused."""
    status, _, body = get(f"{cbs_server}/api/v1/{query}")
    assert status == 400 and json.loads(body)["parameter"] == parameter, body[:200]


@pytest.mark.parametrize("path", ["/data/download/manifest.json", "/download/regionaal", "/api/v1/indicators"])
def test_wrong_methods_on_downloads_and_the_api_get_json_errors(cbs_server, path):
    status, headers, body = get(cbs_server + path, method="DELETE")
    assert status == 405 and headers["Content-Type"].startswith("application/json")
    assert "GET" in headers["Allow"] and json.loads(body)["error"]
