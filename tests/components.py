"""Dash component trees as JSON text, for asserting what a page layout contains without a browser."""

from __future__ import annotations

import json

import plotly


def rendered(component) -> str:
    """The component tree serialised as Dash sends it to the browser."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)
