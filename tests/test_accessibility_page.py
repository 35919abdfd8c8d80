"""The accessibility statement /toegankelijkheid over the real server: Dutch and English, one h1, the footer link to
it from every page (keeping the language), and the page still there before any build is published."""

import json
from datetime import date
from pathlib import Path

import pytest

import app  # noqa: F401  (instantiates Dash, so the page modules can register)
from layouts.labels import LABELS
from layouts.pages.accessibility import PATH, STATEMENT_DATE
from tests.http_client import get, routed_page
from tests.servers import running_server


def _route(base: str, path: str, search: str = "") -> dict:
    """The page as Dash's page router sends it to the browser: a component tree (JSON)."""
    status, body = routed_page(base, path, search)
    assert status == 200
    return json.loads(body)["response"]["_pages_content"]["children"]


def _walk(node):
    """Every component (a dict with `type` and `props`) of a serialised tree, depth first."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict) and "props" in node:
        yield node
        yield from _walk(node["props"].get("children"))


def _text(node) -> str:
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(_text(item) for item in node)
    if isinstance(node, dict) and "props" in node:
        return _text(node["props"].get("children"))
    return ""


def _of_type(tree, kind: str) -> list[dict]:
    return [node for node in _walk(tree) if node["type"] == kind]


def _footer_links(tree) -> list[str]:
    footer = _of_type(tree, "Footer")
    assert len(footer) == 1
    return [link["props"].get("href") for link in _of_type(footer[0], "A")]


def _build_id(warehouse: Path) -> str:
    return (warehouse / "CURRENT").read_text().strip()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_statement_renders_in_both_languages_with_one_h1(cbs_server, cbs_warehouse, lang):
    index = 0 if lang == "nl" else 1
    search = "" if lang == "nl" else "?lang=en"
    status, _, page = get(cbs_server + PATH + search)
    assert status == 200 and f'<html lang="{lang}">' in page.decode()
    tree = _route(cbs_server, PATH, search)
    headings = _of_type(tree, "H1")
    assert [_text(h) for h in headings] == [LABELS["a11y_title"][index]]
    assert _of_type(tree, "Main")[0]["props"]["lang"] == lang
    words = _text(tree)
    for key in ("a11y_standard", "a11y_status", "a11y_test_axe", "a11y_limit_pdf", "a11y_placeholder"):
        assert LABELS[key][index] in words
    assert "WCAG 2.1" in words and "EN 301 549" in words
    times = _of_type(tree, "Time")
    assert [t["props"]["dateTime"] for t in times] == [STATEMENT_DATE]
    placeholders = [n for n in _walk(tree) if n["props"].get("data-placeholder") == "publisher"]
    assert len(placeholders) == 1 and LABELS["a11y_placeholder_label"][index] in _text(placeholders[0])
    assert _build_id(cbs_warehouse) in _text(_of_type(tree, "Footer"))
    assert "Traceback" not in json.dumps(tree)


@pytest.mark.parametrize(("search", "href"), [("", PATH), ("?regio=VT09&lang=en", PATH + "?lang=en")])
def test_other_pages_link_to_the_statement_in_the_footer_keeping_the_language(cbs_server, search, href):
    for path in ("/", "/data"):
        assert href in _footer_links(_route(cbs_server, path, search))


def test_an_unknown_region_gets_a_notice_not_an_error(cbs_server):
    tree = _route(cbs_server, PATH, "?regio=XX99")
    assert "XX99" in _text(tree) and len(_of_type(tree, "H1")) == 1


def test_the_statement_needs_no_published_build(tmp_path):
    with running_server(tmp_path / "empty", workers=1) as base:
        tree = _route(base, PATH)
    assert [_text(h) for h in _of_type(tree, "H1")] == [LABELS["a11y_title"][0]]
    assert PATH in _footer_links(tree)


def test_the_shown_date_is_the_statement_date():
    day = date.fromisoformat(STATEMENT_DATE)
    months = {"nl": "november", "en": "November"}  # the month of STATEMENT_DATE; a new date must update both texts
    assert day.month == 11
    assert LABELS["a11y_date_text"] == (f"{day.day} {months['nl']} {day.year}", f"{day.day} {months['en']} {day.year}")
