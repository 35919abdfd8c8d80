"""Output tables derived from the catalog and the observations: indicators, categories, themes, periods,
availability."""

from __future__ import annotations

import pandas as pd

from etl.catalog import Catalog
from etl.codes import parse_period_code, region_level


def indicators_table(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": ind.id,
                "theme_id": ind.theme,
                "title_nl": ind.title_nl,
                "title_en": ind.title_en,
                "definition_nl": ind.definition_nl,
                "definition_en": ind.definition_en,
                "unit": ind.unit,
                "decimals": ind.decimals,
                "denominator": ind.denominator,
                "polarity": ind.polarity,
                "breakdown": ind.breakdown,
                "is_headline": ind.is_headline,
                "source_kind": ind.source_kind,
                "source_tables": ", ".join(ind.source_tables),
                "catalog_order": order,
            }
            for order, ind in enumerate(catalog.indicators.values())
        ]
    )


def categories_table(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "breakdown": breakdown,
                "category_code": cat.code,
                "title_nl": cat.title_nl,
                "title_en": cat.title_en,
                "is_total": cat.is_total,
                "category_order": cat.order,
            }
            for breakdown, categories in catalog.categories.items()
            for cat in categories.values()
        ]
    )


def themes_table(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"theme_id": t["id"], "title_nl": t["title_nl"], "title_en": t["title_en"], "theme_order": order}
            for order, t in enumerate(catalog.themes)
        ]
    )


def periods_table(observations: pd.DataFrame) -> pd.DataFrame:
    """Every period in the data with labels and its most provisional status."""
    rows = []
    published = observations[observations["value"].notna()]
    status_rank = {"definitief": 0, "nader_voorlopig": 1, "voorlopig": 2}
    status_by_period = (
        published.assign(rank=published["value_status"].map(status_rank)).groupby("period_code")["rank"].max().to_dict()
    )
    by_rank = {rank: status for status, rank in status_rank.items()}
    for code in sorted(observations["period_code"].unique()):
        period = parse_period_code(code)
        rank = status_by_period.get(code)
        rows.append(
            {
                "period_code": code,
                "period_type": period.period_type,
                "period_start": pd.Timestamp(period.start),
                "year": period.year,
                "label_nl": period.label_nl,
                "label_en": period.label_en,
                "status": by_rank.get(rank) if rank is not None and rank == rank else None,
            }
        )
    return pd.DataFrame(rows)


def availability_table(observations: pd.DataFrame) -> pd.DataFrame:
    """Per indicator x region level x period type: how many periods, regions and published values exist."""
    frame = observations.assign(level=observations["region_code"].map(region_level))
    frame["is_published"] = frame["value"].notna()
    grouped = frame.groupby(["indicator_id", "level", "period_type"], as_index=False).agg(
        n_periods=("period_code", "nunique"),
        n_regions=("region_code", "nunique"),
        n_observations=("value", "size"),
        n_published=("is_published", "sum"),
        first_period=("period_code", "min"),
        last_period=("period_code", "max"),
    )
    grouped["n_published"] = grouped["n_published"].astype("int64")
    return grouped


def population_for_periods(population: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """For each region and period year, the population of the nearest year (ties: the later year).

    Only 2024 is shipped per gemeente, so a rate for another year uses another year's population; the
    `population_year` column says which, so the dashboard can say so.
    """
    totals = population[population["age_group"].eq("totaal")]
    years = pd.DataFrame({"period_year": sorted(periods["year"].unique())})
    pairs = totals.merge(years, how="cross")
    pairs["distance"] = (pairs["year"] - pairs["period_year"]).abs()
    pairs = pairs.sort_values(["region_code", "period_year", "distance", "year"], ascending=[True, True, True, False])
    nearest = pairs.drop_duplicates(["region_code", "period_year"], keep="first")
    return nearest.rename(
        columns={"year": "population_year", "is_derived": "population_is_derived", "source": "population_source"}
    )[
        [
            "region_code",
            "period_year",
            "population_count",
            "population_year",
            "population_is_derived",
            "population_source",
        ]
    ]
