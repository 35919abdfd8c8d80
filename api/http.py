"""HTTP details shared by the API and the downloads: caching validators from the build, CSV and Parquet bodies."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from flask import Response, request

from api.params import MAX_AGE


def _validators(manifest: dict) -> tuple[str, datetime]:
    """The ETag and Last-Modified (the build time) of everything a build serves. The ETag is the build id as a weak
    validator: the same data whatever the transfer encoding (compression would otherwise append ':br' to a strong
    one, and the client's If-None-Match would no longer match)."""
    return f'W/"{manifest["build_id"]}"', datetime.fromisoformat(manifest["built_at"]).replace(microsecond=0)


def client_has_build(manifest: dict) -> bool:
    """True when the request's If-None-Match (or else If-Modified-Since) says the client holds this build."""
    _, modified = _validators(manifest)
    if request.if_none_match:
        return request.if_none_match.contains_weak(manifest["build_id"])
    return request.if_modified_since is not None and modified <= request.if_modified_since


def add_cache_headers(response: Response, manifest: dict) -> Response:
    """ETag, Last-Modified and Cache-Control from the build, so clients and proxies can cache per release."""
    etag, modified = _validators(manifest)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = format_datetime(modified, usegmt=True)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def table_csv(frame: pd.DataFrame) -> str:
    """A table as CSV: comma, header row, empty cells for missing values, whole numbers without '.0'."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].map(_number)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False, na_rep="", lineterminator="\n")


def _number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def table_parquet(frame: pd.DataFrame, meta: dict) -> bytes:
    """A table as a Parquet file with the JSON response's columns, plus its `meta` as file metadata (key `hgkm`).

    Columns keep real types (text, whole numbers, decimals, booleans; dates as DATE). A text column that happens
    to hold only missing values on this page (e.g. `category_code` of an indicator without a breakdown) is still
    written as text, so every page of a query has the same schema. The pandas metadata is left out: the file reads
    the same in DuckDB, R or pandas.
    """
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    fields = [pa.field(field.name, _portable(field.type)) for field in table.schema]
    table = table.cast(pa.schema(fields)).replace_schema_metadata({"hgkm": json.dumps(meta, ensure_ascii=False)})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _portable(kind: pa.DataType) -> pa.DataType:
    """The Parquet column type of an Arrow type from pandas: dates as DATE, text (also all-missing) as string."""
    if pa.types.is_timestamp(kind):
        return pa.date32()
    if pa.types.is_null(kind) or pa.types.is_large_string(kind):
        return pa.string()
    return kind
