"""Shell callbacks: the region picker navigates, keeping the rest of the view state in the URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from dash import Input, Output, State, callback
from dash.exceptions import PreventUpdate

from layouts import ids
from store import runtime

_PROFILE = re.compile(r"^/regio/[^/]*$")


def href_for_region(pathname: str, search: str, region: str | None) -> str:
    """The URL after picking a region: the same view with regio set (or removed); a region profile follows it."""
    params = [(key, value) for key, value in parse_qsl((search or "").lstrip("?")) if key != "regio"]
    if region:
        params.insert(0, ("regio", region))
    path = pathname or "/"
    if region and _PROFILE.match(path):
        path = f"/regio/{region}"
    query = urlencode(params, safe=",")
    return path + (f"?{query}" if query else "")


@callback(
    Output(ids.URL, "href"),
    Input(ids.REGION_PICKER, "value"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def navigate_to_region(region, pathname, search):
    if region is not None and (not isinstance(region, str) or region not in runtime.current().known_regions()):
        raise PreventUpdate
    if not isinstance(pathname, str) or not isinstance(search or "", str):
        raise PreventUpdate
    return href_for_region(pathname, search or "", region)
