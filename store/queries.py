"""Typed, parameterised query functions over the current build, cached per build id: the only SQL of the app."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from store.connection import Snapshot, Warehouse

LEVELS = ("land", "landsdeel", "provincie", "veilig_thuis_regio", "gemeente")
PERIOD_TYPES = ("jaar", "halfjaar", "kwartaal", "maand")
PUBLISHED = ("definitief", "voorlopig", "nader_voorlopig")
CACHE_SIZE = 1024

# The rate per 1,000 inhabitants; its first parameter says whether the indicator has a population denominator.
_RATE = """
CASE WHEN ?::BOOLEAN AND o.value IS NOT NULL AND np.population_count > 0
     THEN o.value / np.population_count * 1000 END AS rate_per_1000"""

# Filters of the API's observations query: indicator, then (value, value) pairs where NULL means "any".
_API_FILTER = """
WHERE o.indicator_id = ?
  AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.region_code))
  AND (?::VARCHAR IS NULL OR o.region_level = ?)
  AND (?::VARCHAR IS NULL OR o.period_code = ?)
  AND (?::DATE IS NULL OR o.period_start >= ?)
  AND (?::DATE IS NULL OR o.period_start + CASE o.period_type WHEN 'jaar' THEN INTERVAL 12 MONTH
                                         WHEN 'halfjaar' THEN INTERVAL 6 MONTH
                                         WHEN 'kwartaal' THEN INTERVAL 3 MONTH
                                         ELSE INTERVAL 1 MONTH END <= ?)"""


def _level_order(column: str) -> str:
    """An ORDER BY term listing regions from the country down to gemeenten."""
    cases = " ".join(f"WHEN '{level}' THEN {rank}" for rank, level in enumerate(LEVELS))
    return f"CASE {column} {cases} ELSE {len(LEVELS)} END"


def _period_year(period_code: str) -> int | None:
    """The year of a CBS period code, or None when it is not one."""
    if len(period_code) == 8 and period_code[:4].isdigit():
        return int(period_code[:4])
    return None


def _cached(method: Callable) -> Callable:
    """Memoise a query per build id and arguments; callers get a copy they may change."""

    @wraps(method)
    def wrapper(self: Store, *args):
        return self._kept(method.__name__, args, lambda: method(self, *args)).copy()

    return wrapper


class Store:
    """Query functions the pages need. Arguments are values, never SQL; identifiers are fixed here."""

    def __init__(self, warehouse_dir: Path):
        self.warehouse = Warehouse(warehouse_dir)
        self._cache: OrderedDict = OrderedDict()
        self._metadata_cache: dict = {}
        self._cache_lock = threading.Lock()

    def clear_cache(self) -> None:
        """Forget every memoised result (results are also keyed by build id, so this is only for measuring)."""
        with self._cache_lock:
            self._cache.clear()

    def _frame(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        _, cursor = self.warehouse.cursor()
        try:
            return cursor.execute(sql, parameters or []).df()
        finally:
            cursor.close()

    # -- metadata -------------------------------------------------------------------------------------------------

    def manifest(self) -> dict:
        """The published build's manifest (inputs, checksums, row counts, dataset kind)."""
        return self.warehouse.snapshot().manifest

    @property
    def build_id(self) -> str:
        return self.warehouse.snapshot().build_id

    @_cached
    def indicators(self) -> pd.DataFrame:
        """Every catalog indicator with its theme and where data exists (national, regional, time series)."""
        return self._frame(
            """
            SELECT i.*, t.title_nl AS theme_title_nl, t.title_en AS theme_title_en, t.theme_order,
                   coalesce(bool_or(a.level = 'land' AND a.n_published > 0), false) AS has_national,
                   coalesce(bool_or(a.level IN ('veilig_thuis_regio', 'provincie', 'gemeente')
                                    AND a.n_published > 0), false) AS has_regional,
                   coalesce(bool_or(a.n_periods > 1 AND a.n_published > 0), false) AS has_time_series
            FROM indicators i
            JOIN themes t USING (theme_id)
            LEFT JOIN availability a USING (indicator_id)
            GROUP BY ALL
            ORDER BY t.theme_order, i.catalog_order
            """
        )

    def known_regions(self) -> frozenset[str]:
        """Every region code of every shipped classification (for validating input)."""
        return self._metadata(
            "known_regions", lambda: frozenset(self._frame("SELECT region_code FROM region_names")["region_code"])
        )

    @_cached
    def gemeenten_of(self, region_code: str, year: int) -> pd.DataFrame:
        """The gemeenten of a Veilig Thuis region or provincie in a year's membership (derived; see README)."""
        return self._frame(
            """
            SELECT m.gemeente_code AS region_code, n.name_nl, n.name_en, m.membership_method
            FROM region_membership m JOIN region_names n ON n.region_code = m.gemeente_code
            WHERE (m.vt_code = ? OR m.pv_code = ?) AND m.year = (
                SELECT year FROM region_membership ORDER BY abs(year - ?), year DESC LIMIT 1)
            ORDER BY n.name_nl
            """,
            [region_code, region_code, year],
        )

    @_cached
    def region_names(self) -> pd.DataFrame:
        """Every region of every shipped classification with its latest name, level and the years it exists in."""
        return self._frame(
            f"""
            SELECT n.*, n.region_code IN (SELECT DISTINCT region_code FROM observations) AS has_data
            FROM region_names n
            ORDER BY {_level_order("n.level")}, n.name_nl
            """
        )

    @_cached
    def availability(self) -> pd.DataFrame:
        """Indicator x region level x period type: periods, regions and published values that exist."""
        return self._frame("SELECT * FROM availability ORDER BY indicator_id, level, period_type")

    @_cached
    def categories(self, breakdown: str) -> pd.DataFrame:
        return self._frame("SELECT * FROM categories WHERE breakdown = ? ORDER BY category_order", [breakdown])

    @_cached
    def periods(self, indicator_id: str, level: str | None = None, published_only: bool = False) -> pd.DataFrame:
        """Periods with observations of an indicator (at one level, if given; with a published value, if asked),
        newest first."""
        return self._frame(
            """
            SELECT p.* FROM periods p
            WHERE p.period_code IN (
                SELECT period_code FROM observations
                WHERE indicator_id = ? AND (? IS NULL OR region_level = ?)
                GROUP BY period_code HAVING NOT ? OR count(value) > 0)
            ORDER BY p.period_start DESC, p.period_type
            """,
            [indicator_id, level, level, published_only],
        )

    def has_rate(self, indicator_id: str) -> bool:
        """True when the indicator is a count with a population denominator, so a rate per 1,000 is meaningful."""
        key = (self.build_id, "rates")
        with self._cache_lock:
            if key not in self._cache:
                frame = self._frame(
                    "SELECT indicator_id FROM indicators WHERE denominator = 'population' AND unit = 'aantal'"
                )
                self._cache[key] = frozenset(frame["indicator_id"])
            return indicator_id in self._cache[key]

    def classification_year(self, level: str, year: int) -> int | None:
        """The shipped classification of a level that applies to a year: the nearest one (ties: the later)."""
        years = self._classification_years().get(level, [])
        return min(years, key=lambda shipped: (abs(shipped - year), -shipped)) if years else None

    def _classification_years(self) -> dict[str, list[int]]:
        return self._metadata(
            "classification_years",
            lambda: (
                self._frame("SELECT DISTINCT level, classification_year FROM regions")
                .groupby("level")["classification_year"]
                .apply(list)
                .to_dict()
            ),
        )

    def _metadata(self, name: str, load: Callable[[], object]):
        """Small per-build lookups the queries use (kept when query results are cleared)."""
        build_id = self.build_id
        key = (build_id, name)
        with self._cache_lock:
            for stale in [k for k in self._metadata_cache if k[0] != build_id]:
                del self._metadata_cache[stale]
        value = self._metadata_cache.get(key)
        if value is None:
            value = load()
            with self._cache_lock:
                self._metadata_cache[key] = value
        return value

    @_cached
    def regions(self, level: str, classification_year: int) -> pd.DataFrame:
        """Regions of one level in the classification that applies to a year (nearest shipped year)."""
        return self._frame(
            "SELECT * FROM regions WHERE level = ? AND classification_year = ? ORDER BY name_nl",
            [level, self.classification_year(level, classification_year)],
        )

    def boundaries(self, level: str, classification_year: int) -> dict:
        """GeoJSON of one level's regions in the classification nearest to a year, with its attribution."""
        return self.warehouse.reading(lambda snapshot: self._boundaries(snapshot, level, classification_year))

    def _boundaries(self, snapshot: Snapshot, level: str, classification_year: int) -> dict:
        """boundaries() from one build: the key, the row and the file, even mid-publish."""
        key = (snapshot.build_id, "boundaries", level, classification_year)
        with self._cache_lock:
            if key in self._cache:
                return self._cache[key]
        cursor = snapshot.connection.cursor()
        try:
            rows = cursor.execute(
                "SELECT geojson_file, attribution FROM boundaries WHERE level = ? "
                "ORDER BY abs(classification_year - ?), classification_year DESC LIMIT 1",
                [level, classification_year],
            ).df()
        finally:
            cursor.close()
        if rows.empty:
            raise LookupError(f"no boundaries for level {level!r}")
        name = Path(rows["geojson_file"].iloc[0]).name
        geojson = json.loads((snapshot.path / "geo" / name).read_text(encoding="utf-8"))
        geojson["attribution"] = rows["attribution"].iloc[0]
        with self._cache_lock:
            self._cache[key] = geojson
        return geojson

    # -- observations ---------------------------------------------------------------------------------------------

    @_cached
    def national_series(self, indicator_id: str, period_type: str | None = None) -> pd.DataFrame:
        """The Netherlands over time: every period (and category, for breakdowns), oldest first."""
        return self.region_series(indicator_id, ("NL01",), period_type)

    @_cached
    def region_series(
        self, indicator_id: str, region_codes: tuple[str, ...], period_type: str | None = None
    ) -> pd.DataFrame:
        """Several regions over time, with per-1,000 rates where the indicator has a population denominator."""
        return self._frame(
            f"""
            SELECT o.region_code, o.period_code, o.period_type, o.period_start, p.label_nl, p.label_en,
                   o.category_code, o.value, o.value_status, o.source_table, o.source_snapshot,
                   np.population_count, np.population_year, np.population_is_derived, {_RATE}
            FROM observations o
            JOIN periods p USING (period_code)
            LEFT JOIN population_for_periods np ON np.region_code = o.region_code AND np.period_year = p.year
            WHERE o.indicator_id = ? AND list_contains(?, o.region_code) AND (? IS NULL OR o.period_type = ?)
            ORDER BY o.region_code, o.period_start, o.period_type, o.category_code NULLS FIRST
            """,
            [self.has_rate(indicator_id), indicator_id, list(region_codes), period_type, period_type],
        )

    @_cached
    def regional_values(
        self, indicator_id: str, period_code: str, level: str, category_code: str | None = None
    ) -> pd.DataFrame:
        """All regions of a level for one period: published value, status, rate, or the reason there is none.

        Regions of the period's classification without an observation get reason 'niet_gepubliceerd'; regions
        with an observation that do not exist in that classification get 'regio_bestaat_niet'.
        """
        year = _period_year(period_code)
        classification = self.classification_year(level, year) if year is not None else None
        return self._frame(
            f"""
            WITH region_list AS (
                SELECT region_code, name_nl, name_en FROM regions WHERE level = ? AND classification_year = ?),
            obs AS (
                SELECT * FROM observations
                WHERE indicator_id = ? AND period_code = ? AND region_level = ?
                  AND category_code IS NOT DISTINCT FROM ?)
            SELECT coalesce(r.region_code, o.region_code) AS region_code,
                   coalesce(r.name_nl, any_name.name_nl) AS name_nl,
                   coalesce(r.name_en, any_name.name_en) AS name_en,
                   o.value, o.value_status,
                   CASE WHEN r.region_code IS NULL THEN 'regio_bestaat_niet'
                        WHEN o.region_code IS NULL THEN 'niet_gepubliceerd'
                        WHEN o.value IS NULL THEN o.value_status END AS missing_reason,
                   np.population_count, np.population_year, np.population_is_derived, {_RATE},
                   o.source_table, o.source_snapshot
            FROM region_list r
            FULL OUTER JOIN obs o ON o.region_code = r.region_code
            LEFT JOIN region_names any_name ON any_name.region_code = coalesce(r.region_code, o.region_code)
            LEFT JOIN population_for_periods np
                   ON np.region_code = coalesce(r.region_code, o.region_code)
                  AND np.period_year = ?
            ORDER BY o.value DESC NULLS LAST, name_nl
            """,
            [level, classification, indicator_id, period_code, level, category_code, self.has_rate(indicator_id), year],
        )

    @_cached
    def category_breakdown(self, indicator_id: str, region_code: str, period_code: str) -> pd.DataFrame:
        """Categories of a breakdown indicator for one region and period, with shares of the total.

        A share is only computed when both the category and the total are published: a share of a suppressed
        number would reveal it.
        """
        return self._frame(
            """
            WITH obs AS (SELECT * FROM observations WHERE indicator_id = ? AND region_code = ? AND period_code = ?),
            total AS (SELECT o.value AS total_value FROM obs o
                      JOIN categories c ON c.category_code = o.category_code AND c.is_total
                      JOIN indicators i ON i.indicator_id = o.indicator_id AND i.breakdown = c.breakdown)
            SELECT c.category_code, c.title_nl, c.title_en, c.is_total, c.category_order,
                   o.value, coalesce(o.value_status, 'niet_gepubliceerd') AS value_status,
                   CASE WHEN i.unit = 'aantal' AND o.value IS NOT NULL AND (SELECT total_value FROM total) > 0
                        THEN o.value / (SELECT total_value FROM total) * 100 END AS share_pct,
                   o.source_table, o.source_snapshot
            FROM (SELECT * FROM indicators WHERE indicator_id = ?) i
            JOIN categories c ON c.breakdown = i.breakdown
            LEFT JOIN obs o ON o.category_code = c.category_code
            ORDER BY c.category_order
            """,
            [indicator_id, region_code, period_code, indicator_id],
        )

    @_cached
    def region_profile(self, region_code: str) -> pd.DataFrame:
        """Every indicator for one region in its latest period (per period type), next to the Netherlands.

        For breakdown indicators the total category is used. `previous_value` is the region's value in the
        period before (same type), for a trend.
        """
        return self._frame(
            """
            WITH mine AS (
                SELECT o.*, p.year, p.label_nl, p.label_en FROM region_totals o
                JOIN periods p USING (period_code) WHERE o.region_code = ?),
            latest AS (
                SELECT indicator_id, period_type, max(period_start) AS period_start FROM mine GROUP BY ALL),
            previous AS (
                SELECT o.indicator_id, o.period_type,
                       arg_max(o.value, o.period_start) AS previous_value,
                       arg_max(o.period_code, o.period_start) AS previous_period
                FROM mine o JOIN latest l USING (indicator_id, period_type)
                WHERE o.period_start < l.period_start GROUP BY ALL),
            m AS (
                SELECT mine.*, previous.previous_value, previous.previous_period FROM mine
                JOIN latest USING (indicator_id, period_type, period_start)
                LEFT JOIN previous USING (indicator_id, period_type))
            SELECT i.indicator_id, i.title_nl, i.title_en, i.unit, i.decimals, i.theme_id, i.catalog_order,
                   m.period_code, m.period_type, m.label_nl AS period_label_nl, m.label_en AS period_label_en,
                   m.value, m.value_status, m.previous_value, m.previous_period,
                   CASE WHEN i.denominator = 'population' AND i.unit = 'aantal' AND m.value IS NOT NULL
                        THEN m.value / mp.population_count * 1000 END AS rate_per_1000,
                   mp.population_year,
                   nl.value AS nl_value, nl.value_status AS nl_value_status,
                   CASE WHEN i.denominator = 'population' AND i.unit = 'aantal' AND nl.value IS NOT NULL
                        THEN nl.value / nlp.population_count * 1000 END AS nl_rate_per_1000,
                   m.source_table, m.source_snapshot
            FROM m
            JOIN indicators i USING (indicator_id)
            LEFT JOIN region_totals nl ON nl.region_code = 'NL01' AND nl.indicator_id = m.indicator_id
                                      AND nl.period_code = m.period_code
                                      AND nl.category_code IS NOT DISTINCT FROM m.category_code
            LEFT JOIN population_for_periods mp ON mp.region_code = m.region_code AND mp.period_year = m.year
            LEFT JOIN population_for_periods nlp ON nlp.region_code = 'NL01' AND nlp.period_year = m.year
            ORDER BY i.catalog_order, m.period_type
            """,
            [region_code],
        )

    # -- downloads ------------------------------------------------------------------------------------------------

    @_cached
    def chart_observations(
        self, indicator_id: str, region_codes: tuple[str, ...], period_codes: tuple[str, ...]
    ) -> pd.DataFrame:
        """The observations behind one chart (few regions and periods), with rates as the charts compute them."""
        return self._export_frame(
            "AND list_contains(?, o.region_code) AND list_contains(?, o.period_code)",
            [indicator_id, list(region_codes), list(period_codes)],
            indicator_id,
        )

    def indicator_observations(self, indicator_id: str, region_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Every observation of an indicator (of some regions, if given): the 'full series' download.

        Not memoised: the largest indicator has hundreds of thousands of rows; the downloads keep the files instead.
        """
        return self._export_frame(
            "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.region_code))",
            [indicator_id, *(list(region_codes) if region_codes else None,) * 2],
            indicator_id,
        )

    def _export_frame(self, condition: str, parameters: list, indicator_id: str) -> pd.DataFrame:
        return self._frame(
            f"""
            SELECT o.indicator_id, o.category_code, o.region_code, o.period_code, o.value, o.value_status,
                   {_RATE}, np.population_count, np.population_year, o.source_table, o.source_snapshot
            FROM observations o
            JOIN periods p USING (period_code)
            LEFT JOIN population_for_periods np ON np.region_code = o.region_code AND np.period_year = p.year
            WHERE o.indicator_id = ? {condition}
            ORDER BY {_level_order("o.region_level")}, o.region_code, o.period_start, o.period_type DESC,
                     o.category_code NULLS FIRST
            """,
            [self.has_rate(indicator_id), *parameters],
        )

    # -- HTTP API -------------------------------------------------------------------------------------------------

    def latest_classification_year(self, level: str) -> int | None:
        """The newest shipped classification year of a region level."""
        years = self._classification_years().get(level, [])
        return max(years) if years else None

    def api_observations(
        self,
        indicator_id: str,
        region_codes: tuple[str, ...] | None,
        level: str | None,
        period_code: str | None,
        start: date | None,
        end: date | None,
        limit: int,
        offset: int,
    ) -> tuple[pd.DataFrame, int]:
        """(one page of observations, the number of matching rows) for the HTTP API, in a stable order.

        Periods match `start`/`end` when they lie wholly inside [start, end). Not memoised: clients choose
        arbitrary filters and pages, which would fill the cache with large frames.
        """
        filters = [
            indicator_id,
            *(list(region_codes) if region_codes else None,) * 2,
            *(level,) * 2,
            *(period_code,) * 2,
            *(start,) * 2,
            *(end,) * 2,
        ]
        _, cursor = self.warehouse.cursor()
        try:
            total = cursor.execute(f"SELECT count(*) FROM observations o {_API_FILTER}", filters).fetchone()[0]
            page = cursor.execute(
                f"""
                SELECT o.indicator_id, o.category_code, o.region_code, n.name_nl AS region_name, o.region_level,
                       o.period_code, o.period_type, o.period_start, o.value, o.value_status, i.unit, {_RATE},
                       o.source_table, o.source_snapshot
                FROM observations o
                JOIN indicators i USING (indicator_id)
                LEFT JOIN region_names n USING (region_code)
                LEFT JOIN population_for_periods np
                       ON np.region_code = o.region_code AND np.period_year = year(o.period_start)
                {_API_FILTER}
                ORDER BY o.region_code, o.period_start, o.period_type, o.period_code, o.category_code NULLS FIRST
                LIMIT ? OFFSET ?
                """,
                [self.has_rate(indicator_id), *filters, limit, offset],
            ).df()
        finally:
            cursor.close()
        return page, total

    def regional_records(
        self, indicator_id: str, period_code: str, level: str, category_code: str | None = None
    ) -> tuple[dict, ...]:
        """regional_values as plain records (a missing value is None), memoised per build: the regional page builds
        its map, ranking and table from these in plain Python, which is many times faster than per-row pandas.
        Callers must not change the records (they are shared)."""

        def load() -> tuple[dict, ...]:
            frame = self.regional_values(indicator_id, period_code, level, category_code).astype(object)
            return tuple(frame.where(frame.notna(), None).to_dict("records"))

        return self._kept("regional_records", (indicator_id, period_code, level, category_code), load)

    def _kept(self, name: str, args: tuple, load: Callable[[], object]):
        """A result memoised per build id, name and arguments (the least recently used forgotten beyond CACHE_SIZE).
        Shared as it is: plain, unchangeable results (tuples, read-only mappings) are handed out directly; frames
        are copied by _cached."""
        key = (self.build_id, name, args)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        result = load()
        with self._cache_lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def series_total_rows(self, indicator_id: str, region_codes: tuple[str, ...], period_type: str) -> tuple:
        """region_series of one period type narrowed to the totals (a breakdown's total category, else the rows
        without category) as plain tuples (region_code, period_code, period_type, period_start, label_nl, label_en,
        value, value_status, rate_per_1000, source_table, source_snapshot), NULL as None: the profile and compare
        pages draw their lines from these without per-row pandas."""

        def load() -> tuple:
            _, cursor = self.warehouse.cursor()
            try:
                rows = cursor.execute(
                    f"""
                    WITH total AS (
                        SELECT c.category_code FROM indicators i
                        JOIN categories c ON c.breakdown = i.breakdown AND c.is_total
                        WHERE i.indicator_id = ? ORDER BY c.category_order LIMIT 1)
                    SELECT o.region_code, o.period_code, o.period_type, o.period_start, p.label_nl, p.label_en,
                           o.value, o.value_status, {_RATE}, o.source_table, o.source_snapshot
                    FROM observations o
                    JOIN periods p USING (period_code)
                    LEFT JOIN population_for_periods np ON np.region_code = o.region_code AND np.period_year = p.year
                    WHERE o.indicator_id = ? AND list_contains(?, o.region_code) AND o.period_type = ?
                      AND o.category_code IS NOT DISTINCT FROM (SELECT category_code FROM total)
                    ORDER BY o.region_code, o.period_start, o.period_type
                    """,
                    [indicator_id, self.has_rate(indicator_id), indicator_id, list(region_codes), period_type],
                ).fetchall()
            finally:
                cursor.close()
            return tuple(rows)

        return self._kept("series_total_rows", (indicator_id, region_codes, period_type), load)

    RECORD_QUERIES = frozenset(
        {"indicators", "region_names", "regions", "periods", "region_profile", "regional_values"}
    )

    def records(self, query: str, *args) -> tuple[MappingProxyType, ...]:
        """The rows of one of the memoised queries above (named in RECORD_QUERIES, with its arguments) as
        read-only records, missing values None, memoised per build and shared without a copy: pages that build
        from plain records skip the per-row pandas access (and the copy of every cached frame) that dominated
        their callbacks."""
        if query not in self.RECORD_QUERIES:
            raise ValueError(f"no records for {query!r}")

        return self._kept("records", (query, *args), lambda: self._plain_records(getattr(self, query)(*args)))

    @staticmethod
    def _plain_records(frame: pd.DataFrame) -> tuple[MappingProxyType, ...]:
        """A frame's rows as read-only dicts of plain Python values, None where the frame has NaN/NaT/NA."""
        names = list(frame.columns)
        columns = [frame[name].to_numpy(dtype=object, na_value=None).tolist() for name in names]
        return tuple(MappingProxyType(dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True))

    def catalog(self) -> MappingProxyType:
        """indicators() as read-only records by indicator id, in the catalog's order."""
        rows = self.records("indicators")
        return self._kept("catalog", (), lambda: MappingProxyType({row["indicator_id"]: row for row in rows}))

    def region_records(self) -> MappingProxyType:
        """Every region's region_names row (without has_data, which scans the observations) as read-only records
        by region code, in region_names() order."""

        def load() -> MappingProxyType:
            frame = self._frame(f"SELECT * FROM region_names n ORDER BY {_level_order('n.level')}, n.name_nl")
            return MappingProxyType({row["region_code"]: row for row in self._plain_records(frame)})

        return self._kept("region_records", (), load)

    def series_records(self, indicator_id: str, region_code: str, period_type: str | None = None) -> tuple[dict, ...]:
        """region_series of one region as plain records (period_code, category_code, value, value_status,
        source_table, source_snapshot, population_year, rate_per_1000; a missing value is None), memoised per
        build: the national page builds its trend lines from these without per-row pandas. Callers must not change
        the records."""

        def load() -> tuple:
            _, cursor = self.warehouse.cursor()
            try:
                cursor.execute(
                    f"""
                    SELECT o.period_code, o.category_code, o.value, o.value_status, o.source_table,
                           o.source_snapshot, np.population_year, {_RATE}
                    FROM observations o
                    JOIN periods p USING (period_code)
                    LEFT JOIN population_for_periods np
                           ON np.region_code = o.region_code AND np.period_year = p.year
                    WHERE o.indicator_id = ? AND o.region_code = ? AND (? IS NULL OR o.period_type = ?)
                    ORDER BY o.period_start, o.period_type, o.category_code NULLS FIRST
                    """,
                    [self.has_rate(indicator_id), indicator_id, region_code, period_type, period_type],
                )
                names = [column[0] for column in cursor.description]
                return tuple(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
            finally:
                cursor.close()

        return self._kept("series_records", (indicator_id, region_code, period_type), load)

    def breakdown_records(self, indicator_id: str, region_code: str, period_type: str) -> tuple[dict, ...]:
        """category_breakdown of every period of a type that has figures per category, in one query: its records
        with the period_code added, oldest period first, then in category order (a missing value is None).
        Memoised per build; callers must not change the records."""

        def load() -> tuple:
            _, cursor = self.warehouse.cursor()
            try:
                cursor.execute(
                    """
                    WITH obs AS (
                        SELECT o.*, p.period_start FROM observations o JOIN periods p USING (period_code)
                        WHERE o.indicator_id = ? AND o.region_code = ? AND o.period_type = ?),
                    shown AS (SELECT DISTINCT period_code, period_start FROM obs WHERE category_code IS NOT NULL),
                    total AS (SELECT o.period_code, o.value AS total_value FROM obs o
                              JOIN categories c ON c.category_code = o.category_code AND c.is_total
                              JOIN indicators i ON i.indicator_id = o.indicator_id AND i.breakdown = c.breakdown)
                    SELECT s.period_code, c.category_code, c.title_nl, c.title_en, c.is_total, c.category_order,
                           o.value, coalesce(o.value_status, 'niet_gepubliceerd') AS value_status,
                           CASE WHEN i.unit = 'aantal' AND o.value IS NOT NULL AND t.total_value > 0
                                THEN o.value / t.total_value * 100 END AS share_pct,
                           o.source_table, o.source_snapshot
                    FROM (SELECT * FROM indicators WHERE indicator_id = ?) i
                    JOIN categories c ON c.breakdown = i.breakdown
                    CROSS JOIN shown s
                    LEFT JOIN obs o ON o.category_code = c.category_code AND o.period_code = s.period_code
                    LEFT JOIN total t ON t.period_code = s.period_code
                    ORDER BY s.period_start, s.period_code, c.category_order
                    """,
                    [indicator_id, region_code, period_type, indicator_id],
                )
                names = [column[0] for column in cursor.description]
                return tuple(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
            finally:
                cursor.close()

        return self._kept("breakdown_records", (indicator_id, region_code, period_type), load)

    def published_period_types(self, indicator_id: str, level: str) -> frozenset[str]:
        """Period types with at least one published value of an indicator at a region level (from availability)."""

        def load() -> MappingProxyType:
            frame = self.availability()
            frame = frame[frame["n_published"] > 0]
            types: dict[tuple[str, str], set[str]] = {}
            for key in zip(frame["indicator_id"], frame["level"], frame["period_type"], strict=True):
                types.setdefault(key[:2], set()).add(key[2])
            return MappingProxyType({key: frozenset(value) for key, value in types.items()})

        return self._kept("published_period_types", (), load).get((indicator_id, level), frozenset())

    def category_records(self, breakdown: str) -> tuple[dict, ...]:
        """categories() of a breakdown as plain records in category order. Callers must not change them."""

        def load() -> tuple:
            frame = self.categories(breakdown).astype(object)
            return tuple(frame.where(frame.notna(), None).to_dict("records"))

        return self._kept("category_records", (breakdown,), load)

    def published_categories(self, indicator_id: str, region_code: str) -> frozenset[str]:
        """Categories of an indicator with at least one published value for a region, in any period."""

        def load() -> frozenset:
            frame = self._frame(
                """
                SELECT DISTINCT o.category_code FROM observations o JOIN periods p USING (period_code)
                WHERE o.indicator_id = ? AND o.region_code = ? AND o.value IS NOT NULL
                  AND o.category_code IS NOT NULL
                """,
                [indicator_id, region_code],
            )
            return frozenset(frame["category_code"])

        return self._kept("published_categories", (indicator_id, region_code), load)

    def boundaries_year(self, level: str, classification_year: int) -> int:
        """The classification year of the boundaries that boundaries() returns for a level and year (the nearest
        shipped one; ties: the later), so that every year drawn with the same boundaries names them alike."""

        def load() -> MappingProxyType:
            frame = self._frame("SELECT DISTINCT level, classification_year FROM boundaries")
            years: dict[str, list[int]] = {}
            for shipped_level, shipped_year in zip(frame["level"], frame["classification_year"], strict=True):
                years.setdefault(shipped_level, []).append(int(shipped_year))
            return MappingProxyType({key: tuple(value) for key, value in years.items()})

        years = self._kept("boundaries_years", (), load).get(level)
        if not years:
            raise LookupError(f"no boundaries for level {level!r}")
        return min(years, key=lambda shipped: (abs(shipped - classification_year), -shipped))
