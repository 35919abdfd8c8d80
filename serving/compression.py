"""Compression of text responses: brotli or gzip by flask-compress; the compressed bytes of responses that are
the same for every visitor of a build (static files, chart downloads, repeated callbacks) are kept, bounded."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Response, request
from flask_compress import Compress

from serving.callback_memo import answer_key
from store import runtime
from store.connection import NoWarehouseError

ONE_YEAR = 31_536_000
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml", "application/geo+json", "image/x-icon",
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
    for chart downloads, the request's key for callbacks (see callback_memo), '' (not kept) for everything else."""
    if req.method != "GET":
        return answer_key(req) or ""
    if req.path.startswith(("/_dash-component-suites/", "/assets/", "/_favicon.ico")):
        return req.full_path
    if req.path.startswith("/download/"):
        try:
            return f"{runtime.current().build_id}{req.full_path}"
        except NoWarehouseError:
            return ""
    return ""


def _static_files(response: Response) -> Response:
    """/assets/ files: read into memory, so that they are compressed once and kept (a streamed file would be
    compressed again for every request), and a year of caching when requested with their version (?m=...), as
    Dash does for its fingerprinted component bundles."""
    if request.path.startswith(("/assets/", "/_favicon.ico")) and response.status_code == 200:
        response.direct_passthrough = False
        response.get_data()  # the file's bytes instead of a file stream
        if request.args.get("m") or request.args.get("v"):  # /_favicon.ico?v=<Dash's version>
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
    return response


def configure(server) -> None:
    """flask-compress on the Flask server, with the kept compressions, and the static-file headers."""
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
