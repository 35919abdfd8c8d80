"""Strict validation of API query parameters: each problem becomes an ApiError saying what was wrong and allowed."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date

from werkzeug.datastructures import MultiDict

from etl.codes import Period, parse_period_code

ROW_CAP = 50_000  # rows per observations response; larger results are paged with limit/offset
MAX_AGE = 300  # seconds clients and proxies may reuse a response without asking again
MAX_VALUE_LENGTH = 3000  # characters of one parameter value; longer values are refused before any parsing
MAX_OFFSET = 999_999_999  # rows an observations request may skip
MAX_REGIONS = 400  # codes in one `region` list (every gemeente of a classification fits)
MAX_ALLOWED_LISTED = 50  # an error lists the allowed values only when there are at most this many
# Matched against whole values (fullmatch): with "^...$" a value ending in a newline would pass.
_REGION_CODE = re.compile(r"[A-Z]{2}[0-9]{2,4}")
_YEAR = re.compile(r"[0-9]{4}")
_INTEGER = re.compile(r"[0-9]{1,9}")


class ApiError(Exception):
    """A client error: HTTP status, message, the offending parameter and (when short) the allowed values."""

    def __init__(self, message: str, parameter: str | None = None, allowed: Iterable[str] | None = None, status=400):
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.allowed = sorted(allowed) if allowed is not None else None
        self.status = status

    def body(self) -> dict:
        body: dict = {"error": self.message, "parameter": self.parameter}
        if self.allowed is not None and len(self.allowed) <= MAX_ALLOWED_LISTED:
            body["allowed"] = self.allowed
        return body


def _shown(value: str) -> str:
    """A value quoted for an error message, cut short so an error never echoes a huge input."""
    return repr(value if len(value) <= 40 else value[:40] + "...")


def single_values(args: MultiDict, allowed: Collection[str]) -> dict[str, str]:
    """The query parameters as one value each; unknown, repeated, empty or oversized parameters are errors."""
    for name in args:
        if name not in allowed:
            raise ApiError(f"unknown parameter {_shown(name)}", name[:40], allowed)
    values = {}
    for name, items in args.lists():
        if len(items) > 1:
            raise ApiError(f"parameter {name!r} is given {len(items)} times; give it once", name, allowed)
        value = items[0]
        if len(value) > MAX_VALUE_LENGTH:
            raise ApiError(
                f"parameter {name!r} is too long ({len(value)} characters, at most {MAX_VALUE_LENGTH})", name
            )
        if value == "":
            raise ApiError(f"parameter {name!r} is empty; leave it out or give a value", name)
        values[name] = value
    return values


def choice(values: dict[str, str], name: str, allowed: Collection[str], default: str | None = None) -> str | None:
    """One value from a known list (or the default when the parameter is absent)."""
    value = values.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(f"{name} {_shown(value)} is not one of the allowed values", name, allowed)
    return value


def required(values: dict[str, str], name: str, allowed: Collection[str], hint: str) -> str:
    """A value from a known list that must be given."""
    if name not in values:
        raise ApiError(f"parameter {name!r} is required ({hint})", name, allowed)
    return choice(values, name, allowed)


def regions(values: dict[str, str], known: Collection[str]) -> tuple[str, ...] | None:
    """`region`: one region code or a comma-separated list of them, each known in a shipped classification."""
    value = values.get("region")
    if value is None:
        return None
    codes = value.split(",")
    if len(codes) > MAX_REGIONS:
        raise ApiError(f"region lists {len(codes)} codes; at most {MAX_REGIONS}", "region")
    for code in codes:
        if not _REGION_CODE.fullmatch(code):
            raise ApiError(
                f"region {_shown(code)} is not a region code (e.g. NL01, PV27, VT09, GM0363; comma-separated)", "region"
            )
        if code not in known:
            raise ApiError(f"region {code!r} is not a known region; see /api/v1/regions", "region")
    return tuple(dict.fromkeys(codes))


def period(values: dict[str, str], name: str) -> Period | None:
    """A CBS period code (2023JJ00, 2023HJ01, 2023KW02, 2023MM11), exactly as written."""
    value = values.get(name)
    if value is None:
        return None
    try:
        parsed = parse_period_code(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.code != value:
        raise ApiError(f"{name} {_shown(value)} is not a CBS period code (e.g. 2023JJ00, 2023HJ01, 2023KW02)", name)
    return parsed


def period_range(values: dict[str, str]) -> tuple[date | None, date | None]:
    """`from` and `to` as [start of `from`, end of `to`); `from` must not come after `to`."""
    first, last = period(values, "from"), period(values, "to")
    if first is not None and last is not None and first.start > last.start:
        raise ApiError(f"from {first.code} comes after to {last.code}", "from")
    return (first.start if first else None), (period_end(last) if last else None)


def period_end(period: Period) -> date:
    """The first day after a period."""
    months = {"jaar": 12, "halfjaar": 6, "kwartaal": 3, "maand": 1}[period.period_type]
    month = period.start.month - 1 + months
    return date(period.start.year + month // 12, month % 12 + 1, 1)


def year(values: dict[str, str]) -> int | None:
    """`year`: a four-digit year between 1900 and 2100."""
    value = values.get("year")
    if value is None:
        return None
    if not _YEAR.fullmatch(value) or not 1900 <= int(value) <= 2100:
        raise ApiError(f"year {_shown(value)} is not a year between 1900 and 2100", "year")
    return int(value)


def integer(values: dict[str, str], name: str, default: int, maximum: int, minimum: int = 0) -> int:
    """A whole number within [minimum, maximum] (or the default when absent)."""
    value = values.get(name)
    if value is None:
        return default
    if not _INTEGER.fullmatch(value) or not minimum <= int(value) <= maximum:
        raise ApiError(f"{name} {_shown(value)} is not a whole number from {minimum} to {maximum}", name)
    return int(value)
