"""Regional view `/regionaal/<indicator>`: one period and level as a map, a ranked bar and a sortable table."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import parse_qsl

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import format as fmt
from layouts import ids, shell, summaries
from layouts.components import chart, download_menu, frame_source_line, image_texts, source_line
from layouts.figures import regional as figures
from layouts.labels import text
from layouts.state import LEVELS, ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(
    __name__,
    path_template="/regionaal/<indicator_id>",
    title="Regionaal — Impactmonitor huiselijk geweld en kindermishandeling",
)

PROVISIONAL = ("voorlopig", "nader_voorlopig")
NO_OBSERVATION = ("niet_gepubliceerd", "regio_bestaat_niet")  # reasons for a cell without a published observation
SORT_COLUMNS = ("rank", "name", "value", "rate")
DEFAULT_SORT = ("rank", False)
# Columns sorted high to low on the first click; the others low to high (rank 1 first, names A-Z).
DESCENDING_FIRST = ("value", "rate")


class Choice(NamedTuple):
    """What the regional view shows, after validation against the data (a NamedTuple: Dash loads pages
    without registering the module first, which dataclasses need)."""

    indicator_id: str
    level: str
    period: str
    measure: str
    category: str | None
    lang: str
    region: str | None
    sort: tuple[str, bool] = DEFAULT_SORT


# -- choosing what to show -------------------------------------------------------------------------------------------


def available_levels(availability: pd.DataFrame, indicator_id: str) -> list[str]:
    """The regional levels (VT-regio, provincie, gemeente) with at least one published value, in that order."""
    rows = availability[(availability["indicator_id"] == indicator_id) & (availability["n_published"] > 0)]
    present = set(rows["level"])
    return [level for level in LEVELS if level in present]


def level_periods(store, indicator_id: str, level: str) -> pd.DataFrame:
    """The periods with at least one published value of an indicator at a level, newest first."""
    return store.periods(indicator_id, level, True)


def default_category(store, indicator_id: str, period: str, level: str, categories: pd.DataFrame) -> str | None:
    """The total category when it has a published value here, else the first category that has one."""
    if categories.empty:
        return None
    ordered = pd.concat([categories[categories["is_total"]], categories[~categories["is_total"]]])
    for code in ordered["category_code"]:
        if store.regional_values(indicator_id, period, level, code)["value"].notna().any():
            return code
    return ordered["category_code"].iloc[0]


def indicator_categories(store, indicator: dict) -> pd.DataFrame:
    """The categories of a breakdown indicator (empty for an indicator without a breakdown)."""
    breakdown = indicator.get("breakdown")
    if not isinstance(breakdown, str) or not breakdown:
        return pd.DataFrame(columns=["category_code", "title_nl", "title_en", "is_total"])
    return store.categories(breakdown)


def resolve(store, indicator: dict, levels: list[str], state: ViewState, sort=DEFAULT_SORT) -> tuple[Choice, list]:
    """A valid choice from the visitor's state: each unusable value becomes the default, with a notice."""
    lang = state.lang
    notices: list[str] = []
    indicator_id = indicator["indicator_id"]
    level = state.level
    if level not in levels:
        fallback = levels[0]
        if level != ViewState().level:
            notices.append(
                text("regional_notice_level", lang).format(
                    value=level, level=text(f"regional_level_plural_{fallback}", lang)
                )
            )
        level = fallback
    periods = list(level_periods(store, indicator_id, level)["period_code"])
    period = state.period
    if period not in periods:
        if period is not None:
            notices.append(text("notice_unknown_period", lang).format(value=_shown(period)))
        period = periods[0]
    measure = state.measure
    if measure == "per1000" and not store.has_rate(indicator_id):
        notices.append(text("regional_notice_rate", lang))
        measure = "absoluut"
    categories = indicator_categories(store, indicator)
    category = None
    if not categories.empty:
        if state.category in set(categories["category_code"]):
            category = state.category
        else:
            category = default_category(store, indicator_id, period, level, categories)
            if state.category is not None:
                title = _category_title(categories, category, lang)
                notices.append(
                    text("regional_notice_category", lang).format(value=_shown(state.category), category=title)
                )
    choice = Choice(indicator_id, level, period, measure, category, lang, state.region, sort)
    return choice, notices


def _capitalised(words: str) -> str:
    """'Veilig Thuis-regio's' stays as it is; 'provincies' becomes 'Provincies'."""
    return words[:1].upper() + words[1:]


def _category_title(categories: pd.DataFrame, code: str | None, lang: str) -> str:
    row = categories[categories["category_code"] == code]
    return "" if row.empty else str(row.iloc[0][f"title_{lang}"])


def _shown(value: str) -> str:
    """A visitor's input, shortened and stripped of markup-looking characters, for a message."""
    cleaned = re.sub(r"[<>\"'`]", "", str(value))
    return cleaned[:40] + ("…" if len(cleaned) > 40 else "")


def query_for(choice: Choice, default_category_code: str | None) -> str:
    """The URL query string of a choice (the period always, so a shared link keeps showing the same period)."""
    state = ViewState(
        lang=choice.lang,
        region=choice.region,
        period=choice.period,
        level=choice.level,
        measure=choice.measure,
        category=None if choice.category == default_category_code else choice.category,
    )
    return state.query()


# -- data shaping (pure) ---------------------------------------------------------------------------------------------


def provisional_mark(status: str | None) -> str:
    """'*' for a provisional value, '**' for a revised provisional one (as CBS marks them)."""
    return {"voorlopig": "*", "nader_voorlopig": "**"}.get(status or "", "")


def reason_text(reason: str, lang: str) -> str:
    """'geen gegevens: niet gepubliceerd' for a missing value's reason key."""
    words = text("regional_no_population", lang) if reason == "geen_inwonertal" else fmt.status_note(reason, lang)
    return text("regional_no_data_reason", lang).format(reason=words)


def prepare_values(values: pd.DataFrame, *, measure: str, unit: str, decimals: int, lang: str) -> pd.DataFrame:
    """One row per region with the number shown (count, percentage or rate), its text, the reason when missing,
    and its rank among the published values (1 = highest; ties share a rank)."""
    frame = values.copy()
    frame["name"] = frame[f"name_{lang}"].fillna(frame["region_code"])
    per_1000 = measure == "per1000"
    exists = frame["missing_reason"].ne("regio_bestaat_niet") & frame["value"].notna()
    frame["shown"] = (frame["rate_per_1000"] if per_1000 else frame["value"]).where(exists)
    frame["shown"] = frame["shown"].astype("float64")
    reason = frame["missing_reason"].astype("object")
    reason = reason.where(reason.notna(), frame["value_status"].where(frame["value"].isna()))
    reason = reason.where(reason.notna() | frame["shown"].notna() | ~exists, "geen_inwonertal")
    reason = reason.where(frame["shown"].isna(), None)
    frame["reason"] = reason.where(reason.notna() | frame["shown"].notna(), "niet_gepubliceerd")
    frame["provisional"] = frame["value_status"].isin(PROVISIONAL) & frame["shown"].notna()
    frame["rank"] = frame["shown"].rank(ascending=False, method="min").astype("Int64")
    total = int(frame["shown"].notna().sum())

    def shown_text(row) -> str:
        if pd.isna(row.shown):
            return reason_text(row.reason, lang)
        if per_1000:
            return fmt.rate(row.shown, lang) + provisional_mark(row.value_status)
        return fmt.value_with_status(row.shown, row.value_status, decimals, unit, lang)

    frame["shown_text"] = [shown_text(row) for row in frame.itertuples()]
    frame["bar_text"] = frame["shown_text"]
    frame["rank_text"] = [
        text("regional_hover_rank", lang).format(rank=int(rank), total=total) if not pd.isna(rank) else ""
        for rank in frame["rank"]
    ]
    return frame


def sort_rows(frame: pd.DataFrame, sort: tuple[str, bool]) -> pd.DataFrame:
    """Table order: by a column, regions without a value always last (then by name)."""
    column, descending = sort
    if column == "name":
        return frame.sort_values("name", ascending=not descending, key=lambda names: names.str.lower())
    key = {"rank": "rank", "value": "value", "rate": "rate_per_1000"}[column]
    present = frame[frame["shown"].notna()].sort_values([key, "name"], ascending=[not descending, True])
    absent = frame[frame["shown"].isna()].sort_values("name")
    return pd.concat([present, absent])


def next_sort(current: tuple[str, bool], clicked: str) -> tuple[str, bool]:
    """Clicking the sorted column flips its direction; another column starts in its natural direction."""
    column, descending = current
    if clicked == column:
        return clicked, not descending
    return clicked, clicked in DESCENDING_FIRST


def rank_sentence(frame: pd.DataFrame, region: str | None, region_name: str | None, level: str, lang: str) -> str:
    """'Haaglanden staat op plek 9 van 25' (among published values), or why the region has no rank."""
    if not region:
        return text("regional_rank_hint", lang)
    rows = frame[frame["region_code"] == region]
    name = region_name or region
    if rows.empty:
        return text("regional_rank_other_level", lang).format(
            region=name, level=text(f"regional_level_plural_{level}", lang)
        )
    row = rows.iloc[0]
    if pd.isna(row["shown"]):
        return text("regional_rank_missing", lang).format(
            region=row["name"], reason=reason_text(row["reason"], lang).split(": ", 1)[-1]
        )
    total = int(frame["shown"].notna().sum())
    return text("regional_rank", lang).format(region=row["name"], rank=int(row["rank"]), total=total)


def summary_sentence(frame: pd.DataFrame, level: str, lang: str) -> str:
    """How many regions of the classification have a published value (sparse data said plainly)."""
    existing = frame[frame["missing_reason"].ne("regio_bestaat_niet")]
    published = int(existing["shown"].notna().sum())
    if published == 0:
        return text("regional_summary_none", lang)
    return text("regional_summary", lang).format(
        published=fmt.number(published, 0, lang),
        total=fmt.number(len(existing), 0, lang),
        level=text(f"regional_level_plural_{level}", lang),
    )


def population_note(frame: pd.DataFrame, period_code: str, level: str, lang: str) -> str:
    """Which population year the rates use, and that VT-regio and provincie populations are derived."""
    years = frame["population_year"].dropna()
    if years.empty:
        return ""
    year = int(years.mode().iloc[0])
    note = text("regional_population_note", lang).format(year=year)
    period_year = int(period_code[:4])
    if period_year != year:
        note += text("regional_population_nearest", lang).format(period_year=period_year)
    if frame["population_is_derived"].fillna(False).astype(bool).any():
        note += text("regional_population_derived", lang).format(level=text(f"regional_level_plural_{level}", lang))
    return note


def national_shown(national: pd.DataFrame, choice: Choice) -> tuple[float | None, str | None]:
    """The national value in the shown measure (count, percentage or rate) with its status, or None and the reason
    it is missing."""
    rows = national[national["period_code"] == choice.period]
    if choice.category is None:
        rows = rows[rows["category_code"].isna()]
    else:
        rows = rows[rows["category_code"] == choice.category]
    if rows.empty:
        return None, "niet_gepubliceerd"
    row = rows.iloc[0]
    value = row["rate_per_1000"] if choice.measure == "per1000" else row["value"]
    if pd.isna(value):
        rate_only = choice.measure == "per1000" and not pd.isna(row["value"])
        return None, summaries.NO_POPULATION if rate_only else row["value_status"]
    return float(value), row["value_status"]


def national_reference(national: pd.DataFrame, choice: Choice, unit: str) -> tuple[float | None, float | None]:
    """The national value and, when comparable with regions (a rate or a percentage), the same as reference line."""
    value, _ = national_shown(national, choice)
    if value is None:
        return None, None
    return value, (value if choice.measure == "per1000" or unit != "aantal" else None)


# -- page parts -------------------------------------------------------------------------------------------------------


def _sort_header(label: str, column: str, sort: tuple[str, bool], lang: str) -> html.Th:
    active, descending = sort
    aria = ("descending" if descending else "ascending") if column == active else "none"
    arrow = ("▼" if descending else "▲") if column == active else "↕"
    button = html.Button(
        [label, html.Span(f" {arrow}", **{"aria-hidden": "true"})],
        id={"type": ids.REGIONAL_SORT, "column": column},
        className="regional-sort btn btn-link p-0",
        title=text("regional_sort_by", lang).format(column=label.lower()),
    )
    return html.Th(button, scope="col", **{"aria-sort": aria})


def values_table(frame: pd.DataFrame, choice: Choice, *, has_rate: bool, unit: str, caption: str) -> html.Table:
    """The sortable HTML table with every region of the classification, missing values with their reason."""
    lang = choice.lang
    value_label = text("regional_measure_absolute" if unit == "aantal" else "regional_measure_value", lang)
    header = [
        _sort_header(text("regional_col_rank", lang), "rank", choice.sort, lang),
        _sort_header(text("regional_col_region", lang), "name", choice.sort, lang),
        html.Th(text("regional_col_code", lang), scope="col"),
        _sort_header(value_label, "value", choice.sort, lang),
    ]
    if has_rate:
        header.append(_sort_header(text("regional_measure_per1000", lang), "rate", choice.sort, lang))
        header.append(html.Th(text("regional_col_population", lang), scope="col"))
    body = []
    for row in sort_rows(frame, choice.sort).itertuples():
        missing = pd.isna(row.shown)
        value_shown = (
            reason_text(row.reason, lang)
            if pd.isna(row.value) or row.missing_reason == "regio_bestaat_niet"
            else fmt.value_with_status(row.value, row.value_status, _decimals(frame), unit, lang)
        )
        cells = [
            html.Td("" if pd.isna(row.rank) else str(int(row.rank))),
            html.Th(row.name, scope="row"),
            html.Td(row.region_code),
            html.Td(value_shown, className="text-end" if not pd.isna(row.value) else "no-data"),
        ]
        if has_rate:
            rate = row.rate_per_1000
            if pd.isna(rate) or row.missing_reason == "regio_bestaat_niet":
                rate_text = "–" if pd.isna(row.value) else text("regional_no_population", lang)
            else:
                rate_text = fmt.rate(rate, lang) + provisional_mark(row.value_status)
            # The population is the rate's denominator: shown where CBS published the cell (even when suppressed).
            counted = row.missing_reason not in NO_OBSERVATION and not pd.isna(row.population_count)
            population = fmt.number(row.population_count, 0, lang) if counted else ""
            cells.append(html.Td(rate_text, className="text-end"))
            cells.append(html.Td(population, className="text-end"))
        classes = ["selected-region"] if row.region_code == choice.region else []
        if missing:
            classes.append("missing-region")
        attributes = {"aria-current": "true"} if row.region_code == choice.region else {}
        body.append(html.Tr(cells, className=" ".join(classes), **{"data-region": row.region_code}, **attributes))
    return html.Table(
        [html.Caption(caption), html.Thead(html.Tr(header)), html.Tbody(body)],
        className="table table-sm data-table regional-table",
    )


def _decimals(frame: pd.DataFrame) -> int:
    return int(frame.attrs.get("decimals", 0))


def _sources(frame: pd.DataFrame, indicator: dict, lang: str, fictitious: bool) -> html.P:
    published = frame[frame["shown"].notna() & frame["source_table"].notna()]
    if published.empty:
        tables = [table.strip() for table in str(indicator.get("source_tables") or "").split(",") if table.strip()]
        return source_line(tables, [None] * len(tables), lang, fictitious=fictitious)
    return frame_source_line(published, lang, fictitious=fictitious)


def render(store, indicator: dict, choice: Choice, *, fictitious: bool) -> dict:
    """Everything the page shows for a choice: figures, table, sentences and source lines (layout and callback)."""
    lang = choice.lang
    unit = str(indicator["unit"])
    decimals = int(indicator["decimals"])
    has_rate = store.has_rate(choice.indicator_id)
    values = store.regional_values(choice.indicator_id, choice.period, choice.level, choice.category)
    frame = prepare_values(values, measure=choice.measure, unit=unit, decimals=decimals, lang=lang)
    frame.attrs["decimals"] = decimals
    periods = level_periods(store, choice.indicator_id, choice.level)
    period_row = periods[periods["period_code"] == choice.period].iloc[0]
    period_label = str(period_row[f"label_{lang}"])
    national = store.national_series(choice.indicator_id, str(period_row["period_type"]))
    national_value, reference = national_reference(national, choice, unit)
    per_1000 = choice.measure == "per1000"
    if national_value is None:
        national_text = None
    else:
        shown = (
            fmt.rate(national_value, lang)
            if per_1000
            else fmt.value_with_status(national_value, None, decimals, unit, lang)
        )
        key = "regional_national" if reference is not None else "regional_national_line_absent"
        national_text = text(key, lang).format(value=shown)
    scale_title = text(
        "regional_measure_per1000"
        if per_1000
        else ("regional_measure_absolute" if unit == "aantal" else "regional_measure_value"),
        lang,
    )
    year = int(choice.period[:4])
    geojson = store.boundaries(choice.level, year)
    names = store.region_names()
    match = names[names["region_code"] == choice.region] if choice.region else names.iloc[0:0]
    region_name = None if match.empty else str(match.iloc[0][f"name_{lang}"])
    title = str(indicator[f"title_{lang}"])
    level_plural = text(f"regional_level_plural_{choice.level}", lang)
    category_title = ""
    if choice.category is not None:
        category_title = " — " + _category_title(indicator_categories(store, indicator), choice.category, lang)
    caption = text("regional_table_caption", lang).format(
        indicator=title + category_title, period=period_label, level=text(shell.LEVEL_LABELS[choice.level], lang)
    ) + (f" ({scale_title.lower()})" if per_1000 else "")
    published = int(frame["shown"].notna().sum())
    missing_existing = int((frame["shown"].isna() & frame["missing_reason"].ne("regio_bestaat_niet")).sum())
    bar_notes = []
    if national_text:
        bar_notes.append(national_text)
    if published > figures.MAX_BARS:
        bar_notes.append(
            text("regional_truncated", lang).format(
                top=figures.BARS_AT_EACH_END, bottom=figures.BARS_AT_EACH_END, total=published
            )
        )
    if missing_existing:
        bar_notes.append(text("regional_missing_in_table", lang).format(count=missing_existing))
    if frame["provisional"].any():
        bar_notes.append(text("regional_provisional_note", lang))
    sources = _sources(frame, indicator, lang, fictitious)
    params = {**dict(parse_qsl(query_for(choice, None).lstrip("?"))), "indicator": choice.indicator_id}
    manifest = store.manifest()
    map_image = image_texts(f"{title}{category_title}, {period_label}", sources.children, manifest, lang)
    bar_image = image_texts(caption, sources.children, manifest, lang)
    rank = rank_sentence(frame, choice.region, region_name, choice.level, lang)
    chart_summary = summaries.regional_summary(
        summaries.subject(title + category_title, per_1000, lang),
        period_label,
        frame,
        region=choice.region,
        national=national_shown(national, choice),
        rank=rank if choice.region else None,
        level_words=level_plural,
        unit=unit,
        decimals=decimals,
        per_1000=per_1000,
        lang=lang,
    )
    return {
        "map": figures.map_figure(
            frame, geojson, selected=choice.region, lang=lang, scale_title=scale_title, per_1000=per_1000
        ),
        "bar": figures.ranked_bar(
            frame,
            selected=choice.region,
            lang=lang,
            national=reference,
            national_label=national_text if reference is not None else None,
            axis_title=scale_title,
            per_1000=per_1000,
        ),
        "table": [
            values_table(frame, choice, has_rate=has_rate, unit=unit, caption=caption),
            download_menu("regionaal", params, lang),
        ],
        "rank": rank,
        "chart_summary": chart_summary,
        "summary": summary_sentence(frame, choice.level, lang),
        "population": population_note(frame, choice.period, choice.level, lang) if per_1000 else "",
        "map_source": [
            sources,
            html.P(geojson.get("attribution", ""), className="source-line small text-muted"),
            download_menu("regionaal", params, lang, map_image, data=False),
        ],
        "bar_source": [
            html.Ul([html.Li(note) for note in bar_notes], className="small list-unstyled mb-1"),
            sources,
            download_menu("regionaal", params, lang, bar_image, data=False),
        ],
        "published": published,
        "map_alt": text("regional_map_alt", lang).format(level=level_plural, period=period_label),
        "bar_alt": text("regional_bar_alt", lang).format(level=level_plural, period=period_label),
    }


def period_options(periods: pd.DataFrame, lang: str) -> list[dict]:
    return [{"label": str(row[f"label_{lang}"]), "value": row["period_code"]} for _, row in periods.iterrows()]


def controls(store, indicator: dict, levels: list[str], choice: Choice) -> html.Section:
    """Level, period, measure and (for breakdowns) category, each with a visible label."""
    lang = choice.lang
    categories = indicator_categories(store, indicator)
    measure_options = [
        {
            "label": text(
                "regional_measure_absolute" if indicator["unit"] == "aantal" else "regional_measure_value", lang
            ),
            "value": "absoluut",
        }
    ]
    if store.has_rate(choice.indicator_id):
        measure_options.append({"label": text("regional_measure_per1000", lang), "value": "per1000"})
    category_options = [
        {"label": str(row[f"title_{lang}"]), "value": row["category_code"]} for _, row in categories.iterrows()
    ]

    def field(label_key: str, control, control_id: str, hidden: bool = False) -> html.Div:
        return html.Div(
            [dbc.Label(text(label_key, lang), html_for=control_id, className="fw-semibold mb-1"), control],
            className="regional-control",
            hidden=hidden,
        )

    return html.Section(
        [
            html.H2(text("regional_controls", lang), className="visually-hidden"),
            field(
                "regional_level_label",
                dbc.Select(
                    id=ids.REGIONAL_LEVEL,
                    options=[
                        {"label": _capitalised(text(f"regional_level_plural_{level}", lang)), "value": level}
                        for level in levels
                    ],
                    value=choice.level,
                ),
                ids.REGIONAL_LEVEL,
            ),
            field(
                "regional_period_label",
                dbc.Select(
                    id=ids.REGIONAL_PERIOD,
                    options=period_options(level_periods(store, choice.indicator_id, choice.level), lang),
                    value=choice.period,
                ),
                ids.REGIONAL_PERIOD,
            ),
            html.Fieldset(
                [
                    html.Legend(text("regional_measure_label", lang), className="fw-semibold mb-1 fs-6"),
                    dbc.RadioItems(id=ids.REGIONAL_MEASURE, options=measure_options, value=choice.measure, inline=True),
                ],
                className="regional-control",
            ),
            field(
                "regional_category_label",
                dbc.Select(id=ids.REGIONAL_CATEGORY, options=category_options, value=choice.category or ""),
                ids.REGIONAL_CATEGORY,
                hidden=categories.empty,
            ),
        ],
        className="regional-controls",
        **{"aria-label": text("regional_controls", lang)},
    )


def body(store, indicator: dict, levels: list[str], choice: Choice, default_category_code: str | None) -> list:
    lang = choice.lang
    parts = render(store, indicator, choice, fictitious=shell.is_demo(store.manifest()))
    title = str(indicator[f"title_{lang}"])
    context = {
        "indicator": choice.indicator_id,
        "lang": lang,
        "region": choice.region,
        "sort": list(choice.sort),
        "default_category": default_category_code,
    }
    return [
        html.H1(text("regional_title", lang).format(indicator=title)),
        html.P(text("regional_intro", lang), className="lead"),
        controls(store, indicator, levels, choice),
        html.P(parts["rank"], id=ids.REGIONAL_RANK, className="regional-rank", **{"aria-live": "polite"}),
        html.P(parts["summary"], id=ids.REGIONAL_SUMMARY, className="regional-summary"),
        html.P(parts["population"], id=ids.REGIONAL_POPULATION_NOTE, className="small"),
        html.P(parts["chart_summary"], id=ids.REGIONAL_CHART_SUMMARY, className="chart-summary"),
        dbc.Row(
            [
                dbc.Col(
                    html.Section(
                        [
                            html.H2(text("regional_map_title", lang), className="h5"),
                            html.Div(
                                chart(parts["map"], ids.REGIONAL_MAP, title),
                                **{
                                    "aria-label": parts["map_alt"],
                                    "aria-describedby": f"{ids.REGIONAL_CHART_SUMMARY} {ids.REGIONAL_MAP_LIST}",
                                    "role": "figure",
                                },
                            ),
                            html.P(
                                [
                                    text("summary_map_list", lang),
                                    html.A(text("summary_map_list_link", lang), href=f"#{ids.REGIONAL_TABLE}"),
                                ],
                                id=ids.REGIONAL_MAP_LIST,
                                className="small map-list",
                            ),
                            html.Div(parts["map_source"], id=ids.REGIONAL_MAP_SOURCE),
                        ]
                    ),
                    lg=6,
                ),
                dbc.Col(
                    html.Section(
                        [
                            html.H2(text("regional_bar_title", lang), className="h5"),
                            html.Div(
                                chart(parts["bar"], ids.REGIONAL_BAR, title),
                                **{
                                    "aria-label": parts["bar_alt"],
                                    "aria-describedby": ids.REGIONAL_CHART_SUMMARY,
                                    "role": "figure",
                                },
                                className="regional-bar-wrap",
                            ),
                            html.Div(parts["bar_source"], id=ids.REGIONAL_BAR_SOURCE),
                        ]
                    ),
                    lg=6,
                ),
            ]
        ),
        html.Section(
            [
                html.H2(text("regional_table_title", lang), className="h5"),
                html.Div(parts["table"], id=ids.REGIONAL_TABLE, className="table-responsive"),
            ]
        ),
        dcc.Store(id=ids.REGIONAL_CONTEXT, data=context),
        dcc.Store(id=ids.REGIONAL_SEARCH),
    ]


def _message_page(store, state: ViewState, path: str, heading: str, message: str, link: tuple[str, str]) -> html.Div:
    """A friendly page for an unknown indicator or one without regional figures (HTTP 200, no traceback)."""
    lang = state.lang
    content = [
        html.H1(heading),
        html.P(message, className="alert alert-info", role="status"),
        html.P(html.A(text(link[0], lang), href=state.href(link[1]))),
    ]
    return shell.page(content, store.manifest(), state, path, store.region_names())


def layout(indicator_id: str | None = None, **query) -> html.Div:
    path = f"/regionaal/{indicator_id or ''}"
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        indicators = store.indicators()
        rows = indicators[indicators["indicator_id"] == indicator_id]
        if rows.empty:
            message = text("regional_unknown_indicator", state.lang).format(value=_shown(indicator_id or ""))
            heading = text("regional_not_found_title", state.lang)
            return _message_page(store, state, path, heading, message, ("regional_to_overview", "/"))
        indicator = rows.iloc[0].to_dict()
        levels = available_levels(store.availability(), indicator_id)
        if not levels:
            title = text("regional_title", state.lang).format(indicator=indicator[f"title_{state.lang}"])
            message = text("regional_no_regional_data", state.lang)
            link = ("regional_to_national", f"/landelijk/{indicator_id}")
            return _message_page(store, state, path, title, message, link)
        choice, extra = resolve(store, indicator, levels, state)
        state = replace(state, notices=state.notices + tuple(extra))
        categories = indicator_categories(store, indicator)
        default_code = None
        if not categories.empty:
            default_code = default_category(store, indicator_id, choice.period, choice.level, categories)
        return shell.page(
            body(store, indicator, levels, choice, default_code), store.manifest(), state, path, store.region_names()
        )
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        content = [
            html.H1(text("product_name", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(content, None, state, path)
