"""Production serving: compressed responses, long-lived caching of versioned static files, and a warm-up.

- Text responses are compressed (brotli, else gzip) by flask-compress. Static files (Dash's component bundles,
  /assets/) and chart downloads are the same bytes for every visitor of a build, so each is compressed once and
  kept (bounded); callback and API responses are small and compressed per response.
- Files whose URL carries a version (Dash fingerprints its bundles; /assets/ URLs get ?m=<mtime>) may be cached
  by browsers and proxies for a year: a new version has a new URL.
- plotly.js is served as the partial bundle of vendor/plotly/ (only the traces our charts draw, a quarter of the
  full bundle's size) under the URL where Dash's dcc.Graph looks for plotly.py's full one, and only when a page
  has a graph: a page without charts loads no plotly.js at all.
- Dash finishes setting itself up on its first request; warming up before the server forks means the first
  concurrent requests of every worker find it ready.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict

import brotli
import dash
from dash import dcc
from dash.fingerprint import check_fingerprint
from flask import Response, abort, request
from flask_compress import Compress

from config import PROJECT_ROOT
from store import runtime

ONE_YEAR = 31_536_000
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml", "application/geo+json",
]  # fmt: skip
KEPT_COMPRESSED_BYTES = 64 * 1024 * 1024  # per worker
PLOTLY_BUNDLE = PROJECT_ROOT / "vendor" / "plotly" / "plotly-hgkm.min.js"
PLOTLY_NAME = "plotly.min.js"  # plotly.py's bundle, as Dash registers it (package_data/plotly.min.js)


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


def _serve_partial_plotly(app: dash.Dash) -> None:
    """plotly.js only for pages that draw a chart, and only the traces our charts use.

    Dash registers plotly.py's full bundle as a dcc resource, "eager": a script of every page when Dash loads
    eagerly (DASH_EAGER_LOADING), else left to dcc.Graph. As "lazy" it is never a script of a page: dcc.Graph loads
    it when it first draws, from window._dashPlotlyJSURL, which the renderer points at package_data/plotly.min.js
    under Dash's component suites. This route, more specific than Dash's own for component suites, answers that
    URL, with or without Dash's fingerprint, with the partial bundle built in vendor/plotly/.

    The bundle is read once and, being the largest file a visitor loads, sent with brotli at its best quality
    (10% smaller than the level used for the other responses; a second of work, done once per process, before
    the workers fork when warmed up); a client without brotli gets it gzipped by flask-compress, kept like the
    other static files.
    """
    for resource in dcc._js_dist:  # Dash keeps its dcc resources here, and adds plotly once per app created
        if resource.get("namespace") == "plotly":
            resource["async"] = "lazy"
    bundle = PLOTLY_BUNDLE.read_bytes()
    etag = hashlib.sha256(bundle).hexdigest()[:32]

    @functools.cache
    def best_brotli() -> bytes:
        return brotli.compress(bundle, quality=11)

    def plotly_bundle(name: str) -> Response:
        path, fingerprinted = check_fingerprint(name)
        if path != PLOTLY_NAME:
            abort(404)
        if request.accept_encodings["br"]:
            response = Response(best_brotli(), mimetype="application/javascript", headers={"Content-Encoding": "br"})
        else:
            response = Response(bundle, mimetype="application/javascript")
        if fingerprinted:
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        else:  # the URL dcc.Graph asks for: revalidated, with a weak ETag (the same for every encoding)
            response.set_etag(etag, weak=True)
            response.make_conditional(request)
        return response

    app.server.add_url_rule(
        f"{app.config.routes_pathname_prefix}_dash-component-suites/plotly/package_data/<string:name>",
        endpoint="plotly_bundle",
        view_func=plotly_bundle,
    )


def configure(app: dash.Dash) -> None:
    """Compression and caching headers on the app's Flask server, and the partial plotly.js bundle."""
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
    _serve_partial_plotly(app)


def warm_up(app: dash.Dash) -> None:
    """Let Dash set itself up (first-request setup, layout and callback map) before any visitor arrives, and
    compress the plotly.js bundle once for all workers."""
    client = app.server.test_client()
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        client.get(path)
    plotly = f"{app.config.routes_pathname_prefix}_dash-component-suites/plotly/package_data/{PLOTLY_NAME}"
    for encoding in ("br", "gzip"):
        client.get(plotly, headers={"Accept-Encoding": encoding})
