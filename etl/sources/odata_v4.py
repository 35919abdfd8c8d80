"""CBS OData v4 snapshot folders, and the snapshot reading (pages, manifest, code lists) shared with OData v3."""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from etl.catalog import split_unit
from etl.codes import (
    MISSING_VALUE_ATTRIBUTES,
    parse_period_code,
    period_status,
    strip_region_code,
    value_attribute_status,
)
from etl.problems import InputError, fail
from etl.sources.base import DIMENSION_PREFIX, Locator, SourceFrame
from etl.sources.text import read_bytes, utf8_text

FORMAT = "odata_v4"
DATA_ENTITY = "Observations"
MEASURE_GROUPS = "MeasureGroups"
NEXT_LINK = "@odata.nextLink"
MANIFEST_NAME = "manifest.json"

CATEGORY, GEO, TIME = "category", "geo", "time"
_KINDS = {"Dimension": CATEGORY, "GeoDimension": GEO, "TimeDimension": TIME}
_OBSERVATION_FIELDS = ("Id", "Measure", "ValueAttribute", "Value", "StringValue")
_PAGE_NUMBER = re.compile(r"^(?P<entity>.+)-(?P<page>\d{4})\.json$")
_ENTITY_NAME = re.compile(r"[A-Za-z0-9_]{1,200}")
_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# '<Entity>.json' or a later page '<Entity>-0002.json' (entity names as fetch accepts them, at most 200 characters)
_SNAPSHOT_FILE = re.compile(r"(?P<entity>[A-Za-z][A-Za-z0-9_]{0,199})(?:-(?P<page>[0-9]{1,9}))?\.json")
_DOCUMENTATION_SUFFIXES = (".md", ".txt")  # notes beside a snapshot, as the raw folder allows them
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # a JSON escape of a UTF-16 surrogate
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # left in a str by an escape that is not half of a pair
_NONE = type(None)
_LARGEST_FLOAT = int(np.finfo(float).max)
Column = np.ndarray | pd.Categorical


def sniff(path: Path) -> bool:
    """True for a snapshot folder holding Observations.json, or that file itself."""
    return has_data_file(path, (page_name(DATA_ENTITY, 1),))


def parse(path: Path) -> SourceFrame:
    """Parse one v4 snapshot folder (or its Observations.json) into long rows with titles and codes."""
    folder = resolve_folder(path)
    check_file_names(folder)
    manifest = verify_manifest(folder)
    properties, properties_file = read_single(folder, "Properties", NEXT_LINK)
    title = optional_text(properties, properties_file, "Title")
    measures = read_code_list(folder, "MeasureCodes", "Identifier", NEXT_LINK)
    measure_titles = _measure_titles(folder, measures)
    dimensions = _read_dimensions(folder)
    data = _read_observations(folder, measures, dimensions)

    measure = data.measure
    columns, warnings = dimension_columns(data.pages, dimensions, data.dimensions)
    keys = [measure.positions, *(coded.positions for coded in data.dimensions)]
    check_unique(data.pages, ["Measure", *(d.key for d in dimensions)], keys)
    titles = [measure_titles[code] for code in measure.codes]
    units = [normalise_unit(measures.record(code).get("Unit")) for code in measure.codes]
    warnings += repeated_measures(measures.entity.files[0].name, titles, units)

    table_id = resolve_table_id(folder, properties, properties_file, "Identifier")
    check_page_numbers(folder)
    used = {"Properties", "MeasureCodes", MEASURE_GROUPS, "Dimensions", DATA_ENTITY}
    used |= {f"{d.key}{suffix}" for d in dimensions for suffix in ("Codes", "Groups")}
    warnings += unused_entity_sets(folder, used)
    frame = build_frame(
        table_id=table_id,
        measures=categorical(titles, measure.positions),
        units=categorical(units, measure.positions),
        dimensions=columns,
        values=data.values,
        statuses=data.statuses,
        source_rows=np.arange(1, len(data.values) + 1),
        source_url=manifest.get("base_url") if manifest else None,
    )
    return SourceFrame(
        folder,
        FORMAT,
        frame,
        snapshot=snapshot_date(folder),
        title=title,
        warnings=warnings,
        locator=data.pages.locator(),
    )


def _measure_titles(folder: Path, measures: CodeList) -> dict[str, str]:
    """Every measure's title as StatLine shows it: its MeasureGroups titles (outermost first), then its own."""
    listed = (folder / page_name(MEASURE_GROUPS, 1)).is_file()
    groups = Groups(
        page_name(MEASURE_GROUPS, 1) if listed else f"the snapshot (it has no {page_name(MEASURE_GROUPS, 1)})",
        "ParentId",
    )
    if listed:
        entity = read_entity(folder, MEASURE_GROUPS, NEXT_LINK)
        for index, record in enumerate(entity.records):
            groups.add(entity, index, record, "Id", require_text(entity, index, record, "Title"))
        groups.check()
    entity = measures.entity
    return {
        code: groups.title(entity, index, "MeasureGroupId", measures.title(code))
        for code, index in measures.index.items()
    }


@dataclass
class Observations:
    """The Observations entity reduced page by page to per-record arrays, so no record dicts outlive their page."""

    pages: Pages
    measure: Coded
    dimensions: list[Coded]
    values: np.ndarray
    statuses: np.ndarray


def _read_observations(folder: Path, measures: CodeList, dimensions: list[Dimension]) -> Observations:
    """Check and encode every page as soon as it is parsed, keeping only its codes, values and statuses."""
    pages = Pages(DATA_ENTITY)
    fields = [("Measure", measures), *((d.key, d.codes) for d in dimensions)]
    merged = [MergedCodes() for _ in fields]
    values, statuses = [], []
    for page in read_pages(pages, folder, NEXT_LINK):
        _check_fields(page, dimensions)
        for (name, codes), target in zip(fields, merged, strict=True):
            target.add(encode(page, name, codes))
        page_values, page_statuses = _values(page)
        values.append(page_values)
        statuses.append(page_statuses)
        page.records.clear()  # free this page's dicts before the next page is parsed
    coded = [target.coded() for target in merged]
    return Observations(pages, coded[0], coded[1:], np.concatenate(values), np.concatenate(statuses))


def _read_dimensions(folder: Path) -> list[Dimension]:
    entity = read_entity(folder, "Dimensions", NEXT_LINK)
    dimensions: list[Dimension] = []
    for index, record in enumerate(entity.records):
        key = require_identifier(entity, index, record, "Identifier")
        check_new_key(entity, index, "Identifier", key, dimensions, _OBSERVATION_FIELDS)
        title = require_text(entity, index, record, "Title")
        kind = record.get("Kind")
        if not isinstance(kind, str) or kind not in _KINDS:
            raise entity.error(index, "Kind", f"unknown dimension kind {kind!r} (expected {', '.join(_KINDS)})")
        codes = read_code_list(folder, f"{key}Codes", "Identifier", NEXT_LINK)
        dimensions.append(Dimension(key, title, _KINDS[kind], codes, entity, index))
    check_dimensions(dimensions, "Kind")
    return dimensions


def _check_fields(page: Entity, dimensions: list[Dimension]) -> None:
    """Every observation must carry Measure, Value, ValueAttribute and the declared dimensions, and nothing else."""
    required = ("Measure", "ValueAttribute", "Value", *(d.key for d in dimensions))
    declared = set(_OBSERVATION_FIELDS) | set(required)
    needed = set(required)
    wrong = {shape for shape in set(map(tuple, page.records)) if not needed <= set(shape) <= declared}
    if not wrong:
        return
    index = next(i for i, record in enumerate(page.records) if tuple(record) in wrong)
    record = page.records[index]
    for name in required:
        if name not in record:
            raise page.error(index, name, f"field {name} missing from the observations")
    name = next(name for name in record if name not in declared)
    raise page.error(index, name, f"field {name} is not a dimension listed in Dimensions.json")


def _values(page: Entity) -> tuple[np.ndarray, np.ndarray]:
    """Value as float (NaN when null) and the status explaining each missing value, for one page."""
    raw = page.column("Value")
    if not set(map(type, raw)) <= {int, float, _NONE}:
        index = next(i for i, v in enumerate(raw) if type(v) not in (int, float, _NONE))
        raise page.error(index, "Value", f"not a number: {raw[index]!r}")
    if int in set(map(type, raw)):
        index = next((i for i, v in enumerate(raw) if type(v) is int and abs(v) > _LARGEST_FLOAT), None)
        if index is not None:
            raise page.error(index, "Value", f"not a finite number: {str(raw[index])[:40]}...")
    values = np.array(raw, dtype=float)
    missing = np.equal(np.asarray(raw, dtype=object), None)
    infinite = ~np.isfinite(values) & ~missing
    if infinite.any():
        raise page.error(first_true(infinite), "Value", f"not a finite number: {raw[first_true(infinite)]!r}")

    attributes = page.column("ValueAttribute")
    check_types(page, "ValueAttribute", attributes, (str, _NONE), "text")
    positions, uniques = pd.factorize(np.asarray(attributes, dtype=object))
    meanings = []
    for number, attribute in enumerate(uniques):
        try:
            meanings.append(value_attribute_status(attribute))
        except ValueError as exc:
            raise page.error(first_true(positions == number), "ValueAttribute", str(exc)) from None
    statuses = np.asarray([*meanings, None], dtype=object)[positions]
    explained = np.not_equal(statuses, None)
    contradictory = explained & ~missing
    if contradictory.any():
        index = first_true(contradictory)
        raise page.error(
            index,
            "ValueAttribute",
            f"Value {raw[index]!r} comes with ValueAttribute {attributes[index]!r}; "
            "a published number must have ValueAttribute 'None'",
        )
    unexplained = missing & ~explained
    if unexplained.any():
        text = np.not_equal(np.asarray(page.column("StringValue"), dtype=object), None) & unexplained
        if text.any():
            raise page.error(first_true(text), "StringValue", "text observations are not supported; expected a Value")
        index = first_true(unexplained)
        reasons = ", ".join(MISSING_VALUE_ATTRIBUTES)
        raise page.error(
            index,
            "ValueAttribute",
            f"Value is null with ValueAttribute {attributes[index]!r}; a missing value needs a ValueAttribute "
            f"saying why ({reasons})",
        )
    return values, statuses


# ----------------------------------------------------------------------------------------------------------------
# Snapshot reading shared with OData v3 and fetch: page files, manifest, code lists, dimension mapping.


@dataclass
class Pages:
    """Where the records of one entity set come from: its page files, each page's first index and the count."""

    name: str
    files: list[Path] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    count: int = 0

    def locate(self, index: int) -> tuple[Path, int]:
        """The page file and 1-based record number within it of a 0-based record index."""
        page = bisect_right(self.starts, index) - 1
        return self.files[page], index - self.starts[page] + 1

    def error(self, index: int, column: str | None, message: str) -> InputError:
        """An InputError naming the page file, record number and column of one record."""
        file, row = self.locate(index)
        return fail(file, row, column, message)

    def locator(self) -> Locator:
        """SourceFrame.locator for records numbered 1, 2, ... across all pages (without keeping any records)."""
        pages = Pages(self.name, list(self.files), list(self.starts), self.count)
        return lambda source_row: pages.locate(source_row - 1)


@dataclass
class Entity(Pages):
    """The records of one entity set (or of one of its pages), read in order from its page files."""

    records: list[dict] = field(default_factory=list)

    def column(self, name: str) -> list:
        """One field of every record (None where absent)."""
        return [record.get(name) for record in self.records]


@dataclass
class CodeList:
    """The code list of a dimension or of the measures: stripped code -> record."""

    entity: Entity
    index: dict[str, int]

    def record(self, code: str) -> dict:
        return self.entity.records[self.index[code]]

    def title(self, code: str) -> str:
        return self.record(code)["Title"].strip()


@dataclass
class Groups:
    """Groups that measures are filed under (v4 MeasureGroups, v3 TopicGroup properties), for measure titles.

    A measure is titled as StatLine shows it: the titles of its enclosing groups, outermost first, then its own
    title, joined by spaces ('Hermelding' + 'Totaal' -> 'Hermelding Totaal'); a group is not repeated when the
    title inside it already starts with the group's title ('Ontvangen meldingen, totaal').
    """

    source: str  # where the groups are listed, for messages ('MeasureGroups.json')
    parent_field: str
    titles: dict[object, str] = field(default_factory=dict)
    parents: dict[object, object] = field(default_factory=dict)
    declared: dict[object, tuple[Entity, int]] = field(default_factory=dict)

    def add(self, entity: Entity, index: int, record: dict, id_field: str, title: str) -> None:
        """One group record: its id (required), title and parent group id (None at the top)."""
        group = group_id(entity, index, record, id_field)
        if group is None:
            raise entity.error(index, id_field, f"expected a group id, found {record.get(id_field)!r}")
        if group in self.declared:
            file, row = self.declared[group][0].locate(self.declared[group][1])
            raise entity.error(index, id_field, f"group {group!r} appears twice (first at record {row} of {file.name})")
        self.titles[group] = title
        self.parents[group] = group_id(entity, index, record, self.parent_field)
        self.declared[group] = (entity, index)

    def check(self) -> None:
        """Every parent is a listed group, and no group encloses itself."""
        for group, (entity, index) in self.declared.items():
            parent = self.parents[group]
            if parent is not None and parent not in self.titles:
                raise entity.error(index, self.parent_field, f"group {parent!r} is not in {self.source}")
        for group, (entity, index) in self.declared.items():
            chain, parent = [group], self.parents[group]
            while parent is not None and parent not in chain:
                chain.append(parent)
                parent = self.parents[parent]
            if parent == group:
                loop = " > ".join(repr(g) for g in [*chain, group])
                raise entity.error(index, self.parent_field, f"groups enclose each other in a loop: {loop}")

    def title(self, entity: Entity, index: int, parent_field: str, own: str) -> str:
        """The StatLine title of the record at index, filed under the group in its parent_field (None at the top)."""
        parent = group_id(entity, index, entity.records[index], parent_field)
        if parent is not None and parent not in self.titles:
            raise entity.error(index, parent_field, f"group {parent!r} is not in {self.source}")
        while parent is not None:
            if not starts_with_title(own, self.titles[parent]):
                own = f"{self.titles[parent]} {own}"
            parent = self.parents[parent]
        return own


def group_id(entity: Entity, index: int, record: dict, field: str) -> object:
    """A group id field: None when absent or null, else a non-empty text (stripped) or an integer."""
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise entity.error(index, field, f"expected a group id, found {value!r}")


def starts_with_title(title: str, group: str) -> bool:
    """True when title begins with the whole group title ('Ontvangen meldingen, totaal' in 'Ontvangen meldingen')."""
    title, group = title.casefold(), group.casefold()
    return title.startswith(group) and (len(title) == len(group) or not title[len(group)].isalnum())


@dataclass
class Dimension:
    """One dimension of a table: its field in the data, title, kind (category, geo, time) and code list."""

    key: str
    title: str
    kind: str
    codes: CodeList
    declared_in: Entity
    declared_at: int


@dataclass
class Coded:
    """One code field factorized: per-record positions into the distinct stripped codes."""

    positions: np.ndarray
    codes: list[str]


@dataclass
class MergedCodes:
    """One code field encoded page by page, renumbered into the codes of all pages in order of first use."""

    index: dict[str, int] = field(default_factory=dict)
    parts: list[np.ndarray] = field(default_factory=list)

    def add(self, page: Coded) -> None:
        lookup = [self.index.setdefault(code, len(self.index)) for code in page.codes]
        self.parts.append(np.asarray(lookup, dtype=np.int32)[page.positions])

    def coded(self) -> Coded:
        return Coded(np.concatenate(self.parts), list(self.index))


def page_name(entity: str, page: int) -> str:
    """File name of one response page: 'Observations.json', then 'Observations-0002.json', ..."""
    return f"{entity}.json" if page == 1 else f"{entity}-{page:04d}.json"


def is_plain_name(name: object) -> bool:
    """True for a file name that stays inside its folder: no separator, no '.' or '..', no NUL, no control."""
    return (
        isinstance(name, str)
        and bool(name)
        and name not in (".", "..")
        and not any(char in name for char in "/\\\x00")
        and name.isprintable()
    )


def has_data_file(path: Path, data_files: tuple[str, ...]) -> bool:
    """True for a folder holding one of data_files, or for one of those files itself."""
    if path.is_file():
        return path.name in data_files
    return path.is_dir() and any((path / name).is_file() for name in data_files)


def resolve_folder(path: Path) -> Path:
    """The snapshot folder for a folder or a file inside it; refuses missing and empty folders."""
    folder = path.parent if path.is_file() else path
    if not folder.is_dir():
        raise fail(path, None, None, "not an OData snapshot folder (expected data/raw/cbs/<table-id>/<YYYY-MM-DD>/)")
    if not any(folder.iterdir()):
        raise fail(folder, None, None, "snapshot folder is empty")
    return folder


def snapshot_date(folder: Path) -> str | None:
    """The snapshot date when the folder is named YYYY-MM-DD."""
    if not _DATE_FOLDER.match(folder.name):
        return None
    try:
        date.fromisoformat(folder.name)
    except ValueError:
        return None
    return folder.name


def resolve_table_id(folder: Path, info: dict | None, info_file: Path, field: str) -> str:
    """Table id from the table's own metadata, checked against the <table-id>/<date> folder when there is one."""
    from_folder = folder.parent.name if snapshot_date(folder) else folder.name
    declared = info.get(field) if info else None
    if declared is None:
        return from_folder
    if not isinstance(declared, str) or not declared.strip():
        raise fail(info_file, 1, field, f"expected the table id, found {declared!r}")
    if snapshot_date(folder) and declared.strip().casefold() != from_folder.casefold():
        raise fail(info_file, 1, field, f"table {declared.strip()!r} does not match its folder {from_folder!r}")
    return declared.strip()


def read_json(file: Path) -> object:
    """Parse one JSON file, reporting where it is invalid or truncated.

    JSON exchanged between systems is UTF-8 (RFC 8259; one leading byte-order mark is tolerated): UTF-16 and
    UTF-32, which json.loads would detect and read, are refused like the CSV formats refuse them. So are objects
    naming a key twice (json.loads keeps the last value silently) and text holding half of a UTF-16 surrogate
    pair (an escape like \\ud800 alone, which no UTF-8 file or database can store).
    """
    text = utf8_text(file, read_bytes(file), "JSON must be UTF-8")
    try:
        body = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        where = f"(line {exc.lineno}, column {exc.colno})"
        raise fail(file, exc.lineno, None, f"invalid JSON (truncated download?): {exc.msg} {where}") from None
    except _DuplicateKey as exc:
        row = _first_record(json.loads(text, object_pairs_hook=_marking_duplicates), _has_duplicate_key)
        message = f"key {exc.key[:80]!r} appears twice in one object; JSON would keep only the last value"
        raise fail(file, row, exc.key[:80], message) from None
    except RecursionError:
        raise fail(file, None, None, "invalid JSON: nested too deeply to be an OData response") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise fail(file, None, None, f"invalid JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(text):
        row = _first_record(body, _lone_surrogate)
        found = _lone_surrogate(body["value"][row - 1] if row else body)
        if found is not None:
            column, value = found
            message = f"text {value[:80]!r} holds a lone UTF-16 surrogate escape: not valid Unicode"
            raise fail(file, row, column, message)
    return body


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class _Repeated(dict):
    """An object that named a key twice (only built to locate the record holding it)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return record


def _marking_duplicates(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    return record if len(record) == len(pairs) else _Repeated(record)


def _has_duplicate_key(value: object) -> bool:
    return any(type(item) is _Repeated for item in _walk(value))


def _lone_surrogate(value: object) -> tuple[str | None, str] | None:
    """(field, text) of the first text or key holding a lone surrogate, in a record or any JSON value."""
    for item, name in _walk_named(value):
        if isinstance(item, str) and _LONE_SURROGATE.search(item):
            return name, item
    return None


def _first_record(body: object, test) -> int | None:
    """1-based number of the first record of an OData response's 'value' list passing test (None: no record)."""
    records = body.get("value") if isinstance(body, dict) else None
    if isinstance(records, list):
        return next((number for number, record in enumerate(records, start=1) if test(record)), None)
    return None


def _walk(value: object) -> Iterator[object]:
    return (item for item, _ in _walk_named(value))


def _walk_named(value: object) -> Iterator[tuple[object, str | None]]:
    """Every JSON value inside value (itself included) with the name of the top-level field holding it; keys are
    yielded as values too. Iterative, so that a deeply nested file cannot exhaust the stack."""
    stack: list[tuple[object, str | None]] = [(value, None)]
    while stack:
        item, name = stack.pop()
        yield item, name
        if isinstance(item, dict):
            for key, inner in reversed(item.items()):
                field = key if name is None else name
                stack.append((inner, field))
                stack.append((key, field))
        elif isinstance(item, list):
            stack.extend((inner, name) for inner in reversed(item))


def verify_manifest(folder: Path) -> dict | None:
    """Check every file against manifest.json when the snapshot has one; None when it has none."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    manifest = read_json(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise fail(path, None, "files", "expected an object with a 'files' list")
    if not isinstance(manifest.get("base_url"), str | None):
        raise fail(path, None, "base_url", f"expected the address of the service, found {manifest['base_url']!r}")
    listed = set()
    for number, entry in enumerate(manifest["files"], start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not is_plain_name(name):
            raise fail(path, number, "name", f"expected a file name inside the snapshot, found {name!r}")
        if not _SNAPSHOT_FILE.fullmatch(name):
            shown = repr(name) if len(name) <= 80 else f"{name[:80]!r}... ({len(name):,} characters)"
            message = f"expected the name of a response page (<Entity>.json, <Entity>-0002.json, ...), found {shown}"
            raise fail(path, number, "name", message)
        expected = entry.get("sha256")
        file = folder / name
        if not file.is_file():
            raise fail(file, None, None, f"listed in {MANIFEST_NAME} (file {number}) but missing from the snapshot")
        actual = hashlib.sha256(read_bytes(file)).hexdigest()
        if actual != expected:
            raise fail(
                file,
                None,
                None,
                f"sha256 {actual} differs from {MANIFEST_NAME} (file {number}: {expected}); "
                "the file changed after download",
            )
        listed.add(name)
    for file in sorted(folder.glob("*.json")):
        if file.name != MANIFEST_NAME and file.name not in listed:
            raise fail(file, None, None, f"not listed in {MANIFEST_NAME}; the snapshot changed after download")
    return manifest


def check_file_names(folder: Path) -> None:
    """Every file of a snapshot must be one the parsers know: manifest.json, a response page of an entity set
    ('<Entity>.json', then '<Entity>-0002.json', ...) or notes (.md, .txt). Anything else, such as a second
    download 'Observations (1).json' or a page saved as 'Observations-4.json', would be silently ignored."""
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name.startswith(".") or name == MANIFEST_NAME:
            continue  # hidden files are skipped as when the raw folder is scanned
        if not entry.is_file() or entry.is_symlink():
            raise fail(entry, None, None, "unexpected entry in an OData snapshot folder: it holds files only")
        if entry.suffix.lower() in _DOCUMENTATION_SUFFIXES:
            continue
        match = _SNAPSHOT_FILE.fullmatch(name)
        if not match:
            message = (
                "not a file of an OData snapshot: expected <Entity>.json or a later page <Entity>-0002.json, ... "
                "(a second download or a renamed copy?)"
            )
            raise fail(entry, None, None, message)
        if match["page"] is not None:
            page = int(match["page"])
            if page < 2:
                first, second = page_name(match["entity"], 1), page_name(match["entity"], 2)
                raise fail(entry, None, None, f"not a page file name: page 1 is {first}, the next {second}")
            if name != page_name(match["entity"], page):
                expected = page_name(match["entity"], page)
                raise fail(entry, None, None, f"not a page file name: page {page} is named {expected}")


def check_page_numbers(folder: Path) -> None:
    """Every later page '<Entity>-NNNN.json' follows the page before it, also of entity sets no parser reads."""
    pages: dict[str, set[int]] = {}
    for file in folder.glob("*.json"):
        match = _SNAPSHOT_FILE.fullmatch(file.name)
        if match:
            pages.setdefault(match["entity"], set()).add(int(match["page"] or 1))
    for entity, numbers in sorted(pages.items()):
        for page in sorted(numbers):
            if page > 1 and page - 1 not in numbers:
                file = folder / page_name(entity, page)
                raise fail(
                    file, None, None, f"page out of sequence: {page_name(entity, page - 1)} is missing before it"
                )


def unused_entity_sets(folder: Path, used: set[str]) -> list[str]:
    """A warning naming each entity set of the snapshot that is neither read nor known to be unneeded (a copy
    such as 'Observations_old.json' would otherwise go unnoticed; an unknown set CBS added is no error)."""
    files = (file for file in folder.glob("*.json") if file.name != MANIFEST_NAME)
    names = {match["entity"] for file in files if (match := _SNAPSHOT_FILE.fullmatch(file.name))}
    return [
        f"{page_name(name, 1)}: an entity set this format does not use; its records were not read"
        for name in sorted(names - used)
    ]


def optional_text(record: dict | None, file: Path, field: str) -> str | None:
    """An optional text field of a single-record file (Properties, TableInfos): text or absent."""
    value = record.get(field) if record else None
    if value is not None and not isinstance(value, str):
        raise fail(file, 1, field, f"expected text, found {str(value)[:80]}")
    return value


def check_new_key(entity: Entity, index: int, field: str, key: str, earlier: list, reserved: tuple[str, ...]) -> None:
    """A dimension (or v3 topic) key must not repeat an earlier one nor a fixed field of the data records."""
    if key in reserved:
        raise entity.error(index, field, f"{key!r} names a fixed field of the data ({', '.join(reserved)})")
    first = next((item for item in earlier if item.key == key), None)
    if first is not None:
        file, row = entity.locate(first.declared_at)
        raise entity.error(index, field, f"{key!r} is listed twice (first at record {row} of {file.name})")


def _page_records(file: Path, body: object, start: int) -> list[dict]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise fail(file, 1, "value", "expected an OData response: a JSON object with a 'value' list")
    records = body["value"]
    if not set(map(type, records)) <= {dict}:
        row = next(i for i, record in enumerate(records, start=1) if type(record) is not dict)
        raise fail(file, row, None, f"record {start + row} is not a JSON object")
    return records


def read_pages(pages: Pages, folder: Path, next_link: str) -> Iterator[Entity]:
    """Each page of an entity set as a one-page Entity, noting its file and first index in pages.

    Checks completeness: a next link needs its page, no page may follow a gap, and the set must hold records.
    """
    number = 1
    while True:
        file = folder / page_name(pages.name, number)
        if not file.is_file():
            if number == 1:
                raise fail(file, None, None, f"missing: the snapshot has no {pages.name} (expected {file.name})")
            break
        body = read_json(file)
        records = _page_records(file, body, pages.count)
        following = folder / page_name(pages.name, number + 1)
        link = body.get(next_link)
        if link is not None and not isinstance(link, str):
            raise fail(file, None, next_link, f"expected the address of the next page, found {str(link)[:80]}")
        if link and not following.is_file():
            message = f"the response continues at {link[:200]} but {following.name} is missing"
            raise fail(file, None, next_link, message)
        if not link and following.is_file():
            message = f"no {next_link}: the response ends with this page, yet {following.name} follows it"
            raise fail(file, None, next_link, message)
        pages.files.append(file)
        pages.starts.append(pages.count)
        pages.count += len(records)
        yield Entity(pages.name, [file], [0], len(records), records)
        number += 1
    for file in folder.glob(f"{pages.name}-*.json"):
        match = _PAGE_NUMBER.match(file.name)
        if match and match["entity"] == pages.name and file not in pages.files:
            raise fail(file, None, None, f"page out of sequence: {page_name(pages.name, number)} is missing before it")
    if not pages.count:
        raise fail(pages.files[0], None, "value", f"{pages.name} holds no records")


def read_entity(folder: Path, name: str, next_link: str) -> Entity:
    """All records of one entity set, from '<name>.json' and its following pages, checked for completeness."""
    entity = Entity(name)
    for page in read_pages(entity, folder, next_link):
        entity.records.extend(page.records)
    return entity


def read_single(folder: Path, name: str, next_link: str) -> tuple[dict | None, Path]:
    """The one record of an optional singleton (v4 Properties) or one-row entity (v3 TableInfos)."""
    file = folder / page_name(name, 1)
    if not file.is_file():
        return None, file
    body = read_json(file)
    if isinstance(body, dict) and "value" not in body:
        return body, file
    return read_entity(folder, name, next_link).records[0], file


def require_identifier(entity: Entity, index: int, record: dict, field: str) -> str:
    """A dimension key that names a code list file (<key>Codes.json, <key>.json): letters, digits and '_' only,
    so that no key can point outside the snapshot folder ('../../x')."""
    key = require_text(entity, index, record, field)
    if not _ENTITY_NAME.fullmatch(key):
        raise entity.error(index, field, f"expected an identifier of letters, digits and '_', found {key[:80]!r}")
    return key


def require_text(entity: Entity, index: int, record: dict, field: str) -> str:
    """A non-empty text field of one record, stripped."""
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise entity.error(index, field, f"expected text, found {value!r}")
    return value.strip()


def read_code_list(folder: Path, name: str, key: str, next_link: str) -> CodeList:
    """A code list entity: every record needs a unique code and a title."""
    entity = read_entity(folder, name, next_link)
    index: dict[str, int] = {}
    for number, record in enumerate(entity.records):
        code = require_text(entity, number, record, key)
        require_text(entity, number, record, "Title")
        if code in index:
            file, row = entity.locate(index[code])
            raise entity.error(number, key, f"code {code!r} appears twice (first at record {row} of {file.name})")
        index[code] = number
    return CodeList(entity, index)


def check_dimensions(dimensions: list[Dimension], kind_field: str) -> None:
    """At most one geo and one time dimension, and distinct category titles."""
    seen: dict[str, Dimension] = {}
    for dimension in dimensions:
        label = dimension.title if dimension.kind == CATEGORY else dimension.kind
        if label in seen:
            if dimension.kind == CATEGORY:
                column, message = "Title", f"title {label!r} is already used by dimension {seen[label].key}"
            else:
                column, message = kind_field, f"a second {label} dimension; {seen[label].key} is one already"
            raise dimension.declared_in.error(dimension.declared_at, column, message)
        seen[label] = dimension


def first_true(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def check_types(data: Entity, column: str, values: list, allowed: tuple[type, ...], expected: str) -> None:
    """Fail at the first record whose field has a JSON type other than the allowed ones."""
    if set(map(type, values)) <= set(allowed):
        return
    index = next(i for i, v in enumerate(values) if type(v) not in allowed)
    raise data.error(index, column, f"expected {expected}, found {values[index]!r}")


def encode(data: Entity, column: str, codes: CodeList) -> Coded:
    """Factorize one code field, checking that every code is present and listed in its code list."""
    raw = data.column(column)
    check_types(data, column, raw, (str, _NONE), "a code")
    positions, uniques = pd.factorize(np.asarray(raw, dtype=object))
    if (positions < 0).any():
        raise data.error(first_true(positions < 0), column, f"no {column} code")
    stripped = [code.strip() for code in uniques]
    for number, code in enumerate(stripped):
        if code not in codes.index:
            message = f"code {uniques[number]!r} is not in {codes.entity.files[0].name}"
            raise data.error(first_true(positions == number), column, message)
    merged, distinct = pd.factorize(np.asarray(stripped, dtype=object))
    return Coded(merged[positions], list(distinct))


def take(values: list, positions: np.ndarray) -> np.ndarray:
    """Expand per-code values to per-record values."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array[positions]


def categorical(values: list, positions: np.ndarray) -> pd.Categorical:
    """Expand per-code values to per-record values as a Categorical (None missing), far smaller than text."""
    codes, categories = pd.factorize(np.asarray(values, dtype=object))
    return pd.Categorical.from_codes(codes[positions], categories)


def code_dimensions(data: Entity, dimensions: list[Dimension]) -> tuple[dict[str, Column], list[np.ndarray], list[str]]:
    """Encode every dimension of the data: its output columns, the factorized codes for duplicate checks, warnings."""
    encoded = [encode(data, dimension.key, dimension.codes) for dimension in dimensions]
    columns, warnings = dimension_columns(data, dimensions, encoded)
    return columns, [coded.positions for coded in encoded], warnings


def dimension_columns(
    data: Pages, dimensions: list[Dimension], encoded: list[Coded]
) -> tuple[dict[str, Column], list[str]]:
    """Per-record output columns of every encoded dimension, and warnings.

    Categories become 'dim:<title>' columns of category titles; the geo dimension region_code; the time
    dimension period_code and period_status.
    """
    columns: dict[str, Column] = {}
    warnings: list[str] = []
    for dimension, coded in zip(dimensions, encoded, strict=True):
        if dimension.kind == CATEGORY:
            titles = [dimension.codes.title(code) for code in coded.codes]
            warnings += duplicate_titles(dimension.codes, coded.codes, f"categories of {dimension.title!r}")
            columns[DIMENSION_PREFIX + dimension.title] = categorical(titles, coded.positions)
        elif dimension.kind == GEO:
            regions = []
            for number, code in enumerate(coded.codes):
                try:
                    regions.append(strip_region_code(code))
                except ValueError as exc:
                    raise data.error(first_true(coded.positions == number), dimension.key, str(exc)) from None
            columns["region_code"] = take(regions, coded.positions)
        else:
            periods, statuses = [], []
            for number, code in enumerate(coded.codes):
                try:
                    periods.append(parse_period_code(code).code)
                except ValueError as exc:
                    raise data.error(first_true(coded.positions == number), dimension.key, str(exc)) from None
                try:
                    statuses.append(period_status(dimension.codes.record(code).get("Status")))
                except ValueError as exc:
                    raise dimension.codes.entity.error(dimension.codes.index[code], "Status", str(exc)) from None
            columns["period_code"] = take(periods, coded.positions)
            columns["period_status"] = take(statuses, coded.positions)
    return columns, warnings


def duplicate_titles(codes: CodeList, used: list[str], what: str) -> list[str]:
    """Warnings for distinct codes in use that share one title (their rows would be indistinguishable by title)."""
    by_title: dict[str, list[str]] = {}
    for code in used:
        by_title.setdefault(codes.title(code), []).append(code)
    return [
        f"{codes.entity.files[0].name}: {what}: codes {', '.join(group)} share the title {title!r}"
        for title, group in by_title.items()
        if len(group) > 1
    ]


def repeated_measures(source: str, titles: list[str], units: list[str | None]) -> list[str]:
    """Warnings for measures sharing both title and unit (their rows would be indistinguishable)."""
    pairs = list(zip(titles, units, strict=True))
    repeated = sorted({pair for pair in pairs if pairs.count(pair) > 1}, key=str)
    return [f"{source}: several measures are titled {title!r} with unit {unit!r}" for title, unit in repeated]


def check_unique(data: Pages, columns: list[str], keys: list[np.ndarray]) -> None:
    """Fail at the first record repeating the codes of an earlier one."""
    stacked = np.column_stack(keys) if keys else np.zeros((data.count, 1), dtype=np.intp)
    repeated = pd.DataFrame(stacked).duplicated().to_numpy()
    if repeated.any():
        index = first_true(repeated)
        earlier = first_true((stacked == stacked[index]).all(axis=1))
        file, row = data.locate(earlier)
        raise data.error(index, "+".join(columns), f"duplicate: same codes as record {row} of {file.name}")


def normalise_unit(unit: object) -> str | None:
    """'aantal' -> 'aantal', '%' -> 'procent', other units as given; None when there is none."""
    if not isinstance(unit, str) or not unit.strip():
        return None
    text = " ".join(unit.split())
    mapped = split_unit(f"({text})")[1] if "(" not in text and ")" not in text else None
    return mapped if mapped in ("aantal", "procent") else text


def build_frame(
    *,
    table_id: str,
    measures: Column,
    units: Column,
    dimensions: dict[str, Column],
    values: np.ndarray,
    statuses: np.ndarray,
    source_rows: np.ndarray,
    source_url: str | None,
) -> pd.DataFrame:
    """The SourceFrame columns in contract order from per-row arrays."""
    columns = {"table_id": table_id, "measure": measures, "unit": units}
    columns.update({name: array for name, array in dimensions.items() if name.startswith(DIMENSION_PREFIX)})
    columns.update(
        {
            "region_code": dimensions.get("region_code"),
            "region_label": None,
            "period_code": dimensions.get("period_code"),
            "period_label": None,
            "period_status": dimensions.get("period_status"),
            "value": values,
            "value_status": statuses,
            "source_row": source_rows,
            "source_url": source_url,
        }
    )
    return pd.DataFrame(columns, index=pd.RangeIndex(len(values)))
