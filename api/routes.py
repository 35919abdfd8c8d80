"""The /api/v1 endpoints: validate parameters -> query the store -> JSON, CSV or Parquet with cache headers."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
from flask import Blueprint, Response, request

from api import params
from api.http import add_cache_headers, client_has_build, table_csv, table_parquet
from api.openapi import document
from api.params import MAX_OFFSET, ROW_CAP, ApiError
from store import runtime
from store.queries import LEVELS, Store

FORMATS = ("json", "csv", "parquet")
PARQUET = "application/vnd.apache.parquet"

api = Blueprint("api", __name__, url_prefix="/api")


@api.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return _json_response(error.body(), error.status)


@api.route("/v1/indicators")
def indicators() -> Response:
    """The indicator catalog with where data exists (national, regional, time series)."""
    values = params.single_values(request.args, ("format",))
    fmt = params.choice(values, "format", FORMATS, "json")
    return _conditional(lambda store: _table(store, store.indicators(), fmt, "indicators"))


@api.route("/v1/regions")
def regions() -> Response:
    """Regions per level in the classification that applies to a year (default: the newest shipped one)."""
    values = params.single_values(request.args, ("level", "year", "format"))
    level = params.choice(values, "level", LEVELS)
    year = params.year(values)
    fmt = params.choice(values, "format", FORMATS, "json")

    def build(store: Store) -> Response:
        frames = []
        for each in (level,) if level else LEVELS:
            classification = year if year is not None else store.latest_classification_year(each)
            if classification is not None:
                frames.append(store.regions(each, classification).drop(columns=["boundary_file"]))
        return _table(store, pd.concat(frames, ignore_index=True), fmt, "regions")

    return _conditional(build)


@api.route("/v1/periods")
def periods() -> Response:
    """Periods with observations of an indicator (at one level, if given), newest first."""
    values = params.single_values(request.args, ("indicator", "level", "format"))
    store = runtime.current()
    indicator = params.required(values, "indicator", _indicator_ids(store), "an indicator id; see /api/v1/indicators")
    level = params.choice(values, "level", LEVELS)
    fmt = params.choice(values, "format", FORMATS, "json")
    return _conditional(lambda store: _table(store, store.periods(indicator, level), fmt, "periods"))


@api.route("/v1/availability")
def availability() -> Response:
    """Indicator x region level x period type: how many periods, regions and published values exist."""
    values = params.single_values(request.args, ("indicator", "level", "format"))
    store = runtime.current()
    indicator = params.choice(values, "indicator", _indicator_ids(store))
    level = params.choice(values, "level", LEVELS)
    fmt = params.choice(values, "format", FORMATS, "json")

    def build(store: Store) -> Response:
        frame = store.availability()
        if indicator:
            frame = frame[frame["indicator_id"] == indicator]
        if level:
            frame = frame[frame["level"] == level]
        return _table(store, frame, fmt, "availability")

    return _conditional(build)


@api.route("/v1/observations")
def observations() -> Response:
    """Published numbers of one indicator, filtered by region, level and period; paged by limit/offset."""
    names = ("indicator", "region", "level", "period", "from", "to", "format", "limit", "offset")
    values = params.single_values(request.args, names)
    store = runtime.current()
    indicator = params.required(values, "indicator", _indicator_ids(store), "an indicator id; see /api/v1/indicators")
    region_codes = params.regions(values, store.known_regions())
    level = params.choice(values, "level", LEVELS)
    period = params.period(values, "period")
    start, end = params.period_range(values)
    fmt = params.choice(values, "format", FORMATS, "json")
    limit = params.integer(values, "limit", ROW_CAP, ROW_CAP, minimum=1)
    offset = params.integer(values, "offset", 0, MAX_OFFSET)

    def build(store: Store) -> Response:
        page, total = store.api_observations(
            indicator, region_codes, level, period.code if period else None, start, end, limit, offset
        )
        following = offset + len(page)
        paging = {
            "total_count": total,
            "limit": limit,
            "offset": offset,
            "next_offset": following if following < total else None,
        }
        name = f"observations-{indicator}" + (f"-offset{offset}" if offset else "")
        response = _table(store, page, fmt, name, paging, with_provenance=True)
        return _paging_headers(response, paging)

    return _conditional(build)


@api.route("/v1/manifest")
def manifest() -> Response:
    """The published build's manifest: inputs with checksums and snapshots, row counts, dataset kind."""
    params.single_values(request.args, ())
    return _conditional(lambda store: _json_response({"data": store.manifest(), "meta": _meta(store)}))


@api.route("/v1/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    params.single_values(request.args, ())
    return _conditional(lambda store: _json_response(document(_indicator_ids(store), sorted(store.known_regions()))))


@api.route("/", defaults={"rest": ""})
@api.route("/<path:rest>")
def unknown(rest: str) -> Response:
    """Any other path under /api: a JSON 404 (instead of the dashboard's page fallback)."""
    raise ApiError(f"no such API endpoint: /api/{rest[:80]}", status=404, allowed=_endpoints())


def _endpoints() -> list[str]:
    return sorted(document()["paths"])


def _indicator_ids(store: Store) -> list[str]:
    return store.indicators()["indicator_id"].tolist()


def _meta(store: Store, row_count: int | None = None) -> dict:
    manifest = store.manifest()
    meta = {
        "build_id": manifest["build_id"],
        "dataset_kind": manifest["dataset_kind"],
        "is_fictitious": manifest["is_fictitious"],
        "built_at": manifest["built_at"],
    }
    if row_count is not None:
        meta["row_count"] = row_count
    return meta


def _conditional(build: Callable[[Store], Response]) -> Response:
    """Answer 304 when the client holds this build's response; otherwise build it, with cache headers."""
    store = runtime.current()
    manifest = store.manifest()
    response = Response(status=304) if client_has_build(manifest) else build(store)
    return add_cache_headers(response, manifest)


def _table(
    store: Store, frame: pd.DataFrame, fmt: str, name: str, extra: dict | None = None, *, with_provenance: bool = False
) -> Response:
    """A frame as {"data": [...], "meta": {...}}, CSV or Parquet (same columns and rows); with provenance each row
    names dataset kind and build. Dates are YYYY-MM-DD text in JSON and CSV, DATE columns in Parquet."""
    frame = frame.reset_index(drop=True)
    meta = {**_meta(store, len(frame)), **(extra or {})}
    if with_provenance:
        frame["dataset_kind"] = meta["dataset_kind"]
        frame["build_id"] = meta["build_id"]
    if fmt == "csv":
        return _csv_response(frame, f"{name}-{meta['build_id']}.csv")
    if fmt == "parquet":
        return _attachment(Response(table_parquet(frame, meta), mimetype=PARQUET), f"{name}-{meta['build_id']}.parquet")
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    data = frame.to_json(orient="records", force_ascii=False, double_precision=15)
    body = f'{{"data":{data},"meta":{json.dumps(meta, ensure_ascii=False)}}}'
    return Response(body, mimetype="application/json")


def _csv_response(frame: pd.DataFrame, filename: str) -> Response:
    """UTF-8, comma-separated, header row; empty cells for missing values, whole numbers without '.0'."""
    response = Response(table_csv(frame), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return _attachment(response, filename)


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _paging_headers(response: Response, paging: dict) -> Response:
    """X-Total-Count and a Link to the next page (RFC 8288), so CSV and Parquet clients can page like JSON ones."""
    response.headers["X-Total-Count"] = str(paging["total_count"])
    if paging["next_offset"] is not None:
        query = {**request.args.to_dict(), "offset": str(paging["next_offset"])}
        response.headers["Link"] = f'<{request.path}?{urlencode(query)}>; rel="next"'
    return response


def _json_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype="application/json")
