"""Overview page `/`: introduction and the indicator index grouped by theme."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from layouts import ids, shell
from layouts.labels import language, text
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(__name__, path="/", title="Impactmonitor huiselijk geweld en kindermishandeling")


def _mark(available: bool, lang: str) -> html.Td:
    label = text("available" if available else "not_available", lang)
    return html.Td(html.Span("✓" if available else "–", title=label, **{"aria-label": label}), className="text-center")


def indicator_index(indicators: pd.DataFrame, lang: str) -> html.Div:
    """Every catalog indicator by theme with where data exists."""
    sections = []
    title_col = "title_en" if lang == "en" else "title_nl"
    for _, group in indicators.groupby("theme_order", sort=True):
        theme = group.iloc[0][f"theme_{title_col}"]
        header = html.Thead(
            html.Tr(
                [
                    html.Th(text(key, lang), scope="col")
                    for key in (
                        "column_indicator",
                        "column_unit",
                        "column_national",
                        "column_regional",
                        "column_time_series",
                        "column_sources",
                    )
                ]
            )
        )
        rows = [
            html.Tr(
                [
                    html.Th(
                        [
                            row[title_col],
                            html.Div(text("own_registration", lang), className="small text-muted")
                            if row["source_kind"] == "eigen_registratie"
                            else None,
                        ],
                        scope="row",
                        **{"data-indicator": row["indicator_id"]},
                    ),
                    html.Td(text(f"unit_{row['unit']}", lang)),
                    _mark(row["has_national"], lang),
                    _mark(row["has_regional"], lang),
                    _mark(row["has_time_series"], lang),
                    html.Td(row["source_tables"], className="small"),
                ]
            )
            for _, row in group.iterrows()
        ]
        sections.append(
            html.Section([html.H3(theme), html.Table([header, html.Tbody(rows)], className="table table-sm")])
        )
    return html.Div(sections, id=ids.INDICATOR_INDEX)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = language(lang)
    try:
        store = runtime.current()
        manifest = store.manifest()
        body = [
            html.H1(text("product_name", lang)),
            html.P(text("intro", lang), className="lead"),
            html.H2(text("indicator_index", lang)),
            indicator_index(store.indicators(), lang),
        ]
    except NoWarehouseError:
        manifest = None
        body = [html.H1(text("product_name", lang)), html.P(text("no_warehouse", lang), className="alert alert-info")]
    return shell.page(body, manifest, lang)
