"""Production serving: compressed responses, long-lived caching of versioned static files, and a warm-up.

- Text responses are compressed (brotli, else gzip) by flask-compress. Static files (Dash's component bundles,
  /assets/) and chart downloads are the same bytes for every visitor of a build, so each is compressed once and
  kept (bounded); callback and API responses are small and compressed per response.
- Files whose URL carries a version (Dash fingerprints its bundles; /assets/ URLs get ?m=<mtime>) may be cached
  by browsers and proxies for a year: a new version has a new URL.
- Dash finishes setting itself up on its first request; warming up before the server forks means the first
  concurrent requests of every worker find it ready.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import dash
from flask import Response, request
from flask_compress import Compress

from store import runtime

ONE_YEAR = 31_536_000
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml", "application/geo+json",
]  # fmt: skip
KEPT_COMPRESSED_BYTES = 64 * 1024 * 1024  # per worker


class KeptCompressions:
    """flask-compress's cache: keeps the compressed bytes of responses with a key, forgets the least used first
    beyond a byte budget, and never keeps responses whose key says they differ per request (ends in ';')."""

    def __init__(self, budget: int = KEPT_COMPRESSED_BYTES):
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._budget = budget
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        return None

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";") or len(value) > self._budget:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = value
            self._size += len(value)
            while self._size > self._budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)


def compression_key(req) -> str:
    """The key under which a response's compressed bytes are kept: the URL for static files, the URL and build
    for chart downloads, '' (not kept) for everything else."""
    if req.method != "GET":
        return ""
    if req.path.startswith(("/_dash-component-suites/", "/assets/")):
        return req.full_path
    if req.path.startswith("/download/"):
        return f"{runtime.current().build_id}{req.full_path}"
    return ""


def _static_files(response: Response) -> Response:
    """/assets/ files: read into memory, so that they are compressed once and kept (a streamed file would be
    compressed again for every request), and a year of caching when requested with their version (?m=...), as
    Dash does for its fingerprinted component bundles."""
    if request.path.startswith("/assets/") and response.status_code == 200:
        response.direct_passthrough = False
        response.get_data()  # the file's bytes instead of a file stream
        if request.args.get("m"):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
    return response


def configure(app: dash.Dash) -> None:
    """Compression and caching headers on the app's Flask server."""
    server = app.server
    server.config.update(
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_CACHE_BACKEND=KeptCompressions,
        COMPRESS_CACHE_KEY=compression_key,
    )
    Compress(server)
    server.after_request(_static_files)  # registered after Compress, so Flask runs it before compressing


def warm_up(app: dash.Dash) -> None:
    """Let Dash set itself up (first-request setup, layout and callback map) before any visitor arrives."""
    client = app.server.test_client()
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        client.get(path)
