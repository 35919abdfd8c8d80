"""StatLine CSV downloads: every accepted layout read cell by cell, and every malformed file refused with its place."""

import math
from pathlib import Path

import pytest

from etl.catalog import load_catalog
from etl.normalise import normalise_source
from etl.problems import InputError
from etl.reference import build_reference
from etl.sources import detect_format
from etl.sources.statline_csv import parse, sniff
from tests.conftest import DATA

FIXTURES = Path(__file__).parent / "fixtures" / "statline"
ALL_FIXTURES = sorted(FIXTURES.glob("*.csv"))
TABLE_LAYOUT = FIXTURES / "84849NED_rol_functie_tabelindeling.csv"
ISO_LAYOUT = FIXTURES / "84852NED_veiligheid_2020_iso8859.csv"
FLAT_LAYOUT = FIXTURES / "84851NED_aard_geweld_drenthe.csv"
STATWEB_LAYOUT = FIXTURES / "85361NED_eerdere_betrokkenheid_statweb.csv"
WITHOUT_SYMBOLS = FIXTURES / "85361NED_zonder_symbolen.csv"


def _cell(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0]


def _write(folder: Path, name: str, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _q(*cells: str) -> str:
    return ";".join(f'"{cell}"' for cell in cells)


def _flat(*data_rows: str, title: str = "Huiselijk geweld; kerncijfers Veilig Thuis, regio") -> list[str]:
    """A small flat-layout download of 84847NED with the given data rows."""
    header = _q("Regio's", "Perioden", "Gestarte adviezen (aantal)", "Ontvangen meldingen (aantal)")
    return [_q(title), header, *data_rows, _q("Bron: CBS")]


def _raises(path: Path, row: int | None, column: str | None, fragment: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(path)
    where = f"{path}:{'' if row is None else row}:{column or ''}: "
    message = str(caught.value)
    assert where in message, message
    assert fragment in message, message
    return caught.value


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[p.name for p in ALL_FIXTURES])
def test_every_fixture_is_recognised_as_statline_csv(path):
    assert sniff(path)
    assert detect_format(path) == "statline_csv"


def test_table_layout_with_a_category_dimension_across_the_columns():
    source = parse(TABLE_LAYOUT)
    frame = source.frame
    assert source.title == "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio"
    assert source.warnings == []
    assert len(frame) == 3 * 6
    assert set(frame["table_id"]) == {"84849NED"}
    assert source.dimension_columns == ["dim:Kenmerken adviezen/meldingen"]
    total = _cell(
        frame, region_label="Nederland", measure="Gestarte adviezen", **{"dim:Kenmerken adviezen/meldingen": "Totaal"}
    )
    assert total["value"] == 143_210
    assert (total["unit"], total["period_code"], total["period_status"]) == ("aantal", "2023JJ00", "voorlopig")
    assert total["source_row"] == 5
    suppressed = _cell(
        frame,
        region_label="Assen",
        measure="Ontvangen meldingen",
        **{"dim:Kenmerken adviezen/meldingen": "Kinderopvang"},
    )
    assert math.isnan(suppressed["value"]) and suppressed["value_status"] == "onbekend"
    drenthe = _cell(
        frame,
        region_label="Drenthe (VT)",
        measure="Ontvangen meldingen",
        **{"dim:Kenmerken adviezen/meldingen": "Niet beroepsmatig totaal"},
    )
    assert drenthe["value"] == 195 and drenthe["source_row"] == 7


def test_iso_8859_1_download_keeps_fryslan_and_reads_half_years_and_the_year():
    source = parse(ISO_LAYOUT)
    frame = source.frame
    assert any("ISO-8859-1" in warning for warning in source.warnings)
    friesland = frame[frame["region_label"] == "Fryslân (PV)"].set_index("period_code")["value"].to_dict()
    assert friesland == {"2020HJ01": 1_990, "2020HJ02": 2_255, "2020JJ00": 4_245}
    assert set(frame["period_status"]) == {"definitief"}
    assert set(frame["period_label"]) == {"1e halfjaar 2020", "2e halfjaar 2020", "2020"}
    assert source.dimension_columns == ["dim:Veiligheidstaxatie", "dim:Veiligheidsbeoordeling"]
    assert _cell(frame, region_label="Nederland", period_code="2020JJ00")["value"] == 127_410


def test_flat_layout_takes_units_from_the_topic_titles():
    frame = parse(FLAT_LAYOUT).frame
    assert set(frame["measure"]) == {
        "Gestarte adviezen",
        "Ontvangen meldingen",
        "Casussen met ontvangen melding(en)",
        "Afgeronde diensten onderzoek",
        "Afgeronde diensten voorwaarden en verv..",
    }
    assert set(frame["unit"]) == {"aantal"}
    dim = "dim:Kenmerken adviezen, meldingen, diensten"
    cases = _cell(frame, region_label="Midden-Drenthe", measure="Casussen met ontvangen melding(en)", **{dim: "Totaal"})
    assert cases["value"] == 80
    elderly = frame[frame[dim] == "Ouderenmishandeling (ouder dan 65 jaar)"]
    assert len(elderly) == 5 and set(elderly["value_status"]) == {"onbekend"}


def test_statweb_layout_joins_topic_groups_and_accepts_the_copyright_footer():
    source = parse(STATWEB_LAYOUT)
    assert source.warnings == []
    amsterdam = source.frame[source.frame["region_label"] == "Amsterdam"].set_index("measure")["value"].to_dict()
    assert amsterdam == {
        "Ontvangen meldingen, totaal": 8_975,
        "1e melding, geen betrokkenen bekend VT": 2_895,
        "Hermelding Totaal": 3_105,
        "Hermelding Meerdere betrokkenen al bekend bij VT": 2_675,
        "Hermelding Eén betrokkene al bekend bij VT": 425,
        "Vervolgmelding tijdens betrokkenheid VT Totaal": 2_955,
        "Melding niet ingedeeld": 20,
    }


def test_download_without_symbols_or_source_row_is_read_with_a_warning():
    source = parse(WITHOUT_SYMBOLS)
    assert source.title is None
    assert source.warnings == ["no closing 'Bron: CBS' row after row 3: the download may be incomplete"]
    share = _cell(source.frame, region_label="Amsterdam", measure="1e melding, geen betrokkenen bekend VT")
    assert (share["value"], share["unit"]) == (32.3, "procent")
    count = _cell(source.frame, region_label="Nederland", measure="Ontvangen meldingen, totaal", unit="aantal")
    assert count["value"] == 127_340


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[p.name for p in ALL_FIXTURES])
def test_every_fixture_maps_onto_catalog_indicators_and_known_regions(path):
    catalog = load_catalog(DATA / "catalog")
    labels = build_reference(DATA / "reference", DATA / "geo").label_to_code
    normalised = normalise_source(parse(path), catalog, labels)
    assert normalised.unmapped == []
    assert len(normalised.observations) >= len(parse(path).frame)


def test_symbols_and_provisional_marks(tmp_path):
    # numbers: national totals of the Impactmonitor 2022 (figure 4.1); the Assen symbols are constructed (no number)
    path = _write(
        tmp_path,
        "84847NED_symbolen.csv",
        _flat(
            _q("Nederland", "1e halfjaar 2022*", "66.155", "59.985"),
            _q("Assen", "1e halfjaar 2023*", ".", "x"),
            _q("Assen", "2022**", "-", ""),
            _q("NL01", "1e halfjaar 2021", "67.545", "60.880"),
        ),
    )
    frame = parse(path).frame
    provisional = _cell(frame, region_label="Nederland", measure="Ontvangen meldingen")
    assert provisional["value"] == 59_985
    assert (provisional["period_code"], provisional["period_status"]) == ("2022HJ01", "voorlopig")
    secret = _cell(frame, region_label="Assen", period_code="2023HJ01", measure="Ontvangen meldingen")
    assert math.isnan(secret["value"]) and secret["value_status"] == "geheim"
    assert secret["period_status"] == "voorlopig"
    nil = _cell(frame, region_label="Assen", period_code="2022JJ00", measure="Gestarte adviezen")
    assert nil["value_status"] == "nihil" and nil["period_status"] == "nader_voorlopig"
    empty = _cell(frame, region_label="Assen", period_code="2022JJ00", measure="Ontvangen meldingen")
    assert empty["value_status"] == "niet_van_toepassing"
    coded = _cell(frame, region_code="NL01", measure="Gestarte adviezen")
    assert coded["value"] == 67_545 and coded["period_status"] == "definitief"
    assert frame.loc[frame["region_code"] == "NL01", "value_status"].isna().all()


def test_category_row_and_units_row_below_the_names_row(tmp_path):
    lines = [
        _q("Huiselijk geweld; rol/functie, organisatie, duur geweld, regio"),
        _q("Regio's", "Perioden", "Gestarte adviezen", "Gestarte adviezen"),
        _q("Kenmerken adviezen/meldingen", "", "Totaal", "Beroepsmatig totaal"),
        _q("", "", "aantal", "aantal"),
        _q("Leeuwarden", "2020*", "1.385", "780"),
        _q("Bron: CBS"),
    ]
    frame = parse(_write(tmp_path, "84849NED_leeuwarden.csv", lines)).frame
    row = _cell(frame, **{"dim:Kenmerken adviezen/meldingen": "Beroepsmatig totaal"})
    assert (row["measure"], row["unit"], row["value"], row["source_row"]) == ("Gestarte adviezen", "aantal", 780, 5)


def test_table_id_from_the_title_row_when_the_file_name_has_none(tmp_path):
    lines = _flat(_q("Nederland", "2023*", "143.210", "127.340"), title="Kerncijfers Veilig Thuis (84847NED)")
    assert set(parse(_write(tmp_path, "download.csv", lines)).frame["table_id"]) == {"84847NED"}


def test_comma_separated_file_names_the_delimiter(tmp_path):
    lines = [
        '"Huiselijk geweld; kerncijfers Veilig Thuis, regio"',
        '"Regio\'s","Perioden","Gestarte adviezen (aantal)"',
        '"Nederland","2023*","143.210"',
        '"Bron: CBS"',
    ]
    path = _write(tmp_path, "84847NED_komma.csv", lines)
    assert sniff(path), "recognised so that parse can explain the delimiter"
    _raises(path, 1, None, "the delimiter is not ';': the fields are separated by ','")


def test_text_in_a_numeric_cell_names_row_and_column_title(tmp_path):
    text = TABLE_LAYOUT.read_text(encoding="utf-8-sig").replace('"285"', '"ca. 285"')
    path = tmp_path / TABLE_LAYOUT.name
    path.write_text(text, encoding="utf-8-sig")
    _raises(path, 6, "Gestarte adviezen / Niet beroepsmatig totaal", "not a number or a StatLine symbol: 'ca. 285'")


def test_every_bad_cell_is_reported_at_once(tmp_path):
    path = _write(
        tmp_path,
        "84847NED_fouten.csv",
        _flat(_q("Nederland", "2023*", "veel", "1"), _q("Assen", "2023*", "1", "weinig")),
    )
    error = _raises(path, 3, "Gestarte adviezen (aantal)", "'veel'")
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "Gestarte adviezen (aantal)"),
        (4, "Ontvangen meldingen (aantal)"),
    ]


def test_row_with_the_wrong_number_of_fields(tmp_path):
    path = _write(tmp_path, "84847NED_velden.csv", _flat(_q("Nederland", "2023*", "1"), _q("Assen", "2023*", "1", "2")))
    _raises(path, 3, None, "expected 4 fields like the header, found 3")


def test_missing_table_id_fails_clearly(tmp_path):
    path = _write(
        tmp_path, "Huiselijk_geweld__kerncijfers_14022025_101010.csv", _flat(_q("Nederland", "2023*", "1", "2"))
    )
    _raises(path, 1, None, "no CBS table id in the file name or the title row")


def test_table_id_in_name_and_title_must_agree(tmp_path):
    lines = _flat(_q("Nederland", "2023*", "1", "2"), title="Huiselijk geweld (84849NED)")
    _raises(_write(tmp_path, "84847NED_x.csv", lines), 1, None, "names table 84847NED but the title row names 84849NED")


def test_header_without_perioden(tmp_path):
    lines = [_q("Titel 84847NED"), _q("Regio's", "Jaar", "Gestarte adviezen (aantal)"), _q("Nederland", "2023", "1")]
    _raises(
        _write(tmp_path, "84847NED_geen_perioden.csv", lines), 2, None, "no header row names the 'Perioden' dimension"
    )


def test_bad_period_label_and_empty_region_label(tmp_path):
    path = _write(
        tmp_path,
        "84847NED_labels.csv",
        _flat(_q("Nederland", "2023 (voorlopig)", "1", "2"), _q("", "2023", "1", "2")),
    )
    error = _raises(path, 3, "Perioden", "not a StatLine period label: '2023 (voorlopig)'")
    assert str(error.problems[1]) == f"{path}:4:Regio's: empty label"


def test_duplicate_row(tmp_path):
    path = _write(
        tmp_path, "84847NED_dubbel.csv", _flat(_q("Nederland", "2023*", "1", "2"), _q("Nederland", "2023", "1", "2"))
    )
    _raises(path, 4, None, "same dimension categories as row 3")


def test_units_row_must_agree_with_the_unit_in_the_title(tmp_path):
    lines = [
        _q("Titel"),
        _q("Regio's", "Perioden", "Gestarte adviezen (aantal)"),
        _q("", "", "%"),
        _q("Nederland", "2023", "1"),
    ]
    _raises(_write(tmp_path, "84847NED_eenheid.csv", lines), 3, "Gestarte adviezen (aantal)", "unit '%' disagrees")


def test_header_without_units_cannot_be_split(tmp_path):
    lines = [_q("Titel"), _q("Regio's", "Perioden", "Gestarte adviezen"), _q("Nederland", "2023", "1")]
    _raises(_write(tmp_path, "84847NED_zonder_eenheid.csv", lines), 2, None, "cannot tell row dimensions from topics")


@pytest.mark.parametrize("row_dimensions", [["Regio's"], ["Regio's", "Kenmerken adviezen/meldingen"]])
def test_periods_across_the_columns_are_refused(tmp_path, row_dimensions):
    padding = [""] * (len(row_dimensions) - 1)
    lines = [
        _q("Huiselijk geweld; kerncijfers Veilig Thuis, regio"),
        _q("Onderwerp", *padding, "Gestarte adviezen", "Gestarte adviezen"),
        _q("Perioden", *padding, "2022", "2023*"),
        _q(*row_dimensions, "aantal", "aantal"),
        _q("Nederland", *["Totaal"] * len(padding), "1", "2"),
    ]
    path = _write(tmp_path, "84847NED_perioden_kolommen.csv", lines)
    _raises(path, 3, "Perioden", "periods run across the columns")


def test_header_only_file_has_no_data_rows(tmp_path):
    _raises(_write(tmp_path, "84847NED_leeg.csv", _flat()), 2, None, "no data rows below the header")


def test_empty_and_blank_files(tmp_path):
    empty = tmp_path / "84847NED_leeg.csv"
    empty.write_bytes(b"")
    _raises(empty, None, None, "file is empty")
    blank = _write(tmp_path, "84847NED_blanco.csv", ["", ""])
    _raises(blank, 1, None, "no ';'-separated fields")


def test_non_utf8_file_that_is_not_statline_keeps_the_utf8_error(tmp_path):
    path = tmp_path / "84847NED_iets.csv"
    path.write_bytes("naam;plaats\nJosé;Fryslân\n".encode("iso-8859-1"))
    _raises(path, 2, None, "not valid UTF-8")


def test_utf16_file_is_refused(tmp_path):
    path = tmp_path / "84847NED_utf16.csv"
    path.write_bytes("\n".join(_flat(_q("Nederland", "2023", "1", "2"))).encode("utf-16"))
    _raises(path, 1, None, "UTF-16")


def test_sniff_leaves_other_formats_alone(tmp_path):
    assert not sniff(DATA / "raw" / "veilig-thuis" / "VT06" / "2020-03-31" / "vt_export_gelderland_zuid_2017_2020.csv")
    for curated in (DATA / "raw" / "cbs-published" / "curated").glob("*.csv"):
        assert not sniff(curated), curated
    text = tmp_path / "84847NED.txt"
    text.write_text("\n".join(_flat(_q("Nederland", "2023", "1", "2"))), encoding="utf-8")
    assert not sniff(text)
    other = tmp_path / "ander.csv"
    other.write_text("naam;plaats\nJan;Assen\n", encoding="utf-8")
    assert not sniff(other)


def test_footnote_among_the_data_and_a_missing_region_dimension(tmp_path):
    lines = _flat(_q("Nederland", "2023*", "1", "2"), _q("1) Voorlopige cijfers"))
    _raises(
        _write(tmp_path, "84847NED_voetnoot.csv", lines), 4, None, "text row '1) Voorlopige cijfers' among the data"
    )
    national = [_q("Titel"), _q("Perioden", "Gestarte adviezen (aantal)"), _q("2023", "1"), _q("Bron: CBS")]
    _raises(_write(tmp_path, "84847NED_landelijk.csv", national), 2, None, "expected one region dimension")
