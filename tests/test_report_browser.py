"""The printable region report in real Chromium: numbers from the warehouse, a real print button, print media that
hides the site's navigation and controls, and an A4 PDF."""

import re

import pytest

import app  # noqa: F401  (instantiates Dash, so the page modules can register)
from layouts import format as fmt
from store.queries import Store
from tests.browser import VIEWPORTS, open_page, screenshot

pytestmark = pytest.mark.browser

A4_POINTS = (595.0, 842.0)  # 210 x 297 mm


def _cells(page, indicator: str) -> list[str]:
    row = page.locator(f"#profile-table tr[data-indicator='{indicator}']")
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def _display(page, selector: str) -> str:
    return page.evaluate("selector => getComputedStyle(document.querySelector(selector)).display", selector)


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page of a PDF, read from its page objects (no PDF library needed)."""
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= len(pages)
    return [(float(width), float(height)) for width, height in boxes[: len(pages)]]


def _print_to_pdf(page) -> bytes:
    """The page as the browser prints it, A4, after checking print media hides the site's own controls."""
    page.emulate_media(media="print")
    for selector in (".site-nav", ".region-picker-wrap", ".lang-switch", ".report-actions"):
        assert _display(page, selector) == "none", selector
    assert not page.locator("#report-print").is_visible()
    assert _display(page, ".report-frame > thead") == "table-header-group"  # the running header of each page
    assert page.locator("#profile-table").is_visible() and page.locator("#report-sources").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = _pdf_pages(pdf)
    assert 1 <= len(pages) <= 12
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
    return pdf


def test_the_cbs_report_shows_the_published_numbers_prints_and_saves_as_a4_pdf(chromium, cbs_server, cbs_warehouse):
    store = Store(cbs_warehouse)
    row = store.region_profile("VT06").set_index(["indicator_id", "period_type"]).loc[("ontvangen_meldingen", "jaar")]
    page, errors = open_page(chromium, cbs_server + "/regio/VT06/rapport")
    assert page.locator("h1").inner_text() == "Regiorapport Gelderland-Zuid"
    assert _cells(page, "ontvangen_meldingen")[1:6] == [
        row["period_label_nl"],
        fmt.value_with_status(row["value"], row["value_status"], 0, "aantal", "nl"),
        fmt.rate(row["rate_per_1000"]) + "*",
        fmt.value_with_status(row["nl_value"], row["nl_value_status"], 0, "aantal", "nl"),
        fmt.rate(row["nl_rate_per_1000"]) + "*",
    ]
    assert store.manifest()["build_id"] in page.locator("#report-version").inner_text()
    assert page.locator("#report-demo-warning").count() == 0
    assert "Bron: CBS (CC BY 4.0)" in page.locator("#report-sources").inner_text()
    assert page.locator("#report-back").get_attribute("href") == "/regio/VT06?regio=VT06"

    button = page.locator("#report-print")
    assert button.evaluate("node => [node.tagName, node.type, node.dataset.action]") == ["BUTTON", "button", "print"]
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("window.printed") == 1  # assets/report.js, no inline handler
    screenshot(page, "report-cbs-desktop")

    _print_to_pdf(page)
    screenshot(page, "report-cbs-print")
    assert errors == []
    page.close()


def test_the_demo_report_warns_on_screen_and_in_print_and_draws_trends_from_the_store(
    chromium, demo_server, demo_warehouse
):
    store = Store(demo_warehouse)
    profile = store.region_profile("VT09").set_index(["indicator_id", "period_type"])
    half = profile.loc[("gestarte_adviezen", "halfjaar")]
    page, errors = open_page(chromium, demo_server + "/regio/VT09/rapport")
    warning = page.locator("#report-demo-warning")
    assert warning.is_visible() and "FICTIEVE DEMODATA" in warning.inner_text()
    assert "FICTIEVE DEMODATA" in page.locator("#demo-banner").inner_text()
    assert "Bron: CBS" not in page.locator("main").inner_text()
    assert _cells(page, "gestarte_adviezen")[1:3] == [
        half["period_label_nl"],
        fmt.value_with_status(half["value"], half["value_status"], 0, "aantal", "nl"),
    ]

    headline = list(store.indicators().query("is_headline")["indicator_id"])
    assert page.locator("section.report-trend").count() == len(headline)
    selector = "section.report-trend[data-indicator='ontvangen_meldingen'] .js-plotly-plot"
    page.wait_for_selector(selector)
    drawn = page.evaluate(
        f"""() => document.querySelector("{selector}").data
               .filter(trace => trace.name === 'Haaglanden').map(trace => trace.y)[0]"""
    )
    series = store.region_series("ontvangen_meldingen", ("VT09",), "halfjaar")
    assert drawn == pytest.approx(list(series[series["category_code"].isna()]["rate_per_1000"]))
    assert page.locator(".report-trend .modebar").count() == 0  # static: nothing to hover, zoom or click
    screenshot(page, "report-demo-desktop")

    _print_to_pdf(page)
    assert warning.is_visible() and page.locator("#demo-banner").is_visible()
    screenshot(page, "report-demo-print")
    assert errors == []
    page.close()


def test_the_english_yearly_report_on_a_phone(chromium, demo_server, demo_warehouse):
    store = Store(demo_warehouse)
    year = store.region_profile("VT09").set_index(["indicator_id", "period_type"]).loc[("ontvangen_meldingen", "jaar")]
    page, errors = open_page(chromium, demo_server + "/regio/VT09/rapport?lang=en&periodetype=jaar", "phone")
    page.wait_for_selector("section.report-trend .js-plotly-plot")
    assert page.locator("h1").inner_text() == "Region report Haaglanden"
    assert _cells(page, "ontvangen_meldingen")[1:3] == [
        year["period_label_en"],
        fmt.value_with_status(year["value"], year["value_status"], 0, "aantal", "en"),
    ]
    assert page.locator("#report-print").inner_text() == "Print / PDF"
    assert page.locator("#report-back").get_attribute("href") == "/regio/VT09?regio=VT09&periodetype=jaar&lang=en"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"] + 1
    screenshot(page, "report-demo-phone")
    assert errors == []
    page.close()


def test_an_unknown_region_gets_a_friendly_page(chromium, cbs_server):
    page, errors = open_page(chromium, cbs_server + "/regio/XX99/rapport")
    assert "Regio niet gevonden" in page.locator("main").inner_text() and "Traceback" not in page.content()
    assert page.locator("main [role=status]").count() == 1
    assert errors == []
    page.close()
