"""OData v3 snapshot folders: UntypedDataSet with symbols (84852NED), TypedDataSet with nulls (85361NED), and errors."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.catalog import load_catalog
from etl.normalise import normalise_source
from etl.sources import detect_format, odata_v3
from tests.conftest import DATA
from tests.odata_edits import edit, set_field, the_problem, value_list

FIXTURES = Path(__file__).parent / "fixtures" / "odata" / "v3"
UNTYPED = FIXTURES / "84852NED" / "2025-07-01"
TYPED = FIXTURES / "85361NED" / "2025-07-01"
TAXATIE, BEOORDELING = "dim:Veiligheidstaxatie", "dim:Veiligheidsbeoordeling"
KEY_COLUMNS = "Veiligheidstaxatie+Veiligheidsbeoordeling+RegioS+Perioden"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A private copy of the UntypedDataSet fixture snapshot."""
    folder = tmp_path / "84852NED" / "2025-07-01"
    shutil.copytree(UNTYPED, folder)
    return folder


@pytest.fixture
def typed(tmp_path: Path) -> Path:
    """A private copy of the TypedDataSet fixture snapshot."""
    folder = tmp_path / "85361NED" / "2025-07-01"
    shutil.copytree(TYPED, folder)
    return folder


def cell(frame, **where):
    mask = True
    for column, value in where.items():
        mask = mask & (frame[column] == value)
    match = frame[mask]
    assert len(match) == 1
    return match.iloc[0]


def test_untyped_dataset_with_symbols_padded_regions_and_half_years():
    source = odata_v3.parse(UNTYPED)
    frame = source.frame
    assert source.format == "odata_v3"
    assert source.snapshot == "2025-07-01"
    assert source.title == "Huiselijk geweld; veiligheidsbeoordeling en -taxatie Veilig Thuis, regio"
    assert source.dimension_columns == [TAXATIE, BEOORDELING]
    assert source.warnings == []
    assert len(frame) == 33
    assert frame["source_row"].tolist() == list(range(1, 34))
    assert set(frame["table_id"]) == {"84852NED"}
    assert set(frame["measure"]) == {"Ontvangen meldingen"} and set(frame["unit"]) == {"aantal"}
    assert set(frame[TAXATIE]) == {"Totaal", "Acute onveiligheid"}
    assert set(frame[BEOORDELING]) == {
        "Totaal",
        "Vervolgstappen beleggen bij Veilig Thuis",
        "Overdracht",
        "Nog niet beoordeeld",
    }
    assert set(frame["region_code"]) == {"NL01", "PV21", "PV22", "PV25", "VT05", "VT06", "VT14"}
    assert dict(zip(frame["period_code"], frame["period_status"], strict=True)) == {
        "2020HJ01": "definitief",
        "2020HJ02": "definitief",
        "2020JJ00": "definitief",
        "2023JJ00": "voorlopig",
        "2024HJ02": "nader_voorlopig",
    }
    totals = {TAXATIE: "Totaal", BEOORDELING: "Totaal"}
    # published on StatLine (84852NED): 64.505 reports in 1e halfjaar 2020 and 127.410 in 2020 for Nederland
    assert cell(frame, **totals, region_code="NL01", period_code="2020HJ01")["value"] == 64505
    assert cell(frame, **totals, region_code="NL01", period_code="2020JJ00")["value"] == 127410
    acute = {TAXATIE: "Acute onveiligheid", "region_code": "VT05"}
    # published on StatLine (84852NED): 20 reports of acute danger in Gelderland-Midden in 2023*
    assert cell(frame, **acute, **{BEOORDELING: "Totaal"}, period_code="2023JJ00")["value"] == 20
    # published as '.' on StatLine: Noord- en Oost-Gelderland, Nog niet beoordeeld, 2023*
    unknown = cell(frame, **{TAXATIE: "Totaal", BEOORDELING: "Nog niet beoordeeld"}, region_code="VT14")
    assert math.isnan(unknown["value"]) and unknown["value_status"] == "onbekend"
    # constructed symbols without a number (see tests/fixtures/odata/README.md)
    statuses = {
        ("Vervolgstappen beleggen bij Veilig Thuis", "2024HJ02"): "geheim",
        ("Overdracht", "2024HJ02"): "nihil",
    }
    for (beoordeling, period), status in statuses.items():
        row = cell(frame, **acute, **{BEOORDELING: beoordeling}, period_code=period)
        assert math.isnan(row["value"]) and row["value_status"] == status
    assert frame["value_status"].notna().sum() == 3


def test_typed_dataset_with_nulls_percentages_and_topic_groups():
    source = odata_v3.parse(TYPED)
    frame = source.frame
    assert source.dimension_columns == []
    assert source.warnings == []
    assert len(frame) == 40
    assert frame["source_row"].tolist() == [row for row in range(1, 11) for _ in range(4)]
    # topics are titled as StatLine shows them: their TopicGroup's title, then their own
    assert set(zip(frame["measure"], frame["unit"], strict=True)) == {
        ("Vervolgmelding Tijdens veiligheidsbeoordeling", "aantal"),
        ("Vervolgmelding Na veiligheidsbeoordeling", "aantal"),
        ("Vervolgmelding Tijdens veiligheidsbeoordeling", "procent"),
        ("Vervolgmelding Na veiligheidsbeoordeling", "procent"),
    }
    assert set(frame["region_code"]) == {
        "NL01",
        "LD01",
        "LD02",
        "PV20",
        "PV22",
        "GM1680",
        "GM0358",
        "GM0197",
        "GM0060",
        "GM0744",
    }
    assert dict(zip(frame["period_code"], frame["period_status"], strict=True)) == {"2023JJ00": "voorlopig"}
    # published on StatLine (85361NED): Nederland 2023*: 16.915 follow-up reports during assessment, 13,3 %
    nl = {"region_code": "NL01", "period_code": "2023JJ00", "measure": "Vervolgmelding Tijdens veiligheidsbeoordeling"}
    assert cell(frame, **nl, unit="aantal")["value"] == 16915
    assert cell(frame, **nl, unit="procent")["value"] == pytest.approx(13.3)
    # published as '.' on StatLine: Aalten (during assessment), Ameland (all four), Baarle-Nassau (after)
    suppressed = frame[frame["value"].isna()]
    assert set(zip(suppressed["region_code"], suppressed["measure"], strict=True)) == {
        ("GM0197", "Vervolgmelding Tijdens veiligheidsbeoordeling"),
        ("GM0060", "Vervolgmelding Tijdens veiligheidsbeoordeling"),
        ("GM0060", "Vervolgmelding Na veiligheidsbeoordeling"),
        ("GM0744", "Vervolgmelding Na veiligheidsbeoordeling"),
    }
    assert set(suppressed["value_status"]) == {"onbekend"} and len(suppressed) == 8


def test_85361ned_maps_onto_the_catalog_indicators_of_earlier_involvement():
    normalised = normalise_source(odata_v3.parse(TYPED), load_catalog(DATA / "catalog"), {})
    observations = normalised.observations
    assert normalised.unmapped == []
    assert len(observations) == 40
    assert set(observations["indicator_id"]) == {
        "meldingen_naar_eerdere_betrokkenheid",
        "aandeel_meldingen_naar_eerdere_betrokkenheid",
    }
    assert set(observations["category_code"]) == {
        "vervolgmelding_tijdens_veiligheidsbeoordeling",
        "vervolgmelding_na_veiligheidsbeoordeling",
    }
    nl = observations[(observations["region_code"] == "NL01") & (observations["period_code"] == "2023JJ00")]
    by_key = {(row.indicator_id, row.category_code): row.value for row in nl.itertuples()}
    # published on StatLine (85361NED), Nederland 2023*: 16.915 and 12.895 follow-up reports, 13,3 % and 10,1 %
    assert by_key == {
        ("meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_tijdens_veiligheidsbeoordeling"): 16915,
        ("meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_na_veiligheidsbeoordeling"): 12895,
        ("aandeel_meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_tijdens_veiligheidsbeoordeling"): 13.3,
        ("aandeel_meldingen_naar_eerdere_betrokkenheid", "vervolgmelding_na_veiligheidsbeoordeling"): 10.1,
    }


def add_property(position: int, record: dict) -> Callable[[Path], None]:
    return value_list("DataProperties.json", lambda v: v.insert(position, record))


def test_nested_topic_groups_are_joined_outermost_first_without_repeating_a_title(typed: Path):
    # a group above 'Vervolgmelding', and the percentages in a group of their own inside it
    add_property(2, {"ID": 10, "ParentID": None, "Type": "TopicGroup", "Key": "Meldingen", "Title": "Meldingen"})(typed)
    set_field("DataProperties.json", 3, "ParentID", 10)(typed)
    relative = {"ID": 11, "ParentID": 10, "Type": "TopicGroup", "Key": "Relatief", "Title": "Meldingen (relatief)"}
    add_property(6, relative)(typed)
    set_field("DataProperties.json", 7, "ParentID", 11)(typed)  # Tijdens veiligheidsbeoordeling (%)
    set_field("DataProperties.json", 8, "ParentID", None)(typed)  # Na veiligheidsbeoordeling (%) at the top
    frame = odata_v3.parse(typed).frame
    assert set(zip(frame["measure"], frame["unit"], strict=True)) == {
        ("Meldingen Vervolgmelding Tijdens veiligheidsbeoordeling", "aantal"),
        ("Meldingen Vervolgmelding Na veiligheidsbeoordeling", "aantal"),
        # 'Meldingen (relatief) ...' already starts with the title of its outer group 'Meldingen'
        ("Meldingen (relatief) Tijdens veiligheidsbeoordeling", "procent"),
        ("Na veiligheidsbeoordeling", "procent"),
    }


GROUP_ERRORS = {
    "topic in an unlisted group": (
        set_field("DataProperties.json", 4, "ParentID", 9),
        5,
        "ParentID",
        "group 9 is not in the TopicGroup properties of DataProperties.json",
    ),
    "topic filed under a dimension": (
        set_field("DataProperties.json", 3, "ParentID", 0),
        4,
        "ParentID",
        "group 0 is not in the TopicGroup",
    ),
    "group inside itself": (
        set_field("DataProperties.json", 2, "ParentID", 2),
        3,
        "ParentID",
        "groups enclose each other in a loop: 2 > 2",
    ),
    "group without an ID": (set_field("DataProperties.json", 2, "ID", None), 3, "ID", "expected a group id"),
    "group ID twice": (
        add_property(3, {"ID": 2, "ParentID": None, "Type": "TopicGroup", "Key": "Dubbel", "Title": "Dubbel"}),
        4,
        "ID",
        "group 2 appears twice (first at record 3 of DataProperties.json)",
    ),
}


@pytest.mark.parametrize("case", GROUP_ERRORS, ids=list(GROUP_ERRORS))
def test_malformed_topic_groups_name_the_property(typed: Path, case: str):
    change, row, column, message = GROUP_ERRORS[case]
    change(typed)
    problem = the_problem(odata_v3.parse, typed)
    assert (Path(problem.file).name, problem.row, problem.column) == ("DataProperties.json", row, column)
    assert message in problem.message


def test_source_rows_map_back_to_the_page_and_record():
    source = odata_v3.parse(UNTYPED)
    assert source.locate(1) == (UNTYPED / "UntypedDataSet.json", 1)
    assert source.locate(20) == (UNTYPED / "UntypedDataSet.json", 20)
    assert source.locate(21) == (UNTYPED / "UntypedDataSet-0002.json", 1)
    assert source.locate(33) == (UNTYPED / "UntypedDataSet-0002.json", 13)
    problem = source.problem(25, "value", "negative count")
    assert str(problem) == f"{UNTYPED / 'UntypedDataSet-0002.json'}:5:value: negative count"


def test_sniff_and_detect(snapshot: Path, tmp_path: Path):
    assert odata_v3.sniff(UNTYPED) and odata_v3.sniff(TYPED)
    assert odata_v3.sniff(UNTYPED / "UntypedDataSet.json") and odata_v3.sniff(TYPED / "TypedDataSet.json")
    assert not odata_v3.sniff(UNTYPED / "DataProperties.json")
    assert not odata_v3.sniff(FIXTURES.parent / "v4" / "84849NED" / "2025-07-01")
    assert not odata_v3.sniff(tmp_path / "nothing")
    assert detect_format(UNTYPED) == "odata_v3" and detect_format(TYPED / "TypedDataSet.json") == "odata_v3"


def test_untyped_is_preferred_over_typed(snapshot: Path):
    (snapshot / "TypedDataSet.json").write_text("{", encoding="utf-8")
    assert len(odata_v3.parse(snapshot / "TypedDataSet.json").frame) == 33


def topic(record: int, value: object, name: str = "UntypedDataSet.json") -> Callable[[Path], None]:
    return set_field(name, record, "OntvangenMeldingen_1", value)


def duplicate_record(folder: Path) -> None:
    first = json.loads((folder / "UntypedDataSet.json").read_text(encoding="utf-8"))["value"][3]
    edit(folder, "UntypedDataSet-0002.json", lambda body: body["value"].append(dict(first, ID=33)))


def remove(*names: str) -> Callable[[Path], None]:
    return lambda folder: [(folder / name).unlink() for name in names]


def truncate(name: str, keep: int) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes((folder / name).read_bytes()[:keep])


MALFORMED = {
    "truncated page": (
        truncate("UntypedDataSet-0002.json", 500),
        "UntypedDataSet-0002.json",
        18,
        None,
        "Expecting property name enclosed in double quotes (line 18, column 3)",
    ),
    "no DataProperties": (remove("DataProperties.json"), "DataProperties.json", None, None, "missing"),
    "no data set": (
        remove("UntypedDataSet.json", "UntypedDataSet-0002.json"),
        "UntypedDataSet.json",
        None,
        None,
        "no UntypedDataSet or TypedDataSet",
    ),
    "no code list": (remove("Veiligheidstaxatie.json"), "Veiligheidstaxatie.json", None, None, "missing"),
    "missing next page": (
        remove("UntypedDataSet-0002.json"),
        "UntypedDataSet.json",
        None,
        "odata.nextLink",
        "UntypedDataSet-0002.json is missing",
    ),
    "unknown category": (
        set_field("UntypedDataSet-0002.json", 4, "Veiligheidsbeoordeling", "A999999"),
        "UntypedDataSet-0002.json",
        5,
        "Veiligheidsbeoordeling",
        "code 'A999999' is not in Veiligheidsbeoordeling.json",
    ),
    "unknown region": (
        set_field("UntypedDataSet.json", 6, "RegioS", "GM0363"),
        "UntypedDataSet.json",
        7,
        "RegioS",
        "code 'GM0363' is not in RegioS.json",
    ),
    "invalid region code": (
        lambda f: [
            value_list("RegioS.json", lambda v: v.append(dict(v[0], Key="XX01  ")))(f),
            set_field("UntypedDataSet.json", 2, "RegioS", "XX01  ")(f),
        ],
        "UntypedDataSet.json",
        3,
        "RegioS",
        "not a CBS region code: 'XX01'",
    ),
    "invalid period code": (
        lambda f: [
            value_list("Perioden.json", lambda v: v.append(dict(v[0], Key="2020HJ03")))(f),
            set_field("UntypedDataSet-0002.json", 0, "Perioden", "2020HJ03")(f),
        ],
        "UntypedDataSet-0002.json",
        1,
        "Perioden",
        "not a valid CBS period code",
    ),
    "unknown period status": (
        value_list("Perioden.json", lambda v: v[3].update(Status="Herzien")),
        "Perioden.json",
        4,
        "Status",
        "unknown period status 'Herzien'",
    ),
    "Dutch decimal comma": (
        topic(8, "      12,5"),
        "UntypedDataSet.json",
        9,
        "OntvangenMeldingen_1",
        "not a number or CBS symbol",
    ),
    "unknown symbol": (
        topic(9, "       ?"),
        "UntypedDataSet.json",
        10,
        "OntvangenMeldingen_1",
        "not a number or CBS symbol",
    ),
    "number where text expected": (
        topic(1, 5, "UntypedDataSet-0002.json"),
        "UntypedDataSet-0002.json",
        2,
        "OntvangenMeldingen_1",
        "expected a number as text or a CBS symbol",
    ),
    "duplicate key": (
        duplicate_record,
        "UntypedDataSet-0002.json",
        14,
        KEY_COLUMNS,
        "same codes as record 4 of UntypedDataSet.json",
    ),
    "unknown property type": (
        value_list("DataProperties.json", lambda v: v[2].update(Type="GeoDetail")),
        "DataProperties.json",
        3,
        "Type",
        "unknown type 'GeoDetail'",
    ),
    "undescribed column": (
        set_field("UntypedDataSet.json", 0, "Extra_2", "       1"),
        "UntypedDataSet.json",
        1,
        "Extra_2",
        "not described in DataProperties.json",
    ),
    "topic missing from data": (
        value_list("UntypedDataSet.json", lambda v: v[0].pop("OntvangenMeldingen_1")),
        "UntypedDataSet.json",
        1,
        "OntvangenMeldingen_1",
        "missing from the data",
    ),
    "table id disagrees": (
        value_list("TableInfos.json", lambda v: v[0].update(Identifier="84853NED")),
        "TableInfos.json",
        1,
        "Identifier",
        "does not match its folder '84852NED'",
    ),
    "second time dimension": (
        value_list("DataProperties.json", lambda v: v[1].update(Type="TimeDimension")),
        "DataProperties.json",
        4,
        "Type",
        "a second time dimension",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_untyped_snapshots_name_file_record_and_column(snapshot: Path, case: str):
    change, file, row, column, message = MALFORMED[case]
    change(snapshot)
    problem = the_problem(odata_v3.parse, snapshot)
    assert Path(problem.file).name == file
    assert problem.row == row
    assert problem.column == column
    assert message in problem.message


TYPED_MALFORMED = {
    "text value": (
        set_field("TypedDataSet.json", 2, "TijdensVeiligheidsbeoordeling_7", "16915"),
        3,
        "TijdensVeiligheidsbeoordeling_7",
        "expected a number, found '16915'",
    ),
    "boolean value": (
        set_field("TypedDataSet.json", 4, "NaVeiligheidsbeoordeling_18", False),
        5,
        "NaVeiligheidsbeoordeling_18",
        "expected a number",
    ),
    "padded region missing from code list": (
        set_field("TypedDataSet.json", 0, "RegioS", "NL02  "),
        1,
        "RegioS",
        "code 'NL02  ' is not in RegioS.json",
    ),
}


@pytest.mark.parametrize("case", TYPED_MALFORMED, ids=list(TYPED_MALFORMED))
def test_malformed_typed_values(typed: Path, case: str):
    change, row, column, message = TYPED_MALFORMED[case]
    change(typed)
    problem = the_problem(odata_v3.parse, typed)
    assert Path(problem.file).name == "TypedDataSet.json"
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message


def test_empty_folder(tmp_path: Path):
    problem = the_problem(odata_v3.parse, tmp_path)
    assert problem.file == str(tmp_path) and "empty" in problem.message
