"""The contract between format parsers and the normaliser: one SourceFrame per input file.

A parser reads one export exactly as obtained and returns its numbers in long form, still in the source's
own vocabulary (measure and category titles, region codes or labels, period codes or labels). Mapping onto
catalog indicators, region and period codes happens once, in etl.normalise, for every format alike.

Columns of SourceFrame.frame (one row per published cell):
    table_id        str       source table ('84852NED', 'impactmonitor-2022', 'vt-export')
    measure         str       measure title without its unit suffix ('Ontvangen meldingen')
    unit            str|None  'aantal', 'procent', another unit word, or None when the source gives none
    dim:<title>     str       one column per category dimension, holding the category title ('Totaal')
    region_code     str|None  CBS region code when the source has one (padding already stripped)
    region_label    str|None  region label when there is no code ('Friesland (VT)', 'Assen')
    period_code     str|None  CBS period code ('2023HJ01') when the source has one
    period_label    str|None  StatLine period label ('1e halfjaar 2023*') when there is no code
    period_status   str|None  'definitief', 'voorlopig' or 'nader_voorlopig' when the source states it
    value           float     the published number; NaN when the cell holds no number
    value_status    str|None  why the value is missing ('onbekend', 'geheim', 'nihil', 'niet_van_toepassing')
    source_row      int       row (CSV, Excel: 1-based line) or record number (JSON) for error messages; a
                              source read from several files (OData pages) maps it back with SourceFrame.locate
    source_url      str|None  where the number was published, when the export says so
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.problems import Problem, problem

FRAME_COLUMNS = (
    "table_id",
    "measure",
    "unit",
    "region_code",
    "region_label",
    "period_code",
    "period_label",
    "period_status",
    "value",
    "value_status",
    "source_row",
    "source_url",
)
DIMENSION_PREFIX = "dim:"
Locator = Callable[[int], tuple[Path, int]]


@dataclass
class SourceFrame:
    """One parsed input file."""

    path: Path
    format: str
    frame: pd.DataFrame
    snapshot: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    # maps a source_row to the file and row within it, for sources read from several files (OData pages)
    locator: Locator | None = None

    @property
    def dimension_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c.startswith(DIMENSION_PREFIX)]

    def locate(self, source_row: int) -> tuple[Path, int]:
        """The file and the row (or record) within it of one source_row: (path, source_row) unless paged."""
        source_row = int(source_row)
        return self.locator(source_row) if self.locator else (self.path, source_row)

    def problem(self, source_row: int, column: str | None, message: str) -> Problem:
        """A Problem found after parsing, named by the file and row (or record) the source_row came from."""
        file, row = self.locate(source_row)
        return problem(file, row, column, message)


def empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add any missing contract column as all-None, so parsers only fill what their format has."""
    for column in FRAME_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame
