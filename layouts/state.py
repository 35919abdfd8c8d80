"""View state in the URL: parsing and validating query parameters, and building links that keep the state.

Every view can be shared by link. Parameters have Dutch names (regio, periode, periodetype, niveau, maat,
weergave, categorie, regios, lang); an unknown or invalid value never raises: it is replaced by a sensible
default and a friendly notice says what was ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from layouts.labels import language, text

LEVELS = ("veilig_thuis_regio", "provincie", "gemeente")
PERIOD_TYPES = ("halfjaar", "jaar")
MEASURES = ("absoluut", "per1000")
VIEWS = ("grafiek", "tabel")
MAX_COMPARED = 8
_CODE = re.compile(r"^[A-Za-z0-9_]{1,40}$")


@dataclass(frozen=True)
class ViewState:
    """What a page shows; defaults are what a first visitor sees."""

    lang: str = "nl"
    region: str | None = None
    period: str | None = None
    period_type: str = "halfjaar"
    level: str = "veilig_thuis_regio"
    measure: str = "absoluut"
    view: str = "grafiek"
    category: str | None = None
    regions: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def per_1000(self) -> bool:
        return self.measure == "per1000"

    def query(self, **changes) -> str:
        """The query string for this state with changes applied ('' when everything is default)."""
        state = replace(self, **changes)
        defaults = ViewState()
        params = {
            "regio": state.region,
            "periode": state.period,
            "periodetype": None if state.period_type == defaults.period_type else state.period_type,
            "niveau": None if state.level == defaults.level else state.level,
            "maat": None if state.measure == defaults.measure else state.measure,
            "weergave": None if state.view == defaults.view else state.view,
            "categorie": state.category,
            "regios": ",".join(state.regions) or None,
            "lang": None if state.lang == "nl" else state.lang,
        }
        present = {key: value for key, value in params.items() if value}
        return "?" + urlencode(present, safe=",") if present else ""

    def href(self, path: str, **changes) -> str:
        """A link to `path` (a Dutch path; English pages use the same paths with lang=en) keeping the state."""
        return path + self.query(**changes)


def _clean(value) -> str | None:
    """A query value as a plain code, or None when absent, a list, or not code-like."""
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value if value else None


def parse_state(query: dict, *, known_regions: set[str], periods: list[str] | None = None) -> ViewState:
    """Validate raw query parameters; each invalid value becomes the default, with a notice in the visitor's language.

    `known_regions` are the region codes in the data; `periods` the indicator's periods, newest first, when the
    page shows one indicator.
    """
    lang = language(_clean(query.get("lang")))
    notices: list[str] = []

    def choose(name: str, allowed: tuple[str, ...], default: str) -> str:
        value = _clean(query.get(name))
        if value is None:
            return default
        if value in allowed:
            return value
        notices.append(text("notice_invalid_value", lang).format(name=name, value=_shown(value)))
        return default

    def region_code(value: str | None, name: str) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if _CODE.match(code) and code in known_regions:
            return code
        notices.append(text("notice_unknown_region", lang).format(name=name, value=_shown(value)))
        return None

    region = region_code(_clean(query.get("regio")), "regio")
    compared = []
    for value in (_clean(query.get("regios")) or "").split(","):
        code = region_code(value.strip() or None, "regios")
        if code and code not in compared:
            compared.append(code)
    if len(compared) > MAX_COMPARED:
        notices.append(text("notice_too_many_regions", lang).format(limit=MAX_COMPARED))
        compared = compared[:MAX_COMPARED]

    period = _clean(query.get("periode"))
    if period is not None and periods is not None and period not in periods:
        notices.append(text("notice_unknown_period", lang).format(value=_shown(period)))
        period = None
    category = _clean(query.get("categorie"))
    if category is not None and not _CODE.match(category):
        notices.append(text("notice_invalid_value", lang).format(name="categorie", value=_shown(category)))
        category = None
    return ViewState(
        lang=lang,
        region=region,
        period=period,
        period_type=choose("periodetype", PERIOD_TYPES, "halfjaar"),
        level=choose("niveau", LEVELS, "veilig_thuis_regio"),
        measure=choose("maat", MEASURES, "absoluut"),
        view=choose("weergave", VIEWS, "grafiek"),
        category=category,
        regions=tuple(compared),
        notices=tuple(notices),
    )


def _shown(value: str) -> str:
    """A visitor's input, shortened and stripped of markup-looking characters, for a notice."""
    cleaned = re.sub(r"[<>\"'`]", "", value)
    return cleaned[:40] + ("…" if len(cleaned) > 40 else "")
