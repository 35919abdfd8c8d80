"""WCAG 2.1 A/AA with axe-core in real headless Chromium: every page, Dutch and English, desktop and phone,
also after a visitor has interacted (region chosen, table view, menus and table twins opened)."""

from __future__ import annotations

import pytest

from tests.accessibility import violations
from tests.browser import VIEWPORTS, open_page

PAGES = [
    "/",
    "/landelijk/ontvangen_meldingen",
    "/landelijk/meldingen_naar_kenmerk_melder",
    "/regionaal/ontvangen_meldingen",
    "/regio/VT09",
    "/regio/VT09/rapport",
    "/vergelijk",
    "/data",
    "/toegankelijkheid",
    "/landelijk/bestaat_niet",
]


def _settled(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("main h1")
    page.wait_for_timeout(300)


def _url(base: str, path: str, lang: str) -> str:
    if lang == "nl":
        return base + path
    return base + path + ("&" if "?" in path else "?") + "lang=en"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_wcag_violations(chromium, cbs_server, path, lang, viewport):
    page, errors = open_page(chromium, _url(cbs_server, path, lang), viewport)
    _settled(page)
    assert page.evaluate("document.documentElement.lang") == lang
    assert violations(page) == []
    assert errors == []
    page.close()


def _open_all_details(page) -> None:
    """Open every <details> (download menus, table twins, gaps) so their contents are checked too."""
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_after_interaction_have_no_wcag_violations(chromium, cbs_server, demo_server, lang):
    page, errors = open_page(chromium, _url(cbs_server, "/landelijk/ontvangen_meldingen?regio=VT09", lang))
    _settled(page)
    _open_all_details(page)
    assert violations(page) == [], "national page, region chosen, menus open"

    page.locator("#national-view label").nth(1).click()  # table view
    page.wait_for_selector("#national-trend-table")
    _open_all_details(page)
    assert violations(page) == [], "national page, table view"

    page.goto(_url(demo_server, "/regionaal/ontvangen_meldingen?niveau=gemeente", lang))
    _settled(page)
    page.locator("#regional-table tr[data-region] th").first.wait_for()
    page.locator("#regional-table button.regional-sort").nth(1).click()  # sort by name
    page.wait_for_timeout(500)
    _open_all_details(page)
    assert violations(page) == [], "regional page (demo, gemeenten), sorted, menus open"

    page.goto(_url(demo_server, "/regio/VT09", lang))
    _settled(page)
    _open_all_details(page)
    assert violations(page) == [], "profile (demo), every chart table open"
    assert errors == []
    page.close()


def test_the_demo_pages_have_no_wcag_violations(chromium, demo_server):
    for path in ("/", "/landelijk/voorwaarden_en_vervolg_naar_aanvullende_informatie", "/vergelijk?regios=VT09,NL01"):
        page, errors = open_page(chromium, demo_server + path)
        _settled(page)
        assert violations(page) == [], path
        assert errors == []
        page.close()
