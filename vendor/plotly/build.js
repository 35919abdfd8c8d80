// Builds plotly-hgkm.min.js (plotly.js with only the traces the dashboard draws) and LICENSES.txt (the licences of
// everything bundled). Run with `npm ci && npm run build`; the output is the same bytes for the same lock file.
//
// It follows plotly.js 4.1.1's own dist build (esbuild-config.js, tasks/util/bundle_wrapper.mjs): an iife named
// Plotly inside plotly.js's UMD wrapper, which also sets window.Plotly, the attributes' documentation stripped,
// and the licence comments of bundled packages kept at the end.
'use strict';

const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const version = require('plotly.js/package.json').version;
const outfile = path.join(__dirname, 'plotly-hgkm.min.js');
const licenceFile = path.join(__dirname, 'LICENSES.txt');

// plotly.js strips the attributes' documentation from its dist bundles with these patterns (its esbuild plugin
// strip-meta-attributes); the schema's texts are only needed for its reference pages, not to draw.
const META = [
    /\s*description: '.*',?/g,
    /\s*description: \[[\s\S]*?\]\.join\([\s\S]*?\),?/g,
    /\s*requiredOpts: \[[\s\S]*?\],?/g,
    /\s*otherOpts: \[[\s\S]*?\],?/g,
    /\s*role: '.*',?/g,
    /\s*hrName: '.*',?/g,
];

const stripMeta = {
    name: 'strip-meta-attributes',
    setup(build) {
        build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => {
            const text = await fs.promises.readFile(args.path, 'utf8');
            return { contents: META.reduce((code, pattern) => code.replace(pattern, ''), text), loader: 'js' };
        });
    },
};

// Modules the dashboard's charts never reach, replaced by what plotly.js needs of them at load: maplibre-gl's
// stylesheet (for map tile traces; plotly.js's registry requires it regardless), d3-geo-projection (the exotic
// map projections; the map uses mercator, which d3-geo has) and country-iso-search (locationmode 'country
// names'; the map locates regions by the ids of its own GeoJSON).
const STUBS = {
    'maplibre-gl/dist/maplibre-gl.css': '',
    'd3-geo-projection': 'module.exports = {};',
    'country-iso-search':
        'module.exports = { COUNTRIES: [], createLookup: function () { return { lookupAlpha3: function () {} }; } };',
};

const stubModules = {
    name: 'stub-modules',
    setup(build) {
        const names = new RegExp('^(' + Object.keys(STUBS).map((name) => name.replace(/\./g, '\\.')).join('|') + ')$');
        build.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: 'stub' }));
        build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js' }));
    },
};

const header = `/**
* plotly.js (hgkm: core, scatter, bar, choropleth - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {`;

const footer = `
window.Plotly = Plotly;
return Plotly;
}));`;

/** The node_modules packages that put code into the bundle, by name. */
function bundledPackages(metafile) {
    const names = new Set();
    for (const output of Object.values(metafile.outputs)) {
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
            const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
            if (match && bytesInOutput > 0) names.add(match[1]);
        }
    }
    return [...names].sort();
}

/** plotly.js's licence first, then every other bundled package's name, version, licence and licence text. */
function licences(packages) {
    const ordered = ['plotly.js', ...packages.filter((name) => name !== 'plotly.js')];
    return ordered
        .map((name) => {
            const folder = path.join(__dirname, 'node_modules', name);
            const meta = require(path.join(folder, 'package.json'));
            const file = fs.readdirSync(folder).find((entry) => /^(licen[cs]e|copying)/i.test(entry));
            const author = typeof meta.author === 'object' ? meta.author.name : meta.author;
            const text = file
                ? fs.readFileSync(path.join(folder, file), 'utf8').trim()
                : `(the package ships no licence file; its package.json says ${meta.license}` +
                  `${author ? `, author ${author}` : ''})`;
            return `${'='.repeat(78)}\n${name} ${meta.version} (${meta.license})\n${'='.repeat(78)}\n\n${text}\n`;
        })
        .join('\n');
}

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'index.js')],
        outfile,
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        sourcemap: false,
        legalComments: 'eof',
        banner: { js: header },
        footer: { js: footer },
        plugins: [stripMeta, stubModules],
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        metafile: true,
        logLevel: 'info',
    })
    .then((result) => fs.writeFileSync(licenceFile, licences(bundledPackages(result.metafile))))
    .catch(() => process.exit(1));
