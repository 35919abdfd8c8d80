"""Tests for etl.geo (TopoJSON decoding, representative point, containment) and etl.derive_membership."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from etl.derive_membership import GEO_DIR, PROVINCIE_SOURCES, REFERENCE_DIR, derive, derive_provincie, derive_vt_2022
from etl.geo import contains, representative_point, topojson_to_geojson
from etl.problems import InputError

# Quantised grid: x = 10 + 0.5 * qx, y = 50 + 0.25 * qy.
# Arc 0: square (0,0)-(4,4); arc 1: its hole (1,1)-(3,3).
# Arcs 2-4: squares B (qx 0..2) and C (qx 2..4), qy 0..2, sharing arc 2, the edge qx = 2 from qy 0 to 2.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 50]},
    "arcs": [
        [[0, 0], [4, 0], [0, 4], [-4, 0], [0, -4]],
        [[1, 1], [0, 2], [2, 0], [0, -2], [-2, 0]],
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
    ],
    "objects": {
        "tiny": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "A", "arcs": [[0], [1]], "properties": {"statcode": "A", "statnaam": "a"}},
                {"type": "Polygon", "arcs": [[2, 3]], "properties": {"statcode": "B", "statnaam": "b"}},
                {"type": "Polygon", "id": "C", "arcs": [[4, ~2]], "properties": {"statcode": "C", "statnaam": "c"}},
                {"type": "MultiPolygon", "id": "BC", "arcs": [[[2, 3]], [[4, ~2]]], "properties": {"statnaam": "bc"}},
            ],
        }
    },
}
SQUARE = [[10.0, 50.0], [12.0, 50.0], [12.0, 51.0], [10.0, 51.0], [10.0, 50.0]]
HOLE = [[10.5, 50.25], [10.5, 50.75], [11.5, 50.75], [11.5, 50.25], [10.5, 50.25]]
B = [[11.0, 50.0], [11.0, 50.5], [10.0, 50.5], [10.0, 50.0], [11.0, 50.0]]
C = [[11.0, 50.0], [12.0, 50.0], [12.0, 50.5], [11.0, 50.5], [11.0, 50.0]]


def _features(topology: dict = TINY, **kwargs: object) -> dict[str, dict]:
    return {f["id"]: f for f in topojson_to_geojson(topology, **kwargs)["features"]}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def _area(geometry: dict) -> float:
    """Planar area in square degrees (shells minus holes); enough to compare a region with its parts."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    total = 0.0
    for polygon in polygons:
        for n, ring in enumerate(polygon):
            (x0, y0), (x1, y1) = np.asarray(ring[:-1]).T, np.asarray(ring[1:]).T
            area = abs(float(np.sum(x0 * y1 - x1 * y0))) / 2
            total += area if n == 0 else -area
    return total


def test_decodes_square_with_hole() -> None:
    collection = topojson_to_geojson(TINY)
    assert collection["type"] == "FeatureCollection"
    square = _features()["A"]
    assert square["type"] == "Feature"
    assert square["properties"] == {"statcode": "A", "statnaam": "a"}
    assert square["geometry"] == {"type": "Polygon", "coordinates": [SQUARE, HOLE]}


def test_shared_arc_is_reversed_and_id_falls_back_to_statcode() -> None:
    features = _features(object_name="tiny")
    assert features["B"]["geometry"]["coordinates"] == [B]
    assert features["C"]["geometry"]["coordinates"] == [C]
    assert features["BC"]["geometry"] == {"type": "MultiPolygon", "coordinates": [[B], [C]]}


def test_unquantised_topology_and_precision() -> None:
    absolute = {**TINY, "arcs": [np.cumsum(arc, axis=0).tolist() for arc in TINY["arcs"]]}
    del absolute["transform"]
    assert _features(absolute)["C"]["geometry"]["coordinates"] == [[[2, 0], [4, 0], [4, 2], [2, 2], [2, 0]]]
    topology = {**TINY, "transform": {"scale": [0.123456, 0.654321], "translate": [3.3, 50.7]}}
    full, rounded = _features(topology)["A"]["geometry"], _features(topology, precision=2)["A"]["geometry"]
    assert np.allclose(_rings(rounded)[0], np.round(_rings(full)[0], 2), rtol=0, atol=1e-12)
    assert _rings(rounded)[0] != _rings(full)[0]


def test_unsupported_geometry_and_ambiguous_object_fail() -> None:
    point = {
        **TINY,
        "objects": {"p": {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [0, 0]}]}},
    }
    with pytest.raises(ValueError, match="Point"):
        topojson_to_geojson(point)
    with pytest.raises(ValueError, match="2 objects"):
        topojson_to_geojson({**TINY, "objects": {**TINY["objects"], **point["objects"]}})


def test_representative_point_avoids_the_hole() -> None:
    # Scan line y = 50.5 (between vertex heights 50.25 and 50.75); two equally wide segments, the first wins.
    assert representative_point(_features()["A"]["geometry"]) == (10.25, 50.5)


def test_representative_point_takes_widest_segment_and_avoids_vertices() -> None:
    # A notch from the top: the bounding-box middle (y = 2) holds a vertex, so the line moves to y = 2.5,
    # where the right arm (x 3..6) is wider than the left (x 0..2).
    u_shape = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [6, 0], [6, 4], [3, 4], [3, 2], [1, 3], [1, 4], [0, 4], [0, 0]]],
    }
    assert representative_point(u_shape) == (4.5, 2.5)
    multi = {"type": "MultiPolygon", "coordinates": [[B], [[[20, 0], [23, 0], [23, 1], [20, 1], [20, 0]]]]}
    assert representative_point(multi) == (21.5, 0.5)


def test_contains_respects_holes_and_multipolygons() -> None:
    features = _features()
    square, multi = features["A"]["geometry"], features["BC"]["geometry"]
    assert contains(square, 10.25, 50.5)
    assert not contains(square, 11.0, 50.5)  # in the hole
    assert not contains(square, 12.5, 50.5)
    assert contains(multi, 10.5, 50.25) and contains(multi, 11.5, 50.25)
    assert not contains(multi, 11.5, 50.75)
    assert not contains(features["C"]["geometry"], 10.5, 50.25)


@pytest.mark.parametrize("path", sorted(GEO_DIR.glob("*.topojson")), ids=lambda p: p.stem)
def test_shipped_files_convert_and_rings_close(path: Path) -> None:
    topology = json.loads(path.read_text(encoding="utf-8"))
    features = topojson_to_geojson(topology, path.stem)["features"]
    assert len(features) == len(topology["objects"][path.stem]["geometries"]) > 0
    for feature in features:
        assert feature["id"] == feature["properties"]["statcode"]
        for ring in _rings(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1], feature["id"]
        assert contains(feature["geometry"], *representative_point(feature["geometry"])), feature["id"]
    rounded = topojson_to_geojson(topology, precision=4)["features"]
    assert all(ring[0] == ring[-1] for feature in rounded for ring in _rings(feature["geometry"]))


@pytest.mark.parametrize("year", [2023, 2025])
def test_rederiving_vt_membership_reproduces_shipped_file(year: int) -> None:
    rows = derive(GEO_DIR, f"gemeente_{year}", f"veiligthuisregio_{year}", "vt")
    assert rows == _read_csv(REFERENCE_DIR / f"gemeente_vt_{year}.csv")


@pytest.mark.parametrize("year", sorted(PROVINCIE_SOURCES))
def test_provincie_csv_on_disk_is_current_and_plausible(year: int) -> None:
    on_disk = _read_csv(REFERENCE_DIR / f"gemeente_provincie_{year}.csv")
    assert on_disk == derive_provincie(GEO_DIR, year)
    provincie = {row["gemeente_code"]: row["pv_code"] for row in on_disk}
    assert len(on_disk) == len(provincie) == 342
    assert {code: provincie[code] for code in ("GM0363", "GM0014", "GM0935", "GM0034")} == {
        "GM0363": "PV27",
        "GM0014": "PV20",
        "GM0935": "PV31",
        "GM0034": "PV24",
    }
    counts = Counter(provincie.values())
    assert sorted(counts) == [f"PV{n}" for n in range(20, 32)]
    assert counts == {
        "PV20": 10, "PV21": 18, "PV22": 12, "PV23": 25, "PV24": 6, "PV25": 51,
        "PV26": 26, "PV27": 44, "PV28": 50, "PV29": 13, "PV30": 56, "PV31": 31,
    }  # fmt: skip


@pytest.mark.parametrize("year", sorted(PROVINCIE_SOURCES))
def test_each_provincie_is_covered_by_its_gemeenten(year: int) -> None:
    gemeente_file, provincie_file = PROVINCIE_SOURCES[year]
    gemeenten = _features(json.loads((GEO_DIR / f"{gemeente_file}.topojson").read_text(encoding="utf-8")))
    provincies = _features(json.loads((GEO_DIR / f"{provincie_file}.topojson").read_text(encoding="utf-8")))
    summed = Counter()
    for row in _read_csv(REFERENCE_DIR / f"gemeente_provincie_{year}.csv"):
        summed[row["pv_code"]] += _area(gemeenten[row["gemeente_code"]]["geometry"])
    for code, feature in provincies.items():
        assert summed[code] / _area(feature["geometry"]) == pytest.approx(1, abs=0.02), code


def _layer(name: str, indices: slice, translate: list[float] = TINY["transform"]["translate"]) -> dict:
    geometries = TINY["objects"]["tiny"]["geometries"][indices]
    transform = {**TINY["transform"], "translate": translate}
    return {**TINY, "transform": transform, "objects": {name: {"type": "GeometryCollection", "geometries": geometries}}}


def test_derive_fails_when_a_gemeente_is_in_no_region_or_two(tmp_path: Path) -> None:
    layers = {
        "far": _layer("far", slice(0, 1), [30, 50]),
        "b": _layer("b", slice(1, 2)),
        "split": _layer("split", slice(1, 3)),
        "overlap": _layer("overlap", slice(1, 4)),
    }
    for name, topology in layers.items():
        (tmp_path / f"{name}.topojson").write_text(json.dumps(topology), encoding="utf-8")
    assert [row["x_code"] for row in derive(tmp_path, "b", "split", "x")] == ["B"]
    with pytest.raises(InputError, match=r"A: point \(30.25, 50.5\) lies in 0 regions of split: none"):
        derive(tmp_path, "far", "split", "x")
    with pytest.raises(InputError, match="B: point .* lies in 2 regions of overlap: B, BC"):
        derive(tmp_path, "b", "overlap", "x")


def test_vt_2022_csv_on_disk_is_current_and_splits_oost_brabant() -> None:
    rows = derive_vt_2022(GEO_DIR)
    with (REFERENCE_DIR / "gemeente_vt_2022.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == rows
    regions = {row["vt_code"] for row in rows}
    assert len(regions) == 26 and {"VT16", "VT26"} <= regions and "VT27" not in regions
    vt_2025 = {
        row["gemeente_code"]: row["vt_code"] for row in derive(GEO_DIR, "gemeente_2025", "veiligthuisregio_2025", "vt")
    }
    oost_brabant = {row["gemeente_code"] for row in rows if row["vt_code"] in ("VT16", "VT26")}
    assert oost_brabant and all(vt_2025[code] == "VT27" for code in oost_brabant)
