"""Region boundaries as the map refers to them: compact GeoJSON bytes, a URL that names their content, and the
region codes they cover; derived from Store.boundaries once per build and kept (bounded).

The URL names the level, the classification year of the boundaries and a hash of the bytes, so the same boundaries
keep their URL across builds and changed ones get a new one; the regional page puts the URL in its map figure and
serving/boundaries.py serves the bytes under it.
"""

from __future__ import annotations

import functools
import hashlib
import json

from store.queries import Store

KEPT = 64  # per worker, of each kind; one level's boundaries of one year are at most about 200 KB of bytes


def boundaries_url(store: Store, level: str, year: int) -> str:
    """The URL of the current build's boundaries of a level that apply to a year (LookupError for an unknown
    level)."""
    return url(store, store.build_id, level, store.boundaries_year(level, year))


def boundaries_codes(store: Store, level: str, year: int) -> frozenset[str]:
    """The region codes that have a shape in those boundaries."""
    return _codes(store, store.build_id, level, store.boundaries_year(level, year))


@functools.lru_cache(maxsize=KEPT)
def url(store: Store, build_id: str, level: str, year: int) -> str:
    """The URL of one build's boundaries of a level in the classification of `year` (a year boundaries_year gives)."""
    return f"/geo/{level}-{year}-{hashlib.sha256(body(store, build_id, level, year)).hexdigest()[:16]}.geojson"


@functools.lru_cache(maxsize=KEPT)
def body(store: Store, build_id: str, level: str, year: int) -> bytes:
    """The boundaries as served: a FeatureCollection of type, id and geometry per feature, compact JSON."""
    features = [
        {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"]}
        for feature in store.boundaries(level, year).get("features", [])
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


@functools.lru_cache(maxsize=KEPT)
def _codes(store: Store, build_id: str, level: str, year: int) -> frozenset[str]:
    return frozenset(feature["id"] for feature in store.boundaries(level, year).get("features", []))
