"""The OpenAPI 3 document of /api/v1, as a dict: every endpoint, parameter and response schema."""

from __future__ import annotations

from collections.abc import Sequence

from api.params import MAX_AGE, MAX_OFFSET, MAX_REGIONS, MAX_VALUE_LENGTH, ROW_CAP
from etl.catalog import UNITS
from etl.codes import PERIOD_TYPES, PUBLISHED_STATUSES, VALUE_STATUSES
from store.queries import LEVELS


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _nullable(kind: str, description: str) -> dict:
    return {"type": [kind, "null"], "description": description}


def _parameter(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


# The period codes etl.codes.parse_period_code accepts: years 1901-2099.
_PERIOD_PATTERN = r"^(190[1-9]|19[1-9][0-9]|20[0-9]{2})(JJ00|HJ0[12]|KW0[1-4]|MM(0[1-9]|1[0-2]))$"
_REGION_PATTERN = r"^[A-Z]{2}[0-9]{2,4}$"


def _parameters(indicator_ids: Sequence[str] | None, region_codes: Sequence[str] | None) -> dict:
    """The query parameters; with the build's indicator ids and region codes, those values are listed as enums."""
    indicator = {"enum": list(indicator_ids)} if indicator_ids else {"type": "string"}
    region = {"enum": list(region_codes)} if region_codes else {"type": "string", "pattern": _REGION_PATTERN}
    region_list = _parameter(
        "region",
        f"A region code (NL01, LD01, PV27, VT09, GM0363) or a comma-separated list of at most {MAX_REGIONS}; "
        "each must exist in a shipped classification (see /api/v1/regions).",
        {"type": "array", "items": region, "minItems": 1, "maxItems": MAX_REGIONS},
    )
    return {
        **_PARAMETERS,
        "indicator": _parameter("indicator", "An indicator id from /api/v1/indicators.", indicator, required=True),
        "indicator_filter": _parameter("indicator", "Only this indicator (an id from /api/v1/indicators).", indicator),
        "region": {**region_list, "style": "form", "explode": False},
    }


_PARAMETERS = {
    "format": _parameter(
        "format",
        "Response format: JSON (default), CSV (UTF-8, comma, header row) or Parquet, with the same columns and "
        "rows. CSV and Parquet come as an attachment. In Parquet, dates are DATE columns and the JSON `meta` is "
        "stored as JSON in the file's key-value metadata under `hgkm`.",
        {"enum": ["json", "csv", "parquet"]},
    ),
    "level": _parameter("level", "Region level.", {"enum": list(LEVELS)}),
    "year": _parameter(
        "year",
        "Classification year: the shipped classification nearest to it (ties: the later) is used. "
        "Default: the newest shipped classification of each level.",
        {"type": "integer", "minimum": 1900, "maximum": 2100},
    ),
    "period": _parameter(
        "period",
        "One CBS period code (2023JJ00, 2023HJ01, 2023KW02, 2023MM11); a period without data gives no rows.",
        {"type": "string", "pattern": _PERIOD_PATTERN},
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
        "offset",
        "Rows to skip (use `meta.next_offset` of the previous page).",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    ),
}

# Every parameter without the build's lists of allowed values (what the /data page describes).
PARAMETERS = _parameters(None, None)

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


def _row(properties: dict, *, closed: bool = False) -> dict:
    """A table row: every listed column is always present (null where the schema allows); `closed` rows have no
    other columns, open ones may carry more columns than listed."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": not closed,
    }


_LEVEL = _string("Region level.", enum=list(LEVELS))
_PERIOD_TYPE = _string("jaar, halfjaar, kwartaal or maand.", enum=list(PERIOD_TYPES.values()))
_UNIT = _string("aantal or procent.", enum=list(UNITS))

_OBSERVATION = _row(
    {
        "indicator_id": _string("Indicator id."),
        "category_code": _nullable("string", "Category of a breakdown; null for indicators without one."),
        "region_code": _string("Region code (CBS spelling)."),
        "region_name": _nullable("string", "The region's latest Dutch name."),
        "region_level": _LEVEL,
        "period_code": _string("CBS period code.", pattern=_PERIOD_PATTERN),
        "period_type": _PERIOD_TYPE,
        "period_start": _string("First day of the period.", format="date"),
        "value": _nullable("number", "The published number; null (empty in CSV) when not published, never 0."),
        "value_status": _string(
            "definitief, voorlopig, nader_voorlopig, or why there is no value: geheim, onbekend, nihil, "
            "niet_van_toepassing.",
            enum=list(VALUE_STATUSES),
        ),
        "unit": _UNIT,
        "rate_per_1000": _nullable(
            "number", "Value per 1,000 inhabitants, only for counts with a population denominator."
        ),
        "source_table": _nullable("string", "The CBS table or export the number comes from."),
        "source_snapshot": _nullable("string", "Date of the source export, when known."),
        "dataset_kind": _string("'cbs' or 'demo'.", enum=["cbs", "demo"]),
        "build_id": _string("The warehouse build."),
    },
    closed=True,
)

_INDICATOR = _row(
    {
        "indicator_id": _string("Indicator id."),
        "title_nl": _string("Dutch title."),
        "title_en": _string("English title."),
        "unit": _UNIT,
        "has_national": {"type": "boolean"},
        "has_regional": {"type": "boolean"},
        "has_time_series": {"type": "boolean"},
    }
)

_REGION = _row(
    {
        "region_code": _string("Region code."),
        "classification_year": {"type": "integer"},
        "level": _LEVEL,
        "name_nl": _string("Dutch name."),
        "name_en": _string("English name."),
        "vt_code": _nullable("string", "Veilig Thuis region of a gemeente."),
        "pv_code": _nullable("string", "Provincie of a gemeente."),
    }
)

_PERIOD = _row(
    {
        "period_code": _string("CBS period code.", pattern=_PERIOD_PATTERN),
        "period_type": _PERIOD_TYPE,
        "period_start": _string("First day.", format="date"),
        "year": {"type": "integer"},
        "label_nl": _string("Dutch label."),
        "label_en": _string("English label."),
        "status": _string("definitief, voorlopig or nader_voorlopig.", enum=list(PUBLISHED_STATUSES)),
    }
)

_AVAILABILITY = _row(
    {
        "indicator_id": _string("Indicator id."),
        "level": _LEVEL,
        "period_type": _PERIOD_TYPE,
        "n_periods": {"type": "integer"},
        "n_regions": {"type": "integer"},
        "n_observations": {"type": "integer"},
        "n_published": {"type": "integer"},
        "first_period": _string("Oldest period code.", pattern=_PERIOD_PATTERN),
        "last_period": _string("Newest period code.", pattern=_PERIOD_PATTERN),
    }
)

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
_FILE_HEADERS = {
    "Content-Disposition": {
        "description": 'CSV and Parquet: attachment; filename="<table>-<build id>.csv|.parquet".',
        "schema": {"type": "string"},
    },
}
_PAGING_HEADERS = {
    "X-Total-Count": {"description": "Rows matching the filters, all pages.", "schema": {"type": "string"}},
    "Link": {
        "description": 'The next page, when there is one: </api/v1/observations?...&offset=N>; rel="next".',
        "schema": {"type": "string"},
    },
}
PARQUET = "application/vnd.apache.parquet"


def _envelope(row: dict) -> dict:
    return {
        "type": "object",
        "required": ["data", "meta"],
        "properties": {"data": {"type": "array", "items": row}, "meta": {"$ref": "#/components/schemas/Meta"}},
    }


def _get(summary: str, parameters: list[str], data: dict | None, files: bool = True, paged: bool = False) -> dict:
    """One GET operation; `files`: also CSV and Parquet (format=csv|parquet); `paged`: limit/offset headers."""
    content = {"application/json": {"schema": data}} if data else {"application/json": {"schema": {"type": "object"}}}
    headers = dict(_HEADERS)
    if files:
        content["text/csv"] = {"schema": {"type": "string"}}
        content[PARQUET] = {"schema": {"type": "string", "contentMediaType": PARQUET}}
        headers.update(_FILE_HEADERS)
    if paged:
        headers.update(_PAGING_HEADERS)
    return {
        "get": {
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
            "responses": {
                "200": {"description": "OK", "headers": headers, "content": content},
                "304": {"description": "Not modified: the If-None-Match ETag is still current."},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "414": {"$ref": "#/components/responses/UriTooLong"},
            },
        }
    }


def document(indicator_ids: Sequence[str] | None = None, region_codes: Sequence[str] | None = None) -> dict:
    """The OpenAPI 3.1 document served at /api/v1/openapi.json; given a build's indicator ids and region codes,
    it lists them as the allowed values, so clients (and property-based tests) know them."""
    rows = "#/components/schemas/"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Impactmonitor HGKM API",
            "version": "1",
            "description": (
                "Published Dutch statistics on domestic violence and child abuse (CBS, Veilig Thuis), one row per "
                "published number, as JSON, CSV or Parquet. Every response names the warehouse build it comes "
                "from; the `demo` dataset is fictitious. Unknown or repeated parameters, unknown values and values "
                f"longer than {MAX_VALUE_LENGTH} characters get a 400 with a JSON error body; a request line longer "
                "than the HTTP server accepts gets the server's own 414 before the API sees it. Observations are "
                f"capped at {ROW_CAP} rows per response: page with `limit` and `offset` (see `meta.next_offset`, or "
                "the `Link` and `X-Total-Count` headers in any format). Responses carry an ETag and Last-Modified "
                "from the build, so If-None-Match gives 304 until the next build. CORS: any origin may GET."
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
                paged=True,
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
                files=False,
            ),
            "/api/v1/openapi.json": _get("This document.", [], None, files=False),
        },
        "components": {
            "parameters": _parameters(indicator_ids, region_codes),
            "schemas": {
                "Meta": _META,
                "Error": _ERROR,
                "Observation": _OBSERVATION,
                "Indicator": _INDICATOR,
                "Region": _REGION,
                "Period": _PERIOD,
                "Availability": _AVAILABILITY,
            },
            "responses": {
                "BadRequest": {
                    "description": "A parameter is unknown, repeated, malformed, too long or not an allowed value.",
                    "content": {"application/json": {"schema": {"$ref": rows + "Error"}}},
                },
                "UriTooLong": {
                    "description": "The request line (path and query) is longer than the server accepts; answered "
                    "by the HTTP server itself, as a short HTML page, before the API sees the request.",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            },
        },
    }
