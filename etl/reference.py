"""Reference dimensions built from shipped files: regions per classification year, membership, population,
boundaries, and the lookup from published region labels to CBS codes."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.catalog import normalise_text

FIRST_YEAR, LAST_YEAR = 2019, 2026
GEO_ATTRIBUTION = "Grenzen: CBS/PDOK Gebiedsindelingen (CC BY 4.0), gegeneraliseerd via cartomap/nl"
# Which shipped boundary file holds each level's classification for a given year (first year it applies).
GEO_FILES = {
    "veilig_thuis_regio": {2019: "veiligthuisregio_2022", 2023: "veiligthuisregio_2023", 2025: "veiligthuisregio_2025"},
    "provincie": {2019: "provincie_2022", 2025: "provincie_2025"},
    "gemeente": {2023: "gemeente_2023", 2025: "gemeente_2025"},
}
LEVEL_SUFFIX = {"landsdeel": "LD", "provincie": "PV", "veilig_thuis_regio": "VT"}
NAMES_EN = {
    "NL01": "Netherlands",
    "LD01": "North Netherlands",
    "LD02": "East Netherlands",
    "LD03": "West Netherlands",
    "LD04": "South Netherlands",
}
POPULATION_SOURCE_2024 = "CBS 85984NED Kerncijfers wijken en buurten 2024 (AantalInwoners_5)"


@dataclass(frozen=True)
class Reference:
    """The reference tables of one build."""

    regions: pd.DataFrame
    region_names: pd.DataFrame
    membership: pd.DataFrame
    population: pd.DataFrame
    boundaries: pd.DataFrame
    label_to_code: dict[str, str]
    inputs: list[Path]


def geo_file_for(level: str, year: int) -> str | None:
    """Name of the boundary file whose classification applies to `year`, or None if none is shipped."""
    starts = [start for start in GEO_FILES.get(level, {}) if start <= year]
    return GEO_FILES[level][max(starts)] if starts else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _geo_names(geo_dir: Path, name: str) -> dict[str, str]:
    topology = json.loads((geo_dir / f"{name}.topojson").read_text(encoding="utf-8"))
    (layer,) = topology["objects"].values()
    return {g["properties"]["statcode"]: g["properties"]["statnaam"] for g in layer["geometries"]}


def build_reference(reference_dir: Path, geo_dir: Path) -> Reference:
    """Build every reference table from the shipped files."""
    codes_file = reference_dir / "region_codes.csv"
    codes = {row["statcode"]: row for row in _read_csv(codes_file)}
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for code in ["NL01", "LD01", "LD02", "LD03", "LD04"]:
            name = codes[code]["pdok_or_cbs_name"]
            rows.append(_region(code, year, "land" if code == "NL01" else "landsdeel", name, NAMES_EN[code], None))
        for level in ("provincie", "veilig_thuis_regio", "gemeente"):
            geo_name = geo_file_for(level, year)
            if geo_name is None:
                continue
            for code, name in _geo_names(geo_dir, geo_name).items():
                rows.append(_region(code, year, level, name, name, geo_name))
    regions = pd.DataFrame(rows)
    membership = _membership(reference_dir)
    regions = regions.merge(
        membership.rename(columns={"gemeente_code": "region_code", "year": "classification_year"}),
        on=["region_code", "classification_year"],
        how="left",
    )
    population = _population(reference_dir, membership)
    boundaries = pd.DataFrame(
        [
            {
                "level": level,
                "classification_year": year,
                "file": f"{geo_file_for(level, year)}.topojson",
                "geojson_file": f"{geo_file_for(level, year)}.geojson",
                "attribution": GEO_ATTRIBUTION,
            }
            for level in GEO_FILES
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
            if geo_file_for(level, year)
        ]
    )
    inputs = sorted([*reference_dir.glob("*.csv"), *geo_dir.glob("*.topojson")])
    return Reference(
        regions, _region_names(regions), membership, population, boundaries, _label_lookup(regions, codes), inputs
    )


def _region_names(regions: pd.DataFrame) -> pd.DataFrame:
    """One row per region code: its latest name, level and the classification years it exists in."""
    ordered = regions.sort_values("classification_year")
    names = ordered.groupby("region_code", as_index=False).agg(
        level=("level", "last"),
        name_nl=("name_nl", "last"),
        name_en=("name_en", "last"),
        first_year=("classification_year", "min"),
        last_year=("classification_year", "max"),
    )
    return names


def _region(code: str, year: int, level: str, name_nl: str, name_en: str, geo: str | None) -> dict:
    return {
        "region_code": code,
        "classification_year": year,
        "level": level,
        "name_nl": name_nl,
        "name_en": name_en,
        "boundary_file": f"{geo}.topojson" if geo else None,
    }


def _membership(reference_dir: Path) -> pd.DataFrame:
    """gemeente -> Veilig Thuis region and provincie per year (derived by boundary overlay; see data/geo/README.md)."""
    frames = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        source_year = 2025 if year >= 2025 else 2023 if year >= 2023 else 2022
        vt = pd.DataFrame(_read_csv(reference_dir / f"gemeente_vt_{source_year}.csv"))
        pv = pd.DataFrame(_read_csv(reference_dir / f"gemeente_provincie_{max(source_year, 2023)}.csv"))
        joined = vt.merge(pv[["gemeente_code", "pv_code"]], on="gemeente_code", how="outer", validate="one_to_one")
        if joined[["vt_code", "pv_code"]].isna().any().any():
            raise ValueError(
                f"gemeente lists of gemeente_vt_{source_year}.csv and gemeente_provincie_{source_year}.csv differ"
            )
        frames.append(
            pd.DataFrame(
                {
                    "gemeente_code": joined["gemeente_code"],
                    "year": year,
                    "vt_code": joined["vt_code"],
                    "pv_code": joined["pv_code"],
                    "membership_method": (
                        f"derived: {vt['method'].iloc[0]}, 2023+ gemeenten in {source_year} region boundaries"
                    ),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _population(reference_dir: Path, membership: pd.DataFrame) -> pd.DataFrame:
    """Published population counts, plus sums over gemeenten marked as derived."""
    gemeenten = pd.DataFrame(_read_csv(reference_dir / "population_gemeente_2024.csv"))
    published = [
        {
            "region_code": row["gemeente_code"],
            "year": 2024,
            "population_count": int(row["population_total"]),
            "source": POPULATION_SOURCE_2024,
            "is_derived": False,
        }
        for row in gemeenten.to_dict("records")
    ]
    for row in _read_csv(reference_dir / "population_70072ned_83553NED.csv"):
        if (
            row["region_code"][:2] not in ("NL", "LD", "PV", "GM")
            or "bevolking" not in row["measure"]
            and "Inwonertal" not in row["measure"]
        ):
            continue
        published.append(
            {
                "region_code": row["region_code"],
                "year": int(row["period_code_derived"][:4]),
                "population_count": int(row["value"]),
                "source": f"CBS {row['table_id']}: {row['measure']} ({row['source_url']})",
                "is_derived": False,
            }
        )
    population = pd.DataFrame(published)
    counts_2024 = population[population["year"].eq(2024) & population["region_code"].str.startswith("GM")]
    sums = []
    # 2024 membership first; the 2022 one adds the regions that no longer exist (VT16, VT26).
    for membership_year in (2024, 2022):
        members = membership[membership["year"].eq(membership_year)]
        joined = counts_2024.merge(members, left_on="region_code", right_on="gemeente_code")
        for column, level in (("vt_code", "VT"), ("pv_code", "provincie")):
            summed = joined.groupby(column, as_index=False)["population_count"].sum()
            summed = summed.rename(columns={column: "region_code"})
            summed["year"], summed["is_derived"] = 2024, True
            summed["source"] = (
                f"derived: sum over gemeenten of {POPULATION_SOURCE_2024}, "
                f"gemeente -> {level} membership {membership_year}"
            )
            sums.append(summed)
    nl = pd.DataFrame(
        [
            {
                "region_code": "NL01",
                "year": 2024,
                "population_count": int(counts_2024["population_count"].sum()),
                "source": f"derived: sum over all gemeenten of {POPULATION_SOURCE_2024}",
                "is_derived": True,
            }
        ]
    )
    population = pd.concat([population, *sums, nl], ignore_index=True)
    population["age_group"] = "totaal"
    return population.drop_duplicates(["region_code", "year", "age_group"], keep="first").reset_index(drop=True)


def _label_lookup(regions: pd.DataFrame, codes: dict[str, dict[str, str]]) -> dict[str, str]:
    """Every published spelling of a region label -> code. Ambiguous spellings are left out on purpose."""
    candidates: dict[str, set[str]] = {}

    def add(label: str, code: str) -> None:
        candidates.setdefault(normalise_text(label), set()).add(code)

    for row in regions[["region_code", "level", "name_nl"]].drop_duplicates().itertuples():
        suffix = LEVEL_SUFFIX.get(row.level)
        if row.level == "land":
            add(row.name_nl, row.region_code)
        elif suffix:
            add(f"{row.name_nl} ({suffix})", row.region_code)
        else:
            add(row.name_nl, row.region_code)
            add(f"{row.name_nl} (gemeente)", row.region_code)
    for code, row in codes.items():
        if row["statline_label"]:
            add(row["statline_label"], code)
    return {label: next(iter(found)) for label, found in candidates.items() if len(found) == 1}
