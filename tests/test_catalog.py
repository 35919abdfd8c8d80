"""The indicator catalog: complete definitions, consistent categories, and coverage of the data."""

import shutil

import duckdb
import pytest
import yaml

from etl.catalog import CatalogError, load_catalog
from tests.conftest import DATA


def test_every_catalog_indicator_has_titles_and_definitions_in_both_languages():
    catalog = load_catalog(DATA / "catalog")
    for indicator in catalog.indicators.values():
        for field in ("title_nl", "title_en", "definition_nl", "definition_en"):
            assert len(getattr(indicator, field).strip()) > 10, (indicator.id, field)


def test_a_catalog_entry_without_definition_is_refused(tmp_path):
    shutil.copytree(DATA / "catalog", tmp_path / "catalog")
    path = tmp_path / "catalog" / "indicators.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["indicators"][3]["definition_en"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="afgeronde_onderzoeken.*definition_en"):
        load_catalog(tmp_path / "catalog")


def test_a_rule_with_an_unknown_category_code_is_refused(tmp_path):
    shutil.copytree(DATA / "catalog", tmp_path / "catalog")
    path = tmp_path / "catalog" / "indicators.yaml"
    text = path.read_text(encoding="utf-8").replace(": eerste_melding", ": first_report_typo", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="first_report_typo"):
        load_catalog(tmp_path / "catalog")


def test_every_indicator_in_the_data_has_a_catalog_entry(cbs_warehouse):
    catalog = load_catalog(DATA / "catalog")
    current = (cbs_warehouse / "CURRENT").read_text().strip()
    in_data = {
        row[0]
        for row in duckdb.sql(
            f"SELECT DISTINCT indicator_id FROM read_parquet('{cbs_warehouse / current / 'observations.parquet'}')"
        ).fetchall()
    }
    assert in_data, "the cbs build holds no observations"
    assert in_data <= set(catalog.indicators)


def test_matching_tells_counts_from_percentages():
    catalog = load_catalog(DATA / "catalog")
    counts, _ = catalog.match("85361NED", "Hermelding Totaal", "aantal", {})
    shares, _ = catalog.match("85361NED", "Hermelding Totaal", "procent", {})
    assert [(m.indicator_id, m.category_code) for m in counts] == [
        ("meldingen_naar_eerdere_betrokkenheid", "hermelding_totaal")
    ]
    assert [(m.indicator_id, m.category_code) for m in shares] == [
        ("aandeel_meldingen_naar_eerdere_betrokkenheid", "hermelding_totaal")
    ]


def test_an_unknown_category_is_reported_by_name():
    catalog = load_catalog(DATA / "catalog")
    matches, error = catalog.match(
        "84851NED", "Ontvangen meldingen", "aantal", {"Kenmerken adviezen, meldingen, diensten": "Buurtruzie"}
    )
    assert matches == []
    assert "Buurtruzie" in error and "categories.yaml" in error
