"""StatLine CSV downloads: ';'-separated tables with title, header and source rows, read into long form.

Accepted layouts. Every header and data row has the same number of fields; title and source rows have text in
their first field only. Blank lines are skipped anywhere.

1. Table layout ("CSV volgens tabelindeling", also the older Statweb downloads)::

       "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio"        title row(s)
       "Onderwerp";"";"Gestarte adviezen";"Gestarte adviezen"                 column-header rows: a dimension
       "Kenmerken adviezen/meldingen";"";"Totaal";"Beroepsmatig totaal"       name, then its category per column
       "Regio's";"Perioden";"aantal";"aantal"                                 names row: row dimensions, units
       "Nederland";"2023*";"143.210";"78.035"                                 data rows
       "Bron: CBS"                                                            source row ('©' lines too)

   Several "Onderwerp"/"Onderwerpen" rows are topic groups. Without any "Onderwerp" row the names row holds
   the topic titles instead of the units, as in layout 2.

2. Flat layout ("CSV met/zonder statistische symbolen", with or without title and source rows)::

       "Kenmerken adviezen/meldingen";"Regio's";"Perioden";"Gestarte adviezen (aantal)"
       "Totaal";"Assen";"2023*";"525"

   The names row may be followed by category rows (dimension name in the first field, the other row-dimension
   fields empty, a category title per column) and by one units row (row-dimension fields empty, a unit per
   column) for topics whose title has no "(unit)" suffix.

Rules: the names row is the first row with a field "Perioden" (periods must be a row dimension); a dimension whose
name ends in "regio", "regio's" or "regios" holds regions (into region_label, or region_code when the label is a CBS
code); other dimensions become "dim:<name>" columns. The measure is the topic title, prefixed by its distinct topic
group titles when there are several "Onderwerp" rows ("Hermelding" + "Totaal" -> "Hermelding Totaal"); its unit
comes from a "(unit)" suffix or the units row, which must agree. Cells hold Dutch numbers ("64.505", "2,1") or
the symbols '.', 'x', '-' and empty (etl.codes.symbol_status). Files that are not UTF-8 are read as ISO-8859-1
when they otherwise look like a StatLine download. The table id comes from the file name (84847NED_....csv) or the
title row; a missing source row is a warning, anything else that does not fit is an error naming file, row, column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.catalog import split_unit
from etl.codes import parse_dutch_number, parse_period_label, strip_region_code, symbol_status
from etl.limits import too_many_fields
from etl.problems import InputError, Problem, fail, problem
from etl.sources.base import DIMENSION_PREFIX, SourceFrame, empty_columns
from etl.sources.text import NotUtf8Error, decode, read_bytes, read_csv_rows

FORMAT = "statline_csv"
DELIMITER = ";"
PERIOD_DIMENSION = "perioden"
TOPIC_DIMENSIONS = ("onderwerp", "onderwerpen")
SNIFF_BYTES = 8192
MAX_HEADER_ROWS_BELOW = 3
_TABLE_ID = re.compile(r"(?<![0-9A-Za-z])(\d{4,5}[A-Za-z]{3})(?![A-Za-z])")
_REGION_DIMENSION = re.compile(r"regio(?:'?s)?$")
_UNIT_SUFFIX = re.compile(r"\s\([^()]*\)\s*$")
_SOURCE_LINE = re.compile(r"^(bron\b|©|\(c\)|centraal bureau voor de statistiek)", re.IGNORECASE)
_OTHER_DELIMITERS = {",": "','", "\t": "a tab"}


@dataclass
class _Column:
    """One value column: where it sits, its topic levels, categories and unit text."""

    index: int
    topics: list[str] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)
    unit_text: str = ""
    measure: str = ""
    unit: str | None = None

    @property
    def title(self) -> str:
        """The topic title as the header shows it: distinct topic group titles joined by spaces."""
        levels: list[str] = []
        for topic in self.topics:
            if not levels or levels[-1] != topic:
                levels.append(topic)
        return " ".join(levels)

    @property
    def label(self) -> str:
        """The column title used in error messages: topic title, then its categories."""
        return " / ".join([self.title, *self.categories.values()])


@dataclass
class _Layout:
    """The header of one file: row dimensions and value columns."""

    names_line: int
    width: int
    row_dimensions: list[str]
    column_dimensions: list[str]
    columns: list[_Column]
    data_start: int


def sniff(path: Path) -> bool:
    """True for a .csv whose first lines or last line look like a StatLine download.

    Files split by ',' or tabs are recognised too when they carry StatLine's headers, so that parse() can say
    that the delimiter is wrong instead of the format going unrecognised.
    """
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        handle.seek(max(0, path.stat().st_size - 1024))
        tail = handle.read()
    head_text = head.decode("utf-8-sig", errors="replace")
    tail_text = tail.decode("utf-8", errors="replace")
    return any(_has_statline_markers(head_text, tail_text, d) for d in (DELIMITER, *_OTHER_DELIMITERS))


def parse(path: Path) -> SourceFrame:
    """Parse one StatLine CSV download into one row per published cell."""
    warnings: list[str] = []
    text = _decode_statline(path, read_bytes(path), warnings)
    _check_delimiter(path, text)
    numbered = [(line, row) for line, row in enumerate(read_csv_rows(path, text, DELIMITER), start=1) if _filled(row)]
    if not numbered:
        raise fail(path, 1, None, "no rows: the file holds only blank lines")
    titles = _leading_titles(numbered)
    sources = _trailing_sources(numbered[len(titles) :])
    body = numbered[len(titles) : len(numbered) - len(sources)]
    if not sources:
        warnings.append(f"no closing 'Bron: CBS' row after row {numbered[-1][0]}: the download may be incomplete")
    if not body:
        raise fail(path, numbered[-1][0], None, "no header or data rows below the title")
    title = titles[0][1][0].strip() if titles else None
    table_id = _table_id(path, title, titles[0][0] if titles else None)
    layout = _read_layout(path, body)
    frame = _read_data(path, body, layout, table_id)
    return SourceFrame(path, FORMAT, frame, title=title, warnings=warnings)


def _decode_statline(path: Path, data: bytes, warnings: list[str]) -> str:
    """UTF-8 (BOM optional); ISO-8859-1 only when UTF-8 fails and the text still looks like a StatLine CSV."""
    try:
        text = decode(path, data)
        _check_cells(path, text)
        return text
    except NotUtf8Error:
        text = data.decode("iso-8859-1")
        _check_cells(path, text)
        lines = text.splitlines()
        if not _has_statline_markers("\n".join(lines[:40]), "\n".join(lines[-5:]), DELIMITER):
            raise
    warnings.append("not UTF-8: read as ISO-8859-1 (an older StatLine download)")
    return text


def _check_cells(path: Path, text: str) -> None:
    """Refuse text of more cells than the limit, counting lines however they end ('\\r' alone too)."""
    refused = too_many_fields(text)
    if refused:
        raise fail(path, None, None, refused)


def _has_statline_markers(head: str, tail: str, delimiter: str) -> bool:
    """A 'Perioden' header field in the first lines, or a closing source row, with fields split by `delimiter`.

    Only a hint for detection: text that the csv module cannot split (stray quotes or line ends in the sampled
    bytes) counts as no marker, and parse() reports what is wrong with the whole file.
    """
    try:
        rows = [row for row in _sample_rows(head, delimiter) if _filled(row)][:20]
        if not rows or max(len(row) for row in rows) < 2:
            return False
        if any(cell.strip().casefold() == PERIOD_DIMENSION for row in rows for cell in row):
            return True
        last = [row for row in _sample_rows(tail, delimiter) if _filled(row)]
    except csv.Error:
        return False
    return bool(last) and _is_title_like(last[-1]) and last[-1][0].strip().casefold().startswith("bron: cbs")


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _check_delimiter(path: Path, text: str) -> None:
    """Fail when no line of the header splits on ';', naming the delimiter the file seems to use instead."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()][:20]
    head = "\n".join(line for _, line in numbered)
    first_line = numbered[0][0] if numbered else 1

    def widest(delimiter: str) -> int | None:
        """The most fields a header line splits into, or None when the csv module cannot split the lines."""
        try:
            return max((len(row) for row in _sample_rows(head, delimiter)), default=0)
        except csv.Error:
            return None

    fields = widest(DELIMITER)
    if fields is None or fields > 1:
        return  # split by ';', or not splittable at all: reading the rows then names the line and the fault
    for delimiter, name in _OTHER_DELIMITERS.items():
        if (widest(delimiter) or 0) > 1:
            raise fail(
                path,
                first_line,
                None,
                f"the delimiter is not ';': the fields are separated by {name}; StatLine CSV downloads use ';' "
                "(download the table again as CSV rather than re-saving it from a spreadsheet)",
            )
    raise fail(path, first_line, None, "no ';'-separated fields in the first lines: not a StatLine CSV download")


def _filled(row: list[str]) -> bool:
    return any(cell.strip() for cell in row)


def _is_title_like(row: list[str]) -> bool:
    """Text in the first field only (title and source rows, possibly padded with empty fields)."""
    return bool(row) and bool(row[0].strip()) and not any(cell.strip() for cell in row[1:])


def _leading_titles(numbered: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    titles = []
    for line, row in numbered:
        if not _is_title_like(row) or _SOURCE_LINE.match(row[0].strip()):
            break
        titles.append((line, row))
    return titles


def _trailing_sources(numbered: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    count = 0
    for _, row in reversed(numbered):
        if not (_is_title_like(row) and _SOURCE_LINE.match(row[0].strip())):
            break
        count += 1
    return numbered[len(numbered) - count :]


def _table_id(path: Path, title: str | None, title_line: int | None) -> str:
    """The CBS table id from the file name or the title row; they must agree when both have one."""
    from_name = _TABLE_ID.search(path.name)
    from_title = _TABLE_ID.search(title) if title else None
    if from_name and from_title and from_name[1].casefold() != from_title[1].casefold():
        raise fail(
            path,
            title_line,
            None,
            f"the file name names table {from_name[1]} but the title row names {from_title[1]}",
        )
    if from_name or from_title:
        return (from_name or from_title)[1]
    raise fail(
        path,
        title_line or 1,
        None,
        "no CBS table id in the file name or the title row; start the file name with the table id, "
        "e.g. 84847NED_<download name>.csv",
    )


def _has_unit_suffix(title: str) -> bool:
    """'Gestarte adviezen (aantal)' has one; 'Casussen met ontvangen melding(en)' has none."""
    return bool(_UNIT_SUFFIX.search(title))


def _is_value_text(cell: str) -> bool:
    """A cell a data row could hold in a value column: a Dutch number or a statistical symbol."""
    if symbol_status(cell) is not None:
        return True
    try:
        parse_dutch_number(cell)
    except ValueError:
        return False
    return True


def _is_period_label(text: str) -> bool:
    try:
        parse_period_label(text)
    except ValueError:
        return False
    return True


def _read_layout(path: Path, body: list[tuple[int, list[str]]]) -> _Layout:
    """Find the names row, the row-dimension columns and every value column's topics, categories and unit."""
    names_at = next(
        (i for i, (_, row) in enumerate(body) if any(c.strip().casefold() == PERIOD_DIMENSION for c in row)), None
    )
    if names_at is None:
        raise fail(
            path,
            body[0][0],
            None,
            "no header row names the 'Perioden' dimension; download the table with Perioden in the rows "
            "(StatLine's default layout)",
        )
    names_line, names = body[names_at]
    width = len(names)
    above = body[:names_at]
    for line, row in above:
        if len(row) != width:
            raise fail(path, line, None, f"header row has {len(row)} fields, the names row {names_line} has {width}")
    after = body[names_at + 1 :]
    depth = _row_dimension_count(path, names_line, names, above, after)
    period_at = next(i for i, c in enumerate(names) if c.strip().casefold() == PERIOD_DIMENSION)
    across = period_at >= depth or any(_is_period_label(c) for c in names[depth:])
    if across or (depth > 1 and not any(c.strip() for c in names[1:depth])):
        raise fail(
            path,
            names_line,
            names[period_at].strip(),
            "periods run across the columns; download the table with Perioden in the rows",
        )
    for i in range(depth):
        if not names[i].strip():
            raise fail(path, names_line, f"column {i + 1}", "empty dimension name in the names row")
    for line, row in above:
        _check_header_shape(path, line, row, depth)
    topic_rows = [(line, row) for line, row in above if row[0].strip().casefold() in TOPIC_DIMENSIONS]
    category_rows = [(line, row) for line, row in above if row[0].strip().casefold() not in TOPIC_DIMENSIONS]
    if topic_rows:
        below: list[tuple[int, list[str]]] = []
        units_rows = [(names_line, names)]
    else:
        below = _rows_below_names(after, width, depth)
        topic_rows = [(names_line, names)]
        units_rows = [(line, row) for line, row in below if not row[0].strip()]
        category_rows += [(line, row) for line, row in below if row[0].strip()]
        if len(units_rows) > 1:
            raise fail(path, units_rows[1][0], None, f"a second units row (the first is row {units_rows[0][0]})")
    row_dimensions = [c.strip() for c in names[:depth]]
    column_dimensions = [row[0].strip() for _, row in category_rows]
    folded = [name.casefold() for name in row_dimensions + column_dimensions]
    for name in column_dimensions + row_dimensions:
        if folded.count(name.casefold()) > 1:
            raise fail(path, names_line, name, f"dimension {name!r} appears twice in the header")
    columns = [_Column(index) for index in range(depth, width)]
    for column in columns:
        for line, row in topic_rows:
            _require_header_cell(path, line, row, column.index, "topic title")
            column.topics.append(row[column.index].strip())
        for line, row in category_rows:
            _require_header_cell(path, line, row, column.index, "category title")
            column.categories[row[0].strip()] = row[column.index].strip()
        for _, row in units_rows:
            column.unit_text = row[column.index].strip()
        _set_measure(path, units_rows[0][0] if units_rows else names_line, column)
    _check_distinct_columns(path, names_line, columns)
    return _Layout(names_line, width, row_dimensions, column_dimensions, columns, names_at + 1 + len(below))


def _row_dimension_count(
    path: Path,
    names_line: int,
    names: list[str],
    above: list[tuple[int, list[str]]],
    after: list[tuple[int, list[str]]],
) -> int:
    """How many leading columns hold row dimensions, read from the shape of the header rows.

    Table layout: the first column-header row leaves the row-dimension fields after its name empty. Flat layout:
    the first topic with a '(unit)' suffix, else a units row (first field empty) among the next rows.
    """
    if above:
        line, row = above[0]
        first_filled = next((i for i in range(1, len(row)) if row[i].strip()), None)
        if not row[0].strip() or first_filled is None:
            raise fail(path, line, "column 1", "a header row above the names row must start with its dimension's name")
        return first_filled
    with_unit = next((i for i, cell in enumerate(names) if _has_unit_suffix(cell)), None)
    if with_unit is not None:
        return with_unit
    for line, row in after[:MAX_HEADER_ROWS_BELOW]:
        if not row[0].strip():
            if len(row) != len(names):
                raise fail(
                    path,
                    line,
                    f"column {min(len(row), len(names)) + 1}",
                    f"units row has {len(row)} fields, the names row {names_line} has {len(names)}",
                )
            first_filled = next((i for i in range(len(row)) if row[i].strip()), None)
            if first_filled is not None:
                return first_filled
    raise fail(
        path,
        names_line,
        None,
        "cannot tell row dimensions from topics: no topic title has a unit such as '(aantal)' and there is no "
        "units row below the names row",
    )


def _rows_below_names(after: list[tuple[int, list[str]]], width: int, depth: int) -> list[tuple[int, list[str]]]:
    """Header rows right below a names row that holds topics: the units row and category rows."""
    below = []
    for line, row in after:
        if len(row) != width or any(cell.strip() for cell in row[1:depth]):
            break
        values = [cell.strip() for cell in row[depth:]]
        is_units = not row[0].strip()
        is_category = all(values) and not any(_is_value_text(cell) for cell in values)
        if not (is_units or is_category):
            break
        below.append((line, row))
    return below


def _check_header_shape(path: Path, line: int, row: list[str], depth: int) -> None:
    """A column-header row names its dimension in the first field and leaves the other row-dimension fields empty."""
    if not row[0].strip():
        raise fail(path, line, "column 1", "a column-header row must start with its dimension's name")
    for i in range(1, depth):
        if row[i].strip():
            raise fail(
                path,
                line,
                f"column {i + 1}",
                f"expected an empty field above a row dimension, found {row[i].strip()!r}",
            )


def _require_header_cell(path: Path, line: int, row: list[str], index: int, what: str) -> None:
    if not row[index].strip():
        raise fail(path, line, f"column {index + 1}", f"empty {what} in the header")


def _set_measure(path: Path, units_line: int, column: _Column) -> None:
    """Measure and unit from the topic levels, the '(unit)' suffix and the units row."""
    full_title = column.title
    if _has_unit_suffix(full_title):
        column.measure, column.unit = split_unit(full_title)
        if column.unit_text:
            _, row_unit = split_unit(f"{column.measure} ({column.unit_text})")
            if row_unit != column.unit:
                raise fail(
                    path,
                    units_line,
                    column.label,
                    f"unit {column.unit_text!r} disagrees with the unit in the topic title {full_title!r}",
                )
    elif column.unit_text:
        column.measure, column.unit = split_unit(f"{full_title} ({column.unit_text})")
    else:
        column.measure, column.unit = full_title.strip(), None


def _check_distinct_columns(path: Path, names_line: int, columns: list[_Column]) -> None:
    seen: dict[tuple, _Column] = {}
    for column in columns:
        key = (column.measure, column.unit, tuple(column.categories.items()))
        if key in seen:
            raise fail(
                path,
                names_line,
                column.label,
                f"columns {seen[key].index + 1} and {column.index + 1} have the same topic and categories",
            )
        seen[key] = column


def _read_data(path: Path, body: list[tuple[int, list[str]]], layout: _Layout, table_id: str) -> pd.DataFrame:
    """One record per value cell; every problem in the data rows is collected before failing."""
    data = body[layout.data_start :]
    if not data:
        raise fail(path, body[-1][0], None, "no data rows below the header")
    roles = [_dimension_role(name) for name in layout.row_dimensions]
    column_roles = {name: _dimension_role(name) for name in layout.column_dimensions}
    region_count = [*roles, *column_roles.values()].count("region")
    if region_count != 1:
        raise fail(
            path,
            layout.names_line,
            None,
            f"expected one region dimension (such as Regio's) in the header, found {region_count}",
        )
    problems: list[Problem] = []
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, row in data:
        if len(row) != layout.width:
            message = f"expected {layout.width} fields like the header, found {len(row)}"
            if _is_title_like(row):
                message = f"text row {row[0].strip()!r} among the data; only source rows ('Bron: CBS') may follow it"
            problems.append(problem(path, line, None, message))
            continue
        base = _row_base(path, line, row, layout.row_dimensions, roles, problems)
        if base is None:
            continue
        key = tuple(sorted((k, v) for k, v in base.items() if k not in ("period_label", "period_status")))
        if key in seen:
            problems.append(problem(path, line, None, f"same dimension categories as row {seen[key]}"))
            continue
        seen[key] = line
        for column in layout.columns:
            record = _cell_record(path, line, row[column.index], column, column_roles, problems)
            if record is not None:
                records.append({"table_id": table_id, **base, **record, "source_row": line})
    if problems:
        raise InputError(problems)
    return empty_columns(pd.DataFrame.from_records(records))


def _dimension_role(name: str) -> str:
    folded = name.strip().casefold()
    if folded == PERIOD_DIMENSION:
        return "period"
    if _REGION_DIMENSION.search(folded):
        return "region"
    return "category"


def _row_base(
    path: Path, line: int, row: list[str], dimensions: list[str], roles: list[str], problems: list[Problem]
) -> dict | None:
    """Period, region and category fields shared by every cell of one data row."""
    base: dict = {}
    for index, (name, role) in enumerate(zip(dimensions, roles, strict=True)):
        label = row[index].strip()
        if not label:
            problems.append(problem(path, line, name, "empty label"))
            return None
        if role == "period":
            try:
                base["period_code"], base["period_status"] = parse_period_label(label)
            except ValueError as exc:
                problems.append(problem(path, line, name, str(exc)))
                return None
            base["period_label"] = label
        elif role == "region":
            base.update(_region_fields(label))
        else:
            base[DIMENSION_PREFIX + name] = label
    return base


def _region_fields(label: str) -> dict:
    """A CBS region code goes to region_code, any other label to region_label."""
    try:
        return {"region_code": strip_region_code(label)}
    except ValueError:
        return {"region_label": label}


def _cell_record(
    path: Path, line: int, cell: str, column: _Column, column_roles: dict[str, str], problems: list[Problem]
) -> dict | None:
    text = cell.strip()
    status = symbol_status(text)
    if status is not None:
        value = float("nan")
    else:
        try:
            value = parse_dutch_number(text)
        except ValueError:
            problems.append(problem(path, line, column.label, f"not a number or a StatLine symbol: {text!r}"))
            return None
    record = {"measure": column.measure, "unit": column.unit, "value": value, "value_status": status}
    for name, category in column.categories.items():
        if column_roles[name] == "region":
            record.update(_region_fields(category))
        else:
            record[DIMENSION_PREFIX + name] = category
    return record
