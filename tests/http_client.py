"""Plain HTTP requests for the server tests: status, headers and body, also for error statuses."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request


def get(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """(status, headers, body) of a request; an HTTP error status is a result, not an exception."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_as_written(base: str, path: str) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET with the path sent exactly as written (no client-side normalisation of
    '..') and a redirect returned as it is, not followed."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def routed_body(path: str, search: str = "") -> dict:
    """What Dash's page router is sent when a browser opens a link."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def routed_page(base: str, path: str, search: str = "") -> tuple[int, bytes]:
    """(status, body) of what Dash's page router answers a browser opening `path`: the rendered page as JSON."""
    body = routed_body(path, search)
    request = urllib.request.Request(
        base + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
