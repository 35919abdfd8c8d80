"""The HTTP API under /api/v1 (JSON, CSV, Parquet; OpenAPI 3 at /api/v1/openapi.json), mounted on the Dash server."""

from __future__ import annotations

import json

from flask import Flask, Response, abort, request
from werkzeug.exceptions import HTTPException

from api.downloads import downloads
from api.routes import api


def register_api(server: Flask) -> None:
    """Mount the API blueprint; API paths get CORS headers, API and download paths JSON bodies for HTTP errors
    (404, 405), as their own refusals have."""
    server.register_blueprint(api)
    server.register_blueprint(downloads)
    # Chart downloads resolve a page's state with the page's own functions; page modules call dash.register_page
    # when imported, which Dash allows only once the app exists, so this import waits until the app is created.
    from api.chart_downloads import chart_downloads

    server.register_blueprint(chart_downloads)

    @server.after_request
    def _cors(response: Response) -> Response:
        if _is_api(request.path):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response.headers["Access-Control-Expose-Headers"] = (
                "ETag, Last-Modified, Content-Disposition, Link, X-Total-Count"
            )
        return response

    @server.before_request
    def _no_page_under_data_paths():
        # Dash's page fallback (/<path:path>) would answer a path that no route of these prefixes matches, such as
        # /api//v1/indicators (werkzeug's path converter never starts with a slash): a JSON 404 instead.
        rule = request.url_rule
        if rule is not None and rule.rule == "/<path:path>" and _answers_json(request.path):
            abort(404, description=f"no such path: {request.path[:80]}")

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not _answers_json(request.path):
            return error
        body = {"error": error.description or error.name, "parameter": None}
        response = Response(json.dumps(body), status=error.code, mimetype="application/json")
        if getattr(error, "valid_methods", None):  # a 405 names the allowed methods (RFC 9110)
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _answers_json(path: str) -> bool:
    """Paths whose clients read JSON errors: the API, the dataset and chart downloads, the map boundaries."""
    return _is_api(path) or path.startswith(("/data/download/", "/download/", "/geo/"))
