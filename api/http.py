"""HTTP details shared by the API and the downloads: caching validators from the build, and CSV bodies."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

import pandas as pd
from flask import Response, request

from api.params import MAX_AGE


def _validators(manifest: dict) -> tuple[str, datetime]:
    """The ETag (the quoted build id) and Last-Modified (the build time) of everything a build serves."""
    return f'"{manifest["build_id"]}"', datetime.fromisoformat(manifest["built_at"]).replace(microsecond=0)


def client_has_build(manifest: dict) -> bool:
    """True when the request's If-None-Match (or else If-Modified-Since) says the client holds this build."""
    etag, modified = _validators(manifest)
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag[1:-1])
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
