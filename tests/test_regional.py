"""Regional page without a server: data shaping, ranks, sorting, figure builders, choices and callback guards."""

import importlib
import json
import math
import sys

import pytest
from dash import html
from dash._utils import to_json
from dash.exceptions import PreventUpdate

from layouts import format as fmt
from layouts.figures import regional as figures
from layouts.figures.base import HIGHLIGHT_COLOUR, NO_DATA_COLOUR, REGION_COLOUR
from layouts.state import ViewState
from store import runtime
from store.queries import Store


@pytest.fixture(scope="module")
def page():
    """The page module as Dash loads it (register_page needs an app), then the callbacks that import it."""
    from app import create_app

    create_app()
    return sys.modules["layouts.pages.regional"]


@pytest.fixture(scope="module")
def store(cbs_warehouse, page) -> Store:
    return runtime.configure(cbs_warehouse)


def raw_records() -> list[dict]:
    """Store.regional_records-shaped rows: two published (a tie), one provisional, one secret, one unpublished, one
    gone."""
    rows = [
        ("VT01", "Eén", 300.0, "definitief", None, 100_000, 3.0),
        ("VT02", "Twee", 500.0, "voorlopig", None, 250_000, 2.0),
        ("VT03", "Drie", 300.0, "definitief", None, 50_000, 6.0),
        ("VT04", "Vier", None, "geheim", "geheim", 40_000, None),
        ("VT05", "Vijf", None, None, "niet_gepubliceerd", 60_000, None),
        ("VT16", "Brabant Noordoost", None, "onbekend", "regio_bestaat_niet", 600_000, None),
    ]
    columns = ("region_code", "name_nl", "value", "value_status", "missing_reason", "population_count", "rate_per_1000")
    fixed = {
        "population_year": 2024,
        "population_is_derived": True,
        "source_table": "84849NED",
        "source_snapshot": None,
    }
    return [{**dict(zip(columns, row, strict=True)), "name_en": row[1], **fixed} for row in rows]


def prepared(page, measure: str = "absoluut") -> dict[str, dict]:
    rows = page.prepare_rows(raw_records(), measure=measure, unit="aantal", decimals=0, lang="nl")
    return {row["region_code"]: row for row in rows}


def test_missing_values_keep_their_reason_and_are_never_zero(page):
    rows = prepared(page)
    assert rows["VT04"]["shown_text"] == "geen gegevens: geheim (te klein om te publiceren)"
    assert rows["VT05"]["shown_text"] == "geen gegevens: niet gepubliceerd"
    assert rows["VT16"]["shown_text"] == "geen gegevens: regio bestond niet in deze periode"
    assert all(rows[code]["shown"] is None for code in ("VT04", "VT05", "VT16"))
    assert rows["VT02"]["shown_text"] == "500*" and rows["VT02"]["provisional"]
    assert [rows[code]["rank"] for code in ("VT02", "VT01", "VT03")] == [1, 2, 2]  # a tie shares its rank
    assert rows["VT04"]["rank"] is None and rows["VT05"]["rank"] is None


def test_rates_rank_on_the_rate_with_one_decimal(page):
    rows = prepared(page, "per1000")
    assert rows["VT03"]["rank"] == 1 and rows["VT03"]["shown_text"] == "6,0"
    assert rows["VT02"]["shown_text"] == "2,0*"


def test_rank_sentence_counts_only_published_values(page):
    rows = list(prepared(page).values())
    assert page.rank_sentence(rows, "VT01", "Eén", "veilig_thuis_regio", "nl") == "Eén staat op plek 2 van 3"
    assert page.rank_sentence(rows, "VT01", "Eén", "veilig_thuis_regio", "en") == "Eén ranks 2 of 3"
    assert page.rank_sentence(rows, "VT04", "Vier", "veilig_thuis_regio", "nl") == (
        "Vier: geen gegevens (geheim (te klein om te publiceren))"
    )
    assert "hoort niet bij deze indeling" in page.rank_sentence(
        rows, "GM0518", "'s-Gravenhage", "veilig_thuis_regio", "nl"
    )
    assert "regiokiezer" in page.rank_sentence(rows, None, None, "veilig_thuis_regio", "nl")


def test_sorting_keeps_regions_without_a_value_last(page):
    rows = list(prepared(page).values())
    by_value = [row["region_code"] for row in page.sort_rows(rows, ("value", False))]
    assert by_value[:3] == ["VT03", "VT01", "VT02"]  # equal values by name
    assert set(by_value[3:]) == {"VT04", "VT05", "VT16"}
    assert [row["region_code"] for row in page.sort_rows(rows, ("rank", False))][:3] == ["VT02", "VT03", "VT01"]
    assert [row["region_code"] for row in page.sort_rows(rows, ("value", True))][:3] == ["VT02", "VT03", "VT01"]
    assert page.sort_rows(rows, ("name", True))[0]["name"] == "Vijf"
    assert page.next_sort(("rank", False), "value") == ("value", True)
    assert page.next_sort(("value", True), "value") == ("value", False)
    assert page.next_sort(("value", True), "name") == ("name", False)


def test_map_draws_published_on_a_scale_missing_in_grey_and_outlines_the_selection(page):
    rows = list(prepared(page).values())
    url = "/geo/veilig_thuis_regio-2023-0123456789abcdef.geojson"
    with_shape = {"VT01", "VT02", "VT03", "VT04", "VT05"} - {"VT03"}  # VT03 has no shape: not drawn
    figure = figures.map_figure(rows, url, with_shape, selected="VT04", lang="nl", scale_title="Aantal")
    published, missing, outline = figure["data"]
    assert {trace["type"] for trace in figure["data"]} == {"choropleth"}  # geo trace: no map tiles
    assert published["locations"] == ["VT01", "VT02"] and published["z"] == [300.0, 500.0]
    assert missing["locations"] == ["VT04", "VT05"] and missing["colorscale"][0][1] == NO_DATA_COLOUR
    assert "geen gegevens: geheim" in missing["hovertext"][0]
    assert outline["locations"] == ["VT04"] and outline["marker"]["line"]["color"] == HIGHLIGHT_COLOUR
    assert {trace["geojson"] for trace in figure["data"]} == {url}  # one URL, fetched once; no inline shapes
    assert (
        figures.map_figure(rows, url, with_shape, selected="VT03", lang="nl", scale_title="x")["data"][2]["locations"]
        == []
    )  # a selection without a shape draws no outline
    assert figure["layout"]["geo"]["fitbounds"] == "locations" and figure["layout"]["separators"] == ",."


def test_ranked_bar_highlights_the_selection_and_draws_the_reference_only_when_given(page):
    rows = list(prepared(page, "per1000").values())
    figure = figures.ranked_bar(rows, selected="VT01", lang="nl", national=4.0, national_label="NL", axis_title="x")
    bar = figure["data"][0]
    assert bar["customdata"] == ["VT03", "VT01", "VT02"]
    assert bar["marker"]["color"] == [REGION_COLOUR, HIGHLIGHT_COLOUR, REGION_COLOUR]
    assert bar["marker"]["pattern"]["shape"] == ["", "", "/"]  # provisional is hatched, not only coloured
    assert figure["layout"]["shapes"][0]["x0"] == 4.0
    plain = figures.ranked_bar(rows, selected=None, lang="nl", national=None, national_label=None, axis_title="x")
    assert "shapes" not in plain["layout"]


def test_a_long_ranking_keeps_both_ends_and_the_selected_region(page):
    records = [
        {**raw_records()[0], "region_code": f"GM{number:04d}", "name_nl": f"GM{number:04d}", "value": 1000.0 - number}
        for number in range(100)
    ]
    rows = page.prepare_rows(records, measure="absoluut", unit="aantal", decimals=0, lang="nl")
    kept = figures.ranked_rows(rows, "GM0050")
    assert len(kept) == 2 * figures.BARS_AT_EACH_END + 1 and "GM0050" in {row["region_code"] for row in kept}


def test_cbs_2023_veilig_thuis_regions_match_the_warehouse(page, store):
    indicator = store.indicators().set_index("indicator_id").loc["ontvangen_meldingen"].to_dict()
    indicator["indicator_id"] = "ontvangen_meldingen"
    levels = page.available_levels(store.availability(), "ontvangen_meldingen")
    assert levels == ["veilig_thuis_regio", "provincie", "gemeente"]
    choice, notices = page.resolve(store, indicator, levels, ViewState(period="2023JJ00", region="VT02"))
    assert notices == [] and choice.level == "veilig_thuis_regio"
    parts = page.render(store, indicator, choice, fictitious=False)
    assert parts["rank"] == "Drenthe staat op plek 4 van 4"
    assert parts["summary"] == "Voor 4 van de 25 Veilig Thuis-regio's is een cijfer gepubliceerd."
    values = store.regional_values("ontvangen_meldingen", "2023JJ00", "veilig_thuis_regio", None)
    assert parts["published"] == int(values["value"].notna().sum())
    assert set(parts["map"]["data"][1]["locations"]) == set(values.loc[values["value"].isna(), "region_code"])
    urls = {trace["geojson"] for trace in parts["map"]["data"]}
    assert len(urls) == 1 and urls.pop().startswith("/geo/veilig_thuis_regio-2023-")  # the boundaries by URL
    assert "CBS/PDOK" in str(parts["map_source"][1].children)  # their attribution still shows


def test_the_store_hands_the_regional_values_over_as_plain_records(store):
    values = store.regional_values("ontvangen_meldingen", "2023JJ00", "gemeente", None)
    records = store.regional_records("ontvangen_meldingen", "2023JJ00", "gemeente", None)
    assert [record["region_code"] for record in records] == list(values["region_code"])
    for record, (_, row) in zip(records, values.iterrows(), strict=True):
        for column, value in row.items():
            missing = value is None or (isinstance(value, float) and math.isnan(value))
            assert record[column] is None if missing else record[column] == value, (record["region_code"], column)
    assert any(record["value"] is None for record in records)  # the demo's and CBS's gaps are None, never NaN
    assert store.regional_records("ontvangen_meldingen", "2023JJ00", "gemeente", None) is records  # memoised


def test_table_rows_are_sent_as_the_dash_components_would_be(page, store):
    """The table body is built as Dash's JSON of html.Tr/Th/Td (thousands of cells): it must stay exactly what the
    components give, so the page's HTML and accessibility do not change."""
    indicator = page.indicator_record(store, "ontvangen_meldingen")
    levels = page.regional_levels(store, "ontvangen_meldingen")
    choice, _ = page.resolve(store, indicator, levels, ViewState(period="2023JJ00", region="VT02"))
    table = json.loads(to_json(page.values_table(page.prepare(store, indicator, choice))))
    body = {row["props"]["data-region"]: row for row in table["props"]["children"][2]["props"]["children"]}
    values = store.regional_values("ontvangen_meldingen", "2023JJ00", "veilig_thuis_regio", None)
    drenthe = values.set_index("region_code").loc["VT02"]
    expected = html.Tr(
        [
            html.Td("4"),
            html.Th("Drenthe", scope="row"),
            html.Td("VT02"),
            html.Td(
                fmt.value_with_status(drenthe["value"], drenthe["value_status"], 0, "aantal", "nl"),
                className="text-end",
            ),
            html.Td(
                fmt.rate(drenthe["rate_per_1000"], "nl") + page.provisional_mark(drenthe["value_status"]),
                className="text-end",
            ),
            html.Td(fmt.number(drenthe["population_count"], 0, "nl"), className="text-end"),
        ],
        className="selected-region",
        **{"data-region": "VT02", "aria-current": "true"},
    )
    assert body["VT02"] == json.loads(to_json(expected))
    missing = values.loc[values["value"].isna()].iloc[0]
    row = body[missing["region_code"]]
    assert row["props"]["className"] == "missing-region" and "aria-current" not in row["props"]
    assert row["props"]["children"][3] == json.loads(
        to_json(html.Td(page.reason_text(missing["missing_reason"], "nl"), className="no-data"))
    )


def test_unusable_choices_fall_back_with_a_notice(page, store):
    indicator = store.indicators().set_index("indicator_id").loc["ontvangen_meldingen"].to_dict()
    indicator["indicator_id"] = "ontvangen_meldingen"
    levels = ["veilig_thuis_regio"]
    state = ViewState(period="1900JJ00", level="gemeente")
    choice, notices = page.resolve(store, indicator, levels, state)
    assert choice.period == "2023JJ00" and choice.level == "veilig_thuis_regio" and len(notices) == 2
    percentage = store.indicators().set_index("indicator_id").loc["aandeel_meldingen_naar_eerdere_betrokkenheid"]
    percentage = {**percentage.to_dict(), "indicator_id": "aandeel_meldingen_naar_eerdere_betrokkenheid"}
    levels = page.available_levels(store.availability(), percentage["indicator_id"])
    choice, notices = page.resolve(store, percentage, levels, ViewState(measure="per1000", category="bestaat_niet"))
    assert choice.measure == "absoluut" and choice.category is not None and len(notices) == 2


def test_the_callback_refuses_forged_context(page, store):
    module = importlib.import_module("callbacks.regional")
    for forged in (None, "x", {"indicator": "ontvangen_meldingen", "lang": "fr", "sort": ["rank", False]}):
        with pytest.raises(PreventUpdate):
            module._valid_context(forged)
    with pytest.raises(PreventUpdate):
        module._valid_context(
            {"indicator": "ontvangen_meldingen", "lang": "nl", "region": "XX99", "sort": ["rank", False]}
        )
    assert module._clicked_region({"points": [{"location": "VT09"}]}) == "VT09"
    assert module._clicked_region({"points": [{"customdata": "VT02"}]}) == "VT02"
    assert module._clicked_region({"points": "<script>"}) is None
