"""Raw inputs dropped into the raw folder: every valid fixture builds and agrees with the curated figures, and every
malformed input fails the command-line build naming its file and row, leaving the published build untouched."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from config import PROJECT_ROOT, Settings
from etl.build import build
from etl.publish import current_build_dir
from tests.conftest import DATA, tree_checksum

FIXTURES = Path(__file__).parent / "fixtures"
ODATA_SNAPSHOTS = {
    FIXTURES / "odata" / "v4" / "84849NED" / "2025-07-01": "odata_v4",
    FIXTURES / "odata" / "v3" / "84852NED" / "2025-07-01": "odata_v3",
    FIXTURES / "odata" / "v3" / "85361NED" / "2025-07-01": "odata_v3",
    FIXTURES / "odata" / "v4" / "85361NED" / "2025-06-30": "odata_v4",
}
STATLINE = sorted((FIXTURES / "statline").glob("*.csv"))
VT_EXPORT = FIXTURES / "vt_export" / "vt_export_gelderland_zuid_2019_2020.csv"
CURATED = DATA / "raw" / "cbs-published" / "curated"
CSV_SNAPSHOT = "2025-07-02"  # StatLine downloads get their own date folder: an OData snapshot folder holds only JSON
VT_SNAPSHOT = "2020-03-31"  # the worked example's snapshot: the report covers January to March 2020
_TABLE_ID = re.compile(r"^\d{5}NED")


def run_build(settings: Settings) -> subprocess.CompletedProcess:
    """`python -m etl build --quiet` on the settings' folders, as an operator runs it."""
    env = {
        **os.environ,
        "HGKM_DATASET": settings.dataset,
        "HGKM_DATA_DIR": str(settings.data_dir),
        "HGKM_WAREHOUSE_DIR": str(settings.warehouse_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "etl", "build", "--quiet"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def published_manifest(settings: Settings) -> dict:
    folder = current_build_dir(settings.warehouse_dir)
    assert folder is not None, "nothing published"
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def place(raw: Path, relative: str, data: bytes) -> Path:
    path = raw / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def drop_valid_fixtures(raw: Path) -> dict[Path, str]:
    """Copy every valid fixture into raw in the documented layout; returns each dropped input and its format."""
    dropped: dict[Path, str] = {}
    for snapshot, format_name in ODATA_SNAPSHOTS.items():
        target = raw / "cbs" / snapshot.parent.name / snapshot.name
        shutil.copytree(snapshot, target)
        dropped[target] = format_name
    for download in STATLINE:
        table_id = _TABLE_ID.match(download.name).group(0)
        target = place(raw, f"cbs/{table_id}/{CSV_SNAPSHOT}/{download.name}", download.read_bytes())
        dropped[target] = "statline_csv"
    target = place(raw, f"veilig-thuis/VT06/{VT_SNAPSHOT}/{VT_EXPORT.name}", VT_EXPORT.read_bytes())
    dropped[target] = "vt_export"
    return dropped


def test_every_valid_fixture_dropped_into_the_raw_folder_builds_and_agrees(private_data: Settings):
    build(private_data, progress=False)
    before = published_manifest(private_data)

    dropped = drop_valid_fixtures(private_data.raw_dir)
    result = run_build(private_data)

    # the build fails on any number two sources publish differently, so success proves the fixtures agree
    assert result.returncode == 0, result.stderr
    manifest = published_manifest(private_data)
    formats = {item["path"]: item["format"] for item in manifest["inputs"]}
    assert len(formats) == len(before["inputs"]) + len(dropped)
    for path, format_name in dropped.items():
        assert formats[str(path.relative_to(private_data.data_dir))] == format_name, path
    assert manifest["duplicates_agreed"] > before["duplicates_agreed"]
    # OData measures are titled after their groups as StatLine shows them, so every cell of both 85361NED exports
    # maps onto the catalog (the total of reports received onto two indicators)
    inputs = {item["path"]: item for item in manifest["inputs"]}
    for snapshot, observations in (("raw/cbs/85361NED/2025-06-30", 46), ("raw/cbs/85361NED/2025-07-01", 40)):
        assert inputs[snapshot]["observations"] == observations, inputs[snapshot]
        assert inputs[snapshot]["unmapped"] == [], inputs[snapshot]


# ---------------------------------------------------------------------------------------------------------------
# The malformed corpus: each maker drops one bad input into the raw folder and returns the file the error must
# name, the row it must name (None where the format has no rows) and a fragment of the message.

Maker = Callable[[Path], tuple[Path, int | None, str]]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv_text(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def statline_comma_separated(raw: Path) -> tuple[Path, int | None, str]:
    text = (FIXTURES / "statline" / "84849NED_rol_functie_tabelindeling.csv").read_text(encoding="utf-8-sig")
    path = place(raw, "cbs/84849NED/2025-07-03/84849NED_komma.csv", text.replace(";", ",").encode("utf-8-sig"))
    return path, 1, "the delimiter is not ';'"


def vt_export_without_value_column(raw: Path) -> tuple[Path, int | None, str]:
    rows = _rows(VT_EXPORT.read_text(encoding="utf-8"))
    drop = rows[0].index("value")
    data = _csv_text([row[:drop] + row[drop + 1 :] for row in rows])
    return place(raw, "veilig-thuis/VT06/2020-04-01/vt_export_zonder_value.csv", data), 1, "missing value"


def curated_without_value_raw(raw: Path) -> tuple[Path, int | None, str]:
    rows = _rows((CURATED / "84853NED.csv").read_text(encoding="utf-8"))
    drop = rows[0].index("value_raw")
    data = _csv_text([row[:drop] + row[drop + 1 :] for row in rows])
    # without value_raw the file no longer looks like a curated CSV: the build says so on its header row
    return place(raw, "cbs-published/curated/84853NED_zonder_value_raw.csv", data), 1, "missing column(s): value_raw"


def odata_v4_region_listed_nowhere(raw: Path) -> tuple[Path, int | None, str]:
    folder = raw / "cbs" / "84849NED" / "2025-07-01"
    shutil.copytree(FIXTURES / "odata" / "v4" / "84849NED" / "2025-07-01", folder)
    page = folder / "Observations.json"
    body = json.loads(page.read_text(encoding="utf-8"))
    body["value"][6]["RegioS"] = "XX99"
    page.write_text(json.dumps(body), encoding="utf-8")
    return page, 7, "'XX99' is not in RegioSCodes.json"


def _curated_row_with_unknown_label(raw: Path, with_code: bool) -> tuple[Path, int | None, str]:
    header, *body = _rows((CURATED / "84849NED.csv").read_text(encoding="utf-8"))
    code = header.index("region_code_derived")
    row = next(r for r in body if bool(r[code]) == with_code)
    row[header.index("region_label")] = "Atlantis"
    path = place(raw, "cbs-published/curated/84849NED_onbekende_regio.csv", _csv_text([header, row]))
    return path, 2, "unknown region 'Atlantis'"


def curated_unknown_region_label(raw: Path) -> tuple[Path, int | None, str]:
    return _curated_row_with_unknown_label(raw, with_code=False)


def curated_unknown_region_label_with_a_code(raw: Path) -> tuple[Path, int | None, str]:
    return _curated_row_with_unknown_label(raw, with_code=True)


def statline_text_in_a_number(raw: Path) -> tuple[Path, int | None, str]:
    text = (FIXTURES / "statline" / "84851NED_aard_geweld_drenthe.csv").read_text(encoding="utf-8-sig")
    text = text.replace('"130"', '"veel"', 1)
    path = place(raw, "cbs/84851NED/2025-07-03/84851NED_veel.csv", text.encode("utf-8-sig"))
    return path, _line_of(text, '"veel"'), "not a number or a StatLine symbol: 'veel'"


def vt_export_repeated_row(raw: Path) -> tuple[Path, int | None, str]:
    lines = VT_EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    data = "".join([*lines[:2], lines[1], *lines[2:]]).encode("utf-8")
    return place(raw, "veilig-thuis/VT06/2020-04-01/vt_export_dubbel.csv", data), 3, "duplicate of row 2"


def odata_v4_truncated_page(raw: Path) -> tuple[Path, int | None, str]:
    folder = raw / "cbs" / "84849NED" / "2025-07-01"
    shutil.copytree(FIXTURES / "odata" / "v4" / "84849NED" / "2025-07-01", folder)
    page = folder / "Observations.json"
    data = page.read_bytes()
    half = data[: len(data) // 2]
    page.write_bytes(half)
    return page, half.count(b"\n") + 1, "invalid JSON"


def empty_file(raw: Path) -> tuple[Path, int | None, str]:
    return place(raw, "cbs/84849NED/2025-07-03/84849NED_leeg.csv", b""), None, "file is empty"


def statline_utf16(raw: Path) -> tuple[Path, int | None, str]:
    text = (FIXTURES / "statline" / "84851NED_aard_geweld_drenthe.csv").read_text(encoding="utf-8-sig")
    # no parser recognises UTF-16 bytes, so the build names the file at its first row
    return place(raw, "cbs/84851NED/2025-07-03/84851NED_utf16.csv", text.encode("utf-16")), 1, "file is UTF-16"


def curated_iso_8859_1(raw: Path) -> tuple[Path, int | None, str]:
    text = (CURATED / "84852NED.csv").read_text(encoding="utf-8")
    path = place(raw, "cbs-published/curated/84852NED_latin1.csv", text.encode("iso-8859-1"))
    return path, _line_of(text, "Fryslân"), "not valid UTF-8"


def vt_export_excel_formula(raw: Path) -> tuple[Path, int | None, str]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    for row in _rows(VT_EXPORT.read_text(encoding="utf-8")):
        sheet.append(row)
    sheet["G3"] = "=1500+52"  # the formula is the fault, not the number
    path = raw / "veilig-thuis" / "VT06" / "2020-04-01" / "vt_export_formule.xlsx"
    path.parent.mkdir(parents=True)
    workbook.save(path)
    return path, 3, "cell G3 holds a formula"


def conflicting_publication(raw: Path) -> tuple[Path, int | None, str]:
    # 99.999 is no published figure (CBS rounds to multiples of 5): 84852NED, the catalog's first source of this
    # number, and the Impactmonitor both publish 64.505 reports for Nederland in the first half of 2020
    lines = [
        '"Huiselijk geweld; rol/functie, organisatie, duur geweld, regio"',
        '"Kenmerken adviezen/meldingen";"Regio\'s";"Perioden";"Ontvangen meldingen (aantal)"',
        '"Totaal";"Nederland";"1e halfjaar 2020";"99.999"',
        '"Bron: CBS"',
    ]
    path = place(raw, "cbs/84849NED/2025-07-03/84849NED_tegenstrijdig.csv", "\r\n".join(lines).encode("utf-8-sig"))
    return path, 3, "99999 (definitief) conflicts with 64505 (definitief)"


def _edit_json(path: Path, change: Callable[[list], None]) -> None:
    body = json.loads(path.read_text(encoding="utf-8"))
    change(body["value"])
    path.write_text(json.dumps(body), encoding="utf-8")


def odata_v4_duplicate_key_on_a_later_page(raw: Path) -> tuple[Path, int | None, str]:
    folder = raw / "cbs" / "84849NED" / "2025-07-01"
    shutil.copytree(FIXTURES / "odata" / "v4" / "84849NED" / "2025-07-01", folder)
    # a second category titled 'Totaal' passes the parser (its codes differ) but maps onto the same key
    _edit_json(folder / "KenmerkenAdviezenMeldingenCodes.json", lambda v: v.append(dict(v[0], Identifier="T001085")))
    twin = {"KenmerkenAdviezenMeldingen": "T001085", "RegioS": "NL01", "Perioden": "2023JJ00"}
    _edit_json(folder / "Observations-0002.json", lambda v: v[8].update(twin))
    return folder / "Observations-0002.json", 7, "appears more than once in this file"


def odata_v4_conflict_on_a_later_page(raw: Path) -> tuple[Path, int | None, str]:
    folder = raw / "cbs" / "85361NED" / "2025-06-30"
    shutil.copytree(FIXTURES / "odata" / "v4" / "85361NED" / "2025-06-30", folder)
    # Amsterdam, follow-up reports during involvement, 2023*: published as 2.955, also in the curated 85361NED.csv
    _edit_json(folder / "Observations-0002.json", lambda v: v[0].update(Value=1.0))
    text = (CURATED / "85361NED.csv").read_text(encoding="utf-8")
    line = _line_of(text, "GM0363,2023*,2023JJ00,1,Vervolgmelding tijdens betrokkenheid VT Totaal (aantal)")
    # the snapshot comes first in the raw folder, so the curated row is the one refused, naming the page and record
    page = folder / "Observations-0002.json"
    return raw / "cbs-published" / "curated" / "85361NED.csv", line, f"conflicts with 1 (voorlopig) in {page}:1\n"


MALFORMED = [
    pytest.param(statline_comma_separated, id="wrong delimiter: StatLine CSV with ','"),
    pytest.param(vt_export_without_value_column, id="missing column: VT export without value"),
    pytest.param(curated_without_value_raw, id="missing column: curated CSV without value_raw"),
    pytest.param(odata_v4_region_listed_nowhere, id="unknown region code: v4 Observations with XX99"),
    pytest.param(curated_unknown_region_label, id="unknown region: curated row with an unknown label"),
    pytest.param(
        curated_unknown_region_label_with_a_code, id="unknown region: curated row with an unknown label and a code"
    ),
    pytest.param(statline_text_in_a_number, id="non-numeric value: StatLine 'veel'"),
    pytest.param(vt_export_repeated_row, id="duplicate key: VT export with a repeated row"),
    pytest.param(odata_v4_truncated_page, id="truncated JSON: v4 Observations.json cut in half"),
    pytest.param(empty_file, id="empty file"),
    pytest.param(statline_utf16, id="wrong encoding: UTF-16 StatLine CSV"),
    pytest.param(curated_iso_8859_1, id="wrong encoding: ISO-8859-1 curated CSV"),
    pytest.param(vt_export_excel_formula, id="Excel VT export with a formula"),
    pytest.param(conflicting_publication, id="conflicting duplicate across sources"),
    pytest.param(odata_v4_duplicate_key_on_a_later_page, id="duplicate key after parsing: v4 Observations page 2"),
    pytest.param(odata_v4_conflict_on_a_later_page, id="conflict with a record on v4 Observations page 2"),
]


@pytest.mark.parametrize("make", MALFORMED)
def test_malformed_input_fails_the_build_naming_file_and_row(private_data: Settings, make: Maker):
    build(private_data, progress=False)
    published = tree_checksum(private_data.warehouse_dir)

    path, row, fragment = make(private_data.raw_dir)
    result = run_build(private_data)

    assert result.returncode == 1, result.stdout + result.stderr
    where = f"{path}:{'' if row is None else row}:"
    assert where in result.stderr, result.stderr
    assert fragment in result.stderr, result.stderr
    assert "nothing was published" in result.stderr
    assert tree_checksum(private_data.warehouse_dir) == published
