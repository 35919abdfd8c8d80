"""Shared figure style: a colour-blind-safe palette, marks for provisional values, Dutch or English number format."""

from __future__ import annotations

from layouts.format import PLOTLY_SEPARATORS

# Okabe-Ito's hues (distinguishable with the common colour-vision deficiencies), darkened where needed so that every
# line and bar has at least 3:1 contrast with the white background (WCAG 1.4.11 non-text contrast): orange, green,
# purple and vermillion darkened; sky blue and yellow (2.3:1 and 1.3:1) replaced by indigo and grey.
PALETTE = ("#0072B2", "#8F6A00", "#007A5E", "#B8527F", "#332288", "#C25400", "#000000", "#5E5E5E")
NATIONAL_COLOUR = "#000000"
HIGHLIGHT_COLOUR = "#D55E00"
REGION_COLOUR = "#0072B2"
NO_DATA_COLOUR = "#BDBDBD"
# Sequential colours for maps (light to dark blue), readable for colour-blind visitors.
SEQUENTIAL = [[0.0, "#DEEBF7"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
PROVISIONAL_STATUSES = ("voorlopig", "nader_voorlopig")


def base_layout(lang: str, *, height: int = 360, title: str | None = None) -> dict:
    """Layout shared by every chart: fonts, margins, number separators of the visitor's language."""
    layout = {
        "separators": PLOTLY_SEPARATORS[lang],
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40 if title else 20, "b": 50},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#212529"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"size": 13}},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"gridcolor": "#e9ecef", "linecolor": "#6c757d"},
        "yaxis": {"gridcolor": "#e9ecef", "linecolor": "#6c757d", "rangemode": "tozero"},
    }
    if title:
        layout["title"] = {"text": title, "x": 0, "font": {"size": 15}}
    return layout


def marker_symbols(statuses: list[str | None]) -> list[str]:
    """Filled circles for final values, hollow circles for provisional ones (shape, not only colour)."""
    return ["circle-open" if status in PROVISIONAL_STATUSES else "circle" for status in statuses]
