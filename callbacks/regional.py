"""Regional page callback: controls, region clicks and table sorting -> map, ranked bar, table and the URL."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, Patch, State, callback, clientside_callback, ctx, no_update
from dash.exceptions import PreventUpdate

from layouts import ids, shell
from layouts.figures import regional as figures
from layouts.labels import LANGUAGES
from layouts.pages import regional as page
from layouts.state import MEASURES, ViewState
from store import runtime

CONTROLS = (ids.REGIONAL_LEVEL, ids.REGIONAL_PERIOD, ids.REGIONAL_MEASURE, ids.REGIONAL_CATEGORY)
OUTPUT_COUNT = 15


def _valid_context(context) -> dict:
    """The page context from the browser, checked field by field; anything forged stops the update."""
    if not isinstance(context, dict):
        raise PreventUpdate
    indicator, lang, region = context.get("indicator"), context.get("lang"), context.get("region")
    sort, default = context.get("sort"), context.get("default_category")
    if not isinstance(indicator, str) or lang not in LANGUAGES:
        raise PreventUpdate
    if region is not None and (not isinstance(region, str) or region not in runtime.current().known_regions()):
        raise PreventUpdate
    if not (isinstance(sort, list) and len(sort) == 2 and sort[0] in page.SORT_COLUMNS and isinstance(sort[1], bool)):
        raise PreventUpdate
    if default is not None and not isinstance(default, str):
        raise PreventUpdate
    return {"indicator": indicator, "lang": lang, "region": region, "sort": (sort[0], sort[1]), "default": default}


def _clicked_region(click) -> str | None:
    """The region code of a clicked map shape or bar, or None when the payload is not one."""
    if not isinstance(click, dict) or not isinstance(click.get("points"), list) or not click["points"]:
        return None
    point = click["points"][0]
    if not isinstance(point, dict):
        return None
    code = point.get("location", point.get("customdata"))
    return code if isinstance(code, str) else None


@callback(
    Output(ids.REGIONAL_PERIOD, "options"),
    Output(ids.REGIONAL_PERIOD, "value"),
    Output(ids.REGIONAL_MAP, "figure"),
    Output(ids.REGIONAL_BAR, "figure"),
    Output(ids.REGIONAL_TABLE, "children"),
    Output(ids.REGIONAL_RANK, "children"),
    Output(ids.REGIONAL_SUMMARY, "children"),
    Output(ids.REGIONAL_POPULATION_NOTE, "children"),
    Output(ids.REGIONAL_MAP_SOURCE, "children"),
    Output(ids.REGIONAL_BAR_SOURCE, "children"),
    Output(ids.REGIONAL_CONTEXT, "data"),
    Output(ids.REGIONAL_SEARCH, "data"),
    Output(ids.REGION_PICKER, "value", allow_duplicate=True),
    Output(ids.REGION_PICKER_RENDERED, "data", allow_duplicate=True),
    Output(ids.REGIONAL_CHART_SUMMARY, "children"),
    Input(ids.REGIONAL_LEVEL, "value"),
    Input(ids.REGIONAL_PERIOD, "value"),
    Input(ids.REGIONAL_MEASURE, "value"),
    Input(ids.REGIONAL_CATEGORY, "value"),
    Input(ids.REGIONAL_MAP, "clickData"),
    Input(ids.REGIONAL_BAR, "clickData"),
    Input({"type": ids.REGIONAL_SORT, "column": ALL}, "n_clicks"),
    State(ids.REGIONAL_CONTEXT, "data"),
    prevent_initial_call=True,
)
def update_regional(level, period, measure, category, map_click, bar_click, sort_clicks, context):
    """One round trip per action: a control re-renders, a region click patches the highlight, a sort re-orders the
    table only (each computes only the parts it sends)."""
    context = _valid_context(context)
    store = runtime.current()
    indicator = page.indicator_record(store, context["indicator"])
    if indicator is None:
        raise PreventUpdate
    levels = page.regional_levels(store, context["indicator"])
    if level not in levels or measure not in MEASURES:
        raise PreventUpdate
    if not (period is None or isinstance(period, str)) or not (category is None or isinstance(category, str)):
        raise PreventUpdate
    trigger = ctx.triggered_id
    region, sort = context["region"], context["sort"]
    if isinstance(trigger, dict):
        column = trigger.get("column")
        clicked = [item["value"] for item in ctx.triggered if item.get("value")]
        if column not in page.SORT_COLUMNS or not clicked:
            raise PreventUpdate  # a re-rendered header reports n_clicks=None: not a click
        sort = page.next_sort(sort, column)
    elif trigger in (ids.REGIONAL_MAP, ids.REGIONAL_BAR):
        region = _clicked_region(map_click if trigger == ids.REGIONAL_MAP else bar_click)
        if region is None or region not in store.known_regions():
            raise PreventUpdate
    elif trigger not in CONTROLS:
        raise PreventUpdate
    state = ViewState(
        lang=context["lang"], region=region, period=period, level=level, measure=measure, category=category or None
    )
    choice, _ = page.resolve(store, indicator, levels, state, sort)
    default = context["default"]
    if trigger in CONTROLS:
        categories = page.indicator_categories(store, indicator)
        if not categories.empty:
            default = page.default_category(store, choice.indicator_id, choice.period, choice.level, categories)
    new_context = {**context, "region": choice.region, "sort": list(choice.sort), "default_category": default}
    del new_context["default"]
    outputs = [no_update] * OUTPUT_COUNT
    outputs[10], outputs[11] = new_context, page.query_for(choice, default)
    if isinstance(trigger, dict):  # a sort re-orders the table and changes nothing else
        outputs[4] = page.table_part(page.prepare(store, indicator, choice))
        return outputs
    if trigger in (ids.REGIONAL_MAP, ids.REGIONAL_BAR):  # a click moves the highlight, the rank and the summary
        prepared = page.prepare(store, indicator, choice)
        ranking = page.ranking_parts(store, prepared)
        outputs[2] = _highlight_map(store, choice)
        outputs[3] = _highlight_bar(prepared, ranking["national"])
        outputs[4], outputs[5] = page.table_part(prepared), ranking["rank"]
        outputs[12] = outputs[13] = choice.region
        outputs[14] = ranking["chart_summary"]
        return outputs
    parts = page.render(store, indicator, choice, fictitious=shell.is_demo(store.manifest()))
    if trigger == ids.REGIONAL_LEVEL:
        outputs[0] = page.period_options(store, choice.indicator_id, choice.level, choice.lang)
    outputs[1] = choice.period if choice.period != period else no_update
    outputs[2:10] = [
        parts["map"],
        parts["bar"],
        parts["table"],
        parts["rank"],
        parts["summary"],
        parts["population"],
        parts["map_source"],
        parts["bar_source"],
    ]
    outputs[14] = parts["chart_summary"]
    return outputs


def _highlight_map(store, choice: page.Choice) -> Patch:
    """Only the outline trace's locations change when another region is selected (every trace already refers to
    the boundaries' URL)."""
    codes = figures.highlight_locations(choice.region)
    patch = Patch()
    patch["data"][2]["locations"] = codes
    patch["data"][2]["z"] = [0] * len(codes)
    return patch


def _highlight_bar(prepared: page.Prepared, national: tuple) -> Patch | dict:
    """Only the bar colours change, unless the ranking is shortened (then the selection decides which bars show)."""
    if len(page.published_rows(prepared.rows)) > figures.MAX_BARS:
        return page.bar_figure(prepared, national)
    codes = [row["region_code"] for row in figures.ranked_rows(prepared.rows, prepared.choice.region)]
    patch = Patch()
    patch["data"][0]["marker"]["color"] = figures.bar_colours(codes, prepared.choice.region)
    return patch


clientside_callback(
    ClientsideFunction(namespace="hgkm", function_name="replaceSearch"),
    Output(ids.REGIONAL_SEARCH, "id"),
    Input(ids.REGIONAL_SEARCH, "data"),
    prevent_initial_call=True,
)
