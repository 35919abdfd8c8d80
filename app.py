"""The Dash app: create_app(settings) wires pages, store and server; `server` is the WSGI entry point."""

from __future__ import annotations

import importlib
import logging
import pkgutil

import dash
from dash.exceptions import CallbackException, DependencyException
from flask import Flask, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

import callbacks
import serving
from api import register_api
from config import Settings, load_settings
from layouts import shell
from layouts.labels import language
from serving import security
from store import runtime


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the app for one warehouse; the database opens lazily on the first query (safe after fork)."""
    settings = settings or load_settings()
    runtime.configure(settings.warehouse_dir)
    app = Dashboard(
        __name__,
        use_pages=True,
        pages_folder="layouts/pages",
        title="Impactmonitor HGKM",
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=True,  # callbacks refer to components that pages render later
    )
    app.layout = shell.app_layout
    register_callbacks()
    _install_error_handlers(app.server)
    register_api(app.server)
    security.configure(app)  # first: a request it refuses reaches no other hook
    serving.configure(app, settings)
    return app


class Dashboard(dash.Dash):
    """Dash with the page's language on <html lang>, from the first response on (assets/a11y.js keeps it in step
    when the visitor navigates without reloading), and without the server's exact Python build in every page."""

    def _config(self) -> dict:
        config = super()._config()
        config.pop("python_version", None)  # only Dash's dev tools show it; debug is off
        return config

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        lang = language(request.args.get("lang")) if has_request_context() else "nl"
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def register_callbacks() -> None:
    """Import every module of the callbacks package; each registers its callbacks with dash.callback."""
    for module in pkgutil.iter_modules(callbacks.__path__):
        importlib.import_module(f"callbacks.{module.name}")


def _install_error_handlers(server: Flask) -> None:
    """Bad requests get a short message; nothing internal (stack traces, paths) ever reaches a visitor."""
    log = logging.getLogger("hgkm.web")

    @server.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if isinstance(error, DependencyException):  # an unknown file under /_dash-component-suites/
            return jsonify(error="not found"), 404
        if request.path.startswith("/_dash-update-component") and isinstance(
            error, (LookupError, ValueError, TypeError, AttributeError, RecursionError, CallbackException)
        ):  # a forged request that Dash's own request parsing trips over (RecursionError: JSON nested too deep;
            # CallbackException: outputs or inputs that match no callback)
            log.warning("rejected callback request: %.200r", str(error))
            return jsonify(error="invalid callback request"), 400
        log.exception("unexpected error on %s", request.path)
        return jsonify(error="internal error; it has been logged"), 500


def _server():
    app = create_app()
    serving.warm_up(app)
    return app.server


server = _server()

if __name__ == "__main__":
    settings = load_settings()
    create_app(settings).run(host=settings.host, port=settings.port, debug=False)
