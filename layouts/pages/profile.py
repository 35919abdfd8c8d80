"""Region profile page `/regio/<code>`: every indicator vs NL, trends vs NL and peer regions, gemeenten, printable."""

from __future__ import annotations

import math
from dataclasses import replace
from urllib.parse import parse_qsl, quote

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import format as fmt
from layouts import ids, shell, summaries
from layouts.components import (
    chart,
    data_table,
    download_menu,
    image_texts,
    source_line,
    source_text,
)
from layouts.figures.profile import NATIONAL_CODE, Lines, gap_notes, series_table, trend_chart
from layouts.labels import text
from layouts.report import report_link
from layouts.state import MAX_COMPARED, PERIOD_TYPES, ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(
    __name__,
    path_template="/regio/<region_code>",
    path="/regio/VT09",
    title="Regioprofiel — Impactmonitor huiselijk geweld en kindermishandeling",
)

POPULATION_INDICATOR = shell.DEFAULT_INDICATOR  # an indicator with a population denominator, for inhabitants
PEER_COUNT = 4
TREND_THRESHOLD = 2.0  # per cent: smaller changes count as 'about the same'
PROVISIONAL = ("voorlopig", "nader_voorlopig")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def period_label(period_code: str | None, lang: str) -> str:
    """'2e halfjaar 2024' / '2nd half 2024' / '2023' for a CBS period code."""
    if not period_code or len(period_code) != 8:
        return period_code or ""
    year, kind, number = period_code[:4], period_code[4:6], int(period_code[6:])
    if kind == "HJ":
        if lang == "en":
            return f"{'1st' if number == 1 else '2nd'} half {year}"
        return f"{number}e halfjaar {year}"
    return year


def latest_rows(profile: pd.DataFrame, period_type: str) -> pd.DataFrame:
    """One row per indicator: its latest period of the wanted type, else of the other type (catalog order)."""
    if profile.empty:
        return profile
    preference = profile["period_type"].map(lambda kind: 0 if kind == period_type else 1)
    chosen = profile.assign(_preference=preference).sort_values(["catalog_order", "_preference"])
    return chosen.drop_duplicates("indicator_id").drop(columns="_preference").reset_index(drop=True)


def trend(value, previous, previous_period: str | None, lang: str) -> tuple[str, str]:
    """A trend arrow and its words ('↑', 'gestegen, +3,2% t.o.v. 2022'); both say the same, not only the glyph."""
    change = fmt.change(value, previous, lang)
    if change is None:
        return "–", text("profile_trend_none", lang)
    relative = (value - previous) / previous * 100
    if relative > TREND_THRESHOLD:
        glyph, word = "↑", text("profile_trend_up", lang)
    elif relative < -TREND_THRESHOLD:
        glyph, word = "↓", text("profile_trend_down", lang)
    else:
        glyph, word = "→", text("profile_trend_flat", lang)
    detail = text("profile_trend_vs", lang).format(change=change, period=period_label(previous_period, lang))
    return glyph, f"{word}, {detail}"


def difference(row: dict, lang: str) -> str:
    """How the region differs from NL: relatively, per inhabitant, for counts; in percentage points for shares."""
    rate, nl_rate = row.get("rate_per_1000"), row.get("nl_rate_per_1000")
    if not _missing(rate) and not _missing(nl_rate) and nl_rate > 0:
        relative = (rate - nl_rate) / nl_rate * 100
        if abs(relative) < 0.05:
            return text("profile_difference_same", lang)
        key = "profile_difference_more" if relative > 0 else "profile_difference_less"
        return text(key, lang).format(change=fmt.percent(abs(relative), 1, lang))
    value, nl_value = row.get("value"), row.get("nl_value")
    if row.get("unit") == "procent" and not _missing(value) and not _missing(nl_value):
        delta = value - nl_value
        shown = ("+" if delta > 0 else "") + fmt.number(delta, 1, lang)
        return text("profile_difference_points", lang).format(change=shown)
    return "–"


def nearest_by_population(populations: dict[str, float], code: str, count: int) -> list[str]:
    """The `count` regions whose population is closest to that of `code` (ties: by code); unknown ones last."""
    own = populations.get(code)
    others = [other for other in populations if other != code]
    if _missing(own):
        return sorted(others)[:count]

    def distance(other: str) -> tuple[float, str]:
        population = populations[other]
        return (math.inf if _missing(population) else abs(population - own), other)

    return sorted(others, key=distance)[:count]


def reference_year(store, region) -> int:
    """The year whose classification and population the peers use: the latest data year the region existed in."""
    years = [row["year"] for row in store.records("periods", POPULATION_INDICATOR)]
    latest = int(max(years)) if years else int(region["last_year"])
    return max(int(region["first_year"]), min(latest, int(region["last_year"])))


def populations(store, level: str, year: int) -> dict[str, float]:
    """Inhabitants per region of a level in the classification of a year."""
    rows = store.records("regional_values", POPULATION_INDICATOR, f"{year}JJ00", level)
    existing = [row for row in rows if row["missing_reason"] != "regio_bestaat_niet"]
    return {row["region_code"]: row["population_count"] for row in existing}


def default_peers(store, code: str, level: str, year: int) -> list[str]:
    """The documented peer choice per level (the method text is 'profile_peers_method_<level>')."""
    if level == "land":
        return [row["region_code"] for row in store.records("regions", "landsdeel", year)]
    if level in ("landsdeel", "provincie"):
        return [row["region_code"] for row in store.records("regions", level, year) if row["region_code"] != code]
    inhabitants = populations(store, level, year)
    if level == "gemeente":
        gemeenten = {row["region_code"]: row["vt_code"] for row in store.records("regions", "gemeente", year)}
        if code not in gemeenten:
            return []
        own = gemeenten[code]
        same = [other for other, vt_code in gemeenten.items() if own is not None and vt_code == own]
        inhabitants = {other: inhabitants.get(other) for other in same}
        return nearest_by_population(inhabitants, code, MAX_COMPARED)
    return nearest_by_population(inhabitants, code, PEER_COUNT)


def region_names(store, lang: str) -> dict[str, str]:
    """Region names by code in the language (from the store's per-build records)."""
    column = "name_en" if lang == "en" else "name_nl"
    return {region_code: region[column] for region_code, region in store.region_records().items()}


def totals(series: pd.DataFrame, store, indicator: pd.Series) -> pd.DataFrame:
    """Only the total of a breakdown indicator (or the rows without category)."""
    breakdown = indicator.get("breakdown")
    if isinstance(breakdown, str) and breakdown:
        categories = store.categories(breakdown)
        total = categories.loc[categories["is_total"], "category_code"]
        if not total.empty:
            return series[series["category_code"] == total.iloc[0]]
    return series[series["category_code"].isna()]


# -- sections -------------------------------------------------------------------------------------------------------


def latest_records(profile: tuple, period_type: str) -> list:
    """latest_rows for the store's plain records of region_profile (the same rows, in the same order)."""
    chosen = sorted(profile, key=lambda row: (row["catalog_order"], 0 if row["period_type"] == period_type else 1))
    first: dict[str, object] = {}
    for row in chosen:
        first.setdefault(row["indicator_id"], row)
    return list(first.values())


def profile_table(store, code: str, name: str, state: ViewState) -> list:
    lang = state.lang
    rows = latest_records(store.records("region_profile", code), state.period_type)
    if not rows:
        return []
    # A breakdown's total repeats a headline number under another title: list breakdowns as links instead.
    catalog = store.catalog()
    breakdowns = {indicator_id for indicator_id, row in catalog.items() if row["breakdown"] is not None}
    breakdown_rows = [row for row in rows if row["indicator_id"] in breakdowns]
    rows = [row for row in rows if row["indicator_id"] not in breakdowns]
    columns = [
        "profile_column_indicator",
        "profile_column_period",
        "profile_column_value",
        "profile_column_rate",
        "profile_column_nl_value",
        "profile_column_nl_rate",
        "profile_column_difference",
        "profile_column_trend",
    ]
    title = "title_en" if lang == "en" else "title_nl"
    query = state.query()  # state.href's query, the same for every row's link
    body = []
    for row in rows:
        glyph, words = trend(row["value"], row["previous_value"], row["previous_period"], lang)
        body.append(
            html.Tr(
                [
                    html.Th(html.A(row[title], href=f"/landelijk/{row['indicator_id']}{query}"), scope="row"),
                    html.Td(row[f"period_label_{lang}"], className="period"),
                    html.Td(
                        fmt.value_with_status(row["value"], row["value_status"], row["decimals"], row["unit"], lang),
                        className="num",
                    ),
                    html.Td(_rate(row["rate_per_1000"], row["value_status"], lang), className="num"),
                    html.Td(
                        fmt.value_with_status(
                            row["nl_value"], row["nl_value_status"], row["decimals"], row["unit"], lang
                        ),
                        className="num",
                    ),
                    html.Td(_rate(row["nl_rate_per_1000"], row["nl_value_status"], lang), className="num"),
                    html.Td(difference(row, lang)),
                    html.Td([html.Span(glyph, className="trend-glyph", **{"aria-hidden": "true"}), " ", words]),
                ],
                **{"data-indicator": row["indicator_id"], "data-period": row["period_code"]},
            )
        )
    table = html.Table(
        [
            html.Caption(text("profile_table_caption", lang).format(name=name)),
            html.Thead(html.Tr([html.Th(text(key, lang), scope="col") for key in columns])),
            html.Tbody(body),
        ],
        className="table table-sm table-striped data-table profile-table",
        id=ids.PROFILE_TABLE,
    )
    years = sorted({str(int(row["population_year"])) for row in rows if row["population_year"] is not None})
    notes = []
    if all(row["period_type"] != state.period_type for row in rows):
        wanted = text(f"profile_period_type_{state.period_type}", lang)
        used = text(f"profile_period_type_{rows[0]['period_type']}", lang)
        notes.append(html.P(text("profile_fallback_type", lang).format(wanted=wanted, used=used), role="status"))
    breakdown_links = html.Ul(
        [
            html.Li(html.A(row[title], href=state.href(f"/landelijk/{row['indicator_id']}", region=code)))
            for row in breakdown_rows
        ]
    )
    pairs = {(row["source_table"], row["source_snapshot"]): None for row in rows if row["source_table"] is not None}
    sources = [table for table, _ in pairs], [None if snapshot is None else str(snapshot) for _, snapshot in pairs]
    return [
        html.H2(text("profile_table_heading", lang)),
        *notes,
        html.Div(table, className="table-responsive"),
        html.H3(text("profile_breakdowns_heading", lang), className="h5") if breakdown_rows else None,
        breakdown_links if breakdown_rows else None,
        html.P(text("profile_table_notes", lang).format(years=", ".join(years) or "–"), className="small"),
        source_line(*sources, lang, fictitious=shell.is_demo(store.manifest())),
        download_menu("profiel", page_params(state), lang),
    ]


def page_params(state: ViewState) -> dict[str, str]:
    """The page's query parameters (region, period type, chosen peers, language) for links that keep the view."""
    return dict(parse_qsl(state.query().lstrip("?")))


def _rate(value, status: str | None, lang: str) -> str:
    if _missing(value):
        return "–"
    return fmt.rate(value, lang) + {"voorlopig": "*", "nader_voorlopig": "**"}.get(status, "")


def peer_charts(store, code: str, name: str, peers: list[str], state: ViewState) -> list:
    """Small trend charts of the headline indicators: the region against NL and its peers."""
    lang = state.lang
    names = region_names(store, lang)
    manifest = store.manifest()
    demo = shell.is_demo(manifest)
    params = page_params(state)
    title = "title_en" if lang == "en" else "title_nl"
    cards = []
    codes = tuple(dict.fromkeys([code, NATIONAL_CODE, *peers]))
    shown = [other for other in peers if other != code]
    order = [code] + ([NATIONAL_CODE] if code != NATIONAL_CODE else []) + shown
    for indicator in store.catalog().values():
        if not indicator["is_headline"]:
            continue
        indicator_id = indicator["indicator_id"]
        per_1000 = store.has_rate(indicator_id)
        lines = lines_with_fallback(store, indicator_id, codes, code, state.period_type)
        if not lines.has_value(code):
            continue
        options = {"per_1000": per_1000, "unit": indicator["unit"], "decimals": int(indicator["decimals"])}
        figure = trend_chart(lines, code, shown, names, lang, **options)
        columns, rows = series_table(lines, order, names, lang, **options)
        notes = gap_notes(lines, order, names, lang, per_1000=per_1000)
        heading = indicator[title] + (f" ({text('profile_per_1000_inhabitants', lang)})" if per_1000 else "")
        sources = source_text(*lines.sources, lang, fictitious=demo)
        image = image_texts(f"{heading} — {name}", sources, manifest, lang)
        summary_id = f"profile-trend-summary-{indicator_id}"
        summary = summaries.trend_summary(
            summaries.subject(indicator[title], per_1000, lang),
            summaries.series_lines(lines, order, names, per_1000=per_1000),
            unit=indicator["unit"],
            decimals=int(indicator["decimals"]),
            per_1000=per_1000,
            lang=lang,
            change=False,
        )
        cards.append(
            html.Section(
                [
                    html.H3(heading, className="h6"),
                    html.P(summary, id=summary_id, className="chart-summary small"),
                    chart(figure, {"type": "profile-trend", "indicator": indicator_id}, heading, summary_id),
                    html.P(sources, className="source-line small text-muted"),
                    html.Details(
                        [
                            html.Summary(text("profile_chart_table", lang)),
                            html.Div(data_table(columns, rows, heading), className="table-responsive"),
                            html.Ul([html.Li(note) for note in notes], className="small") if notes else None,
                        ]
                    ),
                    download_menu("profiel-trend", {**params, "indicator": indicator_id}, lang, image),
                ],
                className="profile-chart",
                **{"data-indicator": indicator_id},
            )
        )
    body = cards or [html.P(text("profile_no_headline_data", lang), className="alert alert-light")]
    return [
        html.H2(text("profile_charts_heading", lang)),
        html.P(text("profile_charts_explained", lang).format(name=name), className="small"),
        html.Div(body, className="profile-charts", id=ids.PROFILE_CHARTS),
    ]


def series_with_fallback(store, indicator: dict, codes: tuple, code: str, period_type: str) -> pd.DataFrame:
    """The series in the wanted period type, or the other type when the region has nothing in the wanted one."""
    indicator_row = pd.Series(indicator)
    for kind in (period_type, *[other for other in PERIOD_TYPES if other != period_type]):
        series = totals(store.region_series(indicator["indicator_id"], codes, kind), store, indicator_row)
        if series[series["region_code"] == code]["value"].notna().any():
            return series
    return series


def lines_with_fallback(store, indicator_id: str, codes: tuple, code: str, period_type: str) -> Lines:
    """series_with_fallback's choice of period type, as plain Lines from the store's plain rows."""
    for kind in (period_type, *[other for other in PERIOD_TYPES if other != period_type]):
        lines = Lines(store.series_total_rows(indicator_id, codes, kind))
        if lines.has_value(code):
            return lines
    return lines


def gemeenten_section(store, code: str, level: str, name: str, year: int, state: ViewState) -> list:
    """The gemeenten of a Veilig Thuis region or province, with their values where CBS publishes them."""
    lang = state.lang
    if level not in ("veilig_thuis_regio", "provincie"):
        return []
    parent = "vt_code" if level == "veilig_thuis_regio" else "pv_code"
    members = [row for row in store.records("regions", "gemeente", year) if row[parent] == code]
    if not members:
        return []
    classification = int(members[0]["classification_year"])
    column = "name_en" if lang == "en" else "name_nl"
    heading = html.H2(text("profile_gemeenten_heading", lang).format(name=name))
    note = html.P(text("profile_gemeenten_membership", lang).format(year=classification), className="small")
    periods = store.records("periods", POPULATION_INDICATOR, "gemeente")
    query = state.query()  # state.href's query, the same for every gemeente's link
    values = []
    if periods:
        period = next((row for row in periods if row["period_type"] == state.period_type), periods[0])
        codes = {row["region_code"] for row in members}
        values = store.records("regional_values", POPULATION_INDICATOR, period["period_code"], "gemeente")
        values = [row for row in values if row["region_code"] in codes]
    if all(row["value"] is None for row in values):
        links = [html.Li(html.A(row[column], href=f"/regio/{row['region_code']}{query}")) for row in members]
        return [
            heading,
            html.P(text("profile_gemeenten_none", lang).format(name=name, year=classification)),
            html.Ul(links, className="gemeenten-list", id=ids.PROFILE_GEMEENTEN),
            note,
        ]
    title = store.catalog()[POPULATION_INDICATOR]["title_en" if lang == "en" else "title_nl"]
    rows = []
    for row in sorted(values, key=lambda value: value[column]):
        status = row["value_status"] if row["value"] is not None else row["missing_reason"]
        rows.append(
            html.Tr(
                [
                    html.Th(html.A(row[column], href=f"/regio/{row['region_code']}{query}"), scope="row"),
                    html.Td(fmt.value_with_status(row["value"], status, 0, "aantal", lang), className="num"),
                    html.Td(_rate(row["rate_per_1000"], row["value_status"], lang), className="num"),
                ],
                **{"data-region": row["region_code"]},
            )
        )
    caption = text("profile_gemeenten_caption", lang).format(indicator=title, period=period[f"label_{lang}"], name=name)
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(
                html.Tr(
                    [
                        html.Th(text(key, lang), scope="col")
                        for key in ("profile_column_gemeente", "profile_column_value", "profile_column_rate")
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table table-sm table-striped data-table",
        id=ids.PROFILE_GEMEENTEN,
    )
    return [heading, html.Div(table, className="table-responsive"), note]


def parents_section(store, code: str, level: str, name: str, year: int, state: ViewState) -> html.Div | None:
    """For a gemeente: links to its Veilig Thuis region and province."""
    if level != "gemeente":
        return None
    gemeenten = store.regions("gemeente", year).set_index("region_code")
    if code not in gemeenten.index:
        return None
    names = region_names(store, state.lang)
    links = []
    for parent_level, column in (("veilig_thuis_regio", "vt_code"), ("provincie", "pv_code")):
        parent = gemeenten.loc[code, column]
        if isinstance(parent, str) and parent:
            label = f"{names.get(parent, parent)} ({text(shell.LEVEL_LABELS[parent_level], state.lang)})"
            links.append(html.Li(html.A(label, href=state.href(f"/regio/{parent}", region=parent))))
    if not links:
        return None
    return html.Div([html.P(text("profile_part_of", state.lang).format(name=name), className="mb-1"), html.Ul(links)])


def profile_content(store, code: str, peers: list[str], chosen: bool, state: ViewState) -> list:
    """Everything below the controls (re-rendered by the callback when period type or peers change)."""
    lang = state.lang
    region = store.region_records()[code]
    name = region["name_en" if lang == "en" else "name_nl"]
    year = reference_year(store, region)
    method = "chosen" if chosen else region["level"]
    table = profile_table(store, code, name, state)
    link = report_link(code, state)
    if not table:
        return [
            link,
            html.P(text("profile_no_data", lang).format(name=name), className="alert alert-info", role="status"),
            parents_section(store, code, region["level"], name, year, state),
            *gemeenten_section(store, code, region["level"], name, year, state),
        ]
    return [
        link,
        *table,
        *peer_charts(store, code, name, peers, state),
        html.P(
            text(f"profile_peers_method_{method}", lang).format(name=name, year=year),
            className="small peers-method",
        ),
        *gemeenten_section(store, code, region["level"], name, year, state),
    ]


def resolve_peers(store, code: str, chosen: tuple[str, ...] | list[str]) -> tuple[list[str], bool]:
    """The peers shown and whether the visitor chose them: their choice (known codes, not the region itself, at most
    8) unless it is the default set, which the peer control reports back as it was rendered."""
    known = store.known_regions()
    picked = [peer for peer in dict.fromkeys(chosen) if peer in known and peer != code][:MAX_COMPARED]
    region = store.region_records()[code]
    defaults = default_peers(store, code, region["level"], reference_year(store, region))
    if picked and set(picked) != set(defaults):
        return picked, True
    return defaults, False


def period_type_control(control_id: str, state: ViewState) -> html.Div:
    """The labelled half-year / year switch of the profile and compare pages."""
    lang = state.lang
    return html.Div(
        [
            html.Label(text("profile_period_type", lang), htmlFor=control_id, className="form-label"),
            dbc.RadioItems(
                id=control_id,
                options=[{"label": text(f"profile_period_type_{kind}", lang), "value": kind} for kind in PERIOD_TYPES],
                value=state.period_type,
                inline=True,
            ),
        ],
        className="profile-control",
    )


def controls(store, code: str, peers: list[str], state: ViewState) -> html.Section:
    lang = state.lang
    options = [option for option in shell.region_options(store.region_names(), lang) if option["value"] != code]
    compare_href = state.href("/vergelijk", regions=tuple([code, NATIONAL_CODE, *peers][:MAX_COMPARED]))
    return html.Section(
        [
            html.H2(text("profile_controls", lang), className="visually-hidden"),
            period_type_control(ids.PROFILE_PERIOD_TYPE, state),
            html.Div(
                [
                    html.Label(text("profile_peers_label", lang), htmlFor=ids.PROFILE_PEERS, className="form-label"),
                    dcc.Dropdown(
                        id=ids.PROFILE_PEERS,
                        options=options,
                        value=peers,
                        multi=True,
                        searchable=True,
                        labels=shell.dropdown_labels(lang),
                    ),
                ],
                className="profile-control profile-peers",
            ),
            html.A(text("profile_compare_link", lang), href=compare_href, id=ids.PROFILE_COMPARE_LINK),
        ],
        className="profile-controls",
    )


def not_found(store, code: str, state: ViewState) -> list:
    lang = state.lang
    year = max(store.region_names()["last_year"])
    regions = store.regions("veilig_thuis_regio", int(year))
    column = "name_en" if lang == "en" else "name_nl"
    return [
        html.H1(text("profile_not_found_title", lang)),
        html.P(text("profile_not_found", lang).format(code=code), className="alert alert-warning", role="status"),
        html.P(html.A(text("profile_back_to_overview", lang), href=state.href("/"))),
        html.Ul(
            [
                html.Li(html.A(row[column], href=state.href(f"/regio/{row['region_code']}", region=row["region_code"])))
                for _, row in regions.iterrows()
            ],
            className="gemeenten-list",
        ),
    ]


def shown_code(value: str | None) -> str:
    """A visitor's path segment, stripped of markup-looking characters and shortened, for the not-found message."""
    cleaned = "".join(character for character in str(value or "") if character not in "<>\"'`")
    return cleaned[:40]


def layout(region_code: str | None = None, **query) -> html.Div:
    path = f"/regio/{quote(str(region_code or ''), safe='')}"
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        code = (region_code or "").strip().upper()
        if code not in store.known_regions():
            return shell.page(
                not_found(store, shown_code(region_code), state), store.manifest(), state, path, store.region_names()
            )
        state = replace(state, region=code)
        region = store.region_records()[code]
        name = region["name_en" if state.lang == "en" else "name_nl"]
        level = text(shell.LEVEL_LABELS.get(region["level"], "level_gemeente"), state.lang)
        peers, chosen = resolve_peers(store, code, state.regions)
        body = [
            html.H1(text("profile_title", state.lang).format(name=name)),
            html.P(text("profile_intro", state.lang).format(name=name, level=level, code=code), className="lead"),
            controls(store, code, peers, state),
            html.Div(profile_content(store, code, peers, chosen, state), id=ids.PROFILE_CONTENT),
            dcc.Store(id=ids.PROFILE_QUERY, data=state.query()),
        ]
        return shell.page(body, store.manifest(), state, f"/regio/{code}", store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        body = [
            html.H1(text("profile_page_title", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(body, None, state, path)
