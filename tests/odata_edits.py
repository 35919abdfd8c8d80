"""Editing copies of OData fixture snapshots in tests: change one field, a code list, and catch the one problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.problems import InputError, Problem


def edit(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    """Rewrite one response file after changing its parsed body."""
    body = json.loads((folder / name).read_text(encoding="utf-8"))
    change(body)
    (folder / name).write_text(json.dumps(body, indent=2), encoding="utf-8")


def set_field(name: str, record: int, field: str, value: object) -> Callable[[Path], None]:
    """A change of one field of one record (0-based within the file)."""
    return lambda folder: edit(folder, name, lambda body: body["value"][record].__setitem__(field, value))


def value_list(name: str, change: Callable[[list], None]) -> Callable[[Path], None]:
    """A change of the 'value' list of one response file."""
    return lambda folder: edit(folder, name, lambda body: change(body["value"]))


def the_problem(parse: Callable[[Path], object], folder: Path) -> Problem:
    """The single problem `parse` reports for a folder."""
    with pytest.raises(InputError) as info:
        parse(folder)
    assert len(info.value.problems) == 1
    return info.value.problems[0]
