"""National view callbacks: one round trip re-renders the trend and breakdown and returns the new query string."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback
from dash.exceptions import PreventUpdate

from layouts import ids, national
from layouts.labels import LANGUAGES
from layouts.state import MEASURES, PERIOD_TYPES, VIEWS, ViewState
from store import runtime


def _valid_context(context, store) -> tuple[object, str | None, str, str | None]:
    """The page's rendered context (indicator row, region, language, period), or PreventUpdate when forged."""
    if not isinstance(context, dict):
        raise PreventUpdate
    indicator_id, region, lang, period = (context.get(key) for key in ("indicator", "region", "lang", "period"))
    indicator = national.indicator_row(store, indicator_id) if isinstance(indicator_id, str) else None
    if indicator is None or lang not in LANGUAGES:
        raise PreventUpdate
    if region is not None and (not isinstance(region, str) or region not in store.known_regions()):
        raise PreventUpdate
    if period is not None and not isinstance(period, str):
        raise PreventUpdate
    return indicator, region, lang, period


def update_view(period_type, view, measure, category, breakdown_measure, bars, context) -> tuple[list, str]:
    """Validate the controls, then rebuild the page's content for the new state."""
    allowed = (
        (period_type, PERIOD_TYPES),
        (view, VIEWS),
        (measure, MEASURES),
        (breakdown_measure, national.BREAKDOWN_MEASURES),
        (bars, national.BARS),
    )
    if any(not isinstance(value, str) or value not in choices for value, choices in allowed):
        raise PreventUpdate
    store = runtime.current()
    indicator, region, lang, period = _valid_context(context, store)
    if not isinstance(category, str):
        raise PreventUpdate
    if category == national.ALL_CATEGORIES:
        category = None
    elif category not in {choice["category_code"] for choice in national.category_choices(store, indicator)}:
        raise PreventUpdate
    if period_type not in national.national_period_types(store, indicator.name):
        raise PreventUpdate
    if measure == "per1000" and not store.has_rate(indicator.name):
        raise PreventUpdate
    state = ViewState(
        lang=lang, region=region, period=period, period_type=period_type, measure=measure, view=view, category=category
    )
    options = national.Options(share=breakdown_measure == "aandeel", bars=None if bars == "gestapeld" else bars)
    return national.content(store, indicator, state, options), national.page_query(state, options)


callback(
    Output(ids.NATIONAL_CONTENT, "children"),
    Output(ids.NATIONAL_QUERY, "data"),
    Input(ids.NATIONAL_PERIOD_TYPE, "value"),
    Input(ids.NATIONAL_VIEW, "value"),
    Input(ids.NATIONAL_MEASURE, "value"),
    Input(ids.NATIONAL_CATEGORY, "value"),
    Input(ids.NATIONAL_BREAKDOWN_MEASURE, "value"),
    Input(ids.NATIONAL_BARS, "value"),
    State(ids.NATIONAL_CONTEXT, "data"),
    prevent_initial_call=True,
)(update_view)

clientside_callback(
    ClientsideFunction(namespace="hgkm", function_name="replaceSearch"),
    Output(ids.NATIONAL_QUERY, "id"),
    Input(ids.NATIONAL_QUERY, "data"),
    prevent_initial_call=True,
)
