"""The national view in real Chromium: numbers from the warehouse, controls that change the URL, shared links."""

import pytest

from layouts import format as fmt
from store.queries import Store
from tests.browser import VIEWPORTS, screenshot

pytestmark = pytest.mark.browser

TABLE = "#national-trend-table"


def _page(chromium, viewport="desktop"):
    page = chromium.new_page(viewport=VIEWPORTS[viewport])
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _row(page, selector: str, label: str) -> list[str]:
    """The cells of the table row whose first cell is `label`."""
    row = page.locator(f"{selector} tbody tr").filter(has=page.locator("td", has_text=label)).first
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def _wait_for_search(page, fragment: str, present: bool = True):
    check = "" if present else "!"
    page.wait_for_function(f"() => {check}window.location.search.includes({fragment!r})")


def test_controls_change_the_numbers_and_the_url_and_a_shared_link_restores_them(chromium, cbs_server, cbs_warehouse):
    store = Store(cbs_warehouse)
    series = store.national_series("ontvangen_meldingen", None).set_index("period_code")
    page, errors = _page(chromium)
    page.goto(cbs_server + "/landelijk/ontvangen_meldingen?weergave=tabel&periodetype=jaar")
    page.wait_for_selector(TABLE)
    assert page.locator("h1").inner_text() == "Ontvangen meldingen"
    assert _row(page, TABLE, "2020") == ["2020", fmt.number(series.loc["2020JJ00", "value"])]
    assert _row(page, TABLE, "2020")[1] == "127.410"

    page.get_by_label("Per halfjaar", exact=True).check()
    page.wait_for_selector(f"{TABLE} td:text-is('1e halfjaar 2020')")
    _wait_for_search(page, "periodetype", present=False)
    assert _row(page, TABLE, "1e halfjaar 2020")[1] == fmt.number(series.loc["2020HJ01", "value"]) == "64.505"
    assert _row(page, TABLE, "1e halfjaar 2022")[1] == fmt.number(series.loc["2022HJ01", "value"]) + "*"
    assert _row(page, TABLE, "2e halfjaar 2022")[1] == "niet gepubliceerd"

    page.get_by_label("Per 1.000 inwoners", exact=True).check()
    _wait_for_search(page, "maat=per1000")
    page.wait_for_selector(f"{TABLE} th:text-is('Inwoners (jaar)')")
    assert _row(page, TABLE, "1e halfjaar 2020")[1] == fmt.rate(series.loc["2020HJ01", "rate_per_1000"])

    shared = page.url
    assert "weergave=tabel" in shared and "maat=per1000" in shared
    screenshot(page, "national-cbs-table-desktop")

    page.get_by_label("Grafiek", exact=True).check()
    page.wait_for_selector("#national-trend-chart .main-svg")
    _wait_for_search(page, "weergave", present=False)
    assert page.locator(TABLE).count() == 0
    screenshot(page, "national-cbs-desktop")
    assert errors == []
    page.close()

    fresh, errors = _page(chromium)
    fresh.goto(shared)
    fresh.wait_for_selector(TABLE)
    assert fresh.get_by_label("Per 1.000 inwoners", exact=True).is_checked()
    assert fresh.get_by_label("Per halfjaar", exact=True).is_checked()
    assert _row(fresh, TABLE, "1e halfjaar 2020")[1] == fmt.rate(series.loc["2020HJ01", "rate_per_1000"])
    assert errors == []
    fresh.close()


def test_the_region_from_the_picker_is_drawn_next_to_the_netherlands(chromium, cbs_server, cbs_warehouse):
    store = Store(cbs_warehouse)
    region = store.region_series("ontvangen_meldingen", ("PV25",), "jaar").set_index("period_code")
    page, errors = _page(chromium)
    page.goto(cbs_server + "/landelijk/ontvangen_meldingen?regio=PV25&periodetype=jaar&weergave=tabel")
    page.wait_for_selector(TABLE)
    assert "Gelderland" in page.locator(".national-trend h2").inner_text()
    headers = page.locator(f"{TABLE} thead th").all_inner_texts()
    assert headers == ["Periode", "Nederland", "Gelderland"]
    assert _row(page, TABLE, "2020")[2] == fmt.number(region.loc["2020JJ00", "value"])
    assert _row(page, TABLE, "2023")[2] == fmt.number(region.loc["2023JJ00", "value"]) + "*"
    page.get_by_label("Grafiek", exact=True).check()
    page.wait_for_selector("#national-trend-chart .main-svg")
    assert page.locator("#national-trend-chart .legendtext").all_text_contents() == ["Nederland", "Gelderland"]
    assert errors == []
    page.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_demo_breakdown_shows_categories_and_shares(chromium, demo_server, demo_warehouse, viewport):
    store = Store(demo_warehouse)
    categories = store.categories("aard_geweld")
    parts = categories[~categories["is_total"]]
    latest = store.national_series("meldingen_naar_aard_geweld", "halfjaar")["period_code"].iloc[-1]
    breakdown = store.category_breakdown("meldingen_naar_aard_geweld", "NL01", latest).set_index("category_code")
    page, errors = _page(chromium, viewport)
    page.goto(demo_server + "/landelijk/meldingen_naar_aard_geweld")
    page.wait_for_selector("#national-breakdown-chart .main-svg")
    assert "FICTIEVE DEMODATA" in page.locator("#demo-banner").inner_text()
    assert "fictieve demodata" in page.locator(".national-trend .source-line").inner_text()
    legend = page.locator("#national-breakdown-chart .legendtext").all_text_contents()
    assert sorted(legend) == sorted(parts["title_nl"])  # stacked bars list the legend top-down
    screenshot(page, f"national-demo-{viewport}")
    if viewport == "desktop":
        page.get_by_label("Aandeel van het totaal", exact=True).check()
        _wait_for_search(page, "verdeling=aandeel")
        page.get_by_label("Tabel", exact=True).check()
        _wait_for_search(page, "weergave=tabel")
        page.wait_for_selector("#national-breakdown-table")
        label = store.periods("meldingen_naar_aard_geweld").set_index("period_code").loc[latest, "label_nl"]
        cells = _row(page, "#national-breakdown-table", label)
        headers = page.locator("#national-breakdown-table thead th").all_inner_texts()
        share = breakdown.loc["kindermishandeling"]
        expected = fmt.value_with_status(share["share_pct"], share["value_status"], 1, "procent", "nl")
        assert cells[headers.index("Kindermishandeling")] == expected
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/landelijk/bestaat_niet", "Indicator niet gevonden"),
        ("/landelijk/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "Indicator niet gevonden"),
        ("/landelijk/ontvangen_meldingen?regio=XX99&periode=1900JJ00&weergave=%3Cscript%3E", "komt niet voor"),
        ("/landelijk/casussen_met_melding", "geen landelijke cijfers"),
    ],
)
def test_broken_urls_and_missing_national_data_are_explained(chromium, cbs_server, path, expected):
    page, errors = _page(chromium)
    response = page.goto(cbs_server + path)
    assert response.status == 200
    page.wait_for_selector("main h1")
    main = page.locator("main").inner_text()
    assert expected in main
    assert page.locator("h1").count() == 1
    if "niet gevonden" in expected:
        assert page.get_by_role("link", name="Naar het overzicht van indicatoren").count() == 1
    if "casussen" in path:
        link = page.get_by_role("link", name="Bekijk de regionale cijfers")
        assert link.get_attribute("href") == "/regionaal/casussen_met_melding"
    if "XX99" in path:
        assert "1900JJ00" in main and page.locator(TABLE).count() == 0
    assert "Traceback" not in page.content() and errors == []
    page.close()
