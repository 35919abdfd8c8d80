"""Production serving: compressed responses, long-lived caching of versioned static files, and a warm-up.

- Text responses are compressed (brotli, else gzip) by flask-compress. Static files (Dash's component bundles,
  /assets/) and chart downloads are the same bytes for every visitor of a build, so each is compressed once and
  kept (bounded); callback and API responses are small and compressed per response.
- Files whose URL carries a version (Dash fingerprints its bundles; /assets/ URLs get ?m=<mtime>) may be cached
  by browsers and proxies for a year: a new version has a new URL.
- plotly.js is served as the partial bundle of vendor/plotly/ (only the traces our charts draw, a quarter of the
  full bundle's size) under the URL where Dash's dcc.Graph looks for plotly.py's full one, and only when a page
  has a graph: a page without charts loads no plotly.js at all.
- The regional map's boundaries are served at versioned URLs (serving/boundaries.py) that the figures refer to,
  instead of travelling inline in every callback answer.
- Dash finishes setting itself up on its first request; warming up before the server forks means the first
  concurrent requests of every worker find it ready. After the warm-up every object alive (modules, Dash's
  callback map, the layout) is moved out of the garbage collector's sight (gc.freeze): collections during a
  callback then only walk the callback's own short-lived objects, and the forked workers keep sharing those
  pages instead of copying them when the collector touches them.
"""

from __future__ import annotations

import atexit
import gc

import dash

from config import Settings
from serving import boundaries, callback_memo, compression, plotly_bundle


def configure(app: dash.Dash, settings: Settings) -> None:
    """Compression, caching headers, memoised callback responses, the map boundaries' versioned URLs and the
    partial plotly.js bundle."""
    compression.configure(app.server)
    boundaries.configure(app.server)
    callback_memo.configure(app.server, settings.cache_redis_url)
    plotly_bundle.serve_partial_plotly(app)


def warm_up(app: dash.Dash) -> None:
    """Let Dash set itself up (first-request setup, layout and callback map) before any visitor arrives, and
    compress the plotly.js bundle once for all workers."""
    client = app.server.test_client()
    for path in ("/", "/_dash-layout", "/_dash-dependencies"):
        client.get(path)
    plotly = plotly_bundle.bundle_path(app)
    for encoding in ("br", "gzip"):
        client.get(plotly, headers={"Accept-Encoding": encoding})
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)  # at exit the frozen objects are collected again, DuckDB's bindings included
