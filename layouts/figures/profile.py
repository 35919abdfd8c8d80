"""Pure builders for the region profile and compare pages: trend lines of regions over time and their table twin."""

from __future__ import annotations

import math

import pandas as pd

from layouts import format as fmt
from layouts.figures.base import (
    NATIONAL_COLOUR,
    NO_DATA_COLOUR,
    PALETTE,
    PROVISIONAL_STATUSES,
    REGION_COLOUR,
    base_layout,
    marker_symbols,
)
from layouts.labels import text

NATIONAL_CODE = "NL01"
PEER_COLOUR = "#6C757D"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _plain(value):
    """A cell as plain Python: None for a missing value (NaN in a data frame), else the value itself."""
    return None if _missing(value) else value


class Lines:
    """A profile or compare series (one row per region and period, totals only) as plain Python, built once and
    shared by the chart, its table twin, its gap notes and its summary: per-row pandas access is what made these
    slow.

    `cells[region][period]` is {"value", "rate_per_1000", "value_status"} (the last row wins, as a dict built from
    the frame's rows did); `periods` are (code, label_nl, label_en) oldest first, a year before its half years.
    """

    __slots__ = ("cells", "periods", "sources", "provisional")

    def __init__(self, rows):
        """`rows` are (region_code, period_code, period_type, period_start, label_nl, label_en, value, value_status,
        rate_per_1000, source_table, source_snapshot) tuples in the store's order."""
        self.cells: dict[str, dict[str, dict]] = {}
        firsts: dict[str, tuple] = {}
        pairs: dict[tuple, None] = {}
        provisional = False
        for region, period, kind, start, label_nl, label_en, value, status, rate, table, snapshot in rows:
            status = status if isinstance(status, str) else None
            cell = {"value": _plain(value), "rate_per_1000": _plain(rate), "value_status": status}
            self.cells.setdefault(region, {})[period] = cell
            if period not in firsts:
                firsts[period] = (start, kind, label_nl, label_en)
            if isinstance(table, str):
                pairs.setdefault((table, None if _missing(snapshot) else str(snapshot)))
            provisional = provisional or status in PROVISIONAL_STATUSES
        ordered = sorted(firsts.items(), key=lambda item: item[1][1], reverse=True)  # a year before its half years
        ordered.sort(key=lambda item: item[1][0])
        self.periods = [(code, label_nl, label_en) for code, (_, _, label_nl, label_en) in ordered]
        self.sources = ([table for table, _ in pairs], [snapshot for _, snapshot in pairs])
        self.provisional = provisional

    @classmethod
    def from_frame(cls, series: pd.DataFrame) -> Lines:
        """The same from a region_series-like data frame (columns taken once, as lists)."""
        if series.empty:
            return cls(())
        names = ("region_code", "period_code", "period_type", "period_start", "label_nl", "label_en", "value")
        names += ("value_status", "rate_per_1000", "source_table", "source_snapshot")
        return cls(zip(*(series[name].tolist() for name in names), strict=True))

    def axis(self, lang: str) -> list[tuple[str, str]]:
        """The periods as (code, label in the language), oldest first."""
        return [(code, label_en if lang == "en" else label_nl) for code, label_nl, label_en in self.periods]

    def region(self, code: str) -> dict[str, dict]:
        """A region's cells by period code (empty when the series has no row of it)."""
        return self.cells.get(code, {})

    def has_value(self, code: str) -> bool:
        """Whether a region has a published value (not a rate) in the series."""
        return any(cell["value"] is not None for cell in self.region(code).values())

    def any_value(self) -> bool:
        """Whether any region has a published value in the series."""
        return any(self.has_value(code) for code in self.cells)


def as_lines(series: pd.DataFrame | Lines) -> Lines:
    """A series as Lines (unchanged when it already is)."""
    return series if isinstance(series, Lines) else Lines.from_frame(series)


def period_axis(series: pd.DataFrame | Lines, lang: str) -> list[tuple[str, str]]:
    """The periods in a series as (code, label), oldest first (a year before its half years)."""
    return as_lines(series).axis(lang)


def shown_value(row, per_1000: bool) -> float | None:
    """The number a chart or table shows for one observation: the value or its rate per 1,000; None when missing."""
    value = row["rate_per_1000"] if per_1000 else row["value"]
    return None if _missing(value) else float(value)


def format_shown(
    value: float | None, status: str | None, *, per_1000: bool, unit: str, decimals: int, lang: str
) -> str:
    """A value as a table cell or hover text: Dutch numbers, '*' for provisional, the reason when missing."""
    if per_1000:
        if value is None:
            return fmt.status_note(status, lang)
        marks = {"voorlopig": "*", "nader_voorlopig": "**"}
        return fmt.rate(value, lang) + marks.get(status, "")
    return fmt.value_with_status(value, status, decimals, unit, lang)


def _line(
    by_period: dict[str, dict],
    axis: list[tuple[str, str]],
    name: str,
    *,
    colour: str,
    per_1000: bool,
    unit: str,
    decimals: int,
    lang: str,
    width: float = 2,
    dash: str = "solid",
    legendgroup: str | None = None,
    showlegend: bool = True,
) -> dict:
    """One region's line over the shared period axis; missing values are gaps, provisional ones hollow markers.

    `by_period` are the region's cells (Lines.region)."""
    ys, statuses, hover = [], [], []
    for code, label in axis:
        row = by_period.get(code)
        value = shown_value(row, per_1000) if row is not None else None
        status = row["value_status"] if row is not None else None
        ys.append(value)
        statuses.append(status)
        shown = format_shown(value, status, per_1000=per_1000, unit=unit, decimals=decimals, lang=lang)
        if status in PROVISIONAL_STATUSES:
            shown += f" ({fmt.status_note(status, lang)})"
        hover.append(f"{name}<br>{label}: {shown}")
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": [label for _, label in axis],
        "y": ys,
        "connectgaps": False,
        "line": {"color": colour, "width": width, "dash": dash},
        "marker": {
            "symbol": marker_symbols(statuses),
            "size": 8,
            "color": colour,
            "line": {"color": colour, "width": 2},
        },
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": showlegend,
    }
    if legendgroup:
        trace["legendgroup"] = legendgroup
    return trace


def _provisional_key(lang: str) -> dict:
    """A legend entry explaining hollow markers."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": text("profile_provisional_key", lang),
        "x": [None],
        "y": [None],
        "marker": {"symbol": "circle-open", "size": 8, "color": "#212529", "line": {"width": 2}},
        "hoverinfo": "skip",
    }


def short_period(period_code: str) -> str:
    """A compact tick label: '2024-2' for the second half of 2024, '2024' for the year."""
    if len(period_code) == 8 and period_code[4:6] == "HJ":
        return f"{period_code[:4]}-{int(period_code[6:])}"
    return period_code[:4]


def _axis_layout(layout: dict, axis: list[tuple[str, str]], per_1000: bool, unit: str, lang: str) -> dict:
    labels = [label for _, label in axis]
    layout["xaxis"] = {**layout["xaxis"], "type": "category", "categoryorder": "array", "categoryarray": labels}
    layout["xaxis"].update(tickmode="array", tickvals=labels, ticktext=[short_period(code) for code, _ in axis])
    layout["xaxis"]["automargin"] = True  # rotated ticks on a phone stay inside the chart
    layout["yaxis"] = {**layout["yaxis"], "title": {"text": axis_title(per_1000, unit, lang)}}
    layout["yaxis"].update(exponentformat="none", separatethousands=True)  # 120.000, not 120k
    if unit == "procent" and not per_1000:
        layout["yaxis"]["ticksuffix"] = "%"
    return layout


def axis_title(per_1000: bool, unit: str, lang: str) -> str:
    """What the vertical axis counts."""
    if per_1000:
        return text("profile_per_1000_inhabitants", lang)
    return text(f"unit_{unit}", lang) if unit in ("aantal", "procent") else unit


def trend_chart(
    series: pd.DataFrame | Lines,
    region_code: str,
    peers: list[str],
    names: dict[str, str],
    lang: str,
    *,
    per_1000: bool,
    unit: str,
    decimals: int,
) -> dict:
    """A small chart: the region (thick, blue) against the Netherlands (black, dashed) and its peers (thin, grey).

    `series` holds one row per region and period (totals only), with value, value_status and rate_per_1000.
    """
    lines = as_lines(series)
    axis = lines.axis(lang)
    options = {"per_1000": per_1000, "unit": unit, "decimals": decimals, "lang": lang}
    traces = []
    for code in peers:
        traces.append(
            _line(
                lines.region(code),
                axis,
                names.get(code, code),
                colour=PEER_COLOUR,
                width=1,
                legendgroup="peers",
                showlegend=False,
                **options,
            )
        )
    if peers:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": text("profile_peers_legend", lang),
                "x": [None],
                "y": [None],
                "line": {"color": PEER_COLOUR, "width": 1},
                "legendgroup": "peers",
                "hoverinfo": "skip",
            }
        )
    if region_code != NATIONAL_CODE:
        national = lines.region(NATIONAL_CODE)
        name = names.get(NATIONAL_CODE, "Nederland")
        traces.append(_line(national, axis, name, colour=NATIONAL_COLOUR, dash="dash", **options))
    name = names.get(region_code, region_code)
    traces.append(_line(lines.region(region_code), axis, name, colour=REGION_COLOUR, width=3, **options))
    if lines.provisional:
        traces.append(_provisional_key(lang))
    layout = _axis_layout(base_layout(lang, height=300), axis, per_1000, unit, lang)
    layout["margin"] = {"l": 50, "r": 10, "t": 50, "b": 30}
    layout["yaxis"]["title"] = None  # the card's heading says what is counted
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "groupclick": "togglegroup"}
    layout["legend"]["font"] = {"size": 11}
    return {"data": traces, "layout": layout}


def compare_chart(
    series: pd.DataFrame | Lines,
    region_codes: list[str],
    names: dict[str, str],
    lang: str,
    *,
    per_1000: bool,
    unit: str,
    decimals: int,
) -> dict:
    """One line per region in its own colour-blind-safe colour (NL black, dashed); gaps where values are missing."""
    lines = as_lines(series)
    axis = lines.axis(lang)
    options = {"per_1000": per_1000, "unit": unit, "decimals": decimals, "lang": lang}
    traces = []
    colours = iter(PALETTE[:6] + PALETTE[7:])
    for code in region_codes:
        colour = NATIONAL_COLOUR if code == NATIONAL_CODE else next(colours, NO_DATA_COLOUR)
        dash = "dash" if code == NATIONAL_CODE else "solid"
        name = names.get(code, code)
        traces.append(_line(lines.region(code), axis, name, colour=colour, dash=dash, width=2.5, **options))
    if lines.provisional:
        traces.append(_provisional_key(lang))
    layout = _axis_layout(base_layout(lang, height=420), axis, per_1000, unit, lang)
    return {"data": traces, "layout": layout}


def series_table(
    series: pd.DataFrame | Lines,
    region_codes: list[str],
    names: dict[str, str],
    lang: str,
    *,
    per_1000: bool,
    unit: str,
    decimals: int,
) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as table columns and rows: one row per period, one column per region."""
    lines = as_lines(series)
    regions = [lines.region(code) for code in region_codes]
    columns = [text("profile_column_period", lang)] + [names.get(code, code) for code in region_codes]
    options = {"per_1000": per_1000, "unit": unit, "decimals": decimals, "lang": lang}
    rows = []
    for period_code, label in lines.axis(lang):
        row = [label]
        for cells in regions:
            found = cells.get(period_code)
            value = shown_value(found, per_1000) if found is not None else None
            status = found["value_status"] if found is not None else "niet_gepubliceerd"
            row.append(format_shown(value, status, **options))
        rows.append(row)
    return columns, rows


def gap_notes(
    series: pd.DataFrame | Lines, region_codes: list[str], names: dict[str, str], lang: str, *, per_1000: bool
) -> list[str]:
    """Plain words for every gap in the lines: which region, which periods, and why (never shown as zero)."""
    lines = as_lines(series)
    axis = lines.axis(lang)
    notes = []
    for code in region_codes:
        by_period = lines.region(code)
        name = names.get(code, code)
        if all(shown_value(row, per_1000) is None for row in by_period.values()):
            notes.append(text("profile_gap_no_data", lang).format(region=name))
            continue
        reasons: dict[str, list[str]] = {}
        for period_code, label in axis:
            row = by_period.get(period_code)
            if row is not None and shown_value(row, per_1000) is not None:
                continue
            status = row["value_status"] if row is not None else "niet_gepubliceerd"
            if row is not None and per_1000 and not _missing(row["value"]):
                status = "geen_bevolking"
            reasons.setdefault(status or "niet_gepubliceerd", []).append(label)
        for status, labels in reasons.items():
            reason = (
                text("profile_no_population", lang) if status == "geen_bevolking" else fmt.status_note(status, lang)
            )
            notes.append(f"{name}: {', '.join(labels)} — {reason}")
    return notes
