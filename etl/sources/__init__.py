"""Format parsers, one module per export format, and detection of an input's format from its content.

Each format module exposes FORMAT (its name), sniff(path) -> bool and parse(path) -> SourceFrame.
An input is a file, or for OData exports a snapshot folder of JSON files.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from etl.problems import fail
from etl.sources.base import SourceFrame
from etl.sources.text import wide_encoding

FORMAT_MODULES = ("odata_v4", "odata_v3", "statline_csv", "vt_export", "published")


def _modules() -> dict[str, ModuleType]:
    modules = {}
    for name in FORMAT_MODULES:
        try:
            module = importlib.import_module(f"etl.sources.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"etl.sources.{name}":
                raise
            continue
        modules[module.FORMAT] = module
    return modules


def formats() -> list[str]:
    """Names of the supported formats."""
    return list(_modules())


def detect_format(path: Path) -> str:
    """The format of an input, detected from its content; raises InputError when none fits."""
    if path.is_file() and path.stat().st_size == 0:
        raise fail(path, None, None, "file is empty")
    if not path.exists():
        raise fail(path, None, None, "no such file or folder")
    if path.is_file():
        with path.open("rb") as handle:
            encoding = wide_encoding(handle.read(4))
        if encoding:
            raise fail(path, 1, None, f"file is {encoding}; save the export as UTF-8")
    for name, module in _modules().items():
        if module.sniff(path):
            return name
    supported = ", ".join(formats())
    row = 1 if path.is_file() else None
    raise fail(path, row, None, f"format not recognised (supported: {supported}); use --format to force one")


def parse_input(path: Path, format_name: str | None = None) -> SourceFrame:
    """Parse one input with the given or detected format."""
    modules = _modules()
    if format_name is not None and format_name not in modules:
        raise fail(path, None, None, f"unknown format {format_name!r} (supported: {', '.join(modules)})")
    name = format_name or detect_format(path)
    return modules[name].parse(path)
