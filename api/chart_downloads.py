"""/download/<chart>: the data behind a chart or table as CSV, Dutch-Excel CSV, Excel or JSON, either what the chart
shows (bereik=getoond) or the full series of its indicator (bereik=volledig). Links come from the pages."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

import pandas as pd
from flask import Blueprint, Response, request

from api.http import add_cache_headers, client_has_build
from exports import files, rows
from exports.charts import CHARTS, PAGE_PARAMETERS, STATE_PARAMETERS, ChartCells, DownloadError, shown
from store import runtime

SCOPES = ("getoond", "volledig")
PARAMETERS = (*STATE_PARAMETERS, *PAGE_PARAMETERS, "formaat", "bereik")
MAX_VALUE_LENGTH = 400
FULL_CACHE_BYTES = 128 * 1024 * 1024  # per worker; the largest demo full series is ~70 MB as CSV

chart_downloads = Blueprint("chart_downloads", __name__)
_full_cache: OrderedDict[tuple, bytes] = OrderedDict()
_full_cache_lock = threading.Lock()


@chart_downloads.route("/download/<chart>")
def download(chart: str) -> Response:
    try:
        if chart not in CHARTS:
            body = DownloadError(f"unknown chart '{shown(chart)}'", "chart", sorted(CHARTS)).body()
            return Response(json.dumps(body, ensure_ascii=False), status=404, mimetype="application/json")
        query = _checked_query()
        fmt = _choice(query, "formaat", tuple(files.FORMATS), "csv")
        scope = _choice(query, "bereik", SCOPES, "getoond")
        store = runtime.current()
        manifest = store.manifest()
        if client_has_build(manifest):
            return add_cache_headers(Response(status=304), manifest)
        cells = CHARTS[chart](store, query)
        body = _full_file(store, cells, fmt) if scope == "volledig" else _file(store, cells, fmt, scope)
    except DownloadError as error:
        return Response(json.dumps(error.body(), ensure_ascii=False), status=400, mimetype="application/json")
    mimetype, extension = files.FORMATS[fmt]
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="hgkm-{cells.name}-{scope}.{extension}"'
    return add_cache_headers(response, manifest)


def _checked_query() -> dict[str, list[str]]:
    """The query as lists of values: only known parameters, each at most once and of a sane length."""
    query = request.args.to_dict(flat=False)
    for name, values in query.items():
        if name not in PARAMETERS:
            raise DownloadError(f"unknown parameter '{shown(name)}'", shown(name), list(PARAMETERS))
        if len(values) > 1:
            raise DownloadError(f"parameter {name!r} is given {len(values)} times; give it once", name)
        if len(values[0]) > MAX_VALUE_LENGTH:
            raise DownloadError(f"parameter {name!r} is longer than {MAX_VALUE_LENGTH} characters", name)
    return query


def _choice(query: dict, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = query.pop(name, [default])[0]
    if value not in allowed:
        raise DownloadError(f"{name} must be one of {', '.join(allowed)}", name, list(allowed))
    return value


def _metadata(store, cells: ChartCells, scope: str) -> dict:
    manifest = store.manifest()
    indicators = store.indicators().set_index("indicator_id")
    title = "title_en" if cells.lang == "en" else "title_nl"
    fictitious = bool(manifest.get("is_fictitious"))
    return {
        "title": "; ".join(indicators.loc[list(cells.indicator_ids), title]),
        "scope": "what the chart shows" if scope == "getoond" else "full series of the indicator",
        "dataset_kind": "fictitious_demo" if fictitious else "published",
        "warning": "FICTITIOUS DEMO DATA: made-up numbers, not CBS figures" if fictitious else "",
        "source": "none (fictitious demo data)" if fictitious else "CBS StatLine (CC BY 4.0) and the named sources",
        "sources": ", ".join(indicators.loc[list(cells.indicator_ids), "source_tables"].dropna().unique()),
        "build_id": manifest["build_id"],
        "built_at": manifest["built_at"],
        "url": request.url,
    }


def _file(store, cells: ChartCells, fmt: str, scope: str) -> bytes:
    frame = rows.describe(store, rows.shown_rows(store, cells.keys), cells.lang, rate=cells.rate, share=cells.share)
    return files.render(frame, fmt, _metadata(store, cells, scope))


def _full_file(store, cells: ChartCells, fmt: str) -> bytes:
    """The full series, kept per build in a bounded cache: the largest takes seconds to write."""
    key = (store.build_id, cells.indicator_ids, cells.full_regions, cells.lang, cells.rate, fmt)
    with _full_cache_lock:
        if key in _full_cache:
            _full_cache.move_to_end(key)
            return _full_cache[key]
    frames = [store.indicator_observations(indicator_id, cells.full_regions) for indicator_id in cells.indicator_ids]
    full = rows.describe(store, pd.concat(frames, ignore_index=True), cells.lang, rate=cells.rate, share=False)
    metadata = _metadata(store, cells, "volledig")
    metadata["url"] = "/api/v1/observations?indicator=" + ",".join(cells.indicator_ids)  # the same for every page
    body = files.render(full, fmt, metadata)
    with _full_cache_lock:
        _full_cache[key] = body
        while sum(len(kept) for kept in _full_cache.values()) > FULL_CACHE_BYTES and len(_full_cache) > 1:
            _full_cache.popitem(last=False)
    return body
