"""Overview page `/`: introduction, national key figures and the indicator index grouped by theme."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from layouts import format as fmt
from layouts import ids, shell
from layouts.components import key_figure
from layouts.labels import text
from layouts.state import ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(__name__, path="/", title="Impactmonitor huiselijk geweld en kindermishandeling")

INDEX_COLUMNS = ("column_indicator", "column_unit", "column_national", "column_regional", "column_time_series")


def comparable_previous(period_code: str) -> str:
    """The same period one year earlier: 2024HJ01 -> 2023HJ01, 2024JJ00 -> 2023JJ00."""
    return f"{int(period_code[:4]) - 1}{period_code[4:]}"


def latest_with_change(series: pd.DataFrame) -> dict | None:
    """The newest published national value (half years first) with the same period a year earlier."""
    totals = series[series["category_code"].isna()]
    for period_type in ("halfjaar", "jaar"):
        published = totals[(totals["period_type"] == period_type) & totals["value"].notna()]
        if published.empty:
            continue
        latest = published.sort_values("period_start").iloc[-1]
        previous = totals[totals["period_code"] == comparable_previous(latest["period_code"])]
        return {"latest": latest, "previous": previous.iloc[0] if len(previous) else None}
    return None


def key_figures(store, indicators: pd.DataFrame, state: ViewState) -> html.Section:
    lang = state.lang
    tiles = []
    for row in indicators[indicators["is_headline"]].itertuples():
        found = latest_with_change(store.national_series(row.indicator_id, None))
        if found is None:
            continue
        latest, previous = found["latest"], found["previous"]
        label = latest[f"label_{lang}"]
        provisional = latest["value_status"] in ("voorlopig", "nader_voorlopig")
        detail = [html.Span(label + (f" ({fmt.status_note(latest['value_status'], lang)})" if provisional else ""))]
        if previous is not None:
            change = fmt.change(latest["value"], previous["value"], lang)
            if change:
                detail.append(html.Br())
                detail.append(text("change_vs", lang).format(change=change, period=previous[f"label_{lang}"]))
        title = row.title_en if lang == "en" else row.title_nl
        value = fmt.number(latest["value"], row.decimals, lang) + ("*" if provisional else "")
        tiles.append(key_figure(title, value, detail, href=state.href(f"/landelijk/{row.indicator_id}")))
    return html.Section(
        [html.H2(text("key_figures", lang)), html.Div(tiles, className="key-figures", id=ids.KEY_FIGURES)]
    )


def _mark(available: bool, href: str, lang: str) -> html.Td:
    label = text("available" if available else "not_available", lang)
    if not available:
        return html.Td(html.Span("–", title=label, **{"aria-label": label}), className="text-center")
    return html.Td(html.A("✓", href=href, title=label, **{"aria-label": label}), className="text-center")


def indicator_index(indicators: pd.DataFrame, state: ViewState) -> html.Div:
    """Every catalog indicator by theme with where data exists; each mark links to that view."""
    lang = state.lang
    sections = []
    title_col = "title_en" if lang == "en" else "title_nl"
    for _, group in indicators.groupby("theme_order", sort=True):
        theme = group.iloc[0][f"theme_{title_col}"]
        header = html.Thead(html.Tr([html.Th(text(key, lang), scope="col") for key in INDEX_COLUMNS]))
        rows = []
        for row in group.itertuples():
            national = state.href(f"/landelijk/{row.indicator_id}")
            own = row.source_kind == "eigen_registratie"
            rows.append(
                html.Tr(
                    [
                        html.Th(
                            [
                                html.A(getattr(row, title_col), href=national),
                                html.Div(text("own_registration", lang), className="small text-muted") if own else None,
                            ],
                            scope="row",
                            **{"data-indicator": row.indicator_id},
                        ),
                        html.Td(text(f"unit_{row.unit}", lang)),
                        _mark(row.has_national, national, lang),
                        _mark(row.has_regional, state.href(f"/regionaal/{row.indicator_id}"), lang),
                        _mark(row.has_time_series, state.href(f"/landelijk/{row.indicator_id}"), lang),
                    ]
                )
            )
        sections.append(
            html.Section(
                [
                    html.H3(theme),
                    html.Div(
                        html.Table([header, html.Tbody(rows)], className="table table-sm index-table"),
                        className="table-responsive",
                    ),
                ]
            )
        )
    return html.Div(sections, id=ids.INDICATOR_INDEX)


def layout(**query) -> html.Div:
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        indicators = store.indicators()
        body = [
            html.H1(text("product_name", state.lang)),
            html.P(text("intro", state.lang), className="lead"),
            key_figures(store, indicators, state),
            html.H2(text("indicator_index", state.lang)),
            indicator_index(indicators, state),
        ]
        return shell.page(body, store.manifest(), state, "/", store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        body = [
            html.H1(text("product_name", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(body, None, state, "/")
