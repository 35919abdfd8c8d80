"""Compare callbacks: indicator, regions, measure and period type redraw the chart and table, URL kept in step."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback
from dash.exceptions import PreventUpdate

from layouts import ids
from layouts.pages.compare import compare_content, compare_query, measure_options
from layouts.state import MAX_COMPARED, MEASURES, PERIOD_TYPES, parse_state
from store import runtime


@callback(
    Output(ids.COMPARE_CONTENT, "children"),
    Output(ids.COMPARE_QUERY, "data"),
    Output(ids.COMPARE_MEASURE, "options"),
    Input(ids.COMPARE_INDICATOR, "value"),
    Input(ids.COMPARE_REGIONS, "value"),
    Input(ids.COMPARE_MEASURE, "value"),
    Input(ids.COMPARE_PERIOD_TYPE, "value"),
    State(ids.COMPARE_QUERY, "data"),
    prevent_initial_call=True,
)
def update_compare(indicator, regions, measure, period_type, query):
    """Validate every control (a forged value changes nothing), then draw the chosen regions."""
    regions = regions or []
    if (
        not isinstance(indicator, str)
        or measure not in MEASURES
        or period_type not in PERIOD_TYPES
        or not isinstance(query, str)
        or not isinstance(regions, list)
        or not all(isinstance(region, str) for region in regions)
    ):
        raise PreventUpdate
    store = runtime.current()
    if indicator not in store.catalog():
        raise PreventUpdate
    known = store.known_regions()
    chosen = tuple(region for region in dict.fromkeys(regions) if region in known)
    state = parse_state(parse_qs(query.lstrip("?")), known_regions=known)
    notices = ()
    if len(chosen) > MAX_COMPARED:
        notices = ("compare_too_many",)
        chosen = chosen[:MAX_COMPARED]
    state = replace(state, regions=chosen, measure=measure, period_type=period_type, notices=())
    content = compare_content(store, indicator, state, extra_notices=notices)
    return content, compare_query(state, indicator), measure_options(store.has_rate(indicator), state.lang)


clientside_callback(
    ClientsideFunction(namespace="hgkm", function_name="replaceSearch"),
    Output(ids.COMPARE_QUERY, "id"),
    Input(ids.COMPARE_QUERY, "data"),
)
