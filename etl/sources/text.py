"""Reading export files as text: encodings, BOMs and size limits, with errors that say where."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from etl.limits import MAX_TABLE_FIELDS, max_file_bytes, too_large
from etl.problems import InputError, fail

_WIDE_BOMS = {
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
BOM = "\ufeff"


class NotUtf8Error(InputError):
    """The bytes are not valid UTF-8 (a format may then try an older encoding)."""


def read_bytes(path: Path) -> bytes:
    """Read a whole export, refusing empty and oversized files before reading them."""
    size = path.stat().st_size
    if size == 0:
        raise fail(path, None, None, "file is empty")
    refused = too_large(size, max_file_bytes(path), f"{path.suffix.lower() or 'extensionless'} files")
    if refused:
        raise fail(path, None, None, refused)
    return path.read_bytes()


def wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes start with that encoding's byte-order mark."""
    return next((name for bom, name in _WIDE_BOMS.items() if data.startswith(bom)), None)


def utf8_text(path: Path, data: bytes, advice: str) -> str:
    """The bytes as UTF-8 text, with or without one leading byte-order mark. A wide encoding or a NUL byte is
    refused, an invalid byte raises NotUtf8Error; each message ends with `advice`."""
    encoding = wide_encoding(data)
    if encoding:
        raise fail(path, 1, None, f"file is {encoding}; {advice}")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        message = f"NUL byte at byte {nul}: a binary file, or UTF-16 or UTF-32 without a byte-order mark; {advice}"
        raise fail(path, line, None, message)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not valid UTF-8 (byte {exc.start}); {advice}"
        raise NotUtf8Error([fail(path, line, None, message).problems[0]]) from None


def decode(path: Path, data: bytes) -> str:
    """Decode a CSV export with utf8_text; stray byte-order marks and too many cells are refused too."""
    text = utf8_text(path, data, "save the export as UTF-8")
    stray = text.find(BOM)
    if stray >= 0:
        line = text[:stray].count("\n") + 1
        raise fail(
            path, line, None, "a second byte-order mark (U+FEFF) inside the text: the file was joined or re-saved"
        )
    check_field_count(path, text)
    return text


def check_field_count(path: Path, text: str) -> None:
    """Refuse CSV text of more cells than MAX_TABLE_FIELDS, counted (over, never under) before it is split."""
    fields = text.count("\n") + max(text.count(","), text.count(";"), text.count("\t"))
    if fields > MAX_TABLE_FIELDS:
        message = (
            f"holds some {fields:,} cells (lines and delimiters); files of more than {MAX_TABLE_FIELDS:,} are refused"
        )
        raise fail(path, None, None, message)


def read_csv_rows(path: Path, text: str, delimiter: str = ",") -> list[list[str]]:
    """Split CSV text into rows with the csv module, reporting malformed quoting with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise fail(path, reader.line_num, None, f"malformed CSV: {exc}") from None
