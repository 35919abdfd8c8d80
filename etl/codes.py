"""CBS codes: periods, region codes and statistical symbols, parsed into the warehouse's vocabulary."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

# value_status vocabulary of the warehouse (DESIGN.md, tidy schema)
DEFINITIEF = "definitief"
VOORLOPIG = "voorlopig"
NADER_VOORLOPIG = "nader_voorlopig"
GEHEIM = "geheim"
ONBEKEND = "onbekend"
NIHIL = "nihil"
NIET_VAN_TOEPASSING = "niet_van_toepassing"
VALUE_STATUSES = (DEFINITIEF, VOORLOPIG, NADER_VOORLOPIG, GEHEIM, ONBEKEND, NIHIL, NIET_VAN_TOEPASSING)
PUBLISHED_STATUSES = (DEFINITIEF, VOORLOPIG, NADER_VOORLOPIG)

PERIOD_TYPES = {"JJ": "jaar", "HJ": "halfjaar", "KW": "kwartaal", "MM": "maand"}
# Codes are ASCII: re.ASCII keeps \d and \s from matching other scripts' digits ('２０２３') and spaces, which int()
# would otherwise read as a year.
_PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?P<kind>JJ|HJ|KW|MM)(?P<n>\d{2})$", re.ASCII)
_PERIOD_LABEL = re.compile(
    r"^(?:(?P<n>[1-4])e (?P<kind>halfjaar|kwartaal) )?(?P<year>\d{4})\s*(?P<marks>\*{0,2})$", re.ASCII
)
_DUTCH_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?|-?[0-9]+(,[0-9]+)?")
_REGION_CODE = re.compile(r"^(NL01|LD0[1-4]|PV(2[0-9]|3[01])|VT(0[1-9]|[12][0-9])|GM\d{4}|CR\d{2})$", re.ASCII)

REGION_LEVELS = {"NL": "land", "LD": "landsdeel", "PV": "provincie", "VT": "veilig_thuis_regio", "GM": "gemeente"}

# Symbols in StatLine cells and UntypedDataSet values (reference/cbs-formats.md)
_SYMBOL_STATUS = {".": ONBEKEND, "x": GEHEIM, "-": NIHIL, "": NIET_VAN_TOEPASSING}
# OData v4 ValueAttribute values that explain an empty Value
_VALUE_ATTRIBUTE_STATUS = {
    "Confidential": GEHEIM,
    "Impossible": NIET_VAN_TOEPASSING,
    "NotApplicable": NIET_VAN_TOEPASSING,
    "NotAvailable": ONBEKEND,
    "Unknown": ONBEKEND,
    "Nil": NIHIL,
}
MISSING_VALUE_ATTRIBUTES = tuple(_VALUE_ATTRIBUTE_STATUS)  # the ValueAttributes that say why a value is missing
# Period Status in OData code lists and '*' marks after a period label
_PERIOD_STATUS = {"definitief": DEFINITIEF, "voorlopig": VOORLOPIG, "nader voorlopig": NADER_VOORLOPIG}
_MARK_STATUS = {"": DEFINITIEF, "*": VOORLOPIG, "**": NADER_VOORLOPIG}


@dataclass(frozen=True)
class Period:
    """A CBS period: code, type, first day and Dutch label."""

    code: str
    period_type: str
    start: date
    year: int

    @property
    def label_nl(self) -> str:
        n = int(self.code[6:])
        if self.period_type == "jaar":
            return str(self.year)
        if self.period_type == "halfjaar":
            return f"{n}e halfjaar {self.year}"
        if self.period_type == "kwartaal":
            return f"{n}e kwartaal {self.year}"
        return f"{self.year}-{n:02d}"

    @property
    def label_en(self) -> str:
        n = int(self.code[6:])
        ordinal = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}
        if self.period_type == "jaar":
            return str(self.year)
        if self.period_type == "halfjaar":
            return f"{ordinal[n]} half {self.year}"
        if self.period_type == "kwartaal":
            return f"{ordinal[n]} quarter {self.year}"
        return f"{self.year}-{n:02d}"


def parse_period_code(code: str) -> Period:
    """Parse '2023JJ00', '2023HJ01', '2023KW02', '2023MM11'; raise ValueError otherwise."""
    match = _PERIOD_CODE.match(code.strip())
    if not match:
        raise ValueError(f"not a CBS period code: {code!r} ({_ascii_note(code)}expected e.g. 2023JJ00 or 2023HJ01)")
    year, kind, n = int(match["year"]), match["kind"], int(match["n"])
    valid = {"JJ": n == 0, "HJ": 1 <= n <= 2, "KW": 1 <= n <= 4, "MM": 1 <= n <= 12}[kind]
    if not valid or not 1900 < year < 2100:
        raise ValueError(f"not a valid CBS period code: {code!r}")
    month = {"JJ": 1, "HJ": 1 + 6 * (n - 1), "KW": 1 + 3 * (n - 1), "MM": n}[kind]
    return Period(f"{year}{kind}{n:02d}", PERIOD_TYPES[kind], date(year, month, 1), year)


def parse_period_label(label: str) -> tuple[str, str]:
    """Parse a StatLine period label ('1e halfjaar 2023*') into (period code, status)."""
    match = _PERIOD_LABEL.match(" ".join(label.split()))
    if not match:
        raise ValueError(
            f"not a StatLine period label: {label!r} ({_ascii_note(label)}expected e.g. '2023', '1e halfjaar 2023*')"
        )
    year, kind, n = match["year"], match["kind"], match["n"]
    code = f"{year}JJ00" if kind is None else f"{year}{'HJ' if kind == 'halfjaar' else 'KW'}{int(n):02d}"
    parse_period_code(code)
    return code, _MARK_STATUS[match["marks"]]


def _ascii_note(text: object) -> str:
    """The start of an explanation when text holds characters other than ASCII (full-width digits '２０２３')."""
    return "" if str(text).isascii() else "has non-ASCII characters; "


def period_status(text: str | None) -> str:
    """Map an OData period Status ('Voorlopig', 'Nader voorlopig', ...) to a value_status."""
    if text is None or not str(text).strip():
        return DEFINITIEF
    key = " ".join(str(text).lower().split())
    if key not in _PERIOD_STATUS:
        raise ValueError(f"unknown period status {text!r} (expected Definitief, Voorlopig or Nader voorlopig)")
    return _PERIOD_STATUS[key]


def strip_region_code(code: str) -> str:
    """Strip the padding of an OData v3 region key ('NL01  ') and check its pattern."""
    stripped = str(code).strip()
    if not _REGION_CODE.match(stripped):
        expected = "expected NL01, LDnn, PVnn, VTnn or GMnnnn"
        raise ValueError(f"not a CBS region code: {code!r} ({_ascii_note(code)}{expected})")
    return stripped


def region_level(code: str) -> str:
    """The level name of a region code ('VT09' -> 'veilig_thuis_regio')."""
    return REGION_LEVELS.get(code[:2], "overig")


def symbol_status(cell: str) -> str | None:
    """Status for a statistical symbol ('.', 'x', '-', ''), or None when the cell is not a symbol."""
    return _SYMBOL_STATUS.get(cell.strip())


def value_attribute_status(attribute: str | None) -> str | None:
    """Status for an OData v4 ValueAttribute; None for 'None' (a published value)."""
    if attribute is None or attribute == "None":
        return None
    if attribute not in _VALUE_ATTRIBUTE_STATUS:
        raise ValueError(f"unknown ValueAttribute {attribute!r}")
    return _VALUE_ATTRIBUTE_STATUS[attribute]


def parse_dutch_number(text: str) -> float:
    """Parse a Dutch-formatted number ('64.505', '2,1', '-3,5'); raise ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _DUTCH_NUMBER.fullmatch(cleaned):
        raise ValueError(f"not a number in Dutch notation: {text!r}")
    return finite_number(float(cleaned.replace(".", "").replace(",", ".")), text)


def finite_number(value: float, text: object) -> float:
    """value, or ValueError when it is infinite (digits beyond the range of a float)."""
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {str(text)[:40]!r}...")
    return value


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2025-07-01; not 2025-02-30, 2020-13-45 or 20250701): the
    name of a snapshot folder."""
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
