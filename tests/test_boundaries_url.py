"""The regional map's boundaries at their versioned URL, over HTTP from the real server (serving/boundaries.py)."""

from __future__ import annotations

import json
import re

import brotli
import pytest

from layouts import ids
from layouts.state import LEVELS
from store.queries import Store
from tests.http_client import get, get_as_written, routed_page

PATH = "/regionaal/ontvangen_meldingen"


def map_traces(base: str, search: str) -> list[dict]:
    """The traces of the map figure in the page the router renders."""
    status, body = routed_page(base, PATH, search)
    assert status == 200
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Graph" and node.get("props", {}).get("id") == ids.REGIONAL_MAP:
                found.append(node["props"]["figure"]["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(body))
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("search", "level", "year"),
    [("?periode=2023JJ00", "veilig_thuis_regio", 2023), ("?periode=2023JJ00&niveau=gemeente", "gemeente", 2023)],
)
def test_the_map_refers_to_served_boundaries_that_cover_its_regions(cbs_server, cbs_warehouse, search, level, year):
    traces = map_traces(cbs_server, search)
    urls = {trace["geojson"] for trace in traces}
    assert len(urls) == 1, urls  # one URL for every trace: fetched once
    url = urls.pop()
    assert re.fullmatch(rf"/geo/{level}-\d{{4}}-[0-9a-f]{{16}}\.geojson", url), url
    status, headers, body = get(cbs_server + url)
    assert status == 200 and headers["Content-Type"] == "application/geo+json"
    served = json.loads(body)
    ids = {feature["id"] for feature in served["features"]}
    drawn = {code for trace in traces[:2] for code in trace["locations"]}
    assert drawn and drawn <= ids  # every region the map colours has its shape
    expected = Store(cbs_warehouse).boundaries(level, year)
    assert ids == {feature["id"] for feature in expected["features"]}
    assert all(set(feature) == {"type", "id", "geometry"} for feature in served["features"])  # properties stripped


def test_boundaries_are_immutable_compressed_and_revalidate(cbs_server):
    url = cbs_server + {trace["geojson"] for trace in map_traces(cbs_server, "?periode=2023JJ00")}.pop()
    status, headers, plain = get(url)
    assert status == 200
    cache = headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache, cache
    status, packed_headers, packed = get(url, {"Accept-Encoding": "br"})
    assert status == 200 and packed_headers["Content-Encoding"] == "br" and brotli.decompress(packed) == plain
    assert len(packed) < len(plain) * 0.6
    etag = headers["ETag"]
    assert etag.startswith("W/") and packed_headers["ETag"] == etag
    status, _, body = get(url, {"If-None-Match": etag, "Accept-Encoding": "br"})
    assert status == 304 and body == b""


def test_unknown_boundaries_are_a_json_404_and_an_older_hash_redirects_to_the_current_one(cbs_server):
    url = {trace["geojson"] for trace in map_traces(cbs_server, "?periode=2023JJ00")}.pop()
    level, year, digest = re.fullmatch(r"/geo/(.+)-(\d{4})-([0-9a-f]{16})\.geojson", url).groups()
    status, headers, _ = get_as_written(cbs_server, f"/geo/{level}-{year}-{'0' * 16}.geojson")  # older boundaries
    assert status == 307 and headers["Location"].endswith(url), headers
    assert "immutable" not in (headers.get("Cache-Control") or "")
    wrong = [
        f"/geo/wijk-{year}-{digest}.geojson",  # unknown level
        f"/geo/{level}-1900-{digest}.geojson",  # a year without boundaries of its own
        "/geo/anything-else.txt",
    ]
    for path in wrong:
        status, headers, body = get(cbs_server + path)
        assert status == 404 and headers["Content-Type"] == "application/json", path
        assert "no such boundaries" in json.loads(body)["error"] and b"Traceback" not in body
        assert "immutable" not in (headers.get("Cache-Control") or "")


def test_every_year_is_drawn_with_the_boundaries_its_url_names(cbs_warehouse):
    store = Store(cbs_warehouse)
    for level in LEVELS:
        named = {store.boundaries_year(level, year) for year in range(2015, 2031)}
        assert 1 <= len(named) < 16  # the shipped classifications, not one URL per year
        for year in range(2015, 2031):
            same = store.boundaries(level, store.boundaries_year(level, year))["features"]
            assert same == store.boundaries(level, year)["features"], (level, year)
    with pytest.raises(LookupError, match="no boundaries"):
        store.boundaries_year("wijk", 2024)
