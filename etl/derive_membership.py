"""Derived gemeente -> region membership by spatial join, and the gemeente -> provincie CSVs it writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from config import PROJECT_ROOT
from etl.geo import contains, representative_point, topojson_to_geojson
from etl.problems import InputError, problem

METHOD = "spatial_join_representative_point"
GEO_DIR = PROJECT_ROOT / "data" / "geo"
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
# year -> (gemeente boundary file, provincie boundary file valid that year); provinces did not change 2022-2025.
PROVINCIE_SOURCES = {2023: ("gemeente_2023", "provincie_2022"), 2025: ("gemeente_2025", "provincie_2025")}
# The 26 Veilig Thuis regions of 2019-2022, with the earliest shipped gemeenten (2023): older gemeente boundaries
# are not shipped, so gemeenten merged before 2023 appear as their 2023 successor.
VT_2022_SOURCE = ("gemeente_2023", "veiligthuisregio_2022")


def load_features(geo_dir: Path, name: str) -> list[dict]:
    """The GeoJSON features of one shipped boundary file, at full precision."""
    topology = json.loads((geo_dir / f"{name}.topojson").read_text(encoding="utf-8"))
    return topojson_to_geojson(topology)["features"]


def derive(geo_dir: Path, gemeente_file: str, region_file: str, prefix: str) -> list[dict[str, str]]:
    """Each gemeente with the one region that holds its representative point, in boundary-file order.

    Columns: gemeente_code, gemeente_name, <prefix>_code, <prefix>_name, method. Raises InputError listing every
    gemeente that falls in no region or in more than one.
    """
    regions = load_features(geo_dir, region_file)
    rows, problems = [], []
    for gemeente in load_features(geo_dir, gemeente_file):
        lon, lat = representative_point(gemeente["geometry"])
        found = [region for region in regions if contains(region["geometry"], lon, lat)]
        if len(found) != 1:
            codes = ", ".join(region["id"] for region in found) or "none"
            message = f"{gemeente['id']}: point ({lon}, {lat}) lies in {len(found)} regions of {region_file}: {codes}"
            problems.append(problem(geo_dir / f"{gemeente_file}.topojson", None, None, message))
            continue
        (region,) = found
        rows.append(
            {
                "gemeente_code": gemeente["id"],
                "gemeente_name": gemeente["properties"]["statnaam"],
                f"{prefix}_code": region["id"],
                f"{prefix}_name": region["properties"]["statnaam"],
                "method": METHOD,
            }
        )
    if problems:
        raise InputError(problems)
    return rows


def derive_provincie(geo_dir: Path, year: int) -> list[dict[str, str]]:
    """gemeente -> provincie for a classification year in PROVINCIE_SOURCES."""
    gemeente_file, provincie_file = PROVINCIE_SOURCES[year]
    return derive(geo_dir, gemeente_file, provincie_file, "pv")


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows as CSV with a header, in the dialect of the shipped reference CSVs."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def derive_vt_2022(geo_dir: Path) -> list[dict[str, str]]:
    """gemeente (2023 classification) -> Veilig Thuis region of the 2019-2022 classification (26 regions)."""
    return derive(geo_dir, *VT_2022_SOURCE, "vt")


def main() -> None:
    """Derive and write gemeente_provincie_<year>.csv for every year in PROVINCIE_SOURCES and gemeente_vt_2022.csv."""
    outputs = {f"gemeente_provincie_{year}.csv": derive_provincie(GEO_DIR, year) for year in PROVINCIE_SOURCES}
    outputs["gemeente_vt_2022.csv"] = derive_vt_2022(GEO_DIR)
    for name, rows in outputs.items():
        write_csv(REFERENCE_DIR / name, rows)
        print(f"{REFERENCE_DIR / name}: {len(rows)} gemeenten")


if __name__ == "__main__":
    main()
