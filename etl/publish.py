"""Atomic publishing of immutable builds: a staging folder, a CURRENT pointer switched by os.replace, pruning."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CURRENT = "CURRENT"
STAGING_PREFIX = ".staging-"
LOCK = ".build.lock"


class BuildLockedError(RuntimeError):
    """Another build is running on the same warehouse."""


@contextmanager
def build_lock(warehouse_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock so two builds never publish into the same warehouse at once."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with (warehouse_dir / LOCK).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(f"another build holds {warehouse_dir / LOCK}") from None
        yield


def current_build_id(warehouse_dir: Path) -> str | None:
    """The published build id, or None when nothing is published."""
    try:
        build_id = (warehouse_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return build_id or None


def current_build_dir(warehouse_dir: Path) -> Path | None:
    build_id = current_build_id(warehouse_dir)
    return warehouse_dir / build_id if build_id else None


def staging_dir(warehouse_dir: Path, build_id: str) -> Path:
    """A fresh folder to write a build into; left-over staging folders of killed builds are removed first."""
    for stale in warehouse_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    path = warehouse_dir / f"{STAGING_PREFIX}{build_id}"
    path.mkdir(parents=True)
    return path


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(warehouse_dir: Path, staged: Path, build_id: str, keep: int) -> Path:
    """Move a validated staging folder into place and switch CURRENT to it atomically; then prune."""
    _fsync_tree(staged)
    final = warehouse_dir / build_id
    os.replace(staged, final)
    pointer = warehouse_dir / f"{CURRENT}.tmp"
    pointer.write_text(build_id + "\n", encoding="utf-8")
    with pointer.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, warehouse_dir / CURRENT)
    _fsync_dir(warehouse_dir)
    prune(warehouse_dir, keep)
    return final


def prune(warehouse_dir: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` builds; the published build is never removed."""
    current = current_build_id(warehouse_dir)
    builds = sorted(
        (
            p
            for p in warehouse_dir.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()
        ),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = []
    for old in builds[keep:]:
        if old.name != current:
            shutil.rmtree(old)
            removed.append(old.name)
    return removed
