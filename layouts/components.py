"""Reusable page parts: notices, chart cards with their source line and table alternative, key-figure tiles."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from layouts.labels import text


def notices(messages: tuple[str, ...] | list[str]) -> html.Div | None:
    """Friendly notices about ignored URL values, announced to screen readers."""
    if not messages:
        return None
    return html.Div(
        [html.P(message, className="mb-1") for message in messages],
        className="alert alert-info",
        role="status",
    )


def source_line(tables: list[str], snapshots: list[str | None], lang: str, *, fictitious: bool) -> html.P:
    """'Bron: CBS, 84849NED (2025-07-01)' under a chart, or the fictitious-data warning for the demo."""
    if fictitious:
        return html.P(text("source_line_demo", lang), className="source-line small text-muted")
    parts = []
    for table, snapshot in zip(tables, snapshots, strict=True):
        parts.append(f"{table} ({snapshot})" if snapshot else table)
    label = "Bron: CBS" if lang == "nl" else "Source: CBS"
    return html.P(f"{label}, {', '.join(dict.fromkeys(parts))}", className="source-line small text-muted")


def frame_source_line(frame: pd.DataFrame, lang: str, *, fictitious: bool) -> html.P:
    """The source line for the rows of a frame with source_table and source_snapshot columns."""
    pairs = frame[["source_table", "source_snapshot"]].dropna(subset=["source_table"]).drop_duplicates()
    snapshots = [None if pd.isna(snapshot) else str(snapshot) for snapshot in pairs["source_snapshot"]]
    return source_line(list(pairs["source_table"]), snapshots, lang, fictitious=fictitious)


def chart(figure: dict, graph_id: str | dict, title: str) -> dcc.Graph:
    """A plotly graph with the mode bar trimmed to what visitors use (download as image)."""
    return dcc.Graph(
        id=graph_id,
        figure=figure,
        config={
            "displaylogo": False,
            "responsive": True,
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
            "toImageButtonOptions": {"filename": title},
        },
        className="chart",
    )


def data_table(columns: list[str], rows: list[list], caption: str, table_id: str | None = None) -> html.Table:
    """A real HTML table with a caption and column headers, the accessible twin of a chart."""
    head = html.Thead(html.Tr([html.Th(column, scope="col") for column in columns]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])
    attributes = {"id": table_id} if table_id else {}
    return html.Table(
        [html.Caption(caption), head, body], className="table table-sm table-striped data-table", **attributes
    )


def key_figure(title: str, value: str, detail: list, href: str | None = None) -> html.Div:
    """A tile with one headline number and what it means."""
    heading = html.A(title, href=href) if href else title
    return html.Div(
        [html.H3(heading, className="h6"), html.P(value, className="key-value"), html.Div(detail, className="small")],
        className="key-figure",
    )
