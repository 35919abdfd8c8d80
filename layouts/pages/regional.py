"""Regional view `/regionaal/<indicator>`: one period and level as a map, a ranked bar and a sortable table."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import parse_qsl

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import format as fmt
from layouts import ids, shell, summaries
from layouts.components import chart, download_menu, image_texts, source_line
from layouts.figures import regional as figures
from layouts.labels import text
from layouts.state import LEVELS, ViewState, parse_state
from store import runtime
from store.boundaries import boundaries_codes, boundaries_url
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


# Lookups that depend only on the build, never on the visitor's choice: computed once per build (keyed by its id).
_PER_BUILD: dict[tuple, object] = {}
PER_BUILD_LIMIT = 512


def _per_build(store, key: tuple, load: Callable[[], object]):
    """`load()` once per build and key (like the store's own metadata, kept when its query results are cleared);
    the callback looks these up on every action, and filtering DataFrames for them cost more than the rest."""
    full_key = (store.build_id, *key)
    value = _PER_BUILD.get(full_key)
    if value is None:
        if len(_PER_BUILD) >= PER_BUILD_LIMIT:
            _PER_BUILD.clear()
        value = _PER_BUILD[full_key] = load()
    return value


def indicator_record(store, indicator_id: str) -> dict | None:
    """The catalog row of an indicator (a fresh dict), or None for an unknown one."""
    records = _per_build(
        store, ("indicators",), lambda: {row["indicator_id"]: row for row in store.indicators().to_dict("records")}
    )
    found = records.get(indicator_id)
    return None if found is None else dict(found)


def regional_levels(store, indicator_id: str) -> list[str]:
    """available_levels of an indicator in the current build."""
    return list(
        _per_build(store, ("levels", indicator_id), lambda: available_levels(store.availability(), indicator_id))
    )


def period_rows(store, indicator_id: str, level: str) -> dict[str, dict]:
    """level_periods as {period code: its row (labels, period type)}, newest first."""
    return _per_build(
        store,
        ("periods", indicator_id, level),
        lambda: {row["period_code"]: row for row in level_periods(store, indicator_id, level).to_dict("records")},
    )


def region_name(store, region_code: str, lang: str) -> str | None:
    """A region's latest name (any level), or None for an unknown code."""
    names = _per_build(
        store, ("region_names",), lambda: {row["region_code"]: row for row in store.region_names().to_dict("records")}
    )
    found = names.get(region_code)
    return None if found is None else str(found[f"name_{lang}"])


def default_category(store, indicator_id: str, period: str, level: str, categories: pd.DataFrame) -> str | None:
    """The total category when it has a published value here, else the first category that has one."""
    if categories.empty:
        return None
    pairs = list(zip(categories["category_code"], categories["is_total"], strict=True))
    ordered = [code for code, total in pairs if total] + [code for code, total in pairs if not total]
    for code in ordered:
        if any(record["value"] is not None for record in store.regional_records(indicator_id, period, level, code)):
            return code
    return ordered[0]


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
    periods = list(period_rows(store, indicator_id, level))
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


# -- data shaping (pure, plain Python over the store's records: per-row pandas is what made this page slow) ---------


def provisional_mark(status: str | None) -> str:
    """'*' for a provisional value, '**' for a revised provisional one (as CBS marks them)."""
    return {"voorlopig": "*", "nader_voorlopig": "**"}.get(status or "", "")


def reason_text(reason: str, lang: str) -> str:
    """'geen gegevens: niet gepubliceerd' for a missing value's reason key."""
    words = text("regional_no_population", lang) if reason == "geen_inwonertal" else fmt.status_note(reason, lang)
    return text("regional_no_data_reason", lang).format(reason=words)


def _missing_reason(record: dict, shown: float | None) -> str | None:
    """Why a region has no number shown: the cell's reason or status, or no population for a rate."""
    if shown is not None:
        return None
    if record["missing_reason"] is not None:
        return record["missing_reason"]
    if record["value"] is None:
        return record["value_status"] or "niet_gepubliceerd"
    return "geen_inwonertal"


def prepare_rows(records, *, measure: str, unit: str, decimals: int, lang: str) -> list[dict]:
    """One row per region (the store's record, see Store.regional_records) with the name, the number shown (count,
    percentage or rate), its text, the reason when missing, and its rank among the published values (1 = highest;
    ties share a rank)."""
    per_1000 = measure == "per1000"
    name_key = f"name_{lang}"
    rows = []
    for record in records:
        exists = record["missing_reason"] != "regio_bestaat_niet" and record["value"] is not None
        shown = (record["rate_per_1000"] if per_1000 else record["value"]) if exists else None
        rows.append(
            {
                **record,
                "name": record[name_key] or record["region_code"],
                "shown": None if shown is None else float(shown),
                "reason": _missing_reason(record, shown),
                "provisional": shown is not None and record["value_status"] in PROVISIONAL,
            }
        )
    published = sorted((row["shown"] for row in rows if row["shown"] is not None), reverse=True)
    ranks: dict[float, int] = {}
    for position, shown in enumerate(published, start=1):
        ranks.setdefault(shown, position)
    rank_template = text("regional_hover_rank", lang)
    for row in rows:
        shown = row["shown"]
        if shown is None:
            row.update(rank=None, shown_text=reason_text(row["reason"], lang), rank_text="")
            continue
        if per_1000:
            shown_text = fmt.rate(shown, lang) + provisional_mark(row["value_status"])
        else:
            shown_text = fmt.value_with_status(shown, row["value_status"], decimals, unit, lang)
        rank = ranks[shown]
        row.update(rank=rank, shown_text=shown_text, rank_text=rank_template.format(rank=rank, total=len(published)))
    return rows


def published_rows(rows: list[dict]) -> list[dict]:
    """The rows with a number shown."""
    return [row for row in rows if row["shown"] is not None]


def sort_rows(rows: list[dict], sort: tuple[str, bool]) -> list[dict]:
    """Table order: by a column, regions without a value always last (then by name)."""
    column, descending = sort
    if column == "name":
        return sorted(rows, key=lambda row: row["name"].lower(), reverse=descending)
    key = {"rank": "rank", "value": "value", "rate": "rate_per_1000"}[column]
    by_name = sorted(rows, key=lambda row: row["name"])
    keyed = [row for row in by_name if row["shown"] is not None and row[key] is not None]
    rest = [row for row in by_name if row["shown"] is not None and row[key] is None]
    absent = [row for row in by_name if row["shown"] is None]
    # A stable sort keeps equal values in name order, also when descending (sorted's reverse keeps ties' order).
    return sorted(keyed, key=lambda row: row[key], reverse=descending) + rest + absent


def next_sort(current: tuple[str, bool], clicked: str) -> tuple[str, bool]:
    """Clicking the sorted column flips its direction; another column starts in its natural direction."""
    column, descending = current
    if clicked == column:
        return clicked, not descending
    return clicked, clicked in DESCENDING_FIRST


def _row_of(rows: list[dict], region: str | None) -> dict | None:
    return next((row for row in rows if row["region_code"] == region), None) if region else None


def rank_sentence(rows: list[dict], region: str | None, region_name: str | None, level: str, lang: str) -> str:
    """'Haaglanden staat op plek 9 van 25' (among published values), or why the region has no rank."""
    if not region:
        return text("regional_rank_hint", lang)
    row = _row_of(rows, region)
    if row is None:
        return text("regional_rank_other_level", lang).format(
            region=region_name or region, level=text(f"regional_level_plural_{level}", lang)
        )
    if row["shown"] is None:
        return text("regional_rank_missing", lang).format(
            region=row["name"], reason=reason_text(row["reason"], lang).split(": ", 1)[-1]
        )
    total = len(published_rows(rows))
    return text("regional_rank", lang).format(region=row["name"], rank=row["rank"], total=total)


def summary_sentence(rows: list[dict], level: str, lang: str) -> str:
    """How many regions of the classification have a published value (sparse data said plainly)."""
    existing = [row for row in rows if row["missing_reason"] != "regio_bestaat_niet"]
    published = len(published_rows(existing))
    if published == 0:
        return text("regional_summary_none", lang)
    return text("regional_summary", lang).format(
        published=fmt.number(published, 0, lang),
        total=fmt.number(len(existing), 0, lang),
        level=text(f"regional_level_plural_{level}", lang),
    )


def population_note(rows: list[dict], period_code: str, level: str, lang: str) -> str:
    """Which population year the rates use, and that VT-regio and provincie populations are derived."""
    years = Counter(row["population_year"] for row in rows if row["population_year"] is not None)
    if not years:
        return ""
    most = max(years.values())
    year = int(min(found for found, count in years.items() if count == most))
    note = text("regional_population_note", lang).format(year=year)
    period_year = int(period_code[:4])
    if period_year != year:
        note += text("regional_population_nearest", lang).format(period_year=period_year)
    if any(row["population_is_derived"] for row in rows):
        note += text("regional_population_derived", lang).format(level=text(f"regional_level_plural_{level}", lang))
    return note


def national_records(store, indicator_id: str, period_type: str) -> dict[tuple, dict]:
    """The Netherlands' values of an indicator as {(period code, category code or None): record} (first record of
    each; a missing value is None)."""

    def load() -> dict[tuple, dict]:
        frame = store.national_series(indicator_id, period_type).astype(object)
        index: dict[tuple, dict] = {}
        for record in frame.where(frame.notna(), None).to_dict("records"):
            index.setdefault((record["period_code"], record["category_code"]), record)
        return index

    return _per_build(store, ("national", indicator_id, period_type), load)


def national_shown(national: dict[tuple, dict], choice: Choice) -> tuple[float | None, str | None]:
    """The national value in the shown measure (count, percentage or rate) with its status, or None and the reason
    it is missing; `national` as national_records gives it."""
    row = national.get((choice.period, choice.category))
    if row is None:
        return None, "niet_gepubliceerd"
    value = row["rate_per_1000"] if choice.measure == "per1000" else row["value"]
    if value is None:
        rate_only = choice.measure == "per1000" and row["value"] is not None
        return None, summaries.NO_POPULATION if rate_only else row["value_status"]
    return float(value), row["value_status"]


def national_reference(shown: tuple[float | None, str | None], choice: Choice, unit: str) -> float | None:
    """The national value as reference line, when comparable with the regions' values (a rate or a percentage)."""
    value, _ = shown
    return value if value is not None and (choice.measure == "per1000" or unit != "aantal") else None


# -- page parts -------------------------------------------------------------------------------------------------------


class Prepared(NamedTuple):
    """What every part of the regional view is made of, computed once per render."""

    choice: Choice
    rows: list[dict]
    unit: str
    decimals: int
    has_rate: bool
    title: str  # the indicator's title, with the category for a breakdown
    period_label: str
    period_type: str
    scale_title: str
    caption: str

    @property
    def per_1000(self) -> bool:
        return self.choice.measure == "per1000"


def prepare(store, indicator: dict, choice: Choice) -> Prepared:
    """The prepared rows of a choice and the labels its parts share."""
    lang = choice.lang
    unit, decimals = str(indicator["unit"]), int(indicator["decimals"])
    records = store.regional_records(choice.indicator_id, choice.period, choice.level, choice.category)
    rows = prepare_rows(records, measure=choice.measure, unit=unit, decimals=decimals, lang=lang)
    period_row = period_rows(store, choice.indicator_id, choice.level)[choice.period]
    period_label = str(period_row[f"label_{lang}"])
    title = str(indicator[f"title_{lang}"])
    if choice.category is not None:
        title += " — " + _category_title(indicator_categories(store, indicator), choice.category, lang)
    per_1000 = choice.measure == "per1000"
    scale_title = text(
        "regional_measure_per1000"
        if per_1000
        else ("regional_measure_absolute" if unit == "aantal" else "regional_measure_value"),
        lang,
    )
    caption = text("regional_table_caption", lang).format(
        indicator=title, period=period_label, level=text(shell.LEVEL_LABELS[choice.level], lang)
    ) + (f" ({scale_title.lower()})" if per_1000 else "")
    has_rate = store.has_rate(choice.indicator_id)
    return Prepared(
        choice,
        rows,
        unit,
        decimals,
        has_rate,
        title,
        period_label,
        str(period_row["period_type"]),
        scale_title,
        caption,
    )


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


class SentComponent(dict):
    """An html component in the form Dash sends it ({props, type, namespace}: what to_plotly_json gives), built
    without Dash's per-component prop checks and encoded by json's C code without the per-component hook: a gemeente
    table has ~2,500 cells, and those two steps were most of the callback's time. Like a component it has
    `children` and `to_plotly_json`, so code walking a layout treats it as one."""

    __slots__ = ()

    @property
    def children(self):
        return self["props"].get("children")

    def to_plotly_json(self) -> dict:
        return self


def _html(tag: str, props: dict) -> SentComponent:
    return SentComponent(props=props, type=tag, namespace="dash_html_components")


def _cell(tag: str, children: str, class_name: str | None = None) -> SentComponent:
    """A table cell: html.Td(children, className=class_name) as Dash sends it."""
    return _html(tag, {"children": children} if class_name is None else {"children": children, "className": class_name})


def _table_row(row: dict, prepared: Prepared, no_population: str) -> SentComponent:
    """One region's table row (see values_table), as Dash sends an html.Tr."""
    lang, region = prepared.choice.lang, prepared.choice.region
    value, status, missing_reason = row["value"], row["value_status"], row["missing_reason"]
    gone = missing_reason == "regio_bestaat_niet"
    # The text prepared for the measure shown is this column's text too (the reason, or the count or percentage).
    if value is None or gone or not prepared.per_1000:
        value_shown = row["shown_text"]
    else:
        value_shown = fmt.value_with_status(value, status, prepared.decimals, prepared.unit, lang)
    cells = [
        _cell("Td", "" if row["rank"] is None else str(row["rank"])),
        _html("Th", {"children": row["name"], "scope": "row"}),
        _cell("Td", row["region_code"]),
        _cell("Td", value_shown, "text-end" if value is not None else "no-data"),
    ]
    if prepared.has_rate:
        rate = row["rate_per_1000"]
        if rate is None or gone:
            rate_text = "–" if value is None else no_population
        elif prepared.per_1000:
            rate_text = row["shown_text"]
        else:
            rate_text = fmt.rate(rate, lang) + provisional_mark(status)
        # The population is the rate's denominator: shown where CBS published the cell (even when suppressed).
        counted = missing_reason not in NO_OBSERVATION and row["population_count"] is not None
        population = fmt.number(row["population_count"], 0, lang) if counted else ""
        cells.append(_cell("Td", rate_text, "text-end"))
        cells.append(_cell("Td", population, "text-end"))
    selected = row["region_code"] == region
    classes = ["selected-region"] if selected else []
    if row["shown"] is None:
        classes.append("missing-region")
    props = {"children": cells, "className": " ".join(classes), "data-region": row["region_code"]}
    if selected:
        props["aria-current"] = "true"
    return _html("Tr", props)


def values_table(prepared: Prepared) -> html.Table:
    """The sortable HTML table with every region of the classification, missing values with their reason."""
    choice, lang = prepared.choice, prepared.choice.lang
    value_label = text("regional_measure_absolute" if prepared.unit == "aantal" else "regional_measure_value", lang)
    header = [
        _sort_header(text("regional_col_rank", lang), "rank", choice.sort, lang),
        _sort_header(text("regional_col_region", lang), "name", choice.sort, lang),
        html.Th(text("regional_col_code", lang), scope="col"),
        _sort_header(value_label, "value", choice.sort, lang),
    ]
    if prepared.has_rate:
        header.append(_sort_header(text("regional_measure_per1000", lang), "rate", choice.sort, lang))
        header.append(html.Th(text("regional_col_population", lang), scope="col"))
    no_population = text("regional_no_population", lang)
    body = [_table_row(row, prepared, no_population) for row in sort_rows(prepared.rows, choice.sort)]
    return html.Table(
        [html.Caption(prepared.caption), html.Thead(html.Tr(header)), html.Tbody(body)],
        className="table table-sm data-table regional-table",
    )


def _download_params(choice: Choice) -> dict:
    return {**dict(parse_qsl(query_for(choice, None).lstrip("?"))), "indicator": choice.indicator_id}


def table_part(prepared: Prepared) -> list:
    """The table and its data download menu (all a sort changes)."""
    return [values_table(prepared), download_menu("regionaal", _download_params(prepared.choice), prepared.choice.lang)]


def _sources(rows: list[dict], indicator: dict, lang: str, fictitious: bool) -> html.P:
    """The source line of the published values (distinct table and snapshot pairs, in order of appearance)."""
    pairs = dict.fromkeys(
        (row["source_table"], None if row["source_snapshot"] is None else str(row["source_snapshot"]))
        for row in published_rows(rows)
        if row["source_table"] is not None
    )
    if not pairs:
        tables = [table.strip() for table in str(indicator.get("source_tables") or "").split(",") if table.strip()]
        return source_line(tables, [None] * len(tables), lang, fictitious=fictitious)
    return source_line([table for table, _ in pairs], [snapshot for _, snapshot in pairs], lang, fictitious=fictitious)


def _summary_frame(rows: list[dict], region: str | None) -> pd.DataFrame:
    """The columns summaries.regional_summary reads: only the chosen region's row when it has one (then the summary
    reads no other), else every row (it names the highest and lowest)."""
    row = _row_of(rows, region)
    chosen = [row] if row is not None else rows
    return pd.DataFrame(
        {
            "region_code": [found["region_code"] for found in chosen],
            "name": [found["name"] for found in chosen],
            "shown": [math.nan if found["shown"] is None else found["shown"] for found in chosen],
            "value_status": [found["value_status"] for found in chosen],
            "reason": [found["reason"] for found in chosen],
        }
    )


def ranking_parts(store, prepared: Prepared) -> dict:
    """The rank sentence, the chart summary and the national value (what a clicked region changes, with the table)."""
    choice, lang = prepared.choice, prepared.choice.lang
    national = national_shown(national_records(store, choice.indicator_id, prepared.period_type), choice)
    other_level = choice.region and _row_of(prepared.rows, choice.region) is None
    name = region_name(store, choice.region, lang) if other_level else None
    rank = rank_sentence(prepared.rows, choice.region, name, choice.level, lang)
    chart_summary = summaries.regional_summary(
        summaries.subject(prepared.title, prepared.per_1000, lang),
        prepared.period_label,
        _summary_frame(prepared.rows, choice.region),
        region=choice.region,
        national=national,
        rank=rank if choice.region else None,
        level_words=text(f"regional_level_plural_{choice.level}", lang),
        unit=prepared.unit,
        decimals=prepared.decimals,
        per_1000=prepared.per_1000,
        lang=lang,
    )
    return {"rank": rank, "chart_summary": chart_summary, "national": national}


def _national_text(prepared: Prepared, national: tuple[float | None, str | None]) -> str | None:
    """'Nederland: 7,4' for the bar chart's reference line or notes; None without a national value."""
    value, _ = national
    if value is None:
        return None
    lang = prepared.choice.lang
    if prepared.per_1000:
        shown = fmt.rate(value, lang)
    else:
        shown = fmt.value_with_status(value, None, prepared.decimals, prepared.unit, lang)
    reference = national_reference(national, prepared.choice, prepared.unit)
    key = "regional_national" if reference is not None else "regional_national_line_absent"
    return text(key, lang).format(value=shown)


def bar_figure(prepared: Prepared, national: tuple[float | None, str | None]) -> dict:
    """The ranked bar with the national reference line where comparable."""
    reference = national_reference(national, prepared.choice, prepared.unit)
    return figures.ranked_bar(
        prepared.rows,
        selected=prepared.choice.region,
        lang=prepared.choice.lang,
        national=reference,
        national_label=_national_text(prepared, national) if reference is not None else None,
        axis_title=prepared.scale_title,
        per_1000=prepared.per_1000,
    )


def render(store, indicator: dict, choice: Choice, *, fictitious: bool) -> dict:
    """Everything the page shows for a choice: figures, table, sentences and source lines (layout and callback)."""
    lang = choice.lang
    prepared = prepare(store, indicator, choice)
    rows = prepared.rows
    ranking = ranking_parts(store, prepared)
    national_text = _national_text(prepared, ranking["national"])
    year = int(choice.period[:4])
    level_plural = text(f"regional_level_plural_{choice.level}", lang)
    published = len(published_rows(rows))
    missing_existing = sum(1 for row in rows if row["shown"] is None and row["missing_reason"] != "regio_bestaat_niet")
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
    if any(row["provisional"] for row in rows):
        bar_notes.append(text("regional_provisional_note", lang))
    sources = _sources(rows, indicator, lang, fictitious)
    params = _download_params(choice)
    manifest = store.manifest()
    map_image = image_texts(f"{prepared.title}, {prepared.period_label}", sources.children, manifest, lang)
    bar_image = image_texts(prepared.caption, sources.children, manifest, lang)
    return {
        "map": figures.map_figure(
            rows,
            boundaries_url(store, choice.level, year),
            boundaries_codes(store, choice.level, year),
            selected=choice.region,
            lang=lang,
            scale_title=prepared.scale_title,
            per_1000=prepared.per_1000,
        ),
        "bar": bar_figure(prepared, ranking["national"]),
        "table": table_part(prepared),
        "rank": ranking["rank"],
        "chart_summary": ranking["chart_summary"],
        "summary": summary_sentence(rows, choice.level, lang),
        "population": population_note(rows, choice.period, choice.level, lang) if prepared.per_1000 else "",
        "map_source": [
            sources,
            html.P(
                store.boundaries(choice.level, year).get("attribution", ""), className="source-line small text-muted"
            ),
            download_menu("regionaal", params, lang, map_image, data=False),
        ],
        "bar_source": [
            html.Ul([html.Li(note) for note in bar_notes], className="small list-unstyled mb-1"),
            sources,
            download_menu("regionaal", params, lang, bar_image, data=False),
        ],
        "published": published,
        "map_alt": text("regional_map_alt", lang).format(level=level_plural, period=prepared.period_label),
        "bar_alt": text("regional_bar_alt", lang).format(level=level_plural, period=prepared.period_label),
    }


def period_options(store, indicator_id: str, level: str, lang: str) -> list[dict]:
    """The period dropdown's options at a level, newest first."""
    return [
        {"label": str(row[f"label_{lang}"]), "value": code}
        for code, row in period_rows(store, indicator_id, level).items()
    ]


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
                    options=period_options(store, choice.indicator_id, choice.level, lang),
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
