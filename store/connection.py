"""The process's DuckDB connection over the CURRENT build: lazy, read-only, locked down, renewed on publish; and
the build's database file that the ETL writes for it."""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from etl.publish import CURRENT

T = TypeVar("T")

DATABASE = "warehouse.duckdb"  # every build's tables in one DuckDB file, beside their Parquet files

# Tables every build has; names are fixed here and never come from input.
TABLES = (
    "observations",
    "indicators",
    "categories",
    "themes",
    "periods",
    "availability",
    "regions",
    "region_names",
    "region_membership",
    "population",
    "population_for_periods",
    "boundaries",
)


# Totals (no category, or the breakdown's total category) ordered by region: the region profile reads one
# region's rows, which in `observations` (ordered by indicator) would mean a scan of every row.
REGION_TOTALS = """
CREATE TABLE region_totals AS
SELECT o.* FROM observations o
JOIN indicators i USING (indicator_id)
LEFT JOIN categories c ON c.breakdown = i.breakdown AND c.category_code = o.category_code
WHERE o.category_code IS NULL OR c.is_total
ORDER BY o.region_code, o.indicator_id, o.period_start
"""


OPEN_ATTEMPTS = 3  # builds tried in turn when the one CURRENT named is pruned while it is being opened


class NoWarehouseError(RuntimeError):
    """Nothing is published yet in the warehouse folder."""


@dataclass(frozen=True)
class Snapshot:
    """One opened build: its id, folder, manifest and connection."""

    build_id: str
    path: Path
    manifest: dict
    connection: duckdb.DuckDBPyConnection


def write_database(build_dir: Path) -> None:
    """Write the build's Parquet tables, and the derived region_totals, into one DuckDB database file next to them:
    the file the app opens read-only (the ETL calls this before the build's checks, which run on it)."""
    connection = duckdb.connect(str(build_dir / DATABASE))
    try:
        for table in TABLES:
            connection.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?)", [str(build_dir / f"{table}.parquet")]
            )
        connection.execute(REGION_TOTALS)
    finally:
        connection.close()


def open_build(build_dir: Path) -> duckdb.DuckDBPyConnection:
    """The build's database opened read-only, with file access off and the configuration locked: SQL can neither
    change the published data nor read, write or attach any file (no allowed directory, no temporary folder)."""
    path = build_dir / DATABASE
    if not path.is_file():  # DuckDB would report a missing database only vaguely
        raise FileNotFoundError(
            f"{path} is missing: build {build_dir.name} was pruned, or was written by an older ETL "
            "(run: python -m etl build)"
        )
    connection = duckdb.connect(str(path), read_only=True, config={"threads": 1, "temp_directory": ""})
    # Set after connecting: DuckDB applies connect-time options in its own order, and a closed file system then
    # refuses the temp_directory option. Already locked when DuckDB handed out an instance this process opened
    # before (it keeps one per file), configured the same way.
    (locked,) = connection.execute("SELECT current_setting('lock_configuration')").fetchone()
    if not locked:
        connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")
    return connection


_WAREHOUSES: weakref.WeakSet[Warehouse] = weakref.WeakSet()


def _close_before_fork() -> None:
    """DuckDB keeps one database instance per file in a process-wide cache, and a forked child would be handed its
    parent's instance, whose locks and threads did not survive the fork. So every warehouse closes its connection
    before a fork (gunicorn forks its workers after the warm-up): each child opens its own, and the parent reopens
    when it queries again."""
    for warehouse in list(_WAREHOUSES):
        warehouse.close()


os.register_at_fork(before=_close_before_fork)


class Warehouse:
    """Gives each query a cursor on the current build; safe across threads and after fork."""

    def __init__(self, warehouse_dir: Path):
        self.warehouse_dir = warehouse_dir
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._pointer_stamp: tuple[int, int] | None = None
        _WAREHOUSES.add(self)

    def _read_pointer(self) -> str:
        pointer = self.warehouse_dir / CURRENT
        try:
            build_id = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise NoWarehouseError(f"nothing published in {self.warehouse_dir}; run: python -m etl build") from None
        if not build_id or os.sep in build_id or build_id.startswith("."):
            raise NoWarehouseError(f"{pointer} does not name a build")
        return build_id

    def snapshot(self) -> Snapshot:
        """The current build, opening it when it changed since the last call (or was closed)."""
        pointer = self.warehouse_dir / CURRENT
        try:
            stat = pointer.stat()
            stamp = (stat.st_mtime_ns, stat.st_ino)
        except FileNotFoundError:
            stamp = None
        current = self._snapshot
        if current is not None and stamp == self._pointer_stamp:
            return current
        with self._lock:
            build_id = self._read_pointer()
            if self._snapshot is None or self._snapshot.build_id != build_id:
                self._snapshot = self._open(build_id)
            self._pointer_stamp = stamp
            return self._snapshot

    def close(self) -> None:
        """Close the connection; the next query opens the current build again."""
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.connection.close()
            self._snapshot = None
            self._pointer_stamp = None

    def _open(self, build_id: str) -> Snapshot:
        """Open a build; when it vanishes while being read (pruned right after a newer one was published), open the
        build CURRENT names now instead."""
        for _ in range(OPEN_ATTEMPTS - 1):
            try:
                return self._open_once(build_id)
            except (FileNotFoundError, duckdb.IOException):
                newer = self._read_pointer()
                if newer == build_id:
                    raise
                build_id = newer
        return self._open_once(build_id)

    def _open_once(self, build_id: str) -> Snapshot:
        path = self.warehouse_dir / build_id
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        return Snapshot(build_id, path, manifest, open_build(path))

    def reading(self, read: Callable[[Snapshot], T]) -> T:
        """`read(snapshot)` on the current build's files. A build's folder outlives its publication only until the
        next publish prunes it, so a file can vanish while a request reads it: then `read` runs again on the build
        CURRENT names now (the answer comes whole from one build, never a 404 or 500 for a file just pruned)."""
        snapshot = self.snapshot()
        for _ in range(OPEN_ATTEMPTS - 1):
            try:
                return read(snapshot)
            except FileNotFoundError:
                newer = self.snapshot()
                if newer.build_id == snapshot.build_id:
                    raise
                snapshot = newer
        return read(snapshot)

    def cursor(self) -> tuple[str, duckdb.DuckDBPyConnection]:
        """(build id, a new cursor) for one query."""
        snapshot = self.snapshot()
        return snapshot.build_id, snapshot.connection.cursor()
