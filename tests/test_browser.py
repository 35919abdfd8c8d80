"""Real headless Chromium against the production server: the page shows the warehouse's indicators."""

import pytest

from store.queries import Store
from tests.browser import VIEWPORTS, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_overview_lists_every_indicator_with_availability_from_the_data(
    chromium, cbs_server, cbs_warehouse, viewport
):
    store = Store(cbs_warehouse)
    indicators = store.indicators().set_index("indicator_id")
    page = chromium.new_page(viewport=VIEWPORTS[viewport])
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(cbs_server + "/")
    page.wait_for_selector("#indicator-index [data-indicator]")
    rows = page.locator("#indicator-index [data-indicator]")
    shown = [rows.nth(i).get_attribute("data-indicator") for i in range(rows.count())]
    assert sorted(shown) == sorted(indicators.index)
    national_mark = page.locator("tr:has([data-indicator='ontvangen_meldingen']) td").nth(1).inner_text()
    assert national_mark == ("✓" if indicators.loc["ontvangen_meldingen", "has_national"] else "–")
    assert store.build_id in page.locator("#footer-version").inner_text()
    assert page.locator("#demo-banner").count() == 0
    screenshot(page, f"overview-cbs-{viewport}")
    assert errors == []
    page.close()


def test_the_english_version(chromium, cbs_server):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(cbs_server + "/?lang=en")
    page.wait_for_selector("#indicator-index [data-indicator]")
    assert page.locator("h1").inner_text() == "Impact monitor domestic violence and child abuse"
    assert page.locator("[data-indicator='ontvangen_meldingen']").inner_text().startswith("Reports received")
    page.close()


def test_the_demo_dataset_is_unmistakably_labelled_as_fictitious(chromium, demo_server, demo_warehouse):
    store = Store(demo_warehouse)
    assert store.manifest()["is_fictitious"] is True
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(demo_server + "/")
    page.wait_for_selector("#indicator-index [data-indicator]")
    assert "FICTIEVE DEMODATA" in page.locator("#demo-banner").inner_text()
    assert "(demo)" in page.locator("#footer-version").inner_text()
    assert "Bron: CBS" not in page.locator(".site-footer").inner_text()
    screenshot(page, "overview-demo-desktop")
    page.close()
