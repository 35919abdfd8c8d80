"""Whole-dataset downloads under /data/download: the build's Parquet tables, its manifest and a zip of CSVs."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from pathlib import Path

import pandas as pd
from flask import Blueprint, Response, redirect, send_file

from api.http import add_cache_headers, client_has_build, table_csv
from api.params import MAX_AGE
from store import runtime
from store.connection import NoWarehouseError, Snapshot

downloads = Blueprint("downloads", __name__, url_prefix="/data/download")

_OLDER_ZIP = re.compile(r"hgkm-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}-csv\.zip")  # a build's zip name (etl/build.py ids)
_ZIP_LOCK = threading.Lock()
_ZIP_CACHE: dict[str, bytes] = {}  # build id -> zip bytes; only the newest build is kept

README = """Impactmonitor huiselijk geweld en kindermishandeling - dataset {build_id}

Dataset kind: {dataset_kind}{fictitious}
Built at: {built_at}

Every table of this warehouse build as UTF-8 CSV (comma, header row; an empty cell is a missing value, never 0),
plus manifest.json (inputs with checksums and snapshots, row counts, code version).

observations.csv: one row per published number (or per number that was not published, with the reason)
  indicator_id     indicator id (see indicators.csv)
  category_code    category of a breakdown (see categories.csv); empty for the indicator's total
  region_code      region code in CBS spelling: NL01 (the Netherlands), LD01, PV27, VT09, GM0363
  period_code      CBS period code: 2024JJ00 (year), 2024HJ01 (half year), 2024KW01, 2024MM01
  period_start     first day of the period (YYYY-MM-DD)
  period_type      jaar, halfjaar, kwartaal or maand
  region_level     land, landsdeel, provincie, veilig_thuis_regio or gemeente
  value            the published number; empty when not published
  value_status     definitief         final figure
                   voorlopig          provisional figure
                   nader_voorlopig    revised provisional figure
                   geheim             suppressed for confidentiality (no value)
                   onbekend           not known / not published (no value)
                   nihil              nil (no value)
                   niet_van_toepassing  not applicable (no value)
  source_table     the CBS table or export the number comes from
  source_snapshot  date of the source export, when known

The same data is available through the HTTP API under /api/v1 (see /api/v1/openapi.json).
Licence of CBS figures: CC BY 4.0 (source: CBS).
"""


def zip_name(build_id: str) -> str:
    """The file name of the zipped CSV download of a build."""
    return f"hgkm-{build_id}-csv.zip"


def allowed_files(manifest: dict, build_id: str) -> list[str]:
    """Every downloadable name of a build: its Parquet tables (as its manifest lists them), manifest.json and the
    zipped CSVs."""
    tables = sorted(f"{table}.parquet" for table in manifest["tables"])
    return [*tables, "manifest.json", zip_name(build_id)]


@downloads.route("/", defaults={"name": ""})
@downloads.route("/<path:name>")
def download(name: str) -> Response:
    """One allow-listed file of the current build as an attachment; anything else is a JSON 404."""
    try:
        return runtime.current().warehouse.reading(lambda snapshot: _download(snapshot, name))
    except NoWarehouseError:
        return _not_found("nothing is published yet", [])


def _download(snapshot: Snapshot, name: str) -> Response:
    allowed = allowed_files(snapshot.manifest, snapshot.build_id)
    if name != zip_name(snapshot.build_id) and _OLDER_ZIP.fullmatch(name):
        # a /data page opened before the latest publish links the zip of its build: send the current one
        return redirect(zip_name(snapshot.build_id), code=307)
    if name not in allowed:
        return _not_found(f"no such download: {name[:80]}", allowed)
    if client_has_build(snapshot.manifest):
        response = Response(status=304)
    elif name == zip_name(snapshot.build_id):
        response = Response(csv_zip(snapshot.path, snapshot.build_id, snapshot.manifest), mimetype="application/zip")
    else:  # send_file opens the file here: once open, a prune cannot take it away
        mimetype = "application/json" if name.endswith(".json") else "application/vnd.apache.parquet"
        response = send_file(snapshot.path / name, mimetype=mimetype, etag=False, conditional=False, max_age=MAX_AGE)
    add_cache_headers(response, snapshot.manifest)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found(message: str, allowed: list[str]) -> Response:
    body = {"error": message, "parameter": None, "allowed": allowed}
    return Response(json.dumps(body, ensure_ascii=False), status=404, mimetype="application/json")


def csv_zip(build_dir: Path, build_id: str, manifest: dict) -> bytes:
    """Every table as UTF-8 CSV plus manifest.json and README.txt, zipped once per build and kept in memory."""
    with _ZIP_LOCK:
        if build_id not in _ZIP_CACHE:
            _ZIP_CACHE.clear()
            _ZIP_CACHE[build_id] = _build_zip(build_dir, build_id, manifest)
        return _ZIP_CACHE[build_id]


def _build_zip(build_dir: Path, build_id: str, manifest: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(build_dir.glob("*.parquet")):
            archive.writestr(f"{path.stem}.csv", table_csv(pd.read_parquet(path)))
        archive.write(build_dir / "manifest.json", "manifest.json")
        readme = README.format(
            build_id=build_id,
            dataset_kind=manifest.get("dataset_kind", ""),
            fictitious=" (FICTITIOUS demo data: the numbers are made up)" if manifest.get("is_fictitious") else "",
            built_at=manifest.get("built_at", ""),
        )
        archive.writestr("README.txt", readme)
    return buffer.getvalue()
