"""Store query functions over a real build of the shipped data."""

import shutil
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pytest

from store.connection import Warehouse
from store.queries import Store


@pytest.fixture(scope="module")
def store(cbs_warehouse) -> Store:
    return Store(cbs_warehouse)


def test_regional_values_list_every_region_of_the_periods_classification(store):
    frame = store.regional_values("ontvangen_meldingen", "2023JJ00", "veilig_thuis_regio", None)
    assert len(frame) == 25
    assert set(frame["region_code"]) >= {"VT27", "VT15"} and "VT16" not in set(frame["region_code"])
    published = frame.set_index("region_code")
    assert published.loc["VT02", "value"] == 1905
    assert published.loc["VT01", "missing_reason"] == "niet_gepubliceerd"
    assert pd.isna(published.loc["VT01", "value"])


def test_a_region_that_no_longer_exists_is_labelled_as_such(store):
    frame = store.regional_values(
        "adviezen_naar_kenmerk_adviesvrager", "2023HJ01", "veilig_thuis_regio", "beroep_kinderopvang"
    ).set_index("region_code")
    assert frame.loc["VT16", "missing_reason"] == "regio_bestaat_niet"
    assert frame.loc["VT16", "name_nl"] == "Brabant Noordoost"


def test_rates_use_the_nearest_population_year_and_stay_empty_for_suppressed_values(store):
    frame = store.regional_values("meldingen_naar_kenmerk_melder", "2023HJ01", "provincie", "beroep_kinderopvang")
    frame = frame.set_index("region_code")
    assert frame.loc["PV21", "value_status"] == "onbekend"
    assert pd.isna(frame.loc["PV21", "rate_per_1000"])
    assert frame.loc["PV20", "population_year"] == 2024
    expected = frame.loc["PV20", "value"] / frame.loc["PV20", "population_count"] * 1000
    assert frame.loc["PV20", "rate_per_1000"] == pytest.approx(expected)


def test_national_series_with_rates(store):
    series = store.national_series("ontvangen_meldingen", "jaar").set_index("period_code")
    assert series.loc["2020JJ00", "value"] == 127_410
    assert series.loc["2020JJ00", "population_year"] == 2020
    assert series.loc["2020JJ00", "rate_per_1000"] == pytest.approx(127_410 / 17_407_585 * 1000)
    assert list(series["period_type"].unique()) == ["jaar"]


def test_category_shares_are_only_computed_from_published_numbers(store):
    frame = store.category_breakdown("meldingen_naar_aard_geweld", "VT02", "2023JJ00").set_index("category_code")
    assert frame.loc["totaal", "value"] == 1905
    assert frame.loc["kindermishandeling", "share_pct"] == pytest.approx(1060 / 1905 * 100)
    assert frame.loc["geen_hg_km", "value_status"] == "onbekend"
    assert pd.isna(frame.loc["geen_hg_km", "share_pct"])


def test_region_profile_puts_the_region_next_to_the_netherlands(store):
    profile = store.region_profile("VT02").set_index(["indicator_id", "period_type"])
    row = profile.loc[("ontvangen_meldingen", "jaar")]
    assert (row["value"], row["nl_value"], row["period_code"]) == (1905, 127_340, "2023JJ00")
    assert row["rate_per_1000"] == pytest.approx(1905 / 504_129 * 1000)


def test_availability_flags_come_from_the_data(store):
    indicators = store.indicators().set_index("indicator_id")
    assert indicators.loc["ontvangen_meldingen", ["has_national", "has_regional", "has_time_series"]].tolist() == [
        True,
        True,
        True,
    ]
    assert not indicators.loc["eigen_registratie_meldingen", "has_national"]
    available = set(store.availability()["indicator_id"])
    assert indicators.loc[sorted(available), "has_national"].any()
    assert not indicators.drop(index=sorted(available))[["has_national", "has_regional"]].any().any()


@pytest.mark.parametrize(
    "hostile", ["'; DROP TABLE observations; --", "NL01' OR '1'='1", "<script>alert(1)</script>", "x" * 10_000]
)
def test_hostile_arguments_are_values_not_sql(store, hostile):
    assert store.regional_values(hostile, "2023JJ00", "veilig_thuis_regio", None)["value"].isna().all()
    assert store.national_series(hostile, None).empty
    assert store.region_profile(hostile).empty
    assert store.national_series("ontvangen_meldingen", None).shape[0] > 5


def test_the_connection_cannot_read_files_or_unlock_itself(store):
    _, cursor = store.warehouse.cursor()
    with pytest.raises(duckdb.PermissionException):
        cursor.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        cursor.execute("SET enable_external_access = true")


def test_queries_are_safe_from_many_threads(cbs_warehouse):
    store = Store(cbs_warehouse)
    calls = [("VT02",), ("PV22",), ("NL01",), ("GM0106",)] * 25

    def profile(args):
        return len(store.region_profile(*args))

    with ThreadPoolExecutor(max_workers=8) as pool:
        sizes = list(pool.map(profile, calls))
    assert sizes[:4] == sizes[4:8] and min(sizes) > 0


def test_cached_results_are_copies(store):
    first = store.national_series("gestarte_adviezen", None)
    first.loc[:, "value"] = -1
    assert (store.national_series("gestarte_adviezen", None)["value"] > 0).all()


@pytest.mark.parametrize(
    ("level", "year"),
    [("veilig_thuis_regio", 2020), ("veilig_thuis_regio", 2024), ("provincie", 2025), ("gemeente", 2023)],
)
def test_boundaries_match_the_regions_of_their_classification(store, level, year):
    geojson = store.boundaries(level, year)
    assert geojson["type"] == "FeatureCollection" and "CBS/PDOK" in geojson["attribution"]
    assert {feature["id"] for feature in geojson["features"]} == set(store.regions(level, year)["region_code"])


def test_boundaries_of_an_unknown_level_are_refused(store):
    with pytest.raises(LookupError, match="no boundaries"):
        store.boundaries("wijk", 2024)


def test_gemeenten_of_a_region_follow_the_membership_of_the_year(store):
    oost_brabant = store.gemeenten_of("VT27", 2024)
    before = set(store.gemeenten_of("VT16", 2020)["region_code"]) | set(store.gemeenten_of("VT26", 2020)["region_code"])
    assert len(oost_brabant) > 20 and set(oost_brabant["region_code"]) == before
    assert store.gemeenten_of("VT27", 2020).empty
    drenthe = store.gemeenten_of("PV22", 2024)
    assert len(drenthe) == 12 and "derived" in drenthe["membership_method"].iloc[0]


def test_a_build_pruned_while_it_is_opened_gives_way_to_the_newer_one(cbs_warehouse, tmp_path):
    published = (cbs_warehouse / "CURRENT").read_text(encoding="utf-8").strip()
    warehouse_dir = tmp_path / "warehouse"
    shutil.copytree(cbs_warehouse / published, warehouse_dir / published)
    (warehouse_dir / "CURRENT").write_text("20000101T000000Z-0123abcd", encoding="utf-8")  # already pruned
    warehouse = Warehouse(warehouse_dir)
    opened = []
    open_once = warehouse._open_once

    def open_as_the_publisher_moves_on(build_id: str):
        opened.append(build_id)
        if build_id != published:
            (warehouse_dir / "CURRENT").write_text(published, encoding="utf-8")
        return open_once(build_id)

    warehouse._open_once = open_as_the_publisher_moves_on
    assert warehouse.snapshot().build_id == published
    assert opened == ["20000101T000000Z-0123abcd", published]


def test_a_build_pruned_while_its_files_are_read_gives_way_to_the_newer_one(cbs_warehouse, tmp_path):
    published = (cbs_warehouse / "CURRENT").read_text(encoding="utf-8").strip()
    older = "20000101T000000Z-0123abcd"
    warehouse_dir = tmp_path / "warehouse"
    for build_id in (older, published):
        shutil.copytree(cbs_warehouse / published, warehouse_dir / build_id)
    (warehouse_dir / "CURRENT").write_text(older, encoding="utf-8")
    store = Store(warehouse_dir)
    assert store.build_id == older
    read_from = []

    def read_manifest_as_the_publisher_prunes(snapshot):
        read_from.append(snapshot.build_id)
        if snapshot.build_id == older:  # published and pruned between taking the snapshot and reading its files
            (warehouse_dir / "CURRENT").write_text(published, encoding="utf-8")
            shutil.rmtree(warehouse_dir / older)
        return (snapshot.path / "manifest.json").read_bytes()

    assert (
        store.warehouse.reading(read_manifest_as_the_publisher_prunes)
        == (warehouse_dir / published / "manifest.json").read_bytes()
    )
    assert read_from == [older, published]
    assert store.boundaries("provincie", 2024)["features"]  # the boundaries file is read from the newer build


def test_a_missing_file_of_the_build_still_published_is_an_error(cbs_warehouse):
    with pytest.raises(FileNotFoundError):
        Warehouse(cbs_warehouse).reading(lambda snapshot: (snapshot.path / "no-such-file").read_bytes())
