"""The compare page in real Chromium: one line per region, table numbers from the warehouse, controls and links."""

import pytest

from layouts import format as fmt
from store.queries import Store
from tests.browser import open_page, screenshot

pytestmark = pytest.mark.browser
REGIONS = ("VT09", "VT18", "NL01")


def _lines(page) -> list[str]:
    page.wait_for_selector("#compare-chart .js-plotly-plot")
    return page.evaluate(
        """() => document.querySelector("#compare-chart .js-plotly-plot").data
               .filter(trace => trace.mode === "lines+markers").map(trace => trace.name)"""
    )


def _table(page) -> list[list[str]]:
    rows = page.locator("#compare-table tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


def _expected(store: Store, indicator: str, period_type: str, per_1000: bool) -> list[list[str]]:
    series = store.region_series(indicator, REGIONS, period_type)
    series = series[series["category_code"].isna()]
    marks = {"voorlopig": "*", "nader_voorlopig": "**"}
    rows = []
    for period in series.sort_values("period_start")["label_nl"].drop_duplicates():
        row = [period]
        for code in REGIONS:
            found = series[(series["region_code"] == code) & (series["label_nl"] == period)].iloc[0]
            number = fmt.rate(found["rate_per_1000"]) if per_1000 else fmt.number(found["value"])
            row.append(number + marks.get(found["value_status"], ""))
        rows.append(row)
    return rows


def test_three_regions_draw_three_lines_and_the_table_matches_the_warehouse(chromium, demo_server, demo_warehouse):
    store = Store(demo_warehouse)
    url = demo_server + "/vergelijk?regios=VT09,VT18,NL01&indicator=ontvangen_meldingen"
    page, errors = open_page(chromium, url)
    assert _lines(page) == ["Haaglanden", "Rotterdam-Rijnmond", "Nederland"]
    assert _table(page) == _expected(store, "ontvangen_meldingen", "halfjaar", per_1000=False)
    screenshot(page, "compare-demo-desktop")

    page.locator("#compare-measure label:has-text('per 1.000 inwoners')").click()
    page.wait_for_function("() => window.location.search.includes('maat=per1000')")
    page.wait_for_function("() => document.querySelector('#compare-content h2').innerText.includes('per 1.000')")
    assert _table(page) == _expected(store, "ontvangen_meldingen", "halfjaar", per_1000=True)

    page.locator("#compare-indicator").click()
    page.locator("input.dash-dropdown-search").fill("Gestarte adviezen")
    page.get_by_role("option", name="Gestarte adviezen", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('indicator=gestarte_adviezen')")
    page.wait_for_function("() => document.querySelector('#compare-content h2').innerText.startsWith('Gestarte')")
    assert _table(page) == _expected(store, "gestarte_adviezen", "halfjaar", per_1000=True)
    shared_url = page.url
    assert errors == []
    page.close()

    shared, errors = open_page(chromium, shared_url)
    assert "Gestarte adviezen" in shared.locator("#compare-content h2").inner_text()
    assert shared.locator("#compare-measure input[value='per1000']").is_checked()
    assert _lines(shared) == ["Haaglanden", "Rotterdam-Rijnmond", "Nederland"]
    assert _table(shared) == _expected(store, "gestarte_adviezen", "halfjaar", per_1000=True)
    assert errors == []
    shared.close()


def test_the_compare_page_on_a_phone_and_with_the_sparse_cbs_data(chromium, demo_server, cbs_server):
    page, errors = open_page(chromium, demo_server + "/vergelijk?regio=PV22", "phone")
    assert _lines(page) == ["Drenthe", "Nederland"]
    screenshot(page, "compare-demo-phone")
    assert errors == []
    page.close()
    page, errors = open_page(chromium, cbs_server + "/vergelijk?regios=VT02,VT09,NL01&periodetype=jaar")
    assert "Haaglanden: geen gepubliceerde cijfers" in page.locator("#compare-content").inner_text()
    assert "1.905*" in [row[1] for row in _table(page)]
    screenshot(page, "compare-cbs-desktop")
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?indicator=%3Cscript%3Ealert(1)%3C/script%3E", "kennen we niet"),
        ("?regios=XX99,VT02&periode=1900JJ00", "XX99"),
        ("?indicator=aandeel_meldingen_onveilig&maat=per1000&periodetype=week", "week"),
    ],
)
def test_broken_compare_urls_are_friendly(chromium, cbs_server, query, expected):
    page, errors = open_page(chromium, cbs_server + "/vergelijk" + query)
    assert expected in page.locator("main [role=status]").first.inner_text()
    assert "Traceback" not in page.content() and "<script>alert" not in page.content()
    assert errors == []
    page.close()
