"""Reading export files as text: encodings, BOMs and size limits, with errors that say where."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from etl.problems import fail

MAX_EXPORT_BYTES = 512 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a whole export, refusing empty and oversized files."""
    size = path.stat().st_size
    if size == 0:
        raise fail(path, None, None, "file is empty")
    if size > MAX_EXPORT_BYTES:
        raise fail(path, None, None, f"file is {size:,} bytes; exports above {MAX_EXPORT_BYTES:,} bytes are refused")
    return path.read_bytes()


def decode(path: Path, data: bytes, fallback: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM); optionally fall back to another encoding such as ISO-8859-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(path, 1, None, "file is UTF-16; save the export as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback:
            return data.decode(fallback)
        line = data[: exc.start].count(b"\n") + 1
        raise fail(path, line, None, f"not valid UTF-8 (byte {exc.start}); save the export as UTF-8") from None


def read_csv_rows(path: Path, text: str, delimiter: str = ",") -> list[list[str]]:
    """Split CSV text into rows with the csv module, reporting malformed quoting with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise fail(path, reader.line_num, None, f"malformed CSV: {exc}") from None
