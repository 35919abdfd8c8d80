"""Validation problems: what is wrong, and where (file, row, column)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_MESSAGE_CHARS = 1000  # a message quoting a huge cell is cut here, after any file it names


@dataclass(frozen=True)
class Problem:
    """One problem in one input, printed as FILE:ROW:COLUMN: message."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        column = self.column or ""
        message = self.message
        if len(message) > MAX_MESSAGE_CHARS:
            message = f"{message[:MAX_MESSAGE_CHARS]}... ({len(message) - MAX_MESSAGE_CHARS:,} more characters)"
        return one_line(f"{self.file}:{row}:{column}: {message}")


class InputError(Exception):
    """Raised when inputs are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the inputs:\n{shown}{more}")


def one_line(text: str) -> str:
    """text as one printable line: line breaks, other control characters and undecodable bytes of file names
    (surrogate escapes) are shown escaped, so every problem is one line that any terminal or log can print."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, kept by os.fsdecode
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def problem(file: Path | str, row: int | None, column: str | None, message: str) -> Problem:
    """Build a Problem with the file shown as given."""
    return Problem(str(file), row, column, message)


def fail(file: Path | str, row: int | None, column: str | None, message: str) -> InputError:
    """An InputError holding a single problem, ready to raise."""
    return InputError([problem(file, row, column, message)])
