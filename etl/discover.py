"""Finding the inputs of a build under a raw folder: data/raw/<source>/<table>/<snapshot>/...

Only plain files and folders are inputs. Symbolic links, pipes, sockets and devices are refused before anything
opens them (a pipe would block the build, a link could lead outside the raw folder or around in a loop), and so
are files over the size limits of etl.limits, before they are hashed or read.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.limits import MAX_SNAPSHOT_BYTES, max_file_bytes, too_large
from etl.problems import InputError, Problem, fail, problem
from etl.sources.odata_v4 import MANIFEST_NAME, read_json

ODATA_MARKERS = ("Observations.json", "TypedDataSet.json", "UntypedDataSet.json")
DATA_SUFFIXES = (".csv", ".xlsx", ".json")
DOCUMENTATION_SUFFIXES = (".md", ".txt")
MAX_FOLDER_DEPTH = 16  # data/raw/<source>/<table>/<snapshot>/ needs 3; a deep tree is a mistake or a trap
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
    """Every input under raw_dir, in a stable order; unknown files are an error, not silently skipped.

    Every refused entry is reported, not only the first, so one run lists all that must be fixed.
    """
    if not raw_dir.is_dir():
        raise fail(raw_dir, None, None, "raw folder does not exist")
    inputs: list[Input] = []
    problems: list[Problem] = []
    _walk(raw_dir, inputs, problems, 0)
    if problems:
        raise InputError(problems)
    return inputs


def _walk(folder: Path, inputs: list[Input], problems: list[Problem], depth: int) -> None:
    if depth > MAX_FOLDER_DEPTH:
        problems.append(problem(folder, None, None, f"folders nested more than {MAX_FOLDER_DEPTH} deep"))
        return
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        problems.append(problem(folder, None, None, f"cannot be read: {exc.strerror or exc}"))
        return
    kinds: dict[Path, str] = {}
    for entry in entries:
        with _collected(problems):
            kinds[entry] = _kind(entry)
    if any(kinds.get(folder / marker) == "file" for marker in ODATA_MARKERS):
        with _collected(problems):
            inputs.append(_odata_snapshot(folder, entries, kinds))
        return
    for entry in (entry for entry in entries if entry in kinds):
        if kinds[entry] == "folder":
            _walk(entry, inputs, problems, depth + 1)
            continue
        with _collected(problems):
            if entry.suffix.lower() in DATA_SUFFIXES:
                size = _checked_size(entry)
                inputs.append(Input(entry, _snapshot(entry.parent), _hash_files([entry]), size, "cbs"))
            elif entry.suffix.lower() not in DOCUMENTATION_SUFFIXES:
                supported = ", ".join(DATA_SUFFIXES)
                raise fail(entry, None, None, f"unexpected file in the raw folder (supported: {supported})")


@contextmanager
def _collected(problems: list[Problem]) -> Iterator[None]:
    """Add the problems of one entry (refused, or unreadable) to the list and go on with the next."""
    try:
        yield
    except InputError as exc:
        problems.extend(exc.problems)
    except OSError as exc:
        problems.append(problem(exc.filename or "", None, None, f"cannot be read: {exc.strerror or exc}"))


def _kind(entry: Path) -> str:
    """'file' or 'folder'; anything else (link, pipe, socket, device) is refused without opening it, and so are
    names that are not printable UTF-8 (they could not be recorded in the manifest or shown in a message)."""
    if not entry.name.isprintable():
        raise fail(entry, None, None, "the name holds bytes that are not UTF-8 or control characters; rename it")
    mode = entry.lstat().st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        raise fail(entry, None, None, "a symbolic link: copy the export into the raw folder instead of linking it")
    raise fail(entry, None, None, "not a regular file (a pipe, socket or device); the raw folder holds files only")


def _odata_snapshot(folder: Path, entries: list[Path], kinds: dict[Path, str]) -> Input:
    for stray in (entry for entry in entries if entry in kinds):  # entries refused by _kind are reported already
        if kinds[stray] != "file" or stray.suffix.lower() not in (".json", *DOCUMENTATION_SUFFIXES):
            raise fail(stray, None, None, "unexpected entry in an OData snapshot folder: give it its own folder")
    files = [entry for entry in entries if kinds.get(entry) == "file"]
    total = sum(_checked_size(file) for file in files)
    refused = too_large(total, MAX_SNAPSHOT_BYTES, "snapshots")
    if refused:
        raise fail(folder, None, None, refused)
    return Input(folder, _snapshot(folder), _hash_files(files), total, _odata_kind(folder))


def _checked_size(path: Path) -> int:
    """The size of one file, refusing it when it is over the limit for its kind (before it is read)."""
    size = path.stat().st_size
    refused = too_large(size, max_file_bytes(path), f"{path.suffix.lower()} files")
    if refused:
        raise fail(path, None, None, refused)
    return size


def _snapshot(folder: Path) -> str | None:
    for part in (folder, *folder.parents):
        if _SNAPSHOT.match(part.name):
            return part.name
    return None


def _hash_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode(errors="surrogateescape"))
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _odata_kind(folder: Path) -> str:
    """The dataset kind a snapshot's manifest.json declares ('cbs' when it has none)."""
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return "cbs"
    body = read_json(manifest)
    if not isinstance(body, dict):
        raise fail(manifest, None, None, f"expected a JSON object, found {type(body).__name__}")
    kind = body.get("dataset_kind", "cbs")
    if kind not in ("cbs", "demo"):
        raise fail(manifest, None, "dataset_kind", f"expected 'cbs' or 'demo', found {str(kind)[:80]!r}")
    return kind
