"""Security headers, the request body limit and production without debug, over HTTP against the real gunicorn
server (serving/security.py)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import socket
import sys
import urllib.parse

import pytest

from config import PROJECT_ROOT
from serving.security import MAX_BODY_BYTES
from store.connection import DATABASE
from tests.http_client import get, routed_page

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S)
NOT_EXECUTED = re.compile(r'type="application/json"')
JSON = {"Content-Type": "application/json"}
LEAKS = ("Traceback", 'File "', "/work/", "site-packages", "Werkzeug Debugger")


def policy(headers) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    value = headers["Content-Security-Policy"]
    assert value, "no Content-Security-Policy"
    directives = [part.split() for part in value.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_secured(headers, where: str) -> dict[str, list[str]]:
    """Every security header is present with its value; the policy, checked for what must never be in it."""
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, f"{where}: {name}: {headers[name]!r}"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"], where
    csp = policy(headers)
    scripts = csp["script-src"]
    assert scripts[0] == "'self'" and all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", s) for s in scripts[1:]), where
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert csp["default-src"] == ["'self'"] and csp["connect-src"] == ["'self'"], where
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"], where
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], where
    assert set(csp["img-src"]) == {"'self'", "data:", "blob:"}, where
    return csp


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _static_urls(base: str) -> list[str]:
    _, _, page = get(base + "/")
    return re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page.decode())


def recorded_callback(scenario: str = "national") -> dict:
    """The body of a callback a page really sent (benchmarks/payloads/, recorded in Chromium)."""
    return json.loads((PROJECT_ROOT / "benchmarks" / "payloads" / f"{scenario}.json").read_text())["payload"]


def test_every_kind_of_response_carries_the_same_security_headers(cbs_server):
    static = _static_urls(cbs_server)
    plotly = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    urls = [
        "/",
        "/landelijk/ontvangen_meldingen?lang=en",
        "/regio/VT09/rapport",
        "/landelijk/bestaat_niet",
        "/_dash-layout",
        "/_dash-dependencies",
        "/api/v1/indicators",
        "/api/v1/observations?indicator=bestaat_niet",  # 400
        "/api/v1/bestaat_niet",  # 404 as JSON
        "/api/v1/openapi.json",
        "/data/download/manifest.json",
        "/download/landelijk-trend?indicator=ontvangen_meldingen&bereik=getoond&formaat=csv",
        "/assets/bestaat-niet.css",  # 404
        "/_dash-component-suites/dash/no_such_file.js",  # 404 from the error handler
        plotly,
        *static[:3],
    ]
    policies = set()
    statuses = set()
    for url in urls:
        status, headers, _ = get(cbs_server + url)
        statuses.add(status)
        assert_secured(headers, url)
        policies.add(headers["Content-Security-Policy"])
    status, headers, _ = get(cbs_server + "/api/v1/indicators", method="POST")  # 405
    assert status == 405 and assert_secured(headers, "POST /api/v1/indicators")
    status, headers, _ = _post(cbs_server, "/_dash-update-component", json.dumps(recorded_callback()).encode())
    assert status in (200, 204) and assert_secured(headers, "a callback answer")  # 204: nothing to update
    assert {200, 400, 404} <= statuses
    assert len(policies) == 1, f"one policy for every response, not {policies}"


def test_the_script_hashes_are_exactly_the_inline_scripts_served(cbs_server, demo_server):
    """Every inline script a page runs is allowed by its hash, and the policy allows no other inline script."""
    for base, path in [
        (cbs_server, "/"),
        (cbs_server, "/regionaal/ontvangen_meldingen?lang=en"),
        (cbs_server, "/regio/VT09/rapport"),
        (demo_server, "/landelijk/ontvangen_meldingen"),
    ]:
        status, headers, body = get(base + path)
        assert status == 200
        page = body.decode()
        assert re.search(r"<html lang=\"(nl|en)\">", page), path
        executed = [
            match["body"]
            for match in INLINE_SCRIPT.finditer(re.sub(r"<!--.*?-->", "", page, flags=re.S))
            if "src=" not in match["attributes"] and not NOT_EXECUTED.search(match["attributes"])
        ]
        assert len(executed) >= 2, f"{path}: expected Dash's renderer and page-title scripts, found {executed}"
        assert {sha256_source(script) for script in executed} == set(policy(headers)["script-src"][1:]), path


def test_api_downloads_and_static_files_keep_their_own_headers(cbs_server):
    status, headers, _ = get(cbs_server + "/api/v1/indicators")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in headers["Access-Control-Expose-Headers"] and headers["ETag"].startswith("W/")
    status, again, body = get(cbs_server + "/api/v1/indicators", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and assert_secured(again, "304 from the API")

    plotly = cbs_server + "/_dash-component-suites/plotly/package_data/plotly.min.js"
    _, headers, _ = get(plotly)
    status, again, _ = get(plotly, {"If-None-Match": headers["ETag"]})
    assert status == 304 and assert_secured(again, "304 of plotly.js")

    query = urllib.parse.urlencode({"indicator": "ontvangen_meldingen", "bereik": "volledig", "formaat": "xlsx"})
    status, headers, body = get(f"{cbs_server}/download/landelijk-trend?{query}")
    assert status == 200 and body.startswith(b"PK")
    assert headers["Content-Disposition"].startswith("attachment; filename=") and assert_secured(headers, "xlsx")
    status, headers, _ = get(cbs_server + "/data/download/manifest.json")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in headers["Content-Disposition"]


def _post(base: str, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict, bytes]:
    """A POST that reads the answer as soon as it arrives, as browsers and curl do: a server refusing a large body
    answers before reading it."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(head.encode())
        sent = 0
        while sent < len(body) and not select.select([connection], [], [], 0)[0]:  # stop once answered
            try:
                sent += connection.send(body[sent : sent + 65536])
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, payload


def test_a_body_over_the_limit_gets_a_short_413(cbs_server):
    largest_recorded = max(
        len(json.dumps(json.loads(path.read_text())["payload"]).encode())
        for path in (PROJECT_ROOT / "benchmarks" / "payloads").glob("*.json")
    )
    assert 50 * largest_recorded < MAX_BODY_BYTES, "the limit is meant to sit far above any real callback"

    for size in (MAX_BODY_BYTES + 1, 20 * MAX_BODY_BYTES):
        body = b'{"output": "' + b"x" * (size - 14) + b'"}'
        assert len(body) == size
        for path in ("/_dash-update-component", "/api/v1/indicators", "/"):
            status, headers, payload = _post(cbs_server, path, body)
            assert status == 413, (path, size, status, payload[:200])
            assert json.loads(payload)["error"].startswith("request body too large"), payload
            assert headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in headers
            assert not any(leak.encode() in payload for leak in LEAKS)

    chunked = http.client.HTTPConnection(urllib.parse.urlsplit(cbs_server).netloc, timeout=30)
    pieces = [b'{"output": "', *[b"x" * 65536] * (MAX_BODY_BYTES // 65536 + 1), b'"}']
    chunked.request("POST", "/_dash-update-component", body=iter(pieces), headers=JSON, encode_chunked=True)
    answer = chunked.getresponse()
    refusal = answer.read()
    assert answer.status in (400, 413) and b"invalid callback request" not in refusal, "read past the limit"
    assert not any(leak.encode() in refusal for leak in LEAKS)
    chunked.close()

    status, _, payload = _post(cbs_server, "/_dash-update-component", b"{" * (MAX_BODY_BYTES - 1))
    assert status == 400, "a body within the limit is read (and this one refused as invalid)"
    assert routed_page(cbs_server, "/regionaal/ontvangen_meldingen")[0] == 200


def test_the_production_server_runs_without_debug_or_dev_tools(cbs_server):
    status, _, body = get(cbs_server + "/")
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', body.decode())
    config = json.loads(found[1])
    assert config["ui"] is False and config["props_check"] is False, "Dash's dev tools UI must be off"
    assert "hot_reload" not in config and "dev_tools" not in config
    assert b"dash-debug-menu" not in body
    assert "python_version" not in config and sys.version.encode() not in body, "the server's Python build is private"

    status, _, body = get(cbs_server + "/_reload-hash")
    assert status == 404 and b"packages" not in body
    # Werkzeug's debugger (app.run(debug=True)) would answer these itself; in production Dash's page router does.
    for probe in ("/console", "/?__debugger__=yes&cmd=resource&f=debugger.js"):
        status, headers, body = get(cbs_server + probe)
        assert status == 200 and headers["Content-Type"].startswith("text/html"), probe
        assert b"Werkzeug" not in body and b"Interactive Console" not in body, probe


@pytest.mark.parametrize(
    "body",
    [
        b'{"output": "..x.children..", "outputs": {"id": "x"}, "inputs": "x", "changedPropIds": 1}',
        b'{"output": "_pages_content.children", "inputs": [{"id": {"$ne": 1}, "property": "x"}]}',
        b'{"output": "' + b"." * 5000 + b'"}',
        b"[" * 10_000 + b"]" * 10_000,
        b'{"a": ' * 2000 + b"1" + b"}" * 2000,
    ],
)
def test_a_broken_callback_request_never_answers_with_internals(cbs_server, body):
    status, headers, payload = _post(cbs_server, "/_dash-update-component", body)
    assert 400 <= status < 500, (status, payload[:300])
    assert not any(leak.encode() in payload for leak in LEAKS), payload[:500]
    assert "Content-Security-Policy" in headers


def test_a_real_server_error_answers_without_internals(cbs_warehouse, tmp_path):
    """A build that cannot be opened (its database cut short) published under a running production server:
    every request that needs the data fails inside the server, and the answers still show nothing internal."""
    from tests.servers import running_server

    good = (cbs_warehouse / "CURRENT").read_text().strip()
    shutil.copytree(cbs_warehouse / good, tmp_path / good)
    (tmp_path / "CURRENT").write_text(good)
    kept_errors = PROJECT_ROOT / "artifacts" / "server-errors.log"  # tests/servers.py keeps logged errors there
    kept_size = kept_errors.stat().st_size if kept_errors.exists() else None
    with running_server(tmp_path, workers=1) as base:
        broken = tmp_path / "broken-build"
        shutil.copytree(tmp_path / good, broken)
        database = broken / DATABASE
        database.write_bytes(database.read_bytes()[:5000])
        (tmp_path / "CURRENT.next").write_text(broken.name)
        os.replace(tmp_path / "CURRENT.next", tmp_path / "CURRENT")
        statuses = set()
        for path in ("/api/v1/indicators", "/download/landelijk-trend?indicator=ontvangen_meldingen&formaat=csv", "/"):
            status, headers, body = get(base + path)
            statuses.add(status)
            assert not any(leak.encode() in body for leak in LEAKS), (path, body[:500])
            assert_secured(headers, path)
        status, body = routed_page(base, "/landelijk/ontvangen_meldingen")
        statuses.add(status)
        assert not any(leak.encode() in body for leak in LEAKS), body[:500]
    if kept_size is None:  # the errors caused here on purpose are not kept for a person to read
        kept_errors.unlink(missing_ok=True)
    else:
        os.truncate(kept_errors, kept_size)
    assert 500 in statuses, f"the broken build should have failed a request: {statuses}"
