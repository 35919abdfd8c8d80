"""Plain HTTP requests for the server tests: status, headers and body, also for error statuses."""

from __future__ import annotations

import urllib.error
import urllib.request


def get(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """(status, headers, body) of a request; an HTTP error status is a result, not an exception."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
