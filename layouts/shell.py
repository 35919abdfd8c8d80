"""The app shell: header with navigation, region picker and language switch; demo banner; main; footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts import ids
from layouts.components import notices
from layouts.labels import text
from layouts.state import ViewState

DEFAULT_INDICATOR = "ontvangen_meldingen"
DEFAULT_REGION = "VT09"
LEVEL_LABELS = {
    "land": "level_land",
    "landsdeel": "level_landsdeel",
    "provincie": "level_provincie",
    "veilig_thuis_regio": "level_veilig_thuis_regio",
    "gemeente": "level_gemeente",
}


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
                html.P(html.A(text("footer_accessibility", lang), href=ViewState(lang=lang).href("/toegankelijkheid"))),
            ]
        ),
        className="site-footer mt-5 py-3",
    )


def dropdown_labels(lang: str) -> dict[str, str]:
    """The dropdown's own words (search box, clear buttons) in the visitor's language."""
    keys = (
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
        "select_all",
        "deselect_all",
        "selected_count",
    )
    return {key: text(f"dropdown_{key}", lang) for key in keys}


def region_options(regions: pd.DataFrame, lang: str) -> list[dict]:
    """Picker options: every region, labelled with its level so the list reads as groups and searches by code."""
    name = "name_en" if lang == "en" else "name_nl"
    options = []
    for row in regions.itertuples():
        level = text(LEVEL_LABELS.get(row.level, "level_gemeente"), lang)
        options.append({"label": f"{getattr(row, name)} — {level} ({row.region_code})", "value": row.region_code})
    return options


def _is_current(path: str, target: str) -> bool:
    """True when a navigation target is the page shown: same path, or same section (/landelijk/...)."""
    segments = target.strip("/").split("/")
    if len(segments) < 2:
        return path == target
    return path.startswith(f"/{segments[0]}/")


def navigation(state: ViewState, path: str, regions: pd.DataFrame | None) -> html.Nav:
    lang = state.lang
    region = state.region or DEFAULT_REGION
    links = [
        ("nav_overview", "/"),
        ("nav_national", f"/landelijk/{DEFAULT_INDICATOR}"),
        ("nav_regional", f"/regionaal/{DEFAULT_INDICATOR}"),
        ("nav_profile", f"/regio/{region}"),
        ("nav_compare", "/vergelijk"),
        ("nav_data", "/data"),
    ]
    items = [
        dbc.NavItem(
            dbc.NavLink(
                text(key, lang),
                href=state.href(target),
                active=_is_current(path, target),
            )
        )
        for key, target in links
    ]
    picker = dcc.Dropdown(
        id=ids.REGION_PICKER,
        options=region_options(regions, lang) if regions is not None else [],
        value=state.region,
        placeholder=text("region_picker_placeholder", lang),
        searchable=True,
        clearable=True,
        labels=dropdown_labels(lang),
        className="region-picker",
    )
    return html.Nav(
        [
            dbc.Nav(items, pills=True, className="flex-wrap"),
            html.Div(
                [
                    html.Label(
                        text("region_picker_label", lang), htmlFor=ids.REGION_PICKER, className="visually-hidden"
                    ),
                    picker,
                    dcc.Store(id=ids.REGION_PICKER_RENDERED, data=state.region),
                ],
                className="region-picker-wrap",
            ),
        ],
        className="site-nav d-flex flex-wrap gap-2 align-items-center justify-content-between py-2",
        **{"aria-label": text("nav_label", lang)},
    )


def page(
    body: list,
    manifest: dict | None,
    state: ViewState,
    path: str,
    regions: pd.DataFrame | None = None,
) -> html.Div:
    """A whole page: skip link, header with navigation, optional demo banner, notices, main content and footer."""
    lang = state.lang
    other = "en" if lang == "nl" else "nl"
    return html.Div(
        [
            html.A(text("skip_to_content", lang), href="#main", className="skip-link"),
            html.Header(
                dbc.Container(
                    [
                        html.Div(
                            [
                                html.A(text("product_name", lang), href=state.href("/"), className="brand"),
                                html.A(
                                    text("language_switch", lang),
                                    href=state.href(path, lang=other),
                                    lang=other,
                                    hrefLang=other,
                                    className="lang-switch",
                                    id=ids.LANGUAGE_SWITCH,
                                ),
                            ],
                            className="d-flex justify-content-between align-items-center py-2",
                        ),
                    ]
                ),
                className="site-header",
            ),
            dbc.Container(navigation(state, path, regions)),
            demo_banner(manifest, lang),
            html.Main(dbc.Container([notices(state.notices), *body], className="pt-3"), id="main", lang=lang),
            footer(manifest, lang),
        ]
    )


def app_layout() -> html.Div:
    """The top-level layout: the URL (for navigation from callbacks) plus the registered page."""
    return html.Div([dcc.Location(id=ids.URL, refresh="callback-nav"), dash.page_container])
