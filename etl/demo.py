"""The fictitious demo dataset: a deterministic generator of CBS OData v4 exports of the Veilig Thuis tables."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from etl.catalog import Catalog, Indicator, load_catalog, normalise_text, split_unit
from etl.codes import is_date, parse_period_code
from etl.reference import LEVEL_SUFFIX, Reference, build_reference

GENERATOR = "etl.demo"
BASE_URL = "https://datasets.cbs.nl/odata/v1/CBS"
FIRST_YEAR, LAST_YEAR = 2019, 2025
# Real CBS titles and the region levels each table publishes (reference/cbs-formats.md).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "84847NED": ("Huiselijk geweld; kerncijfers Veilig Thuis, regio", ("NL", "LD", "PV", "VT", "GM")),
    "84848NED": (
        "Huiselijk geweld; rol/functie, organisatie, duur geweld, Veilig Thuis-regio",
        ("NL", "LD", "PV", "VT"),
    ),
    "84849NED": ("Huiselijk geweld; rol/functie, organisatie, duur geweld, regio", ("NL", "LD", "PV", "VT", "GM")),
    "84850NED": ("Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio", ("NL", "LD", "PV", "VT")),
    "84851NED": ("Huiselijk geweld; aard geweld, aanvullende informatie, regio", ("NL", "LD", "PV", "VT", "GM")),
    "84852NED": ("Huiselijk geweld; veiligheidsbeoordeling en -taxatie Veilig Thuis, regio", ("NL", "LD", "PV", "VT")),
    "84853NED": ("Huiselijk geweld; uitkomsten onderzoeken Veilig Thuis, Veilig Thuis-regio", ("NL", "VT")),
    "85361NED": (
        "Huiselijk geweld; meldingen naar eerdere betrokkenheid Veilig Thuis, regio",
        ("NL", "LD", "PV", "GM"),
    ),
}
LEVELS = ("NL", "LD", "PV", "VT", "GM")
LANDSDEEL = {
    **dict.fromkeys(("PV20", "PV21", "PV22"), "LD01"),
    **dict.fromkeys(("PV23", "PV24", "PV25"), "LD02"),
    **dict.fromkeys(("PV26", "PV27", "PV28", "PV29"), "LD03"),
    **dict.fromkeys(("PV30", "PV31"), "LD04"),
}
# Regions CBS still lists after they ceased to exist, with every cell empty (the 2023 tables keep Brabant Noordoost).
STALE_REGIONS = {2023: ("VT16",)}

# Everything below is FICTITIOUS and only chosen to look plausible.


@dataclass(frozen=True)
class MeasureModel:
    """A measure's national count per half year in the first year and its yearly growth; a measure that counts
    part of another (`part_of`) follows that one at the ratio of the two counts."""

    halfyear_count: float
    growth: float
    part_of: str | None = None


MEASURES = {
    "Gestarte adviezen": MeasureModel(55_000, 0.02),
    "Ontvangen meldingen": MeasureModel(65_000, 0.03),
    "Casussen met ontvangen melding(en)": MeasureModel(50_000, 0.03, part_of="Ontvangen meldingen"),
    "Afgeronde diensten onderzoek": MeasureModel(4_500, -0.01),
    "Afgeronde diensten voorwaarden en vervolg": MeasureModel(6_000, 0.04),
}
# Share of a measure that falls in a fixed category other than the total (a rule's `where`).
SUBSETS = {"Acute onveiligheid": 0.08}
# The measure a breakdown splits when a table publishes each category as a separate measure (rule `measures:`).
BREAKDOWN_MEASURES = {"eerdere_betrokkenheid": "Ontvangen meldingen"}
# How each breakdown splits its total: (parent category, {child category: share}) in order, parents first;
# 'totaal' is the breakdown's total and None an unpublished rest. A parent may be split more than once.
SPLITS: dict[str, list[tuple[str, dict[str | None, float]]]] = {
    "kenmerk_adviezen_meldingen": [
        ("totaal", {"niet_beroepsmatig": 0.30, "beroepsmatig": 0.62, "rol_onbekend": 0.08}),
        (
            "beroepsmatig",
            {
                "beroep_onderwijs": 0.12,
                "beroep_kinderopvang": 0.02,
                "beroep_medisch": 0.14,
                "beroep_psychologen": 0.05,
                "beroep_paramedisch": 0.02,
                "beroep_justitie": 0.40,
                "beroepsmatig_anders": 0.25,
            },
        ),
        ("beroep_medisch", {"beroep_verpleegkundige": 0.35, None: 0.65}),
        (
            "beroep_justitie",
            {"beroep_politieagent": 0.85, "beroep_officier_van_justitie": 0.03, "beroep_justitie_anders": 0.12},
        ),
        (
            "totaal",
            {
                "org_gezondheidszorg": 0.12,
                "org_kinderopvang": 0.01,
                "org_onderwijs": 0.07,
                "org_jeugdzorg": 0.08,
                "org_justitie_veiligheid": 0.38,
                "org_vt_andere_regio": 0.02,
                "org_vt_regionaal_maatwerk": 0.02,
                "andere_organisatie": 0.10,
                "niet_van_toepassing": 0.15,
                "onbekend": 0.05,
            },
        ),
        ("org_gezondheidszorg", {"org_ggz": 0.30, None: 0.70}),
        ("org_onderwijs", {"org_bureau_leerplicht": 0.15, None: 0.85}),
        (
            "org_justitie_veiligheid",
            {"jv_politie": 0.88, "jv_openbaar_ministerie": 0.03, "jv_reclassering": 0.04, "jv_anders": 0.05},
        ),
        (
            "totaal",
            {
                "duur_max_1_week": 0.12,
                "duur_1_week_1_maand": 0.06,
                "duur_1_6_maanden": 0.10,
                "duur_6_maanden_1_jaar": 0.07,
                "duur_1_5_jaar": 0.15,
                "duur_langer_5_jaar": 0.10,
                None: 0.40,
            },
        ),
    ],
    "aard_geweld": [
        (
            "totaal",
            {
                "kindermishandeling": 0.40,
                "geweld_tegen_ouders": 0.04,
                "partnergeweld": 0.30,
                "ouderenmishandeling": 0.03,
                "huiselijk_geweld_overig": 0.08,
                "andere_problematiek": 0.10,
                "geen_hg_km": 0.05,
            },
        )
    ],
    "aanvullende_informatie": [
        ("totaal", {"mensenhandel": 0.004, None: 0.996}),
        ("totaal", {"eergerelateerd_geweld": 0.008, None: 0.992}),
        ("totaal", {"huwelijksdwang": 0.002, None: 0.998}),
        ("totaal", {"achterlating": 0.001, None: 0.999}),
        ("totaal", {"vrouwelijke_genitale_verminking": 0.001, None: 0.999}),
    ],
    "veiligheidsbeoordeling": [
        (
            "totaal",
            {
                "geen_vervolgstappen": 0.25,
                "vervolgstappen_veilig_thuis": 0.35,
                "overdracht": 0.30,
                "regionaal_maatwerk": 0.05,
                "nog_niet_beoordeeld": 0.05,
            },
        )
    ],
    "uitkomst_onderzoek": [
        ("totaal", {"niet_voortijdig_afgesloten": 0.88, None: 0.12}),
        (
            "niet_voortijdig_afgesloten",
            {
                "kindermishandeling_bevestigd": 0.30,
                "kindermishandeling_niet_bevestigd": 0.28,
                "kindermishandeling_weerlegd": 0.07,
                None: 0.35,
            },
        ),
        (
            "niet_voortijdig_afgesloten",
            {
                "geweld_tegen_ouders_bevestigd": 0.03,
                "geweld_tegen_ouders_niet_bevestigd": 0.03,
                "geweld_tegen_ouders_weerlegd": 0.01,
                None: 0.93,
            },
        ),
        (
            "niet_voortijdig_afgesloten",
            {
                "partnergeweld_bevestigd": 0.16,
                "partnergeweld_niet_bevestigd": 0.12,
                "partnergeweld_weerlegd": 0.03,
                None: 0.69,
            },
        ),
    ],
    "eerdere_betrokkenheid": [
        (
            "totaal",
            {"eerste_melding": 0.45, "hermelding_totaal": 0.30, "vervolgmelding_totaal": 0.22, "niet_ingedeeld": 0.03},
        ),
        ("hermelding_totaal", {"hermelding_meerdere_bekend": 0.55, "hermelding_een_bekend": 0.45}),
        (
            "vervolgmelding_totaal",
            {
                "vervolgmelding_tijdens_veiligheidsbeoordeling": 0.30,
                "vervolgmelding_na_veiligheidsbeoordeling": 0.30,
                "vervolgmelding_tijdens_monitoring": 0.40,
            },
        ),
    ],
}
SEASON = np.array([0.97, 1.03])  # first and second half year
# Standard deviations of the log-normal noise: gemeente rate, per measure, per half year, of a part of a measure,
# of a fixed subset and of each year's national level.
GEMEENTE_SPREAD, MEASURE_SPREAD, HALFYEAR_NOISE, PART_NOISE, SUBSET_NOISE, YEAR_SHOCK = (
    0.25,
    0.10,
    0.07,
    0.04,
    0.10,
    0.03,
)
SHARE_TILT, SHARE_NOISE = 0.25, 0.15  # per measure and category; per gemeente, half year and category
# CBS publication rules: counts rounded to multiples of 5, cells below 10 suppressed.
ROUND_TO, MIN_COUNT = 5, 10
ATTRIBUTES = ("None", "Confidential", "NotAvailable")  # published, suppressed, region not in the classification
TOTAL_CODE = "T001"
PERIOD_STATUS = {LAST_YEAR: "Voorlopig", LAST_YEAR - 1: "Nader voorlopig"}


@dataclass(frozen=True)
class DemoSummary:
    """What generate_demo wrote: observations per table, their total and each table's snapshot folder."""

    out_root: Path
    tables: dict[str, int]
    total: int
    folders: dict[str, Path]


@dataclass(frozen=True)
class _Series:
    """What a cell counts: a base measure, within a fixed subset, optionally one category of a breakdown."""

    measure: str
    subset: str | None
    breakdown: str | None
    category: str | None


@dataclass(frozen=True)
class _Cell:
    """One measure x category combination of a table; a share cell is 100 * series / its total."""

    measure: str
    unit: str
    dims: dict[str, str]
    series: _Series

    @property
    def is_share(self) -> bool:
        return self.unit == "procent"

    @property
    def denominator(self) -> _Series:
        return _Series(self.series.measure, self.series.subset, None, None) if self.is_share else self.series


@dataclass(frozen=True)
class _Regions:
    """The regions one table publishes for one classification year, and which gemeenten each one sums."""

    codes: list[str]
    members: np.ndarray  # (regions, gemeenten) of 0/1
    stale: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    """One generated table: its cells, periods, regions per year and long-form observations."""

    id: str
    cells: list[_Cell]
    periods: list[tuple[str, str]]
    regions: dict[int, _Regions]
    observations: dict[str, np.ndarray]
    total_titles: frozenset[str]


def generate_demo(
    out_root: Path,
    catalog_dir: Path,
    reference_dir: Path,
    geo_dir: Path,
    *,
    seed: int = 2019,
    snapshot: str = "2026-01-15",
    page_size: int = 100_000,
    tables: Iterable[str] | None = None,
) -> DemoSummary:
    """Write out_root/cbs/<table>/<snapshot>/ for each table: FICTITIOUS figures in the CBS OData v4 layout.

    The same inputs and seed give byte-identical files. A table's figures do not depend on which other tables
    are generated, and a number published in several tables is the same in each.
    """
    table_ids = list(TABLES) if tables is None else list(dict.fromkeys(tables))
    unknown = [t for t in table_ids if t not in TABLES]
    if unknown:
        raise ValueError(f"no demo model for table(s) {', '.join(unknown)} (known: {', '.join(TABLES)})")
    if not is_date(snapshot):  # the build refuses a snapshot folder that is not a real date
        raise ValueError(f"snapshot {snapshot!r} is not a date like 2026-01-15")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    catalog = load_catalog(catalog_dir)
    raw_indicators = yaml.safe_load((catalog_dir / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    reference = build_reference(reference_dir, geo_dir)
    gemeenten, members = _membership(reference)
    population = _population(reference, gemeenten)
    model = _Model(seed, population)
    periods = _periods()
    total_titles = _total_titles(catalog)
    counts, folders = {}, {}
    for table_id in table_ids:
        cells = _table_cells(table_id, raw_indicators, catalog, total_titles)
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        regions = {year: _regions(reference, members, year, TABLES[table_id][1]) for year in years}
        table = _Table(table_id, cells, periods, regions, _observations(cells, model, periods, regions), total_titles)
        folder = out_root / "cbs" / table_id / snapshot
        _write_table(table, folder, snapshot, seed, page_size, reference)
        counts[table_id], folders[table_id] = len(table.observations["value"]), folder
    return DemoSummary(out_root, counts, sum(counts.values()), folders)


def _membership(reference: Reference) -> tuple[list[str], dict[int, pd.DataFrame]]:
    """The shipped gemeenten and, per year, their Veilig Thuis region, provincie and landsdeel.

    Gemeenten of the 2023 classification stand in for every year (older ones are not shipped); the reference
    membership places them in the Veilig Thuis regions of each year (26 up to 2022, 25 from 2023).
    """
    shipped = reference.membership
    gemeenten = sorted(shipped.loc[shipped["year"].eq(shipped["year"].min()), "gemeente_code"])
    members = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        frame = shipped[shipped["year"].eq(year)].set_index("gemeente_code").loc[gemeenten, ["vt_code", "pv_code"]]
        members[year] = frame.assign(ld_code=frame["pv_code"].map(LANDSDEEL))
    return gemeenten, members


def _population(reference: Reference, gemeenten: list[str]) -> np.ndarray:
    """Inhabitants per gemeente in the latest year the reference data has for all of them."""
    population = reference.population
    latest = population[population["region_code"].isin(gemeenten)]
    latest = latest[latest["year"].eq(latest["year"].max())].set_index("region_code")["population_count"]
    missing = sorted(set(gemeenten) - set(latest.index))
    if missing:
        raise ValueError(f"no population for gemeenten {', '.join(missing[:5])} in the reference data")
    return latest.loc[gemeenten].to_numpy(dtype=float)


def _periods() -> list[tuple[str, str]]:
    """(period code, CBS status) for every year and half year, oldest first."""
    return [
        (f"{year}{kind}", PERIOD_STATUS.get(year, "Definitief"))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for kind in ("JJ00", "HJ01", "HJ02")
    ]


def _total_titles(catalog: Catalog) -> frozenset[str]:
    """Normalised titles of the total categories ('totaal', 'totaal afgeronde onderzoeken', ...)."""
    return frozenset(
        normalise_text(c.title_nl) for cats in catalog.categories.values() for c in cats.values() if c.is_total
    )


def _table_cells(table: str, raw_indicators: list[dict], catalog: Catalog, totals: frozenset[str]) -> list[_Cell]:
    """Every measure x category combination the catalog maps for a table, with what each one counts."""
    cells: dict[tuple, _Cell] = {}
    for entry in raw_indicators:
        indicator = catalog.indicators[entry["id"]]
        for rule in entry["sources"]:
            if rule["table"] != table:
                continue
            where = dict(rule.get("where") or {})
            subsets = [title for title in where.values() if normalise_text(title) not in totals]
            if len(subsets) > 1 or (subsets and subsets[0] not in SUBSETS):
                raise ValueError(f"{table}: no demo model for the fixed categories {subsets} of {indicator.id}")
            subset = subsets[0] if subsets else None
            for measure, unit, dims, base, category in _rule_cells(rule, indicator, catalog):
                is_total = category is None or catalog.categories[indicator.breakdown][category].is_total
                series = _Series(
                    base, subset, None if is_total else indicator.breakdown, None if is_total else category
                )
                cell = _Cell(measure, unit, {**where, **dims}, series)
                key = (
                    normalise_text(measure),
                    unit,
                    frozenset((normalise_text(k), normalise_text(v)) for k, v in cell.dims.items()),
                )
                known = cells.get(key)
                if known is None or known.series.measure not in MEASURES:
                    cells[key] = cell
                elif series != known.series and series.measure in MEASURES:
                    raise ValueError(
                        f"{table}: rules give {measure!r} {cell.dims} two meanings: {known.series}, {series}"
                    )
    if not cells:
        raise ValueError(f"{table}: the catalog maps nothing of this table")
    for cell in cells.values():
        if cell.series.measure not in MEASURES:
            raise ValueError(f"{table}: no demo model for measure {cell.series.measure!r}; add it to MEASURES")
    dims = list(dict.fromkeys(k for cell in cells.values() for k in cell.dims))
    uneven = [cell for cell in cells.values() if set(cell.dims) != set(dims)]
    if uneven:
        raise ValueError(f"{table}: rules disagree on the dimensions: {dims} vs {list(uneven[0].dims)}")
    return [_Cell(c.measure, c.unit, {k: c.dims[k] for k in dims}, c.series) for c in cells.values()]


def _rule_cells(
    rule: dict, indicator: Indicator, catalog: Catalog
) -> Iterable[tuple[str, str, dict[str, str], str, str | None]]:
    """(published measure, unit, category dimensions, base measure, category code) of every cell a rule maps."""
    if rule.get("measures"):
        base = BREAKDOWN_MEASURES[indicator.breakdown]
        for title, code in rule["measures"].items():
            measure, unit = split_unit(title)
            yield measure, unit or indicator.unit, {}, base, code
    elif rule.get("category_dimension"):
        for category in catalog.categories[indicator.breakdown].values():
            yield (
                rule["measure"],
                indicator.unit,
                {rule["category_dimension"]: category.title_nl},
                rule["measure"],
                category.code,
            )
    else:
        yield rule["measure"], indicator.unit, {}, rule["measure"], None


class _Model:
    """Unrounded fictitious counts per gemeente and half year, drawn once per series from its own random stream."""

    def __init__(self, seed: int, population: np.ndarray) -> None:
        self.seed = seed
        self.halfyears = 2 * (LAST_YEAR - FIRST_YEAR + 1)
        rng = self._rng("gemeente")
        factor = np.exp(rng.normal(0, GEMEENTE_SPREAD, population.size)) * (population / np.median(population)) ** 0.08
        self.weight = population * factor
        self._cache: dict[tuple, object] = {}

    def _rng(self, *key: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32("|".join(key).encode())])

    def series(self, series: _Series) -> np.ndarray:
        """(gemeenten, half years) counts of one series."""
        if series.breakdown is None:
            return self._subset(series.measure, series.subset)
        values = self._breakdown(series.measure, series.subset, series.breakdown)
        if series.category not in values:
            raise ValueError(f"no demo share for category {series.category!r} of {series.breakdown}; add it to SPLITS")
        return values[series.category]

    def _measure(self, title: str) -> np.ndarray:
        key = ("measure", title)
        if key not in self._cache:
            spec, rng = MEASURES[title], self._rng(*key)
            if spec.part_of:
                parent = self._measure(spec.part_of)
                ratio = spec.halfyear_count / MEASURES[spec.part_of].halfyear_count
                self._cache[key] = parent * ratio * np.exp(rng.normal(0, PART_NOISE, parent.shape))
            else:
                weight = self.weight * np.exp(rng.normal(0, MEASURE_SPREAD, self.weight.size))
                years = np.arange(self.halfyears) // 2
                shocks = np.exp(rng.normal(0, YEAR_SHOCK, years[-1] + 1))
                trend = (1 + spec.growth) ** years * shocks[years] * SEASON[np.arange(self.halfyears) % 2]
                noise = np.exp(rng.normal(0, HALFYEAR_NOISE, (weight.size, self.halfyears)))
                self._cache[key] = spec.halfyear_count * (weight / weight.sum())[:, None] * trend * noise
        return self._cache[key]

    def _subset(self, measure: str, subset: str | None) -> np.ndarray:
        if subset is None:
            return self._measure(measure)
        key = ("subset", measure, subset)
        if key not in self._cache:
            base = self._measure(measure)
            self._cache[key] = base * SUBSETS[subset] * np.exp(self._rng(*key).normal(0, SUBSET_NOISE, base.shape))
        return self._cache[key]

    def _breakdown(self, measure: str, subset: str | None, breakdown: str) -> dict[str, np.ndarray]:
        key = ("breakdown", measure, subset or "", breakdown)
        if key not in self._cache:
            if breakdown not in SPLITS:
                raise ValueError(f"no demo shares for breakdown {breakdown!r}; add it to SPLITS")
            rng = self._rng(*key)
            values = {"totaal": self._subset(measure, subset)}
            for parent, shares in SPLITS[breakdown]:
                base = np.array(list(shares.values()))[:, None, None] * np.exp(
                    rng.normal(0, SHARE_TILT, (len(shares), 1, 1))
                )
                drawn = base * np.exp(rng.normal(0, SHARE_NOISE, (len(shares), *values[parent].shape)))
                drawn /= drawn.sum(axis=0)
                for code, share in zip(shares, drawn, strict=True):
                    if code is not None:
                        values[code] = values[parent] * share
            self._cache[key] = values
        return self._cache[key]


def _regions(reference: Reference, members: dict[int, pd.DataFrame], year: int, levels: tuple[str, ...]) -> _Regions:
    """The regions of a table in one year's classification, each with the gemeenten it sums."""
    membership = members[year]
    classified = reference.regions[reference.regions["classification_year"].eq(year)]["region_code"]
    codes, rows = [], []
    for level in levels:
        if level == "NL":
            level_codes, of = ["NL01"], pd.Series("NL01", index=membership.index)
        elif level == "GM":
            level_codes, of = list(membership.index), pd.Series(membership.index, index=membership.index)
        else:
            level_codes = sorted(c for c in classified if c.startswith(level))
            of = membership[f"{level.lower()}_code"]
        empty = sorted(set(level_codes) - set(of)) if level != "GM" else []
        strays = sorted(set(of) - set(level_codes))
        if empty or strays:
            raise ValueError(f"{year}: {level} regions without gemeenten {empty} or not in the classification {strays}")
        codes += level_codes
        rows.append((of.to_numpy()[None, :] == np.array(level_codes)[:, None]).astype(float))
    stale = tuple(code for code in STALE_REGIONS.get(year, ()) if code[:2] in levels)
    return _Regions(codes, np.vstack(rows), stale)


def _observations(
    cells: list[_Cell], model: _Model, periods: list[tuple[str, str]], regions: dict[int, _Regions]
) -> dict[str, np.ndarray]:
    """Long arrays (cell, period, region, value, attribute), cell by cell, then period, then region."""
    numerators = np.stack([model.series(cell.series) for cell in cells])
    denominators = np.stack([model.series(cell.denominator) for cell in cells])
    is_share = np.array([cell.is_share for cell in cells])[:, None]
    region_index = {code: i for i, code in enumerate(_region_order(regions))}
    parts: dict[str, list[np.ndarray]] = {"cell": [], "period": [], "region": [], "value": [], "attribute": []}
    for p, (code, _) in enumerate(periods):
        period = parse_period_code(code)
        year, offset = period.year, 2 * (period.year - FIRST_YEAR)
        halves = [offset + int(code[6:]) - 1] if period.period_type == "halfjaar" else [offset, offset + 1]
        frame = regions[year]
        counts = numerators[:, :, halves].sum(axis=2) @ frame.members.T
        totals = denominators[:, :, halves].sum(axis=2) @ frame.members.T
        suppressed = (counts < MIN_COUNT) | (is_share & (totals < MIN_COUNT))
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(is_share, np.round(100 * counts / totals, 1), np.round(counts / ROUND_TO) * ROUND_TO)
        value[suppressed] = np.nan
        attribute = suppressed.astype(np.int8)
        if frame.stale:
            value = np.hstack([value, np.full((len(cells), len(frame.stale)), np.nan)])
            attribute = np.hstack([attribute, np.full((len(cells), len(frame.stale)), 2, dtype=np.int8)])
        codes = np.array([region_index[c] for c in [*frame.codes, *frame.stale]])
        parts["cell"].append(np.repeat(np.arange(len(cells)), len(codes)))
        parts["period"].append(np.full(value.size, p))
        parts["region"].append(np.tile(codes, len(cells)))
        parts["value"].append(value.ravel())
        parts["attribute"].append(attribute.ravel())
    joined = {name: np.concatenate(arrays) for name, arrays in parts.items()}
    order = np.argsort(joined["cell"], kind="stable")
    return {name: array[order] for name, array in joined.items()}


def _region_order(regions: dict[int, _Regions]) -> list[str]:
    """Every region a table lists in any year, by level (NL, LD, PV, VT, GM), then code."""
    codes = {code for frame in regions.values() for code in (*frame.codes, *frame.stale)}
    return sorted(codes, key=lambda code: (LEVELS.index(code[:2]), code))


def _code(prefix: str, text: str) -> str:
    """A stable CBS-style code for a title: the same title gets the same code in every run and table."""
    return f"{prefix}{zlib.crc32(text.encode()) % 1_000_000:06d}"


def _identifier(title: str) -> str:
    """CBS-style dimension identifier: 'Kenmerken adviezen/meldingen' -> 'KenmerkenAdviezenMeldingen'."""
    return "".join(word[0].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _unique(codes: list[str], what: str) -> list[str]:
    if len(set(codes)) != len(codes):
        raise ValueError(f"two {what} got the same demo code: {codes}")
    return codes


def _region_titles(reference: Reference, codes: list[str]) -> list[str]:
    """Titles as StatLine shows them: level suffix for LD, PV and VT; '(gemeente)' where a gemeente shares a name."""
    latest = reference.regions.sort_values("classification_year").drop_duplicates("region_code", keep="last")
    names = latest.set_index("region_code")
    other_names = set(names.loc[~names["level"].eq("gemeente"), "name_nl"])
    titles = []
    for code in codes:
        name, level = names.at[code, "name_nl"], names.at[code, "level"]
        if level in LEVEL_SUFFIX:
            titles.append(f"{name} ({LEVEL_SUFFIX[level]})")
        elif level == "gemeente" and name in other_names:
            titles.append(f"{name} (gemeente)")
        else:
            titles.append(name)
    return titles


def _write_table(table: _Table, folder: Path, snapshot: str, seed: int, page_size: int, reference: Reference) -> None:
    """Write one table's snapshot folder (entities, Observations pages, manifest), replacing an earlier demo one."""
    if folder.exists() and _folder_kind(folder) != "demo":
        raise FileExistsError(f"{folder} exists and is not demo data; refusing to overwrite it")
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    writer = _Writer(staging, f"{BASE_URL}/{table.id}")
    title, _ = TABLES[table.id]
    writer.write(
        "Properties",
        json.dumps(
            {
                "@odata.context": f"{writer.base_url}/$metadata#Properties",
                "Identifier": table.id,
                "Title": f"FICTIEVE DEMODATA — {title}",
                "Description": (
                    "FICTIEVE DEMODATA: verzonnen cijfers in de vorm van deze CBS-tabel, geen CBS-cijfers. "
                    f"Fictitious demo data, not CBS figures: generated by {GENERATOR} (seed {seed}) in the layout of "
                    f"CBS table {table.id}, for demonstrations and tests only."
                ),
                "Modified": f"{snapshot}T00:00:00Z",
                "DatasetKind": "demo",
            },
            ensure_ascii=False,
        ),
    )
    columns = _write_code_lists(writer, table, reference)
    _write_observations(writer, table.observations, columns, page_size)
    manifest = {
        "table_id": table.id,
        "api": "v4",
        "base_url": writer.base_url,
        "fetched_at": f"{snapshot}T00:00:00Z",
        "dataset_kind": "demo",
        "generator": GENERATOR,
        "seed": seed,
        "files": writer.files,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)


class _Writer:
    """Writes the response files of one table and records each one for the manifest."""

    def __init__(self, folder: Path, base_url: str) -> None:
        self.folder, self.base_url = folder, base_url
        self.files: list[dict] = []

    def write(self, entity: str, text: str, page: int = 1, skip: int = 0) -> None:
        """One response file: <Entity>.json for page 1, <Entity>-0002.json and so on after it."""
        name = f"{entity}.json" if page == 1 else f"{entity}-{page:04d}.json"
        url = f"{self.base_url}/{entity}" + (f"?$skip={skip}" if skip else "")
        data = text.encode("utf-8")
        (self.folder / name).write_bytes(data)
        self.files.append({"name": name, "url": url, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})

    def write_list(self, entity: str, value: list[dict]) -> None:
        body = {"@odata.context": f"{self.base_url}/$metadata#{entity}", "value": value}
        self.write(entity, json.dumps(body, ensure_ascii=False))


def _write_code_lists(writer: _Writer, table: _Table, reference: Reference) -> dict[str, tuple[list[str], np.ndarray]]:
    """Write Dimensions and every code list; return each Observations column as (codes, index per observation)."""
    cell_of = table.observations["cell"]
    dims = list(table.cells[0].dims)
    dim_ids = _unique([_identifier(dim) for dim in dims], "dimensions")
    writer.write_list(
        "Dimensions",
        [
            {"Identifier": i, "Title": d, "Description": "", "Kind": "Dimension"}
            for i, d in zip(dim_ids, dims, strict=True)
        ]
        + [
            {"Identifier": "Perioden", "Title": "Perioden", "Description": "", "Kind": "TimeDimension"},
            {"Identifier": "RegioS", "Title": "Regio's", "Description": "", "Kind": "GeoDimension"},
        ],
    )

    measures = list(dict.fromkeys((cell.measure, cell.unit) for cell in table.cells))
    measure_codes = _unique([_code("M", f"{m}|{u}") for m, u in measures], "measures")
    writer.write_list(
        "MeasureCodes",
        [
            {
                "Identifier": code,
                "Index": index,
                "Title": measure,
                "Description": "",
                "MeasureGroupId": None,
                "DataType": "Double" if unit == "procent" else "Long",
                "Unit": "%" if unit == "procent" else unit,
                "Decimals": 1 if unit == "procent" else 0,
                "PresentationType": "Relative" if unit == "procent" else "Absolute",
            }
            for index, (code, (measure, unit)) in enumerate(zip(measure_codes, measures, strict=True), start=1)
        ],
    )
    measure_of_cell = np.array([measures.index((cell.measure, cell.unit)) for cell in table.cells])
    columns = {"Measure": (measure_codes, measure_of_cell[cell_of])}

    for dim, identifier in zip(dims, dim_ids, strict=True):
        titles = list(dict.fromkeys(cell.dims[dim] for cell in table.cells))
        codes = [TOTAL_CODE if normalise_text(t) in table.total_titles else _code("A", t) for t in titles]
        writer.write_list(f"{identifier}Codes", _code_list(_unique(codes, f"categories of {dim}"), titles))
        of_cell = np.array([titles.index(cell.dims[dim]) for cell in table.cells])
        columns[identifier] = (codes, of_cell[cell_of])

    periods = [code for code, _ in table.periods]
    entries = _code_list(periods, [parse_period_code(code).label_nl for code in periods])
    writer.write_list("PeriodenCodes", [{**e, "Status": s} for e, (_, s) in zip(entries, table.periods, strict=True)])
    columns["Perioden"] = (periods, table.observations["period"])
    regions = _region_order(table.regions)
    writer.write_list("RegioSCodes", _code_list(regions, _region_titles(reference, regions)))
    columns["RegioS"] = (regions, table.observations["region"])
    return columns


def _write_observations(
    writer: _Writer,
    observations: dict[str, np.ndarray],
    columns: dict[str, tuple[list[str], np.ndarray]],
    page_size: int,
) -> None:
    """Observations in pages of page_size records, each but the last pointing to the next with @odata.nextLink."""
    context = json.dumps(f"{writer.base_url}/$metadata#Observations")
    total = len(observations["value"])
    for page, start in enumerate(range(0, max(total, 1), page_size), start=1):
        stop = min(start + page_size, total)
        frame = pd.DataFrame(
            {
                "Id": np.arange(start, stop),
                **{
                    name: pd.Categorical.from_codes(index[start:stop], categories=categories)
                    for name, (categories, index) in columns.items()
                },
                "Value": observations["value"][start:stop],
                "ValueAttribute": pd.Categorical.from_codes(
                    observations["attribute"][start:stop], categories=ATTRIBUTES
                ),
                "StringValue": pd.Series([None] * (stop - start), dtype=object),
            }
        )
        text = f'{{"@odata.context": {context}, "value": {frame.to_json(orient="records", double_precision=10)}'
        if stop < total:
            text += f', "@odata.nextLink": {json.dumps(f"{writer.base_url}/Observations?$skip={stop}")}'
        writer.write("Observations", text + "}", page, start)


def _code_list(codes: list[str], titles: list[str]) -> list[dict]:
    return [
        {"Identifier": code, "Index": index, "Title": title, "Description": "", "DimensionGroupId": None}
        for index, (code, title) in enumerate(zip(codes, titles, strict=True), start=1)
    ]


def _folder_kind(folder: Path) -> str | None:
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("dataset_kind")
