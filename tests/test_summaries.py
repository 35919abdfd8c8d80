"""Generated chart summaries and table twins: sentences checked against the warehouse, and in real Chromium."""

from __future__ import annotations

import re
import sys
from dataclasses import replace

import pandas as pd
import pytest
from playwright.sync_api import expect

from layouts import format as fmt
from layouts import ids, national, summaries
from layouts.figures import trend
from layouts.labels import text
from layouts.state import ViewState
from store import runtime
from store.queries import Store
from tests.browser import open_page

NL = "NL01"


@pytest.fixture(scope="module")
def pages():
    """The page modules as Dash loads them (register_page needs an app)."""
    from app import create_app

    create_app()
    return {name: sys.modules[f"layouts.pages.{name}"] for name in ("regional", "profile", "compare")}


@pytest.fixture(scope="module")
def cbs(cbs_warehouse) -> Store:
    return Store(cbs_warehouse)


@pytest.fixture(scope="module")
def demo(demo_warehouse) -> Store:
    return Store(demo_warehouse)


def _walk(node):
    """Every component of a Dash tree."""
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk(child)
    elif node is not None and not isinstance(node, (str, int, float)):
        yield node
        yield from _walk(getattr(node, "children", None))


def _by_id(tree, component_id) -> list:
    return [node for node in _walk(tree) if getattr(node, "id", None) == component_id]


def _described(tree, summary_id: str) -> list:
    """The components whose aria-describedby names `summary_id`."""
    return [
        node
        for node in _walk(tree)
        if summary_id in (node.to_plotly_json()["props"].get("aria-describedby") or "").split()
    ]


def _rows(table) -> list[list[str]]:
    """The body cells of a data_table, row by row."""
    _, _, body = table.children
    return [[cell.children for cell in row.children] for row in body.children]


def _latest_national(store: Store, indicator_id: str, period_type: str) -> pd.Series:
    series = store.national_series(indicator_id, period_type)
    totals = series[series["category_code"].isna()]
    return totals.sort_values("period_code").iloc[-1]


def _indicator(store: Store, indicator_id: str) -> pd.Series:
    return store.indicators().set_index("indicator_id").loc[indicator_id]


def _trend_summary(store: Store, indicator_id: str, state: ViewState) -> str:
    indicator = _indicator(store, indicator_id)
    _, lines, _ = national.trend_lines(store, indicator, state)
    return summaries.trend_summary(
        summaries.subject(indicator["title_en" if state.lang == "en" else "title_nl"], state.per_1000, state.lang),
        lines,
        unit=indicator["unit"],
        decimals=int(indicator["decimals"]),
        per_1000=state.per_1000,
        lang=state.lang,
    )


# -- the national page ---------------------------------------------------------------------------------------------


def test_the_national_trend_summary_says_the_latest_value_as_the_table_shows_it(cbs):
    indicator = _indicator(cbs, "ontvangen_meldingen")
    latest = _latest_national(cbs, "ontvangen_meldingen", "halfjaar")
    content = national.content(cbs, indicator, ViewState(), national.Options())
    (paragraph,) = _by_id(content, ids.NATIONAL_TREND_SUMMARY)
    (twin,) = _by_id(content, ids.NATIONAL_TREND_TABLE + national.TWIN_SUFFIX)
    cells = _rows(twin)[-1]
    assert cells[0] == trend.period_label(latest["period_code"], "nl")
    shown = cells[1].rstrip("*")
    assert shown == fmt.number(latest["value"])
    assert f"{trend.period_label(latest['period_code'], 'nl')}" in paragraph.children
    assert f"Nederland: {shown}" in paragraph.children
    if latest["value_status"] in summaries.PROVISIONAL:
        assert "voorlopig" in paragraph.children
    (wrapper,) = _described(content, ids.NATIONAL_TREND_SUMMARY)
    assert _by_id(wrapper, ids.NATIONAL_TREND_CHART)
    assert not _by_id(content, ids.NATIONAL_TREND_TABLE)  # the table view's id stays for the table view


def test_rates_name_per_1000_inhabitants_for_the_netherlands_and_the_region(cbs):
    state = ViewState(region="PV25", period_type="jaar", measure="per1000")
    dutch = _trend_summary(cbs, "ontvangen_meldingen", state)
    national_rate = _latest_national(cbs, "ontvangen_meldingen", "jaar")
    region = cbs.region_series("ontvangen_meldingen", ("PV25",), "jaar")
    region_latest = region[region["period_code"] == national_rate["period_code"]].iloc[0]
    assert "per 1.000 inwoners" in dutch
    assert f"Nederland: {fmt.rate(national_rate['rate_per_1000'])}" in dutch
    assert f"Gelderland: {fmt.rate(region_latest['rate_per_1000'])}" in dutch
    english = _trend_summary(cbs, "ontvangen_meldingen", replace(state, lang="en"))
    assert "per 1,000 inhabitants" in english
    assert f"Gelderland: {fmt.rate(region_latest['rate_per_1000'], 'en')}" in english


def test_the_change_against_a_year_earlier_and_english_number_formatting(demo):
    latest = _latest_national(demo, "ontvangen_meldingen", "halfjaar")
    series = demo.national_series("ontvangen_meldingen", "halfjaar").set_index("period_code")
    earlier_code = f"{int(latest['period_code'][:4]) - 1}{latest['period_code'][4:]}"
    earlier = series.loc[earlier_code]
    assert latest["value"] >= 1000 and not pd.isna(earlier["value"])
    dutch = _trend_summary(demo, "ontvangen_meldingen", ViewState())
    english = _trend_summary(demo, "ontvangen_meldingen", ViewState(lang="en"))
    assert fmt.number(latest["value"], 0, "nl") in dutch
    assert fmt.number(latest["value"], 0, "en") in english and fmt.number(latest["value"], 0, "nl") not in english
    assert f"Ten opzichte van {trend.period_label(earlier_code, 'nl')}" in dutch
    assert f"Nederland {fmt.change(latest['value'], earlier['value'], 'nl')}" in dutch
    assert f"The Netherlands {fmt.change(latest['value'], earlier['value'], 'en')}" in english


def _suppressed_region(store: Store, indicator_id: str, category: str) -> tuple[str, str]:
    """A Veilig Thuis region whose latest half-year value of a category is 'geheim' while the Netherlands has one."""
    latest = store.national_series(indicator_id, "halfjaar")["period_code"].max()
    codes = tuple(store.regions("veilig_thuis_regio", int(latest[:4]))["region_code"])
    series = store.region_series(indicator_id, codes, "halfjaar")
    rows = series[(series["category_code"] == category) & (series["period_code"] == latest)]
    rows = rows[rows["region_code"] != NL]
    suppressed = rows[rows["value"].isna() & (rows["value_status"] == "geheim")]
    assert not suppressed.empty, "the demo has no suppressed latest value to check"
    return str(suppressed.iloc[0]["region_code"]), latest


def test_a_suppressed_latest_value_is_said_in_words_never_as_zero(demo, pages):
    indicator_id, category = "meldingen_naar_aanvullende_informatie", "mensenhandel"
    region, latest = _suppressed_region(demo, indicator_id, category)
    name = demo.region_names().set_index("region_code").loc[region, "name_nl"]
    dutch = _trend_summary(demo, indicator_id, ViewState(region=region, category=category))
    assert f"{name}: geen getal, geheim" in dutch
    item = re.split(r" — |; |\. ", dutch.split(f"{name}: ", 1)[1])[0]
    assert not re.search(r"\d", item), item  # the reason, never a number
    english = _trend_summary(demo, indicator_id, ViewState(region=region, category=category, lang="en"))
    assert f"{name}: no figure, confidential" in english

    regional = pages["regional"]
    indicator = demo.indicators().set_index("indicator_id").loc[indicator_id].to_dict() | {"indicator_id": indicator_id}
    choice = regional.Choice(indicator_id, "veilig_thuis_regio", latest, "absoluut", category, "nl", region)
    parts = regional.render(demo, indicator, choice, fictitious=True)
    assert f"{name}: geen getal, geheim" in parts["chart_summary"]
    assert "plek" not in parts["chart_summary"]  # no rank without a value


def test_the_breakdown_summary_names_the_largest_category_and_its_share(demo):
    indicator_id = "meldingen_naar_aard_geweld"
    latest = demo.national_series(indicator_id, "halfjaar")["period_code"].max()
    breakdown = demo.category_breakdown(indicator_id, NL, latest)
    parts = breakdown[~breakdown["is_total"] & breakdown["value"].notna()]
    largest = parts.loc[parts["value"].idxmax()]
    content = national.content(demo, _indicator(demo, indicator_id), ViewState(), national.Options())
    (paragraph,) = _by_id(content, ids.NATIONAL_BREAKDOWN_SUMMARY)
    assert largest["title_nl"] in paragraph.children
    assert fmt.number(largest["value"]) in paragraph.children
    assert f"{fmt.percent(largest['share_pct'], 1)} van het totaal" in paragraph.children
    assert _described(content, ids.NATIONAL_BREAKDOWN_SUMMARY)
    assert _by_id(content, ids.NATIONAL_BREAKDOWN_TABLE + national.TWIN_SUFFIX)
    tabel = national.content(demo, _indicator(demo, indicator_id), ViewState(view="tabel"), national.Options())
    assert _by_id(tabel, ids.NATIONAL_BREAKDOWN_TABLE) and not _by_id(tabel, ids.NATIONAL_BREAKDOWN_TABLE + "-twin")


# -- regional, profile and compare pages ---------------------------------------------------------------------------


def test_the_regional_summary_gives_the_region_the_netherlands_and_the_rank(demo, pages):
    regional = pages["regional"]
    indicator_id = "ontvangen_meldingen"
    period = demo.periods(indicator_id, "veilig_thuis_regio", True)["period_code"].iloc[0]
    values = demo.regional_values(indicator_id, period, "veilig_thuis_regio", None)
    rates = values[values["rate_per_1000"].notna()].set_index("region_code")["rate_per_1000"]
    own = rates.loc["VT09"]
    rank = int((rates > own).sum()) + 1
    nl = demo.national_series(indicator_id, None)
    nl_rate = nl[(nl["period_code"] == period) & nl["category_code"].isna()].iloc[0]["rate_per_1000"]
    indicator = demo.indicators().set_index("indicator_id").loc[indicator_id].to_dict() | {"indicator_id": indicator_id}
    for lang, words in (("nl", f"plek {rank} van {len(rates)}"), ("en", f"ranks {rank} of {len(rates)}")):
        choice = regional.Choice(indicator_id, "veilig_thuis_regio", period, "per1000", None, lang, "VT09")
        summary = regional.render(demo, indicator, choice, fictitious=True)["chart_summary"]
        assert f"Haaglanden: {fmt.rate(own, lang)}" in summary
        assert f"{text('national_netherlands', lang)}: {fmt.rate(nl_rate, lang)}" in summary
        assert words in summary and text("summary_per_1000", lang) in summary


def test_the_regional_map_points_to_the_table_and_both_charts_to_the_summary(cbs_warehouse, pages):
    runtime.configure(cbs_warehouse)
    layout = pages["regional"].layout("ontvangen_meldingen")
    (paragraph,) = _by_id(layout, ids.REGIONAL_CHART_SUMMARY)
    assert "chart-summary" in paragraph.className and paragraph.children
    described = _described(layout, ids.REGIONAL_CHART_SUMMARY)
    assert {bool(_by_id(node, ids.REGIONAL_MAP)) for node in described} == {True, False}  # the map and the bar
    (map_list,) = _by_id(layout, ids.REGIONAL_MAP_LIST)
    link = [node for node in _walk(map_list) if getattr(node, "href", None)]
    assert link[0].href == f"#{ids.REGIONAL_TABLE}" and _by_id(layout, ids.REGIONAL_TABLE)


def test_compare_and_profile_summaries_give_each_lines_latest_value(demo_warehouse, demo, pages):
    runtime.configure(demo_warehouse)
    codes = ("VT09", NL, "PV25")
    series = demo.region_series("ontvangen_meldingen", codes, "halfjaar")
    series = series[series["category_code"].isna()]
    latest = series["period_code"].max()
    names = demo.region_names().set_index("region_code")["name_nl"]
    content = pages["compare"].compare_content(demo, "ontvangen_meldingen", ViewState(regions=codes, measure="per1000"))
    (paragraph,) = _by_id(content, ids.COMPARE_CHART_SUMMARY)
    for code in codes:
        row = series[(series["region_code"] == code) & (series["period_code"] == latest)].iloc[0]
        assert f"{names[code]}: {fmt.rate(row['rate_per_1000'])}" in paragraph.children
    assert _by_id(_described(content, ids.COMPARE_CHART_SUMMARY), ids.COMPARE_CHART)

    profile = pages["profile"]
    cards = profile.peer_charts(demo, "VT09", names["VT09"], ["VT01"], ViewState(region="VT09"))
    summary_ids = [node.id for node in _walk(cards) if "chart-summary" in (getattr(node, "className", "") or "")]
    assert summary_ids and len(set(summary_ids)) == len(summary_ids)
    for summary_id in summary_ids:
        assert len(_described(cards, summary_id)) == 1
    indicator_id = summary_ids[0].removeprefix("profile-trend-summary-")
    own = demo.region_series(indicator_id, ("VT09",), "halfjaar")
    own = own[own["category_code"].isna()].sort_values("period_code").iloc[-1]
    (card_summary,) = _by_id(cards, summary_ids[0])
    shown = fmt.rate(own["rate_per_1000"]) if demo.has_rate(indicator_id) else fmt.number(own["value"])
    assert f"{names['VT09']}: {shown}" in card_summary.children


# -- in the browser ------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_national_chart_is_described_and_its_table_twin_opens_with_the_keyboard(chromium, cbs_server):
    page, errors = open_page(chromium, cbs_server + "/landelijk/ontvangen_meldingen")
    page.wait_for_selector("#national-trend-chart .main-svg")
    wrapper = page.locator("[role=figure]:has(#national-trend-chart)")
    summary_id = wrapper.get_attribute("aria-describedby")
    summary = page.locator(f"p#{summary_id}")
    expect(summary).to_have_count(1)

    twin = page.locator("section.national-trend details.chart-table")
    table = twin.locator("table")
    expect(table).to_be_hidden()
    twin.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    assert twin.get_attribute("open") is not None
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]
    latest_nl = rows[-1][1].rstrip("*")
    assert re.search(r"\d", latest_nl) and f"Nederland: {latest_nl}" in summary.inner_text()

    page.goto(cbs_server + "/landelijk/ontvangen_meldingen?weergave=tabel")
    page.wait_for_selector("#national-trend-table")
    view = [row.locator("td").all_inner_texts() for row in page.locator("#national-trend-table tbody tr").all()]
    assert view == rows
    assert errors == []
    page.close()


@pytest.mark.browser
def test_the_regional_summary_follows_the_controls_and_a_clicked_region(chromium, cbs_server):
    page, errors = open_page(chromium, cbs_server + "/regionaal/ontvangen_meldingen?niveau=provincie")
    page.wait_for_selector("#regional-bar .point path")
    summary = page.locator("#regional-chart-summary")
    for wrapper in page.locator("[role=figure][aria-describedby]").all():
        for described in wrapper.get_attribute("aria-describedby").split():
            expect(page.locator(f"#{described}")).to_have_count(1)
    expect(summary).to_contain_text("Hoogste: ")
    expect(summary).not_to_contain_text("per 1.000 inwoners")
    page.get_by_label("Per 1.000 inwoners", exact=True).check()
    expect(summary).to_contain_text("per 1.000 inwoners")
    box = page.locator("#regional-bar .point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(summary).to_contain_text("staat op plek 1 van")
    expect(summary).not_to_contain_text("Hoogste: ")
    assert errors == []
    page.close()
