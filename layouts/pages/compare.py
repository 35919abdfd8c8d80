"""Compare page `/vergelijk`: up to 8 regions of any level over time for one indicator, absolute or per 1,000."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import ids, shell, summaries
from layouts.components import chart, data_table, download_menu, image_texts, source_text
from layouts.figures.profile import NATIONAL_CODE, Lines, compare_chart, gap_notes, series_table
from layouts.labels import text
from layouts.pages.profile import period_type_control, region_names, totals
from layouts.state import MEASURES, PERIOD_TYPES, ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(
    __name__, path="/vergelijk", title="Regio's vergelijken — Impactmonitor huiselijk geweld en kindermishandeling"
)

INDICATOR_PARAMETER = "indicator"


def choose_indicator(value, indicators: pd.DataFrame, lang: str) -> tuple[str, str | None]:
    """The `indicator` query value when it is a catalog indicator; else the default with a notice."""
    if isinstance(value, list):
        value = value[-1] if value else None
    known = set(indicators["indicator_id"])
    if value is None or value == "":
        return shell.DEFAULT_INDICATOR, None
    if value in known:
        return value, None
    default = indicators.set_index("indicator_id").loc[shell.DEFAULT_INDICATOR]
    shown = "".join(character for character in str(value) if character not in "<>\"'`")[:40]
    title = default["title_en" if lang == "en" else "title_nl"]
    return shell.DEFAULT_INDICATOR, text("compare_unknown_indicator", lang).format(value=shown, default=title)


def default_regions(state: ViewState) -> tuple[str, ...]:
    """The regions from ?regios, else the chosen region (or Haaglanden) with the Netherlands."""
    if state.regions:
        return state.regions
    return tuple(dict.fromkeys([state.region or shell.DEFAULT_REGION, NATIONAL_CODE]))


def compare_query(state: ViewState, indicator: str) -> str:
    """The page's query string: the shared view state plus the indicator."""
    query = state.query()
    extra = urlencode({INDICATOR_PARAMETER: indicator})
    return f"{query}&{extra}" if query else f"?{extra}"


def compare_content(store, indicator_id: str, state: ViewState, extra_notices: tuple[str, ...] = ()) -> list:
    """Heading, chart, gaps explained, source line and the table twin for the chosen regions.

    `extra_notices` are label keys of notices about the controls (e.g. too many regions chosen).
    """
    lang = state.lang
    codes = list(state.regions)
    if not codes:
        return [html.P(text("compare_choose_region", lang), className="alert alert-info", role="status")]
    indicator = store.catalog()[indicator_id]
    per_1000 = state.per_1000 and store.has_rate(indicator_id)
    notes = [text(key, lang) for key in extra_notices]
    if state.per_1000 and not per_1000:
        notes.append(text("compare_no_rate", lang))
    lines, used = compare_lines(store, indicator_id, codes, state.period_type)
    if used != state.period_type:
        wanted, shown = (text(f"profile_period_type_{kind}", lang) for kind in (state.period_type, used))
        notes.append(text("compare_fallback_type", lang).format(wanted=wanted, used=shown))
    title = indicator["title_en" if lang == "en" else "title_nl"]
    measure = text(f"compare_measure_{'per1000' if per_1000 else 'absoluut'}", lang)
    heading = text("compare_chart_heading", lang).format(indicator=title, measure=measure)
    parts = [html.H2(heading), *[html.P(note, className="alert alert-info", role="status") for note in notes]]
    if not lines.any_value():
        return [*parts, html.P(text("compare_no_data", lang), className="alert alert-light", role="status")]
    names = region_names(store, lang)
    options = {"per_1000": per_1000, "unit": indicator["unit"], "decimals": int(indicator["decimals"])}
    figure = compare_chart(lines, codes, names, lang, **options)
    columns, rows = series_table(lines, codes, names, lang, **options)
    gaps = gap_notes(lines, codes, names, lang, per_1000=per_1000)
    caption = text("compare_table_caption", lang).format(indicator=title, measure=measure)
    sources = source_text(*lines.sources, lang, fictitious=shell.is_demo(store.manifest()))
    params = dict(parse_qsl(compare_query(state, indicator_id).lstrip("?")))
    summary = summaries.trend_summary(
        summaries.subject(title, per_1000, lang),
        summaries.series_lines(lines, codes, names, per_1000=per_1000),
        change=False,
        lang=lang,
        **options,
    )
    return [
        *parts,
        html.P(summary, id=ids.COMPARE_CHART_SUMMARY, className="chart-summary"),
        chart(figure, ids.COMPARE_CHART, heading, ids.COMPARE_CHART_SUMMARY),
        html.P(sources, className="source-line small text-muted"),
        download_menu("vergelijk", params, lang, image_texts(heading, sources, store.manifest(), lang)),
        html.Details(
            [
                html.Summary(text("profile_gaps_heading", lang)),
                html.Ul([html.Li(gap) for gap in gaps], className="small"),
            ],
            open=len(gaps) <= 4,
        )
        if gaps
        else None,
        html.Div(data_table(columns, rows, caption, ids.COMPARE_TABLE), className="table-responsive"),
        html.P(text("compare_table_notes", lang), className="small"),
    ]


def compare_series(store, indicator: pd.Series, codes: list[str], period_type: str) -> tuple[pd.DataFrame, str]:
    """The regions' series in the wanted period type, or the other type when the wanted one has no values."""
    first = None
    for kind in (period_type, *[other for other in PERIOD_TYPES if other != period_type]):
        series = totals(store.region_series(indicator.name, tuple(codes), kind), store, indicator)
        first = first if first is not None else (series, kind)
        if series["value"].notna().any():
            return series, kind
    return first


def compare_lines(store, indicator_id: str, codes: list[str], period_type: str) -> tuple[Lines, str]:
    """compare_series's choice of period type, as plain Lines from the store's plain rows."""
    first = None
    for kind in (period_type, *[other for other in PERIOD_TYPES if other != period_type]):
        lines = Lines(store.series_total_rows(indicator_id, tuple(codes), kind))
        first = first if first is not None else (lines, kind)
        if lines.any_value():
            return lines, kind
    return first


def measure_options(has_rate: bool, lang: str) -> list[dict]:
    """Absolute or per 1,000 inhabitants; the rate is disabled when the indicator has no population denominator."""
    return [
        {
            "label": text(f"compare_measure_{measure}", lang),
            "value": measure,
            "disabled": measure == "per1000" and not has_rate,
        }
        for measure in MEASURES
    ]


def controls(store, indicator_id: str, state: ViewState) -> html.Section:
    lang = state.lang
    indicators = store.indicators()
    title = "title_en" if lang == "en" else "title_nl"
    has_rate = store.has_rate(indicator_id)
    return html.Section(
        [
            html.H2(text("compare_controls", lang), className="visually-hidden"),
            html.Div(
                [
                    html.Label(
                        text("compare_indicator_label", lang), htmlFor=ids.COMPARE_INDICATOR, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.COMPARE_INDICATOR,
                        options=[
                            {"label": row[title], "value": row["indicator_id"]} for _, row in indicators.iterrows()
                        ],
                        value=indicator_id,
                        clearable=False,
                        searchable=True,
                        labels=shell.dropdown_labels(lang),
                    ),
                ],
                className="profile-control compare-indicator",
            ),
            html.Div(
                [
                    html.Label(
                        text("compare_regions_label", lang), htmlFor=ids.COMPARE_REGIONS, className="form-label"
                    ),
                    dcc.Dropdown(
                        id=ids.COMPARE_REGIONS,
                        options=shell.region_options(store.region_names(), lang),
                        value=list(state.regions),
                        multi=True,
                        searchable=True,
                        labels=shell.dropdown_labels(lang),
                    ),
                ],
                className="profile-control compare-regions",
            ),
            html.Div(
                [
                    html.Label(
                        text("compare_measure_label", lang), htmlFor=ids.COMPARE_MEASURE, className="form-label"
                    ),
                    dbc.RadioItems(
                        id=ids.COMPARE_MEASURE,
                        options=measure_options(has_rate, lang),
                        value=state.measure if has_rate else "absoluut",
                        inline=True,
                    ),
                ],
                className="profile-control",
            ),
            period_type_control(ids.COMPARE_PERIOD_TYPE, state),
        ],
        className="profile-controls compare-controls",
    )


def layout(**query) -> html.Div:
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        indicators = store.indicators()
        indicator_id, notice = choose_indicator(query.get(INDICATOR_PARAMETER), indicators, state.lang)
        if notice:
            state = replace(state, notices=(*state.notices, notice))
        state = replace(state, regions=default_regions(state))
        if state.per_1000 and not store.has_rate(indicator_id):
            state = replace(state, measure="absoluut")
        body = [
            html.H1(text("compare_title", state.lang)),
            html.P(text("compare_intro", state.lang), className="lead"),
            controls(store, indicator_id, state),
            html.Div(compare_content(store, indicator_id, state), id=ids.COMPARE_CONTENT),
            dcc.Store(id=ids.COMPARE_QUERY, data=compare_query(state, indicator_id)),
        ]
        return shell.page(body, store.manifest(), state, "/vergelijk", store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        body = [
            html.H1(text("compare_title", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(body, None, state, "/vergelijk")
