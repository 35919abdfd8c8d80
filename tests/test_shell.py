"""The app shell in real Chromium: region picker, language switch and state carried in the URL."""

import pytest
from playwright.sync_api import expect

from tests.browser import VIEWPORTS

pytestmark = pytest.mark.browser


def test_picking_a_region_puts_it_in_the_url_and_every_navigation_link(chromium, cbs_server):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(cbs_server + "/")
    page.wait_for_selector("#indicator-index [data-indicator]")
    page.locator("#region-picker").click()
    page.locator("input.dash-dropdown-search").fill("Haaglanden")
    page.get_by_role("option", name="Haaglanden — Veilig Thuis-regio (VT09)").click()
    page.wait_for_url("**/?regio=VT09")
    profile_link = page.get_by_role("link", name="Regioprofiel")
    expect(profile_link).to_have_attribute("href", "/regio/VT09?regio=VT09")
    national = page.locator("[data-indicator='ontvangen_meldingen'] a").get_attribute("href")
    assert national == "/landelijk/ontvangen_meldingen?regio=VT09"
    page.close()


def test_the_language_switch_keeps_the_state(chromium, cbs_server):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(cbs_server + "/?regio=VT02")
    page.wait_for_selector("#indicator-index [data-indicator]")
    page.locator("#language-switch").click()
    page.wait_for_url("**/?regio=VT02&lang=en")
    page.wait_for_selector("h1:has-text('Impact monitor')")
    assert page.get_by_role("link", name="Region profile").get_attribute("href") == "/regio/VT02?regio=VT02&lang=en"
    page.close()


@pytest.mark.parametrize("query", ["?regio=XX99", "?regio=%3Cscript%3Ealert(1)%3C/script%3E", "?lang=fr&niveau=wijk"])
def test_broken_urls_give_a_friendly_notice(chromium, cbs_server, query):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(cbs_server + "/" + query)
    assert response.status == 200
    page.wait_for_selector("#indicator-index [data-indicator]")
    notice = page.locator("main [role=status]")
    if "lang=fr" in query:
        assert "wijk" in notice.inner_text()
    else:
        assert "komt niet voor in de gegevens" in notice.inner_text()
    assert "Traceback" not in page.content() and errors == []
    page.close()
