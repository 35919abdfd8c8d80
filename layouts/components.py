"""Reusable page parts: notices, chart cards with their source line and table alternative, key-figure tiles."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from dash import dcc, html

from etl.sources.vt_export import TABLE_ID as OWN_REGISTRATION_TABLE
from exports.files import FORMATS
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


def source_text(tables: list[str], snapshots: list[str | None], lang: str, *, fictitious: bool) -> str:
    """'Bron: CBS, 84849NED (2025-07-01)', or the fictitious-data warning for the demo."""
    if fictitious:
        return text("source_line_demo", lang)
    cbs, own = [], []
    for table, snapshot in zip(tables, snapshots, strict=True):
        (own if table == OWN_REGISTRATION_TABLE else cbs).append(f"{table} ({snapshot})" if snapshot else table)
    lines = []
    if cbs:
        lines.append(("Bron: CBS" if lang == "nl" else "Source: CBS") + ", " + ", ".join(dict.fromkeys(cbs)))
    if own:  # a Veilig Thuis organisation's own records are never presented as CBS figures
        label = "Bron" if lang == "nl" else "Source"
        lines.append(f"{label}: {text('own_registration', lang)}, {', '.join(dict.fromkeys(own))}")
    return "; ".join(lines)


def source_line(tables: list[str], snapshots: list[str | None], lang: str, *, fictitious: bool) -> html.P:
    """The source under a chart (see source_text)."""
    return html.P(source_text(tables, snapshots, lang, fictitious=fictitious), className="source-line small text-muted")


def frame_sources(frame: pd.DataFrame) -> tuple[list[str], list[str | None]]:
    """The distinct (source table, snapshot) pairs of a frame's rows."""
    pairs = frame[["source_table", "source_snapshot"]].dropna(subset=["source_table"]).drop_duplicates()
    snapshots = [None if pd.isna(snapshot) else str(snapshot) for snapshot in pairs["source_snapshot"]]
    return list(pairs["source_table"]), snapshots


def frame_source_line(frame: pd.DataFrame, lang: str, *, fictitious: bool) -> html.P:
    """The source line for the rows of a frame with source_table and source_snapshot columns."""
    return source_line(*frame_sources(frame), lang, fictitious=fictitious)


def chart(figure: dict, graph_id: str | dict, title: str, described_by: str | None = None) -> dcc.Graph | html.Div:
    """A plotly graph with the mode bar trimmed to what visitors use (download as image).

    With `described_by` (the id of the chart's text summary) the graph sits in a figure wrapper named by `title`
    and described by that summary, so a screen reader announces what the chart shows.
    """
    graph = dcc.Graph(
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
    if described_by is None:
        return graph
    return html.Div(
        graph, role="figure", className="chart-figure", **{"aria-label": title, "aria-describedby": described_by}
    )


def download_menu(
    chart_name: str, params: dict[str, str | None], lang: str, image: dict | None = None, *, data: bool = True
) -> html.Details:
    """Links to the chart's data (what is shown / the full series; CSV, Dutch-Excel CSV, Excel, JSON) and, for a
    chart, buttons that save it as PNG or SVG with its title, source and data version drawn into the image.

    `params` are the page's query parameters (Dutch names); `image` has the title, source and version texts;
    `data=False` leaves the data links out (when another menu on the page already offers the same data).
    """
    query = {name: value for name, value in params.items() if value}
    groups = []
    for scope, key in (("getoond", "downloads_shown"), ("volledig", "downloads_full")) if data else ():
        links = [
            _copy(
                _DOWNLOAD_LINK,
                text(f"format_{fmt}", lang),
                href=f"/download/{chart_name}?" + urlencode({**query, "bereik": scope, "formaat": fmt}, safe=","),
                title=text("downloads_link_label", lang).format(
                    format=text(f"format_{fmt}", lang), scope=text(key, lang).lower()
                ),
                **{"data-scope": scope, "data-format": fmt},
            )
            for fmt in FORMATS
        ]
        groups.append(html.Li([html.Span(text(key, lang) + ": "), *_separated(links)]))
    if image:
        buttons = [
            html.Button(
                fmt.upper(),
                type="button",
                className="btn btn-link p-0 chart-image",
                title=text("downloads_image_label", lang).format(format=fmt.upper()),
                **{
                    "data-image-format": fmt,
                    "data-image-title": image["title"],
                    "data-image-source": image["source"],
                    "data-image-version": image["version"],
                    "data-image-file": f"hgkm-{chart_name}",
                },
            )
            for fmt in ("png", "svg")
        ]
        groups.append(html.Li([html.Span(text("downloads_image", lang) + ": "), *_separated(buttons)]))
    summary = "downloads_summary_table" if not image else ("downloads_summary" if data else "downloads_summary_image")
    return html.Details(
        [
            html.Summary(text(summary, lang)),
            html.Ul(groups, className="list-unstyled mb-1"),
            html.P(text("downloads_note", lang), className="small text-muted mb-0") if data else None,
        ],
        className="downloads small",
        **{"data-chart": chart_name},
    )


def image_texts(title: str, source: str, manifest: dict, lang: str) -> dict:
    """What a saved chart image carries besides the chart: its title, source line and data version."""
    version = f"{text('data_version', lang)} {manifest['build_id']} ({manifest['built_at'][:10]})"
    return {"title": title, "source": source, "version": version}


def _separated(items: list) -> list:
    """Items with ' · ' between them."""
    result = []
    for position, item in enumerate(items):
        result += [" · ", item] if position else [item]
    return result


def data_table(columns: list[str], rows: list[list], caption: str, table_id: str | None = None) -> html.Table:
    """A real HTML table with a caption and column headers, the accessible twin of a chart.

    Its rows and cells are copies of one validated component each (see _copy): tables are the bulk of a page's
    components, and validating every cell's props again dominated the time of the callbacks that draw them."""
    head = html.Thead(html.Tr([_copy(_HEADER_CELL, column) for column in columns]))
    body = html.Tbody([_copy(_ROW, [_copy(_CELL, cell) for cell in row]) for row in rows])
    attributes = {"id": table_id} if table_id else {}
    return html.Table(
        [html.Caption(caption), head, body], className="table table-sm table-striped data-table", **attributes
    )


_HEADER_CELL = html.Th(None, scope="col")
_DOWNLOAD_LINK = html.A(
    None, href="", download="", className="download-link", title="", **{"data-scope": "", "data-format": ""}
)
_ROW = html.Tr(None)
_CELL = html.Td(None)


def _copy(component, children, **props):
    """`component` with other children (and other values of props it has): the same object as constructing it
    with these (its props were validated once, when `component` was made), at a fraction of the cost."""
    if not props.keys() <= component.__dict__.keys():
        raise TypeError(f"{sorted(props.keys() - component.__dict__.keys())} are not props of {component!r}")
    copy = object.__new__(type(component))
    copy.__dict__.update(component.__dict__)
    copy.children = children
    copy.__dict__.update(props)
    return copy


def key_figure(title: str, value: str, detail: list, href: str | None = None) -> html.Div:
    """A tile with one headline number and what it means."""
    heading = html.A(title, href=href) if href else title
    return html.Div(
        [html.H3(heading, className="h6"), html.P(value, className="key-value"), html.Div(detail, className="small")],
        className="key-figure",
    )
