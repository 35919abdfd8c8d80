"""Builders of the printable region report (/regio/<code>/rapport) and the profile's link to it.

Pure functions of frames and the manifest; layouts/pages/report.py gathers the data. This module must not import
page modules: the profile page imports `report_link` from here, and Dash executes page modules before they are
in sys.modules, so an import back into layouts.pages would load the profile page twice (or circularly).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from dash import dcc, html

from layouts import ids, summaries
from layouts.components import data_table, frame_source_line, source_line
from layouts.figures.base import PROVISIONAL_STATUSES
from layouts.figures.profile import NATIONAL_CODE, gap_notes, series_table, trend_chart
from layouts.labels import text
from layouts.shell import is_demo
from layouts.state import ViewState

# One chart fits twice across the A4 text width (186 mm at 96 px/in is about 700 px) and once across a phone.
CHART_WIDTH_PX = 320
CHART_HEIGHT_PX = 200
MAX_TICKS = 6
OWN_REGISTRATION = "eigen_registratie"


def report_path(code: str) -> str:
    return f"/regio/{code}/rapport"


def report_link(code: str, state: ViewState) -> html.A:
    """The profile's one-click way to the printable report; it keeps the view state (language, period type)."""
    return html.A(
        text("report_link", state.lang),
        href=state.href(report_path(code), region=code),
        id=ids.REPORT_LINK,
        className="report-link btn btn-outline-primary btn-sm",
    )


def report_actions(code: str, state: ViewState) -> html.Div:
    """The print button (a real button; assets/report.js prints on click, no inline script) and the way back."""
    lang = state.lang
    return html.Div(
        [
            html.Button(
                text("report_print", lang),
                type="button",
                id=ids.REPORT_PRINT,
                className="btn btn-primary",
                **{"data-action": "print"},
            ),
            html.A(text("report_back", lang), href=state.href(f"/regio/{code}"), id=ids.REPORT_BACK),
            html.P(text("report_print_hint", lang), className="small text-muted mb-0"),
        ],
        className="report-actions",
        role="group",
        **{"aria-label": text("report_actions", lang)},
    )


def version_text(manifest: dict, lang: str) -> str:
    """'20261122T133031Z-767d6b7f, gebouwd op 2026-11-22': which build the numbers come from."""
    return f"{manifest['build_id']}, {text('built_on', lang)} {manifest['built_at'][:10]}"


def dataset_description(manifest: dict, lang: str) -> str:
    return text("report_dataset_demo" if is_demo(manifest) else "report_dataset_cbs", lang)


def running_header(name: str, code: str, manifest: dict, lang: str) -> html.Div:
    """The line printed at the top of every page (hidden on screen, where the report header says it all)."""
    words = text("report_running_header", lang).format(name=name, code=code, build_id=manifest["build_id"])
    if is_demo(manifest):
        words += " · " + text("report_dataset_demo", lang)
    return html.Div(words, className="report-running-header")


def report_frame(running: html.Div, parts: list) -> html.Table:
    """The report as a one-cell layout table whose head is the running header: Chromium repeats a table's <thead>
    at the top of every printed page (a div styled as a table header group is not repeated). role=presentation
    keeps the table out of the accessibility tree; on screen report.css lays it out as plain blocks."""
    return html.Table(
        [html.Thead(html.Tr(html.Td(running))), html.Tbody(html.Tr(html.Td(parts)))],
        className="report-frame",
        role="presentation",
    )


def report_header(name: str, level: str, code: str, manifest: dict, today: date, lang: str) -> html.Header:
    """Title, level and code, the report's date and data version; the fictitious-data warning for the demo."""
    demo = is_demo(manifest)
    meta = [
        ("report_date", today.isoformat()),
        ("data_version", version_text(manifest, lang)),
        ("report_dataset", f"{manifest['dataset_kind']} — {dataset_description(manifest, lang)}"),
    ]
    warning = html.P(
        text("report_demo_warning", lang).format(name=name),
        id=ids.REPORT_DEMO_WARNING,
        className="report-demo-warning",
        role="note",
    )
    return html.Header(
        [
            html.H1(text("report_title", lang).format(name=name)),
            html.P(text("report_subtitle", lang).format(level=level, code=code), className="lead report-subtitle"),
            html.Dl(
                [html.Div([html.Dt(text(key, lang)), html.Dd(value)]) for key, value in meta],
                className="report-meta",
                id=ids.REPORT_VERSION,
            ),
            warning if demo else None,
        ],
        className="report-header",
    )


def _fewer_ticks(axis: dict, most: int) -> dict:
    """At most `most` horizontal tick labels, always the newest period, so a small chart's ticks need no rotating."""
    values, labels = list(axis.get("tickvals") or []), list(axis.get("ticktext") or [])
    step = max(1, math.ceil(len(values) / most))
    return {**axis, "tickvals": values[::-step][::-1], "ticktext": labels[::-step][::-1], "tickangle": 0}


def static_chart(figure: dict, graph_id: dict) -> dcc.Graph:
    """A chart that prints as drawn: a fixed A4-friendly size, no hover, zoom, mode bar or legend (chart_key)."""
    layout = {**figure["layout"], "width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX, "autosize": False}
    layout["margin"] = {"l": 45, "r": 10, "t": 10, "b": 30}
    layout["showlegend"] = False  # a legend wraps to three rows at this width; chart_key says it in one line
    layout["xaxis"] = _fewer_ticks(layout["xaxis"], MAX_TICKS)
    return dcc.Graph(
        id=graph_id,
        figure={**figure, "layout": layout},
        config={"staticPlot": True, "displayModeBar": False, "responsive": False},
        className="report-chart",
        style={"width": f"{CHART_WIDTH_PX}px", "height": f"{CHART_HEIGHT_PX}px"},
    )


def chart_key(series: pd.DataFrame, code: str, name: str, lang: str) -> html.P:
    """The legend of a static chart in one line of text, naming only what the chart draws."""
    parts = [text("report_key_region", lang).format(name=name)]
    if code != NATIONAL_CODE and series[series["region_code"] == NATIONAL_CODE]["value"].notna().any():
        parts.append(text("report_key_nl", lang))
    if series["value_status"].isin(PROVISIONAL_STATUSES).any():
        parts.append(text("report_key_provisional", lang))
    return html.P(" · ".join(parts), className="report-chart-key small mb-1")


def series_source_line(series: pd.DataFrame, lang: str, *, own: bool, fictitious: bool) -> html.P:
    """The source under a chart; a Veilig Thuis organisation's own records are never labelled as CBS."""
    if own and not fictitious:
        label = text("report_source_own", lang).format(tables=_tables(series))
        return html.P(label, className="source-line small text-muted")
    return frame_source_line(series, lang, fictitious=fictitious)


def trend_card(
    series: pd.DataFrame, indicator: dict, code: str, names: dict[str, str], lang: str, *, per_1000: bool, demo: bool
) -> html.Section | None:
    """One indicator's region against NL over time, as a static chart with its table; None with fewer than two
    published values of the region (no trend to draw)."""
    if series[series["region_code"] == code]["value"].notna().sum() < 2:
        return None
    options = {"per_1000": per_1000, "unit": indicator["unit"], "decimals": int(indicator["decimals"])}
    order = [code] + ([NATIONAL_CODE] if code != NATIONAL_CODE else [])
    columns, rows = series_table(series, order, names, lang, **options)
    notes = gap_notes(series, order, names, lang, per_1000=per_1000)
    title = indicator["title_en" if lang == "en" else "title_nl"]
    heading = title + (f" ({text('profile_per_1000_inhabitants', lang)})" if per_1000 else "")
    own = indicator["source_kind"] == OWN_REGISTRATION
    summary_id = f"report-trend-summary-{indicator['indicator_id']}"
    lines = summaries.series_lines(series, order, names, per_1000=per_1000)
    subject = summaries.subject(title, per_1000, lang)
    summary = summaries.trend_summary(subject, lines, change=False, lang=lang, **options)
    return html.Section(
        [
            html.H3(heading, className="h6"),
            chart_key(series, code, names.get(code, code), lang),
            html.P(summary, id=summary_id, className="chart-summary small"),
            html.Div(
                static_chart(
                    trend_chart(series, code, [], names, lang, **options),
                    {"type": "report-trend", "indicator": indicator["indicator_id"]},
                ),
                role="figure",
                **{"aria-label": heading, "aria-describedby": summary_id},
            ),
            series_source_line(series, lang, own=own, fictitious=demo),
            html.Details(
                [
                    html.Summary(text("profile_chart_table", lang)),
                    html.Div(data_table(columns, rows, heading), className="table-responsive"),
                    html.Ul([html.Li(note) for note in notes], className="small") if notes else None,
                ]
            ),
        ],
        className="report-trend",
        **{"data-indicator": indicator["indicator_id"]},
    )


def trends_section(cards: list, without: list[str], code: str, name: str, lang: str) -> html.Section:
    """The trend cards, and in words the indicators that have no trend to draw."""
    national = "_national" if code == NATIONAL_CODE else ""  # the Netherlands itself is not set against itself
    body = [html.H2(text(f"report_trends_heading{national}", lang))]
    if cards:
        body.append(html.P(text(f"report_trends_explained{national}", lang).format(name=name), className="small"))
        body.append(html.Div(cards, className="report-trends"))
        if without:
            words = text("report_trends_single", lang).format(name=name, indicators=", ".join(without))
            body.append(html.P(words, className="small"))
    else:
        body.append(html.P(text("report_trends_none", lang).format(name=name), className="small"))
    return html.Section(body, id=ids.REPORT_TRENDS, className="report-section")


def _unit(unit: str, has_rate: bool, lang: str) -> str:
    shown = text(f"unit_{unit}", lang) if unit in ("aantal", "procent") else unit
    return shown + (f"; {text('national_unit_per1000_available', lang)}" if has_rate else "")


def definitions_section(indicators: pd.DataFrame, rates: set[str], lang: str, *, demo: bool) -> html.Section:
    """Each indicator of the report with its catalog definition, unit and source tables (for the demo: the tables
    whose layout it imitates, never as a source of its numbers)."""
    sources = text("report_tables_imitated" if demo else "national_sources", lang)
    entries = []
    for row in indicators.to_dict("records"):
        facts = [
            f"{text('national_unit', lang)}: {_unit(row['unit'], row['indicator_id'] in rates, lang)}",
            f"{sources}: {row['source_tables']}",
        ]
        if row["source_kind"] == OWN_REGISTRATION:
            facts.append(text("own_registration", lang))
        entries.append(
            html.Div(
                [
                    html.Dt(row["title_en" if lang == "en" else "title_nl"]),
                    html.Dd(
                        [
                            html.P(row["definition_en" if lang == "en" else "definition_nl"], className="mb-1"),
                            html.P(" · ".join(facts), className="small text-muted mb-0"),
                        ]
                    ),
                ],
                className="report-definition",
                **{"data-indicator": row["indicator_id"]},
            )
        )
    return html.Section(
        [
            html.H2(text("report_definitions_heading", lang)),
            html.P(text("report_definitions_intro", lang), className="small"),
            html.Dl(entries, className="report-definitions"),
        ],
        id=ids.REPORT_DEFINITIONS,
        className="report-section",
    )


def _tables(frame: pd.DataFrame) -> str:
    """'84849NED (2025-07-01), 84852NED' for the distinct source tables and snapshots of a frame."""
    pairs = frame[["source_table", "source_snapshot"]].dropna(subset=["source_table"]).drop_duplicates()
    pairs = pairs.sort_values("source_table")
    shown = [
        table if pd.isna(snapshot) else f"{table} ({snapshot})"
        for table, snapshot in zip(pairs["source_table"], pairs["source_snapshot"], strict=True)
    ]
    return ", ".join(dict.fromkeys(shown))


def sources_section(
    sources: pd.DataFrame, own_ids: set[str], population_years: list[int], manifest: dict, state: ViewState
) -> html.Section:
    """Where every number comes from and how to read it: sources, rounding and suppression, provisional figures,
    own registrations, the population behind rates, the data version.

    `sources` has indicator_id, source_table and source_snapshot of every number in the report.
    """
    lang = state.lang
    demo = is_demo(manifest)
    own = sources["indicator_id"].isin(own_ids)
    lines = []
    if demo:
        lines.append(source_line([], [], lang, fictitious=True))
    else:
        if (~own).any():
            lines.append(html.P(text("report_source_cbs", lang).format(tables=_tables(sources[~own]))))
        if own.any():
            lines.append(html.P(text("report_source_own", lang).format(tables=_tables(sources[own]))))
    notes = [text("national_note_rounding", lang), text("national_note_missing", lang)]
    notes.append(text("report_note_provisional", lang))
    if own.any():
        notes.append(text("national_note_own_registration", lang))
    if population_years:
        years = ", ".join(str(year) for year in population_years)
        notes.append(text("report_note_population", lang).format(years=years))
    version = text("report_note_version", lang).format(
        build_id=manifest["build_id"],
        kind=manifest["dataset_kind"],
        date=manifest["built_at"][:10],
        code_version=manifest.get("code_version", "–"),
    )
    return html.Section(
        [
            html.H2(text("report_sources_heading", lang)),
            *lines,
            html.Ul([html.Li(note) for note in notes]),
            html.P([version, " ", html.A(text("report_whole_dataset", lang), href=state.href("/data"))]),
        ],
        id=ids.REPORT_SOURCES,
        className="report-section",
    )
