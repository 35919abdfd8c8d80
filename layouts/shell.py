"""The app shell: header, demo banner, main landmark and footer around every page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.labels import text


def is_demo(manifest: dict | None) -> bool:
    """True when the loaded build is the fictitious demo dataset."""
    return bool(manifest and manifest.get("is_fictitious"))


def demo_banner(manifest: dict | None, lang: str) -> html.Div | None:
    """A clear banner when the loaded dataset is the fictitious demo."""
    if not is_demo(manifest):
        return None
    return dbc.Alert(
        text("demo_banner", lang), color="warning", id=ids.DEMO_BANNER, className="demo-banner mb-0 rounded-0"
    )


def footer(manifest: dict | None, lang: str) -> html.Footer:
    version = []
    if manifest:
        version = [
            f"{text('data_version', lang)}: {manifest['build_id']} ({manifest['dataset_kind']}), "
            f"{text('built_on', lang)} {manifest['built_at'][:10]}"
        ]
    return html.Footer(
        dbc.Container(
            [
                html.P(text("help_line", lang), className="help-line"),
                html.P(text("source_line_demo" if is_demo(manifest) else "source_line", lang)),
                html.P(version, id=ids.FOOTER_VERSION, className="small"),
            ]
        ),
        className="site-footer mt-5 py-3",
    )


def page(body: list, manifest: dict | None, lang: str) -> html.Div:
    """A whole page: skip link, header, optional demo banner, main content and footer."""
    return html.Div(
        [
            html.A(text("skip_to_content", lang), href="#main", className="skip-link"),
            html.Header(
                dbc.Container(
                    [
                        html.A(
                            text("product_name", lang), href="/" if lang == "nl" else "/?lang=en", className="brand"
                        ),
                        html.A(
                            text("language_switch", lang),
                            href="/?lang=en" if lang == "nl" else "/",
                            lang="en" if lang == "nl" else "nl",
                            className="lang-switch",
                        ),
                    ],
                    className="d-flex justify-content-between align-items-center py-2",
                ),
                className="site-header",
            ),
            demo_banner(manifest, lang),
            html.Main(dbc.Container(body, className="pt-3"), id="main", lang=lang),
            footer(manifest, lang),
        ]
    )


def app_layout() -> html.Div:
    """The top-level layout: URL location plus the registered page."""
    return html.Div([dcc.Location(id=ids.URL), dash.page_container])
