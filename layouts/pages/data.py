"""Data and API page `/data`: what the dataset is, whole-dataset downloads, the API endpoints and sample code."""

from __future__ import annotations

import dash
import flask
from dash import html

from api.downloads import zip_name
from api.openapi import PARAMETERS, document
from layouts import format as fmt
from layouts import ids, shell
from layouts.labels import text
from layouts.state import ViewState, parse_state
from store import runtime
from store.connection import NoWarehouseError

dash.register_page(__name__, path="/data", title="Data en API — Impactmonitor huiselijk geweld en kindermishandeling")

DOWNLOAD_PREFIX = "/data/download/"
EXAMPLES = {
    "/api/v1/indicators": "/api/v1/indicators",
    "/api/v1/regions": "/api/v1/regions?level=veilig_thuis_regio",
    "/api/v1/periods": "/api/v1/periods?indicator=ontvangen_meldingen&level=land",
    "/api/v1/observations": "/api/v1/observations?indicator=ontvangen_meldingen&region=NL01&format=csv",
    "/api/v1/availability": "/api/v1/availability?indicator=ontvangen_meldingen",
    "/api/v1/manifest": "/api/v1/manifest",
    "/api/v1/openapi.json": "/api/v1/openapi.json",
}


def base_url() -> str:
    """The scheme and host the visitor used (no trailing slash), so sample code can be copied as is."""
    if flask.has_request_context():
        return flask.request.host_url.rstrip("/")
    return ""


def dataset_section(manifest: dict, lang: str) -> html.Section:
    kind = "data_dataset_demo" if shell.is_demo(manifest) else "data_dataset_cbs"
    built = text("data_build", lang).format(build_id=manifest["build_id"], built_at=manifest["built_at"][:10])
    return html.Section(
        [
            html.H2(text("data_dataset_heading", lang)),
            html.P(text(kind, lang), className="alert alert-warning" if shell.is_demo(manifest) else None),
            html.P(built),
        ],
        id=ids.DATA_DATASET,
    )


def download_rows(manifest: dict, lang: str) -> list[tuple[str, str, str]]:
    """(file name, row count text, format text) for every download of the build, tables first."""
    rows = [
        (f"{table}.parquet", fmt.number(count, 0, lang), text("data_format_parquet", lang))
        for table, count in sorted(manifest.get("tables", {}).items())
    ]
    rows.append(("manifest.json", "", text("data_format_manifest", lang)))
    rows.append((zip_name(manifest["build_id"]), "", text("data_format_zip", lang)))
    return rows


def downloads_section(manifest: dict, lang: str) -> html.Section:
    header = html.Thead(
        html.Tr(
            [
                html.Th(text(key, lang), scope="col")
                for key in ("data_column_file", "data_column_rows", "data_column_format")
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(html.A(name, href=DOWNLOAD_PREFIX + name, download=name), scope="row"),
                    html.Td(rows, className="text-end"),
                    html.Td(kind),
                ]
            )
            for name, rows, kind in download_rows(manifest, lang)
        ]
    )
    return html.Section(
        [
            html.H2(text("data_downloads_heading", lang)),
            html.P(text("data_downloads_intro", lang)),
            html.Div(
                html.Table(
                    [html.Caption(text("data_downloads_caption", lang)), header, body], className="table table-sm"
                ),
                className="table-responsive",
            ),
        ],
        id=ids.DATA_DOWNLOADS,
    )


def endpoint_rows(lang: str) -> list[dict]:
    """Every GET endpoint of the OpenAPI document: path, summary, parameter names (required marked), example."""
    rows = []
    for path, item in document()["paths"].items():
        operation = item["get"]
        names = []
        for reference in operation["parameters"]:
            parameter = PARAMETERS[reference["$ref"].rsplit("/", 1)[-1]]
            required = f" ({text('data_required', lang)})" if parameter["required"] else ""
            names.append(parameter["name"] + required)
        rows.append(
            {
                "path": path,
                "summary": operation["summary"],
                "parameters": ", ".join(names) or text("data_none", lang),
                "example": EXAMPLES.get(path, path),
            }
        )
    return rows


def endpoints_section(lang: str) -> html.Section:
    columns = ("data_column_endpoint", "data_column_summary", "data_column_parameters", "data_column_example")
    header = html.Thead(html.Tr([html.Th(text(key, lang), scope="col") for key in columns]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(html.Code(row["path"]), scope="row"),
                    html.Td(row["summary"], lang="en"),
                    html.Td(row["parameters"]),
                    html.Td(html.A(html.Code(row["example"]), href=row["example"], className="text-break")),
                ]
            )
            for row in endpoint_rows(lang)
        ]
    )
    return html.Section(
        [
            html.H2(text("data_api_heading", lang)),
            html.P(text("data_api_intro", lang)),
            html.Div(
                html.Table([html.Caption(text("data_api_caption", lang)), header, body], className="table table-sm"),
                className="table-responsive",
            ),
        ],
        id=ids.DATA_ENDPOINTS,
    )


def sample_code(base: str) -> dict[str, str]:
    """Sample code per label key, with absolute URLs on the host the visitor used."""
    table = f"{base}{DOWNLOAD_PREFIX}observations.parquet"
    api = f"{base}/api/v1/observations?indicator=ontvangen_meldingen&region=NL01&format=csv"
    return {
        "data_sample_pandas": (
            f'import pandas as pd\n\nobservations = pd.read_parquet("{table}")\nnational = pd.read_csv("{api}")\n'
        ),
        "data_sample_duckdb": (
            "INSTALL httpfs; LOAD httpfs;\n"
            "SELECT region_code, period_code, value, value_status\n"
            f"FROM read_parquet('{table}')\n"
            "WHERE indicator_id = 'ontvangen_meldingen' AND category_code IS NULL;\n"
        ),
        "data_sample_r": (
            f'download.file("{table}", "observations.parquet", mode = "wb")\n'
            'observations <- arrow::read_parquet("observations.parquet")\n'
        ),
    }


def samples_section(lang: str) -> html.Section:
    blocks = []
    for key, code in sample_code(base_url()).items():
        blocks.append(html.H3(text(key, lang)))
        # tabIndex: a code block that scrolls sideways on a phone must be scrollable by keyboard too
        blocks.append(html.Pre(html.Code(code), className="bg-light p-2 border", tabIndex="0"))
    return html.Section([html.H2(text("data_samples_heading", lang)), *blocks], id=ids.DATA_SAMPLES)


def body(manifest: dict, state: ViewState) -> list:
    lang = state.lang
    return [
        html.H1(text("data_title", lang)),
        html.P(text("data_intro", lang), className="lead"),
        dataset_section(manifest, lang),
        downloads_section(manifest, lang),
        endpoints_section(lang),
        samples_section(lang),
    ]


def layout(**query) -> html.Div:
    try:
        store = runtime.current()
        state = parse_state(query, known_regions=store.known_regions())
        manifest = store.manifest()
        return shell.page(body(manifest, state), manifest, state, "/data", store.region_names())
    except NoWarehouseError:
        state = parse_state(query, known_regions=set())
        page_body = [
            html.H1(text("data_title", state.lang)),
            html.P(text("no_warehouse", state.lang), className="alert alert-info"),
        ]
        return shell.page(page_body, None, state, "/data")
