"""The HTTP API over the real production server: every endpoint and format, strict validation, caching, CORS."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from config import load_settings
from store.queries import Store
from tests.http_client import get

INDICATOR = "ontvangen_meldingen"


def _json(url: str) -> dict:
    status, headers, body = get(url)
    assert status == 200, (url, body[:300])
    assert headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def _csv(url: str) -> list[dict]:
    status, headers, body = get(url)
    assert status == 200, (url, body[:300])
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def _parquet(url: str) -> tuple[pa.Table, dict]:
    status, headers, body = get(url)
    assert status == 200, (url, body[:300])
    assert headers["Content-Type"] == "application/vnd.apache.parquet"
    # Without threads: a threaded read from memory can abort the interpreter at exit (apache/arrow#33975).
    return pq.read_table(pa.BufferReader(body), use_threads=False), headers


def _json_like(table: pa.Table) -> list[dict]:
    """Parquet rows as the JSON shows them: dates as YYYY-MM-DD."""
    return [
        {name: value.isoformat() if isinstance(value, date) else value for name, value in row.items()}
        for row in table.to_pylist()
    ]


def _assert_same_rows(parquet_rows: list[dict], json_rows: list[dict]) -> None:
    assert len(parquet_rows) == len(json_rows)
    for parquet_row, json_row in zip(parquet_rows, json_rows, strict=True):
        assert list(parquet_row) == list(json_row)
        for name, value in parquet_row.items():
            if isinstance(value, float):  # JSON writes 15 significant digits
                assert value == pytest.approx(json_row[name], rel=1e-12), name
            else:
                assert value == json_row[name] and type(value) is type(json_row[name]), name


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


def test_observations_as_parquet_equal_the_json(cbs_server, cbs_store):
    """Same columns, rows and values as the JSON, in real types, with the JSON's meta in the file metadata."""
    _, cursor = cbs_store.warehouse.cursor()
    [indicator] = cursor.execute(
        "SELECT indicator_id FROM observations GROUP BY indicator_id "
        "HAVING count(*) FILTER (value IS NULL) > 0 AND count(value) > 0 ORDER BY indicator_id LIMIT 1"
    ).fetchone()
    url = f"{cbs_server}/api/v1/observations?indicator={indicator}"
    body = _json(url)
    table, headers = _parquet(url + "&format=parquet")
    rows = _json_like(table)
    _assert_same_rows(rows, body["data"])
    assert any(row["value"] is None for row in rows) and any(row["value"] is not None for row in rows)
    types = {field.name: field.type for field in table.schema}
    assert types["period_start"] == pa.date32() and types["value"] == types["rate_per_1000"] == pa.float64()
    assert types["category_code"] == types["source_snapshot"] == types["region_code"] == pa.string()
    assert json.loads(table.schema.metadata[b"hgkm"]) == body["meta"]
    filename = f"observations-{indicator}-{cbs_store.build_id}.parquet"
    assert headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert headers["ETag"] == f'W/"{cbs_store.build_id}"' and headers["X-Total-Count"] == str(len(rows))
    breakdown, _ = _parquet(f"{cbs_server}/api/v1/observations?indicator=meldingen_naar_aard_geweld&format=parquet")
    assert breakdown.num_rows and breakdown.schema.remove_metadata() == table.schema.remove_metadata()


@pytest.mark.parametrize(
    "query",
    ["indicators", "regions", "regions?level=land&year=2020", f"periods?indicator={INDICATOR}", "availability"],
)
def test_the_catalog_tables_as_parquet_equal_the_json(cbs_server, cbs_store, query):
    url = f"{cbs_server}/api/v1/{query}"
    body = _json(url)
    table, headers = _parquet(url + ("&" if "?" in url else "?") + "format=parquet")
    _assert_same_rows(_json_like(table), body["data"])
    assert not any(pa.types.is_null(field.type) for field in table.schema)  # all-empty columns are still text
    assert json.loads(table.schema.metadata[b"hgkm"]) == body["meta"]
    name = query.split("?")[0]
    assert headers["Content-Disposition"] == f'attachment; filename="{name}-{cbs_store.build_id}.parquet"'


def test_csv_and_parquet_pages_follow_the_link_header(cbs_server):
    base = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}"
    whole = _json(base)["data"]
    keys = [(r["region_code"], r["period_code"], r["category_code"] or "") for r in whole]
    assert len(whole) > 40
    for fmt in ("csv", "parquet"):
        url, rows, names = f"{base}&limit=20&format={fmt}", [], []
        while url:
            status, headers, body = get(url)
            assert status == 200 and headers["X-Total-Count"] == str(len(whole))
            names.append(headers["Content-Disposition"])
            if fmt == "csv":
                page = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
            else:
                page = pq.read_table(pa.BufferReader(body), use_threads=False).to_pylist()
            rows += [(r["region_code"], r["period_code"], r["category_code"] or "") for r in page]
            link = headers.get("Link")
            assert link is None or link.endswith('>; rel="next"')
            url = cbs_server + link[1 : link.index(">")] if link else None
        assert rows == keys, fmt
        assert len(names) == -(-len(whole) // 20) and len(set(names)) == len(names) and "-offset20-" in names[1]


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
        (f"indicator={INDICATOR}&format=xlsx", "format", "not one of the allowed"),
        (f"indicator={INDICATOR}&limit=50001", "limit", "whole number"),
        (f"indicator={INDICATOR}&offset=-1", "offset", "whole number"),
        (f"indicator={INDICATOR}&level=land&level=gemeente", "level", "given 2 times"),
        (f"indicator={INDICATOR}&region=", "region", "empty"),
        ("indicator=" + urllib.parse.quote("x' OR 1=1; DROP TABLE observations; --"), "indicator", "not one of"),
        (f"indicator={INDICATOR}&region=" + urllib.parse.quote("<script>alert(1)</script>"), "region", "region code"),
        (f"indicator={INDICATOR}&region=" + "A" * 3500, "region", "too long"),
        (f"indicator={INDICATOR}&region=" + "A" * 6000, "region", "too long"),
    ],
)
def test_bad_parameters_get_a_helpful_400(cbs_server, query, parameter, words):
    status, headers, body = get(f"{cbs_server}/api/v1/observations?{query}")
    assert status == 400, body[:300]
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert error["parameter"] == parameter and words in error["error"]
    assert len(body) < 2000 and b"Traceback" not in body and b"/work" not in body


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("periods?indicator=no_such_indicator", "indicator", "not one of the allowed"),
        ("availability?indicator=" + urllib.parse.quote("<script>alert(1)</script>"), "indicator", "not one of"),
        ("regions?level=" + urllib.parse.quote("gemeente' OR '1'='1"), "level", "not one of the allowed"),
        ("regions?year=" + "9" * 40, "year", "not a year between 1900 and 2100"),
        (f"observations?indicator={INDICATOR}&region=NL01,XX99", "region", "'XX99' is not a known region"),
        (f"observations?indicator={INDICATOR}&region=" + urllib.parse.quote("NL01') OR 1=1 --"), "region", "code"),
        (f"observations?indicator={INDICATOR}&period=" + urllib.parse.quote("2020JJ00' --"), "period", "CBS"),
        (f"observations?indicator={INDICATOR}&from=2024HJ02&to=2024HJ01&format=parquet", "from", "comes after to"),
        (f"observations?indicator={INDICATOR}&limit=" + "9" * 30, "limit", "whole number from 1 to 50000"),
        (f"observations?indicator={INDICATOR}&offset=1000000000", "offset", "whole number from 0 to 999999999"),
        (f"observations?indicator={INDICATOR}&region=" + ",".join(["NL01"] * 401), "region", "at most 400"),
        (f"observations?indicator={INDICATOR}&format=parquet&region=" + "9" * 3999, "region", "at most 3000"),
    ],
)
def test_bad_parameters_on_every_endpoint_get_a_helpful_400(cbs_server, query, parameter, words):
    status, headers, body = get(f"{cbs_server}/api/v1/{query}")
    assert status == 400, body[:300]
    assert headers["Content-Type"].startswith("application/json") and headers["Access-Control-Allow-Origin"] == "*"
    error = json.loads(body)
    assert error["parameter"] == parameter and words in error["error"], error
    assert len(body) < 2000 and b"Traceback" not in body and b"/work" not in body


def test_errors_list_short_allowed_values(cbs_server):
    _, _, body = get(f"{cbs_server}/api/v1/regions?level=wijk")
    assert json.loads(body)["allowed"] == sorted(["land", "landsdeel", "provincie", "veilig_thuis_regio", "gemeente"])
    _, _, body = get(f"{cbs_server}/api/v1/periods?indicator={INDICATOR}&year=2020")
    assert json.loads(body)["allowed"] == ["format", "indicator", "level"]
    status, _, body = get(f"{cbs_server}/api/v1/regions?year=20x0")
    assert status == 400 and json.loads(body)["parameter"] == "year"


def test_a_request_line_beyond_the_server_limit_is_refused_without_a_server_error(cbs_server):
    """gunicorn refuses request lines over 8190 bytes itself (414), before the app sees them."""
    status, _, body = get(f"{cbs_server}/api/v1/observations?indicator={INDICATOR}&region=" + "A" * 10_000)
    assert status == 414 and b"Traceback" not in body


def test_unknown_api_paths_and_methods_get_json_errors(cbs_server):
    for path in ("/api/v1/nothing", "/api/v2/observations", "/api/v1/observations/extra"):
        status, headers, body = get(cbs_server + path)
        assert status == 404 and headers["Content-Type"].startswith("application/json")
        assert "/api/v1/observations" in json.loads(body)["allowed"]
    status, _, body = get(f"{cbs_server}/api/v1/indicators", method="POST")
    assert status == 405 and json.loads(body)["error"]


@pytest.mark.parametrize("path", ["/api//v1/indicators", "/download//landelijk-trend", "/data/download//x", "/geo//x"])
def test_a_doubled_slash_under_data_paths_is_a_json_404_not_a_page(cbs_server, path):
    status, headers, body = get(cbs_server + path)
    assert status == 404 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"].startswith("no such path")


def test_etag_last_modified_and_304(cbs_server, cbs_store):
    url = f"{cbs_server}/api/v1/observations?indicator={INDICATOR}&region=NL01"
    status, headers, _ = get(url)
    assert status == 200 and headers["ETag"] == f'W/"{cbs_store.build_id}"'
    assert headers["Last-Modified"].endswith("GMT") and "max-age=" in headers["Cache-Control"]
    assert "public" in headers["Cache-Control"]
    status, headers304, body = get(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b"" and headers304["ETag"] == headers["ETag"]
    status, _, _ = get(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = get(url, {"If-None-Match": '"some-older-build"'})
    assert status == 200
    status, headers, body = get(url + "&format=parquet", {"If-None-Match": f'"{cbs_store.build_id}"'})
    assert status == 304 and body == b"" and headers["ETag"] == f'W/"{cbs_store.build_id}"'
    assert headers["Last-Modified"] == headers304["Last-Modified"]


def test_cors_allows_any_origin_toget(cbs_server):
    for path in ("/api/v1/indicators", "/api/v1/observations?indicator=nope", "/api/v1/nothing"):
        _, headers, _ = get(cbs_server + path, {"Origin": "https://example.org"})
        assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = get(
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
        status, _, body = get(f"{cbs_server}{path}?{query}")
        assert status == 200, (path, body[:200])
    text = json.dumps(document)
    for reference in {part.split('"')[0] for part in text.split('"$ref": "#/')[1:]}:
        section, group, name = reference.split("/")
        assert name in document[section][group], reference
    assert components["parameters"]["format"]["schema"]["enum"] == ["json", "csv", "parquet"]
    observation = components["schemas"]["Observation"]["properties"]
    for column in ("value_status", "unit", "rate_per_1000", "source_table", "source_snapshot", "dataset_kind"):
        assert column in observation


def test_the_openapi_document_lists_the_builds_indicators_and_regions(cbs_server, cbs_store):
    parameters = _json(f"{cbs_server}/api/v1/openapi.json")["components"]["parameters"]
    indicator_ids = cbs_store.indicators()["indicator_id"].tolist()
    assert parameters["indicator"]["schema"]["enum"] == indicator_ids
    assert parameters["indicator_filter"]["schema"]["enum"] == indicator_ids
    region = parameters["region"]
    assert set(region["schema"]["items"]["enum"]) == cbs_store.known_regions()
    assert region["style"] == "form" and region["explode"] is False and region["schema"]["maxItems"] == 400
