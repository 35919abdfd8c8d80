"""National view builders (state fitting, controls, trend, breakdown and about sections) for /landelijk/<indicator>."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote, urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import format as fmt
from layouts import ids, shell, summaries
from layouts.components import chart, data_table, download_menu, image_texts, source_text
from layouts.figures import trend
from layouts.figures.base import PROVISIONAL_STATUSES
from layouts.labels import text
from layouts.state import PERIOD_TYPES, ViewState

BREAKDOWN_MEASURES = ("aantal", "aandeel")
BARS = ("gestapeld", "naast")
ALL_CATEGORIES = "alle"
NATIONAL = "NL01"
TWIN_SUFFIX = "-twin"  # the table under a chart repeats the table view's table under its own id


@dataclass(frozen=True)
class Options:
    """Page-local view state beyond ViewState: the breakdown as shares, and bars side by side or stacked."""

    share: bool = False
    bars: str | None = None  # None: stacked when the categories add up to the total, else side by side


def parse_options(query: dict, lang: str) -> tuple[Options, list[str]]:
    """The page's own query parameters (verdeling, balken); invalid values become defaults with a notice."""
    notices = []
    values = {}
    for name, allowed in (("verdeling", BREAKDOWN_MEASURES), ("balken", BARS)):
        value = query.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is None or value in allowed:
            values[name] = value
            continue
        notices.append(text("notice_invalid_value", lang).format(name=name, value=_shown(str(value))))
    return Options(share=values.get("verdeling") == "aandeel", bars=values.get("balken")), notices


def _shown(value: str) -> str:
    cleaned = "".join(character for character in value if character not in "<>\"'`")
    return cleaned[:40]


def page_query(state: ViewState, options: Options) -> str:
    """The query string of this view: the shared state plus the page's own parameters."""
    params = dict(parse_qsl(state.query().lstrip("?")))
    if options.share:
        params["verdeling"] = "aandeel"
    if options.bars:
        params["balken"] = options.bars
    return "?" + urlencode(params, safe=",") if params else ""


def national_period_types(store, indicator_id: str) -> list[str]:
    """Period types (halfjaar, jaar) with at least one published national number for the indicator."""
    published = store.published_period_types(indicator_id, "land")
    return [period_type for period_type in PERIOD_TYPES if period_type in published]


def category_choices(store, indicator: pd.Series) -> list[dict]:
    """Non-total categories of a breakdown indicator with at least one published national number (records with
    category_code, title_nl and title_en, in category order)."""
    if not isinstance(indicator["breakdown"], str):
        return []
    published = store.published_categories(indicator.name, NATIONAL)
    return [
        category
        for category in store.category_records(indicator["breakdown"])
        if not category["is_total"] and category["category_code"] in published
    ]


def total_category(store, indicator: pd.Series) -> str | None:
    """The total category of a breakdown indicator (None for an indicator without breakdown)."""
    if not isinstance(indicator["breakdown"], str):
        return None
    totals = [category for category in store.category_records(indicator["breakdown"]) if category["is_total"]]
    return totals[0]["category_code"] if totals else None


class IndicatorRecord(dict):
    """A catalog record (store.catalog()) that reads like a row of store.indicators().set_index("indicator_id"):
    the page's builders take either; building a pandas row per callback cost more than the rest of the lookup."""

    @property
    def name(self) -> str:
        return self["indicator_id"]


def indicator_row(store, indicator_id: str) -> IndicatorRecord | None:
    """The catalog record of an indicator as the page's builders take it; None when unknown."""
    record = store.catalog().get(indicator_id)
    return None if record is None else IndicatorRecord(record)


def resolve_state(
    store, indicator: pd.Series, state: ViewState, *, explicit_period_type: bool
) -> tuple[ViewState, list[str]]:
    """Fit the URL state to what the indicator has: period type with data, rate only with a denominator, known
    category; each change made to an explicit choice gets a notice."""
    lang = state.lang
    notices = []
    types = national_period_types(store, indicator.name)
    if types and state.period_type not in types:
        if explicit_period_type:
            notices.append(text("notice_invalid_value", lang).format(name="periodetype", value=state.period_type))
        state = replace(state, period_type=types[0])
    if state.per_1000 and not store.has_rate(indicator.name):
        notices.append(text("notice_invalid_value", lang).format(name="maat", value=state.measure))
        state = replace(state, measure="absoluut")
    if state.category is not None:
        choices = {category["category_code"] for category in category_choices(store, indicator)}
        if state.category not in choices:
            notices.append(text("notice_invalid_value", lang).format(name="categorie", value=state.category))
            state = replace(state, category=None)
    if state.region == NATIONAL:
        state = replace(state, region=None)
    return state, notices


# -- sections ----------------------------------------------------------------------------------------------------


def _title(row, lang: str) -> str:
    return row["title_en"] if lang == "en" else row["title_nl"]


def _region_name(store, code: str, lang: str) -> str:
    record = store.region_records().get(code)
    if record is None:
        return code
    return str(record["name_en" if lang == "en" else "name_nl"])


def _sources(points: list[dict]) -> tuple[list[str], list[str | None]]:
    pairs = {}
    for point in points:
        if point["value"] is not None and point.get("source_table"):
            snapshot = point.get("source_snapshot")
            pairs[(point["source_table"], None if pd.isna(snapshot) else snapshot)] = None
    return [table for table, _ in pairs], [snapshot for _, snapshot in pairs]


def _unit_words(indicator: pd.Series, per_1000: bool, lang: str) -> str:
    return trend.value_axis_title(indicator["unit"], per_1000, lang)


def trend_lines(store, indicator: pd.Series, state: ViewState) -> tuple[list[str], list[dict], str | None]:
    """The trend's period axis, its lines (the Netherlands, then the chosen region: name, region_code, points) and
    the category shown (the total of a breakdown indicator unless one was chosen)."""
    indicator_id = indicator.name
    category = state.category or total_category(store, indicator)
    series = store.series_records(indicator_id, NATIONAL, state.period_type)
    region_series = store.series_records(indicator_id, state.region, state.period_type) if state.region else None
    codes = [row["period_code"] for row in series]
    if region_series is not None:
        codes += [row["period_code"] for row in region_series]
    axis = trend.period_axis(codes, state.period_type)
    lines = [
        {
            "name": text("national_netherlands", state.lang),
            "region_code": NATIONAL,
            "points": trend.series_points(series, axis, category, state.per_1000),
        }
    ]
    if region_series is not None:
        lines.append(
            {
                "name": _region_name(store, state.region, state.lang),
                "region_code": state.region,
                "points": trend.series_points(region_series, axis, category, state.per_1000),
            }
        )
    return axis, lines, category


def trend_section(store, indicator: pd.Series, state: ViewState, fictitious: bool, params: dict) -> html.Section:
    """The Netherlands (and the chosen region) over time, as a chart or a table, with notes and source line."""
    lang = state.lang
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    axis, lines, _ = trend_lines(store, indicator, state)
    region_name = lines[1]["name"] if len(lines) > 1 else None

    heading = (
        text("national_trend_heading_region", lang).format(region=region_name)
        if region_name
        else text("national_trend_heading", lang)
    )
    children: list = [html.H2(heading)]
    subject = _title(indicator, lang)
    if state.category:
        title = next(row for row in category_choices(store, indicator) if row["category_code"] == state.category)
        children.append(html.P(text("national_trend_category", lang).format(category=_title(title, lang))))
        subject += f" — {_title(title, lang)}"
    if all(point["value"] is None for point in lines[0]["points"]):
        key = (
            "national_no_total"
            if isinstance(indicator["breakdown"], str) and not state.category
            else "national_no_values"
        )
        children.append(html.P(text(key, lang), className="alert alert-secondary"))
        return html.Section(children, className="national-trend")

    caption = text("national_trend_caption", lang).format(
        title=_title(indicator, lang),
        unit=_unit_words(indicator, state.per_1000, lang).lower(),
        periods=text(f"national_per_{state.period_type}", lang),
    )
    all_points = [point for line in lines for point in line["points"]]
    sources = source_text(*_sources(all_points), lang, fictitious=fictitious)
    summary = summaries.trend_summary(
        summaries.subject(subject, state.per_1000, lang),
        lines,
        unit=unit,
        decimals=decimals,
        per_1000=state.per_1000,
        lang=lang,
    )
    image = None
    if state.view == "tabel":
        children.append(html.P(summary, id=ids.NATIONAL_TREND_SUMMARY, className="chart-summary"))
        children.append(html.Div(trend_table(lines, axis, indicator, state, caption), className="table-responsive"))
    else:
        figure = trend.trend_figure(lines, axis, unit=unit, decimals=decimals, per_1000=state.per_1000, lang=lang)
        children.append(html.P(caption, className="chart-caption"))
        children.append(html.P(summary, id=ids.NATIONAL_TREND_SUMMARY, className="chart-summary"))
        children.append(chart(figure, ids.NATIONAL_TREND_CHART, caption, described_by=ids.NATIONAL_TREND_SUMMARY))
        twin = trend_table(lines, axis, indicator, state, caption, ids.NATIONAL_TREND_TABLE + TWIN_SUFFIX)
        children.append(table_twin(twin, lang))
        image = image_texts(caption, sources, store.manifest(), lang)
    children.extend(_trend_notes(lines, state))
    children.append(html.P(sources, className="source-line small text-muted"))
    children.append(download_menu("landelijk-trend", params, lang, image))
    return html.Section(children, className="national-trend")


def _trend_notes(lines: list[dict], state: ViewState) -> list:
    lang = state.lang
    notes = []
    statuses = {point["status"] for line in lines for point in line["points"] if point["value"] is not None}
    if statuses & set(PROVISIONAL_STATUSES):
        notes.append(text("national_provisional_note", lang))
    if state.per_1000:
        population = trend.population_note(lines[0]["points"], lang)
        if population:
            notes.append(population)
    for line in lines:
        if len(lines) > 1 and line is lines[1] and all(point["value"] is None for point in line["points"]):
            notes.append(text("national_region_no_data", lang).format(region=line["name"]))
            continue
        notes.extend(trend.gap_notes(line["name"], line["points"], lang))
    return [html.Ul([html.Li(note) for note in notes], className="chart-notes small")] if notes else []


def table_twin(table: html.Table, lang: str) -> html.Details:
    """The chart's table under the chart, folded away: the same numbers for keyboard and screen reader users."""
    return html.Details(
        [html.Summary(text("chart_table_summary", lang)), html.Div(table, className="table-responsive")],
        className="chart-table",
    )


def trend_table(
    lines: list[dict],
    axis: list[str],
    indicator: pd.Series,
    state: ViewState,
    caption: str,
    table_id: str = ids.NATIONAL_TREND_TABLE,
) -> html.Table:
    """The trend as a real table: one row per period, one column per line, the same numbers as the chart."""
    lang = state.lang
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    columns = [text("national_period", lang), *[line["name"] for line in lines]]
    if state.per_1000:
        columns.append(text("national_population_column", lang))
    rows = []
    for position, code in enumerate(axis):
        row = [trend.period_label(code, lang)]
        row += [trend.format_point(line["points"][position], unit, decimals, state.per_1000, lang) for line in lines]
        if state.per_1000:
            year = lines[0]["points"][position].get("population_year")
            row.append(str(year) if year else "–")
        rows.append(row)
    return data_table(columns, rows, caption, table_id)


def breakdown_data(store, indicator: pd.Series, state: ViewState) -> tuple[list[str], dict, pd.DataFrame]:
    """The breakdown's period axis, the national breakdown records per period and one row per (period, category)
    with published values (periods without a breakdown as 'niet_gepubliceerd' rows); all empty without a
    breakdown. The frame is breakdown_records' rows as a frame (for the downloads)."""
    axis, breakdowns, rows = breakdown_records(store, indicator, state)
    return axis, breakdowns, pd.DataFrame(rows, columns=list(trend.BREAKDOWN_COLUMNS))


def breakdown_records(store, indicator: pd.Series, state: ViewState) -> tuple[list[str], dict, list[dict]]:
    """breakdown_data with the rows as plain records: what the page builds its chart, table and summary from."""
    breakdowns: dict[str, list] = {}
    for record in store.breakdown_records(indicator.name, NATIONAL, state.period_type):
        breakdowns.setdefault(record["period_code"], []).append(record)
    if not breakdowns:
        return [], {}, []
    axis = trend.period_axis(list(breakdowns), state.period_type)
    return axis, breakdowns, trend.breakdown_rows(breakdowns, axis)


def breakdown_section(
    store, indicator: pd.Series, state: ViewState, options: Options, fictitious: bool, params: dict
) -> html.Section:
    """Categories over time: numbers or shares of the total, stacked when the categories add up to the total."""
    lang = state.lang
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    children: list = [html.H2(text("national_breakdown_heading", lang))]
    axis, breakdowns, rows = breakdown_records(store, indicator, state)
    if not breakdowns:
        children.append(html.P(text("national_no_breakdown", lang), className="alert alert-secondary"))
        return html.Section(children, className="national-breakdown")
    shown_categories = {row["category_code"] for row in rows}
    if state.category:
        rows = [row for row in rows if row["category_code"] == state.category]
    share = options.share and unit == "aantal"
    stackable = trend.records_add_up(breakdowns.values())
    stacked = stackable and options.bars != "naast"
    if unit == "procent":
        measure = text("unit_procent", lang)
    else:
        measure = text("national_breakdown_share" if share else "national_breakdown_count", lang).lower()
    caption = text("national_breakdown_caption", lang).format(
        title=_title(indicator, lang), measure=measure, periods=text(f"national_per_{state.period_type}", lang)
    )
    sources = source_text(*_sources(rows), lang, fictitious=fictitious)
    summary = html.P(
        summaries.breakdown_summary(
            _title(indicator, lang), _latest_frame(rows, axis), axis, unit=unit, decimals=decimals, lang=lang
        ),
        id=ids.NATIONAL_BREAKDOWN_SUMMARY,
        className="chart-summary",
    )
    image = None
    if state.view == "tabel":
        children.append(summary)
        children.append(
            html.Div(breakdown_table(rows, axis, indicator, share, lang, caption), className="table-responsive")
        )
    else:
        figure = trend.breakdown_figure(
            rows, axis, unit=unit, decimals=decimals, share=share, stacked=stacked, lang=lang
        )
        children.append(html.P(caption, className="chart-caption"))
        children.append(summary)
        described = ids.NATIONAL_BREAKDOWN_SUMMARY
        children.append(chart(figure, ids.NATIONAL_BREAKDOWN_CHART, caption, described_by=described))
        twin_id = ids.NATIONAL_BREAKDOWN_TABLE + TWIN_SUFFIX
        children.append(table_twin(breakdown_table(rows, axis, indicator, share, lang, caption, twin_id), lang))
        image = image_texts(caption, sources, store.manifest(), lang)
    notes = []
    if any(row["value_status"] in PROVISIONAL_STATUSES for row in rows):
        notes.append(text("national_provisional_bars_note", lang))
    if share:
        notes.append(text("national_share_note", lang))
    if not stackable:
        notes.append(text("national_bars_overlap", lang))
    missing_periods = [trend.period_label(code, lang) for code in axis if code not in breakdowns]
    if missing_periods:
        notes.append(
            text("national_gap_note", lang).format(
                name=text("national_netherlands", lang),
                periods=", ".join(missing_periods),
                reason=fmt.status_note("niet_gepubliceerd", lang),
            )
        )
    left_out = [
        category
        for category in store.category_records(indicator["breakdown"])
        if not category["is_total"] and category["category_code"] not in shown_categories
    ]
    if left_out and not state.category:
        names = ", ".join(_title(category, lang) for category in left_out)
        notes.append(text("national_unpublished_categories", lang).format(categories=names))
    children.append(html.Ul([html.Li(note) for note in notes], className="chart-notes small"))
    children.append(html.P(sources, className="source-line small text-muted"))
    children.append(download_menu("landelijk-verdeling", params, lang, image))
    return html.Section(children, className="national-breakdown")


def _latest_frame(rows: list[dict], axis: list[str]) -> pd.DataFrame:
    """The rows of the axis' latest period as a frame: all that summaries.breakdown_summary reads (every period
    has a row for each shown category, so its count of categories is the same)."""
    latest = [row for row in rows if axis and row["period_code"] == axis[-1]]
    return pd.DataFrame({column: [row[column] for row in latest] for column in trend.BREAKDOWN_COLUMNS})


def breakdown_table(
    rows: list[dict],
    axis: list[str],
    indicator: pd.Series,
    share: bool,
    lang: str,
    caption: str,
    table_id: str = ids.NATIONAL_BREAKDOWN_TABLE,
) -> html.Table:
    """The breakdown as a real table: a row per period, a column per category, as in the chart."""
    unit, decimals = indicator["unit"], int(indicator["decimals"])
    categories = trend.breakdown_categories(rows)
    columns = [text("national_period", lang), *[_title(category, lang) for category in categories]]
    cells = {(row["period_code"], row["category_code"]): row for row in rows}
    table_rows = []
    for code in axis:
        row = [trend.period_label(code, lang)]
        for category in categories:
            cell = cells.get((code, category["category_code"]))
            if cell is None:
                row.append(fmt.status_note("niet_gepubliceerd", lang))
                continue
            value, status = trend.breakdown_value(cell, share)
            row.append(
                fmt.value_with_status(value, status, 1 if share else decimals, "procent" if share else unit, lang)
            )
        table_rows.append(row)
    return data_table(columns, table_rows, caption, table_id)


def about_section(indicator: pd.Series, state: ViewState, has_rate: bool) -> html.Section:
    """Definition, unit, source tables and notes (rounding and suppression, own registration)."""
    lang = state.lang
    own = indicator["source_kind"] == "eigen_registratie"
    unit = text(f"unit_{indicator['unit']}", lang)
    if has_rate:
        unit += f"; {text('national_unit_per1000_available', lang)}"
    notes = [text("national_note_own_registration" if own else "national_note_rounding", lang)]
    notes.append(text("national_note_missing", lang))
    if has_rate:
        notes.append(text("national_note_rates", lang))
    items = [
        ("national_definition", indicator["definition_en" if lang == "en" else "definition_nl"]),
        ("national_unit", unit),
        ("national_sources", indicator["source_tables"]),
        ("national_notes", html.Ul([html.Li(note) for note in notes], className="mb-0")),
    ]
    definitions = []
    for key, value in items:
        definitions += [html.Dt(text(key, lang)), html.Dd(value)]
    return html.Section([html.H2(text("national_about", lang)), html.Dl(definitions, className="about-indicator")])


def content(store, indicator: pd.Series, state: ViewState, options: Options) -> list:
    """Everything the controls change: the trend and, for breakdown indicators, the breakdown."""
    fictitious = shell.is_demo(store.manifest())
    params = {**dict(parse_qsl(page_query(state, options).lstrip("?"))), "indicator": indicator.name}
    sections = [trend_section(store, indicator, state, fictitious, params)]
    if isinstance(indicator["breakdown"], str):
        sections.append(breakdown_section(store, indicator, state, options, fictitious, params))
    return sections


# -- controls ----------------------------------------------------------------------------------------------------


def _radio(label: str, component_id: str, options: list[dict], value: str, hidden: bool = False) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(label, className="form-label fw-semibold fs-6 mb-1"),
            dbc.RadioItems(id=component_id, options=options, value=value, inline=True),
        ],
        className="national-control",
        hidden=hidden,
    )


def controls(store, indicator: pd.Series, state: ViewState, options: Options) -> html.Div:
    """Period type, chart/table, absolute/per 1,000 and, for breakdowns, category, shares and bar layout.

    Every control is always rendered (hidden where it does not apply) so the page's one callback has its inputs.
    """
    lang = state.lang
    types = national_period_types(store, indicator.name)
    suffix = f" {text('national_no_data_suffix', lang)}"
    period_options = [
        {
            "label": text(f"national_{kind}", lang) + ("" if kind in types else suffix),
            "value": kind,
            "disabled": kind not in types,
        }
        for kind in PERIOD_TYPES
    ]
    has_rate = store.has_rate(indicator.name)
    is_breakdown = isinstance(indicator["breakdown"], str)
    choices = category_choices(store, indicator)
    category_options = [{"label": text("national_all_categories", lang), "value": ALL_CATEGORIES}]
    category_options += [{"label": _title(row, lang), "value": row["category_code"]} for row in choices]
    category = html.Div(
        [
            html.Label(
                text("national_category", lang), htmlFor=ids.NATIONAL_CATEGORY, className="form-label fw-semibold"
            ),
            dcc.Dropdown(
                id=ids.NATIONAL_CATEGORY,
                options=category_options,
                value=state.category or ALL_CATEGORIES,
                clearable=False,
                searchable=True,
                labels=shell.dropdown_labels(lang),
            ),
        ],
        className="national-control national-category",
        hidden=not is_breakdown,
    )
    breakdowns = [
        {"label": text("national_breakdown_count", lang), "value": "aantal"},
        {"label": text("national_breakdown_share", lang), "value": "aandeel"},
    ]
    bars = [
        {"label": text("national_bars_stacked", lang), "value": "gestapeld"},
        {"label": text("national_bars_grouped", lang), "value": "naast"},
    ]
    return html.Div(
        [
            _radio(text("national_period_type", lang), ids.NATIONAL_PERIOD_TYPE, period_options, state.period_type),
            _radio(
                text("national_view", lang),
                ids.NATIONAL_VIEW,
                [
                    {"label": text("national_chart", lang), "value": "grafiek"},
                    {"label": text("national_table", lang), "value": "tabel"},
                ],
                state.view,
            ),
            _radio(
                text("national_measure", lang),
                ids.NATIONAL_MEASURE,
                [
                    {"label": text("national_absolute", lang), "value": "absoluut"},
                    {"label": text("national_per_1000", lang), "value": "per1000"},
                ],
                state.measure,
                hidden=not has_rate,
            ),
            category,
            _radio(
                text("national_breakdown_measure", lang),
                ids.NATIONAL_BREAKDOWN_MEASURE,
                breakdowns,
                "aandeel" if options.share else "aantal",
                hidden=not is_breakdown or indicator["unit"] != "aantal",
            ),
            _radio(
                text("national_bars", lang),
                ids.NATIONAL_BARS,
                bars,
                options.bars or "gestapeld",
                hidden=not is_breakdown,
            ),
        ],
        className="national-controls",
        role="group",
        **{"aria-label": text("national_controls", lang)},
    )


# -- page --------------------------------------------------------------------------------------------------------


def not_found(store, indicator_id: str, state: ViewState) -> html.Div:
    lang = state.lang
    body = [
        html.H1(text("national_not_found_title", lang)),
        html.P(text("national_not_found", lang).format(value=_shown(indicator_id)), className="alert alert-info"),
        html.P(html.A(text("national_to_overview", lang), href=state.href("/") + "#indicator-index")),
    ]
    return shell.page(body, store.manifest(), state, "/landelijk/" + quote(indicator_id, safe=""), store.region_names())


def no_national_data(indicator: pd.Series, state: ViewState) -> html.Div:
    lang = state.lang
    if indicator["has_regional"]:
        follow = html.A(text("national_to_regional", lang), href=state.href(f"/regionaal/{indicator.name}"))
    else:
        follow = text("national_no_data_at_all", lang)
    return html.Div(
        [html.P(text("national_no_national_data", lang)), html.P(follow, className="mb-0")],
        className="alert alert-info",
    )


def national_body(store, indicator: pd.Series, state: ViewState, options: Options) -> list:
    lang = state.lang
    has_rate = store.has_rate(indicator.name)
    body: list = [html.H1(_title(indicator, lang))]
    body.append(html.P(indicator["definition_en" if lang == "en" else "definition_nl"], className="lead"))
    if indicator["source_kind"] == "eigen_registratie":
        body.append(html.P(text("own_registration", lang), className="badge text-bg-warning own-registration"))
    if not indicator["has_national"]:
        body.append(no_national_data(indicator, state))
    else:
        context = {"indicator": indicator.name, "region": state.region, "lang": lang, "period": state.period}
        body += [
            controls(store, indicator, state, options),
            html.Div(content(store, indicator, state, options), id=ids.NATIONAL_CONTENT, **{"aria-live": "polite"}),
            dcc.Store(id=ids.NATIONAL_CONTEXT, data=context),
            dcc.Store(id=ids.NATIONAL_QUERY, data=page_query(state, options)),
        ]
    body.append(about_section(indicator, state, has_rate))
    return body
