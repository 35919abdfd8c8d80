"""Chart downloads: the rows of each chart, the four file formats, and the /download route over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

import app  # noqa: F401  (instantiates Dash, so the page modules that resolve a chart's state can register)
from exports import charts, files, rows
from layouts import national
from layouts.state import ViewState
from store.queries import Store
from tests.http_client import get

INDICATOR = "ontvangen_meldingen"


@pytest.fixture(scope="module")
def store(cbs_warehouse) -> Store:
    return Store(cbs_warehouse)


@pytest.fixture(scope="module")
def demo_store(demo_warehouse) -> Store:
    return Store(demo_warehouse)


def _described(store, cells: charts.ChartCells) -> pd.DataFrame:
    return rows.describe(store, rows.shown_rows(store, cells.keys), cells.lang, rate=cells.rate, share=cells.share)


def _observation_count(store: Store, indicator_id: str) -> int:
    path = store.warehouse.snapshot().path / "observations.parquet"
    sql = "SELECT count(*) FROM read_parquet(?) WHERE indicator_id = ?"
    with duckdb.connect() as connection:
        return connection.execute(sql, [str(path), indicator_id]).fetchone()[0]


# -- which rows --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["absoluut", "per1000"])
def test_the_national_trend_download_has_the_points_of_the_chart(store, measure):
    query = {"indicator": [INDICATOR], "regio": ["VT06"], "maat": [measure]}
    frame = _described(store, charts.national_trend(store, query))
    indicator = store.indicators().set_index("indicator_id").loc[INDICATOR]
    state = ViewState(region="VT06", measure=measure)
    axis, lines, _ = national.trend_lines(store, indicator, state)
    assert len(frame) == len(axis) * len(lines) == len(axis) * 2
    shown = "rate_per_1000" if measure == "per1000" else "value"
    cells = frame.set_index(["region_code", "period_code"])
    for line in lines:
        for point in line["points"]:
            row = cells.loc[(line["region_code"], point["period_code"])]
            if point["value"] is None:
                assert pd.isna(row[shown])
            else:
                assert row[shown] == pytest.approx(point["value"], abs=10**-rows.DECIMALS)
                assert row["value_status"] == point["status"]
    missing = frame[frame["value"].isna()]
    assert len(missing) > 0, "VT06 has no half-year figures before 2023: the download must keep those gaps"
    assert set(missing["value_status"]) <= set(rows.STATUSES)


def test_the_regional_download_lists_every_region_of_the_table(store):
    query = {"indicator": [INDICATOR], "periode": ["2023JJ00"]}
    frame = _described(store, charts.regional_view(store, query))
    values = store.regional_values(INDICATOR, "2023JJ00", "veilig_thuis_regio", None)
    assert list(frame["region_code"]) == list(values["region_code"])
    published = values[values["missing_reason"].isna()].set_index("region_code")["value"]
    assert frame.set_index("region_code").loc[published.index, "value"].tolist() == published.tolist()
    gone = values[values["missing_reason"] == "regio_bestaat_niet"]["region_code"]
    assert frame.set_index("region_code").loc[gone, "value_status"].eq("regio_bestaat_niet").all()
    assert frame.set_index("region_code").loc[gone, "value"].isna().all()


def test_breakdown_shares_are_exported_as_the_chart_shows_them(store):
    indicators = store.indicators().set_index("indicator_id")
    counts = indicators[indicators["breakdown"].notna() & indicators["has_national"] & (indicators["unit"] == "aantal")]
    with_shares = [
        (indicator_id, frame)
        for indicator_id in counts.index
        for frame in [national.breakdown_data(store, counts.loc[indicator_id], ViewState(period_type="jaar"))[2]]
        if frame["share_pct"].notna().any()
    ]
    assert with_shares, "some breakdown of counts has published parts and total"
    indicator_id, expected = with_shares[0]
    query = {"indicator": [indicator_id], "verdeling": ["aandeel"], "periodetype": ["jaar"]}
    cells = charts.national_breakdown(store, query)
    frame = _described(store, cells)
    assert "share_pct" in frame and cells.share
    assert len(frame) == len(expected)
    both = frame["share_pct"].notna()
    assert both.tolist() == expected["share_pct"].notna().tolist()
    assert frame.loc[both, "share_pct"].tolist() == pytest.approx(
        expected.loc[both.values, "share_pct"].tolist(), abs=10**-rows.DECIMALS
    )


def test_suppressed_demo_cells_stay_empty_with_their_status(demo_store):
    observations = demo_store.warehouse.snapshot().path / "observations.parquet"
    with duckdb.connect() as connection:
        secret = connection.execute(
            "SELECT indicator_id, region_code, period_code FROM read_parquet(?) WHERE value_status = 'geheim' "
            "AND region_level = 'gemeente' AND category_code IS NULL LIMIT 1",
            [str(observations)],
        ).fetchone()
    assert secret, "the demo dataset suppresses small cells"
    indicator_id, region, period = secret
    query = {"indicator": [indicator_id], "periode": [period], "niveau": ["gemeente"]}
    frame = _described(demo_store, charts.regional_view(demo_store, query)).set_index("region_code")
    assert pd.isna(frame.loc[region, "value"]) and frame.loc[region, "value_status"] == "geheim"
    assert set(frame["dataset_kind"]) == {"fictitious_demo"}


def test_the_full_series_has_every_observation_of_the_indicator(store):
    full = store.indicator_observations(INDICATOR)
    assert len(full) == _observation_count(store, INDICATOR)
    shown = rows.shown_rows(store, charts.national_trend(store, {"indicator": [INDICATOR]}).keys)
    published = shown[shown["value"].notna()]
    merged = published.merge(full, on=rows.KEY, suffixes=("", "_full"))
    assert len(merged) == len(published)
    assert (merged["value"] == merged["value_full"]).all()


def test_the_profile_table_download_pairs_the_region_with_the_netherlands(store):
    frame = _described(store, charts.profile_table(store, {"regio": ["VT06"]}))
    profile = store.region_profile("VT06")
    assert set(frame["region_code"]) == {"VT06", "NL01"}
    for indicator_id, group in frame.groupby("indicator_id"):
        expected = profile[profile["indicator_id"] == indicator_id].iloc[0]
        mine = group.set_index("region_code")
        assert mine.loc["VT06", "value"] == expected["value"]
        assert mine.loc["NL01", "value"] == expected["nl_value"] or pd.isna(expected["nl_value"])


@pytest.mark.parametrize(
    ("chart", "query", "parameter"),
    [
        ("landelijk-trend", {"indicator": ["bestaat_niet"]}, "indicator"),
        ("landelijk-trend", {"indicator": [INDICATOR], "regio": ["XX99"]}, None),
        ("landelijk-trend", {"indicator": [INDICATOR], "periodetype": ["kwartaal"]}, None),
        ("landelijk-verdeling", {"indicator": [INDICATOR]}, "indicator"),
        ("regionaal", {"indicator": [INDICATOR], "periode": ["1900JJ00"]}, None),
        ("profiel", {}, "regio"),
        ("profiel-trend", {"regio": ["VT06"], "indicator": ["'; DROP TABLE observations; --"]}, "indicator"),
    ],
)
def test_unusable_values_refuse_the_download_instead_of_substituting_defaults(store, chart, query, parameter):
    with pytest.raises(charts.DownloadError) as raised:
        charts.CHARTS[chart](store, query)
    assert raised.value.parameter == parameter
    assert raised.value.message


# -- file formats -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trend_frame(store) -> pd.DataFrame:
    query = {"indicator": [INDICATOR], "regio": ["VT06"], "maat": ["per1000"], "periodetype": ["jaar"]}
    return _described(store, charts.national_trend(store, query))


def _same(parsed: pd.DataFrame, frame: pd.DataFrame) -> None:
    assert list(parsed.columns) == list(frame.columns)
    assert len(parsed) == len(frame)
    for column in ("value", "rate_per_1000"):
        assert parsed[column].astype("float64").tolist() == pytest.approx(
            frame[column].astype("float64").tolist(), nan_ok=True
        )
    for column in ("region_code", "period_code", "value_status", "build_id"):
        assert parsed[column].astype(str).tolist() == frame[column].astype(str).tolist()


def test_csv_and_the_dutch_excel_csv_read_back_to_the_same_rows(trend_frame):
    metadata = {"build_id": "x"}
    plain = pd.read_csv(io.BytesIO(files.render(trend_frame, "csv", metadata)), dtype={"period_code": str})
    _same(plain, trend_frame)
    dutch_bytes = files.render(trend_frame, "csv-nl", metadata)
    assert dutch_bytes.startswith("\ufeff".encode())
    dutch = pd.read_csv(io.BytesIO(dutch_bytes), sep=";", decimal=",", encoding="utf-8-sig", dtype={"period_code": str})
    _same(dutch, trend_frame)
    rate = trend_frame["rate_per_1000"].dropna().iloc[0]
    assert repr(float(rate)).replace(".", ",") in dutch_bytes.decode("utf-8-sig")
    assert repr(float(rate)) not in dutch_bytes.decode("utf-8-sig")


def test_excel_has_a_data_sheet_and_a_metadata_sheet(trend_frame, tmp_path):
    path = tmp_path / "chart.xlsx"
    path.write_bytes(files.render(trend_frame, "xlsx", {"build_id": "B1", "dataset_kind": "published"}))
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["data", "metadata"]
    data = pd.read_excel(path, sheet_name="data", dtype={"period_code": str})
    _same(data, trend_frame)
    metadata = dict(pd.read_excel(path, sheet_name="metadata").values.tolist())
    assert metadata["build_id"] == "B1"
    assert "geheim" in metadata["column value_status"]


def test_excel_keeps_text_that_looks_like_markup_or_control_characters(tmp_path):
    frame = pd.DataFrame({"name": ['<b>&"x"</b>', "tab\there", "bell\x07"], "value": [1.0, None, 2.5]})
    path = tmp_path / "odd.xlsx"
    path.write_bytes(files.render(frame, "xlsx", {}))
    read = pd.read_excel(path, sheet_name="data")
    assert read["name"].tolist() == ['<b>&"x"</b>', "tab\there", "bell"]
    assert read["value"].tolist() == pytest.approx([1.0, float("nan"), 2.5], nan_ok=True)


def test_json_has_metadata_and_null_for_missing_values(trend_frame):
    body = json.loads(files.render(trend_frame, "json", {"build_id": "B1"}))
    assert body["metadata"]["build_id"] == "B1"
    assert set(body["metadata"]["columns"]) == set(trend_frame.columns)
    assert len(body["data"]) == len(trend_frame)
    missing = [record for record in body["data"] if record["value"] is None]
    assert missing and all(record["value_status"] for record in missing)
    assert all(record["value"] != 0 for record in missing)


# -- the route over HTTP -------------------------------------------------------------------------------------------


def _download(base: str, chart: str, **params) -> tuple[int, dict, bytes]:
    return get(f"{base}/download/{chart}?" + urllib.parse.urlencode(params))


@pytest.mark.parametrize("fmt", list(files.FORMATS))
def test_every_format_is_served_as_an_attachment_with_cache_validators(cbs_server, fmt):
    status, headers, body = _download(cbs_server, "landelijk-trend", indicator=INDICATOR, formaat=fmt)
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith(files.FORMATS[fmt][0].split(";")[0])
    name = headers["Content-Disposition"]
    assert name.startswith("attachment;") and name.endswith(f'.{files.FORMATS[fmt][1]}"')
    again, _, _ = get(
        f"{cbs_server}/download/landelijk-trend?indicator={INDICATOR}&formaat={fmt}",
        {"If-None-Match": headers["ETag"]},
    )
    assert again == 304


def test_the_full_series_over_http_counts_every_observation(demo_server, demo_store):
    indicator = "ontvangen_meldingen"
    status, _, body = _download(demo_server, "regionaal", indicator=indicator, bereik="volledig")
    assert status == 200
    records = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(records) == _observation_count(demo_store, indicator)
    assert {record["dataset_kind"] for record in records} == {"fictitious_demo"}
    assert {record["build_id"] for record in records} == {demo_store.build_id}


@pytest.mark.parametrize(
    ("chart", "params", "status"),
    [
        ("bestaat-niet", {"indicator": INDICATOR}, 404),
        ("landelijk-trend", {"indicator": "bestaat_niet"}, 400),
        ("landelijk-trend", {"indicator": INDICATOR, "regio": "XX99"}, 400),
        ("landelijk-trend", {"indicator": INDICATOR, "formaat": "pdf"}, 400),
        ("landelijk-trend", {"indicator": INDICATOR, "bereik": "alles"}, 400),
        ("landelijk-trend", {"indicator": INDICATOR, "onbekend": "1"}, 400),
        ("landelijk-trend", {"indicator": "<script>alert(1)</script>"}, 400),
        ("regionaal", {"indicator": INDICATOR, "periode": "2023JJ00' OR 1=1 --"}, 400),
        ("vergelijk", {"indicator": INDICATOR, "regios": "VT06," * 200}, 400),
        ("profiel", {"regio": "VT06", "periodetype": "9" * 3000}, 400),
    ],
)
def test_bad_requests_get_a_json_error_without_internals(cbs_server, chart, params, status):
    code, headers, body = _download(cbs_server, chart, **params)
    assert code == status, body[:300]
    assert headers["Content-Type"] == "application/json"
    message = json.loads(body)
    assert message["error"]
    text = body.decode("utf-8")
    assert "Traceback" not in text and str(Path.cwd()) not in text and "<script>" not in text


def test_a_repeated_parameter_is_refused(cbs_server):
    code, _, body = get(f"{cbs_server}/download/landelijk-trend?indicator={INDICATOR}&regio=VT06&regio=VT09")
    assert code == 400
    assert json.loads(body)["parameter"] == "regio"
