"""COMPARISON BASELINE ONLY: the main callbacks written the naive way, for benchmarks/callbacks.py to time.

Never imported by the app. This is how a typical Dash app would answer the same callback requests: the whole
observations table kept in memory as one pandas frame (read once at start), boolean-mask filtering of that frame
on every call, figures built with plotly express, every output re-rendered on every action (no Patch, no partial
outputs) and no memoisation. Each function takes the same arguments as its counterpart in callbacks/ and returns
the same outputs (figures as plotly Figure objects, which Dash serialises with `to_plotly_json`), so the benchmark
can serialise both the same way and compare their cost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.express as px
from dash import ctx, dcc, html

NATIONAL = "NL01"
POPULATION_INDICATOR = "ontvangen_meldingen"
HEADLINE_PEERS = 4
SORT_COLUMNS = {"rank": "rank", "name": "name", "value": "value", "rate": "rate"}


@dataclass
class Data:
    """Every table a naive app keeps in memory, read once when the process starts."""

    observations: pd.DataFrame
    indicators: pd.DataFrame
    categories: pd.DataFrame
    regions: pd.DataFrame
    names: pd.DataFrame
    population: pd.DataFrame
    boundaries: pd.DataFrame
    geojson: dict[str, dict]


_data: Data | None = None


def load(warehouse_dir: Path) -> Data:
    """Read the current build's Parquet files and boundary files into memory (what the naive app does at start)."""
    global _data
    build = warehouse_dir / (warehouse_dir / "CURRENT").read_text(encoding="utf-8").strip()
    boundaries = pd.read_parquet(build / "boundaries.parquet")
    _data = Data(
        observations=pd.read_parquet(build / "observations.parquet"),
        indicators=pd.read_parquet(build / "indicators.parquet"),
        categories=pd.read_parquet(build / "categories.parquet"),
        regions=pd.read_parquet(build / "regions.parquet"),
        names=pd.read_parquet(build / "region_names.parquet"),
        population=pd.read_parquet(build / "population_for_periods.parquet"),
        boundaries=boundaries,
        geojson={
            name: json.loads((build / "geo" / name).read_text(encoding="utf-8"))
            for name in boundaries["geojson_file"].unique()
        },
    )
    return _data


def _title(row, lang: str) -> str:
    return row["title_en" if lang == "en" else "title_nl"]


def _indicator(indicator_id: str) -> pd.Series:
    indicators = _data.indicators
    return indicators[indicators["indicator_id"] == indicator_id].iloc[0]


def _total_category(indicator: pd.Series) -> str | None:
    if not isinstance(indicator["breakdown"], str):
        return None
    categories = _data.categories
    totals = categories[(categories["breakdown"] == indicator["breakdown"]) & categories["is_total"]]
    return totals["category_code"].iloc[0] if len(totals) else None


def _category_mask(frame: pd.DataFrame, category: str | None) -> pd.Series:
    return frame["category_code"].isna() if category is None else frame["category_code"] == category


def _with_names_and_rates(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Region names and the rate per 1,000 inhabitants, joined on every call."""
    names = _data.names[["region_code", "name_en" if lang == "en" else "name_nl"]].drop_duplicates("region_code")
    frame = frame.merge(names.rename(columns={names.columns[1]: "name"}), on="region_code", how="left")
    frame["year"] = frame["period_code"].str[:4].astype(int)
    population = _data.population[["region_code", "period_year", "population_count"]]
    frame = frame.merge(
        population, left_on=["region_code", "year"], right_on=["region_code", "period_year"], how="left"
    )
    frame["rate"] = frame["value"] / frame["population_count"] * 1000
    return frame


def _table(frame: pd.DataFrame, columns: list[str]) -> html.Table:
    header = html.Thead(html.Tr([html.Th(column) for column in columns]))
    body = html.Tbody([html.Tr([html.Td("" if pd.isna(cell) else str(cell)) for cell in row]) for row in frame.values])
    return html.Table([header, body], className="table table-sm")


# -- /landelijk/<indicator> --------------------------------------------------------------------------------------


def update_view(period_type, view, measure, category, breakdown_measure, bars, context):
    """The national trend (NL and the chosen region) and, for breakdown indicators, the breakdown over time."""
    indicator_id, region, lang = context["indicator"], context.get("region"), context["lang"]
    indicator = _indicator(indicator_id)
    obs = _data.observations
    shown_category = None if category in (None, "alle") else category
    shown_category = shown_category or _total_category(indicator)
    regions = [NATIONAL] + ([region] if region else [])
    mask = (obs["indicator_id"] == indicator_id) & obs["region_code"].isin(regions)
    mask &= (obs["period_type"] == period_type) & _category_mask(obs, shown_category)
    trend = _with_names_and_rates(obs[mask], lang).sort_values("period_code")
    y = "rate" if measure == "per1000" else "value"
    trend_figure = px.line(trend, x="period_code", y=y, color="name", markers=True, title=_title(indicator, lang))
    trend_table = trend.pivot_table(index="period_code", columns="name", values=y).reset_index()
    sections = [
        html.Section(
            [
                html.H2(_title(indicator, lang)),
                dcc.Graph(figure=trend_figure) if view == "grafiek" else None,
                _table(trend_table, list(trend_table.columns)),
            ]
        )
    ]
    if isinstance(indicator["breakdown"], str):
        total = _total_category(indicator)
        mask = (obs["indicator_id"] == indicator_id) & (obs["region_code"] == NATIONAL)
        mask &= (obs["period_type"] == period_type) & obs["category_code"].notna() & (obs["category_code"] != total)
        parts = obs[mask].merge(
            _data.categories[_data.categories["breakdown"] == indicator["breakdown"]], on="category_code"
        )
        parts["title"] = parts["title_en" if lang == "en" else "title_nl"]
        parts["share"] = parts["value"] / parts.groupby("period_code")["value"].transform("sum") * 100
        bar_y = "share" if breakdown_measure == "aandeel" else "value"
        figure = px.bar(
            parts.sort_values(["period_code", "category_order"]),
            x="period_code",
            y=bar_y,
            color="title",
            barmode="group" if bars == "naast" else "stack",
        )
        table = parts.pivot_table(index="period_code", columns="title", values=bar_y).reset_index()
        sections.append(html.Section([dcc.Graph(figure=figure), _table(table, list(table.columns))]))
    query = "?" + urlencode({"periodetype": period_type, "maat": measure, **({"regio": region} if region else {})})
    return sections, query


# -- /regionaal/<indicator> --------------------------------------------------------------------------------------


def _classification(level: str, year: int) -> pd.DataFrame:
    regions = _data.regions[_data.regions["level"] == level]
    years = regions["classification_year"]
    nearest = years.iloc[(years - year).abs().argsort().iloc[0]]
    return regions[regions["classification_year"] == nearest]


def _geojson(level: str, year: int) -> dict:
    rows = _data.boundaries[_data.boundaries["level"] == level]
    row = rows.iloc[(rows["classification_year"] - year).abs().argsort().iloc[0]]
    return _data.geojson[row["geojson_file"]]


def update_regional(level, period, measure, category, map_click, bar_click, sort_clicks, context):
    """Map, ranked bar, table and sentences, all re-rendered for every control change, click and sort."""
    indicator_id, lang, region, sort = context["indicator"], context["lang"], context["region"], context["sort"]
    indicator = _indicator(indicator_id)
    trigger = ctx.triggered_id
    if isinstance(trigger, dict):
        column = trigger["column"]
        sort = [column, not sort[1] if column == sort[0] else column in ("value", "rate")]
    elif trigger in ("regional-map", "regional-bar"):
        click = map_click if trigger == "regional-map" else bar_click
        point = click["points"][0]
        region = point.get("location", point.get("customdata"))
    obs = _data.observations
    at_level = obs[(obs["indicator_id"] == indicator_id) & (obs["region_level"] == level)]
    periods = sorted(at_level.loc[at_level["value"].notna(), "period_code"].unique(), reverse=True)
    if period not in periods:
        period = periods[0]
    category = category or _total_category(indicator)
    values = at_level[(at_level["period_code"] == period) & _category_mask(at_level, category)]
    year = int(period[:4])
    regions = _classification(level, year)[["region_code", "name_en" if lang == "en" else "name_nl"]]
    frame = regions.set_axis(["region_code", "name"], axis=1).merge(values, on="region_code", how="left")
    frame["period_code"] = period
    population = _data.population[_data.population["period_year"] == year][["region_code", "population_count"]]
    frame = frame.merge(population, on="region_code", how="left")
    frame["rate"] = frame["value"] / frame["population_count"] * 1000
    shown = "rate" if measure == "per1000" else "value"
    frame["rank"] = frame[shown].rank(ascending=False, method="min")
    frame["selected"] = frame["region_code"] == region
    geojson = _geojson(level, year)
    map_figure = px.choropleth(
        frame,
        geojson=geojson,
        locations="region_code",
        featureidkey="id",
        color=shown,
        hover_name="name",
        hover_data=["rank", "value", "rate"],
        color_continuous_scale="Blues",
    )
    map_figure.update_geos(fitbounds="locations", visible=False)
    map_figure.update_traces(marker_line_width=[3 if selected else 0.6 for selected in frame["selected"]])
    published = frame[frame[shown].notna()].sort_values("rank")
    bar_figure = px.bar(
        published, x=shown, y="name", orientation="h", color="selected", custom_data=["region_code"], text=shown
    )
    national = obs[
        (obs["indicator_id"] == indicator_id)
        & (obs["region_code"] == NATIONAL)
        & (obs["period_code"] == period)
        & _category_mask(obs, category)
    ]
    if len(national) and measure != "per1000" and indicator["unit"] != "aantal":
        bar_figure.add_vline(x=float(national["value"].iloc[0]), line_dash="dash")
    column, descending = sort
    ordered = frame.sort_values(SORT_COLUMNS[column], ascending=not descending, na_position="last")
    table = _table(
        ordered[["rank", "name", "region_code", "value", "rate"]], ["#", "Regio", "Code", "Waarde", "Per 1.000"]
    )
    mine = frame[frame["selected"]]
    rank = (
        f"{mine['name'].iloc[0]} staat op plek {mine['rank'].iloc[0]:.0f}"
        if len(mine) and mine["rank"].notna().all()
        else ""
    )
    summary = f"Voor {len(published)} van de {len(frame)} regio's is een cijfer gepubliceerd."
    sources = html.P("Bron: " + ", ".join(sorted(published["source_table"].dropna().unique())))
    options = [{"label": code, "value": code} for code in periods]
    new_context = {**context, "region": region, "sort": list(sort)}
    search = "?" + urlencode(
        {"periode": period, "niveau": level, "maat": measure, **({"regio": region} if region else {})}
    )
    return [
        options, period, map_figure, bar_figure, [table], rank, summary, "", [sources], [sources],
        new_context, search, region, region, summary,
    ]  # fmt: skip


# -- /regio/<code> -----------------------------------------------------------------------------------------------


def _default_peers(code: str) -> list[str]:
    """The regions of the same level with the nearest population (recomputed on every call)."""
    level = _data.names.loc[_data.names["region_code"] == code, "level"].iloc[0]
    population = _data.population[_data.population["period_year"] == _data.population["period_year"].max()]
    same = population[population["region_code"].isin(_data.names.loc[_data.names["level"] == level, "region_code"])]
    mine = same.loc[same["region_code"] == code, "population_count"]
    if mine.empty:
        return []
    distance = (same["population_count"] - mine.iloc[0]).abs()
    nearest = same.assign(distance=distance).sort_values("distance")
    return [peer for peer in nearest["region_code"] if peer != code][:HEADLINE_PEERS]


def update_profile(period_type, peers, query, pathname):
    """Every indicator against NL, a trend chart per headline indicator with peers, and the gemeenten."""
    code = pathname.rsplit("/", 1)[-1].upper()
    lang = "en" if "lang=en" in query else "nl"
    peers = [peer for peer in (peers or []) if peer != code] or _default_peers(code)
    obs = _data.observations
    mine = obs[obs["region_code"].isin([code, NATIONAL]) & (obs["period_type"] == period_type)]
    mine = mine[mine["category_code"].isna() & mine["value"].notna()]
    latest = mine[mine["period_code"] == mine.groupby("indicator_id")["period_code"].transform("max")]
    latest = latest.pivot_table(index="indicator_id", columns="region_code", values="value").reset_index()
    latest = latest.merge(_data.indicators[["indicator_id", "title_nl", "title_en"]], on="indicator_id")
    content = [html.H2("Alle indicatoren"), _table(latest, list(latest.columns))]
    codes = [code, NATIONAL, *peers]
    for indicator in _data.indicators[_data.indicators["is_headline"]].itertuples():
        mask = (obs["indicator_id"] == indicator.indicator_id) & obs["region_code"].isin(codes)
        mask &= (obs["period_type"] == period_type) & obs["category_code"].isna()
        series = _with_names_and_rates(obs[mask], lang).sort_values("period_code")
        y = "rate" if isinstance(indicator.denominator, str) else "value"
        figure = px.line(series, x="period_code", y=y, color="name", markers=True, title=indicator.title_nl)
        table = series.pivot_table(index="period_code", columns="name", values=y).reset_index()
        content.append(html.Section([dcc.Graph(figure=figure), _table(table, list(table.columns))]))
    gemeenten = _data.regions[
        (_data.regions["level"] == "gemeente")
        & ((_data.regions["vt_code"] == code) | (_data.regions["pv_code"] == code))
        & (_data.regions["classification_year"] == _data.regions["classification_year"].max())
    ]
    if len(gemeenten):
        values = obs[
            (obs["indicator_id"] == POPULATION_INDICATOR)
            & obs["region_code"].isin(gemeenten["region_code"])
            & (obs["period_type"] == period_type)
            & obs["category_code"].isna()
        ]
        values = values[values["period_code"] == values["period_code"].max()]
        values = _with_names_and_rates(values, lang)[["name", "value", "rate"]].sort_values("name")
        content += [html.H2("Gemeenten"), _table(values, list(values.columns))]
    compare = "/vergelijk?" + urlencode({"regios": ",".join(codes[:8])}, safe=",")
    return content, "?" + urlencode({"regio": code, "periodetype": period_type}), compare


# -- /vergelijk --------------------------------------------------------------------------------------------------


def update_compare(indicator, regions, measure, period_type, query):
    """One line per chosen region over time for one indicator, and the same numbers as a table."""
    lang = "en" if "lang=en" in query else "nl"
    row = _indicator(indicator)
    obs = _data.observations
    mask = (obs["indicator_id"] == indicator) & obs["region_code"].isin(regions or [])
    mask &= (obs["period_type"] == period_type) & _category_mask(obs, _total_category(row))
    series = _with_names_and_rates(obs[mask], lang).sort_values("period_code")
    y = "rate" if measure == "per1000" else "value"
    figure = px.line(series, x="period_code", y=y, color="name", markers=True, title=_title(row, lang))
    table = series.pivot_table(index="period_code", columns="name", values=y).reset_index()
    content = [html.H2(_title(row, lang)), dcc.Graph(figure=figure), _table(table, list(table.columns))]
    options = [
        {"label": "absoluut", "value": "absoluut"},
        {"label": "per 1.000 inwoners", "value": "per1000", "disabled": not isinstance(row["denominator"], str)},
    ]
    query = "?" + urlencode({"indicator": indicator, "regios": ",".join(regions or []), "maat": measure}, safe=",")
    return content, query, options
