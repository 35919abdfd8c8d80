"""Finding the inputs of a build under a raw folder: data/raw/<source>/<table>/<snapshot>/..."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from etl.problems import fail

ODATA_MARKERS = ("Observations.json", "TypedDataSet.json", "UntypedDataSet.json")
DATA_SUFFIXES = (".csv", ".xlsx", ".json")
DOCUMENTATION_SUFFIXES = (".md", ".txt")
_SNAPSHOT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Input:
    """One input of a build: a file, or an OData snapshot folder."""

    path: Path
    snapshot: str | None
    sha256: str
    size_bytes: int
    dataset_kind: str


def discover_inputs(raw_dir: Path) -> list[Input]:
    """Every input under raw_dir, in a stable order; unknown files are an error, not silently skipped."""
    if not raw_dir.is_dir():
        raise fail(raw_dir, None, None, "raw folder does not exist")
    inputs: list[Input] = []
    _walk(raw_dir, inputs)
    return inputs


def _walk(folder: Path, inputs: list[Input]) -> None:
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if any((folder / marker).is_file() for marker in ODATA_MARKERS):
        files = [p for p in entries if p.is_file()]
        for stray in entries:
            if stray.is_dir() or stray.suffix.lower() not in (".json", *DOCUMENTATION_SUFFIXES):
                raise fail(stray, None, None, "unexpected entry in an OData snapshot folder: give it its own folder")
        inputs.append(
            Input(
                folder, _snapshot(folder), _hash_files(files), sum(p.stat().st_size for p in files), _odata_kind(folder)
            )
        )
        return
    for entry in entries:
        if entry.is_dir():
            _walk(entry, inputs)
        elif entry.suffix.lower() in DATA_SUFFIXES:
            inputs.append(Input(entry, _snapshot(entry.parent), _hash_files([entry]), entry.stat().st_size, "cbs"))
        elif entry.suffix.lower() not in DOCUMENTATION_SUFFIXES:
            raise fail(entry, None, None, f"unexpected file in the raw folder (supported: {', '.join(DATA_SUFFIXES)})")


def _snapshot(folder: Path) -> str | None:
    for part in (folder, *folder.parents):
        if _SNAPSHOT.match(part.name):
            return part.name
    return None


def _hash_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _odata_kind(folder: Path) -> str:
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return "cbs"
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("dataset_kind", "cbs")
    except json.JSONDecodeError as exc:
        raise fail(manifest, exc.lineno, None, f"invalid JSON: {exc.msg}") from None
