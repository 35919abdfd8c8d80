"""The partial plotly.js bundle (vendor/plotly/): built from the plotly.js that plotly.py ships, served where dcc.Graph
looks for plotly.js, loaded only by pages with a chart, and able to draw every chart type of the dashboard in real
Chromium (lines, bars, the choropleth map, the static report charts, image export)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import brotli
import plotly
import pytest
from dash.fingerprint import build_fingerprint
from plotly.offline import get_plotlyjs_version

from config import PROJECT_ROOT
from serving.plotly_bundle import PLOTLY_BUNDLE
from tests.browser import open_page
from tests.http_client import get

VENDOR = PROJECT_ROOT / "vendor" / "plotly"
FULL_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"  # what Dash would serve
PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"
TRACES = ["bar", "choropleth", "scatter"]
FIRST_LOAD_BUDGET = 750_000  # bytes transferred for the first load of `/` (issue 6)

# Every resource the page loaded, from the start (Resource Timing), with the bytes it took on the wire.
RESOURCES = """() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
    .map((entry) => ({url: entry.name, transferred: entry.transferSize}))"""
DRAWN = """() => ({version: window.Plotly && window.Plotly.version,
    traces: window.Plotly ? Object.keys(window.Plotly.PlotSchema.get().traces).sort() : null,
    graphs: document.querySelectorAll('.js-plotly-plot').length,
    drawn: document.querySelectorAll('.js-plotly-plot .main-svg').length})"""


def banner_version(text: str) -> str:
    """The plotly.js version a bundle names in its opening comment."""
    match = re.match(r"/\*\*\n\* plotly\.js (?:\([^)]*\) )?v(\S+)\n", text)
    assert match, f"no plotly.js banner in {text[:120]!r}"
    return match.group(1)


def test_the_partial_bundle_is_built_from_the_plotly_js_that_plotly_py_ships():
    shipped = get_plotlyjs_version()
    full = FULL_BUNDLE.read_text(encoding="utf-8")[:300]
    assert banner_version(full) == shipped
    assert banner_version(PLOTLY_BUNDLE.read_text(encoding="utf-8")[:300]) == shipped
    package = json.loads((VENDOR / "package.json").read_text())
    lock = json.loads((VENDOR / "package-lock.json").read_text())
    assert package["dependencies"]["plotly.js"] == shipped
    assert lock["packages"]["node_modules/plotly.js"]["version"] == shipped
    assert lock["packages"]["node_modules/esbuild"]["version"] == package["devDependencies"]["esbuild"]
    licences = (VENDOR / "LICENSES.txt").read_text()
    assert licences.splitlines()[1] == f"plotly.js {shipped} (MIT)" and "Permission is hereby granted" in licences


def test_the_plotly_url_serves_the_partial_bundle(cbs_server):
    bundle = PLOTLY_BUNDLE.read_bytes()
    full = FULL_BUNDLE.read_bytes()
    status, headers, body = get(cbs_server + PLOTLY_PATH)
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert body == bundle and len(body) < len(full) / 3
    assert body.startswith(b"/**\n* plotly.js (hgkm: core, scatter, bar, choropleth")

    status, headers, packed = get(cbs_server + PLOTLY_PATH, {"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br" and brotli.decompress(packed) == bundle
    assert len(packed) < len(bundle) / 3
    status, headers, zipped = get(cbs_server + PLOTLY_PATH, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == bundle

    # The URL without a version is revalidated; unchanged, it costs a 304 without a body, also when compressed.
    etag = headers["ETag"]
    assert etag.startswith('W/"') and "max-age=31536000" not in (headers.get("Cache-Control") or "")
    status, _, body = get(cbs_server + PLOTLY_PATH, {"Accept-Encoding": "br", "If-None-Match": etag})
    assert status == 304 and body == b""

    versioned = "/_dash-component-suites/plotly/" + build_fingerprint("package_data/plotly.min.js", "7.1.0", 1)
    status, headers, body = get(cbs_server + versioned)
    assert status == 200 and body == bundle and "max-age=31536000" in headers["Cache-Control"]

    for other in ("widgetbundle.js", "plotly.js", "plotly.min.js.map"):
        assert get(cbs_server + "/_dash-component-suites/plotly/package_data/" + other)[0] == 404, other


def test_a_page_without_charts_loads_no_plotly_and_stays_within_the_budget(cbs_server, chromium):
    page, errors = open_page(chromium, cbs_server + "/")
    page.wait_for_load_state("networkidle")
    resources = page.evaluate(RESOURCES)
    urls = [resource["url"] for resource in resources]
    assert any("dash_core_components" in url for url in urls), urls  # dcc was loaded, without plotly
    assert not [url for url in urls if "plotly" in url.lower()]
    assert page.evaluate("typeof window.Plotly") == "undefined"
    transferred = sum(resource["transferred"] for resource in resources)
    assert 0 < transferred <= FIRST_LOAD_BUDGET, f"first load of / took {transferred} bytes"
    assert errors == []
    page.close()


def assert_charts_drawn(chromium, base: str, path: str, selectors: list[str]) -> object:
    """Open a page and check that each selector's chart parts are drawn by the partial bundle, loaded once from
    this site, with no error; the page is returned open."""
    page, errors = open_page(chromium, base + path)
    for selector in selectors:
        page.wait_for_selector(selector, state="attached")
        assert page.locator(selector).count() > 0, f"{path}: nothing drawn for {selector}"
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate(DRAWN)
    assert drawn["version"] == get_plotlyjs_version() and drawn["traces"] == TRACES, (path, drawn)
    assert drawn["graphs"] > 0 and drawn["drawn"] >= drawn["graphs"], (path, drawn)
    urls = [resource["url"] for resource in page.evaluate(RESOURCES)]
    assert [url for url in urls if "plotly" in url.lower()] == [base + PLOTLY_PATH], (path, urls)
    assert all(url.startswith(base) for url in urls), (path, [url for url in urls if not url.startswith(base)])
    assert errors == [], (path, errors)
    return page


@pytest.mark.parametrize(
    ("path", "selectors"),
    [
        ("/landelijk/ontvangen_meldingen", ["#national-trend-chart .scatterlayer .js-line"]),
        ("/landelijk/meldingen_naar_kenmerk_melder", ["#national-breakdown-chart .bars .point"]),
        ("/regionaal/ontvangen_meldingen", ["#regional-map path.choroplethlocation", "#regional-bar .bars .point"]),
    ],
)
def test_published_pages_draw_their_charts(cbs_server, chromium, path, selectors):
    assert_charts_drawn(chromium, cbs_server, path, selectors).close()


@pytest.mark.parametrize(
    ("path", "selectors"),
    [
        ("/regio/VT09", ["section.profile-chart .scatterlayer .js-line"]),
        ("/regio/VT09/rapport", ["section.report-trend .scatterlayer .js-line"]),
        ("/vergelijk?regios=VT09,VT18,NL01", ["#compare-chart .scatterlayer .js-line"]),
    ],
)
def test_demo_pages_draw_their_charts(demo_server, chromium, path, selectors):
    assert_charts_drawn(chromium, demo_server, path, selectors).close()


def test_the_map_and_bars_export_as_png_and_svg(demo_server, chromium):
    """assets/downloads.js saves charts with Plotly.toImage / downloadImage: the map (geo) and the bars export."""
    page = assert_charts_drawn(
        chromium,
        demo_server,
        "/regionaal/ontvangen_meldingen",
        ["#regional-map path.choroplethlocation", "#regional-bar .bars .point"],
    )
    for chart, part in (("#regional-map", "choroplethlocation"), ("#regional-bar", "point")):
        for image_format, prefix in (("png", "data:image/png;base64,"), ("svg", "data:image/svg+xml,")):
            image = page.evaluate(
                """([selector, format]) => {
                    const graph = document.querySelector(selector + ' .js-plotly-plot');
                    return window.Plotly.toImage(graph, {format: format, width: 900, height: 600});
                }""",
                [chart, image_format],
            )
            assert image.startswith(prefix) and len(image) > 5_000, (chart, image_format, image[:80])
            if image_format == "svg":
                assert part in image, (chart, "the SVG holds no drawn " + part)
    page.close()
