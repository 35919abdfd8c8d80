"""Region profile and compare pages without a browser: pure builders, peer choice, layouts and forged callbacks."""

import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

import app  # noqa: F401  (instantiates Dash, so the page modules can register)
from layouts.figures import profile as figures
from layouts.state import ViewState
from store import runtime
from store.queries import Store
from tests.components import rendered


def _series(rows: list[tuple]) -> pd.DataFrame:
    """A region_series-like frame from (region, period, value, status, rate) tuples."""
    records = []
    for region, period, value, status, rate in rows:
        half = period[4:6] == "HJ"
        start = pd.Timestamp(int(period[:4]), 7 if half and period.endswith("2") else 1, 1)
        label_nl = f"{int(period[6:])}e halfjaar {period[:4]}" if half else period[:4]
        records.append(
            {
                "region_code": region,
                "period_code": period,
                "period_type": "halfjaar" if half else "jaar",
                "period_start": start,
                "label_nl": label_nl,
                "label_en": label_nl,
                "category_code": None,
                "value": value,
                "value_status": status,
                "rate_per_1000": rate,
                "source_table": "84849NED",
                "source_snapshot": "2025-07-01",
            }
        )
    return pd.DataFrame(records)


SERIES = _series(
    [
        ("VT02", "2023HJ01", 1200.0, "definitief", 2.4),
        ("VT02", "2023HJ02", None, "geheim", None),
        ("VT02", "2024HJ01", 1305.0, "voorlopig", 2.6),
        ("NL01", "2023HJ01", 63000.0, "definitief", 3.5),
        ("NL01", "2023HJ02", 64000.0, "definitief", 3.6),
        ("NL01", "2024HJ01", 66270.0, "voorlopig", 3.7),
        ("VT09", "2023HJ01", 2500.0, "definitief", 2.2),
    ]
)
NAMES = {"VT02": "Drenthe", "NL01": "Nederland", "VT09": "Haaglanden"}
OPTIONS = {"per_1000": False, "unit": "aantal", "decimals": 0}


@pytest.fixture(scope="module")
def cbs_store(cbs_warehouse):
    runtime.configure(cbs_warehouse)
    return runtime.current()


def test_the_period_axis_is_ordered_in_time_with_short_tick_labels():
    axis = figures.period_axis(SERIES, "nl")
    assert [code for code, _ in axis] == ["2023HJ01", "2023HJ02", "2024HJ01"]
    assert figures.short_period("2024HJ02") == "2024-2" and figures.short_period("2023JJ00") == "2023"


def test_the_trend_chart_draws_region_nl_and_peers_with_gaps_and_hollow_provisional_markers():
    figure = figures.trend_chart(SERIES, "VT02", ["VT09"], NAMES, "nl", **OPTIONS)
    lines = [trace for trace in figure["data"] if trace["x"] != [None]]
    assert [trace["name"] for trace in lines] == ["Haaglanden", "Nederland", "Drenthe"]
    region = lines[-1]
    assert region["y"] == [1200.0, None, 1305.0]  # the suppressed half year is a gap, never 0
    assert region["marker"]["symbol"] == ["circle", "circle", "circle-open"]
    assert "1.305*" in region["hovertext"][2] and "voorlopig" in region["hovertext"][2]
    assert lines[0]["showlegend"] is False  # peers share one legend entry
    legend = [trace["name"] for trace in figure["data"] if trace.get("showlegend", True)]
    assert "Vergelijkingsregio's" in legend and "open rondje: voorlopig" in legend
    assert figure["layout"]["separators"] == ",."


def test_the_compare_chart_has_one_coloured_line_per_region_and_nl_black_dashed():
    figure = figures.compare_chart(SERIES, ["VT02", "VT09", "NL01"], NAMES, "nl", **{**OPTIONS, "per_1000": True})
    lines = [trace for trace in figure["data"] if trace["x"] != [None]]
    assert len(lines) == 3
    assert lines[2]["line"] == {"color": "#000000", "width": 2.5, "dash": "dash"}
    assert len({trace["line"]["color"] for trace in lines}) == 3
    assert lines[0]["y"] == [2.4, None, 2.6]
    assert lines[1]["y"] == [2.2, None, None]
    assert figure["layout"]["yaxis"]["title"]["text"] == "per 1.000 inwoners"


def test_the_series_table_gives_every_number_with_its_mark_or_the_reason_it_is_missing():
    columns, rows = figures.series_table(SERIES, ["VT02", "NL01", "VT09"], NAMES, "nl", **OPTIONS)
    assert columns == ["Periode", "Drenthe", "Nederland", "Haaglanden"]
    assert rows[0] == ["1e halfjaar 2023", "1.200", "63.000", "2.500"]
    assert rows[1] == ["2e halfjaar 2023", "geheim (te klein om te publiceren)", "64.000", "niet gepubliceerd"]
    assert rows[2] == ["1e halfjaar 2024", "1.305*", "66.270*", "niet gepubliceerd"]
    _, rates = figures.series_table(SERIES, ["VT02"], NAMES, "en", **{**OPTIONS, "per_1000": True})
    assert rates[2] == ["1e halfjaar 2024", "2.6*"]


def test_gaps_are_explained_in_words():
    notes = figures.gap_notes(
        SERIES, ["VT02", "VT09", "VT18"], {**NAMES, "VT18": "Rotterdam-Rijnmond"}, "nl", per_1000=False
    )
    assert "Drenthe: 2e halfjaar 2023 — geheim (te klein om te publiceren)" in notes
    assert "Haaglanden: 2e halfjaar 2023, 1e halfjaar 2024 — niet gepubliceerd" in notes
    assert "Rotterdam-Rijnmond: geen gepubliceerde cijfers in deze reeks." in notes


def test_the_profile_table_helpers():
    from layouts.pages import profile

    frame = pd.DataFrame(
        [
            {"indicator_id": "a", "catalog_order": 0, "period_type": "halfjaar", "period_code": "2025HJ01"},
            {"indicator_id": "a", "catalog_order": 0, "period_type": "jaar", "period_code": "2024JJ00"},
            {"indicator_id": "b", "catalog_order": 1, "period_type": "jaar", "period_code": "2023JJ00"},
        ]
    )
    assert list(profile.latest_rows(frame, "jaar")["period_code"]) == ["2024JJ00", "2023JJ00"]
    assert list(profile.latest_rows(frame, "halfjaar")["period_code"]) == ["2025HJ01", "2023JJ00"]
    assert profile.trend(1050.0, 1000.0, "2024HJ02", "nl") == ("↑", "gestegen, +5,0% t.o.v. 2e halfjaar 2024")
    assert profile.trend(990.0, 1000.0, "2024JJ00", "en") == ("→", "about the same, −1.0% vs 2024")
    assert profile.trend(900.0, 1000.0, "2024JJ00", "nl")[0] == "↓"
    assert profile.trend(900.0, None, None, "nl") == ("–", "geen eerdere periode")
    assert profile.difference({"rate_per_1000": 3.3, "nl_rate_per_1000": 3.0}, "nl") == "10,0% meer per inwoner"
    assert profile.difference({"rate_per_1000": 2.7, "nl_rate_per_1000": 3.0}, "en") == "10.0% less per inhabitant"
    assert profile.difference({"unit": "procent", "value": 40.0, "nl_value": 42.5}, "nl") == "−2,5 procentpunt"
    assert profile.difference({"rate_per_1000": None, "nl_rate_per_1000": 3.0}, "nl") == "–"
    assert profile.nearest_by_population({"A": 100, "B": 90, "C": 130, "D": 101, "E": None}, "A", 2) == ["D", "B"]
    assert profile.period_label("2024HJ01", "en") == "1st half 2024"


def test_peers_follow_the_documented_method(cbs_store):
    from layouts.pages import profile

    year = 2025
    inhabitants = profile.populations(cbs_store, "veilig_thuis_regio", year)
    peers = profile.default_peers(cbs_store, "VT02", "veilig_thuis_regio", year)
    own = inhabitants["VT02"]
    others = sorted((abs(population - own), code) for code, population in inhabitants.items() if code != "VT02")
    assert peers == [code for _, code in others[:4]]
    gemeenten = cbs_store.regions("gemeente", year).set_index("region_code")
    gm_peers = profile.default_peers(cbs_store, "GM0106", "gemeente", year)
    assert 0 < len(gm_peers) <= 8 and "GM0106" not in gm_peers
    assert set(gemeenten.loc[gm_peers, "vt_code"]) == {gemeenten.loc["GM0106", "vt_code"]}
    provinces = profile.default_peers(cbs_store, "PV22", "provincie", year)
    assert len(provinces) == 11 and "PV22" not in provinces
    chosen, is_chosen = profile.resolve_peers(cbs_store, "VT02", ("VT09", "XX99", "VT02", "VT09"))
    assert (chosen, is_chosen) == (["VT09"], True)


def test_profile_layouts_are_friendly_for_unknown_and_empty_regions(cbs_store):
    from layouts.pages import profile

    assert "Regio niet gevonden" in rendered(profile.layout("XX99"))
    hostile = rendered(profile.layout("<script>alert(1)</script>"))
    assert "Regio niet gevonden" in hostile and "<script>" not in hostile
    empty = rendered(profile.layout("GM0518"))  # 's-Gravenhage: no published figures in the cbs dataset
    assert "geen cijfers gepubliceerd" in empty and "/regio/VT09" in empty and "/regio/PV28" in empty
    drenthe = rendered(profile.layout("VT02", lang="en", periodetype="jaar"))
    assert "Region profile Drenthe" in drenthe and "1,905*" in drenthe and "127,340*" in drenthe


def test_compare_layout_validates_the_indicator_and_regions(cbs_store):
    from layouts.pages import compare

    page = rendered(compare.layout(indicator="<script>", regios="VT02,XX99"))
    assert "Indicator 'script' kennen we niet" in page and "XX99" in page and "<script>" not in page
    state = ViewState(regions=("VT02", "NL01"))
    assert compare.compare_query(state, "gestarte_adviezen") == "?regios=VT02,NL01&indicator=gestarte_adviezen"
    assert compare.default_regions(ViewState()) == ("VT09", "NL01")
    assert compare.default_regions(ViewState(region="PV22")) == ("PV22", "NL01")


@pytest.mark.parametrize(
    "arguments",
    [
        ("decade", ["VT09"], "", "/regio/VT02"),
        ("jaar", "VT09", "", "/regio/VT02"),
        ("jaar", [{"x": 1}], "", "/regio/VT02"),
        ("jaar", [], "", "/regio/XX99"),
        ("jaar", [], None, "/regio/VT02"),
    ],
)
def test_forged_profile_callbacks_change_nothing(cbs_store, arguments):
    from callbacks.profile import update_profile

    with pytest.raises(PreventUpdate):
        update_profile(*arguments)


@pytest.mark.parametrize(
    "arguments",
    [
        ("no_such_indicator", ["VT02"], "absoluut", "jaar", ""),
        ("ontvangen_meldingen", "VT02", "absoluut", "jaar", ""),
        ("ontvangen_meldingen", ["VT02"], "relatief", "jaar", ""),
        ("ontvangen_meldingen", ["VT02"], "absoluut", "week", ""),
        (["ontvangen_meldingen"], ["VT02"], "absoluut", "jaar", ""),
    ],
)
def test_forged_compare_callbacks_change_nothing(cbs_store, arguments):
    from callbacks.compare import update_compare

    with pytest.raises(PreventUpdate):
        update_compare(*arguments)


def test_the_compare_callback_caps_regions_and_keeps_the_url(cbs_store):
    from callbacks.compare import update_compare

    regions = ["VT01", "VT02", "VT03", "VT04", "VT05", "VT06", "VT07", "VT08", "VT09", "XX99"]
    content, query, options = update_compare("ontvangen_meldingen", regions, "per1000", "jaar", "?lang=en")
    regios = "VT01,VT02,VT03,VT04,VT05,VT06,VT07,VT08"
    assert query == f"?periodetype=jaar&maat=per1000&regios={regios}&lang=en&indicator=ontvangen_meldingen"
    assert "At most 8 regions" in rendered(content)
    assert options[1] == {"label": "per 1,000 inhabitants", "value": "per1000", "disabled": False}


def test_the_store_profile_matches_the_published_numbers(cbs_warehouse):
    profile = Store(cbs_warehouse).region_profile("VT02").set_index(["indicator_id", "period_type"])
    row = profile.loc[("ontvangen_meldingen", "jaar")]
    assert (row["period_code"], row["value"], row["nl_value"]) == ("2023JJ00", 1905.0, 127340.0)


@pytest.mark.parametrize(
    "indicator_id", ["ontvangen_meldingen", "meldingen_naar_kenmerk_melder", "onderzoeken_naar_uitkomst"]
)
def test_the_plain_series_rows_draw_exactly_what_the_data_frame_draws(cbs_store, indicator_id):
    """The callbacks draw from Store.series_total_rows (plain tuples); the report and downloads from region_series
    narrowed with totals(): both must give the same chart, table, gaps, summary and sources (breakdowns: the total
    category only)."""
    from layouts import summaries
    from layouts.components import frame_sources
    from layouts.pages import profile

    codes = ["VT02", "NL01", "VT09", "GM0106"]
    names = profile.region_names(cbs_store, "nl")
    indicator = cbs_store.indicators().set_index("indicator_id").loc[indicator_id]
    drawn = 0
    for period_type in ("halfjaar", "jaar"):
        frame = profile.totals(cbs_store.region_series(indicator_id, tuple(codes), period_type), cbs_store, indicator)
        lines = figures.Lines(cbs_store.series_total_rows(indicator_id, tuple(codes), period_type))
        assert len(frame) == sum(len(cells) for cells in lines.cells.values())
        assert lines.sources == frame_sources(frame)
        drawn += len(frame)
        for per_1000 in (False, True):
            options = {"per_1000": per_1000, "unit": indicator["unit"], "decimals": int(indicator["decimals"])}
            chart = figures.trend_chart(frame, "VT02", ["VT09", "GM0106"], names, "nl", **options)
            assert figures.trend_chart(lines, "VT02", ["VT09", "GM0106"], names, "nl", **options) == chart
            table = figures.series_table(frame, codes, names, "en", **options)
            assert figures.series_table(lines, codes, names, "en", **options) == table
            gaps = figures.gap_notes(frame, codes, names, "nl", per_1000=per_1000)
            assert figures.gap_notes(lines, codes, names, "nl", per_1000=per_1000) == gaps
            points = summaries.series_lines(frame, codes, names, per_1000=per_1000)
            assert summaries.series_lines(lines, codes, names, per_1000=per_1000) == points
    assert drawn, "the CBS warehouse has this indicator's series for these regions"


def test_the_profile_table_rows_are_the_latest_per_indicator_from_plain_records(cbs_store):
    from layouts.pages import profile

    for period_type in ("halfjaar", "jaar"):
        frame = profile.latest_rows(cbs_store.region_profile("VT02"), period_type)
        records = profile.latest_records(cbs_store.records("region_profile", "VT02"), period_type)
        assert [(row["indicator_id"], row["period_code"]) for row in records] == list(
            zip(frame["indicator_id"], frame["period_code"], strict=True)
        )


def test_store_records_are_shared_read_only_and_only_of_known_queries(cbs_store):
    rows = cbs_store.records("regions", "gemeente", 2025)
    assert rows is cbs_store.records("regions", "gemeente", 2025)  # memoised per build, never copied
    with pytest.raises(TypeError):
        rows[0]["name_nl"] = "changed"
    assert cbs_store.catalog()["ontvangen_meldingen"]["breakdown"] is None  # a missing value is None, not NaN
    assert cbs_store.region_records()["VT02"]["name_nl"] == "Drenthe"
    with pytest.raises(ValueError):
        cbs_store.records("api_observations")
