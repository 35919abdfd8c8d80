"""Validation problems: what is wrong, and where (file, row, column)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        return f"{self.file}:{row}:{column}: {self.message}"


class InputError(Exception):
    """Raised when inputs are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the inputs:\n{shown}{more}")


def problem(file: Path | str, row: int | None, column: str | None, message: str) -> Problem:
    """Build a Problem with the file shown as given."""
    return Problem(str(file), row, column, message)


def fail(file: Path | str, row: int | None, column: str | None, message: str) -> InputError:
    """An InputError holding a single problem, ready to raise."""
    return InputError([problem(file, row, column, message)])
