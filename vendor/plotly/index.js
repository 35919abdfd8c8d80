// The plotly.js traces the dashboard draws: core (which always holds scatter) plus bar and choropleth (geo).
// Everything else (gl, maps with tiles, 3D, finance, ...) is left out; see README.md.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/scatter'), require('plotly.js/lib/bar'), require('plotly.js/lib/choropleth')]);

module.exports = Plotly;
