"""The national view without a server: pure trend/breakdown builders, state fitting and the callback's validation."""

import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from layouts import national
from layouts.figures import trend
from layouts.state import ViewState
from store import runtime
from store.queries import Store


def _series(rows: list[tuple]) -> pd.DataFrame:
    columns = ["period_code", "category_code", "value", "value_status", "rate_per_1000", "population_year"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(source_table="84852NED", source_snapshot="2025-07-01")


def _texts(node) -> str:
    """All text of a Dash component tree, joined by '|'."""
    if isinstance(node, str):
        return node
    if isinstance(node, (list, tuple)):
        return "|".join(_texts(child) for child in node if child is not None)
    children = getattr(node, "children", None)
    return _texts(children) if children is not None else ""


def test_the_period_axis_has_every_period_so_missing_ones_are_gaps():
    assert trend.period_axis(["2019HJ02", "2021HJ01"], "halfjaar") == ["2019HJ02", "2020HJ01", "2020HJ02", "2021HJ01"]
    assert trend.period_axis(["2020JJ00", "2023JJ00"], "jaar") == ["2020JJ00", "2021JJ00", "2022JJ00", "2023JJ00"]
    assert trend.period_axis([], "jaar") == []


def test_period_labels_match_the_periods_table():
    assert trend.period_label("2023HJ01", "nl") == "1e halfjaar 2023"
    assert trend.period_label("2023HJ02", "en") == "2nd half 2023"
    assert trend.period_label("2023JJ00", "nl") == "2023"


def test_series_points_keep_missing_values_as_gaps_with_their_reason():
    series = _series(
        [
            ("2020JJ00", None, 127410.0, "definitief", 7.3, 2020),
            ("2021JJ00", None, None, "geheim", None, 2021),
            ("2023JJ00", None, 127340.0, "voorlopig", 7.1, 2024),
        ]
    )
    axis = trend.period_axis(list(series["period_code"]), "jaar")
    points = trend.series_points(series.to_dict("records"), axis, None, per_1000=False)
    assert [point["value"] for point in points] == [127410.0, None, None, 127340.0]
    assert [point["status"] for point in points] == ["definitief", "geheim", "niet_gepubliceerd", "voorlopig"]
    assert trend.format_point(points[0], "aantal", 0, False, "nl") == "127.410"
    assert trend.format_point(points[0], "aantal", 0, False, "en") == "127,410"
    assert trend.format_point(points[3], "aantal", 0, False, "nl") == "127.340*"
    assert trend.format_point(points[1], "aantal", 0, False, "nl").startswith("geheim")
    rates = trend.series_points(series.to_dict("records"), axis, None, per_1000=True)
    assert trend.format_point(rates[3], "aantal", 0, True, "nl") == "7,1*"
    assert "inwoners 2024" in trend.population_note(rates, "nl")
    notes = trend.gap_notes("Nederland", points, "nl")
    assert any("2021" in note and "geheim" in note for note in notes)
    assert any("2022" in note and "niet gepubliceerd" in note for note in notes)


def test_the_trend_figure_has_gaps_hollow_provisional_markers_and_dutch_separators():
    series = _series(
        [("2020HJ01", None, 64505.0, "definitief", 3.7, 2020), ("2021HJ01", None, 60880.0, "voorlopig", 3.5, 2021)]
    )
    axis = trend.period_axis(list(series["period_code"]), "halfjaar")
    lines = [{"name": "Nederland", "points": trend.series_points(series.to_dict("records"), axis, None, False)}]
    figure = trend.trend_figure(lines, axis, unit="aantal", decimals=0, per_1000=False, lang="nl")
    line = figure["data"][0]
    assert line["y"] == [64505.0, None, 60880.0]
    assert line["connectgaps"] is False
    assert line["marker"]["symbol"] == ["circle", "circle", "circle-open"]
    assert "64.505" in line["hovertext"][0]
    assert "niet gepubliceerd" in line["hovertext"][1]
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["xaxis"]["categoryarray"] == ["1e halfjaar 2020", "2e halfjaar 2020", "1e halfjaar 2021"]


def _breakdown(period: str, total: float, parts: dict[str, float | None], status: str = "definitief") -> pd.DataFrame:
    rows = [("totaal", "Totaal", "Total", True, 0, total, status, 100.0)]
    for order, (code, value) in enumerate(parts.items(), start=1):
        share = None if value is None else value / total * 100
        rows.append((code, code, code, False, order, value, "geheim" if value is None else status, share))
    columns = ["category_code", "title_nl", "title_en", "is_total", "category_order", "value", "value_status"]
    frame = pd.DataFrame(rows, columns=[*columns, "share_pct"])
    return frame.assign(source_table="84851NED", source_snapshot=None)


def test_breakdowns_stack_only_when_the_parts_add_up_to_the_total():
    adds_up = {"2020JJ00": _breakdown("2020JJ00", 100.0, {"a": 60.0, "b": 45.0})}  # 5 over: CBS rounding
    overlapping = {"2020JJ00": _breakdown("2020JJ00", 100.0, {"sub": 90.0, "a": 60.0, "b": 40.0})}
    assert trend.records_add_up(frame.to_dict("records") for frame in adds_up.values())
    assert not trend.records_add_up(frame.to_dict("records") for frame in overlapping.values())


def test_the_breakdown_figure_shows_counts_or_published_shares_stacked_or_side_by_side():
    breakdowns = {
        "2020JJ00": _breakdown("2020JJ00", 200.0, {"a": 150.0, "b": 50.0}),
        "2022JJ00": _breakdown("2022JJ00", 100.0, {"a": 100.0, "b": None}, status="voorlopig"),
    }
    axis = trend.period_axis(list(breakdowns), "jaar")
    records = {code: frame.to_dict("records") for code, frame in breakdowns.items()}
    frame = pd.DataFrame(trend.breakdown_rows(records, axis), columns=list(trend.BREAKDOWN_COLUMNS))
    assert list(frame["period_code"].unique()) == ["2020JJ00", "2021JJ00", "2022JJ00"]
    shares = trend.breakdown_figure(frame, axis, unit="aantal", decimals=0, share=True, stacked=True, lang="nl")
    assert shares["layout"]["barmode"] == "stack"
    first, second = shares["data"]
    assert first["y"] == [75.0, None, 100.0]
    assert second["y"] == [25.0, None, None]  # a share of a suppressed number stays suppressed
    assert "geheim" in second["hovertext"][2]
    counts = trend.breakdown_figure(frame, axis, unit="aantal", decimals=0, share=False, stacked=False, lang="en")
    assert counts["layout"]["barmode"] == "group"
    assert counts["data"][0]["y"] == [150.0, None, 100.0]
    assert counts["data"][0]["marker"]["pattern"]["shape"] == ["", "", "/"]


def test_options_and_the_page_query_round_trip():
    options, notices = national.parse_options({"verdeling": "aandeel", "balken": "naast"}, "nl")
    assert options == national.Options(share=True, bars="naast") and notices == []
    state = ViewState(region="VT09", period_type="jaar", view="tabel")
    assert (
        national.page_query(state, options)
        == "?regio=VT09&periodetype=jaar&weergave=tabel&verdeling=aandeel&balken=naast"
    )
    _, notices = national.parse_options({"verdeling": "<script>"}, "nl")
    assert notices and "<" not in notices[0]


@pytest.fixture(scope="module")
def cbs_store(cbs_warehouse):
    return Store(cbs_warehouse)


def test_the_table_shows_the_warehouse_numbers(cbs_store):
    indicator = cbs_store.indicators().set_index("indicator_id").loc["ontvangen_meldingen"]
    series = cbs_store.national_series("ontvangen_meldingen", None).set_index("period_code")
    state = ViewState(period_type="jaar", view="tabel")
    shown = _texts(national.content(cbs_store, indicator, state, national.Options()))
    year = series.loc["2020JJ00"]
    assert f"2020|{year['value']:,.0f}".replace(",", ".") in shown  # 2020|127.410
    halves = _texts(national.content(cbs_store, indicator, ViewState(view="tabel"), national.Options()))
    half = series.loc["2020HJ01"]
    assert f"1e halfjaar 2020|{half['value']:,.0f}".replace(",", ".") in halves  # 64.505
    rates = _texts(
        national.content(cbs_store, indicator, ViewState(view="tabel", measure="per1000"), national.Options())
    )
    assert f"1e halfjaar 2020|{half['rate_per_1000']:.1f}".replace(".", ",") in rates


def test_the_state_is_fitted_to_what_the_indicator_has(cbs_store):
    indicators = cbs_store.indicators().set_index("indicator_id")
    share_indicator = indicators.loc["aandeel_meldingen_naar_eerdere_betrokkenheid"]  # procent, jaar only
    state, notices = national.resolve_state(
        cbs_store, share_indicator, ViewState(measure="per1000", category="XX"), explicit_period_type=False
    )
    assert (state.period_type, state.measure, state.category) == ("jaar", "absoluut", None)
    assert len(notices) == 2  # the rate and the unknown category; the implicit period type needs no notice


def test_the_callback_rejects_forged_input_and_updates_the_query(cbs_warehouse):
    runtime.configure(cbs_warehouse)
    context = {"indicator": "ontvangen_meldingen", "region": "VT09", "lang": "nl", "period": None}
    good = ("jaar", "tabel", "per1000", "alle", "aantal", "gestapeld")
    children, query = national_callback(*good, context)
    assert query == "?regio=VT09&periodetype=jaar&maat=per1000&weergave=tabel"
    assert "7,3" in _texts(children)
    forged = [
        ("kwartaal", *good[1:], context),
        (*good[:3], "<script>", *good[4:], context),
        (*good, {**context, "indicator": "bestaat_niet"}),
        (*good, {**context, "region": "XX99"}),
        (*good, "not a dict"),
        (["jaar"], *good[1:], context),
    ]
    for arguments in forged:
        with pytest.raises(PreventUpdate):
            national_callback(*arguments)


def national_callback(*arguments):
    from callbacks.national import update_view

    return update_view(*arguments)


def test_tick_labels_are_short():
    assert trend.short_period_label("2023HJ02", "nl") == "2e hj 2023"
    assert trend.short_period_label("2023HJ01", "en") == "H1 2023"
    assert trend.short_period_label("2023JJ00", "en") == "2023"
