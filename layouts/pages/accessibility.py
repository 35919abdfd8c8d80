"""Accessibility statement `/toegankelijkheid`: the standard, how it is tested, what is provided, known limits.

A Dutch public-sector site must publish such a statement (toegankelijkheidsverklaring). It needs no data, but it
gets the shell (region picker, data version in the footer) like every page, also before any build exists.
"""

from __future__ import annotations

import dash
from dash import html

from layouts import shell
from layouts.labels import text
from layouts.state import ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

PATH = "/toegankelijkheid"
STATEMENT_DATE = "2026-11-22"  # the day the text was last checked against the project; shown as `a11y_date_text`
WCAG_URL = "https://www.w3.org/TR/WCAG21/"
SECTIONS = {
    "testing": ("a11y_test_axe", "a11y_test_keyboard", "a11y_test_lighthouse", "a11y_test_manual"),
    "provided": (
        "a11y_provided_summary",
        "a11y_provided_map",
        "a11y_provided_keyboard",
        "a11y_provided_colour",
        "a11y_provided_english",
        "a11y_provided_phone",
        "a11y_provided_data",
    ),
    "limits": ("a11y_limit_images", "a11y_limit_modebar", "a11y_limit_map", "a11y_limit_pdf"),
}

dash.register_page(
    __name__, path=PATH, title="Toegankelijkheidsverklaring — Impactmonitor huiselijk geweld en kindermishandeling"
)


def listed(heading: str, keys: tuple[str, ...], lang: str) -> html.Section:
    """A section of the statement that is a plain list of points."""
    return html.Section([html.H2(text(heading, lang)), html.Ul([html.Li(text(key, lang)) for key in keys])])


def contact_section(lang: str) -> html.Section:
    """How to report a problem; what only the publishing organisation can say is a visibly marked placeholder."""
    placeholder = html.P(
        [html.Strong(text("a11y_placeholder_label", lang)), " ", text("a11y_placeholder", lang)],
        className="alert alert-warning",
        **{"data-placeholder": "publisher"},
    )
    return html.Section([html.H2(text("a11y_contact_heading", lang)), html.P(text("a11y_contact", lang)), placeholder])


def body(state: ViewState) -> list:
    lang = state.lang
    date = html.Time(text("a11y_date_text", lang), dateTime=STATEMENT_DATE)
    before, after = text("a11y_date", lang).split("{date}")
    return [
        html.H1(text("a11y_title", lang)),
        html.P(text("a11y_intro", lang), className="lead"),
        html.Section(
            [
                html.H2(text("a11y_standard_heading", lang)),
                html.P(text("a11y_standard", lang)),
                html.P(html.A(text("a11y_wcag_link", lang), href=WCAG_URL, hrefLang="en")),
            ]
        ),
        html.Section([html.H2(text("a11y_status_heading", lang)), html.P(text("a11y_status", lang))]),
        listed("a11y_testing_heading", SECTIONS["testing"], lang),
        listed("a11y_provided_heading", SECTIONS["provided"], lang),
        listed("a11y_limits_heading", SECTIONS["limits"], lang),
        contact_section(lang),
        html.Section([html.H2(text("a11y_date_heading", lang)), html.P([before, date, after])]),
    ]


def layout(**query) -> html.Div:
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        return shell.page(body(state), store.manifest(), state, PATH, store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        return shell.page(body(state), None, state, PATH)
