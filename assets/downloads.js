/* Saving a chart as PNG or SVG with its title, source line and data version drawn into the image.
   Buttons carry the texts as data attributes (no inline script, so a strict Content-Security-Policy holds);
   the chart is the plotly graph in the same section. Plotly.toImage renders a copy: the page is not changed. */
(function () {
    "use strict";

    function chartIn(button) {
        const scope = button.closest("section") || document;
        return scope.querySelector(".js-plotly-plot");
    }

    function annotated(graph, texts) {
        const layout = JSON.parse(JSON.stringify(graph.layout || {}));
        const margin = Object.assign({l: 60, r: 30, t: 30, b: 60}, layout.margin || {});
        margin.t = 90;
        margin.b = margin.b + 50;
        layout.margin = margin;
        layout.title = {
            text: texts.title, x: 0, xref: "paper", xanchor: "left", y: 0.98, yref: "container",
            font: {size: 16},
        };
        layout.annotations = (layout.annotations || []).concat([{
            text: texts.source + "<br>" + texts.version + " — Impactmonitor HGKM",
            xref: "paper", yref: "container", x: 0, y: 0.01, xanchor: "left", yanchor: "bottom",
            showarrow: false, align: "left", font: {size: 11, color: "#333"},
        }]);
        layout.paper_bgcolor = "#ffffff";
        return layout;
    }

    function save(button) {
        const graph = chartIn(button);
        if (!graph || !window.Plotly) {
            return;
        }
        const format = button.dataset.imageFormat;
        const texts = {
            title: button.dataset.imageTitle,
            source: button.dataset.imageSource,
            version: button.dataset.imageVersion,
        };
        const width = Math.max(graph.clientWidth || 0, 900);
        const height = Math.max(graph.clientHeight || 0, 450) + 140;
        window.Plotly.downloadImage(
            {data: graph.data, layout: annotated(graph, texts), config: {}},
            {format: format, width: width, height: height, filename: button.dataset.imageFile || "grafiek"}
        );
    }

    document.addEventListener("click", function (event) {
        const button = event.target.closest("button[data-image-format]");
        if (button) {
            save(button);
        }
    });
})();
