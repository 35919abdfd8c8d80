"""Shell callbacks: the region picker navigates in the browser, keeping the rest of the view state in the URL."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback

from layouts import ids

clientside_callback(
    ClientsideFunction(namespace="hgkm", function_name="navigateToRegion"),
    Output(ids.URL, "href"),
    Input(ids.REGION_PICKER, "value"),
    State(ids.REGION_PICKER_RENDERED, "data"),
    prevent_initial_call=True,
)
