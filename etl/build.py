"""The build: discover raw inputs, parse, normalise, reconcile, write Parquet, validate, publish atomically."""

from __future__ import annotations

import ctypes
import hashlib
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from config import Settings
from etl import checks, tables
from etl.catalog import load_catalog
from etl.codes import region_level
from etl.discover import Input, discover_inputs
from etl.geo import topojson_to_geojson
from etl.normalise import Normalised, Reconciler, normalise_source
from etl.problems import InputError, Problem, problem
from etl.publish import build_lock, current_build_dir, publish, staging_dir
from etl.reference import build_reference
from etl.sources import parse_input
from store import connection

ETL_DIR = Path(__file__).resolve().parent
GEOJSON_DECIMALS = 4  # about 10 m: finer than the generalised boundaries themselves
OBSERVATION_SCHEMA = pa.schema(
    [
        ("indicator_id", pa.string()),
        ("category_code", pa.string()),
        ("region_code", pa.string()),
        ("period_code", pa.string()),
        ("period_start", pa.date32()),
        ("period_type", pa.string()),
        ("region_level", pa.string()),
        ("value", pa.float64()),
        ("value_status", pa.string()),
        ("source_table", pa.string()),
        ("source_snapshot", pa.string()),
    ]
)


@dataclass(frozen=True)
class BuildResult:
    build_id: str | None
    path: Path | None
    observations: int
    seconds: float
    skipped: bool = False


def code_version() -> str:
    """The git commit when available, plus a hash of the code that writes a build (the ETL and the store's database
    writer) so an uncommitted change shows."""
    digest = hashlib.sha256()
    for path in [*sorted(ETL_DIR.rglob("*.py")), Path(connection.__file__)]:
        digest.update(path.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ETL_DIR, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "nogit"
    return f"{commit}+etl.{digest.hexdigest()[:12]}"


def fingerprint(settings: Settings, inputs: list[Input]) -> str:
    """A hash of everything a build reads: inputs, catalog, reference data, boundaries and the ETL code."""
    digest = hashlib.sha256(settings.dataset.encode())
    for item in inputs:
        digest.update(f"{item.path.relative_to(settings.raw_dir)}:{item.sha256}".encode())
    for folder in (settings.catalog_dir, settings.reference_dir, settings.geo_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(code_version().split("+", 1)[1].encode())
    return digest.hexdigest()


def published_fingerprint(settings: Settings) -> str | None:
    """The fingerprint recorded by the published build, or None when nothing is published."""
    current = current_build_dir(settings.warehouse_dir)
    if current is None or not (current / "manifest.json").is_file():
        return None
    return json.loads((current / "manifest.json").read_text(encoding="utf-8")).get("fingerprint")


def build(settings: Settings, *, progress: bool = True, if_stale: bool = False) -> BuildResult:
    """Build and publish the warehouse of settings.dataset.

    Raises InputError (and leaves CURRENT untouched) on any problem in the inputs.
    """
    started = time.perf_counter()
    _use_jemalloc()
    with build_lock(settings.warehouse_dir):
        inputs = discover_inputs(settings.raw_dir)
        inputs_fingerprint = fingerprint(settings, inputs)
        if if_stale and published_fingerprint(settings) == inputs_fingerprint:
            return BuildResult(
                None, current_build_dir(settings.warehouse_dir), 0, time.perf_counter() - started, skipped=True
            )
        _check_dataset_kind(settings, inputs)
        catalog = load_catalog(settings.catalog_dir)
        reference = build_reference(settings.reference_dir, settings.geo_dir)
        reconciler = _parse_and_reconcile(inputs, catalog, reference, progress)
        parts, agreed = reconciler.parts, reconciler.agreed
        observations = reconciler.observations()
        built_at = datetime.now(UTC)
        build_id = f"{built_at:%Y%m%dT%H%M%SZ}-{inputs_fingerprint[:8]}"
        staged = staging_dir(settings.warehouse_dir, build_id)
        try:
            counts = _write_tables(staged, observations, catalog, reference, settings)
            connection.write_database(staged)
            manifest = _manifest(settings, build_id, built_at, inputs, parts, counts, agreed, inputs_fingerprint)
            (staged / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
            checks.check_build(staged, catalog)
            final = publish(settings.warehouse_dir, staged, build_id, settings.keep_builds)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return BuildResult(build_id, final, len(observations), time.perf_counter() - started)


def _check_dataset_kind(settings: Settings, inputs: list[Input]) -> None:
    """Never mix fictitious demo exports into the real dataset, nor real exports into the demo."""
    problems = [
        problem(item.path, None, None, f"{item.dataset_kind} export in the {settings.dataset} dataset")
        for item in inputs
        if (item.dataset_kind == "demo") != (settings.dataset == "demo")
    ]
    if not inputs:
        problems.append(problem(settings.raw_dir, None, None, "no inputs found"))
    if problems:
        raise InputError(problems)


def _parse_and_reconcile(inputs: list[Input], catalog, reference, progress: bool) -> Reconciler:
    """Parse, normalise and fold in each input, holding one parsed input in memory at a time.

    Every input is parsed even after a problem, so one run reports the problems of all inputs.
    """
    reconciler = Reconciler()
    problems: list[Problem] = []
    for item in tqdm(inputs, desc="parse", unit="input", disable=not progress, leave=False):
        try:
            source = parse_input(item.path, item.format_name)
            if source.snapshot is None:
                source.snapshot = item.snapshot
            part = normalise_source(source, catalog, reference.label_to_code)
            part.release_source()
            _check_regions([part], reference.regions)
            if not problems:
                reconciler.add(part)
            part.release_observations()
            _return_freed_memory()
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:  # e.g. a file removed or made unreadable while the build runs
            problems.append(problem(exc.filename or item.path, None, None, f"cannot be read: {exc.strerror or exc}"))
        except Exception as exc:  # noqa: BLE001 - any input no check foresaw: one line naming it, no traceback
            message = f"could not be read: unexpected {type(exc).__name__}: {exc} (please report this input)"
            problems.append(problem(item.path, None, None, message))
    if problems:
        raise InputError(problems)
    return reconciler


def _return_freed_memory() -> None:
    """Hand memory freed by a finished input back to the system, so the peak follows one input, not all of them."""
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _use_jemalloc() -> None:
    """Arrow's jemalloc pool returns freed memory more readily than its default (mimalloc) on Linux."""
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:
        return


def _check_regions(parts: list[Normalised], regions: pd.DataFrame) -> None:
    """Every region code must exist in some shipped classification."""
    known = set(regions["region_code"])
    problems = []
    for part in parts:
        unknown = ~part.observations["region_code"].isin(known)
        for row in part.observations[unknown].head(5).itertuples():
            problems.append(part.source.problem(row.source_row, "region", f"unknown region code {row.region_code}"))
    if problems:
        raise InputError(problems)


def _write_parquet(frame: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> int:
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    pq.write_table(table, path, compression="zstd", row_group_size=256_000)
    return table.num_rows


def _write_tables(staged: Path, observations: pd.DataFrame, catalog, reference, settings: Settings) -> dict[str, int]:
    observations = observations.sort_values(
        ["indicator_id", "region_code", "period_code", "category_code"], na_position="first"
    )
    observations["period_start"] = observations["period_start"].to_numpy().astype("datetime64[D]")
    observations["region_level"] = observations["region_code"].map(region_level)
    periods = tables.periods_table(observations)
    outputs = {
        "observations": (observations, OBSERVATION_SCHEMA),
        "indicators": (tables.indicators_table(catalog), None),
        "categories": (tables.categories_table(catalog), None),
        "themes": (tables.themes_table(catalog), None),
        "periods": (periods, None),
        "availability": (tables.availability_table(observations), None),
        "regions": (reference.regions, None),
        "region_names": (reference.region_names, None),
        "region_membership": (reference.membership, None),
        "population": (reference.population, None),
        "population_for_periods": (tables.population_for_periods(reference.population, periods), None),
        "boundaries": (reference.boundaries, None),
    }
    counts = {
        name: _write_parquet(frame, staged / f"{name}.parquet", schema) for name, (frame, schema) in outputs.items()
    }
    geo = staged / "geo"
    geo.mkdir()
    for name in sorted(set(reference.boundaries["file"])):
        shutil.copyfile(settings.geo_dir / name, geo / name)
        topology = json.loads((settings.geo_dir / name).read_text(encoding="utf-8"))
        features = topojson_to_geojson(topology, precision=GEOJSON_DECIMALS)
        (geo / name.replace(".topojson", ".geojson")).write_text(json.dumps(features, separators=(",", ":")))
    shutil.copyfile(settings.geo_dir / "README.md", geo / "README.md")
    return counts


def _manifest(settings, build_id, built_at, inputs, parts, counts, agreed, inputs_fingerprint) -> dict:
    by_path = {part.source.path: part for part in parts}
    return {
        "build_id": build_id,
        "dataset_kind": settings.dataset,
        "is_fictitious": settings.dataset == "demo",
        "built_at": built_at.isoformat(timespec="seconds"),
        "code_version": code_version(),
        "fingerprint": inputs_fingerprint,
        "inputs": [
            {
                "path": str(item.path.relative_to(settings.data_dir)),
                "format": by_path[item.path].source.format,
                "sha256": item.sha256,
                "bytes": item.size_bytes,
                "snapshot": item.snapshot,
                "rows": by_path[item.path].source_rows,
                "observations": by_path[item.path].observation_count,
                "unmapped": by_path[item.path].unmapped,
                "warnings": by_path[item.path].source.warnings,
            }
            for item in inputs
        ],
        "tables": counts,
        "duplicates_agreed": agreed,
    }
