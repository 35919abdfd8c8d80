"""Figures of the regional page: the choropleth map of one level and the ranked bar with the national reference.

Builders take the page's prepared rows (one dict per region: region_code, name, shown, shown_text, rank_text, rank,
provisional; see layouts.pages.regional.prepare_rows) and return plotly figure dicts, built as plain dicts and lists
(plotly's figure classes validate every property, many times slower). Regions without a published value are grey,
never zero.
"""

from __future__ import annotations

import math

from layouts.figures.base import (
    HIGHLIGHT_COLOUR,
    NATIONAL_COLOUR,
    NO_DATA_COLOUR,
    REGION_COLOUR,
    SEQUENTIAL,
    base_layout,
)

TRANSPARENT = "rgba(0,0,0,0)"
BAR_ROW_HEIGHT = 22
MAX_BARS = 40
BARS_AT_EACH_END = 15


def _hover(rows: list[dict]) -> list[str]:
    return [
        f"<b>{row['name']}</b> ({row['region_code']})<br>{row['shown_text']}"
        + (f"<br>{row['rank_text']}" if row["rank_text"] else "")
        for row in rows
    ]


def highlight_locations(selected: str | None) -> list[str]:
    """The outline trace's locations: the selected region, if any (its z is a zero per location)."""
    return [selected] if selected else []


def highlight_trace(geojson_url: str, selected: str | None) -> dict:
    """An outline around the selected region (no fill, not hoverable); empty when nothing is selected."""
    codes = highlight_locations(selected)
    return {
        "type": "choropleth",
        "geojson": geojson_url,
        "locations": codes,
        "z": [0] * len(codes),
        "featureidkey": "id",
        "colorscale": [[0, TRANSPARENT], [1, TRANSPARENT]],
        "showscale": False,
        "marker": {"line": {"color": HIGHLIGHT_COLOUR, "width": 3}},
        "hoverinfo": "skip",
        "name": "selected",
    }


def tick_format(per_1000: bool) -> str:
    """Axis ticks with thousands separators (1.000) or one decimal for rates (7,5)."""
    return ",.1f" if per_1000 else ",~r"


def map_figure(
    rows: list[dict],
    geojson_url: str,
    with_shape: set[str] | frozenset[str],
    *,
    selected: str | None,
    lang: str,
    scale_title: str,
    per_1000: bool = False,
) -> dict:
    """Choropleth of the regions that have boundaries (`with_shape`, their codes): published values on a blue
    scale, the others grey.

    Uses the `choropleth` (geo) trace; every trace refers to the same boundaries by URL (store/boundaries.py,
    same origin, fetched once per page by plotly.js), their `locations` pick the features, and no map tiles are
    fetched from anywhere.
    """
    drawn = [row for row in rows if row["region_code"] in with_shape]
    published = [row for row in drawn if row["shown"] is not None]
    missing = [row for row in drawn if row["shown"] is None]
    # Grey borders (4.7:1 on white): a region with the lowest value, filled nearly white, still shows its shape.
    outline = {"color": "#6C757D", "width": 0.5}
    traces = [
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "locations": [row["region_code"] for row in published],
            "z": [row["shown"] for row in published],
            "featureidkey": "id",
            "colorscale": SEQUENTIAL,
            "marker": {"line": outline},
            "hovertext": _hover(published),
            "hoverinfo": "text",
            "colorbar": {
                "title": {"text": scale_title, "side": "top"},
                "orientation": "h",
                "thickness": 12,
                "tickformat": tick_format(per_1000),
                "len": 0.8,
                "y": -0.02,
                "yanchor": "top",
            },
            "name": "published",
        },
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "locations": [row["region_code"] for row in missing],
            "z": [0] * len(missing),
            "featureidkey": "id",
            "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            "showscale": False,
            "marker": {"line": outline},
            "hovertext": _hover(missing),
            "hoverinfo": "text",
            "name": "missing",
        },
        highlight_trace(geojson_url, selected if selected in with_shape else None),
    ]
    layout = base_layout(lang, height=520)
    layout.update(
        {
            "margin": {"l": 0, "r": 0, "t": 0, "b": 60},
            "geo": {
                "visible": False,
                "fitbounds": "locations",
                "projection": {"type": "mercator"},
                "bgcolor": TRANSPARENT,
            },
            "dragmode": False,
            "showlegend": False,
        }
    )
    return {"data": traces, "layout": layout}


def ranked_rows(rows: list[dict], selected: str | None) -> list[dict]:
    """The published regions in rank order; beyond MAX_BARS only both ends and the selected region."""
    published = sorted((row for row in rows if row["shown"] is not None), key=lambda row: (row["rank"], row["name"]))
    if len(published) <= MAX_BARS:
        return published
    bottom = len(published) - BARS_AT_EACH_END
    return [
        row
        for row in published
        if row["rank"] <= BARS_AT_EACH_END or row["rank"] > bottom or row["region_code"] == selected
    ]


def bar_colours(codes: list[str], selected: str | None) -> list[str]:
    """The highlight colour for the selected region, the region colour for the rest."""
    return [HIGHLIGHT_COLOUR if code == selected else REGION_COLOUR for code in codes]


def ranked_bar(
    rows: list[dict],
    *,
    selected: str | None,
    lang: str,
    national: float | None,
    national_label: str | None,
    axis_title: str,
    per_1000: bool = False,
) -> dict:
    """Horizontal bars, highest on top, the selected region highlighted, provisional values hatched.

    `national` draws a vertical reference line (only pass it when it is comparable with the regions' values).
    """
    rows = ranked_rows(rows, selected)
    codes = [row["region_code"] for row in rows]
    labels = [f"{row['rank']}. {row['name']}" for row in rows]
    values = [row["shown"] for row in rows]
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "customdata": codes,
        "text": [row["shown_text"] for row in rows],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": _hover(rows),
        "hoverinfo": "text",
        "marker": {
            "color": bar_colours(codes, selected),
            "pattern": {"shape": ["/" if row["provisional"] else "" for row in rows], "solidity": 0.4},
        },
        "name": axis_title,
    }
    layout = base_layout(lang, height=max(220, BAR_ROW_HEIGHT * len(rows) + 90))
    maximum = max(values + ([national] if _is_number(national) else []) + [0])
    layout.update(
        {
            "margin": {"l": 10, "r": 30, "t": 30, "b": 50},
            "showlegend": False,
            "bargap": 0.25,
            "xaxis": {
                **layout["xaxis"],
                "title": {"text": axis_title},
                "tickformat": tick_format(per_1000),
                "fixedrange": True,
                "range": [0, maximum * 1.18 or 1],
            },
            "yaxis": {
                "autorange": "reversed",
                "fixedrange": True,
                "automargin": True,
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
                "tickfont": {"size": 12},
            },
        }
    )
    if _is_number(national):
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": national,
                "x1": national,
                "y0": 0,
                "y1": 1,
                "line": {"color": NATIONAL_COLOUR, "width": 2, "dash": "dash"},
            }
        ]
        layout["annotations"] = [
            {
                "x": national,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": national_label or "",
                "showarrow": False,
                "font": {"size": 12, "color": NATIONAL_COLOUR},
            }
        ]
    return {"data": [trace], "layout": layout}


def _is_number(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
