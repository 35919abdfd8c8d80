"""National view page `/landelijk/<indicator_id>`: rendered from the URL; the builders live in layouts.national."""

from __future__ import annotations

from dataclasses import replace

import dash
from dash import html

from layouts import national, shell
from layouts.labels import text
from layouts.state import parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(__name__, path_template="/landelijk/<indicator_id>", title="Landelijk — Impactmonitor HGKM")


def layout(indicator_id: str | None = None, **query) -> html.Div:
    try:
        store = runtime.current()
        known = store.known_regions()
        indicator_id = indicator_id or ""
        indicator = national.indicator_row(store, indicator_id)
        if indicator is None:
            return national.not_found(store, indicator_id, parse_state(query, known_regions=known))
        periods = list(store.periods(indicator_id)["period_code"])
        state = parse_state(query, known_regions=known, periods=periods)
        options, option_notices = national.parse_options(query, state.lang)
        state, fitted = national.resolve_state(store, indicator, state, explicit_period_type="periodetype" in query)
        state = replace(state, notices=(*state.notices, *option_notices, *fitted))
        body = national.national_body(store, indicator, state, options)
        return shell.page(body, store.manifest(), state, f"/landelijk/{indicator_id}", store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        body = [html.H1(text("national_page_title", state.lang)), html.P(text("no_warehouse", state.lang))]
        return shell.page(body, None, state, "/landelijk/")
