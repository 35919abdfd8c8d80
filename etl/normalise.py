"""Normalising parsed sources into the tidy observations table: codes, indicators, statuses and reconciliation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from etl.catalog import UNITS, Catalog, normalise_text
from etl.codes import PUBLISHED_STATUSES, VALUE_STATUSES, parse_period_code, strip_region_code
from etl.problems import InputError, Problem
from etl.sources.base import DIMENSION_PREFIX, SourceFrame

OBSERVATION_COLUMNS = (
    "indicator_id",
    "category_code",
    "region_code",
    "period_code",
    "period_start",
    "period_type",
    "value",
    "value_status",
    "source_table",
    "source_snapshot",
)
# Formats written for the catalog (curated transcriptions, the Veilig Thuis template): a row that feeds no
# indicator is a mistake, not one of the many measures of a CBS table the dashboard does not show.
CATALOG_ONLY_FORMATS = ("published", "vt_export")
KEY = ["indicator_id", "category_code", "region_code", "period_code"]
TEXT_COLUMNS = [c for c in OBSERVATION_COLUMNS if c not in ("period_start", "value")]


@dataclass
class Normalised:
    """Tidy observations of one source, with row provenance kept for reconciliation messages."""

    source: SourceFrame
    observations: pd.DataFrame
    unmapped: list[str] = field(default_factory=list)
    source_rows: int = 0
    observation_count: int = 0

    def release_observations(self) -> None:
        """Drop the observations once reconciled; their count stays for the manifest."""
        self.observation_count = len(self.observations)
        self.observations = self.observations.iloc[0:0].copy()  # a copy: a slice would keep the whole frame alive

    def release_source(self) -> None:
        """Drop the parsed source frame once normalised; its row count stays for the manifest."""
        self.source_rows = len(self.source.frame)
        self.source.frame = self.source.frame.iloc[0:0].copy()  # a copy: a slice would keep the whole frame alive


def normalise_source(
    source: SourceFrame, catalog: Catalog, label_to_code: dict[str, str], today: date | None = None
) -> Normalised:
    """Map one parsed source onto indicators, region and period codes; raise InputError with every problem.

    A period may not start after the source's snapshot date, or after `today` (the build's date, by default the
    current UTC date) for a source without one.
    """
    frame = source.frame
    problems: list[Problem] = []

    def report(rows: pd.Series, column: str, message: str, limit: int = 5) -> None:
        for row in rows.drop_duplicates().head(limit):  # once per row, though a row holds several cells
            problems.append(source.problem(row, column, message))

    regions = _region_codes(frame, label_to_code, report)
    periods = _period_codes(frame, report)
    _check_future_periods(frame, periods, source.snapshot, today, report)
    statuses = frame["value_status"]
    bad_status = statuses.notna() & ~statuses.isin(VALUE_STATUSES)
    report(frame.loc[bad_status, "source_row"], "value_status", "unknown value status")
    missing_without_reason = frame["value"].isna() & statuses.isna()
    report(frame.loc[missing_without_reason, "source_row"], "value", "empty value without a symbol or status")
    number_with_reason = frame["value"].notna() & statuses.notna()
    report(frame.loc[number_with_reason, "source_row"], "value", "a number and a missing-value status at once")
    if problems:
        raise InputError(problems)

    mapped, unmapped = _map_indicators(source, catalog, report)
    if problems:
        raise InputError(problems)
    data = frame.assign(region_code=regions, period_code=periods).merge(mapped, on=_combo_columns(source), how="inner")
    units = data["indicator_id"].map({i: ind.unit for i, ind in catalog.indicators.items()})
    _check_values(data, units, report)
    period_status = data["period_status"].fillna("definitief")
    report(data.loc[~period_status.isin(PUBLISHED_STATUSES), "source_row"], "period_status", "unknown period status")
    duplicated = data.duplicated(KEY, keep=False)
    if duplicated.any():
        rows = data[duplicated].drop_duplicates(["source_row"])
        first = rows.sort_values("source_row").iloc[0]
        category = first.category_code if isinstance(first.category_code, str) else ""
        key = " ".join(part for part in (first.indicator_id, category, first.region_code, first.period_code) if part)
        report(rows["source_row"], None, f"duplicate key: {key} appears more than once in this file")
    if problems:
        raise InputError(problems)

    period_info = {code: parse_period_code(code) for code in data["period_code"].unique()}
    observations = pd.DataFrame(
        {
            "indicator_id": data["indicator_id"],
            "category_code": data["category_code"],
            "region_code": data["region_code"],
            "period_code": data["period_code"],
            "period_start": pd.to_datetime(data["period_code"].map(lambda c: period_info[c].start)),
            "period_type": data["period_code"].map(lambda c: period_info[c].period_type),
            "value": data["value"].astype("float64") + 0.0,  # -0 in an export is stored as 0
            "value_status": np.where(data["value"].isna(), data["value_status"], period_status),
            "source_table": data["table_id"],
            "source_snapshot": source.snapshot,
            "priority": data["priority"],
            "source_row": data["source_row"],
        }
    )
    observations[TEXT_COLUMNS] = observations[TEXT_COLUMNS].astype("str")
    return Normalised(source, observations.reset_index(drop=True), unmapped)


def _combo_columns(source: SourceFrame) -> list[str]:
    return ["table_id", "measure", "unit", *source.dimension_columns]


def _translate(frame: pd.DataFrame, column: str, rows: pd.Series, translate: Callable[[str], str], report) -> pd.Series:
    """Apply `translate` once per distinct value of frame[column] where `rows`; report values it refuses."""
    positions, uniques = pd.factorize(frame[column].where(rows), use_na_sentinel=True)
    translated = np.full(len(uniques) + 1, None, dtype=object)
    for number, raw in enumerate(uniques):
        try:
            translated[number] = translate(raw)
        except ValueError as exc:
            report(frame.loc[positions == number, "source_row"], column, str(exc))
    return pd.Series(translated[positions], index=frame.index, dtype="object")


def _region_codes(frame: pd.DataFrame, label_to_code: dict[str, str], report) -> pd.Series:
    def from_label(label: str) -> str:
        code = label_to_code.get(normalise_text(label)) if isinstance(label, str) else None
        if code is None:
            raise ValueError(f"unknown region {label!r}")
        return code

    has_code = frame["region_code"].notna()
    neither = ~has_code & frame["region_label"].isna()
    report(frame.loc[neither, "source_row"], "region", "no region code or label")
    has_label = frame["region_label"].notna()
    by_code = _translate(frame, "region_code", has_code, strip_region_code, report)
    by_label = _translate(frame, "region_label", has_label, from_label, report)
    disagree = has_code & has_label & by_code.notna() & by_label.notna() & by_code.ne(by_label)
    for (label, code), rows in frame[disagree].groupby(["region_label", by_code[disagree]])["source_row"]:
        report(rows, "region_label", f"region {label!r} is {by_label[rows.index[0]]}, not {code}")
    return by_code.where(has_code, by_label)


def _period_codes(frame: pd.DataFrame, report) -> pd.Series:
    missing = frame["period_code"].isna()
    report(frame.loc[missing, "source_row"], "period_code", "no period code")
    return _translate(frame, "period_code", ~missing, lambda raw: parse_period_code(raw).code, report)


def _check_future_periods(frame: pd.DataFrame, periods: pd.Series, snapshot: str | None, today: date | None, report):
    """A period that starts after the snapshot date (or, without one, after today) cannot have been published."""
    try:
        limit, what = date.fromisoformat(snapshot), f"the snapshot date {snapshot}"
    except (TypeError, ValueError):  # no snapshot date (curated figures), or one that is not a date
        limit = today or datetime.now(UTC).date()
        what = f"the date of this build ({limit.isoformat()})"
    future = sorted(code for code in periods.dropna().unique() if parse_period_code(code).start > limit)
    for code in future:
        rows = frame.loc[periods.eq(code), "source_row"]
        report(rows, "period_code", f"period {code} starts after {what}: a future period cannot be published")


def _check_values(data: pd.DataFrame, units: pd.Series, report) -> None:
    """Counts are whole and not negative ('-0' is zero); percentages lie between 0 and 100."""
    values = data["value"].astype("float64")
    counts, shares = units.eq("aantal") & values.notna(), units.eq("procent") & values.notna()
    report(data.loc[counts & (values < 0), "source_row"], "value", "negative count")
    checks = (
        (counts & (values >= 0) & values.ne(np.floor(values)), "a count must be a whole number"),
        (shares & ((values < 0) | (values > 100)), "a percentage must lie between 0 and 100"),
    )
    for wrong, message in checks:
        rows = data.loc[wrong, ["source_row", "value"]].drop_duplicates("source_row").head(5)
        for row, value in zip(rows["source_row"], rows["value"], strict=True):
            report(pd.Series([row]), "value", f"{message}, not {value:g}")


def _map_indicators(source: SourceFrame, catalog: Catalog, report) -> tuple[pd.DataFrame, list[str]]:
    """Match each distinct (table, measure, unit, categories) combination once, then join back."""
    columns = _combo_columns(source)
    combos = source.frame[columns + ["source_row"]].groupby(columns, dropna=False, sort=False)["source_row"].min()
    rows, unmapped = [], []
    unknown_units: set[tuple[str, str]] = set()
    for combo, first_row in combos.items():
        combo = combo if isinstance(combo, tuple) else (combo,)
        values = dict(zip(columns, combo, strict=True))
        dims = {c[len(DIMENSION_PREFIX) :]: values[c] for c in source.dimension_columns}
        unit = values["unit"] if isinstance(values["unit"], str) else None
        matches, error = catalog.match(values["table_id"], values["measure"], unit, dims)
        if error and unit is not None and unit not in UNITS:  # an unknown unit: once per measure, not per category
            if (values["measure"], unit) not in unknown_units:
                unknown_units.add((values["measure"], unit))
                report(pd.Series([first_row]), "unit", error)
            continue
        if error:
            report(pd.Series([first_row]), "category", error)
            continue
        if not matches:
            described = ", ".join(f"{k}={v}" for k, v in dims.items())
            combination = f"{values['table_id']}: {values['measure']} ({unit or 'no unit'}) [{described}]"
            if source.format in CATALOG_ONLY_FORMATS:
                report(pd.Series([first_row]), "measure", f"not in the catalog: {combination}")
            unmapped.append(combination)
        for match in matches:
            rows.append(
                {
                    **values,
                    "indicator_id": match.indicator_id,
                    "category_code": match.category_code,
                    "priority": match.priority,
                }
            )
    mapped = pd.DataFrame(rows, columns=[*columns, "indicator_id", "category_code", "priority"])
    # as objects, like the source frame's columns, even where a column holds only nulls (a source without units)
    return mapped.astype({column: object for column in columns}), unmapped


class Reconciler:
    """Combines sources one at a time: a number published by several sources must agree; the highest-priority
    source is kept.

    Two publications agree when their values are equal (both missing counts as equal) and their statuses are
    equal or both published statuses (a later release may call 'voorlopig' what an earlier one called
    'nader_voorlopig'). Agreement is an equivalence, so folding sources in one by one gives the same result as
    comparing all at once, while memory holds only the observations kept so far plus one source.
    """

    def __init__(self) -> None:
        self.parts: list[Normalised] = []
        self.kept: pd.DataFrame | None = None
        self.agreed = 0

    def add(self, part: Normalised) -> None:
        """Fold one source in; raises InputError naming both publications of a conflicting number."""
        self.parts.append(part)
        incoming = _categorical(part.observations, len(self.parts) - 1)
        if self.kept is None:
            self.kept = incoming
            return
        self.kept, repeated = _fold(self.parts, self.kept, incoming)
        self.agreed += repeated

    def observations(self) -> pd.DataFrame:
        """The reconciled observations with plain text columns."""
        if self.kept is None:
            return pd.DataFrame(columns=OBSERVATION_COLUMNS)
        observations = self.kept[list(OBSERVATION_COLUMNS)].reset_index(drop=True)
        observations[TEXT_COLUMNS] = observations[TEXT_COLUMNS].astype("str")
        return observations


def reconcile(parts: list[Normalised]) -> tuple[pd.DataFrame, int]:
    """Reconcile a list of sources at once (see Reconciler); returns observations and agreed duplicates."""
    reconciler = Reconciler()
    for part in parts:
        reconciler.add(part)
    return reconciler.observations(), reconciler.agreed


def _categorical(observations: pd.DataFrame, source_index: int) -> pd.DataFrame:
    """One source's observations with text columns as categories (small codes instead of strings)."""
    frame = observations.assign(source_index=source_index)
    frame[TEXT_COLUMNS] = frame[TEXT_COLUMNS].astype("category")
    return frame


def _concat_categorical(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames whose text columns are categorical, keeping them categorical (shared categories)."""
    frames = [frame.copy(deep=False) for frame in frames]
    for column in frames[0].columns:
        if isinstance(frames[0][column].dtype, pd.CategoricalDtype):
            values = set().union(*(frame[column].cat.categories for frame in frames))
            categories = pd.Index(sorted(values), dtype=object)
            for frame in frames:
                frame[column] = frame[column].cat.set_categories(categories)
    return pd.concat(frames, ignore_index=True)


def _fold(parts: list[Normalised], kept: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Add one source to the kept observations; the highest-priority publication of each key stays."""
    combined = _concat_categorical([kept, incoming])
    key_codes = [combined[column].cat.codes.to_numpy().astype(np.int64) + 1 for column in KEY]
    key = np.ravel_multi_index(key_codes, [int(codes.max()) + 1 for codes in key_codes])
    order = np.lexsort((combined["source_row"], combined["source_index"], combined["priority"]))
    _, first, inverse = np.unique(key[order], return_index=True, return_inverse=True)
    kept_rows = order[first]
    repeated_rows = np.setdiff1d(order, kept_rows, assume_unique=True)
    if len(repeated_rows):
        kept_for_row = np.empty_like(order)
        kept_for_row[order] = kept_rows[inverse]
        _check_agreement(parts, combined, repeated_rows, kept_for_row[repeated_rows])
    return combined.take(np.sort(kept_rows)).reset_index(drop=True), len(repeated_rows)


def _check_agreement(parts: list[Normalised], combined: pd.DataFrame, rows: np.ndarray, firsts: np.ndarray) -> None:
    """Raise when a repeated publication (rows) disagrees with the kept one (firsts, row by row)."""
    values = combined["value"].to_numpy()
    statuses = combined["value_status"].to_numpy(dtype=object)
    published = np.isin(statuses, PUBLISHED_STATUSES)
    same_value = (values[rows] == values[firsts]) | (np.isnan(values[rows]) & np.isnan(values[firsts]))
    same_status = (statuses[rows] == statuses[firsts]) | (published[rows] & published[firsts])
    conflicting = ~(same_value & same_status)
    if conflicting.any():
        pairs = combined.take(rows[conflicting][:50]).reset_index(drop=True)
        first = combined.take(firsts[conflicting][:50]).reset_index(drop=True)
        pairs = pairs.join(first[["value", "value_status", "source_index", "source_row"]].add_suffix("_first"))
        raise InputError([_conflict(parts, row) for row in pairs.itertuples()])


def _conflict(parts: list[Normalised], row) -> Problem:
    file, record = parts[int(row.source_index_first)].source.locate(row.source_row_first)
    where = f"{file}:{record}"
    category = row.category_code if isinstance(row.category_code, str) else ""
    first = _show(row.value_first, row.value_status_first)
    return parts[int(row.source_index)].source.problem(
        row.source_row,
        "value",
        f"{row.indicator_id} {category} {row.region_code} {row.period_code}: "
        f"{_show(row.value, row.value_status)} conflicts with {first} in {where}",
    )


def _show(value: float, status: str) -> str:
    return status if pd.isna(value) else f"{value:g} ({status})"
