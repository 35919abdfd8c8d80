"""Curated published figures: numbers transcribed from CBS publications, one per row with its source URL."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.catalog import split_unit
from etl.codes import parse_dutch_number, parse_period_code, parse_period_label, strip_region_code, symbol_status
from etl.limits import too_many_fields
from etl.problems import InputError, Problem, fail, problem
from etl.sources.base import DIMENSION_PREFIX, SourceFrame, empty_columns
from etl.sources.text import decode, read_bytes, read_csv_rows

FORMAT = "published"
REQUIRED = (
    "table_id",
    "region_label",
    "period_label",
    "period_code_derived",
    "provisional",
    "measure",
    "value_raw",
    "value",
    "source_url",
)
NOT_DIMENSIONS = set(REQUIRED) | {"table_title", "figure", "region_level", "region_code_derived", "note"}
_VALUE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")  # the value column: plain decimal digits, '.' for decimals


SNIFF_COLUMNS = 3  # a header with table_id and this many of the other required columns is a curated CSV


def sniff(path: Path) -> bool:
    """True when the first line looks like a curated published-figures header (parse names missing columns)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096)
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    first = lines[0] if lines else ""
    for delimiter in (",", ";"):  # ';' too, so that parse() can say the delimiter is wrong
        columns = {c.strip().strip('"') for c in first.split(delimiter)}
        if "table_id" in columns and len(columns & set(REQUIRED[1:])) >= SNIFF_COLUMNS:
            return True
    return False


def parse(path: Path) -> SourceFrame:
    """Parse one curated CSV, checking every value against its verbatim published text."""
    text = decode(path, read_bytes(path))
    refused = too_many_fields(text)  # lines ending in a lone '\r' too
    if refused:
        raise fail(path, None, None, refused)
    rows = read_csv_rows(path, text)
    header, body = rows[0], rows[1:]
    if len(header) == 1 and ";" in header[0]:
        message = (
            "format not recognised as a curated CSV: the delimiter is ';' where curated CSV files use ',' "
            "(save as 'CSV UTF-8 (comma delimited)')"
        )
        raise fail(path, 1, None, message)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise fail(path, 1, missing[0], f"missing column(s): {', '.join(missing)}")
    _check_distinct_names(path, header)
    if not body:
        raise fail(path, 2, None, "no data rows")
    dimensions = [c for c in header if c not in NOT_DIMENSIONS]
    index = {name: i for i, name in enumerate(header)}
    problems: list[Problem] = []
    records = []
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(problem(path, line, None, f"expected {len(header)} fields, found {len(row)}"))
            continue
        cell = {name: row[i].strip() for name, i in index.items()}
        record = _parse_row(path, line, cell, dimensions, problems)
        if record is not None:
            records.append(record)
    if problems:
        raise InputError(problems)
    frame = empty_columns(pd.DataFrame.from_records(records))
    return SourceFrame(path, FORMAT, frame, title=body[0][index["table_id"]])


def _check_distinct_names(path: Path, header: list[str]) -> None:
    """No column name twice, compared without regard to case and spaces ('Regio' and ' regio' are one name)."""
    seen: dict[str, str] = {}
    for name in header:
        key = "".join(name.split()).casefold()
        if key not in seen:
            seen[key] = name
        elif seen[key] == name:
            raise fail(path, 1, name, f"column {name!r} appears more than once in the header")
        else:
            raise fail(
                path,
                1,
                name,
                f"columns {seen[key]!r} and {name!r} differ only in case or spaces; give each column its own name",
            )


def _parse_row(
    path: Path, line: int, cell: dict[str, str], dimensions: list[str], problems: list[Problem]
) -> dict | None:
    def bad(column: str, message: str) -> None:
        problems.append(problem(path, line, column, message))

    for column in ("table_id", "measure", "region_label", "period_label"):
        if not cell[column]:
            bad(column, "empty")
            return None
    try:
        period_code, status = parse_period_label(cell["period_label"])
    except ValueError as exc:
        bad("period_label", str(exc))
        return None
    derived = cell["period_code_derived"]
    if derived:
        try:
            derived = parse_period_code(derived).code
        except ValueError as exc:
            bad("period_code_derived", str(exc))
            return None
        if derived != period_code:
            bad(
                "period_code_derived", f"{derived} does not match period label {cell['period_label']!r} ({period_code})"
            )
            return None
    if cell["provisional"] not in ("0", "1"):
        bad("provisional", f"expected 0 or 1, found {cell['provisional']!r}")
        return None
    if (cell["provisional"] == "1") != (status != "definitief"):
        bad("provisional", f"flag {cell['provisional']} disagrees with the '*' mark of {cell['period_label']!r}")
        return None
    region_code = cell.get("region_code_derived") or None
    if region_code:
        try:
            region_code = strip_region_code(region_code)
        except ValueError as exc:
            bad("region_code_derived", str(exc))
            return None
    value, value_status = _parse_value(cell["value_raw"], cell["value"], bad)
    if value is None and value_status is None:
        return None
    measure, unit = split_unit(cell["measure"])
    record = {
        "table_id": cell["table_id"],
        "measure": measure,
        "unit": unit,
        "region_code": region_code,
        "region_label": cell["region_label"],
        "period_code": period_code,
        "period_status": status,
        "value": value,
        "value_status": value_status,
        "source_row": line,
        "source_url": cell["source_url"] or None,
    }
    for dimension in dimensions:
        if not cell[dimension]:
            bad(dimension, "empty category")
            return None
        record[DIMENSION_PREFIX + dimension] = cell[dimension]
    return record


def _parse_value(raw: str, parsed: str, bad) -> tuple[float | None, str | None]:
    """Check that the parsed value equals the verbatim published text; symbols give a status instead."""
    status = symbol_status(raw) if raw in (".", "x", "-") else None
    if status is not None:
        if parsed:
            bad("value", f"published symbol {raw!r} must leave value empty, found {parsed!r}")
            return None, None
        return float("nan"), status
    try:
        published = parse_dutch_number(raw)
    except ValueError as exc:
        bad("value_raw", str(exc))
        return None, None
    if not _VALUE.fullmatch(parsed):
        bad("value", f"not a plain decimal number: {parsed!r} (digits, '.' for decimals, e.g. 7350 or 12.5)")
        return None, None
    value = float(parsed)
    if value != published:
        bad("value", f"{parsed} differs from the published text {raw!r} ({published:g})")
        return None, None
    return value, None
