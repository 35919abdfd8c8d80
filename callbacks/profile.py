"""Region profile callbacks: period type and peer regions re-render the profile and keep the URL in step."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback
from dash.exceptions import PreventUpdate

from layouts import ids
from layouts.figures.profile import NATIONAL_CODE
from layouts.pages.profile import profile_content, resolve_peers
from layouts.state import MAX_COMPARED, PERIOD_TYPES, parse_state
from store import runtime

_PATH = re.compile(r"^/regio/([A-Za-z0-9_]{1,40})$")


@callback(
    Output(ids.PROFILE_CONTENT, "children"),
    Output(ids.PROFILE_QUERY, "data"),
    Output(ids.PROFILE_COMPARE_LINK, "href"),
    Input(ids.PROFILE_PERIOD_TYPE, "value"),
    Input(ids.PROFILE_PEERS, "value"),
    State(ids.PROFILE_QUERY, "data"),
    State(ids.URL, "pathname"),
    prevent_initial_call=True,
)
def update_profile(period_type, peers, query, pathname):
    """Validate the controls, then render the table, trend charts and gemeenten for the new choice."""
    if period_type not in PERIOD_TYPES or not isinstance(query, str) or not isinstance(pathname, str):
        raise PreventUpdate
    peers = peers or []
    if not isinstance(peers, list) or not all(isinstance(peer, str) for peer in peers):
        raise PreventUpdate
    match = _PATH.match(pathname)
    store = runtime.current()
    known = store.known_regions()
    if match is None or match.group(1).upper() not in known:
        raise PreventUpdate
    code = match.group(1).upper()
    state = parse_state(parse_qs(query.lstrip("?")), known_regions=known)
    shown, is_chosen = resolve_peers(store, code, tuple(peers))
    state = replace(state, region=code, period_type=period_type, regions=tuple(shown) if is_chosen else ())
    compare = state.href("/vergelijk", regions=tuple([code, NATIONAL_CODE, *shown][:MAX_COMPARED]))
    return profile_content(store, code, shown, is_chosen, state), state.query(), compare


clientside_callback(
    ClientsideFunction(namespace="hgkm", function_name="replaceSearch"),
    Output(ids.PROFILE_QUERY, "id"),
    Input(ids.PROFILE_QUERY, "data"),
    prevent_initial_call=True,
)
