"""CBS codes: periods, region codes, symbols and Dutch numbers."""

from datetime import date

import pytest

from etl import codes


@pytest.mark.parametrize(
    ("code", "period_type", "start"),
    [
        ("2023JJ00", "jaar", date(2023, 1, 1)),
        ("2023HJ01", "halfjaar", date(2023, 1, 1)),
        ("2023HJ02", "halfjaar", date(2023, 7, 1)),
        ("2020KW03", "kwartaal", date(2020, 7, 1)),
        ("2021MM11", "maand", date(2021, 11, 1)),
    ],
)
def test_period_codes_parse_to_type_and_start(code, period_type, start):
    period = codes.parse_period_code(code)
    assert (period.code, period.period_type, period.start) == (code, period_type, start)


@pytest.mark.parametrize("bad", ["2023HJ03", "2023JJ01", "1900JJ00", "2023XX00", "23JJ00", "2023KW05", "", "2023jj00x"])
def test_invalid_period_codes_are_refused(bad):
    with pytest.raises(ValueError, match="period code"):
        codes.parse_period_code(bad)


@pytest.mark.parametrize(
    ("label", "code", "status"),
    [
        ("2023", "2023JJ00", "definitief"),
        ("2023*", "2023JJ00", "voorlopig"),
        ("2022**", "2022JJ00", "nader_voorlopig"),
        ("1e halfjaar 2023*", "2023HJ01", "voorlopig"),
        ("2e halfjaar 2020", "2020HJ02", "definitief"),
        ("1e kwartaal 2020", "2020KW01", "definitief"),
        ("  1e  halfjaar   2019 ", "2019HJ01", "definitief"),
    ],
)
def test_statline_period_labels(label, code, status):
    assert codes.parse_period_label(label) == (code, status)


def test_period_labels_in_both_languages():
    period = codes.parse_period_code("2024HJ02")
    assert (period.label_nl, period.label_en) == ("2e halfjaar 2024", "2nd half 2024")


def test_padded_region_codes_are_stripped_and_checked():
    assert codes.strip_region_code("NL01  ") == "NL01"
    assert codes.strip_region_code(" GM0363") == "GM0363"
    with pytest.raises(ValueError, match="region code"):
        codes.strip_region_code("XX99")
    with pytest.raises(ValueError):
        codes.strip_region_code("VT99")


@pytest.mark.parametrize(
    ("symbol", "status"),
    [(".", "onbekend"), ("x", "geheim"), ("-", "nihil"), ("", "niet_van_toepassing"), ("  .  ", "onbekend")],
)
def test_symbols_become_statuses(symbol, status):
    assert codes.symbol_status(symbol) == status


def test_value_attributes():
    assert codes.value_attribute_status("None") is None
    assert codes.value_attribute_status("Confidential") == "geheim"
    assert codes.value_attribute_status("Impossible") == "niet_van_toepassing"
    with pytest.raises(ValueError, match="ValueAttribute"):
        codes.value_attribute_status("Made-up")


@pytest.mark.parametrize(
    ("text", "value"),
    [("64.505", 64505), ("2,1", 2.1), ("127.410", 127410), ("3 670", 3670), ("100,0", 100), ("-3,5", -3.5)],
)
def test_dutch_numbers(text, value):
    assert codes.parse_dutch_number(text) == value


@pytest.mark.parametrize("text", ["64,505.5", "1.2.3,4,5", "abc", "", "12a"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        codes.parse_dutch_number(text)
