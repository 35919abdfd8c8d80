"""axe-core (bundled by axe-playwright-python) run inside a page: WCAG 2.1 A and AA violations, readably."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE = Axe()


def violations(page) -> list[str]:
    """One line per violated rule: rule id, impact, number of elements and the first element with its failure."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    found = _AXE.run(page, options=options).response["violations"]
    lines = []
    for rule in found:
        first = rule["nodes"][0]
        summary = " ".join(first.get("failureSummary", "").split())[:240]
        lines.append(f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])}x) at {first['target']}: {summary}")
    return lines
