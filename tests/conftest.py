"""Shared fixtures: data folders and real warehouses built in temporary folders."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from config import PROJECT_ROOT, Settings, load_settings
from etl.build import build

DATA = PROJECT_ROOT / "data"


def make_settings(data_dir: Path, warehouse_dir: Path, dataset: str = "cbs") -> Settings:
    return load_settings(
        {"HGKM_DATASET": dataset, "HGKM_DATA_DIR": str(data_dir), "HGKM_WAREHOUSE_DIR": str(warehouse_dir)}
    )


def copy_data_dir(target: Path) -> Path:
    """A private copy of the shipped raw exports, with catalog, reference and boundaries linked read-only."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DATA / "raw", target / "raw")
    for name in ("catalog", "reference", "geo"):
        (target / name).symlink_to(DATA / name)
    return target


def tree_checksum(folder: Path) -> str:
    """A checksum of every file (name and bytes) under a folder, to prove a build was left untouched."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".build.lock"):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def cbs_warehouse(tmp_path_factory) -> Path:
    """The real `cbs` dataset, built once for the session from the shipped exports."""
    warehouse = tmp_path_factory.mktemp("warehouse-cbs")
    build(make_settings(DATA, warehouse), progress=False)
    return warehouse


@pytest.fixture
def private_data(tmp_path) -> Settings:
    """Settings over a private copy of the raw exports and an empty warehouse, for tests that change inputs."""
    data = copy_data_dir(tmp_path / "data")
    return make_settings(data, tmp_path / "warehouse")


@pytest.fixture(scope="session")
def cbs_server(cbs_warehouse) -> str:
    """The production server (gunicorn) serving the `cbs` build over HTTP on loopback."""
    from tests.servers import running_server

    with running_server(cbs_warehouse) as base:
        yield base


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The fictitious `demo` dataset, generated and built once for the session (about 1.2 million observations)."""
    root = tmp_path_factory.mktemp("demo")
    data = root / "data"
    data.mkdir()
    for name in ("catalog", "reference", "geo"):
        (data / name).symlink_to(DATA / name)
    settings = make_settings(data, root / "warehouse", dataset="demo")
    from etl.demo_inputs import ensure_demo_exports

    ensure_demo_exports(settings)
    build(settings, progress=False)
    return settings.warehouse_dir


@pytest.fixture(scope="session")
def demo_server(demo_warehouse) -> str:
    from tests.servers import running_server

    with running_server(demo_warehouse, dataset="demo") as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, launched once for the session (see tests/browser.py)."""
    from tests.browser import browser

    with browser() as instance:
        yield instance
