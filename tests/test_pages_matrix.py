"""Every page, with both datasets and with broken URLs, renders one h1 without errors in real Chromium."""

import re
from contextlib import suppress

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import VIEWPORTS, open_page, screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/?lang=en",
    "/landelijk/ontvangen_meldingen",
    "/landelijk/meldingen_naar_aard_geweld?weergave=tabel",
    "/regionaal/ontvangen_meldingen",
    "/regionaal/ontvangen_meldingen?niveau=gemeente&maat=per1000",
    "/regio/VT09",
    "/regio/GM0363?lang=en",
    "/vergelijk?regios=VT09,VT18,NL01",
    "/data",
    "/data?lang=en",
    "/regio/VT09/rapport",
    "/toegankelijkheid",
    "/toegankelijkheid?lang=en",
]
BROKEN = [
    "/landelijk/bestaat_niet",
    "/landelijk/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/regionaal/ontvangen_meldingen?periode=1900JJ00&niveau=wijk",
    "/regio/XX99",
    "/vergelijk?regios=XX99&maat=%3Cb%3E",
    "/?regio=XX99&periode=1900JJ00",
]


@pytest.mark.parametrize("path", PAGES + BROKEN)
@pytest.mark.parametrize("dataset", ["cbs", "demo"])
def test_page_renders_without_errors(chromium, cbs_server, demo_server, dataset, path):
    server = cbs_server if dataset == "cbs" else demo_server
    page, errors = open_page(chromium, server + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    content = page.content()
    assert "Traceback" not in content and "/work/" not in content and "<script>alert" not in content
    assert page.locator("#footer-version").count() == 1
    if dataset == "demo":
        assert page.locator("#demo-banner").count() == 1
    if path in BROKEN:
        assert page.locator("main [role=status], main .alert").count() >= 1
    if path in PAGES:
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        screenshot(page, f"matrix-{name}-{dataset}-desktop")
        page.set_viewport_size(VIEWPORTS["phone"])
        fits = f"() => document.documentElement.scrollWidth <= {VIEWPORTS['phone']['width'] + 1}"
        with suppress(PlaywrightTimeout):  # plotly redraws charts a moment after a resize; the assert reports
            page.wait_for_function(fits, timeout=5000)
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"] + 1
        screenshot(page, f"matrix-{name}-{dataset}-phone")
    assert errors == []
    page.close()
