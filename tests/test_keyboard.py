"""Keyboard only (Tab, Shift+Tab, Enter, arrow keys and typing): choose a region, open its profile and download the
CSV of its first indicator, in real headless Chromium against the production server."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.browser import VIEWPORTS

MAX_TABS = 250
REGION_NAME = "Haaglanden"


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {tag: e.tagName, id: e.id, text: (e.textContent || '')
        .trim().slice(0, 80), cls: e.className || '', href: e.getAttribute('href') || ''}; }"""
    )


def _tab_to(page, matches, what: str) -> dict:
    """Press Tab until the focused element matches; fail with what was reached when it never does."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if matches(focused):
            return focused
        seen.append(focused["tag"] + "#" + focused["id"] + ":" + focused["text"][:20])
    raise AssertionError(f"Tab never reached {what}; reached {seen[:40]} ...")


def test_choose_a_region_open_its_profile_and_download_a_csv_by_keyboard(chromium, demo_server):
    """On the demo dataset: the cbs dataset publishes no figures for Haaglanden."""
    page = chromium.new_page(viewport=VIEWPORTS["desktop"], accept_downloads=True)
    page.goto(demo_server + "/")
    page.wait_for_selector("main h1")
    page.wait_for_load_state("networkidle")

    # 1. the region picker: Tab to it, open with Enter, search by typing, choose with the arrow key and Enter
    _tab_to(page, lambda element: element["id"] == "region-picker", "the region picker")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=listbox]")
    page.keyboard.type(REGION_NAME)
    # the list filters as it is typed into: choose only once the first option is the region (a fixed pause was
    # too short for a busy CI machine)
    page.wait_for_function(
        "(name) => { const first = document.querySelector('[role=option]'); "
        "return first !== null && first.textContent.includes(name); }",
        arg=REGION_NAME,
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**regio=VT*")
    code = page.url.split("regio=")[1][:4]
    page.wait_for_load_state("networkidle")

    # 2. the profile: the navigation's region link now leads to the chosen region
    _tab_to(page, lambda element: element["href"].startswith(f"/regio/{code}"), "the profile link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/regio/{code}*")
    page.wait_for_selector(".profile-chart")
    page.wait_for_load_state("networkidle")
    assert REGION_NAME in page.locator("main h1").inner_text()

    # 3. the first indicator's chart: open its download menu with Enter, Tab to the CSV link, Enter downloads it
    first = page.locator("section.profile-chart").first
    indicator = first.get_attribute("data-indicator")
    _tab_to(
        page,
        lambda element: (
            element["tag"] == "SUMMARY"
            and page.evaluate("() => document.activeElement.closest('section.profile-chart')?.dataset.indicator || ''")
            == indicator
            and page.evaluate("() => document.activeElement.parentElement.classList.contains('downloads')")
        ),
        "the first chart's download menu",
    )
    page.keyboard.press("Enter")
    _tab_to(page, lambda element: "download-link" in element["cls"], "the first download link")
    assert "formaat=csv" in _focused(page)["href"] and "bereik=getoond" in _focused(page)["href"]
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows and {row["indicator_id"] for row in rows} == {indicator}
    assert code in {row["region_code"] for row in rows}
    page.close()


def test_focus_is_visible_on_links_buttons_and_controls(chromium, cbs_server):
    page = chromium.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(cbs_server + "/landelijk/ontvangen_meldingen")
    page.wait_for_selector("main h1")
    outlines = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
               return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
        )
        tag, outline_style, outline_width, shadow = style
        if tag == "BODY":  # past the last element: the browser's own controls come next
            break
        visible = (outline_style not in ("none", "") and outline_width != "0px") or shadow not in ("none", "")
        assert visible, f"{tag} has no visible focus indicator"
        outlines.add(tag)
    assert "A" in outlines and len(outlines) > 1, outlines
    page.close()
