"""Security headers on every response, a Content-Security-Policy without inline or eval'd scripts, and a limit on
request bodies.

- Scripts run only from this origin, plus Dash's own inline scripts (the renderer's start-up line and inline
  clientside callbacks such as the page title of dash.register_page), each allowed by its hash (Dash's
  csp_hashes), so an injected <script> or inline handler never runs: no 'unsafe-inline', no 'unsafe-eval'.
  Our own clientside code lives in assets/, loaded from this origin.
- Styles may be inline: plotly.js writes <style> elements and style attributes, Dash components style attributes.
- Images may be data: and blob: URLs: Bootstrap's CSS draws its icons from data: SVGs, and a chart saved as PNG or
  SVG (assets/downloads.js, plotly's client-side export) passes through both.
- No page may be framed (clickjacking), no plugin loaded, no <base> or form pointed elsewhere; callbacks and
  plotly.js talk only to this origin.
- A request body larger than MAX_BODY_BYTES is refused with a short 413 before anything reads it: the largest body a
  page sends is a callback of about 5 KB (benchmarks/payloads/); nginx in front refuses the same (deploy/nginx.conf).
- Dash's /_reload-hash serves the hot reloader of a developer's `debug=True` run; in production it would only list
  the installed packages, so it answers 404 unless hot reload is on.
"""

from __future__ import annotations

import functools

import dash
from flask import Response, abort, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_BODY_BYTES = 1024 * 1024  # the same 1 MB as nginx's client_max_body_size; 200 times the largest real callback

CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],  # plus the hashes of Dash's inline scripts
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
        "midi", "payment", "usb",
    )
)  # fmt: skip


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy as one header value, the given hashes ('sha256-...' in quotes) added to script-src."""
    directives = {**CSP_DIRECTIVES, "script-src": CSP_DIRECTIVES["script-src"] + script_hashes}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def configure(app: dash.Dash) -> None:
    """Security headers on every response (pages, callbacks, API, static files, errors), the body limit, and no
    hot-reload route in production."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @functools.cache
    def headers() -> dict[str, str]:
        # Computed on the first response, when every callback (and so every inline script) is registered.
        return {
            "Content-Security-Policy": content_security_policy(list(app.csp_hashes())),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
            # A source linked from a page (CBS, Veilig Thuis) sees the site, not the view the visitor had open.
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": PERMISSIONS_POLICY,  # no page uses a camera, location, payment, ...
            "Cross-Origin-Opener-Policy": "same-origin",  # a page opened from elsewhere gets no handle on ours
        }

    @server.before_request
    def _refuse_large_bodies():
        # Also for routes that never read their body. A chunked body has no length to check: Werkzeug reads it no
        # further than MAX_CONTENT_LENGTH and refuses it (400) there.
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise RequestEntityTooLarge()

    @server.before_request
    def _no_hot_reload_route():
        if request.path.endswith("/_reload-hash") and not app._dev_tools.hot_reload:
            abort(404)

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_error: RequestEntityTooLarge) -> Response:
        response = jsonify(error=f"request body too large; the limit is {MAX_BODY_BYTES} bytes")
        response.status_code = 413
        response.headers["Connection"] = "close"  # the unread body must not be taken for the next request
        return response

    @server.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers().items():
            response.headers.setdefault(name, value)
        return response
