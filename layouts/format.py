"""Numbers, rates, shares and statuses as visitors read them: Dutch (1.234; 12,5%) or English (1,234; 12.5%)."""

from __future__ import annotations

import math

from layouts.labels import text

PLOTLY_SEPARATORS = {"nl": ",.", "en": ".,"}  # decimal mark, then thousands separator, as plotly.js wants them


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 0, lang: str = "nl") -> str:
    """'1.234' or '12,5' in Dutch; '1,234' or '12.5' in English; an en dash when there is no number."""
    if _is_missing(value):
        return "–"
    formatted = f"{value:,.{decimals}f}"
    if lang == "nl":
        formatted = formatted.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return formatted.replace("-", "\u2212")


def percent(value: float | None, decimals: int = 1, lang: str = "nl") -> str:
    """'12,5%' in Dutch, '12.5%' in English."""
    return "–" if _is_missing(value) else f"{number(value, decimals, lang)}%"


def rate(value: float | None, lang: str = "nl") -> str:
    """A rate per 1,000 inhabitants with one decimal ('7,4')."""
    return number(value, 1, lang)


def change(current: float | None, previous: float | None, lang: str = "nl") -> str | None:
    """Relative change as '+3,2%' or '−1,0%'; None when either value is missing or the base is zero."""
    if _is_missing(current) or _is_missing(previous) or previous == 0:
        return None
    relative = (current - previous) / previous * 100
    sign = "+" if relative > 0 else ""
    return f"{sign}{percent(relative, 1, lang)}"


def status_note(status: str | None, lang: str) -> str:
    """Plain words for a value status ('voorlopig', 'geheim', ...)."""
    return text(f"status_{status or 'niet_gepubliceerd'}", lang)


def value_with_status(value: float | None, status: str | None, decimals: int, unit: str, lang: str) -> str:
    """A value as shown in tables: the number with its unit, or the reason it is missing."""
    if _is_missing(value):
        return status_note(status, lang)
    shown = percent(value, decimals, lang) if unit == "procent" else number(value, decimals, lang)
    if status in ("voorlopig", "nader_voorlopig"):
        shown += "*" if status == "voorlopig" else "**"
    return shown
