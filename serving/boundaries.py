"""Region boundaries at their versioned URL (store/boundaries.py), so that the map's figures refer to them instead
of carrying them.

A choropleth trace's `geojson` may be a URL: plotly.js fetches it once and keeps it per URL in the page. Callback
answers then carry only region codes and values (the gemeente boundaries were about 155 KB of every answer, and
their JSON encoding several milliseconds of every callback). The URL names the content, so browsers and proxies may
keep the bytes for a year; flask-compress compresses them (serving/compression.py).
"""

from __future__ import annotations

import json

from flask import Flask, Response, redirect, request

from serving.compression import ONE_YEAR
from store import runtime
from store.boundaries import body, url
from store.connection import NoWarehouseError

ROUTE = "/geo/<level>-<int:year>-<digest>.geojson"


def serve(level: str, year: int, digest: str) -> Response:
    """The boundaries whose URL boundaries_url() gives now; an older URL of the same level and year redirects to
    it; anything else is a JSON 404."""
    try:
        store = runtime.current()
        known = store.boundaries_year(level, year) == year
        build_id = store.build_id
    except (LookupError, NoWarehouseError):
        known = False
    if not known:
        return not_found(request.path)
    current = url(store, build_id, level, year)  # the digest is worked out once per build, not hashed per request
    if current != f"/geo/{level}-{year}-{digest}.geojson":
        # a page opened before a publish that changed these boundaries: the boundaries that apply now
        return redirect(current, code=307)
    response = Response(body(store, build_id, level, year), mimetype="application/geo+json")
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.set_etag(digest, weak=True)
    return response.make_conditional(request)


def not_found(path: str) -> Response:
    body = {"error": f"no such boundaries: {path[:80]}", "parameter": None, "allowed": []}
    return Response(json.dumps(body, ensure_ascii=False), status=404, mimetype="application/json")


def configure(server: Flask) -> None:
    """The boundaries route, and a JSON 404 for any other path under /geo/ (instead of the page fallback)."""
    server.add_url_rule(ROUTE, "boundaries", serve, methods=["GET"])
    server.add_url_rule("/geo/<path:rest>", "boundaries_unknown", lambda rest: not_found(f"/geo/{rest}"))
