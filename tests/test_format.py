"""Number formatting for visitors in Dutch and English."""

import math

import pytest

from layouts import format as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234, 0, "nl", "1.234"),
        (1234, 0, "en", "1,234"),
        (12.5, 1, "nl", "12,5"),
        (12.5, 1, "en", "12.5"),
        (127410, 0, "nl", "127.410"),
        (1234567.891, 2, "nl", "1.234.567,89"),
        (-3.5, 1, "nl", "\u22123,5"),
        (None, 0, "nl", "–"),
        (math.nan, 0, "nl", "–"),
    ],
)
def test_numbers(value, decimals, lang, expected):
    assert fmt.number(value, decimals, lang) == expected


def test_percent_rate_and_change():
    assert fmt.percent(12.5, 1, "nl") == "12,5%"
    assert fmt.percent(12.5, 1, "en") == "12.5%"
    assert fmt.rate(7.389, "nl") == "7,4"
    assert fmt.change(110, 100, "nl") == "+10,0%"
    assert fmt.change(99, 100, "en") == "\u22121.0%"
    assert fmt.change(None, 100, "nl") is None and fmt.change(5, 0, "nl") is None


def test_missing_values_say_why():
    assert fmt.value_with_status(None, "geheim", 0, "aantal", "nl").startswith("geheim")
    assert fmt.value_with_status(math.nan, None, 0, "aantal", "en") == "not published"
    assert fmt.value_with_status(1905, "voorlopig", 0, "aantal", "nl") == "1.905*"
    assert fmt.value_with_status(31.9, "definitief", 1, "procent", "nl") == "31,9%"
