"""Settings from the environment: the one place that reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent

DATASETS = ("cbs", "demo")


@dataclass(frozen=True)
class Setting:
    """One documented setting: environment variable, default and help text."""

    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "HGKM_DATASET", "cbs", "Dataset to build and serve: 'cbs' (real published figures) or 'demo' (fictitious)."
    ),
    Setting("HGKM_DATA_DIR", str(PROJECT_ROOT / "data"), "Folder with raw/, catalog/, reference/ and geo/."),
    Setting("HGKM_WAREHOUSE_DIR", "", "Folder holding published builds; default <HGKM_DATA_DIR>/warehouse/<dataset>."),
    Setting("HGKM_KEEP_BUILDS", "3", "How many published builds to keep when pruning old ones."),
    Setting("HGKM_HOST", "127.0.0.1", "Address the dashboard listens on."),
    Setting("HGKM_PORT", "8050", "Port the dashboard listens on."),
    Setting(
        "HGKM_CACHE_REDIS_URL",
        "",
        "Redis URL (redis://host:6379/0) where every instance keeps memoised callback answers; empty: each worker "
        "keeps its own in memory.",
    ),
)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process."""

    dataset: str
    data_dir: Path
    warehouse_dir: Path
    keep_builds: int
    host: str
    port: int
    cache_redis_url: str | None = None

    @property
    def catalog_dir(self) -> Path:
        return self.data_dir / "catalog"

    @property
    def reference_dir(self) -> Path:
        return self.data_dir / "reference"

    @property
    def geo_dir(self) -> Path:
        return self.data_dir / "geo"

    @property
    def raw_dir(self) -> Path:
        """Raw exports of the selected dataset: shipped real exports, or generated demo exports."""
        if self.dataset == "demo":
            return self.data_dir / "demo" / "raw"
        return self.data_dir / "raw"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment, validating each value."""
    env = os.environ if environ is None else environ
    values = {s.env: env.get(s.env) or s.default for s in SETTINGS}
    dataset = values["HGKM_DATASET"]
    if dataset not in DATASETS:
        raise ValueError(f"HGKM_DATASET={dataset!r}: expected one of {', '.join(DATASETS)}")
    data_dir = Path(values["HGKM_DATA_DIR"]).resolve()
    warehouse = values["HGKM_WAREHOUSE_DIR"]
    warehouse_dir = Path(warehouse).resolve() if warehouse else data_dir / "warehouse" / dataset
    try:
        keep = int(values["HGKM_KEEP_BUILDS"])
        port = int(values["HGKM_PORT"])
    except ValueError as exc:
        raise ValueError(f"HGKM_KEEP_BUILDS and HGKM_PORT must be integers: {exc}") from None
    if keep < 1:
        raise ValueError("HGKM_KEEP_BUILDS must be at least 1")
    redis_url = values["HGKM_CACHE_REDIS_URL"] or None
    if redis_url and not redis_url.startswith(REDIS_SCHEMES):
        raise ValueError(f"HGKM_CACHE_REDIS_URL must start with one of {', '.join(REDIS_SCHEMES)}")
    return Settings(dataset, data_dir, warehouse_dir, keep, values["HGKM_HOST"], port, redis_url)


__all__ = ["DATASETS", "SETTINGS", "Settings", "load_settings"]
