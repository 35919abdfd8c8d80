"""The OpenAPI 3 document of /api/v1, as a dict: every endpoint, parameter and response schema."""

from __future__ import annotations

from api.params import MAX_AGE, MAX_REGIONS, MAX_VALUE_LENGTH, ROW_CAP
from store.queries import LEVELS


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _nullable(kind: str, description: str) -> dict:
    return {"type": [kind, "null"], "description": description}


def _parameter(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_PERIOD_PATTERN = r"^[0-9]{4}(JJ00|HJ0[12]|KW0[1-4]|MM(0[1-9]|1[0-2]))$"

PARAMETERS = {
    "format": _parameter(
        "format",
        "Response format: JSON (default) or CSV (UTF-8, comma, header row, same columns).",
        {"enum": ["json", "csv"]},
    ),
    "indicator": _parameter("indicator", "An indicator id from /api/v1/indicators.", {"type": "string"}, required=True),
    "indicator_filter": _parameter(
        "indicator", "Only this indicator (an id from /api/v1/indicators).", {"type": "string"}
    ),
    "level": _parameter("level", "Region level.", {"enum": list(LEVELS)}),
    "year": _parameter(
        "year",
        "Classification year: the shipped classification nearest to it (ties: the later) is used. "
        "Default: the newest shipped classification of each level.",
        {"type": "integer", "minimum": 1900, "maximum": 2100},
    ),
    "region": _parameter(
        "region",
        f"A region code (NL01, LD01, PV27, VT09, GM0363) or a comma-separated list of at most {MAX_REGIONS}; "
        "each must exist in a shipped classification (see /api/v1/regions).",
        {"type": "string", "pattern": r"^[A-Z]{2}[0-9]{2,4}(,[A-Z]{2}[0-9]{2,4})*$"},
    ),
    "period": _parameter(
        "period", "One CBS period code present in this build.", {"type": "string", "pattern": _PERIOD_PATTERN}
    ),
    "from": _parameter(
        "from",
        "First period (CBS code): only periods starting on or after its first day.",
        {"type": "string", "pattern": _PERIOD_PATTERN},
    ),
    "to": _parameter(
        "to",
        "Last period (CBS code): only periods ending on or before its last day. `from` must not come after `to`.",
        {"type": "string", "pattern": _PERIOD_PATTERN},
    ),
    "limit": _parameter(
        "limit",
        f"Rows per page, at most {ROW_CAP} (the row cap; also the default). Page on with `offset`.",
        {"type": "integer", "minimum": 1, "maximum": ROW_CAP, "default": ROW_CAP},
    ),
    "offset": _parameter(
        "offset", "Rows to skip (use `meta.next_offset` of the previous page).", {"type": "integer", "minimum": 0}
    ),
}

_META = {
    "type": "object",
    "required": ["build_id", "dataset_kind", "is_fictitious", "built_at"],
    "properties": {
        "build_id": _string("The published warehouse build the data comes from (also the ETag)."),
        "dataset_kind": _string("'cbs' (published figures) or 'demo' (fictitious).", enum=["cbs", "demo"]),
        "is_fictitious": {"type": "boolean", "description": "True for the demo dataset: the numbers are invented."},
        "built_at": _string("When the build was made (ISO 8601).", format="date-time"),
        "row_count": {"type": "integer", "description": "Rows in `data`."},
        "total_count": {"type": "integer", "description": "observations: rows matching the filters, all pages."},
        "limit": {"type": "integer"},
        "offset": {"type": "integer"},
        "next_offset": _nullable("integer", "observations: offset of the next page, null on the last page."),
    },
}

_OBSERVATION = {
    "type": "object",
    "properties": {
        "indicator_id": _string("Indicator id."),
        "category_code": _nullable("string", "Category of a breakdown; null for indicators without one."),
        "region_code": _string("Region code (CBS spelling)."),
        "region_name": _nullable("string", "The region's latest Dutch name."),
        "region_level": _string("Region level.", enum=list(LEVELS)),
        "period_code": _string("CBS period code.", pattern=_PERIOD_PATTERN),
        "period_type": _string("jaar, halfjaar, kwartaal or maand."),
        "period_start": _string("First day of the period.", format="date"),
        "value": _nullable("number", "The published number; null (empty in CSV) when not published, never 0."),
        "value_status": _string(
            "definitief, voorlopig, nader_voorlopig, or why there is no value: geheim, onbekend, nihil, "
            "niet_van_toepassing."
        ),
        "unit": _string("aantal or procent."),
        "rate_per_1000": _nullable(
            "number", "Value per 1,000 inhabitants, only for counts with a population denominator."
        ),
        "source_table": _nullable("string", "The CBS table or export the number comes from."),
        "source_snapshot": _nullable("string", "Date of the source export, when known."),
        "dataset_kind": _string("'cbs' or 'demo'."),
        "build_id": _string("The warehouse build."),
    },
}

_OPEN_ROW = {"type": "object", "additionalProperties": True}

_ERROR = {
    "type": "object",
    "required": ["error", "parameter"],
    "properties": {
        "error": _string("What was wrong."),
        "parameter": _nullable("string", "The parameter at fault."),
        "allowed": {"type": "array", "items": {"type": "string"}, "description": "Allowed values, when a short list."},
    },
}

_HEADERS = {
    "ETag": {"description": "The build id, quoted; send it back in If-None-Match.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the build was made.", "schema": {"type": "string"}},
    "Cache-Control": {"description": f"public, max-age={MAX_AGE}", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "*", "schema": {"type": "string"}},
}


def _envelope(row: dict) -> dict:
    return {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {"data": {"type": "array", "items": row}, "meta": {"$ref": "#/components/schemas/Meta"}},
    }


def _get(summary: str, parameters: list[str], data: dict | None, csv: bool = True) -> dict:
    content = {"application/json": {"schema": data}} if data else {"application/json": {"schema": {"type": "object"}}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    return {
        "get": {
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
            "responses": {
                "200": {"description": "OK", "headers": _HEADERS, "content": content},
                "304": {"description": "Not modified: the If-None-Match ETag is still current."},
                "400": {"$ref": "#/components/responses/BadRequest"},
            },
        }
    }


def document() -> dict:
    """The OpenAPI 3.1 document served at /api/v1/openapi.json."""
    rows = "#/components/schemas/"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Impactmonitor HGKM API",
            "version": "1",
            "description": (
                "Published Dutch statistics on domestic violence and child abuse (CBS, Veilig Thuis), one row per "
                "published number. Every response names the warehouse build it comes from; the `demo` dataset is "
                f"fictitious. Unknown or repeated parameters, unknown values and values longer than "
                f"{MAX_VALUE_LENGTH} characters get a 400 with a JSON error body. Observations are capped at "
                f"{ROW_CAP} rows per response: page with `limit` and `offset` (see `meta.next_offset`). Responses "
                "carry an ETag and Last-Modified from the build, so If-None-Match gives 304 until the next build. "
                "CORS: any origin may GET."
            ),
            "license": {"name": "EUPL-1.2"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/indicators": _get(
                "Indicator catalog with availability flags (has_national, has_regional, has_time_series).",
                ["format"],
                _envelope({"$ref": rows + "Indicator"}),
            ),
            "/api/v1/regions": _get(
                "Regions per level in the classification that applies to a year.",
                ["level", "year", "format"],
                _envelope({"$ref": rows + "Region"}),
            ),
            "/api/v1/periods": _get(
                "Periods with observations of an indicator, newest first.",
                ["indicator", "level", "format"],
                _envelope({"$ref": rows + "Period"}),
            ),
            "/api/v1/observations": _get(
                "Published numbers of one indicator, with status, unit, rate, source and build.",
                ["indicator", "region", "level", "period", "from", "to", "format", "limit", "offset"],
                _envelope({"$ref": rows + "Observation"}),
            ),
            "/api/v1/availability": _get(
                "Indicator x region level x period type: periods, regions and published values that exist.",
                ["indicator_filter", "level", "format"],
                _envelope({"$ref": rows + "Availability"}),
            ),
            "/api/v1/manifest": _get(
                "The build manifest: inputs with checksums and snapshots, row counts, dataset kind, code version.",
                [],
                {
                    "type": "object",
                    "required": ["data", "meta"],
                    "properties": {"data": {"type": "object"}, "meta": {"$ref": rows + "Meta"}},
                },
                csv=False,
            ),
            "/api/v1/openapi.json": _get("This document.", [], None, csv=False),
        },
        "components": {
            "parameters": PARAMETERS,
            "schemas": {
                "Meta": _META,
                "Error": _ERROR,
                "Observation": _OBSERVATION,
                "Indicator": {
                    **_OPEN_ROW,
                    "properties": {
                        "indicator_id": _string("Indicator id."),
                        "title_nl": _string("Dutch title."),
                        "title_en": _string("English title."),
                        "unit": _string("aantal or procent."),
                        "has_national": {"type": "boolean"},
                        "has_regional": {"type": "boolean"},
                        "has_time_series": {"type": "boolean"},
                    },
                },
                "Region": {
                    **_OPEN_ROW,
                    "properties": {
                        "region_code": _string("Region code."),
                        "classification_year": {"type": "integer"},
                        "level": _string("Region level.", enum=list(LEVELS)),
                        "name_nl": _string("Dutch name."),
                        "name_en": _string("English name."),
                        "vt_code": _nullable("string", "Veilig Thuis region of a gemeente."),
                        "pv_code": _nullable("string", "Provincie of a gemeente."),
                    },
                },
                "Period": {
                    **_OPEN_ROW,
                    "properties": {
                        "period_code": _string("CBS period code.", pattern=_PERIOD_PATTERN),
                        "period_type": _string("jaar, halfjaar, kwartaal or maand."),
                        "period_start": _string("First day.", format="date"),
                        "year": {"type": "integer"},
                        "label_nl": _string("Dutch label."),
                        "label_en": _string("English label."),
                        "status": _string("definitief, voorlopig or nader_voorlopig."),
                    },
                },
                "Availability": {
                    **_OPEN_ROW,
                    "properties": {
                        "indicator_id": _string("Indicator id."),
                        "level": _string("Region level.", enum=list(LEVELS)),
                        "period_type": _string("Period type."),
                        "n_periods": {"type": "integer"},
                        "n_regions": {"type": "integer"},
                        "n_observations": {"type": "integer"},
                        "n_published": {"type": "integer"},
                        "first_period": _string("Oldest period code."),
                        "last_period": _string("Newest period code."),
                    },
                },
            },
            "responses": {
                "BadRequest": {
                    "description": "A parameter is unknown, repeated, malformed, too long or not an allowed value.",
                    "content": {"application/json": {"schema": {"$ref": rows + "Error"}}},
                },
            },
        },
    }
