"""Boundary geometry: TopoJSON -> GeoJSON decoding, a point inside each polygon, and point-in-polygon tests."""

from __future__ import annotations

import numpy as np

Ring = list[list[float]]
PolygonCoords = list[Ring]


def _decode_arcs(topology: dict) -> list[np.ndarray]:
    """Every arc as an (n, 2) float array of lon/lat; quantised arcs are delta-decoded and transformed."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=np.float64)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(points)
    return arcs


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    """Stitch arcs into one ring; ~i means arc i reversed, and each joint point is kept once."""
    parts = []
    for n, index in enumerate(indices):
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        parts.append(points if n == 0 else points[1:])
    return np.concatenate(parts)


def _coords(points: np.ndarray, precision: int | None) -> Ring:
    return (np.round(points, precision) if precision is not None else points).tolist()


def _geometry(geometry: dict, arcs: list[np.ndarray], precision: int | None) -> dict:
    kind = geometry["type"]
    if kind == "Polygon":
        coordinates = [_coords(_ring(arcs, ring), precision) for ring in geometry["arcs"]]
    elif kind == "MultiPolygon":
        coordinates = [[_coords(_ring(arcs, ring), precision) for ring in polygon] for polygon in geometry["arcs"]]
    else:
        raise ValueError(f"unsupported TopoJSON geometry type {kind!r} (id {geometry.get('id')!r})")
    return {"type": kind, "coordinates": coordinates}


def topojson_to_geojson(topology: dict, object_name: str | None = None, precision: int | None = None) -> dict:
    """GeoJSON FeatureCollection of one TopoJSON object (the only one when `object_name` is None).

    Each feature gets id = the geometry's id (else its `statcode` property) and keeps its properties. `precision`
    rounds coordinates to that many decimals, for smaller files; None keeps full precision.
    """
    objects = topology["objects"]
    if object_name is None:
        if len(objects) != 1:
            raise ValueError(f"topology holds {len(objects)} objects {sorted(objects)}; name the one to convert")
        (layer,) = objects.values()
    else:
        layer = objects[object_name]
    arcs = _decode_arcs(topology)
    features = []
    for geometry in layer["geometries"]:
        properties = dict(geometry.get("properties") or {})
        features.append(
            {
                "type": "Feature",
                "id": geometry.get("id", properties.get("statcode")),
                "properties": properties,
                "geometry": _geometry(geometry, arcs, precision),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _polygons(geometry: dict) -> list[PolygonCoords]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def _scan_line_y(rings: list[np.ndarray]) -> float:
    """Halfway between the vertex heights nearest the bounding-box middle, so the line touches no vertex."""
    ys = np.concatenate([ring[:, 1] for ring in rings])
    low, high = float(ys.min()), float(ys.max())
    centre = (low + high) / 2
    above = ys[ys > centre]
    low = float(ys[ys <= centre].max())
    high = float(above.min()) if above.size else high
    return (low + high) / 2


def _crossings(rings: list[np.ndarray], y: float) -> np.ndarray:
    """Sorted x of every edge crossing the horizontal line at y (a vertex on the line counts once)."""
    found = []
    for ring in rings:
        (x0, y0), (x1, y1) = ring[:-1].T, ring[1:].T
        hit = ~(((y0 > y) & (y1 > y)) | ((y0 < y) & (y1 < y)))
        hit &= y0 != y1
        hit &= ~((y0 == y) & (y1 < y)) & ~((y1 == y) & (y0 < y))
        x0, y0, x1, y1 = x0[hit], y0[hit], x1[hit], y1[hit]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(x0 == x1, x0, x0 + (y - y0) / ((y1 - y0) / (x1 - x0)))
        found.append(x)
    return np.sort(np.concatenate(found))


def representative_point(geometry: dict) -> tuple[float, float]:
    """A (lon, lat) point guaranteed inside a GeoJSON Polygon or MultiPolygon (holes respected).

    Scanline method (as GEOS/shapely `representative_point`): per polygon, a horizontal line through the middle of
    its bounding box, nudged off every vertex; the point is the midpoint of the widest interior segment of that line,
    taken from the polygon where it is widest.
    """
    best: tuple[float, float] | None = None
    best_width = -1.0
    for polygon in _polygons(geometry):
        rings = [np.asarray(ring, dtype=np.float64)[:, :2] for ring in polygon]
        y = _scan_line_y(rings)
        xs = _crossings(rings, y)
        if xs.size % 2:
            raise ValueError(f"odd number of crossings ({xs.size}) at y={y}: a ring is not closed")
        for left, right in zip(xs[0::2], xs[1::2], strict=True):
            if right - left > best_width:
                best_width = float(right - left)
                best = (float((left + right) / 2), y)
    if best is None:
        raise ValueError("geometry has no area")
    return best


def _ring_contains(ring: np.ndarray, lon: float, lat: float) -> bool:
    (x0, y0), (x1, y1) = ring[:-1].T, ring[1:].T
    straddles = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(straddles & (lon < x_cross)) % 2)


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside a GeoJSON Polygon or MultiPolygon: ray casting, a point in a hole is outside."""
    for polygon in _polygons(geometry):
        rings = [np.asarray(ring, dtype=np.float64)[:, :2] for ring in polygon]
        shell = rings[0]
        if not (shell[:, 0].min() <= lon <= shell[:, 0].max() and shell[:, 1].min() <= lat <= shell[:, 1].max()):
            continue
        if _ring_contains(shell, lon, lat) and not any(_ring_contains(hole, lon, lat) for hole in rings[1:]):
            return True
    return False
