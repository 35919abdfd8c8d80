"""The Content-Security-Policy in real headless Chromium: every page, Dutch and English, on both datasets, also after
a visitor has used the controls and saved a chart as PNG and SVG, runs without a single CSP violation; the policy
really blocks injected scripts; and no callback a page sends comes near the request body limit."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from serving.security import MAX_BODY_BYTES
from tests.browser import VIEWPORTS

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/landelijk/ontvangen_meldingen",
    "/landelijk/meldingen_naar_aard_geweld?weergave=tabel",
    "/regionaal/ontvangen_meldingen",
    "/regio/VT09",
    "/regio/VT09/rapport",
    "/vergelijk?regios=VT09,VT18,NL01",
    "/data",
    "/toegankelijkheid",
    "/landelijk/bestaat_niet",
]
# Registered before any script of the page runs; a violation is dispatched on the element and bubbles to document.
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || "?"} (${event.sourceFile}:${event.lineNumber}) `
        + `${event.sample}`
    );
});
"""
POLICY_MESSAGE = re.compile(r"Content[ -]Security[ -]Policy|Permissions[ -]Policy", re.I)
CALLBACK = "/_dash-update-component"
# Functions, not expressions: Playwright evaluates an expression with eval on every poll, which the policy refuses.
CHARTS_DRAWN = "() => [...document.querySelectorAll('.dash-graph')].every((graph) => graph.querySelector('.main-svg'))"


class Watched:
    """A page with the CSP listener, collecting policy violations, console messages about a policy, page errors,
    and the size of every callback body it sends."""

    def __init__(self, chromium):
        self.page = chromium.new_page(viewport=VIEWPORTS["desktop"], accept_downloads=True)
        self.page.add_init_script(LISTENER)
        self.console: list[str] = []
        self.callback_bodies: list[int] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        self.page.on("request", self._request)

    def _console(self, message) -> None:
        if POLICY_MESSAGE.search(message.text) or message.type == "error":
            self.console.append(f"{message.type}: {message.text}")

    def _request(self, request) -> None:
        if request.method == "POST" and urlsplit(request.url).path == CALLBACK:
            self.callback_bodies.append(len(request.post_data_buffer or b""))

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        self.settle()

    def settle(self) -> None:
        """Callbacks answered and every chart drawn (plotly.js loads lazily, after the first callbacks)."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_selector("main h1")
        self.page.wait_for_function(CHARTS_DRAWN, timeout=20_000)
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations") + self.console


def _url(base: str, path: str, lang: str) -> str:
    return base + path if lang == "nl" else base + path + ("&" if "?" in path else "?") + "lang=en"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_runs_without_csp_violations_in_dutch_and_english(chromium, cbs_server, path):
    watched = Watched(chromium)
    for lang in ("nl", "en"):
        watched.visit(_url(cbs_server, path, lang))
        assert watched.page.evaluate("document.documentElement.lang") == lang
        assert watched.page.locator(".dash-debug-menu, .dash-debug-menu__outer").count() == 0, "dev tools are on"
        assert watched.violations() == [], f"{path} ({lang})"
    watched.page.close()


def test_the_demo_pages_run_without_csp_violations(chromium, demo_server):
    watched = Watched(chromium)
    for path in (
        "/",
        "/regionaal/ontvangen_meldingen?niveau=gemeente&lang=en",
        "/regio/GM0363",
        "/regio/VT09/rapport?lang=en",
        "/vergelijk?regios=VT09,VT18,NL01&maat=per1000",
    ):
        watched.visit(demo_server + path)
        assert watched.page.locator("#demo-banner").count() == 1
        assert watched.violations() == [], path
    watched.page.close()


def _save_images(watched: Watched, menu: str) -> None:
    """Open a chart's download menu and save the chart as PNG and SVG (plotly's export goes through data: and
    blob: URLs)."""
    details = watched.page.locator(menu)
    details.locator("summary").click()
    for image_format, signature in (("png", b"\x89PNG"), ("svg", b"<svg")):
        with watched.page.expect_download() as info:
            details.locator(f"button.chart-image[data-image-format='{image_format}']").click()
        assert info.value.failure() is None
        with open(info.value.path(), "rb") as saved:
            assert saved.read(4) == signature, image_format


def test_using_the_controls_and_saving_charts_causes_no_csp_violations(chromium, cbs_server, demo_server):
    watched = Watched(chromium)
    page = watched.page
    watched.visit(cbs_server + "/landelijk/ontvangen_meldingen?lang=en")
    _save_images(watched, "section.national-trend details.downloads")
    page.locator("#national-view label").nth(1).click()  # table view
    page.wait_for_selector("#national-trend-table")
    page.locator("#national-view label").nth(0).click()  # back to the chart
    watched.settle()
    assert watched.violations() == [], "national page: images saved, view switched"

    watched.visit(demo_server + "/regionaal/ontvangen_meldingen?periode=2024JJ00&regio=VT09")
    page.select_option("#regional-level", "gemeente")  # the largest callback a page sends
    page.wait_for_url(re.compile(r"niveau=gemeente"))
    page.wait_for_function("() => document.querySelectorAll('#regional-map path.choroplethlocation').length > 300")
    page.locator("#regional-table button.regional-sort").nth(1).click()
    page.wait_for_selector("#regional-table th[aria-sort]")
    _save_images(watched, "#regional-map-source details.downloads")
    page.locator("#region-picker").click()
    page.locator("input.dash-dropdown-search").fill("Haaglanden")
    page.get_by_role("option", name=re.compile(r"\(VT09\)")).click()
    watched.settle()
    assert watched.violations() == [], "regional page (demo, gemeenten): sorted, map saved, region picked"

    watched.visit(cbs_server + "/regio/VT09/rapport")
    page.evaluate("window.print = () => { window.__printed = true; }")  # no dialogue in a headless test
    page.locator("#report-print").click()
    assert page.evaluate("window.__printed === true"), "the print button runs assets/report.js"
    assert watched.violations() == [], "region report: print button"

    largest = max(watched.callback_bodies)
    assert len(watched.callback_bodies) >= 5 and 50 * largest < MAX_BODY_BYTES, (largest, MAX_BODY_BYTES)
    page.close()


def test_the_policy_blocks_injected_scripts_and_the_listener_sees_it(chromium, cbs_server):
    """The control for the tests above: an injected inline script, inline event handler and script from a data: URL
    are refused, and each refusal is reported. (eval is refused by the header's lack of 'unsafe-eval', checked in
    tests/test_security_headers.py: Playwright's own evaluation is exempt from the policy, so it cannot show it.)"""
    watched = Watched(chromium)
    watched.visit(cbs_server + "/")
    injected = watched.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true;";
            document.body.append(script);
            const external = document.createElement("script");
            external.src = "data:text/javascript,window.__injected%20=%20true";
            document.body.append(external);
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.__injected = true;");
            document.body.append(button);
            button.click();
            return window.__injected === true;
        }"""
    )
    watched.page.wait_for_function("() => window.__cspViolations.length >= 3")
    assert injected is False and watched.page.evaluate("window.__injected") is None
    violations = watched.page.evaluate("window.__cspViolations")
    assert sorted(entry.split()[:3] for entry in violations) == [
        ["script-src-attr", "blocked", "inline"],
        ["script-src-elem", "blocked", "data"],
        ["script-src-elem", "blocked", "inline"],
    ], violations
    watched.page.close()
