"""OData v4 snapshot folders: parsing a recorded-layout 84849NED snapshot and refusing every malformed variant."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.problems import InputError, Problem
from etl.sources import detect_format, odata_v4

FIXTURE = Path(__file__).parent / "fixtures" / "odata" / "v4" / "84849NED" / "2025-07-01"
KENMERKEN = "dim:Kenmerken adviezen/meldingen"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A private copy of the fixture snapshot in the data/raw/cbs/<table>/<date>/ layout."""
    folder = tmp_path / "84849NED" / "2025-07-01"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    """Rewrite one response file after changing its parsed body."""
    body = json.loads((folder / name).read_text(encoding="utf-8"))
    change(body)
    (folder / name).write_text(json.dumps(body), encoding="utf-8")


def set_field(name: str, record: int, field: str, value: object) -> Callable[[Path], None]:
    """A change of one field of one record (0-based within the file)."""
    return lambda folder: edit(folder, name, lambda body: body["value"][record].__setitem__(field, value))


def the_problem(folder: Path) -> Problem:
    with pytest.raises(InputError) as info:
        odata_v4.parse(folder)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def write_manifest(folder: Path) -> None:
    files = [
        {
            "name": f.name,
            "url": f"https://datasets.cbs.nl/odata/v1/CBS/84849NED/{f.stem}",
            "bytes": f.stat().st_size,
            "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
        }
        for f in sorted(folder.glob("*.json"))
        if f.name != odata_v4.MANIFEST_NAME
    ]
    manifest = {
        "table_id": "84849NED",
        "api": "v4",
        "base_url": "https://datasets.cbs.nl/odata/v1/CBS/84849NED/",
        "fetched_at": "2025-07-01T06:00:00+00:00",
        "files": files,
    }
    (folder / odata_v4.MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")


def test_parses_observations_across_pages_with_titles_codes_and_statuses():
    source = odata_v4.parse(FIXTURE)
    frame = source.frame
    assert source.format == "odata_v4"
    assert source.snapshot == "2025-07-01"
    assert source.title == "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio"
    assert source.dimension_columns == [KENMERKEN]
    assert source.warnings == []
    assert len(frame) == 51
    assert frame["source_row"].tolist() == list(range(1, 52))
    assert set(frame["table_id"]) == {"84849NED"}
    assert set(frame["measure"]) == {"Gestarte adviezen", "Ontvangen meldingen"}
    assert set(frame["unit"]) == {"aantal"}
    assert set(frame[KENMERKEN]) == {"Totaal", "Niet beroepsmatig totaal", "Beroepsmatig totaal"}
    assert set(frame["region_code"]) == {"NL01", "LD01", "LD02", "LD03", "LD04", "VT02", "GM0106", "GM0228", "GM0397"}
    assert frame["region_label"].isna().all() and frame["period_label"].isna().all()
    statuses = dict(zip(frame["period_code"], frame["period_status"], strict=True))
    assert statuses == {
        "2021HJ01": "definitief",
        "2023JJ00": "voorlopig",
        "2024HJ02": "nader_voorlopig",
        "2025HJ01": "voorlopig",
    }

    def cell(measure: str, category: str, region: str, period: str):
        match = frame[
            (frame["measure"] == measure)
            & (frame[KENMERKEN] == category)
            & (frame["region_code"] == region)
            & (frame["period_code"] == period)
        ]
        assert len(match) == 1
        return match.iloc[0]

    # published on the StatLine page of 84849NED: 143.210 started advice requests in 2023* for Nederland
    assert cell("Gestarte adviezen", "Totaal", "NL01", "2023JJ00")["value"] == 143210
    assert cell("Ontvangen meldingen", "Beroepsmatig totaal", "VT02", "2023JJ00")["value"] == 1710
    # the national total of 1e halfjaar 2021 as published in the Impactmonitor 2022 (figure 4.1)
    assert cell("Gestarte adviezen", "Totaal", "NL01", "2021HJ01")["value"] == 67545
    # the only constructed cell: a symbol without a number (see tests/fixtures/odata/README.md)
    secret = cell("Ontvangen meldingen", "Niet beroepsmatig totaal", "GM0106", "2024HJ02")
    assert math.isnan(secret["value"]) and secret["value_status"] == "geheim"
    # published as '.' on StatLine: Ede, Niet beroepsmatig totaal, Ontvangen meldingen, 1e halfjaar 2025*
    unknown = cell("Ontvangen meldingen", "Niet beroepsmatig totaal", "GM0228", "2025HJ01")
    assert math.isnan(unknown["value"]) and unknown["value_status"] == "onbekend"
    assert frame["value_status"].notna().sum() == 3
    assert frame["value"].notna().sum() == 48


def test_sniff_and_detect(tmp_path: Path):
    assert odata_v4.sniff(FIXTURE)
    assert odata_v4.sniff(FIXTURE / "Observations.json")
    assert not odata_v4.sniff(FIXTURE / "MeasureCodes.json")
    assert not odata_v4.sniff(tmp_path)
    assert not odata_v4.sniff(FIXTURE.parents[2] / "v3" / "84852NED" / "2025-07-01")
    assert detect_format(FIXTURE) == "odata_v4"


def test_parse_accepts_the_observations_file(snapshot: Path):
    source = odata_v4.parse(snapshot / "Observations.json")
    assert source.path == snapshot
    assert len(source.frame) == 51


def test_table_id_from_folder_without_properties(snapshot: Path):
    (snapshot / "Properties.json").unlink()
    source = odata_v4.parse(snapshot)
    assert set(source.frame["table_id"]) == {"84849NED"}
    assert source.title is None


def test_snapshot_is_none_outside_a_dated_folder(tmp_path: Path):
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    source = odata_v4.parse(folder)
    assert source.snapshot is None
    assert set(source.frame["table_id"]) == {"84849NED"}


def test_value_without_attribute_or_text_is_unknown(snapshot: Path):
    set_field("Observations.json", 0, "Value", None)(snapshot)
    frame = odata_v4.parse(snapshot).frame
    assert math.isnan(frame["value"][0]) and frame["value_status"][0] == "onbekend"


def test_manifest_is_verified_and_gives_the_source_url(snapshot: Path):
    write_manifest(snapshot)
    source = odata_v4.parse(snapshot)
    assert set(source.frame["source_url"]) == {"https://datasets.cbs.nl/odata/v1/CBS/84849NED/"}


def test_manifest_checksum_mismatch(snapshot: Path):
    write_manifest(snapshot)
    set_field("Observations-0002.json", 0, "Value", 1.0)(snapshot)
    problem = the_problem(snapshot)
    assert Path(problem.file).name == "Observations-0002.json"
    assert "sha256" in problem.message and "manifest.json" in problem.message


def test_manifest_missing_and_unlisted_files(snapshot: Path):
    write_manifest(snapshot)
    (snapshot / "Observations-0002.json").rename(snapshot / "Extra.json")
    problem = the_problem(snapshot)
    assert Path(problem.file).name == "Observations-0002.json"
    assert "missing" in problem.message
    write_manifest(snapshot)
    (snapshot / "Notes.json").write_text("{}", encoding="utf-8")
    problem = the_problem(snapshot)
    assert Path(problem.file).name == "Notes.json" and "not listed" in problem.message


def truncate(name: str, keep: int) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[:keep])

    return change


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def value_list(name: str, change: Callable[[list], None]) -> Callable[[Path], None]:
    return lambda folder: edit(folder, name, lambda body: change(body["value"]))


def duplicate_record(folder: Path) -> None:
    first = json.loads((folder / "Observations.json").read_text(encoding="utf-8"))["value"][4]
    edit(folder, "Observations-0003.json", lambda body: body["value"].append(dict(first, Id=51)))


MALFORMED = {
    "truncated page": (
        truncate("Observations-0002.json", 700),
        "Observations-0002.json",
        6,
        None,
        "invalid JSON (truncated download?): Unterminated string starting at (line 6, column 52)",
    ),
    "empty file": (truncate("MeasureCodes.json", 0), "MeasureCodes.json", None, None, "empty"),
    "no MeasureCodes": (remove("MeasureCodes.json"), "MeasureCodes.json", None, None, "missing"),
    "no code list": (remove("RegioSCodes.json"), "RegioSCodes.json", None, None, "missing"),
    "no Dimensions": (remove("Dimensions.json"), "Dimensions.json", None, None, "missing"),
    "missing next page": (
        remove("Observations-0003.json"),
        "Observations-0002.json",
        None,
        "@odata.nextLink",
        "Observations-0003.json is missing",
    ),
    "page out of sequence": (
        lambda f: (f / "Observations-0002.json").rename(f / "Observations-0004.json"),
        "Observations.json",
        None,
        "@odata.nextLink",
        "missing",
    ),
    "unknown measure": (
        set_field("Observations-0002.json", 2, "Measure", "M999999"),
        "Observations-0002.json",
        3,
        "Measure",
        "'M999999' is not in MeasureCodes.json",
    ),
    "unknown category": (
        set_field("Observations-0003.json", 0, "KenmerkenAdviezenMeldingen", "A999999"),
        "Observations-0003.json",
        1,
        "KenmerkenAdviezenMeldingen",
        "not in KenmerkenAdviezenMeldingenCodes",
    ),
    "unknown region": (
        set_field("Observations.json", 5, "RegioS", "GM0363"),
        "Observations.json",
        6,
        "RegioS",
        "'GM0363' is not in RegioSCodes.json",
    ),
    "missing dimension code": (
        set_field("Observations.json", 7, "Perioden", None),
        "Observations.json",
        8,
        "Perioden",
        "no Perioden code",
    ),
    "unknown ValueAttribute": (
        set_field("Observations-0002.json", 5, "ValueAttribute", "Secret"),
        "Observations-0002.json",
        6,
        "ValueAttribute",
        "unknown ValueAttribute 'Secret'",
    ),
    "text Value": (
        set_field("Observations-0002.json", 1, "Value", "64505"),
        "Observations-0002.json",
        2,
        "Value",
        "not a number: '64505'",
    ),
    "boolean Value": (
        set_field("Observations.json", 3, "Value", True),
        "Observations.json",
        4,
        "Value",
        "not a number",
    ),
    "Value with attribute": (
        set_field("Observations.json", 9, "ValueAttribute", "Confidential"),
        "Observations.json",
        10,
        "ValueAttribute",
        "must have ValueAttribute 'None'",
    ),
    "text observation": (
        lambda f: [
            set_field("Observations.json", 2, "Value", None)(f),
            set_field("Observations.json", 2, "StringValue", "n.v.t.")(f),
        ],
        "Observations.json",
        3,
        "StringValue",
        "text observations are not supported",
    ),
    "duplicate key": (
        duplicate_record,
        "Observations-0003.json",
        12,
        "Measure+KenmerkenAdviezenMeldingen+RegioS+Perioden",
        "same codes as record 5 of Observations.json",
    ),
    "invalid period code": (
        lambda f: [
            value_list("PeriodenCodes.json", lambda v: v.append(dict(v[1], Identifier="2023HJ03")))(f),
            set_field("Observations.json", 1, "Perioden", "2023HJ03")(f),
        ],
        "Observations.json",
        2,
        "Perioden",
        "not a valid CBS period code",
    ),
    "invalid region code": (
        lambda f: [
            value_list("RegioSCodes.json", lambda v: v.append(dict(v[1], Identifier="VTX2")))(f),
            set_field("Observations.json", 4, "RegioS", "VTX2")(f),
        ],
        "Observations.json",
        5,
        "RegioS",
        "not a CBS region code",
    ),
    "unknown period status": (
        value_list("PeriodenCodes.json", lambda v: v[2].update(Status="Herzien")),
        "PeriodenCodes.json",
        3,
        "Status",
        "unknown period status",
    ),
    "unknown dimension kind": (
        value_list("Dimensions.json", lambda v: v[0].update(Kind="GeoDetail")),
        "Dimensions.json",
        1,
        "Kind",
        "unknown dimension kind",
    ),
    "undeclared dimension": (
        value_list("Observations.json", lambda v: v[0].update(Geslacht="T001038")),
        "Observations.json",
        1,
        "Geslacht",
        "not a dimension listed in Dimensions.json",
    ),
    "missing field": (
        value_list("Observations.json", lambda v: v[0].pop("ValueAttribute")),
        "Observations.json",
        1,
        "ValueAttribute",
        "missing",
    ),
    "duplicate code": (
        value_list("MeasureCodes.json", lambda v: v.append(dict(v[0], Index=3))),
        "MeasureCodes.json",
        3,
        "Identifier",
        "appears twice",
    ),
    "table id disagrees": (
        lambda f: edit(f, "Properties.json", lambda body: body.update(Identifier="84848NED")),
        "Properties.json",
        1,
        "Identifier",
        "does not match its folder",
    ),
    "not a response": (
        lambda f: (f / "Dimensions.json").write_text("[]", encoding="utf-8"),
        "Dimensions.json",
        1,
        "value",
        "expected an OData response",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_snapshots_name_file_record_and_column(snapshot: Path, case: str):
    change, file, row, column, message = MALFORMED[case]
    change(snapshot)
    problem = the_problem(snapshot)
    assert Path(problem.file).name == file
    assert problem.row == row
    assert problem.column == column
    assert message in problem.message
    assert str(problem).startswith(f"{snapshot / file}:{'' if row is None else row}:")


def test_empty_folder(tmp_path: Path):
    folder = tmp_path / "84849NED" / "2025-07-01"
    folder.mkdir(parents=True)
    problem = the_problem(folder)
    assert problem.file == str(folder) and "empty" in problem.message


def test_folder_without_observations(snapshot: Path):
    for page in snapshot.glob("Observations*.json"):
        page.unlink()
    problem = the_problem(snapshot)
    assert Path(problem.file).name == "Observations.json" and "missing" in problem.message
