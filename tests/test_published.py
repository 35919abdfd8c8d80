"""Curated published figures: every number in the warehouse equals its published source exactly."""

import csv
import subprocess
import sys

import duckdb
import pytest

from etl.catalog import load_catalog
from etl.normalise import normalise_source
from etl.reference import build_reference
from etl.sources.published import parse
from store.queries import Store
from tests.conftest import DATA, PROJECT_ROOT

CURATED = sorted((DATA / "raw" / "cbs-published" / "curated").glob("*.csv"))


def _published_number(raw: str) -> float:
    """The published Dutch notation read independently of the parser: '.' thousands, ',' decimals, spaces."""
    return float(raw.replace(" ", "").replace(".", "").replace(",", "."))


def _warehouse_values(warehouse) -> dict:
    current = (warehouse / "CURRENT").read_text().strip()
    rows = duckdb.sql(
        "SELECT indicator_id, coalesce(category_code, ''), region_code, period_code, value, value_status "
        f"FROM read_parquet('{warehouse / current / 'observations.parquet'}')"
    ).fetchall()
    return {tuple(row[:4]): (row[4], row[5]) for row in rows}


@pytest.mark.parametrize("path", CURATED, ids=[p.name for p in CURATED])
def test_every_curated_figure_is_in_the_warehouse_exactly_as_published(path, cbs_warehouse):
    catalog = load_catalog(DATA / "catalog")
    labels = build_reference(DATA / "reference", DATA / "geo").label_to_code
    normalised = normalise_source(parse(path), catalog, labels)
    with path.open(encoding="utf-8") as handle:
        source_rows = {line: row for line, row in enumerate(csv.DictReader(handle), start=2)}
    warehouse = _warehouse_values(cbs_warehouse)
    assert len(normalised.observations) >= len(source_rows), "every published row maps onto an indicator"
    assert normalised.unmapped == []
    for obs in normalised.observations.itertuples():
        published = source_rows[obs.source_row]
        category = obs.category_code if isinstance(obs.category_code, str) else ""
        value, status = warehouse[(obs.indicator_id, category, obs.region_code, obs.period_code)]
        if published["value_raw"] == ".":
            assert value is None or value != value, (path.name, obs.source_row)
            assert status == "onbekend"
        else:
            assert value == _published_number(published["value_raw"]), (path.name, obs.source_row)
            assert status == ("voorlopig" if published["provisional"] == "1" else "definitief")


def test_national_totals_reconcile_across_publications(cbs_warehouse):
    store = Store(cbs_warehouse)
    series = store.national_series("ontvangen_meldingen").set_index("period_code")["value"]
    assert series["2020JJ00"] == 127_410
    assert series["2020HJ01"] == 64_505
    # CBS rounds every cell to a multiple of 5 on its own: the half years add up to 127,415, not 127,410.
    assert abs(series["2020HJ01"] + series["2020HJ02"] - series["2020JJ00"]) <= 5
    assert series["2023JJ00"] == 127_340


def test_duplicate_publications_agree_and_are_counted(cbs_warehouse):
    store = Store(cbs_warehouse)
    assert store.manifest()["duplicates_agreed"] > 0


def _validate(*paths):
    return subprocess.run(
        [sys.executable, "-m", "etl", "validate", *map(str, paths)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_validate_accepts_every_shipped_curated_file():
    result = _validate(*CURATED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CURATED)} valid, 0 invalid" in result.stderr


HEADER = (
    "table_id,table_title,Kenmerken adviezen/meldingen,region_label,region_level,region_code_derived,"
    "period_label,period_code_derived,provisional,measure,value_raw,value,source_url"
)
GOOD = '84849NED,"t",Totaal,Nederland,land,NL01,2023*,2023JJ00,1,Ontvangen meldingen (aantal),127.340,127340,https://x'


@pytest.mark.parametrize(
    ("name", "content", "row", "column", "message"),
    [
        (
            "unknown_region.csv",
            GOOD.replace("Nederland,land,NL01", "Atlantis (VT),veilig_thuis_regio,"),
            2,
            "region_label",
            "unknown region 'Atlantis (VT)'",
        ),
        ("bad_region_code.csv", GOOD.replace("NL01", "XX99"), 2, "region_code_derived", "not a CBS region code"),
        ("text_value.csv", GOOD.replace("127.340,127340", "veel,veel"), 2, "value_raw", "not a number"),
        (
            "value_mismatch.csv",
            GOOD.replace("127.340,127340", "127.340,127345"),
            2,
            "value",
            "differs from the published",
        ),
        ("bad_period.csv", GOOD.replace("2023*,2023JJ00", "1900*,1900JJ00"), 2, "period_label", "period"),
        ("star_mismatch.csv", GOOD.replace("2023*,2023JJ00,1", "2023*,2023JJ00,0"), 2, "provisional", "disagrees"),
        ("unknown_category.csv", GOOD.replace("Totaal", "Buurtruzie"), 2, "category", "Buurtruzie"),
        ("negative.csv", GOOD.replace("127.340,127340", "-5,-5"), 2, "value", "negative count"),
        ("short_row.csv", GOOD.rsplit(",", 2)[0], 2, "", "expected 13 fields"),
    ],
)
def test_malformed_curated_rows_name_file_row_and_column(tmp_path, name, content, row, column, message):
    path = tmp_path / name
    path.write_text(f"{HEADER}\n{content}\n", encoding="utf-8")
    result = _validate(path)
    assert result.returncode != 0
    assert f"{path}:{row}:{column}: " in result.stdout
    assert message in result.stdout


def test_duplicate_keys_in_one_file_are_refused(tmp_path):
    path = tmp_path / "duplicate.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n{GOOD}\n", encoding="utf-8")
    result = _validate(path)
    assert result.returncode != 0
    assert f"{path}:2::" in result.stdout and f"{path}:3::" in result.stdout
    assert "duplicate key" in result.stdout


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("empty.csv", b"", "file is empty"),
        ("latin1.csv", f"{HEADER}\n{GOOD.replace('Totaal', 'Fryslân')}\n".encode("latin-1"), "not valid UTF-8"),
        ("semicolons.csv", f"{HEADER}\n{GOOD}\n".replace(",", ";").encode(), "format not recognised"),
        (
            "missing_column.csv",
            f"{HEADER.replace(',value_raw', '')}\n{GOOD}\n".encode(),
            "missing column(s): value_raw",
        ),
        ("utf16.csv", f"{HEADER}\n{GOOD}\n".encode("utf-16"), "file is UTF-16"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, name, payload, message):
    path = tmp_path / name
    path.write_bytes(payload)
    result = _validate(path)
    assert result.returncode != 0
    assert str(path) in result.stdout and message in result.stdout


def test_forcing_the_format_reports_the_missing_column(tmp_path):
    path = tmp_path / "missing_column.csv"
    path.write_text(f"{HEADER.replace(',value_raw', '')}\n{GOOD}\n", encoding="utf-8")
    result = _validate("--format", "published", path)
    assert result.returncode != 0
    assert f"{path}:1:value_raw: missing column(s): value_raw" in result.stdout
