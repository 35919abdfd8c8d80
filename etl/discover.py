"""Finding the inputs of a build under a raw folder: data/raw/<source>/<table>/<snapshot>/...

Each input must sit where the layout puts its format (README.md, "The raw folder"):

    cbs/<table-id>/<YYYY-MM-DD>/             a CBS OData v4 or v3 snapshot folder, or StatLine CSV downloads
    veilig-thuis/<VTcode>/<YYYY-MM-DD>/      Veilig Thuis exports (.csv, .xlsx)
    cbs-published/<folder>/                  curated published figures (no snapshot date)

The date folder is the snapshot date recorded with every number, so it must be a real date written YYYY-MM-DD;
an input in the wrong source folder, without a date folder or below it, is refused naming the input. The format is
detected from the content as the build does (an .xlsx is always a Veilig Thuis export); an input whose format is
not recognised is left for the parser to report.

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

from etl.codes import is_date
from etl.limits import MAX_SNAPSHOT_BYTES, max_file_bytes, too_large
from etl.problems import InputError, Problem, fail, problem
from etl.sources import detect_format
from etl.sources.odata_v4 import MANIFEST_NAME, read_json

ODATA_MARKERS = ("Observations.json", "TypedDataSet.json", "UntypedDataSet.json")
DATA_SUFFIXES = (".csv", ".xlsx", ".json")
DOCUMENTATION_SUFFIXES = (".md", ".txt")
MAX_FOLDER_DEPTH = 16  # data/raw/<source>/<table>/<snapshot>/ needs 3; a deep tree is a mistake or a trap
_ORGANISATION = re.compile(r"VT[0-9]{2}")


@dataclass(frozen=True)
class SourceFolder:
    """A top folder of the raw folder: what it holds and where, for messages, and whether it has date folders."""

    holds: str
    layout: str
    dated: bool


SOURCE_FOLDERS = {
    "cbs": SourceFolder("CBS exports", "cbs/<table-id>/<YYYY-MM-DD>/", True),
    "veilig-thuis": SourceFolder("Veilig Thuis exports", "veilig-thuis/<VTcode>/<YYYY-MM-DD>/", True),
    "cbs-published": SourceFolder("curated published figures", "cbs-published/curated/", False),
}
HOME = {  # the source folder of each format
    "odata_v4": "cbs",
    "odata_v3": "cbs",
    "statline_csv": "cbs",
    "vt_export": "veilig-thuis",
    "published": "cbs-published",
}
FORMAT_TITLES = {
    "odata_v4": "a CBS OData v4 snapshot",
    "odata_v3": "a CBS OData v3 snapshot",
    "statline_csv": "a StatLine CSV download",
    "vt_export": "a Veilig Thuis export",
    "published": "a curated published-figures CSV",
}


@dataclass(frozen=True)
class Input:
    """One input of a build: a file, or an OData snapshot folder."""

    path: Path
    snapshot: str | None
    sha256: str
    size_bytes: int
    dataset_kind: str
    format_name: str | None = None  # as discovery detected it (None: left to the parser's detection)


def discover_inputs(raw_dir: Path) -> list[Input]:
    """Every input under raw_dir, in a stable order; unknown files are an error, not silently skipped.

    Every refused entry is reported, not only the first, so one run lists all that must be fixed.
    """
    if not raw_dir.is_dir():
        raise fail(raw_dir, None, None, "raw folder does not exist")
    inputs: list[Input] = []
    problems: list[Problem] = []
    _walk(raw_dir, raw_dir, inputs, problems, 0)
    if problems:
        raise InputError(problems)
    return inputs


def _walk(root: Path, folder: Path, inputs: list[Input], problems: list[Problem], depth: int) -> None:
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
            inputs.append(_odata_snapshot(root, folder, entries, kinds))
        return
    for entry in (entry for entry in entries if entry in kinds):
        if kinds[entry] == "folder":
            _walk(root, entry, inputs, problems, depth + 1)
            continue
        with _collected(problems):
            if entry.suffix.lower() in DATA_SUFFIXES:
                size = _checked_size(entry)
                detected = _detected_format(entry)
                snapshot = _placed(root, entry, "vt_export" if entry.suffix.lower() == ".xlsx" else detected)
                inputs.append(Input(entry, snapshot, _hash_files([entry]), size, "cbs", detected))
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


def _odata_snapshot(root: Path, folder: Path, entries: list[Path], kinds: dict[Path, str]) -> Input:
    for stray in (entry for entry in entries if entry in kinds):  # entries refused by _kind are reported already
        if kinds[stray] != "file" or stray.suffix.lower() not in (".json", *DOCUMENTATION_SUFFIXES):
            raise fail(stray, None, None, "unexpected entry in an OData snapshot folder: give it its own folder")
    files = [entry for entry in entries if kinds.get(entry) == "file"]
    total = sum(_checked_size(file) for file in files)
    refused = too_large(total, MAX_SNAPSHOT_BYTES, "snapshots")
    if refused:
        raise fail(folder, None, None, refused)
    snapshot = _placed(root, folder, "odata_v4" if (folder / ODATA_MARKERS[0]).is_file() else "odata_v3")
    return Input(folder, snapshot, _hash_files(files), total, _odata_kind(folder))


def _checked_size(path: Path) -> int:
    """The size of one file, refusing it when it is over the limit for its kind (before it is read)."""
    size = path.stat().st_size
    refused = too_large(size, max_file_bytes(path), f"{path.suffix.lower()} files")
    if refused:
        raise fail(path, None, None, refused)
    return size


def _detected_format(path: Path) -> str | None:
    """The format of an input file, detected once for its place and its parse; None when none fits (the parser
    then says why) and for an .xlsx, a Veilig Thuis export (the only workbook format) that only its parse opens."""
    if path.suffix.lower() == ".xlsx":
        return None
    try:
        return detect_format(path)
    except InputError:
        return None


def _placed(root: Path, path: Path, format_name: str | None) -> str | None:
    """The snapshot date of an input (a file, or an OData snapshot folder) from its place under the raw folder;
    an input outside the layout of its format is refused."""
    folders = path.relative_to(root).parts[: None if path.is_dir() else -1]
    name = folders[0] if folders else None
    source = SOURCE_FOLDERS.get(name or "")
    if format_name is not None and name != HOME[format_name]:
        where = f"in {name}/, the folder of {source.holds}" if source else "outside the source folders"
        if not folders:
            where = "directly in the raw folder"
        home = SOURCE_FOLDERS[HOME[format_name]].layout
        raise fail(path, None, None, f"{FORMAT_TITLES[format_name]} ({format_name}) {where}: put it in {home}")
    if source is None or not source.dated:
        return None
    expected = "/".join([*folders[:2], *source.layout.split("/")[len(folders[:2]) :]])  # the layout, filled in
    if len(folders) > 3:
        inside = "/".join(folders[:3])
        raise fail(path, None, None, f"in a subfolder of {inside}/: exports sit directly in {source.layout}")
    if name == "veilig-thuis" and len(folders) > 1 and not _ORGANISATION.fullmatch(folders[1]):
        raise fail(
            path,
            None,
            None,
            f"the folder {folders[1]!r} is not a Veilig Thuis region code: put the delivery in {source.layout}, "
            "named by the delivering organisation (e.g. VT06)",
        )
    if len(folders) == 2 and is_date(folders[1]):
        level = source.layout.split("/")[1]
        raise fail(path, None, None, f"no {level} folder above the date folder: use {source.layout}")
    if len(folders) < 3:
        what = "the snapshot's files are" if path.is_dir() else "it is"
        raise fail(path, None, None, f"no snapshot date: {what} not in a folder named by a date; use {expected}")
    if not is_date(folders[2]):
        raise fail(
            path,
            None,
            None,
            f"the snapshot folder {folders[2]!r} is not a real date: name it by the day the figures were delivered "
            f"or published, as YYYY-MM-DD ({source.layout})",
        )
    return folders[2]


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
