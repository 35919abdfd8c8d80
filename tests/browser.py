"""Launching Debian's headless Chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The phone is the narrowest common width (WCAG 1.4.10 reflow is tested at 320 CSS px; issue 5 asks 360).
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 800}}


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Debian's chromium is not installed: run `make browser` (apt-get install chromium)")
    return path


@contextmanager
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots (kept out of git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_page(chromium, url: str, viewport: str = "desktop"):
    """A new page at `url` (HTTP 200 asserted) and the list collecting its console errors, page errors and 5xx."""
    page = chromium.new_page(viewport=VIEWPORTS[viewport])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda answer: errors.append(f"{answer.status} {answer.url}") if answer.status >= 500 else None)
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_selector("h1")
    return page, errors
