"""Where the demo dataset's generated exports live, and generating them when they are missing."""

from __future__ import annotations

from pathlib import Path

from config import Settings


def generate_demo_exports(settings: Settings, out_root: Path | None = None):
    """Generate the fictitious demo exports (CBS OData v4 layout) under <data>/demo/raw."""
    from etl.demo import generate_demo

    out = out_root or settings.data_dir / "demo" / "raw"
    return generate_demo(out, settings.catalog_dir, settings.reference_dir, settings.geo_dir)


def ensure_demo_exports(settings: Settings) -> None:
    """Generate the demo exports when the demo raw folder is missing or empty."""
    raw = settings.data_dir / "demo" / "raw"
    if not raw.is_dir() or not any(raw.rglob("Observations.json")):
        generate_demo_exports(settings)
