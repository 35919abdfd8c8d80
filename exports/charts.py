"""What each downloadable chart shows, from the same query parameters as its page (Dutch names, as in the URL).

A download link repeats the page's state; resolving it here goes through the page's own resolution functions, so
the download has the cells of the chart the visitor sees. Unlike a page, which replaces an unusable value by a
default with a notice, a download refuses it (400): a file must never hold other figures than the link promised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from exports.rows import keys_frame
from layouts import national
from layouts.figures.profile import NATIONAL_CODE, period_axis
from layouts.pages import compare, profile, regional
from layouts.state import ViewState, parse_state

STATE_PARAMETERS = ("regio", "periode", "periodetype", "niveau", "maat", "weergave", "categorie", "regios", "lang")
PAGE_PARAMETERS = ("indicator", "verdeling", "balken")


class DownloadError(ValueError):
    """A download request that cannot be served as asked: what was wrong, which parameter, what is allowed."""

    def __init__(self, message: str, parameter: str | None = None, allowed: list[str] | None = None):
        super().__init__(message)
        self.message, self.parameter, self.allowed = message, parameter, allowed

    def body(self) -> dict:
        return {"error": self.message, "parameter": self.parameter, "allowed": self.allowed}


@dataclass(frozen=True)
class ChartCells:
    """The cells a chart shows and whose full series its 'full' download holds."""

    name: str  # file name part, e.g. 'ontvangen_meldingen-landelijk-trend'
    keys: pd.DataFrame
    indicator_ids: tuple[str, ...]
    lang: str
    rate: bool  # the rate columns are meaningful (a count with a population denominator)
    share: bool = False  # the chart shows shares of the total
    full_regions: tuple[str, ...] | None = None  # the full series of these regions only (None: every region)


def shown(value) -> str:
    """A visitor's value for an error message: shortened, without characters that could form markup."""
    return "".join(character for character in str(value) if character not in "<>\"'`&")[:40]


def _single(query: dict, name: str) -> str | None:
    values = query.get(name)
    return values[-1] if isinstance(values, list) and values else values


def _state(store, query: dict) -> ViewState:
    state = parse_state(query, known_regions=store.known_regions())
    _refuse(state.notices)
    return state


def _refuse(notices) -> None:
    """A page's notices about unusable values (in the visitor's language) as the reason to refuse the download."""
    if notices:
        raise DownloadError("invalid request: " + " ".join(notices))


def _indicator(store, query: dict, *, required: bool = True) -> pd.Series:
    value = _single(query, "indicator")
    indicators = store.indicators().set_index("indicator_id")
    if value is None and not required:
        return indicators.loc[compare.shell.DEFAULT_INDICATOR]
    if value not in indicators.index:
        raise DownloadError(f"unknown indicator '{shown(value)}'", "indicator", sorted(indicators.index))
    return indicators.loc[value]


def _region(store, state: ViewState) -> str:
    if state.region is None:
        raise DownloadError("parameter 'regio' is required: a region code, see /api/v1/regions", "regio")
    return state.region


def _lines_keys(indicator_id: str, region_codes: list[str], period_codes: list[str], category) -> pd.DataFrame:
    rows = [(indicator_id, code, period, category) for code in region_codes for period in period_codes]
    return keys_frame(rows)


def national_trend(store, query: dict) -> ChartCells:
    indicator = _indicator(store, query)
    state = _state(store, query)
    state, notices = national.resolve_state(store, indicator, state, explicit_period_type="periodetype" in query)
    _refuse(notices)
    axis, lines, category = national.trend_lines(store, indicator, state)
    keys = _lines_keys(indicator.name, [line["region_code"] for line in lines], axis, category)
    return ChartCells(
        f"{indicator.name}-landelijk-trend", keys, (indicator.name,), state.lang, store.has_rate(indicator.name)
    )


def national_breakdown(store, query: dict) -> ChartCells:
    indicator = _indicator(store, query)
    if not isinstance(indicator["breakdown"], str):
        raise DownloadError(f"indicator {indicator.name!r} has no breakdown", "indicator")
    state = _state(store, query)
    state, notices = national.resolve_state(store, indicator, state, explicit_period_type="periodetype" in query)
    options, option_notices = national.parse_options(query, state.lang)
    _refuse([*notices, *option_notices])
    _, _, frame = national.breakdown_data(store, indicator, state)
    if state.category:
        frame = frame[frame["category_code"] == state.category]
    share = options.share and indicator["unit"] == "aantal"
    rows = [(indicator.name, NATIONAL_CODE, row.period_code, row.category_code) for row in frame.itertuples()]
    keys = keys_frame(rows, {"share_pct": list(frame["share_pct"])} if share else None)
    return ChartCells(f"{indicator.name}-landelijk-verdeling", keys, (indicator.name,), state.lang, False, share)


def regional_view(store, query: dict) -> ChartCells:
    indicator = _indicator(store, query).copy()
    indicator["indicator_id"] = indicator.name
    state = _state(store, query)
    levels = regional.available_levels(store.availability(), indicator.name)
    if not levels:
        raise DownloadError(f"indicator {indicator.name!r} has no regional figures", "indicator")
    if "niveau" in query and state.level not in levels:
        raise DownloadError(f"no figures at level {state.level!r}", "niveau", levels)
    choice, notices = regional.resolve(store, indicator.to_dict(), levels, state)
    _refuse(notices)
    values = store.regional_values(choice.indicator_id, choice.period, choice.level, choice.category)
    rows = [(indicator.name, code, choice.period, choice.category) for code in values["region_code"]]
    reasons = values["missing_reason"].where(values["missing_reason"] == "regio_bestaat_niet")
    names = values["name_en" if state.lang == "en" else "name_nl"]
    keys = keys_frame(
        rows, {"reason": list(reasons.astype("object").where(reasons.notna(), None)), "region_name": list(names)}
    )
    name = f"{indicator.name}-regionaal-{choice.level}-{choice.period}"
    return ChartCells(name, keys, (indicator.name,), state.lang, store.has_rate(indicator.name))


def profile_table(store, query: dict) -> ChartCells:
    state = _state(store, query)
    code = _region(store, state)
    rows = profile.latest_rows(store.region_profile(code), state.period_type)
    breakdowns = set(store.indicators().query("breakdown.notna()")["indicator_id"])
    rows = rows[~rows["indicator_id"].isin(breakdowns)]
    cells = []
    for row in rows.itertuples():
        cells += [(row.indicator_id, region, row.period_code, None) for region in dict.fromkeys([code, NATIONAL_CODE])]
    indicator_ids = tuple(rows["indicator_id"])
    rate = any(store.has_rate(indicator_id) for indicator_id in indicator_ids)
    return ChartCells(
        f"regio-{code}-profiel", keys_frame(cells), indicator_ids, state.lang, rate,
        full_regions=tuple(dict.fromkeys([code, NATIONAL_CODE])),
    )  # fmt: skip


def profile_trend(store, query: dict) -> ChartCells:
    indicator = _indicator(store, query)
    state = _state(store, query)
    code = _region(store, state)
    peers, _ = profile.resolve_peers(store, code, state.regions)
    codes = tuple(dict.fromkeys([code, NATIONAL_CODE, *peers]))
    series = profile.series_with_fallback(store, {**indicator, "indicator_id": indicator.name}, codes, code,
                                          state.period_type)  # fmt: skip
    order = [code] + ([NATIONAL_CODE] if code != NATIONAL_CODE else []) + [peer for peer in peers if peer != code]
    category = national.total_category(store, indicator)
    periods = [period for period, _ in period_axis(series, state.lang)]
    keys = _lines_keys(indicator.name, order, periods, category)
    name = f"{indicator.name}-regio-{code}-trend"
    return ChartCells(name, keys, (indicator.name,), state.lang, store.has_rate(indicator.name))


def comparison(store, query: dict) -> ChartCells:
    indicator = _indicator(store, query, required=False)
    state = _state(store, query)
    state = replace(state, regions=compare.default_regions(state))
    series, _ = compare.compare_series(store, indicator, list(state.regions), state.period_type)
    periods = [period for period, _ in period_axis(series, state.lang)]
    category = national.total_category(store, indicator)
    keys = _lines_keys(indicator.name, list(state.regions), periods, category)
    return ChartCells(f"{indicator.name}-vergelijking", keys, (indicator.name,), state.lang,
                      store.has_rate(indicator.name))  # fmt: skip


CHARTS = {
    "landelijk-trend": national_trend,
    "landelijk-verdeling": national_breakdown,
    "regionaal": regional_view,
    "profiel": profile_table,
    "profiel-trend": profile_trend,
    "vergelijk": comparison,
}
