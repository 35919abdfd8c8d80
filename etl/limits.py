"""Size limits on raw inputs, checked from the file system before anything is read into memory.

A malformed or hostile export (a huge file, a small .xlsx that inflates to gigabytes, a sheet reaching cell
XFD1048576) must fail the build with a clear message, never exhaust memory or hang it. The limits sit far above
any real export (a complete CBS OData page is a few MB, the demo's largest 17 MB; a StatLine CSV download or a
Veilig Thuis export is well under 10 MB, a few hundred thousand cells) and below what the parsers hold comfortably
on a 2-core, 24 GiB machine: a CSV takes some 500 bytes of memory per cell once parsed (so the cell count is
limited too, since 32 MiB of blank lines or one-digit cells would be tens of millions of them), a JSON page about
ten times its size.
"""

from __future__ import annotations

from pathlib import Path

MIB = 1024 * 1024
MAX_TABLE_FILE_BYTES = 32 * MIB  # one .csv or .xlsx file (StatLine CSV, Veilig Thuis export, curated CSV)
MAX_JSON_FILE_BYTES = 64 * MIB  # one OData response page or metadata file
MAX_SNAPSHOT_BYTES = 512 * MIB  # all files of one OData snapshot folder together
MAX_TABLE_FIELDS = 2_000_000  # lines (ending in \r\n, \n or \r) plus delimiters of one CSV file, before splitting
MAX_XLSX_UNCOMPRESSED_BYTES = 32 * MIB  # all members of an .xlsx (a zip archive), as its directory declares them
MAX_XLSX_MEMBERS = 1_000  # files inside an .xlsx archive (a real workbook has a dozen or two)
MAX_XLSX_CELLS = 2_000_000  # rows x columns spanned by the first sheet


def max_file_bytes(path: Path) -> int:
    """The size limit of one input file, by its kind."""
    return MAX_JSON_FILE_BYTES if path.suffix.lower() == ".json" else MAX_TABLE_FILE_BYTES


def too_large(size: int, limit: int, what: str = "exports") -> str | None:
    """The message refusing a size above limit, or None when it fits."""
    if size <= limit:
        return None
    return f"{what} above {limit:,} bytes ({limit // MIB} MiB) are refused: this is {size:,} bytes"


def table_fields(text: str) -> int:
    """The cells of CSV text, counted (over, never under) before it is split: its lines, however they end ('\\r\\n',
    '\\n' or a lone '\\r', which the csv module also takes as a line end), plus the delimiters of the most used kind."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    return lines + max(text.count(","), text.count(";"), text.count("\t"))


def too_many_fields(text: str) -> str | None:
    """The message refusing CSV text of more cells than MAX_TABLE_FIELDS, or None when it fits."""
    fields = table_fields(text)
    if fields <= MAX_TABLE_FIELDS:
        return None
    return f"holds some {fields:,} cells (lines and delimiters); files of more than {MAX_TABLE_FIELDS:,} are refused"
