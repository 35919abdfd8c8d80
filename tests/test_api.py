"""The HTTP API over the real production server: every endpoint and format, strict validation, caching, CORS."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from config import load_settings
from store.queries import Store

INDICATOR = "ontvangen_meldingen"


def _get(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _json(url: str) -> dict:
    status, headers, body = _get(url)
    assert status == 200, (url, body[:300])
    assert headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def _csv(url: str) -> list[dict]:
    status, headers, body = _get(url)
    assert status == 200, (url, body[:300])
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


@pytest.fixture(scope="module")
def cbs_store(cbs_warehouse) -> Store:
    return Store(load_settings({"HGKM_WAREHOUSE_DIR": str(cbs_warehouse)}).warehouse_dir)


def test_observations_equal_the_store_in_json_and_csv(cbs_server, cbs_store):
    url = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}&region=NL01&period=2020JJ00"
    body = _json(url)
    [row] = body["data"]
    assert row["value"] == 127410 and row["value_status"] == "definitief" and row["unit"] == "aantal"
    assert row["source_table"] and row["dataset_kind"] == "cbs" and row["build_id"] == cbs_store.build_id
    series = cbs_store.national_series(INDICATOR)
    expected = series[series["period_code"] == "2020JJ00"].iloc[0]
    assert row["rate_per_1000"] == pytest.approx(expected["rate_per_1000"])
    meta = body["meta"]
    assert meta["build_id"] == cbs_store.build_id and meta["dataset_kind"] == "cbs" and meta["is_fictitious"] is False
    assert meta["row_count"] == meta["total_count"] == 1 and meta["next_offset"] is None
    [csv_row] = _csv(url + "&format=csv")
    assert list(csv_row) == list(row)
    assert csv_row["value"] == "127410" and csv_row["value_status"] == "definitief"


def test_observations_filter_by_regions_level_and_period_range(cbs_server, cbs_store):
    base = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}"
    rows = _json(base + "&region=NL01,LD01&from=2020JJ00&to=2021JJ00")["data"]
    assert {r["region_code"] for r in rows} == {"NL01", "LD01"}
    assert {r["period_code"][:4] for r in rows} <= {"2020", "2021"} and "2020HJ02" in {r["period_code"] for r in rows}
    everything = _json(base)["data"]
    assert len(everything) == len(cbs_store.national_series(INDICATOR)) + sum(
        r["region_code"] != "NL01" for r in everything
    )
    provinces = _json(base + "&level=provincie")["data"]
    assert provinces and {r["region_level"] for r in provinces} == {"provincie"}
    assert all(r["rate_per_1000"] is not None for r in provinces if r["value"] is not None)
    percentages = _json(f"{cbs_server}/api/v1/observations?indicator=aandeel_meldingen_onveilig")["data"]
    assert percentages and all(r["rate_per_1000"] is None for r in percentages)


def test_suppressed_values_stay_empty_with_their_status(cbs_server, cbs_store):
    _, cursor = cbs_store.warehouse.cursor()
    indicator, region, period = cursor.execute(
        "SELECT indicator_id, region_code, period_code FROM observations WHERE value IS NULL LIMIT 1"
    ).fetchone()
    url = f"{cbs_server}/api/v1/observations?indicator={indicator}&region={region}&period={period}"
    empty = [r for r in _json(url)["data"] if r["value"] is None]
    assert empty and all(r["value_status"] not in ("definitief", "voorlopig") for r in empty)
    assert all(r["rate_per_1000"] is None for r in empty)
    assert any(r["value"] == "" and r["value_status"] for r in _csv(url + "&format=csv"))


def test_observations_are_paged_with_limit_and_offset(cbs_server):
    base = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}"
    whole = _json(base)["data"]
    first = _json(base + "&limit=5")
    assert first["meta"]["row_count"] == 5 and first["meta"]["next_offset"] == 5
    assert first["meta"]["total_count"] == len(whole)
    second = _json(base + "&limit=5&offset=5")["data"]
    assert first["data"] + second == whole[:10]


def test_the_catalog_endpoints(cbs_server, cbs_store):
    indicators = _json(f"{cbs_server}/api/v1/indicators")
    assert [r["indicator_id"] for r in indicators["data"]] == cbs_store.indicators()["indicator_id"].tolist()
    assert {"has_national", "has_regional", "has_time_series"} <= set(indicators["data"][0])
    assert len(_csv(f"{cbs_server}/api/v1/indicators?format=csv")) == len(indicators["data"])

    regions = _json(f"{cbs_server}/api/v1/regions?level=veilig_thuis_regio&year=2020")["data"]
    assert len(regions) == 26 and {r["classification_year"] for r in regions} == {2020}
    assert len(_json(f"{cbs_server}/api/v1/regions?level=veilig_thuis_regio&year=2024")["data"]) == 25
    assert {r["level"] for r in _json(f"{cbs_server}/api/v1/regions")["data"]} >= {"land", "provincie", "gemeente"}

    periods = _json(f"{cbs_server}/api/v1/periods?indicator={INDICATOR}&level=land")["data"]
    assert [p["period_code"] for p in periods] == cbs_store.periods(INDICATOR, "land")["period_code"].tolist()

    availability = _json(f"{cbs_server}/api/v1/availability?indicator={INDICATOR}")["data"]
    assert availability and {r["indicator_id"] for r in availability} == {INDICATOR}
    assert len(_csv(f"{cbs_server}/api/v1/availability?format=csv")) == len(cbs_store.availability())

    manifest = _json(f"{cbs_server}/api/v1/manifest")
    assert manifest["data"]["build_id"] == cbs_store.build_id and manifest["data"]["inputs"]


def test_the_demo_dataset_says_it_is_fictitious(demo_server):
    body = _json(f"{demo_server}/api/v1/observations?indicator={INDICATOR}&region=NL01&limit=3")
    assert body["meta"]["dataset_kind"] == "demo" and body["meta"]["is_fictitious"] is True
    assert {r["dataset_kind"] for r in body["data"]} == {"demo"}


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        (f"indicator={INDICATOR}&colour=red", "colour", "unknown parameter"),
        ("indicator=no_such_indicator", "indicator", "not one of the allowed"),
        ("region=NL01", "indicator", "required"),
        (f"indicator={INDICATOR}&region=XX99", "region", "not a known region"),
        (f"indicator={INDICATOR}&region=NL01,", "region", "not a region code"),
        (f"indicator={INDICATOR}&period=2020", "period", "not a CBS period code"),
        (f"indicator={INDICATOR}&period=2020HJ03", "period", "not a CBS period code"),
        (f"indicator={INDICATOR}&from=2022JJ00&to=2020JJ00", "from", "comes after"),
        (f"indicator={INDICATOR}&level=wijk", "level", "not one of the allowed"),
        (f"indicator={INDICATOR}&format=parquet", "format", "not one of the allowed"),
        (f"indicator={INDICATOR}&limit=50001", "limit", "whole number"),
        (f"indicator={INDICATOR}&offset=-1", "offset", "whole number"),
        (f"indicator={INDICATOR}&level=land&level=gemeente", "level", "given 2 times"),
        (f"indicator={INDICATOR}&region=", "region", "empty"),
        ("indicator=" + urllib.parse.quote("x' OR 1=1; DROP TABLE observations; --"), "indicator", "not one of"),
        (f"indicator={INDICATOR}&region=" + urllib.parse.quote("<script>alert(1)</script>"), "region", "region code"),
        (f"indicator={INDICATOR}&region=" + "A" * 3500, "region", "too long"),
    ],
)
def test_bad_parameters_get_a_helpful_400(cbs_server, query, parameter, words):
    status, headers, body = _get(f"{cbs_server}/api/v1/observations?{query}")
    assert status == 400, body[:300]
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert error["parameter"] == parameter and words in error["error"]
    assert len(body) < 2000 and b"Traceback" not in body and b"/work" not in body


def test_errors_list_short_allowed_values(cbs_server):
    _, _, body = _get(f"{cbs_server}/api/v1/regions?level=wijk")
    assert json.loads(body)["allowed"] == sorted(["land", "landsdeel", "provincie", "veilig_thuis_regio", "gemeente"])
    _, _, body = _get(f"{cbs_server}/api/v1/periods?indicator={INDICATOR}&year=2020")
    assert json.loads(body)["allowed"] == ["format", "indicator", "level"]
    status, _, body = _get(f"{cbs_server}/api/v1/regions?year=20x0")
    assert status == 400 and json.loads(body)["parameter"] == "year"


def test_a_request_line_beyond_the_server_limit_is_refused_without_a_server_error(cbs_server):
    """gunicorn refuses request lines over 4094 bytes itself (414), before the app sees them."""
    status, _, body = _get(f"{cbs_server}/api/v1/observations?indicator={INDICATOR}&region=" + "A" * 10_000)
    assert status == 414 and b"Traceback" not in body


def test_unknown_api_paths_and_methods_get_json_errors(cbs_server):
    for path in ("/api/v1/nothing", "/api/v2/observations", "/api/v1/observations/extra"):
        status, headers, body = _get(cbs_server + path)
        assert status == 404 and headers["Content-Type"].startswith("application/json")
        assert "/api/v1/observations" in json.loads(body)["allowed"]
    status, _, body = _get(f"{cbs_server}/api/v1/indicators", method="POST")
    assert status == 405 and json.loads(body)["error"]


def test_etag_last_modified_and_304(cbs_server, cbs_store):
    url = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}&region=NL01"
    status, headers, _ = _get(url)
    assert status == 200 and headers["ETag"] == f'"{cbs_store.build_id}"'
    assert headers["Last-Modified"].endswith("GMT") and "max-age=" in headers["Cache-Control"]
    assert "public" in headers["Cache-Control"]
    status, headers304, body = _get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and headers304["ETag"] == headers["ETag"]
    status, _, _ = _get(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = _get(url, {"If-None-Match": '"some-older-build"'})
    assert status == 200


def test_cors_allows_any_origin_to_get(cbs_server):
    for path in ("/api/v1/indicators", "/api/v1/observations?indicator=nope", "/api/v1/nothing"):
        _, headers, _ = _get(cbs_server + path, {"Origin": "https://example.org"})
        assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = _get(
        f"{cbs_server}/api/v1/indicators",
        {"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
        method="OPTIONS",
    )
    assert status == 200 and "GET" in headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in headers["Access-Control-Allow-Headers"]


def test_the_openapi_document_describes_every_endpoint(cbs_server):
    document = _json(f"{cbs_server}/api/v1/openapi.json")
    assert document["openapi"].startswith("3.") and document["info"]["title"]
    paths = document["paths"]
    assert set(paths) == {
        f"/api/v1/{name}"
        for name in ("indicators", "regions", "periods", "observations", "availability", "manifest", "openapi.json")
    }
    components = document["components"]
    for path, item in paths.items():
        operation = item["get"]
        assert {"200", "400"} <= set(operation["responses"]) and operation["summary"]
        for reference in operation["parameters"]:
            name = reference["$ref"].rsplit("/", 1)[1]
            assert components["parameters"][name]["in"] == "query"
        required = {
            components["parameters"][r["$ref"].rsplit("/", 1)[1]]["name"]
            for r in operation["parameters"]
            if components["parameters"][r["$ref"].rsplit("/", 1)[1]]["required"]
        }
        query = "&".join(f"{name}={INDICATOR}" for name in required)
        status, _, body = _get(f"{cbs_server}{path}?{query}")
        assert status == 200, (path, body[:200])
    text = json.dumps(document)
    for reference in {part.split('"')[0] for part in text.split('"$ref": "#/')[1:]}:
        section, group, name = reference.split("/")
        assert name in document[section][group], reference
    observation = components["schemas"]["Observation"]["properties"]
    for column in ("value_status", "unit", "rate_per_1000", "source_table", "source_snapshot", "dataset_kind"):
        assert column in observation
