"""Veilig Thuis regional exports: the worked example, CSV and Excel deliveries, and every malformed file refused."""

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from etl.catalog import load_catalog
from etl.normalise import normalise_source
from etl.problems import InputError
from etl.reference import build_reference
from etl.sources import detect_format, parse_input
from etl.sources.vt_export import COLUMNS, parse, sniff
from tests.conftest import DATA

WORKED_EXAMPLE = DATA / "raw" / "veilig-thuis" / "VT06" / "2020-03-31" / "vt_export_gelderland_zuid_2017_2020.csv"
PUBLISHED_FIGURES = DATA / "reference" / "veilig-thuis-published" / "vt_regional_selfreported_partial.csv"
REPORT_URL = "https://5dok.net/article/conclusie-kwartaalrapportage-veilig-thuis-gelderland-zuid-januari-maart.z3dlpl57"
SOURCE_URL = "https://example.org/veilig-thuis-gelderland-zuid/jaarverslag"


def _row(**overrides: str) -> dict[str, str]:
    """A valid row of a synthetic delivery (the numbers are test data, not published figures)."""
    row = {
        "template_version": "1",
        "organisation_code": "VT06",
        "region_code": "VT06",
        "period_code": "2024HJ01",
        "measure": "Adviezen",
        "category": "",
        "value": "100",
        "value_status": "",
        "source_url": SOURCE_URL,
        "note": "",
    }
    row.update(overrides)
    return row


def _csv(folder: Path, rows: list[dict[str, str]], name: str = "vt_export_test.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _xlsx(folder: Path, rows: list[list], name: str = "vt_export_test.xlsx", title: str = "data") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    path = folder / name
    workbook.save(path)
    return path


def _raises(path: Path, row: int | None, column: str | None, fragment: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(path)
    where = f"{path}:{'' if row is None else row}:{column or ''}: "
    message = str(caught.value)
    assert where in message, message
    assert fragment in message, message
    return caught.value


def test_worked_example_holds_the_published_gelderland_zuid_figures_exactly():
    source = parse(WORKED_EXAMPLE)
    frame = source.frame
    assert source.snapshot == "2020-03-31"
    assert frame["period_code"].tolist() == ["2017JJ00", "2018JJ00", "2019JJ00", "2020KW01"]
    assert frame["value"].tolist() == [3299, 4060, 4437, 1552]
    assert set(frame["region_code"]) == {"VT06"}
    assert set(frame["table_id"]) == {"vt-export"}
    assert set(frame["measure"]) == {"Adviezen"} and set(frame["unit"]) == {"aantal"}
    assert set(frame["source_url"]) == {REPORT_URL}
    assert frame["period_status"].isna().all(), "the report states no status, so none is claimed"
    with PUBLISHED_FIGURES.open(encoding="utf-8") as handle:
        published = [r for r in csv.DictReader(handle) if r["region_label"] == "Gelderland-Zuid"]
    assert [float(r["value"]) for r in published] == frame["value"].tolist()
    assert {r["source_url"] for r in published} == {REPORT_URL}
    with WORKED_EXAMPLE.open(encoding="utf-8") as handle:
        notes = [r["note"] for r in csv.DictReader(handle)]
    assert all("REGAS" in n and "not CBS" in n and "not comparable across regions" in n for n in notes)


def test_worked_example_feeds_the_own_registration_indicator():
    catalog = load_catalog(DATA / "catalog")
    labels = build_reference(DATA / "reference", DATA / "geo").label_to_code
    observations = normalise_source(parse_input(WORKED_EXAMPLE), catalog, labels).observations
    assert set(observations["indicator_id"]) == {"eigen_registratie_adviezen"}
    assert observations["value"].tolist() == [3299, 4060, 4437, 1552]


def test_gemeenten_statuses_and_missing_values(tmp_path):
    path = _csv(
        tmp_path,
        [
            _row(value_status="voorlopig"),
            _row(region_code="GM0268", measure="Meldingen", value="0", value_status="definitief"),
            _row(region_code="GM0209", value="", value_status="geheim", source_url="intern"),
            _row(period_code="2024JJ00", value="", value_status="nihil"),
        ],
    )
    frame = parse(path).frame
    assert frame["period_status"].tolist()[:2] == ["voorlopig", "definitief"]
    assert frame["value"].tolist()[:2] == [100, 0]
    secret = frame.iloc[2]
    assert math.isnan(secret["value"]) and secret["value_status"] == "geheim" and pd.isna(secret["source_url"])
    assert frame.iloc[3]["value_status"] == "nihil"
    assert frame["source_row"].tolist() == [2, 3, 4, 5]


def test_excel_delivery_reads_like_the_csv(tmp_path):
    rows = [
        [1, "VT06", "VT06", "2024HJ01", "Adviezen", None, 100, None, SOURCE_URL, None],
        [1, "VT06", "GM0268", "2024HJ01", "Meldingen", None, 25.0, "voorlopig", SOURCE_URL, "ok"],
    ]
    path = _xlsx(tmp_path, rows)
    assert sniff(path) and detect_format(path) == "vt_export"
    frame = parse(path).frame
    assert frame["value"].tolist() == [100, 25]
    assert frame["region_code"].tolist() == ["VT06", "GM0268"]
    assert frame["period_status"].tolist()[1] == "voorlopig"


def test_excel_formula_in_the_value_column_is_refused(tmp_path):
    path = _xlsx(tmp_path, [[1, "VT06", "VT06", "2024HJ01", "Adviezen", None, "=40+60", None, SOURCE_URL, None]])
    _raises(path, 2, "value", "cell G2 holds a formula (=40+60)")


def test_excel_numbers_with_decimals_and_wrong_sheet(tmp_path):
    decimals = _xlsx(tmp_path, [[1, "VT06", "VT06", "2024HJ01", "Adviezen", None, 12.5, None, SOURCE_URL, None]])
    _raises(decimals, 2, "value", "'12.5' has decimals")
    wrong_sheet = _xlsx(tmp_path, [], name="blad.xlsx", title="Blad1")
    _raises(wrong_sheet, None, None, "the first sheet is named 'Blad1'")


def test_unreadable_workbook(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    _raises(path, None, None, "not a readable .xlsx workbook")


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"template_version": "2"}, "template_version", "expected 1, found '2'"),
        ({"organisation_code": "Gelderland-Zuid"}, "organisation_code", "expected a Veilig Thuis region code"),
        ({"region_code": "VT05"}, "region_code", "VT05 is neither the delivering organisation VT06 nor a gemeente"),
        ({"region_code": "GM268"}, "region_code", "expected the organisation's VT code or a gemeente code"),
        ({"period_code": "2024"}, "period_code", "not a CBS period code"),
        ({"period_code": "2024HJ03"}, "period_code", "not a valid CBS period code"),
        ({"period_code": "2024MM01"}, "period_code", "expected a year, half-year or quarter code"),
        ({"measure": "adviezen"}, "measure", "unknown measure 'adviezen' (allowed: Adviezen, Meldingen)"),
        ({"measure": "Gestarte adviezen"}, "measure", "unknown measure"),
        ({"category": "Totaal"}, "category", "categories are not part of template version 1"),
        ({"value": "-5"}, "value", "negative count '-5'"),
        ({"value": "12,5"}, "value", "'12,5' has decimals"),
        ({"value": "12.5"}, "value", "'12.5' has decimals"),
        ({"value": "1.552"}, "value", "'1.552' has a thousands separator"),
        ({"value": "1,552"}, "value", "'1,552' has a thousands separator"),
        ({"value": "1 552"}, "value", "'1 552' has a thousands separator"),
        ({"value": "veel"}, "value", "not a count: 'veel'"),
        ({"value": "007"}, "value", "'007' has a leading zero"),
        ({"value": ""}, "value_status", "an empty value needs a reason"),
        ({"value": "", "value_status": "voorlopig"}, "value_status", "an empty value needs a reason"),
        ({"value_status": "geheim"}, "value_status", "'geheim' is for an empty value"),
        ({"value_status": "final"}, "value_status", "unknown status 'final'"),
        ({"source_url": ""}, "source_url", "expected the http(s) address"),
        ({"source_url": "www.veiligthuis.nl"}, "source_url", "expected the http(s) address"),
    ],
)
def test_malformed_cell_names_file_row_and_column(tmp_path, overrides, column, fragment):
    path = _csv(tmp_path, [_row(), _row(**{"period_code": "2024HJ02", **overrides})])
    error = _raises(path, 3, column, fragment)
    assert all(p.row == 3 for p in error.problems)


def test_every_problem_of_a_file_is_reported(tmp_path):
    path = _csv(tmp_path, [_row(value="-1"), _row(period_code="2024HJ02", measure="X", value="1.000")])
    error = _raises(path, 2, "value", "negative count")
    assert [(p.row, p.column) for p in error.problems] == [(2, "value"), (3, "measure"), (3, "value")]


def test_one_organisation_per_file(tmp_path):
    path = _csv(tmp_path, [_row(), _row(organisation_code="VT05", region_code="VT05")])
    _raises(path, 3, "organisation_code", "VT05 differs from VT06 in row 2: one organisation per file")


def test_duplicate_region_period_measure(tmp_path):
    path = _csv(tmp_path, [_row(), _row(value="101")])
    _raises(path, 3, None, "duplicate of row 2")


def test_file_in_another_organisations_folder(tmp_path):
    folder = tmp_path / "VT05" / "2024-07-01"
    folder.mkdir(parents=True)
    _raises(_csv(folder, [_row()]), 2, "organisation_code", "VT06 delivered a file into the folder of VT05")


@pytest.mark.parametrize(
    ("header", "column", "fragment"),
    [
        (COLUMNS[:-1], "note", "missing note"),
        ((*COLUMNS, "extra"), "extra", "unexpected 'extra'"),
        (
            (
                "template_version",
                "organisation_code",
                "region_code",
                "period_code",
                "measure",
                "category",
                "waarde",
                "value_status",
                "source_url",
                "note",
            ),
            "waarde",
            "missing value; unexpected 'waarde'",
        ),
        (("organisation_code", "template_version", *COLUMNS[2:]), "organisation_code", "wrong order"),
    ],
)
def test_header_must_be_exact(tmp_path, header, column, fragment):
    path = tmp_path / "vt_export_header.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["1"] * len(header)) + "\n", encoding="utf-8")
    _raises(path, 1, column, fragment)


def test_structural_problems(tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    _raises(empty, None, None, "file is empty")
    header_only = tmp_path / "kop.csv"
    header_only.write_text(",".join(COLUMNS) + "\n\n", encoding="utf-8")
    _raises(header_only, 2, None, "no data rows below the header")
    semicolons = tmp_path / "puntkomma.csv"
    semicolons.write_text(";".join(COLUMNS) + "\n", encoding="utf-8")
    _raises(semicolons, 1, None, "the delimiter is ';'; the template uses ','")
    short = _csv(tmp_path, [_row()], name="kort.csv")
    short.write_text(short.read_text(encoding="utf-8") + "1,VT06,VT06\n", encoding="utf-8")
    _raises(short, 3, None, "expected 10 fields, found 3")
    gap = _csv(tmp_path, [_row(), _row(period_code="2024HJ02")], name="gat.csv")
    lines = gap.read_text(encoding="utf-8").splitlines()
    gap.write_text("\n".join([lines[0], lines[1], "", lines[2]]) + "\n", encoding="utf-8")
    _raises(gap, 3, None, "empty row inside the data")


def test_sniff(tmp_path):
    assert sniff(WORKED_EXAMPLE) and detect_format(WORKED_EXAMPLE) == "vt_export"
    assert not sniff(Path(__file__).parent / "fixtures" / "statline" / "84849NED_rol_functie_tabelindeling.csv")
    for curated in (DATA / "raw" / "cbs-published" / "curated").glob("*.csv"):
        assert not sniff(curated), curated
    other = _xlsx(tmp_path, [], name="ander.xlsx")
    other_book = Workbook()
    other_book.active.append(["naam", "waarde"])
    other_book.save(other)
    assert not sniff(other)


def test_excel_header_must_be_exact_too(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(list(COLUMNS[:-1]))
    sheet.append([1, "VT06", "VT06", "2024HJ01", "Adviezen", None, 100, None, SOURCE_URL])
    path = tmp_path / "kop.xlsx"
    workbook.save(path)
    error = _raises(path, 1, "note", "missing note)")
    assert "unexpected" not in str(error)
