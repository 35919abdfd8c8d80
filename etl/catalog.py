"""The indicator catalog: loading and checking it, and mapping source measures onto indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REQUIRED_INDICATOR_FIELDS = ("id", "theme", "title_nl", "title_en", "definition_nl", "definition_en", "unit", "sources")
UNITS = ("aantal", "procent")
_UNIT_SUFFIX = re.compile(r"(?:^|\s+)\((?P<unit>[^()]*)\)\s*$")
_UNIT_WORDS = {"aantal": "aantal", "%": "procent", "procent": "procent", "percentage": "procent"}
UNIT_WORDS = tuple(_UNIT_WORDS)  # the units a source may state, for messages


class CatalogError(ValueError):
    """The catalog files are inconsistent; the message names the file and entry."""


def normalise_text(text: str) -> str:
    """Case- and whitespace-insensitive form of a published title."""
    return " ".join(str(text).split()).casefold()


def split_unit(title: str) -> tuple[str, str | None]:
    """Split 'Gestarte adviezen (aantal)' into ('Gestarte adviezen', 'aantal'); units map to catalog units."""
    match = _UNIT_SUFFIX.search(title)
    if not match:
        return title.strip(), None
    unit = match["unit"].strip().casefold()
    return title[: match.start()].strip(), _UNIT_WORDS.get(unit, unit)


@dataclass(frozen=True)
class Category:
    code: str
    title_nl: str
    title_en: str
    is_total: bool
    order: int


@dataclass(frozen=True)
class SourceRule:
    """Which rows of one table feed an indicator (see the header of indicators.yaml)."""

    table: str
    measure: str | None
    where: tuple[tuple[str, str], ...]
    category_dimension: str | None
    measures: tuple[tuple[str, str], ...]
    priority: int


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    title_nl: str
    title_en: str
    definition_nl: str
    definition_en: str
    unit: str
    decimals: int
    denominator: str | None
    polarity: str
    breakdown: str | None
    is_headline: bool
    source_kind: str
    rules: tuple[SourceRule, ...]

    @property
    def source_tables(self) -> list[str]:
        return list(dict.fromkeys(rule.table for rule in self.rules))


@dataclass(frozen=True)
class Match:
    indicator_id: str
    category_code: str | None
    priority: int


@dataclass
class Catalog:
    """Themes, indicators and categories, with the lookup from source measures to indicators."""

    themes: list[dict]
    indicators: dict[str, Indicator]
    categories: dict[str, dict[str, Category]]
    measure_aliases: dict[str, str] = field(default_factory=dict)
    category_aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def match(self, table: str, measure: str, unit: str | None, dims: dict[str, str]) -> tuple[list[Match], str | None]:
        """Indicators fed by one (table, measure, categories) combination, or a reason why it cannot feed them: a
        category the catalog does not know, or a unit other than the catalog's (UNITS), such as 'x 1 000', which
        would scale the numbers. A combination that feeds no indicator may have any unit."""
        title = normalise_text(self.measure_aliases.get(normalise_text(measure), measure))
        dims_n = {normalise_text(k): normalise_text(v) for k, v in dims.items()}
        unknown_unit = unit is not None and unit not in UNITS
        matches: list[Match] = []
        for indicator in self.indicators.values():
            if unit is not None and not unknown_unit and unit != indicator.unit:
                continue
            for rule in indicator.rules:
                if normalise_text(rule.table) != normalise_text(table):
                    continue
                category_title = None
                if rule.measures:
                    codes = dict(rule.measures)
                    if title not in codes:
                        continue
                    code = codes[title]
                else:
                    if title != rule.measure:
                        continue
                    code = None
                fixed = dict(rule.where)
                expected_dims = set(fixed) | ({rule.category_dimension} if rule.category_dimension else set())
                if set(dims_n) != expected_dims or any(dims_n[k] != v for k, v in fixed.items()):
                    continue
                if unknown_unit:
                    return [], (
                        f"unknown unit {unit!r} of {measure!r} (indicator {indicator.id} is in {indicator.unit}); "
                        f"expected {', '.join(UNIT_WORDS[:-1])} or {UNIT_WORDS[-1]}"
                    )
                if rule.category_dimension:
                    category_title = dims_n[rule.category_dimension]
                    category = self._category_by_title(indicator.breakdown, category_title)
                    if category is None:
                        return [], (
                            f"unknown category {dims[_original_key(dims, rule.category_dimension)]!r} of dimension "
                            f"{rule.category_dimension!r} for indicator {indicator.id}; add it to categories.yaml "
                            f"under {indicator.breakdown}"
                        )
                    code = category.code
                matches.append(Match(indicator.id, code, rule.priority))
        return matches, None

    def _category_by_title(self, breakdown: str | None, title_n: str) -> Category | None:
        return self._titles.get((breakdown, title_n))

    def __post_init__(self) -> None:
        self._titles: dict[tuple[str | None, str], Category] = {}
        for breakdown, categories in self.categories.items():
            for category in categories.values():
                self._titles[(breakdown, normalise_text(category.title_nl))] = category
        for breakdown, aliases in self.category_aliases.items():
            for alias, code in aliases:
                self._titles[(breakdown, normalise_text(alias))] = self.categories[breakdown][code]


def _original_key(dims: dict[str, str], normalised: str) -> str:
    return next(k for k in dims if normalise_text(k) == normalised)


def load_catalog(catalog_dir: Path) -> Catalog:
    """Load indicators.yaml and categories.yaml, failing with the entry at fault when they disagree."""
    indicators_file = catalog_dir / "indicators.yaml"
    categories_file = catalog_dir / "categories.yaml"
    raw = yaml.safe_load(indicators_file.read_text(encoding="utf-8"))
    raw_categories = yaml.safe_load(categories_file.read_text(encoding="utf-8"))

    categories: dict[str, dict[str, Category]] = {}
    aliases: dict[str, list[tuple[str, str]]] = {}
    for breakdown, entries in raw_categories.items():
        categories[breakdown] = {}
        for order, entry in enumerate(entries):
            for key in ("code", "title_nl", "title_en"):
                if not entry.get(key):
                    raise CatalogError(f"{categories_file}: {breakdown}[{order}] lacks {key}")
            if entry["code"] in categories[breakdown]:
                raise CatalogError(f"{categories_file}: {breakdown}: duplicate code {entry['code']!r}")
            categories[breakdown][entry["code"]] = Category(
                entry["code"], entry["title_nl"], entry["title_en"], bool(entry.get("total")), order
            )
            aliases.setdefault(breakdown, []).extend((alias, entry["code"]) for alias in entry.get("aliases", []))

    theme_ids = {theme["id"] for theme in raw["themes"]}
    indicators: dict[str, Indicator] = {}
    for entry in raw["indicators"]:
        where = f"{indicators_file}: indicator {entry.get('id', '?')!r}"
        missing = [key for key in REQUIRED_INDICATOR_FIELDS if not entry.get(key)]
        if missing:
            raise CatalogError(f"{where} lacks {', '.join(missing)}")
        if entry["id"] in indicators:
            raise CatalogError(f"{where} is listed twice")
        if entry["theme"] not in theme_ids:
            raise CatalogError(f"{where}: unknown theme {entry['theme']!r}")
        if entry["unit"] not in UNITS:
            raise CatalogError(f"{where}: unit must be one of {UNITS}")
        breakdown = entry.get("breakdown")
        if breakdown is not None and breakdown not in categories:
            raise CatalogError(f"{where}: breakdown {breakdown!r} has no categories in {categories_file}")
        rules = tuple(
            _parse_rule(rule, priority, entry, categories, where) for priority, rule in enumerate(entry["sources"])
        )
        indicators[entry["id"]] = Indicator(
            id=entry["id"],
            theme=entry["theme"],
            title_nl=entry["title_nl"],
            title_en=entry["title_en"],
            definition_nl=entry["definition_nl"],
            definition_en=entry["definition_en"],
            unit=entry["unit"],
            decimals=int(entry.get("decimals", 0)),
            denominator=entry.get("denominator"),
            polarity=entry.get("polarity", "neutral"),
            breakdown=breakdown,
            is_headline=bool(entry.get("headline")),
            source_kind=entry.get("source_kind", "cbs"),
            rules=rules,
        )
    measure_aliases = {normalise_text(k): v for k, v in (raw.get("measure_aliases") or {}).items()}
    return Catalog(raw["themes"], indicators, categories, measure_aliases, aliases)


def _parse_rule(rule: dict, priority: int, entry: dict, categories: dict, where: str) -> SourceRule:
    if not rule.get("table"):
        raise CatalogError(f"{where}: a source rule lacks its table")
    measures = tuple((normalise_text(split_unit(k)[0]), v) for k, v in (rule.get("measures") or {}).items())
    if bool(measures) == bool(rule.get("measure")):
        raise CatalogError(f"{where}: a source rule needs either 'measure' or 'measures'")
    breakdown = entry.get("breakdown")
    if measures or rule.get("category_dimension"):
        if breakdown is None:
            raise CatalogError(f"{where}: a rule with categories needs the indicator's breakdown")
        unknown = [code for _, code in measures if code not in categories[breakdown]]
        if unknown:
            raise CatalogError(f"{where}: unknown category codes {unknown} for breakdown {breakdown!r}")
    elif breakdown is not None:
        raise CatalogError(f"{where}: indicator has a breakdown but rule for {rule['table']} gives no categories")
    return SourceRule(
        table=rule["table"],
        measure=normalise_text(rule["measure"]) if rule.get("measure") else None,
        where=tuple((normalise_text(k), normalise_text(v)) for k, v in (rule.get("where") or {}).items()),
        category_dimension=normalise_text(rule["category_dimension"]) if rule.get("category_dimension") else None,
        measures=measures,
        priority=priority,
    )
