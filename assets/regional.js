/* Regional page: the map draws only its own boundaries, so plotly.js must not fetch its world base map
   (topojson from cdn.plot.ly). An empty base map registered up front keeps every request on this site. */
window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
window.PlotlyGeoAssets.topojson.world_110m = window.PlotlyGeoAssets.topojson.world_110m || {
    type: "Topology",
    objects: {},
    arcs: [],
};
