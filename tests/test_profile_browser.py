"""The region profile in real Chromium: numbers from the warehouse, trend charts vs NL and peers, printing, links."""

import pytest

import app  # noqa: F401  (instantiates Dash, so the page modules can register)
from layouts import format as fmt
from layouts.pages.profile import default_peers
from store.queries import Store
from tests.browser import VIEWPORTS, open_page, screenshot

pytestmark = pytest.mark.browser


def _cells(page, indicator: str) -> list[str]:
    row = page.locator(f"#profile-table tr[data-indicator='{indicator}']")
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def _traces(page, indicator: str) -> list[str]:
    """Names of the drawn lines (not legend-only keys) of one small trend chart."""
    selector = f"section.profile-chart[data-indicator='{indicator}'] .js-plotly-plot"
    page.wait_for_selector(selector)
    return page.evaluate(
        f"""() => document.querySelector("{selector}").data
               .filter(trace => trace.x.length > 1 || trace.x[0] !== null).map(trace => trace.name)"""
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_cbs_profile_shows_the_published_numbers_next_to_nl(chromium, cbs_server, cbs_warehouse, viewport):
    store = Store(cbs_warehouse)
    row = store.region_profile("VT02").set_index(["indicator_id", "period_type"]).loc[("ontvangen_meldingen", "jaar")]
    page, errors = open_page(chromium, cbs_server + "/regio/VT02", viewport)
    cells = _cells(page, "ontvangen_meldingen")
    assert cells[:6] == [
        "Ontvangen meldingen",
        "2023",
        "1.905*",
        fmt.rate(row["rate_per_1000"]) + "*",
        "127.340*",
        fmt.rate(row["nl_rate_per_1000"]) + "*",
    ]
    assert (row["value"], row["nl_value"]) == (1905.0, 127340.0)
    assert "minder per inwoner" in cells[6] and "geen eerdere periode" in cells[7]
    assert "geen halfjaarcijfers" in page.locator("#profile-content").inner_text()
    assert "Bron: CBS, 84849NED" in page.locator("#profile-content .source-line").first.inner_text()
    assert page.locator("#profile-gemeenten a").count() > 0
    screenshot(page, f"profile-cbs-{viewport}")
    assert errors == []
    page.close()


def test_the_demo_profile_draws_trends_against_nl_and_peers_and_keeps_its_state(chromium, demo_server, demo_warehouse):
    store = Store(demo_warehouse)
    names = store.region_names().set_index("region_code")["name_nl"]
    peers = default_peers(store, "VT09", "veilig_thuis_regio", 2025)
    page, errors = open_page(chromium, demo_server + "/regio/VT09")
    assert page.locator("section.profile-chart").count() == 5
    drawn = _traces(page, "ontvangen_meldingen")
    assert drawn[-2:] == ["Nederland", "Haaglanden"] and sorted(drawn[:-2]) == sorted(names[peers])
    latest = store.region_profile("VT09").set_index(["indicator_id", "period_type"])
    half = latest.loc[("ontvangen_meldingen", "halfjaar")]
    assert _cells(page, "ontvangen_meldingen")[1:3] == [half["period_label_nl"], fmt.number(half["value"]) + "*"]
    assert "FICTIEVE DEMODATA" in page.locator("#demo-banner").inner_text()
    screenshot(page, "profile-demo-desktop")

    page.locator("#profile-period-type label:has-text('jaar')").last.click()
    page.wait_for_function("() => window.location.search === '?regio=VT09&periodetype=jaar'")
    year = latest.loc[("ontvangen_meldingen", "jaar")]
    page.wait_for_function(
        "period => document.querySelector(\"#profile-table tr[data-indicator='ontvangen_meldingen']\")"
        ".dataset.period === period",
        arg=year["period_code"],
    )
    assert _cells(page, "ontvangen_meldingen")[2] == fmt.number(year["value"]) + "*"
    assert errors == []
    page.close()

    shared, errors = open_page(chromium, demo_server + "/regio/VT09?periodetype=jaar&regios=VT18,VT01")
    assert shared.locator("#profile-period-type input[value='jaar']").is_checked()
    assert sorted(_traces(shared, "gestarte_adviezen")[:-2]) == ["Amsterdam-Amstelland", "Rotterdam-Rijnmond"]
    assert "door u gekozen" in shared.locator(".peers-method").inner_text()
    assert _cells(shared, "ontvangen_meldingen")[1] == year["period_label_nl"]
    shared.emulate_media(media="print")
    assert not shared.locator(".site-nav").is_visible()
    assert not shared.locator(".profile-controls").is_visible()
    assert shared.locator("#profile-table").is_visible() and shared.locator("#demo-banner").is_visible()
    screenshot(shared, "profile-demo-print")
    assert errors == []
    shared.close()


def test_the_demo_profile_on_a_phone(chromium, demo_server):
    page, errors = open_page(chromium, demo_server + "/regio/GM0518", "phone")
    page.wait_for_selector("section.profile-chart .js-plotly-plot")
    assert "'s-Gravenhage" in page.locator("h1").inner_text()
    screenshot(page, "profile-demo-phone")
    assert errors == []
    page.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/regio/XX99", "Regio niet gevonden"),
        ("/regio/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "Regio niet gevonden"),
        ("/regio/GM0518?regio=XX99&periodetype=1900JJ00", "geen cijfers gepubliceerd"),
    ],
)
def test_broken_profile_urls_are_friendly(chromium, cbs_server, path, expected):
    page, errors = open_page(chromium, cbs_server + path)
    main = page.locator("main").inner_text()
    assert expected in main and "Traceback" not in page.content()
    if "GM0518" in path:
        assert page.locator("main a[href^='/regio/VT09']").count() == 1
        assert "XX99" in page.locator("main [role=status]").first.inner_text()
    else:
        assert page.locator("main a[href='/']").count() == 1 and page.locator("#region-picker").count() == 1
    assert errors == []
    page.close()
