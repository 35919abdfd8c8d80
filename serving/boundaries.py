"""Region boundaries at a versioned URL, so that the map's figures refer to them instead of carrying them.

A choropleth trace's `geojson` may be a URL: plotly.js fetches it once and keeps it per URL in the page. Callback
answers then carry only region codes and values (the gemeente boundaries were about 155 KB of every answer, and
their JSON encoding several milliseconds of every callback). The URL names the level, the classification year of
the boundaries and a hash of the served bytes: the same boundaries keep their URL across builds, changed ones get a
new URL, so browsers and proxies may keep them for a year. The bytes are encoded once per build and kept (bounded);
flask-compress compresses them (serving/compression.py).
"""

from __future__ import annotations

import functools
import hashlib
import json

from flask import Flask, Response, redirect, request

from serving.compression import ONE_YEAR
from serving.kept import KeptBytes
from store import runtime
from store.connection import NoWarehouseError
from store.queries import Store

ROUTE = "/geo/<level>-<int:year>-<digest>.geojson"
KEPT_BYTES = 8 * 1024 * 1024  # per worker; one level's boundaries of one year are at most about 200 KB
_kept = KeptBytes(KEPT_BYTES)


def boundaries_url(store: Store, level: str, year: int) -> str:
    """The URL of the current build's boundaries of a level that apply to a year (LookupError for an unknown
    level); computed once per build."""
    return _url(store, store.build_id, level, store.boundaries_year(level, year))


def boundaries_codes(store: Store, level: str, year: int) -> frozenset[str]:
    """The region codes that have a shape in those boundaries; computed once per build."""
    return _codes(store, store.build_id, level, store.boundaries_year(level, year))


@functools.lru_cache(maxsize=64)
def _url(store: Store, build_id: str, level: str, year: int) -> str:
    return f"/geo/{level}-{year}-{_digest(_body(store, build_id, level, year))}.geojson"


@functools.lru_cache(maxsize=64)
def _codes(store: Store, build_id: str, level: str, year: int) -> frozenset[str]:
    return frozenset(feature["id"] for feature in store.boundaries(level, year).get("features", []))


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def _body(store: Store, build_id: str, level: str, year: int) -> bytes:
    """The boundaries as served: a FeatureCollection of type, id and geometry per feature, compact JSON."""
    key = f"{build_id}/{level}/{year}"
    body = _kept.get(key)
    if body is None:
        geojson = store.boundaries(level, year)
        features = [
            {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"]}
            for feature in geojson.get("features", [])
        ]
        body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
        _kept.set(key, body)
    return body


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
    current = _url(store, build_id, level, year)  # the digest is worked out once per build, not hashed per request
    if current != f"/geo/{level}-{year}-{digest}.geojson":
        # a page opened before a publish that changed these boundaries: the boundaries that apply now
        return redirect(current, code=307)
    response = Response(_body(store, build_id, level, year), mimetype="application/geo+json")
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
