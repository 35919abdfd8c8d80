"""Compression of text responses: brotli or gzip by flask-compress; the compressed bytes of responses that are
the same for every visitor of a build (static files, chart downloads, repeated callbacks) are kept, bounded."""

from __future__ import annotations

from flask import Response, request
from flask_compress import Compress

from serving.callback_memo import answer_key
from serving.kept import KeptBytes
from store import runtime
from store.connection import NoWarehouseError

ONE_YEAR = 31_536_000
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml", "application/geo+json", "image/x-icon",
]  # fmt: skip
KEPT_COMPRESSED_BYTES = 64 * 1024 * 1024  # per worker


class KeptCompressions(KeptBytes):
    """flask-compress's cache: compressed bytes by key within a budget; never keeps responses whose key says they
    differ per request (the key ends in ';': flask-compress prefixes our empty key with the encoding)."""

    def __init__(self, budget: int = KEPT_COMPRESSED_BYTES):
        super().__init__(budget)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";"):
            super().set(key, value)


def compression_key(req) -> str:
    """The key under which a response's compressed bytes are kept: the URL for static files and boundaries (their
    URL names their content), the URL and build for chart downloads, the request's key for callbacks (see
    callback_memo), '' (not kept) for everything else."""
    if req.method != "GET":
        return answer_key(req) or ""
    if req.path.startswith(("/_dash-component-suites/", "/assets/", "/_favicon.ico", "/geo/")):
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
