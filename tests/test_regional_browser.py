"""The regional page in real Chromium: numbers against the warehouse, controls, region picker, shared links."""

import re

import pytest
from playwright.sync_api import expect

from layouts import format as fmt
from layouts.figures.base import HIGHLIGHT_COLOUR, REGION_COLOUR
from store.queries import Store
from tests.browser import VIEWPORTS, screenshot

pytestmark = pytest.mark.browser

PATH = "/regionaal/ontvangen_meldingen"
MAP_SHAPES = "#regional-map path.choroplethlocation"


def open_page(chromium, base: str, target: str, viewport: str = "desktop"):
    """A page that records console errors, every request that leaves the test server and the map's boundaries
    requests."""
    page = chromium.new_page(viewport=VIEWPORTS[viewport])
    page.errors, page.external, page.boundaries = [], [], []
    page.on("request", lambda request: page.boundaries.append(request.url) if "/geo/" in request.url else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith(base) else page.external.append(request.url))
    response = page.goto(base + target)
    assert response.status == 200
    return page


def bar_colours(page) -> dict[str, str]:
    """The ranked bar as plotly drew it: region code -> colour, for the bars not in the region colour."""
    return page.evaluate(
        """(regionColour) => {
            const bar = document.querySelector('#regional-bar .js-plotly-plot').data[0];
            const out = {};
            bar.customdata.forEach((code, i) => {
                if (bar.marker.color[i] !== regionColour) out[code] = bar.marker.color[i];
            });
            return out;
        }""",
        REGION_COLOUR,
    )


def table_rows(page) -> dict[str, list[str]]:
    """The table's rows by region code: [rank, name, code, value, ...]."""
    rows = {}
    for row in page.locator("#regional-table tbody tr").all():
        cells = [cell.strip() for cell in row.inner_text().split("\t")]
        rows[row.get_attribute("data-region")] = cells
    return rows


def test_cbs_2023_shows_the_published_regions_and_says_why_the_others_are_missing(chromium, cbs_server, cbs_warehouse):
    values = Store(cbs_warehouse).regional_values("ontvangen_meldingen", "2023JJ00", "veilig_thuis_regio", None)
    for viewport in ("desktop", "phone"):
        page = open_page(chromium, cbs_server, PATH + "?periode=2023JJ00", viewport)
        page.wait_for_selector(MAP_SHAPES)
        rows = table_rows(page)
        assert rows["VT02"][1] == "Drenthe" and rows["VT02"][3] == "1.905*"
        for row in values.itertuples():
            if row.value == row.value:  # published
                assert rows[row.region_code][3] == fmt.number(row.value) + "*"
            else:
                assert rows[row.region_code][3] == "geen gegevens: niet gepubliceerd"
        published = int(values["value"].notna().sum())
        expect(page.locator("#regional-summary")).to_have_text(
            f"Voor {published} van de 25 Veilig Thuis-regio's is een cijfer gepubliceerd."
        )
        assert page.locator(MAP_SHAPES).count() == len(values)  # 25 regions, grey ones included
        assert page.locator("#regional-bar .point").count() == published
        assert "cartomap/nl" in page.locator("#regional-map-source").inner_text()
        screenshot(page, f"regional-cbs-{viewport}")
        assert page.errors == [] and page.external == []  # the map fetches nothing from outside
        page.close()


def test_demo_controls_update_url_numbers_and_a_shared_link_restores_them(chromium, demo_server, demo_warehouse):
    store = Store(demo_warehouse)
    page = open_page(chromium, demo_server, PATH)
    page.wait_for_selector(MAP_SHAPES)
    page.select_option("#regional-level", "gemeente")
    page.wait_for_url(re.compile(r"niveau=gemeente"))
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_SHAPES}').length > 300")
    page.select_option("#regional-period", "2024JJ00")
    page.wait_for_url(re.compile(r"periode=2024JJ00"))
    page.get_by_label("Per 1.000 inwoners").check()
    page.wait_for_url(re.compile(r"maat=per1000"))
    values = store.regional_values("ontvangen_meldingen", "2024JJ00", "gemeente", None).dropna(subset=["rate_per_1000"])
    top = values.sort_values("rate_per_1000", ascending=False).iloc[0]
    expect(page.locator("#regional-table tbody tr").first).to_contain_text(fmt.rate(top["rate_per_1000"]))
    expect(page.locator("#regional-population-note")).to_contain_text("1 januari 2024")
    expect(page.locator("#regional-population-note")).not_to_contain_text("afgeleid")  # gemeenten: published

    page.locator("#region-picker").click()
    page.locator("input.dash-dropdown-search").fill("Haaglanden")
    page.get_by_role("option", name="Haaglanden — Veilig Thuis-regio (VT09)").click()
    page.wait_for_url(re.compile(r"regio=VT09"))
    expect(page.locator("#regional-rank")).to_contain_text("hoort niet bij deze indeling")
    page.select_option("#regional-level", "veilig_thuis_regio")
    page.wait_for_url(re.compile(r"^(?!.*niveau=).*regio=VT09"))
    regions = store.regional_values("ontvangen_meldingen", "2024JJ00", "veilig_thuis_regio", None)
    rates = regions.dropna(subset=["rate_per_1000"]).set_index("region_code")["rate_per_1000"]
    rank = int((rates > rates["VT09"]).sum()) + 1
    expect(page.locator("#regional-rank")).to_have_text(f"Haaglanden staat op plek {rank} van {len(rates)}")
    expect(page.locator("#regional-population-note")).to_contain_text("Veilig Thuis-regio's is afgeleid")
    expect(page.locator("#regional-table tr[aria-current=true]")).to_contain_text(fmt.rate(rates["VT09"]))
    assert bar_colours(page) == {"VT09": HIGHLIGHT_COLOUR}  # the highlight colour on the right bar
    shared = page.url
    screenshot(page, "regional-demo-desktop")
    assert page.errors == [] and page.external == []
    # Boundaries by URL: each classification's (both levels, the years' gemeenten) fetched only once, then kept.
    assert len(page.boundaries) == len(set(page.boundaries)), page.boundaries
    assert {re.search(r"/geo/([a-z_]+)-", url)[1] for url in page.boundaries} == {"gemeente", "veilig_thuis_regio"}
    page.close()

    fresh = open_page(chromium, demo_server, shared.removeprefix(demo_server))
    fresh.wait_for_selector(MAP_SHAPES)
    expect(fresh.locator("#regional-rank")).to_have_text(f"Haaglanden staat op plek {rank} van {len(rates)}")
    assert fresh.locator("#regional-period").input_value() == "2024JJ00"
    assert fresh.locator("#regional-level").input_value() == "veilig_thuis_regio"
    assert fresh.get_by_label("Per 1.000 inwoners").is_checked()
    fresh.set_viewport_size(VIEWPORTS["phone"])
    screenshot(fresh, "regional-demo-phone")
    fresh.close()


def test_clicking_a_bar_selects_that_region_and_sorting_the_table_works(chromium, demo_server):
    page = open_page(chromium, demo_server, PATH + "?periode=2024JJ00&regio=VT09")
    page.wait_for_selector("#regional-bar .point path")
    box = page.locator("#regional-bar .point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#regional-rank")).to_contain_text("staat op plek 1 van 25")
    page.wait_for_url(re.compile(r"regio=VT01"))
    expect(page.locator("#region-picker")).to_contain_text("(VT01)")
    assert bar_colours(page) == {"VT01": HIGHLIGHT_COLOUR}  # patched: only the colours changed
    sort = page.locator("#regional-table button", has_text="Regio")
    sort.focus()
    page.keyboard.press("Enter")  # keyboard operable
    expect(page.locator("#regional-table th[aria-sort=ascending]")).to_contain_text("Regio")
    expect(page.locator("#regional-table tbody tr").first).to_contain_text("Amsterdam-Amstelland")
    page.locator("#regional-table button", has_text="Regio").click()
    expect(page.locator("#regional-table tbody tr").first).to_contain_text("Zuid-Limburg")
    assert page.errors == []
    page.close()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/regionaal/bestaat_niet", "kennen we niet"),
        ("/regionaal/%3Cscript%3Ealert(1)%3C/script%3E", "kennen we niet"),
        (PATH + "?regio=XX99", "komt niet voor in de gegevens"),
        (PATH + "?periode=1900JJ00", "heeft geen gegevens voor deze indicator"),
        (PATH + "?niveau=%3Cscript%3E&maat=x", "kennen we niet"),
    ],
)
def test_broken_urls_give_a_friendly_message(chromium, cbs_server, path, expected):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(cbs_server + path)
    assert response.status == 200
    expect(page.locator("main [role=status]").first).to_contain_text(expected)
    assert page.locator("h1").count() == 1
    assert "Traceback" not in page.content() and errors == []
    page.close()
