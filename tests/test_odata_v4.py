"""OData v4 snapshot folders: parsing a recorded-layout 84849NED snapshot and refusing every malformed variant."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from etl.build import _check_regions
from etl.catalog import load_catalog
from etl.normalise import normalise_source, reconcile
from etl.problems import InputError
from etl.sources import detect_format, odata_v4
from tests.conftest import DATA
from tests.odata_edits import edit, set_field, the_problem, value_list

FIXTURE = Path(__file__).parent / "fixtures" / "odata" / "v4" / "84849NED" / "2025-07-01"
EARLIER = Path(__file__).parent / "fixtures" / "odata" / "v4" / "85361NED" / "2025-06-30"
KENMERKEN = "dim:Kenmerken adviezen/meldingen"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A private copy of the fixture snapshot in the data/raw/cbs/<table>/<date>/ layout."""
    folder = tmp_path / "84849NED" / "2025-07-01"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """A private copy of the 85361NED fixture snapshot, whose measures are filed under MeasureGroups."""
    folder = tmp_path / "85361NED" / "2025-06-30"
    shutil.copytree(EARLIER, folder)
    return folder


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DATA / "catalog")


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


def test_null_value_needs_a_value_attribute_saying_why(snapshot: Path):
    set_field("Observations.json", 0, "Value", None)(snapshot)
    problem = the_problem(odata_v4.parse, snapshot)
    assert (Path(problem.file).name, problem.row, problem.column) == ("Observations.json", 1, "ValueAttribute")
    assert "a missing value needs a ValueAttribute saying why" in problem.message


def test_manifest_is_verified_and_gives_the_source_url(snapshot: Path):
    write_manifest(snapshot)
    source = odata_v4.parse(snapshot)
    assert set(source.frame["source_url"]) == {"https://datasets.cbs.nl/odata/v1/CBS/84849NED/"}


def test_manifest_checksum_mismatch(snapshot: Path):
    write_manifest(snapshot)
    set_field("Observations-0002.json", 0, "Value", 1.0)(snapshot)
    problem = the_problem(odata_v4.parse, snapshot)
    assert Path(problem.file).name == "Observations-0002.json"
    assert "sha256" in problem.message and "manifest.json" in problem.message


def test_manifest_missing_and_unlisted_files(snapshot: Path):
    write_manifest(snapshot)
    (snapshot / "Observations-0002.json").rename(snapshot / "Extra.json")
    problem = the_problem(odata_v4.parse, snapshot)
    assert Path(problem.file).name == "Observations-0002.json"
    assert "missing" in problem.message
    write_manifest(snapshot)
    (snapshot / "Notes.json").write_text("{}", encoding="utf-8")
    problem = the_problem(odata_v4.parse, snapshot)
    assert Path(problem.file).name == "Notes.json" and "not listed" in problem.message


def truncate(name: str, keep: int) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[:keep])

    return change


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


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
    problem = the_problem(odata_v4.parse, snapshot)
    assert Path(problem.file).name == file
    assert problem.row == row
    assert problem.column == column
    assert message in problem.message
    assert str(problem).startswith(f"{snapshot / file}:{'' if row is None else row}:")


def test_empty_folder(tmp_path: Path):
    folder = tmp_path / "84849NED" / "2025-07-01"
    folder.mkdir(parents=True)
    problem = the_problem(odata_v4.parse, folder)
    assert problem.file == str(folder) and "empty" in problem.message


def test_folder_without_observations(snapshot: Path):
    for page in snapshot.glob("Observations*.json"):
        page.unlink()
    problem = the_problem(odata_v4.parse, snapshot)
    assert Path(problem.file).name == "Observations.json" and "missing" in problem.message


# ---------------------------------------------------------------------------------------------------------------
# Measure groups: measures titled as StatLine shows them (85361NED)

STATLINE_TITLES = [
    "Ontvangen meldingen, totaal",
    "1e melding, geen betrokkenen bekend VT",
    "Hermelding Totaal",
    "Hermelding Meerdere betrokkenen al bekend bij VT",
    "Hermelding Eén betrokkene al bekend bij VT",
    "Vervolgmelding tijdens betrokkenheid VT Totaal",
    "Vervolgmelding Tijdens veiligheidsbeoordeling",
    "Vervolgmelding Na veiligheidsbeoordeling",
    "Vervolgmelding Tijdens monitoring door VT",
    "Melding niet ingedeeld",
]


def test_measures_are_titled_after_their_measure_groups():
    source = odata_v4.parse(EARLIER)
    frame = source.frame
    assert source.warnings == [] and source.dimension_columns == []
    assert len(frame) == 44
    counts = frame.loc[frame["unit"] == "aantal", "measure"].drop_duplicates().tolist()
    shares = frame.loc[frame["unit"] == "procent", "measure"].drop_duplicates().tolist()
    # 'Hermelding' + 'Totaal'; 'Vervolgmelding' > 'Vervolgmelding tijdens betrokkenheid VT' > 'Totaal' is not
    # repeated; measures outside any group keep their own title
    assert counts == STATLINE_TITLES
    assert shares == [title.removesuffix(" door VT") for title in STATLINE_TITLES]
    nl = frame[frame["region_code"] == "NL01"].set_index(["measure", "unit"])["value"]
    # published on StatLine (85361NED), Nederland 2023*
    assert nl[("Hermelding Totaal", "aantal")] == 48555
    assert nl[("Vervolgmelding tijdens betrokkenheid VT Totaal", "procent")] == pytest.approx(28.5)
    # published as '.' on StatLine: Aalten, during the safety assessment
    aalten = frame[frame["region_code"] == "GM0197"].set_index(["measure", "unit"])
    unknown = aalten.loc[("Vervolgmelding Tijdens veiligheidsbeoordeling", "aantal")]
    assert math.isnan(unknown["value"]) and unknown["value_status"] == "onbekend"
    assert aalten.loc[("Vervolgmelding Na veiligheidsbeoordeling", "procent"), "value"] == pytest.approx(21.4)


def test_85361ned_maps_onto_the_catalog_indicators_of_earlier_involvement(catalog):
    normalised = normalise_source(odata_v4.parse(EARLIER), catalog, {})
    observations = normalised.observations
    assert normalised.unmapped == []
    assert observations.groupby("indicator_id").size().to_dict() == {
        "meldingen_naar_eerdere_betrokkenheid": 22,
        "aandeel_meldingen_naar_eerdere_betrokkenheid": 22,
        "ontvangen_meldingen": 2,
    }
    every_category = set(catalog.categories["eerdere_betrokkenheid"])
    for indicator in ("meldingen_naar_eerdere_betrokkenheid", "aandeel_meldingen_naar_eerdere_betrokkenheid"):
        amsterdam = observations[
            (observations["indicator_id"] == indicator) & (observations["region_code"] == "GM0363")
        ]
        assert set(amsterdam["category_code"]) == every_category
    nl = observations[observations["region_code"] == "NL01"]
    by_key = {
        (row.indicator_id, row.category_code or None): row.value
        for row in nl.fillna({"category_code": ""}).itertuples()
    }
    # published on StatLine (85361NED), Nederland 2023*
    assert by_key[("meldingen_naar_eerdere_betrokkenheid", "totaal")] == 127340
    assert by_key[("meldingen_naar_eerdere_betrokkenheid", "hermelding_totaal")] == 48555
    assert by_key[("meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_totaal")] == 36355
    assert by_key[("meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_tijdens_monitoring")] == 6545
    assert by_key[("aandeel_meldingen_naar_eerdere_betrokkenheid", "eerste_melding")] == pytest.approx(31.9)
    assert by_key[("aandeel_meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_tijdens_monitoring")] == 5.1
    assert by_key[("ontvangen_meldingen", None)] == 127340


def test_measure_groups_are_optional_when_no_measure_is_grouped(earlier: Path):
    value_list("MeasureCodes.json", lambda v: [m.update(MeasureGroupId=None) for m in v])(earlier)
    (earlier / "MeasureGroups.json").unlink()
    measures = set(odata_v4.parse(earlier).frame["measure"])
    assert "Totaal" in measures and "Tijdens veiligheidsbeoordeling" in measures


GROUP_ERRORS = {
    "measure in an unlisted group": (
        set_field("MeasureCodes.json", 2, "MeasureGroupId", "9"),
        "MeasureCodes.json",
        3,
        "MeasureGroupId",
        "group '9' is not in MeasureGroups.json",
    ),
    "grouped measures without MeasureGroups": (
        remove("MeasureGroups.json"),
        "MeasureCodes.json",
        3,
        "MeasureGroupId",
        "group '1' is not in the snapshot (it has no MeasureGroups.json)",
    ),
    "group id of another type": (
        set_field("MeasureCodes.json", 6, "MeasureGroupId", True),
        "MeasureCodes.json",
        7,
        "MeasureGroupId",
        "expected a group id, found True",
    ),
    "group in an unlisted group": (
        set_field("MeasureGroups.json", 2, "ParentId", "7"),
        "MeasureGroups.json",
        3,
        "ParentId",
        "group '7' is not in MeasureGroups.json",
    ),
    "groups in a loop": (
        set_field("MeasureGroups.json", 1, "ParentId", "3"),
        "MeasureGroups.json",
        2,
        "ParentId",
        "groups enclose each other in a loop: '2' > '3' > '2'",
    ),
    "group without a title": (
        set_field("MeasureGroups.json", 0, "Title", " "),
        "MeasureGroups.json",
        1,
        "Title",
        "text",
    ),
    "group listed twice": (
        value_list("MeasureGroups.json", lambda v: v.append(dict(v[0], Index=4))),
        "MeasureGroups.json",
        4,
        "Id",
        "group '1' appears twice (first at record 1 of MeasureGroups.json)",
    ),
}


@pytest.mark.parametrize("case", GROUP_ERRORS, ids=list(GROUP_ERRORS))
def test_malformed_measure_groups_name_file_record_and_column(earlier: Path, case: str):
    change, file, row, column, message = GROUP_ERRORS[case]
    change(earlier)
    problem = the_problem(odata_v4.parse, earlier)
    assert (Path(problem.file).name, problem.row, problem.column) == (file, row, column)
    assert message in problem.message


# ---------------------------------------------------------------------------------------------------------------
# Problems found after parsing name the page file and the record within it, as parse errors do


def test_source_rows_map_back_to_the_page_and_record():
    source = odata_v4.parse(FIXTURE)
    assert source.locate(1) == (FIXTURE / "Observations.json", 1)
    assert source.locate(20) == (FIXTURE / "Observations.json", 20)
    assert source.locate(21) == (FIXTURE / "Observations-0002.json", 1)
    assert source.locate(51) == (FIXTURE / "Observations-0003.json", 11)


def test_duplicate_key_after_parsing_names_the_page_and_its_record(snapshot: Path, catalog):
    # a second category titled 'Totaal': its records have codes of their own, so they pass the parser's check,
    # but both categories map onto the same indicator key
    value_list("KenmerkenAdviezenMeldingenCodes.json", lambda v: v.append(dict(v[0], Identifier="T001085", Index=4)))(
        snapshot
    )
    twin = {"KenmerkenAdviezenMeldingen": "T001085", "RegioS": "NL01", "Perioden": "2023JJ00"}
    value_list("Observations-0002.json", lambda v: v[8].update(twin))(snapshot)  # the same as its record 7
    source = odata_v4.parse(snapshot)
    with pytest.raises(InputError) as info:
        normalise_source(source, catalog, {})
    problems = info.value.problems
    assert {(problem.file, problem.row) for problem in problems} == {
        (str(snapshot / "Observations-0002.json"), 7),
        (str(snapshot / "Observations-0002.json"), 9),
    }
    assert all("duplicate key" in problem.message and "NL01 2023JJ00" in problem.message for problem in problems)


def test_conflict_with_another_source_names_the_page_and_its_record(snapshot: Path, catalog):
    set_field("Observations-0002.json", 6, "Value", 1.0)(snapshot)  # 127.340 reports published for Nederland, 2023*
    parts = [normalise_source(odata_v4.parse(folder), catalog, {}) for folder in (FIXTURE, snapshot)]
    for part in parts:
        part.release_source()  # as a build does before reconciling
    with pytest.raises(InputError) as info:
        reconcile(parts)
    problems = info.value.problems
    assert {(problem.file, problem.row, problem.column) for problem in problems} == {
        (str(snapshot / "Observations-0002.json"), 7, "value")
    }
    first = f"127340 (voorlopig) in {FIXTURE / 'Observations-0002.json'}:7"
    assert all(f"1 (voorlopig) conflicts with {first}" in problem.message for problem in problems)


def test_unknown_region_after_parsing_names_the_page_and_its_record(snapshot: Path, catalog):
    value_list("RegioSCodes.json", lambda v: v.append(dict(v[0], Identifier="GM9999", Index=99)))(snapshot)
    set_field("Observations-0003.json", 2, "RegioS", "GM9999")(snapshot)
    part = normalise_source(odata_v4.parse(snapshot), catalog, {})
    part.release_source()
    known = pd.DataFrame({"region_code": sorted(set(part.observations["region_code"]) - {"GM9999"})})
    with pytest.raises(InputError) as info:
        _check_regions([part], known)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == (str(snapshot / "Observations-0003.json"), 3, "region")
    assert problem.message == "unknown region code GM9999"
