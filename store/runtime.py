"""The process-wide Store the web app queries, configured once by create_app."""

from __future__ import annotations

from pathlib import Path

from store.queries import Store

_store: Store | None = None


def configure(warehouse_dir: Path) -> Store:
    """Point the app at a warehouse folder; the connection itself opens lazily on first query."""
    global _store
    _store = Store(warehouse_dir)
    return _store


def current() -> Store:
    if _store is None:
        raise RuntimeError("store.runtime.configure() was not called; create the app with app.create_app()")
    return _store
