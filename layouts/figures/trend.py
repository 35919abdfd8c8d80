"""Pure builders for the national view: period axes, trend lines (NL and a region) and category breakdowns."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from layouts import format as fmt
from layouts.figures.base import NATIONAL_COLOUR, PALETTE, REGION_COLOUR, base_layout, marker_symbols
from layouts.labels import text

MISSING = "niet_gepubliceerd"
# CBS rounds every count to a multiple of 5: parts may differ from their total by up to 2.5 each.
ROUNDING_SLACK = 2.5


def period_label(period_code: str, lang: str) -> str:
    """'1e halfjaar 2023' / '1st half 2023' / '2023' for a CBS period code (as the periods table labels them)."""
    year, kind, number = period_code[:4], period_code[4:6], period_code[6:]
    if kind == "HJ":
        if lang == "en":
            return f"{'1st' if number == '01' else '2nd'} half {year}"
        return f"{'1e' if number == '01' else '2e'} halfjaar {year}"
    return year


def short_period_label(period_code: str, lang: str) -> str:
    """A compact tick label: '1e hj 2023' / 'H1 2023' / '2023'."""
    year, kind, number = period_code[:4], period_code[4:6], period_code[7:]
    if kind != "HJ":
        return year
    return f"H{number} {year}" if lang == "en" else f"{number}e hj {year}"


def _category_axis(layout: dict, axis: list[str], labels: list[str], lang: str) -> dict:
    """A category x axis in period order with compact tick labels that never get clipped."""
    return {
        **layout["xaxis"],
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
        "tickvals": labels,
        "ticktext": [short_period_label(code, lang) for code in axis],
        "automargin": True,
    }


def period_axis(period_codes: list[str], period_type: str) -> list[str]:
    """Every period of a type from the first to the last code given, so missing periods show as gaps."""
    years = sorted({int(code[:4]) for code in period_codes})
    if not years:
        return []
    if period_type == "jaar":
        return [f"{year}JJ00" for year in range(years[0], years[-1] + 1)]
    codes = [f"{year}HJ0{half}" for year in range(years[0], years[-1] + 1) for half in (1, 2)]
    first, last = min(period_codes), max(period_codes)
    return [code for code in codes if first <= code <= last]


def series_points(records: Iterable[Mapping], axis: list[str], category: str | None, per_1000: bool) -> list[dict]:
    """One point per period of the axis for one category: value (or rate), status, population year; None = gap.

    `records` are region_series rows as plain mappings (a missing value None or NaN), so no per-row pandas."""
    by_period = {
        row["period_code"]: row
        for row in records
        if (_absent(row["category_code"]) if category is None else row["category_code"] == category)
    }
    points = []
    for code in axis:
        row = by_period.get(code)
        if row is None:
            points.append({"period_code": code, "value": None, "status": MISSING, "population_year": None})
            continue
        value = row["rate_per_1000"] if per_1000 else row["value"]
        value = None if _absent(value) else float(value)
        status = row["value_status"]
        if value is None and not _absent(row["value"]):
            status = "niet_van_toepassing"  # a published count without a population to divide by
        population_year = row.get("population_year")
        points.append(
            {
                "period_code": code,
                "value": value,
                "status": status,
                "population_year": None if _absent(population_year) else int(population_year),
                "source_table": row["source_table"],
                "source_snapshot": row["source_snapshot"],
            }
        )
    return points


def _absent(value) -> bool:
    """True for a missing value: None, NaN or pandas' NA."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_point(point: dict, unit: str, decimals: int, per_1000: bool, lang: str) -> str:
    """A point as shown in hover text and tables: '127.410', '7,3*', '12,5%' or the reason it is missing."""
    value, status = point["value"], point["status"]
    if value is None:
        return fmt.status_note(status, lang)
    if per_1000:
        shown = fmt.rate(value, lang)
        return shown + {"voorlopig": "*", "nader_voorlopig": "**"}.get(status, "")
    return fmt.value_with_status(value, status, decimals, unit, lang)


def population_note(points: list[dict], lang: str) -> str | None:
    """Which population years the per-1,000 rates use where they differ from the period's own year."""
    borrowed: dict[int, list[str]] = {}
    for point in points:
        year = point.get("population_year")
        if point["value"] is not None and year is not None and year != int(point["period_code"][:4]):
            borrowed.setdefault(year, []).append(period_label(point["period_code"], lang))
    if not borrowed:
        return None
    parts = [
        text("national_population_borrowed", lang).format(periods=", ".join(periods), year=year)
        for year, periods in sorted(borrowed.items())
    ]
    return " ".join(parts)


def gap_notes(name: str, points: list[dict], lang: str) -> list[str]:
    """'Geen getal voor Nederland in 2e halfjaar 2022, 1e halfjaar 2023: niet gepubliceerd' per reason."""
    by_reason: dict[str, list[str]] = {}
    for point in points:
        if point["value"] is None:
            by_reason.setdefault(point["status"], []).append(period_label(point["period_code"], lang))
    return [
        text("national_gap_note", lang).format(
            name=name, periods=", ".join(periods), reason=fmt.status_note(reason, lang)
        )
        for reason, periods in by_reason.items()
    ]


def value_axis_title(unit: str, per_1000: bool, lang: str) -> str:
    if per_1000:
        return text("national_per_1000", lang)
    return text(f"unit_{unit}", lang)


def trend_figure(lines: list[dict], axis: list[str], *, unit: str, decimals: int, per_1000: bool, lang: str) -> dict:
    """Lines over time (NL first, then a region), gaps where there is no number, hollow markers when provisional.

    Each line is {"name", "points"} with points from series_points on the same axis.
    """
    labels = [period_label(code, lang) for code in axis]
    colours = [NATIONAL_COLOUR, REGION_COLOUR, *PALETTE[1:]]
    traces = []
    for index, line in enumerate(lines):
        points = line["points"]
        colour = colours[index % len(colours)]
        hover = [
            f"<b>{line['name']}</b><br>{label}: {format_point(point, unit, decimals, per_1000, lang)}"
            + _population_hover(point, per_1000, lang)
            for label, point in zip(labels, points, strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": line["name"],
                "x": labels,
                "y": [point["value"] for point in points],
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "connectgaps": False,
                "line": {"color": colour, "width": 2.5, "dash": "solid" if index == 0 else "dash"},
                "marker": {
                    "color": colour,
                    "size": 9,
                    "symbol": marker_symbols([point["status"] for point in points]),
                    "line": {"color": colour, "width": 2},
                },
            }
        )
    layout = base_layout(lang)
    layout["xaxis"] = _category_axis(layout, axis, labels, lang)
    layout["yaxis"] = {
        **layout["yaxis"],
        "title": {"text": value_axis_title(unit, per_1000, lang)},
        "tickformat": ",.1f" if per_1000 else ",.0f",
    }
    if unit == "procent" and not per_1000:
        layout["yaxis"]["ticksuffix"] = "%"
    layout["showlegend"] = len(lines) > 1
    layout["hovermode"] = "closest"
    return {"data": traces, "layout": layout}


def _population_hover(point: dict, per_1000: bool, lang: str) -> str:
    if not per_1000 or point["value"] is None or point.get("population_year") is None:
        return ""
    return "<br>" + text("national_population_year", lang).format(year=point["population_year"])


BREAKDOWN_COLUMNS = ("category_code", "title_nl", "title_en", "is_total", "category_order", "value", "value_status",
                     "share_pct", "source_table", "source_snapshot", "period_code")  # fmt: skip


def breakdown_rows(breakdowns: Mapping[str, Iterable[Mapping]], axis: list[str]) -> list[dict]:
    """One row per (period, category) of the non-total categories from category_breakdown records per period.

    Categories without any published value in these periods are left out; periods of the axis without a
    breakdown get rows with status 'niet_gepubliceerd' so the table and chart show the gap. Plain Python over
    plain records: the national page builds its chart, table and summary from these rows.
    """
    rows: list[dict] = []
    categories = None
    for code in axis:
        records = breakdowns.get(code)
        if records is None:
            continue
        parts = [{**record, "period_code": code} for record in records if not record["is_total"]]
        categories = parts if categories is None else categories
        rows += parts
    published = {row["category_code"] for row in rows if not _absent(row["value"])}
    rows = [row for row in rows if row["category_code"] in published]
    for code in axis:
        if code not in breakdowns:
            rows += [
                {
                    "period_code": code,
                    "category_code": category["category_code"],
                    "title_nl": category["title_nl"],
                    "title_en": category["title_en"],
                    "is_total": None,
                    "category_order": category["category_order"],
                    "value": None,
                    "value_status": MISSING,
                    "share_pct": None,
                    "source_table": None,
                    "source_snapshot": None,
                }
                for category in categories or ()
                if category["category_code"] in published
            ]
    order = {code: position for position, code in enumerate(axis)}
    return sorted(rows, key=lambda row: (order[row["period_code"]], row["category_order"]))


def records_add_up(periods: Iterable[Iterable[Mapping]]) -> bool:
    """True when, in every period, the published parts do not exceed their total beyond CBS rounding.

    Breakdowns with overlapping categories (a 'beroepsmatig totaal' next to its sub-groups) must not be stacked.
    `periods` holds the category_breakdown records of each period.
    """
    for records in periods:
        totals, parts = [], []
        for record in records:
            if not _absent(record["value"]):
                (totals if record["is_total"] else parts).append(record["value"])
        if totals and parts and sum(parts) > totals[0] + ROUNDING_SLACK * len(parts):
            return False
    return True


def breakdown_figure(
    frame: pd.DataFrame | list[dict],
    axis: list[str],
    *,
    unit: str,
    decimals: int,
    share: bool,
    stacked: bool,
    lang: str,
) -> dict:
    """Bars per period, one colour per category: counts or shares of the total, stacked or side by side.

    `frame` holds breakdown_rows (a list of them, or a frame of them)."""
    rows = frame.to_dict("records") if isinstance(frame, pd.DataFrame) else frame
    labels = [period_label(code, lang) for code in axis]
    title = "title_en" if lang == "en" else "title_nl"
    traces = []
    for index, category in enumerate(breakdown_categories(rows)):
        by_period = {row["period_code"]: row for row in rows if row["category_code"] == category["category_code"]}
        values, hover, statuses = [], [], []
        for code, label in zip(axis, labels, strict=True):
            value, status = breakdown_value(by_period.get(code), share)
            values.append(value)
            statuses.append(status)
            shown = (
                fmt.status_note(status, lang)
                if value is None
                else (
                    fmt.percent(value, 1, lang) if share else fmt.value_with_status(value, status, decimals, unit, lang)
                )
            )
            if share and value is not None and status in ("voorlopig", "nader_voorlopig"):
                shown += "*"
            hover.append(f"<b>{category[title]}</b><br>{label}: {shown}")
        colour = PALETTE[index % len(PALETTE)]
        traces.append(
            {
                "type": "bar",
                "name": category[title],
                "x": labels,
                "y": values,
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "color": colour,
                    "line": {
                        "color": "#212529",
                        "width": [1 if s in ("voorlopig", "nader_voorlopig") else 0 for s in statuses],
                    },
                    "pattern": {"shape": ["/" if s in ("voorlopig", "nader_voorlopig") else "" for s in statuses]},
                },
            }
        )
    layout = base_layout(lang, height=420)
    layout["barmode"] = "stack" if stacked else "group"
    layout["xaxis"] = _category_axis(layout, axis, labels, lang)
    layout["yaxis"] = {
        **layout["yaxis"],
        "title": {"text": text("national_share_axis", lang) if share else text(f"unit_{unit}", lang)},
        "tickformat": ",.0f",
    }
    if share or unit == "procent":
        layout["yaxis"]["ticksuffix"] = "%"
    layout["legend"] = {"orientation": "h", "y": -0.25}
    layout["hovermode"] = "closest"
    return {"data": traces, "layout": layout}


def breakdown_categories(rows: Iterable[Mapping]) -> list[Mapping]:
    """The first row of each category in breakdown rows, in category order (the chart's bars, the table's columns)."""
    first: dict = {}
    for row in rows:
        first.setdefault(row["category_code"], row)
    return sorted(first.values(), key=lambda row: row["category_order"])


def breakdown_value(row: Mapping | None, share: bool) -> tuple[float | None, str]:
    """A breakdown row's number (or share of the total) and status; a share of an unpublished total is
    'niet_van_toepassing', a missing row 'niet_gepubliceerd'."""
    if row is None:
        return None, MISSING
    status = row["value_status"]
    value = row["share_pct"] if share else row["value"]
    if _absent(value):
        return None, status if _absent(row["value"]) else "niet_van_toepassing"
    return float(value), status
