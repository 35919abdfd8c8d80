"""Generated text summaries of charts: one or two plain sentences from the data a chart is drawn from.

A screen reader cannot read a plotly chart; these sentences give its gist (the latest values, the change, the
largest category, the rank) in the visitor's language, with provisional values said in words and a missing
value explained by its reason, never shown as a number.
"""

from __future__ import annotations

import math

import pandas as pd

from layouts import format as fmt
from layouts.figures.profile import Lines, as_lines, shown_value
from layouts.figures.trend import period_label
from layouts.labels import text

PROVISIONAL = ("voorlopig", "nader_voorlopig")
NO_POPULATION = "geen_inwonertal"  # a published count without a population to divide it by


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def subject(title: str, per_1000: bool, lang: str) -> str:
    """What the chart counts: 'Ontvangen meldingen', or 'Ontvangen meldingen per 1.000 inwoners' for rates."""
    return f"{title} {text('summary_per_1000', lang)}" if per_1000 else title


def value_text(value: float, status: str | None, *, unit: str, decimals: int, per_1000: bool, lang: str) -> str:
    """A published value in words: '66.270', '7,4', '12,5%', with '(voorlopig)' for a provisional one."""
    if per_1000:
        shown = fmt.rate(value, lang)
    elif unit == "procent":
        shown = fmt.percent(value, decimals, lang)
    else:
        shown = fmt.number(value, decimals, lang)
    if status in PROVISIONAL:
        return text("summary_provisional", lang).format(value=shown, status=fmt.status_note(status, lang))
    return shown


def reason_text(status: str | None, lang: str) -> str:
    """Why there is no number: 'geheim (te klein om te publiceren)', 'niet gepubliceerd', ..."""
    if status == NO_POPULATION:
        return text("summary_no_population", lang)
    if status in (None, "definitief", *PROVISIONAL):  # a status of a published value cannot explain a gap
        status = "niet_gepubliceerd"
    return fmt.status_note(status, lang)


def _shared_provisional(statuses: list[str | None]) -> str | None:
    """The provisional status every published value in a summary shares, said once after the period; else None."""
    found = set(statuses)
    if len(found) == 1 and next(iter(found)) in PROVISIONAL:
        return next(iter(found))
    return None


def _latest_sentence(
    subject_text: str, period: str, entries: list[dict], shared: str | None, lang: str, **formats
) -> str:
    """'{subject} in {period}: A: 1.234; B: geen getal, geheim (...).' with each entry's value or why it has none.

    Entries are {"name", "value", "status"} and optionally "last" (period code, value, status): the entry's last
    published value, said when the latest one is missing.
    """
    if shared:
        period = text("summary_provisional", lang).format(value=period, status=fmt.status_note(shared, lang))
    items = []
    for entry in entries:
        if _missing(entry["value"]):
            item = text("summary_missing", lang).format(name=entry["name"], reason=reason_text(entry["status"], lang))
            if entry.get("last"):
                code, value, status = entry["last"]
                item += text("summary_last_published", lang).format(
                    period=period_label(code, lang), value=value_text(value, status, lang=lang, **formats)
                )
        else:
            status = None if entry["status"] == shared else entry["status"]
            value = value_text(entry["value"], status, lang=lang, **formats)
            item = text("summary_value", lang).format(name=entry["name"], value=value)
        items.append(item)
    return text("summary_latest", lang).format(subject=subject_text, period=period, values="; ".join(items))


def _line_entry(line: dict) -> dict:
    """A line's latest value and, when that is missing, its last published one."""
    latest = line["points"][-1]
    earlier = [point for point in line["points"] if point["value"] is not None]
    last = None
    if latest["value"] is None and earlier:
        last = (earlier[-1]["period_code"], earlier[-1]["value"], earlier[-1]["status"])
    return {"name": line["name"], "value": latest["value"], "status": latest["status"], "last": last}


def _year_before(period_code: str) -> str:
    """The same period a year earlier: 2024HJ01 -> 2023HJ01, 2024JJ00 -> 2023JJ00."""
    return f"{int(period_code[:4]) - 1}{period_code[4:]}"


def _change(current: float, previous: float, *, unit: str, decimals: int, per_1000: bool, lang: str) -> str | None:
    """'+3,2%' for counts and rates; '+1,5 procentpunt' for percentages (a relative change of a share misleads)."""
    if unit == "procent" and not per_1000:
        delta = current - previous
        shown = ("+" if delta > 0 else "") + fmt.number(delta, max(decimals, 1), lang)
        return text("summary_points", lang).format(change=shown)
    return fmt.change(current, previous, lang)


def trend_summary(
    subject_text: str, lines: list[dict], *, unit: str, decimals: int, per_1000: bool, lang: str, change: bool = True
) -> str:
    """The latest period of a trend chart: each line's value (or why it has none) and, with `change`, the change
    against the same period a year earlier for each line where both are published.

    `lines` are {"name", "points"} with points {"period_code", "value", "status"} on one shared period axis, in
    the chart's order; values are already rates when `per_1000`.
    """
    if not lines or not lines[0]["points"]:
        return ""
    formats = {"unit": unit, "decimals": decimals, "per_1000": per_1000}
    latest_code = lines[0]["points"][-1]["period_code"]
    entries = [_line_entry(line) for line in lines]
    shared = _shared_provisional([entry["status"] for entry in entries if entry["value"] is not None])
    sentence = _latest_sentence(subject_text, period_label(latest_code, lang), entries, shared, lang, **formats)
    if not change:
        return sentence
    earlier_code = _year_before(latest_code)
    changes = []
    for line in lines:
        by_period = {point["period_code"]: point for point in line["points"]}
        now, before = by_period[latest_code], by_period.get(earlier_code)
        if now["value"] is None or before is None or before["value"] is None:
            continue
        shown = _change(now["value"], before["value"], lang=lang, **formats)
        if shown is not None:
            changes.append(f"{line['name']} {shown}")
    if not changes:
        return sentence
    return (
        sentence
        + " "
        + text("summary_change", lang).format(period=period_label(earlier_code, lang), changes="; ".join(changes))
    )


def series_lines(
    series: pd.DataFrame | Lines, region_codes: list[str], names: dict[str, str], *, per_1000: bool
) -> list[dict]:
    """Lines for trend_summary from a profile or compare series (one row per region and period, totals only)."""
    prepared = as_lines(series)
    axis = [code for code, _ in prepared.axis("nl")]
    lines = []
    for code in region_codes:
        rows = prepared.region(code)
        points = []
        for period in axis:
            row = rows.get(period)
            if row is None:
                points.append({"period_code": period, "value": None, "status": "niet_gepubliceerd"})
                continue
            value = shown_value(row, per_1000)
            status = row["value_status"]
            if value is None and per_1000 and row["value"] is not None:
                status = NO_POPULATION
            points.append({"period_code": period, "value": value, "status": status})
        lines.append({"name": names.get(code, code), "points": points})
    return lines


def breakdown_summary(
    subject_text: str, frame: pd.DataFrame, axis: list[str], *, unit: str, decimals: int, lang: str
) -> str:
    """The latest period of a breakdown chart: its largest category with its value and share of the total (or the
    one category chosen), or why there are no figures per category.

    `frame` holds trend.breakdown_rows (possibly narrowed to one category), `axis` its periods.
    """
    if not axis:
        return ""
    latest = axis[-1]
    rows = frame[frame["period_code"] == latest]
    published = rows[rows["value"].notna()]
    period = period_label(latest, lang)
    if published.empty:
        statuses = rows["value_status"].dropna()
        status = statuses.mode().iloc[0] if len(statuses) else "niet_gepubliceerd"
        return text("summary_breakdown_none", lang).format(
            subject=subject_text, period=period, reason=reason_text(status, lang)
        )
    single = frame["category_code"].nunique() == 1
    row = published.loc[published["value"].astype(float).idxmax()]
    share = ""
    if unit == "aantal" and "share_pct" in row and not _missing(row["share_pct"]):
        share = text("summary_breakdown_share", lang).format(share=fmt.percent(float(row["share_pct"]), 1, lang))
    return text("summary_breakdown_one" if single else "summary_breakdown_largest", lang).format(
        subject=subject_text,
        period=period,
        category=row["title_en" if lang == "en" else "title_nl"],
        value=value_text(
            float(row["value"]), row["value_status"], unit=unit, decimals=decimals, per_1000=False, lang=lang
        ),
        share=share,
    )


def regional_summary(
    subject_text: str,
    period: str,
    frame: pd.DataFrame,
    *,
    region: str | None,
    national: tuple[float | None, str | None],
    rank: str | None,
    level_words: str,
    unit: str,
    decimals: int,
    per_1000: bool,
    lang: str,
) -> str:
    """The regional map and ranking in words: the chosen region's value and rank next to the Netherlands, or
    (without a chosen region) the highest and lowest region.

    `frame` is the regional page's prepared values (name, shown, value_status, reason); `national` the national
    value in the shown measure and its status; `rank` the page's rank sentence for the chosen region.
    """
    formats = {"unit": unit, "decimals": decimals, "per_1000": per_1000}
    rows = frame[frame["region_code"] == region] if region else frame.iloc[0:0]
    row = rows.iloc[0] if len(rows) else None
    entries = []
    if row is not None:
        missing = _missing(row["shown"])
        value = None if missing else float(row["shown"])
        entries.append({"name": row["name"], "value": value, "status": row["reason" if missing else "value_status"]})
    national_value, national_status = national
    entries.append({"name": text("national_netherlands", lang), "value": national_value, "status": national_status})
    published = frame[frame["shown"].notna()].sort_values(["shown", "name"], ascending=[False, True])
    extremes = [] if row is not None or published.empty else [published.iloc[0], published.iloc[-1]]
    statuses = [entry["status"] for entry in entries if entry["value"] is not None]
    shared = _shared_provisional(statuses + [found["value_status"] for found in extremes])
    sentence = _latest_sentence(subject_text, period, entries, shared, lang, **formats)
    if row is not None:
        return f"{sentence} {rank}." if rank and entries[0]["value"] is not None else sentence
    if not extremes:
        return sentence

    def named(found) -> str:
        status = None if found["value_status"] == shared else found["value_status"]
        return f"{found['name']} {value_text(float(found['shown']), status, lang=lang, **formats)}"

    if len(published) == 1:
        return f"{sentence} " + text("summary_regional_only", lang).format(region=named(extremes[0]))
    return f"{sentence} " + text("summary_regional_range", lang).format(
        high=named(extremes[0]), low=named(extremes[1]), count=fmt.number(len(published), 0, lang), level=level_words
    )
