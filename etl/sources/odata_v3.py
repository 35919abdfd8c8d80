"""CBS OData v3 snapshot folders: UntypedDataSet or TypedDataSet in wide form with DataProperties and code lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.codes import ONBEKEND, finite_number, symbol_status
from etl.problems import fail
from etl.sources.base import SourceFrame
from etl.sources.odata_v4 import (
    CATEGORY,
    GEO,
    TIME,
    Dimension,
    Entity,
    Groups,
    build_frame,
    check_dimensions,
    check_file_names,
    check_new_key,
    check_page_numbers,
    check_types,
    check_unique,
    code_dimensions,
    first_true,
    has_data_file,
    normalise_unit,
    optional_text,
    page_name,
    read_code_list,
    read_entity,
    read_single,
    repeated_measures,
    require_identifier,
    require_text,
    resolve_folder,
    resolve_table_id,
    snapshot_date,
    take,
    unused_entity_sets,
    verify_manifest,
)

FORMAT = "odata_v3"
NEXT_LINK = "odata.nextLink"
UNTYPED, TYPED = "UntypedDataSet", "TypedDataSet"
DATA_FILES = (page_name(UNTYPED, 1), page_name(TYPED, 1))

_TYPES = {"Dimension": CATEGORY, "GeoDimension": GEO, "TimeDimension": TIME}
TOPIC_GROUP = "TopicGroup"
_UNTYPED_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_NONE = type(None)


@dataclass
class Topic:
    """One measure column of the wide data set."""

    key: str
    title: str
    unit: str | None
    declared_at: int  # record index in DataProperties


def sniff(path: Path) -> bool:
    """True for a snapshot folder holding UntypedDataSet.json or TypedDataSet.json, or one of those files."""
    return has_data_file(path, DATA_FILES)


def parse(path: Path) -> SourceFrame:
    """Parse one v3 snapshot folder into long rows; UntypedDataSet (with symbols) is preferred over TypedDataSet."""
    folder = resolve_folder(path)
    check_file_names(folder)
    manifest = verify_manifest(folder)
    untyped = (folder / page_name(UNTYPED, 1)).is_file()
    if not untyped and not (folder / page_name(TYPED, 1)).is_file():
        raise fail(folder / page_name(UNTYPED, 1), None, None, f"missing: the snapshot has no {UNTYPED} or {TYPED}")
    info, info_file = read_single(folder, "TableInfos", NEXT_LINK)
    title = optional_text(info, info_file, "Title")
    dimensions, topics = _read_data_properties(folder)
    data = read_entity(folder, UNTYPED if untyped else TYPED, NEXT_LINK)
    _check_fields(data, dimensions, topics)
    check_page_numbers(folder)

    columns, keys, warnings = code_dimensions(data, dimensions)
    check_unique(data, [d.key for d in dimensions], keys)
    used = {"TableInfos", "DataProperties", UNTYPED, TYPED, "CategoryGroups", *(d.key for d in dimensions)}
    warnings += unused_entity_sets(folder, used)
    if untyped and (folder / page_name(TYPED, 1)).is_file():
        warnings.append(f"{TYPED}.json is not read: {UNTYPED}.json, which keeps CBS's symbols, is used instead")
    values, statuses = zip(*(_topic_values(data, topic.key, untyped) for topic in topics), strict=True)
    records, width = len(data.records), len(topics)
    rows = np.repeat(np.arange(records), width)
    measure = np.tile(np.arange(width), records)
    titles = [topic.title for topic in topics]
    frame = build_frame(
        table_id=resolve_table_id(folder, info, info_file, "Identifier"),
        measures=take(titles, measure),
        units=take([topic.unit for topic in topics], measure),
        dimensions={name: column[rows] for name, column in columns.items()},
        values=np.column_stack(values).ravel(),
        statuses=np.column_stack(statuses).ravel(),
        source_rows=rows + 1,
        source_url=manifest.get("base_url") if manifest else None,
    )
    warnings += repeated_measures("DataProperties.json", titles, [topic.unit for topic in topics])
    return SourceFrame(
        folder,
        FORMAT,
        frame,
        snapshot=snapshot_date(folder),
        title=title,
        warnings=warnings,
        locator=data.locator(),
    )


def _read_data_properties(folder: Path) -> tuple[list[Dimension], list[Topic]]:
    """Dimensions and topics; a topic is titled as StatLine shows it, after the TopicGroups enclosing it."""
    entity = read_entity(folder, "DataProperties", NEXT_LINK)
    groups = Groups(f"the {TOPIC_GROUP} properties of {entity.files[0].name}", "ParentID")
    dimensions: list[Dimension] = []
    topics: list[Topic] = []
    for index, record in enumerate(entity.records):
        kind = record.get("Type")
        if not isinstance(kind, str) or (kind != "Topic" and kind != TOPIC_GROUP and kind not in _TYPES):
            expected = ", ".join(("Topic", TOPIC_GROUP, *_TYPES))
            raise entity.error(index, "Type", f"unknown type {kind!r} (expected {expected})")
        if kind == TOPIC_GROUP:
            groups.add(entity, index, record, "ID", require_text(entity, index, record, "Title"))
            continue
        key = require_identifier(entity, index, record, "Key")
        check_new_key(entity, index, "Key", key, [*dimensions, *topics], ("ID",))
        title = require_text(entity, index, record, "Title")
        if kind == "Topic":
            topics.append(Topic(key, title, normalise_unit(record.get("Unit")), index))
        else:
            codes = read_code_list(folder, key, "Key", NEXT_LINK)
            dimensions.append(Dimension(key, title, _TYPES[kind], codes, entity, index))
    if not topics:
        raise fail(entity.files[0], None, "Type", "no Topic: the table has no measures")
    check_dimensions(dimensions, "Type")
    groups.check()
    for topic in topics:
        topic.title = groups.title(entity, topic.declared_at, "ParentID", topic.title)
    return dimensions, topics


def _check_fields(data: Entity, dimensions: list[Dimension], topics: list[Topic]) -> None:
    """Every record must hold exactly the dimensions and topics of DataProperties (and optionally ID)."""
    expected = [d.key for d in dimensions] + [t.key for t in topics]
    needed = set(expected)
    allowed = needed | {"ID"}
    wrong = {shape for shape in set(map(tuple, data.records)) if not needed <= set(shape) <= allowed}
    if not wrong:
        return
    index = next(i for i, record in enumerate(data.records) if tuple(record) in wrong)
    record = data.records[index]
    for name in expected:
        if name not in record:
            raise data.error(index, name, f"column {name} of DataProperties.json is missing from the data")
    name = next(name for name in record if name not in allowed)
    raise data.error(index, name, f"column {name} is not described in DataProperties.json")


def _topic_values(data: Entity, key: str, untyped: bool) -> tuple[np.ndarray, np.ndarray]:
    """Values and missing-value statuses of one topic column."""
    raw = data.column(key)
    if untyped:
        check_types(data, key, raw, (str, _NONE), "a number as text or a CBS symbol")
    else:
        check_types(data, key, raw, (int, float, _NONE), "a number")
        not_a_number = [cell != cell for cell in raw]  # NaN: pd.factorize would take it for a missing value
        if any(not_a_number):
            raise data.error(not_a_number.index(True), key, "not a finite number: NaN")
    positions, uniques = pd.factorize(np.asarray(raw, dtype=object))
    values, statuses = [], []
    for number, cell in enumerate(uniques):
        value, status, problem = _cell(cell, untyped)
        if problem:
            raise data.error(first_true(positions == number), key, problem)
        values.append(value)
        statuses.append(status)
    values.append(np.nan)
    statuses.append(ONBEKEND)
    return np.asarray(values, dtype=float)[positions], np.asarray(statuses, dtype=object)[positions]


def _cell(cell: object, untyped: bool) -> tuple[float, str | None, str | None]:
    """(value, status, problem) of one distinct cell: a number, a symbol (Untyped) or invalid."""
    if not untyped:
        try:
            return finite_number(float(cell), cell), None, None
        except (OverflowError, ValueError):
            return np.nan, None, f"not a finite number: {str(cell)[:40]}"
    text = cell.strip()
    status = symbol_status(text)
    if status is not None:
        return np.nan, status, None
    if _UNTYPED_NUMBER.fullmatch(text):
        try:
            return finite_number(float(text), text), None, None
        except ValueError as exc:
            return np.nan, None, str(exc)
    return np.nan, None, f"not a number or CBS symbol ('.', 'x', '-'): {cell!r}"
