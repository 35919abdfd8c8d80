"""Production serving over the real gunicorn server: compression, caching headers, warm start under concurrency."""

from __future__ import annotations

import gzip
import re
from concurrent.futures import ThreadPoolExecutor

import brotli

from config import PROJECT_ROOT
from serving.compression import KeptCompressions
from tests.http_client import get
from tests.servers import running_server


def _static_urls(base: str) -> list[str]:
    _, _, page = get(base + "/")
    return re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page.decode())


def test_static_files_are_compressed_and_decompress_to_the_same_bytes(cbs_server):
    urls = _static_urls(cbs_server)
    assert any("/assets/" in url for url in urls) and any("_dash-component-suites" in url for url in urls)
    for url in urls:
        _, _, plain = get(cbs_server + url)
        if len(plain) < 1024:
            continue
        status, headers, packed = get(cbs_server + url, {"Accept-Encoding": "br"})
        assert status == 200 and headers["Content-Encoding"] == "br", url
        assert brotli.decompress(packed) == plain, url
        assert len(packed) < len(plain) * 0.6, url
        status, headers, zipped = get(cbs_server + url, {"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == plain, url


def test_versioned_static_files_may_be_cached_for_a_year(cbs_server):
    for url in _static_urls(cbs_server):
        _, headers, _ = get(cbs_server + url)
        cache = headers["Cache-Control"]
        assert "max-age=31536000" in cache and "no-cache" not in cache, (url, cache)
    _, headers, _ = get(cbs_server + "/assets/app.css")  # without its version: revalidate
    assert "max-age=31536000" not in (headers.get("Cache-Control") or "")


def test_api_responses_are_compressed_and_still_revalidate(cbs_server):
    url = cbs_server + "/api/v1/indicators"
    _, plain_headers, plain = get(url)
    status, headers, packed = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain
    assert headers["ETag"].startswith("W/") and headers["ETag"] == plain_headers["ETag"]
    status, _, body = get(url, {"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_small_responses_are_sent_as_they_are(cbs_server):
    _, headers, body = get(cbs_server + "/api/v1/manifest", {"Accept-Encoding": "br"})
    if len(body) < 1024:
        assert "Content-Encoding" not in headers


def test_kept_compressions_stay_within_their_budget_and_skip_per_request_keys():
    kept = KeptCompressions(budget=10)
    kept.set("br;", b"123")
    assert kept.get("br;") is None
    kept.set("br;/a", b"12345")
    kept.set("br;/b", b"12345")
    assert kept.get("br;/a") == b"12345"  # now the most recently used
    kept.set("br;/c", b"123")
    assert kept.get("br;/b") is None and kept.get("br;/a") == b"12345" and kept.get("br;/c") == b"123"
    kept.set("br;/huge", b"x" * 11)
    assert kept.get("br;/huge") is None


def test_a_fresh_server_answers_its_first_concurrent_requests(cbs_warehouse):
    paths = ["/", "/_dash-layout", "/_dash-dependencies", "/api/v1/indicators", "/landelijk/ontvangen_meldingen"]
    with running_server(cbs_warehouse) as base, ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(lambda path: get(base + path)[0], paths * 6))
    assert statuses == [200] * len(statuses)


def _callback_body() -> bytes:
    """A callback request recorded from a real browser (the compare page's measure switch)."""
    import json

    recorded = json.loads((PROJECT_ROOT / "benchmarks" / "payloads" / "compare.json").read_text(encoding="utf-8"))
    return json.dumps(recorded["payload"]).encode()


def test_a_repeated_callback_gets_the_same_answer_from_memory(cbs_server):
    import urllib.request

    body = _callback_body() + b"  "  # a body no other test sends: the server cannot have answered it before

    def post() -> tuple[int, bytes, str | None]:
        request = urllib.request.Request(
            cbs_server + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("X-Callback-Memo")

    answers = [post() for _ in range(8)]  # two workers: each computes once, then answers from memory
    assert {status for status, _, _ in answers} == {200}
    assert len({answer for _, answer, _ in answers}) == 1
    assert b"compare-content" in answers[0][1]
    assert answers[0][2] is None and sum(memo == "hit" for _, _, memo in answers) >= 6


def test_a_callback_request_with_broken_structure_is_refused_not_an_error(cbs_server):
    import json
    import urllib.error
    import urllib.request

    recorded = json.loads(_callback_body())
    recorded["outputs"] = None  # Dash indexes the outputs list while preparing the call
    request = urllib.request.Request(
        cbs_server + "/_dash-update-component",
        data=json.dumps(recorded).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
        assert b"Traceback" not in text
    assert status == 400
