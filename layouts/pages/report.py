"""Printable region report `/regio/<code>/rapport`: an A4 profile of every indicator vs NL, trends vs NL,
definitions, sources and notes, and the data version the numbers come from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import quote

import dash
import pandas as pd
from dash import html

from layouts import ids, shell
from layouts import report as builders
from layouts.figures.profile import NATIONAL_CODE
from layouts.labels import text
from layouts.pages import profile
from layouts.state import ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(
    __name__,
    path_template="/regio/<region_code>/rapport",
    path="/regio/VT09/rapport",
    title="Regiorapport — Impactmonitor huiselijk geweld en kindermishandeling",
    order=0,  # matched before the profile, whose template /regio/<region_code> also matches /regio/X/rapport
)

SOURCE_COLUMNS = ["indicator_id", "source_table", "source_snapshot"]


def trend_cards(store, code: str, rows: pd.DataFrame, state: ViewState) -> tuple[list, list[str], list[pd.DataFrame]]:
    """A static trend card per indicator of the table that has a trend; the titles of those without one; and the
    sources of the numbers drawn."""
    lang = state.lang
    catalog = store.indicators().set_index("indicator_id")
    names = profile.region_names(store, lang)
    codes = tuple(dict.fromkeys([code, NATIONAL_CODE]))
    cards, without, sources = [], [], []
    demo = shell.is_demo(store.manifest())
    for indicator_id in rows["indicator_id"]:
        indicator = {"indicator_id": indicator_id, **catalog.loc[indicator_id].to_dict()}
        series = profile.series_with_fallback(store, indicator, codes, code, state.period_type)
        per_1000 = store.has_rate(indicator_id)
        card = builders.trend_card(series, indicator, code, names, lang, per_1000=per_1000, demo=demo)
        if card is None:
            without.append(indicator["title_en" if lang == "en" else "title_nl"])
            continue
        cards.append(card)
        sources.append(series.assign(indicator_id=indicator_id)[SOURCE_COLUMNS])
    return cards, without, sources


def report_body(store, code: str, state: ViewState, today: date) -> html.Article:
    """The whole report for a known region: header, table vs NL, trends, definitions, sources and notes."""
    lang = state.lang
    manifest = store.manifest()
    demo = shell.is_demo(manifest)
    region = store.region_names().set_index("region_code").loc[code]
    name = region["name_en" if lang == "en" else "name_nl"]
    level = text(shell.LEVEL_LABELS.get(region["level"], "level_gemeente"), lang)
    parts = [
        builders.report_actions(code, state),
        builders.report_header(name, level, code, manifest, today, lang),
    ]
    table = profile.profile_table(store, code, name, state)
    rows = profile.latest_rows(store.region_profile(code), state.period_type)
    sources = pd.DataFrame(columns=SOURCE_COLUMNS)
    population_years: list[int] = []
    catalog = store.indicators().set_index("indicator_id")
    if table:
        # the table's own rows: indicators without a breakdown (breakdowns are listed there as links)
        plain = rows[catalog.loc[rows["indicator_id"], "breakdown"].isna().to_numpy()]
        cards, without, drawn = trend_cards(store, code, plain, state)
        shown = catalog.loc[rows["indicator_id"]].reset_index()
        rates = {indicator_id for indicator_id in shown["indicator_id"] if store.has_rate(indicator_id)}
        sources = pd.concat([rows[SOURCE_COLUMNS], *drawn])
        with_rate = rows[rows["rate_per_1000"].notna()]
        population_years = sorted({int(year) for year in with_rate["population_year"].dropna()})
        parts += [
            html.Section(table, className="report-section report-table"),
            builders.trends_section(cards, without, code, name, lang),
            builders.definitions_section(shown, rates, lang, demo=demo),
        ]
    else:
        no_data = text("profile_no_data", lang).format(name=name)
        parts.append(html.P(no_data, className="alert alert-info", role="status"))
    own = set(catalog.index[catalog["source_kind"] == builders.OWN_REGISTRATION])
    parts.append(builders.sources_section(sources, own, population_years, manifest, state))
    running = builders.running_header(name, code, manifest, lang)
    return html.Article(builders.report_frame(running, parts), className="report", id=ids.REPORT)


def layout(region_code: str | None = None, **query) -> html.Div:
    path = f"/regio/{quote(str(region_code or ''), safe='')}/rapport"
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        code = (region_code or "").strip().upper()
        if code not in store.known_regions():
            body = profile.not_found(store, profile.shown_code(region_code), state)
            return shell.page(body, store.manifest(), state, path, store.region_names())
        state = replace(state, region=code)
        body = [report_body(store, code, state, date.today())]
        return shell.page(body, store.manifest(), state, builders.report_path(code), store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        body = [
            html.H1(text("report_page_title", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(body, None, state, path)
