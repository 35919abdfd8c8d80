"""Veilig Thuis regional exports (template version 1, docs/vt-export-template.md): strict validation into long form.

One file holds one Veilig Thuis organisation's own counts for its region and its gemeenten, as a UTF-8 CSV with ','
or as the first sheet (named 'data') of an .xlsx workbook, with exactly the header in COLUMNS. Every problem is
reported with file, row and column; nothing is guessed or repaired.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from etl.codes import (
    DEFINITIEF,
    GEHEIM,
    NIET_VAN_TOEPASSING,
    NIHIL,
    ONBEKEND,
    VOORLOPIG,
    is_date,
    parse_period_code,
    strip_region_code,
)
from etl.limits import MAX_XLSX_CELLS, MAX_XLSX_MEMBERS, MAX_XLSX_UNCOMPRESSED_BYTES, too_large, too_many_fields
from etl.problems import InputError, Problem, fail, problem
from etl.sources.base import SourceFrame, empty_columns
from etl.sources.text import decode, read_bytes, read_csv_rows

FORMAT = "vt_export"
TABLE_ID = "vt-export"
TEMPLATE_VERSION = "1"
COLUMNS = (
    "template_version",
    "organisation_code",
    "region_code",
    "period_code",
    "measure",
    "category",
    "value",
    "value_status",
    "source_url",
    "note",
)
MEASURES = ("Adviezen", "Meldingen")
UNIT = "aantal"
PERIOD_KINDS = ("JJ", "HJ", "KW")
PUBLISHED_STATUSES = (DEFINITIEF, VOORLOPIG)
MISSING_STATUSES = (GEHEIM, ONBEKEND, NIHIL, NIET_VAN_TOEPASSING)
UNPUBLISHED_SOURCE = "intern"
SHEET_NAME = "data"
SNIFF_BYTES = 4096
MAX_COUNT_DIGITS = 12  # a count of a trillion or more is a typing error, and longer digit strings overflow floats
_COUNT = re.compile(r"0|[1-9][0-9]*")
_THOUSANDS = re.compile(r"-?\d{1,3}([.,\u00a0 ']\d{3})+")
_DECIMAL = re.compile(r"-?\d*[.,]\d+")
_URL = re.compile(r"https?://[^\s/]+\.[^\s]+")
_ORGANISATION = re.compile(r"VT[0-9]{2}")
CONTENT_TYPES = "[content_types].xml"  # member names are compared in lower case
MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet", "activex")  # in content types, compared in lower case
_MACRO_PART = re.compile(r"(^|/)(vbaproject[^/]*\.bin|vbadata\.xml|macrosheets/|activex/)")


def sniff(path: Path) -> bool:
    """True for a .csv or .xlsx whose header row starts with template_version.

    This is the only workbook format, so an .xlsx that cannot be opened at all (not a zip archive, too large,
    a zip bomb) is claimed too: parse() then says what is wrong with it, rather than detection saying only that
    no format fits.
    """
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8-sig", errors="replace")
        return head.lstrip().lstrip('"').startswith(COLUMNS[0])
    if suffix != ".xlsx":
        return False
    try:
        workbook = _open_workbook(path, read_bytes(path))
    except InputError:
        return True
    return not workbook.worksheets or workbook.worksheets[0].cell(row=1, column=1).value == COLUMNS[0]


def parse(path: Path) -> SourceFrame:
    """Validate one export strictly and return its counts; raise InputError listing every problem."""
    rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    header = rows[0][1]
    if tuple(header) != COLUMNS:
        raise fail(path, rows[0][0], _first_header_difference(header), _header_message(header))
    body = _strip_trailing_blank(rows[1:])
    if not body:
        raise fail(path, rows[0][0] + 1, None, "no data rows below the header")
    problems: list[Problem] = []
    records: list[dict] = []
    organisation: tuple[str, int] | None = None
    seen: dict[tuple, int] = {}
    for line, row in body:
        if not any(value.strip() for value in row):
            problems.append(problem(path, line, None, "empty row inside the data"))
            continue
        if len(row) != len(COLUMNS):
            problems.append(problem(path, line, None, f"expected {len(COLUMNS)} fields, found {len(row)}"))
            continue
        written = dict(zip(COLUMNS, row, strict=True))
        cell = {name: value.strip() for name, value in written.items()}
        record = _parse_row(path, line, written, problems)
        if record is None:
            continue
        code = cell["organisation_code"]
        if organisation is None:
            organisation = (code, line)
        elif code != organisation[0]:
            problems.append(
                problem(
                    path,
                    line,
                    "organisation_code",
                    f"{code} differs from {organisation[0]} in row {organisation[1]}: one organisation per file",
                )
            )
            continue
        key = (record["region_code"], record["period_code"], record["measure"], cell["category"])
        if key in seen:
            problems.append(
                problem(path, line, None, f"duplicate of row {seen[key]}: same region, period, measure and category")
            )
            continue
        seen[key] = line
        records.append(record)
    if organisation is not None:
        _check_folder(path, organisation, problems)
    if problems:
        raise InputError(problems)
    frame = empty_columns(pd.DataFrame.from_records(records))
    return SourceFrame(
        path,
        FORMAT,
        frame,
        snapshot=_snapshot(path),
        title=f"Veilig Thuis export {organisation[0]} (eigen registratie)",
    )


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    text = decode(path, read_bytes(path))
    refused = too_many_fields(text)  # lines ending in a lone '\r' too
    if refused:
        raise fail(path, None, None, refused)
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        raise fail(path, 1, None, "the delimiter is ';'; the template uses ',' (save as 'CSV UTF-8 (comma delimited)')")
    rows = read_csv_rows(path, text, ",")
    if not rows:
        raise fail(path, 1, None, "no header row")
    return list(enumerate(rows, start=1))


def _open_workbook(path: Path, data: bytes):
    """An openpyxl workbook with formulas kept as formulas (data_only=False), or a clear error.

    The archive's directory is checked first, so a small file that would inflate to gigabytes (a zip bomb) is
    refused without decompressing anything. zipfile never inflates a member past its declared size (a member that
    lies fails its CRC check), so the declared sizes bound what openpyxl reads.
    """
    _check_archive(path, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about workbook features it drops, e.g. data validation
            return load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many types on malformed parts (zip, XML, KeyError, TypeError, ...)
        raise fail(path, None, None, f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}") from None


def _check_archive(path: Path, data: bytes) -> None:
    """An .xlsx is a zip archive: refuse anything else, and archives whose members are too many or too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise fail(
            path,
            None,
            None,
            f"not a readable .xlsx workbook: not a zip archive ({exc}); save it from Excel as 'Excel Workbook "
            "(.xlsx)' (an old .xls, an encrypted workbook or another file renamed to .xlsx is refused)",
        ) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise fail(path, None, None, f"the .xlsx archive holds {len(members):,} files; at most {MAX_XLSX_MEMBERS:,}")
    declared = sum(member.file_size for member in members)
    refused = too_large(declared, MAX_XLSX_UNCOMPRESSED_BYTES, "workbooks inflating to")
    if refused:
        raise fail(path, None, None, f"{refused} when unpacked (nothing was unpacked)")
    _check_no_macros(path, data, members)


def _check_no_macros(path: Path, data: bytes, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a macro-enabled workbook (an .xlsm or .xltm renamed to .xlsx, which Excel itself will not open):
    a VBA project, Excel 4 macro sheets or ActiveX controls among its parts, or a macro content type declared in
    [Content_Types].xml (a small part, read only after the sizes were checked)."""
    found = next((m.filename for m in members if _MACRO_PART.search(m.filename.casefold())), None)
    types = next((m for m in members if m.filename.casefold() == CONTENT_TYPES), None)
    if found is None and types is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                declared = archive.read(types).decode("utf-8", errors="replace").casefold()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            raise fail(path, None, None, f"not a readable .xlsx workbook: {types.filename}: {exc}") from None
        kind = next((kind for kind in MACRO_TYPES if kind in declared), None)
        found = f"a {kind!r} content type in {types.filename}" if kind else None
    if found is not None:
        raise fail(
            path,
            None,
            None,
            f"a workbook with macros ({found}); save it from Excel as 'Excel Workbook (.xlsx)', without macros",
        )


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    """Rows of the first sheet as text; formulas, and sheets not named 'data', are refused."""
    workbook = _open_workbook(path, read_bytes(path))
    if not workbook.worksheets:
        raise fail(path, None, None, f"the workbook has no worksheet; the template's sheet is {SHEET_NAME!r}")
    sheet = workbook.worksheets[0]
    cells = sheet.max_row * sheet.max_column
    if cells > MAX_XLSX_CELLS:
        raise fail(
            path,
            None,
            None,
            f"the sheet spans {sheet.dimensions} ({cells:,} cells); at most {MAX_XLSX_CELLS:,} cells are read "
            "(delete the rows and columns outside the data)",
        )
    if sheet.title != SHEET_NAME:
        raise fail(
            path, None, None, f"the first sheet is named {sheet.title!r}; the template's sheet is {SHEET_NAME!r}"
        )
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    for cells in sheet.iter_rows():
        line = cells[0].row
        texts = []
        for index, cell in enumerate(cells):
            column = COLUMNS[index] if index < len(COLUMNS) else cell.column_letter
            if cell.data_type == "f":
                problems.append(
                    problem(
                        path, line, column, f"cell {cell.coordinate} holds a formula ({cell.value}); enter the number"
                    )
                )
            texts.append(_cell_text(cell.value))
        while texts and texts[-1] == "":
            texts.pop()
        rows.append((line, texts))
    if problems:
        raise InputError(problems)
    if not rows or not rows[0][1]:
        raise fail(path, 1, None, "no header row in the first sheet")
    padded = [(line, texts + [""] * (len(COLUMNS) - len(texts))) for line, texts in rows[1:]]
    return [rows[0], *padded]


def _cell_text(value: object) -> str:
    """Excel cell values as the text a CSV would hold: whole floats without '.0', everything else as str."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _strip_trailing_blank(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    end = len(rows)
    while end and not any(cell.strip() for cell in rows[end - 1][1]):
        end -= 1
    return rows[:end]


def _first_header_difference(header: list[str]) -> str | None:
    for index, expected in enumerate(COLUMNS):
        if index >= len(header) or header[index] != expected:
            return header[index] if index < len(header) and header[index] else expected
    return header[len(COLUMNS)] if len(header) > len(COLUMNS) else None


def _header_message(header: list[str]) -> str:
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    details = []
    if missing:
        details.append(f"missing {', '.join(missing)}")
    if extra:
        details.append(f"unexpected {', '.join(repr(c) for c in extra)}")
    if not details:
        details.append("columns in the wrong order")
    return f"header must be exactly {','.join(COLUMNS)} ({'; '.join(details)})"


def _parse_row(path: Path, line: int, written: dict[str, str], problems: list[Problem]) -> dict | None:
    """One validated record, or None after adding the row's problems.

    Cells are taken as written: spaces around a code or value are refused, not trimmed (`note` is free text).
    """
    found: list[Problem] = []
    cell = {name: value.strip() for name, value in written.items()}

    def bad(column: str, message: str) -> None:
        found.append(problem(path, line, column, message))

    for column, text in written.items():
        if column != "note" and text != cell[column]:
            fix = f"write {cell[column]!r} without them" if cell[column] else "leave the cell empty"
            bad(column, f"spaces before or after {text!r}; {fix}")

    if cell["template_version"] != TEMPLATE_VERSION:
        bad("template_version", f"expected {TEMPLATE_VERSION}, found {cell['template_version']!r}")
    organisation = cell["organisation_code"]
    if not _ORGANISATION.fullmatch(organisation):
        bad("organisation_code", f"expected a Veilig Thuis region code such as VT06, found {organisation!r}")
    region = _region_code(cell["region_code"], organisation, bad)
    period = _period_code(cell["period_code"], bad)
    if cell["measure"] not in MEASURES:
        bad("measure", f"unknown measure {cell['measure']!r} (allowed: {', '.join(MEASURES)})")
    if cell["category"]:
        bad("category", f"categories are not part of template version 1; leave empty (found {cell['category']!r})")
    value, value_status, period_status = _value(cell["value"], cell["value_status"], bad)
    source_url = _source_url(cell["source_url"], bad)
    if found:
        problems.extend(found)
        return None
    return {
        "table_id": TABLE_ID,
        "measure": cell["measure"],
        "unit": UNIT,
        "region_code": region,
        "period_code": period,
        "period_status": period_status,
        "value": value,
        "value_status": value_status,
        "source_row": line,
        "source_url": source_url,
    }


def _region_code(text: str, organisation: str, bad) -> str | None:
    try:
        code = strip_region_code(text)
    except ValueError:
        bad("region_code", f"expected the organisation's VT code or a gemeente code GMnnnn, found {text!r}")
        return None
    if code.startswith("GM") or code == organisation:
        return code
    bad("region_code", f"{code} is neither the delivering organisation {organisation} nor a gemeente (GMnnnn)")
    return None


def _period_code(text: str, bad) -> str | None:
    try:
        period = parse_period_code(text)
    except ValueError as exc:
        bad("period_code", str(exc))
        return None
    if period.code != text or period.code[4:6] not in PERIOD_KINDS:
        bad("period_code", f"expected a year, half-year or quarter code such as 2024JJ00, 2024HJ01, 2024KW01: {text!r}")
        return None
    return period.code


def _value(text: str, status: str, bad) -> tuple[float, str | None, str | None]:
    """(value, value_status, period_status): a count with an optional definitief/voorlopig, or a missing reason."""
    if not text:
        if status not in MISSING_STATUSES:
            bad(
                "value_status",
                f"an empty value needs a reason: one of {', '.join(MISSING_STATUSES)} (found {status!r})",
            )
        return float("nan"), status, None
    if status and status not in PUBLISHED_STATUSES:
        allowed = ", ".join(PUBLISHED_STATUSES)
        if status in MISSING_STATUSES:
            bad("value_status", f"{status!r} is for an empty value; with a number use {allowed} or leave empty")
        else:
            bad("value_status", f"unknown status {status!r} (with a number: {allowed} or empty)")
    if not _COUNT.fullmatch(text) or len(text) > MAX_COUNT_DIGITS:
        bad("value", _count_problem(text))
        return float("nan"), None, None
    return float(int(text)), None, status or None


def _count_problem(text: str) -> str:
    """Why a value is not a count written as the template asks."""
    if text.startswith("-"):
        return f"negative count {text!r}"
    if _THOUSANDS.fullmatch(text):
        return f"{text!r} has a thousands separator; write whole numbers without one, e.g. 1552"
    if _DECIMAL.fullmatch(text):
        return f"{text!r} has decimals; counts are whole numbers"
    if text.isdigit() and len(text) > MAX_COUNT_DIGITS:
        return f"a count of {len(text)} digits is not plausible (at most {MAX_COUNT_DIGITS})"
    if text.isdigit():
        return f"{text!r} has a leading zero"
    return f"not a count: {text!r} (write a whole number, or leave empty with a value_status)"


def _source_url(text: str, bad) -> str | None:
    if text == UNPUBLISHED_SOURCE:
        return None
    if not _URL.fullmatch(text):
        bad("source_url", f"expected the http(s) address where the figure was published, or 'intern'; found {text!r}")
    return text


def _snapshot(path: Path) -> str | None:
    """The delivery date from the drop folder data/raw/veilig-thuis/<VTcode>/<YYYY-MM-DD>/ (None when the folder is
    not a real date; the build refuses such a folder, etl/discover.py)."""
    name = path.parent.name
    return name if is_date(name) else None


def _check_folder(path: Path, organisation: tuple[str, int], problems: list[Problem]) -> None:
    """A file dropped under a VTnn folder must come from that organisation."""
    folder = path.parent.parent.name if _snapshot(path) else path.parent.name
    if _ORGANISATION.fullmatch(folder) and folder != organisation[0]:
        problems.append(
            problem(
                path,
                organisation[1],
                "organisation_code",
                f"{organisation[0]} delivered a file into the folder of {folder}",
            )
        )
