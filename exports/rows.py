"""The rows of a download: the cells a chart shows, or its indicator's full series, described for reuse.

A chart names its cells as keys (indicator, region, period, category); the values come from the same observations
(and the same per-1,000 rates) the chart was drawn from. A cell without an observation stays in the download with an
empty value and its status, never 0: the download has exactly the rows of the chart's table.
"""

from __future__ import annotations

import pandas as pd

from layouts.figures.trend import period_label

MISSING = "niet_gepubliceerd"
DECIMALS = 6  # of rates and shares in every format
KEY = ["indicator_id", "region_code", "period_code", "category_code"]
RATE_COLUMNS = ["rate_per_1000", "population", "population_year"]
COLUMNS = [
    "indicator_id", "indicator_title", "unit", "category_code", "category_title",
    "region_code", "region_name", "region_level", "period_code", "period_label",
    "value", "value_status", *RATE_COLUMNS, "share_pct",
    "source_table", "source_snapshot", "dataset_kind", "build_id",
]  # fmt: skip
# What each value_status means, for the metadata of every download.
STATUSES = {
    "definitief": "final figure",
    "voorlopig": "provisional figure (may still change)",
    "nader_voorlopig": "revised provisional figure (may still change)",
    "geheim": "suppressed by the publisher to protect privacy (value left empty)",
    "niet_gepubliceerd": "no figure published for this cell (value left empty)",
    "niet_van_toepassing": "not applicable",
    "regio_bestaat_niet": "the region did not exist in this period's classification (value left empty)",
}


def keys_frame(rows: list[tuple], extra: dict[str, list] | None = None) -> pd.DataFrame:
    """Cells as a frame of KEY columns (plus extra shown columns such as share_pct or a reason)."""
    frame = pd.DataFrame(rows, columns=KEY, dtype="object")
    for column, values in (extra or {}).items():
        frame[column] = values
    return frame


def shown_rows(store, keys: pd.DataFrame) -> pd.DataFrame:
    """The observations of the given cells in the keys' order; missing cells get status 'niet_gepubliceerd' and
    cells with a `reason` (shown without a number, e.g. a region that did not exist) keep their reason."""
    parts = []
    for indicator_id, cells in keys.groupby("indicator_id", sort=False):
        found = store.chart_observations(
            indicator_id,
            tuple(sorted(set(cells["region_code"]))),
            tuple(sorted(set(cells["period_code"]))),
        )
        parts.append(_left_join(cells, found))
    if not parts:
        return _empty()
    frame = pd.concat(parts, ignore_index=True)
    frame["value_status"] = frame["value_status"].where(frame["value_status"].notna(), MISSING)
    if "reason" in frame:
        hidden = frame["reason"].notna()
        frame.loc[hidden, ["value", "rate_per_1000", "population_count", "population_year"]] = None
        frame.loc[hidden, "value_status"] = frame.loc[hidden, "reason"]
        frame = frame.drop(columns="reason")
    return frame


def _left_join(cells: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Cells joined to their observations on the key; an empty category (no breakdown) matches an empty one."""
    left = cells.assign(category_code=cells["category_code"].fillna(""))
    right = found.assign(category_code=found["category_code"].astype("object").fillna(""))
    joined = left.merge(right, on=KEY, how="left", sort=False)
    return joined.assign(category_code=joined["category_code"].replace("", None))


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*KEY, "value", "value_status", "rate_per_1000", "population_count"])


def describe(store, frame: pd.DataFrame, lang: str, *, rate: bool, share: bool) -> pd.DataFrame:
    """The download's columns in their fixed order: codes with titles, names and labels in the visitor's language,
    the rate columns only when a rate is meaningful, the share only when the chart shows shares."""
    title = "title_en" if lang == "en" else "title_nl"
    name = "name_en" if lang == "en" else "name_nl"
    indicators = store.indicators().set_index("indicator_id")
    regions = store.region_names().set_index("region_code")
    frame = frame.rename(columns={"population_count": "population"}).copy()
    frame["indicator_title"] = frame["indicator_id"].map(indicators[title])
    frame["unit"] = frame["indicator_id"].map(indicators["unit"])
    frame["category_title"] = frame["category_code"].map(_category_titles(store, indicators, title))
    latest_names = frame["region_code"].map(regions[name])
    # A chart may name regions as its period's classification did (keys carry region_name); else the latest name.
    frame["region_name"] = frame["region_name"].fillna(latest_names) if "region_name" in frame else latest_names
    frame["region_level"] = frame["region_code"].map(regions["level"])
    frame["period_label"] = [period_label(code, lang) for code in frame["period_code"]]
    manifest = store.manifest()
    frame["dataset_kind"] = "fictitious_demo" if manifest.get("is_fictitious") else "published"
    frame["build_id"] = manifest["build_id"]
    for column in ("rate_per_1000", "share_pct"):
        if column in frame:  # beyond six decimals a rate only carries floating-point noise
            frame[column] = frame[column].astype("float64").round(DECIMALS)
    for column in ("population", "population_year"):
        frame[column] = frame[column].astype("Int64") if column in frame else pd.NA
    columns = [
        column for column in COLUMNS if (rate or column not in RATE_COLUMNS) and (share or column != "share_pct")
    ]
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame[columns].reset_index(drop=True)


def _category_titles(store, indicators: pd.DataFrame, title: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for breakdown in indicators["breakdown"].dropna().unique():
        categories = store.categories(breakdown)
        titles.update(zip(categories["category_code"], categories[title], strict=True))
    return titles
