"""Normalising parsed sources into the tidy observations table: codes, indicators, statuses and reconciliation."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.catalog import Catalog, normalise_text
from etl.codes import PUBLISHED_STATUSES, VALUE_STATUSES, parse_period_code, strip_region_code
from etl.problems import InputError, Problem, problem
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
KEY = ["indicator_id", "category_code", "region_code", "period_code"]


@dataclass
class Normalised:
    """Tidy observations of one source, with row provenance kept for reconciliation messages."""

    source: SourceFrame
    observations: pd.DataFrame
    unmapped: list[str] = field(default_factory=list)
    source_rows: int = 0

    def release_source(self) -> None:
        """Drop the parsed source frame once normalised; its row count stays for the manifest."""
        self.source_rows = len(self.source.frame)
        self.source.frame = self.source.frame.iloc[0:0]


def normalise_source(source: SourceFrame, catalog: Catalog, label_to_code: dict[str, str]) -> Normalised:
    """Map one parsed source onto indicators, region and period codes; raise InputError with every problem."""
    frame = source.frame
    path = source.path
    problems: list[Problem] = []

    def report(rows: pd.Series, column: str, message: str, limit: int = 5) -> None:
        for row in rows.head(limit):
            problems.append(problem(path, int(row), column, message))

    regions = _region_codes(frame, label_to_code, report)
    periods = _period_codes(frame, report)
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
    negative = (data["value"] < 0) & units.eq("aantal")
    report(data.loc[negative, "source_row"], "value", "negative count")
    period_status = data["period_status"].fillna("definitief")
    report(data.loc[~period_status.isin(PUBLISHED_STATUSES), "source_row"], "period_status", "unknown period status")
    duplicated = data.duplicated(KEY, keep=False)
    if duplicated.any():
        first = data.loc[duplicated].sort_values("source_row").iloc[0]
        report(
            data.loc[duplicated, "source_row"],
            None,
            f"duplicate key: {first.indicator_id} {first.category_code or ''} {first.region_code} {first.period_code} "
            "appears more than once in this file",
        )
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
            "value": data["value"].astype("float64"),
            "value_status": np.where(data["value"].isna(), data["value_status"], period_status),
            "source_table": data["table_id"],
            "source_snapshot": source.snapshot,
            "priority": data["priority"],
            "source_row": data["source_row"],
        }
    )
    return Normalised(source, observations.reset_index(drop=True), unmapped)


def _combo_columns(source: SourceFrame) -> list[str]:
    return ["table_id", "measure", "unit", *source.dimension_columns]


def _region_codes(frame: pd.DataFrame, label_to_code: dict[str, str], report) -> pd.Series:
    codes = pd.Series(index=frame.index, dtype="object")
    has_code = frame["region_code"].notna()
    for raw in frame.loc[has_code, "region_code"].unique():
        rows = frame["region_code"].eq(raw)
        try:
            codes[rows] = strip_region_code(raw)
        except ValueError as exc:
            report(frame.loc[rows, "source_row"], "region_code", str(exc))
    for label in frame.loc[~has_code, "region_label"].unique():
        rows = ~has_code & frame["region_label"].eq(label)
        code = label_to_code.get(normalise_text(label)) if isinstance(label, str) else None
        if code is None:
            report(frame.loc[rows, "source_row"], "region_label", f"unknown region {label!r}")
        else:
            codes[rows] = code
    return codes


def _period_codes(frame: pd.DataFrame, report) -> pd.Series:
    codes = pd.Series(index=frame.index, dtype="object")
    for raw in frame["period_code"].dropna().unique():
        rows = frame["period_code"].eq(raw)
        try:
            codes[rows] = parse_period_code(raw).code
        except ValueError as exc:
            report(frame.loc[rows, "source_row"], "period_code", str(exc))
    missing = frame["period_code"].isna()
    report(frame.loc[missing, "source_row"], "period_code", "no period code")
    return codes


def _map_indicators(source: SourceFrame, catalog: Catalog, report) -> tuple[pd.DataFrame, list[str]]:
    """Match each distinct (table, measure, unit, categories) combination once, then join back."""
    columns = _combo_columns(source)
    combos = source.frame[columns + ["source_row"]].groupby(columns, dropna=False, sort=False)["source_row"].min()
    rows, unmapped = [], []
    for combo, first_row in combos.items():
        combo = combo if isinstance(combo, tuple) else (combo,)
        values = dict(zip(columns, combo, strict=True))
        dims = {c[len(DIMENSION_PREFIX) :]: values[c] for c in source.dimension_columns}
        unit = values["unit"] if isinstance(values["unit"], str) else None
        matches, error = catalog.match(values["table_id"], values["measure"], unit, dims)
        if error:
            report(pd.Series([first_row]), "category", error)
            continue
        if not matches:
            described = ", ".join(f"{k}={v}" for k, v in dims.items())
            unmapped.append(f"{values['table_id']}: {values['measure']} ({unit or 'no unit'}) [{described}]")
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
    return mapped, unmapped


def reconcile(parts: list[Normalised]) -> tuple[pd.DataFrame, int]:
    """Combine sources: a number published by several sources must agree; the highest-priority source is kept.

    Returns the observations and how many duplicate publications agreed.
    """
    frames = []
    for index, part in enumerate(parts):
        frames.append(part.observations.assign(source_index=index))
    if not frames:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS), 0
    combined = pd.concat(frames, ignore_index=True)
    combined["category_code"] = combined["category_code"].astype("object")
    combined = combined.sort_values(["priority", "source_index", "source_row"], kind="stable")
    key_frame = combined[KEY].fillna({"category_code": ""})
    duplicated = key_frame.duplicated(keep=False)
    agreed = 0
    if duplicated.any():
        dups = combined[duplicated].assign(_key=key_frame[duplicated].apply(tuple, axis=1))
        problems = []
        for _, group in dups.groupby("_key", sort=False):
            values = group["value"]
            same = values.nunique(dropna=False) == 1 and group["value_status"].nunique() == 1
            if not same and not _same_published_number(group):
                first, other = group.iloc[0], group.iloc[1:]
                for row in other.itertuples():
                    problems.append(
                        problem(
                            parts[row.source_index].source.path,
                            int(row.source_row),
                            "value",
                            f"{row.indicator_id} {row.category_code or ''} {row.region_code} {row.period_code}: "
                            f"{_show(row.value, row.value_status)} conflicts with "
                            f"{_show(first.value, first.value_status)} in "
                            f"{parts[int(first.source_index)].source.path}:{int(first.source_row)}",
                        )
                    )
            agreed += len(group) - 1
        if problems:
            raise InputError(problems)
    kept = combined[~key_frame.duplicated(keep="first")]
    return kept[list(OBSERVATION_COLUMNS)].reset_index(drop=True), agreed


def _same_published_number(group: pd.DataFrame) -> bool:
    """Same value, where only the provisional status differs between releases, counts as agreement."""
    return group["value"].nunique(dropna=False) == 1 and group["value_status"].isin(PUBLISHED_STATUSES).all()


def _show(value: float, status: str) -> str:
    return status if pd.isna(value) else f"{value:g} ({status})"
