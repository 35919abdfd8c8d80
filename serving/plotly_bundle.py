"""plotly.js: the partial bundle of vendor/plotly/ (only the traces our charts draw), only for pages with a chart."""

from __future__ import annotations

import functools
import hashlib

import brotli
import dash
from dash import dcc
from dash.fingerprint import check_fingerprint
from flask import Response, abort, request

from config import PROJECT_ROOT
from serving.compression import ONE_YEAR

PLOTLY_BUNDLE = PROJECT_ROOT / "vendor" / "plotly" / "plotly-hgkm.min.js"
PLOTLY_NAME = "plotly.min.js"  # plotly.py's bundle, as Dash registers it (package_data/plotly.min.js)


def serve_partial_plotly(app: dash.Dash) -> None:
    """plotly.js only for pages that draw a chart, and only the traces our charts use.

    Dash registers plotly.py's full bundle as a dcc resource, "eager": a script of every page when Dash loads
    eagerly (DASH_EAGER_LOADING), else left to dcc.Graph. As "lazy" it is never a script of a page: dcc.Graph loads
    it when it first draws, from window._dashPlotlyJSURL, which the renderer points at package_data/plotly.min.js
    under Dash's component suites. This route, more specific than Dash's own for component suites, answers that
    URL, with or without Dash's fingerprint, with the partial bundle built in vendor/plotly/.

    The bundle is read once and, being the largest file a visitor loads, sent with brotli at its best quality
    (10% smaller than the level used for the other responses; a second of work, done once per process, before
    the workers fork when warmed up); a client without brotli gets it gzipped by flask-compress, kept like the
    other static files.
    """
    for resource in dcc._js_dist:  # Dash keeps its dcc resources here, and adds plotly once per app created
        if resource.get("namespace") == "plotly":
            resource["async"] = "lazy"
    bundle = PLOTLY_BUNDLE.read_bytes()
    etag = hashlib.sha256(bundle).hexdigest()[:32]

    @functools.cache
    def best_brotli() -> bytes:
        return brotli.compress(bundle, quality=11)

    def plotly_bundle(name: str) -> Response:
        path, fingerprinted = check_fingerprint(name)
        if path != PLOTLY_NAME:
            abort(404)
        if request.accept_encodings["br"]:
            response = Response(best_brotli(), mimetype="application/javascript", headers={"Content-Encoding": "br"})
        else:
            response = Response(bundle, mimetype="application/javascript")
        if fingerprinted:
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        else:  # the URL dcc.Graph asks for: revalidated, with a weak ETag (the same for every encoding)
            response.set_etag(etag, weak=True)
            response.make_conditional(request)
        return response

    app.server.add_url_rule(
        f"{app.config.routes_pathname_prefix}_dash-component-suites/plotly/package_data/<string:name>",
        endpoint="plotly_bundle",
        view_func=plotly_bundle,
    )


def bundle_path(app: dash.Dash) -> str:
    """The URL where dcc.Graph looks for plotly.js."""
    return f"{app.config.routes_pathname_prefix}_dash-component-suites/plotly/package_data/{PLOTLY_NAME}"
