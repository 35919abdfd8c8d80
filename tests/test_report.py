"""The printable region report without a browser: its builders over the real warehouses, routing, and the real
server answering the page's own router callback over HTTP."""

import urllib.request
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dash import html

import app  # noqa: F401  (instantiates Dash, so the page modules can register)
from layouts import format as fmt
from layouts import report as builders
from layouts.state import ViewState
from store import runtime
from tests.components import rendered
from tests.http_client import routed_page

TODAY = date(2026, 1, 31)


def _walk(component):
    """Every component of a Dash tree, depth first."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def _text(component) -> str:
    """The visible words of a component tree."""
    if isinstance(component, (str, int, float)):
        return str(component)
    if component is None:
        return ""
    children = getattr(component, "children", None)
    parts = children if isinstance(children, (list, tuple)) else [children]
    return " ".join(_text(part) for part in parts if part is not None)


def _prop(component, name: str):
    return component.to_plotly_json()["props"].get(name)


def _rows(article) -> dict[str, list[str]]:
    """Cells of the report's table vs NL, by indicator; the displayed period under the key '<id>:period'."""
    rows = {}
    for component in _walk(article):
        if isinstance(component, html.Tr) and _prop(component, "data-indicator"):
            indicator = _prop(component, "data-indicator")
            rows[indicator] = [_text(cell).strip() for cell in component.children]
            rows[f"{indicator}:period"] = _prop(component, "data-period")
    return rows


def _published(warehouse: Path, where: str, parameters: list) -> list[tuple]:
    """Rows straight from the observations Parquet the build wrote, not through the store."""
    build = (warehouse / "CURRENT").read_text().strip()
    sql = f"SELECT value, value_status FROM read_parquet(?) WHERE {where} ORDER BY period_start"
    with duckdb.connect() as connection:  # its own connection: nothing another test left on the default one
        return connection.execute(sql, [str(warehouse / build / "observations.parquet"), *parameters]).fetchall()


@pytest.fixture
def cbs(cbs_warehouse):
    return runtime.configure(cbs_warehouse)


@pytest.fixture
def demo(demo_warehouse):
    return runtime.configure(demo_warehouse)


def _report(store, code: str, **state) -> html.Article:
    from layouts.pages.report import report_body

    return report_body(store, code, ViewState(region=code, **state), TODAY)


def test_the_report_table_holds_the_published_numbers_next_to_nl(cbs, cbs_warehouse):
    article = _report(cbs, "VT06")
    rows = _rows(article)
    where = "indicator_id = ? AND region_code = ? AND category_code IS NULL AND period_type = 'jaar'"
    value, status = _published(cbs_warehouse, where, ["ontvangen_meldingen", "VT06"])[-1]
    assert rows["ontvangen_meldingen"][2] == fmt.value_with_status(value, status, 0, "aantal", "nl")
    profile = cbs.region_profile("VT06").set_index(["indicator_id", "period_code"])
    shown = [key for key in rows if not key.endswith(":period")]
    assert shown, "the report shows no indicator rows"
    for indicator in shown:
        row = profile.loc[(indicator, rows[f"{indicator}:period"])]
        decimals, unit = int(row["decimals"]), row["unit"]
        cells = rows[indicator]
        assert cells[2] == fmt.value_with_status(row["value"], row["value_status"], decimals, unit, "nl")
        nl_status = row["nl_value_status"] if isinstance(row["nl_value_status"], str) else None
        assert cells[4] == fmt.value_with_status(row["nl_value"], nl_status, decimals, unit, "nl")
        if row["rate_per_1000"] == row["rate_per_1000"]:  # not NaN
            assert cells[3].rstrip("*") == fmt.rate(row["rate_per_1000"], "nl")
    # halfjaar is wanted but VT06 has only years: each indicator shows its latest year
    latest = cbs.region_profile("VT06").sort_values("period_code").groupby("indicator_id")["period_code"].last()
    assert rows["ontvangen_meldingen:period"] == latest["ontvangen_meldingen"]


def test_the_demo_report_follows_the_period_type_and_language(demo):
    article = _report(demo, "VT09", lang="en", period_type="jaar")
    rows = _rows(article)
    profile = demo.region_profile("VT09").set_index(["indicator_id", "period_type"])
    for indicator in ("ontvangen_meldingen", "gestarte_adviezen", "afgeronde_onderzoeken"):
        row = profile.loc[(indicator, "jaar")]
        assert rows[f"{indicator}:period"] == row["period_code"]
        assert rows[indicator][1] == row["period_label_en"]
        assert rows[indicator][2] == fmt.value_with_status(row["value"], row["value_status"], 0, "aantal", "en")
        assert rows[indicator][4] == fmt.value_with_status(row["nl_value"], row["nl_value_status"], 0, "aantal", "en")
    half = _rows(_report(demo, "VT09"))
    assert half["ontvangen_meldingen:period"] == profile.loc[("ontvangen_meldingen", "halfjaar"), "period_code"]


def test_the_header_names_region_date_and_data_version_and_the_demo_is_never_cbs(demo):
    manifest = demo.manifest()
    article = _report(demo, "VT09")
    words = _text(article)
    assert "Regiorapport Haaglanden" in words and "Veilig Thuis-regio, regiocode VT09" in words
    assert TODAY.isoformat() in words and manifest["build_id"] in words and manifest["built_at"][:10] in words
    assert f"{manifest['dataset_kind']} — FICTIEVE DEMODATA" in words
    warnings = [c for c in _walk(article) if getattr(c, "id", None) == "report-demo-warning"]
    assert len(warnings) == 1 and "FICTIEVE DEMODATA" in _text(warnings[0])
    assert "Bron: CBS" not in words and "Source: CBS" not in words
    assert "fictieve demodata" in words and "Tabelindeling nagebootst van" in words
    english = _text(_report(demo, "VT09", lang="en"))
    assert "FICTITIOUS DEMO DATA" in english and "Source: CBS" not in english


def test_the_cbs_report_names_its_sources_and_never_calls_own_records_cbs(cbs):
    article = _report(cbs, "VT06")
    sources = next(c for c in _walk(article) if getattr(c, "id", None) == "report-sources")
    words = _text(sources)
    lines = [_text(c) for c in sources.children if isinstance(c, html.P)]
    profile = cbs.region_profile("VT06")
    own = profile["indicator_id"].str.startswith("eigen_registratie")
    cbs_tables = ", ".join(sorted(set(profile.loc[~own, "source_table"])))
    own_snapshots = profile.loc[own, ["source_table", "source_snapshot"]].drop_duplicates()
    assert f"Bron: CBS (CC BY 4.0), tabellen (peildatum): {cbs_tables}." in lines
    own_line = next(line for line in lines if line.startswith("Eigen registratie van Veilig Thuis-organisaties"))
    for table, snapshot in own_snapshots.itertuples(index=False):
        assert f"{table} ({snapshot})" in own_line and table not in cbs_tables
    years = sorted({int(y) for y in cbs.region_profile("VT06").dropna(subset=["rate_per_1000"])["population_year"]})
    assert f"Gebruikt inwonertal: {', '.join(map(str, years))}" in words
    assert "vijftallen" in words and "nooit een nul" in words and cbs.manifest()["build_id"] in words
    assert "FICTIEVE" not in _text(article)


def test_trend_cards_draw_the_region_and_nl_from_the_warehouse(cbs, cbs_warehouse):
    article = _report(cbs, "VT06")
    graphs = [c for c in _walk(article) if type(c).__name__ == "Graph"]
    assert [graph.id["indicator"] for graph in graphs] == ["eigen_registratie_adviezen"]
    graph = graphs[0]
    assert graph.config["staticPlot"] is True and graph.figure["layout"]["width"] == builders.CHART_WIDTH_PX
    drawn = {trace["name"]: trace["y"] for trace in graph.figure["data"] if trace["x"] != [None]}
    where = "indicator_id = ? AND region_code = ? AND period_type = 'jaar'"
    published = _published(cbs_warehouse, where, ["eigen_registratie_adviezen", "VT06"])
    assert drawn["Gelderland-Zuid"] == [value for value, _ in published]
    assert all(value is None for value in drawn["Nederland"])  # an own registration has no national figure
    keys = [_text(c) for c in _walk(article) if "report-chart-key" in (_prop(c, "className") or "")]
    assert len(keys) == 1 and "Gelderland-Zuid" in keys[0] and "Nederland" not in keys[0]
    trends = _text(next(c for c in _walk(article) if getattr(c, "id", None) == "report-trends"))
    assert "Geen ontwikkeling te tonen" in trends and "Ontvangen meldingen" in trends
    assert "Bron: CBS" not in trends  # the own registration's source line


def test_demo_trend_cards_are_rates_per_1000_of_every_headline_indicator(demo):
    article = _report(demo, "VT09")
    graphs = {c.id["indicator"]: c for c in _walk(article) if type(c).__name__ == "Graph"}
    headline = list(demo.indicators().query("is_headline")["indicator_id"])
    assert sorted(graphs) == sorted(headline)
    series = demo.region_series("ontvangen_meldingen", ("VT09",), "halfjaar")
    series = series[series["category_code"].isna()]
    drawn = {t["name"]: t["y"] for t in graphs["ontvangen_meldingen"].figure["data"] if t["x"] != [None]}
    assert drawn["Haaglanden"] == pytest.approx(list(series["rate_per_1000"]))
    keys = [_text(c) for c in _walk(article) if "report-chart-key" in (_prop(c, "className") or "")]
    assert all("Haaglanden" in key and "Nederland" in key and "voorlopig" in key for key in keys)
    ticks = graphs["ontvangen_meldingen"].figure["layout"]["xaxis"]
    assert len(ticks["tickvals"]) <= builders.MAX_TICKS and ticks["tickvals"][-1] == series["label_nl"].iloc[-1]


def test_definitions_cover_every_indicator_of_the_report(cbs):
    article = _report(cbs, "VT06")
    catalog = cbs.indicators().set_index("indicator_id")
    definitions = [c for c in _walk(article) if _prop(c, "className") == "report-definition"]
    listed = [_prop(c, "data-indicator") for c in definitions]
    assert set(listed) == set(cbs.region_profile("VT06")["indicator_id"])
    for component in definitions:
        row = catalog.loc[_prop(component, "data-indicator")]
        words = _text(component)
        assert row["definition_nl"] in words and row["source_tables"] in words and row["title_nl"] in words
    own = next(c for c in definitions if _prop(c, "data-indicator") == "eigen_registratie_adviezen")
    assert "geen CBS" in _text(own)


def test_a_region_without_figures_still_gets_a_report_with_its_data_version(cbs):
    article = _report(cbs, "GM0518")
    words = _text(article)
    assert "geen cijfers gepubliceerd" in words and cbs.manifest()["build_id"] in words
    assert not [c for c in _walk(article) if type(c).__name__ == "Graph"]


def test_unknown_and_hostile_codes_get_the_friendly_not_found_page(cbs):
    from layouts.pages import report

    assert "Regio niet gevonden" in rendered(report.layout("XX99"))
    hostile = rendered(report.layout("<script>alert(1)</script>"))
    assert "Regio niet gevonden" in hostile and "<script>" not in hostile
    assert "Regio niet gevonden" in rendered(report.layout(None))
    page = rendered(report.layout("vt06", lang="en", periodetype="decade"))
    assert "Region report Gelderland-Zuid" in page and "periodetype" in page  # the notice names the bad value


def test_the_report_path_routes_to_the_report_and_the_profile_path_to_the_profile():
    from dash._pages import _path_to_page

    assert _path_to_page("regio/VT06/rapport")[0]["module"] == "layouts.pages.report"
    assert _path_to_page("regio/VT06/rapport")[1] == {"region_code": "VT06"}
    assert _path_to_page("regio/VT06")[0]["module"] == "layouts.pages.profile"


def test_the_report_link_keeps_the_view_state():
    link = builders.report_link("VT09", ViewState(lang="en", period_type="jaar", regions=("VT18",)))
    assert isinstance(link, html.A) and link.id == "report-link"
    assert link.href == "/regio/VT09/rapport?regio=VT09&periodetype=jaar&regios=VT18&lang=en"
    assert link.children == "Printable report (A4 / PDF)"
    back = next(c for c in _walk(builders.report_actions("VT09", ViewState(lang="en"))) if isinstance(c, html.A))
    assert back.href == "/regio/VT09?lang=en"


def test_small_charts_keep_the_newest_tick():
    axis = {"tickvals": list("abcdefghijklmn"), "ticktext": list("ABCDEFGHIJKLMN")}
    fewer = builders._fewer_ticks(axis, 6)
    assert fewer["tickvals"] == ["b", "e", "h", "k", "n"] and fewer["ticktext"][-1] == "N"
    assert builders._fewer_ticks({"tickvals": ["a"], "ticktext": ["A"]}, 6)["tickvals"] == ["a"]


# -- over HTTP, through the real server and the page router's own callback ---------------------------------------


def _route(base: str, path: str, search: str = "") -> tuple[int, str]:
    """What Dash's page router answers the browser for a path: the rendered page as JSON."""
    status, body = routed_page(base, path, search)
    return status, body.decode()


def test_the_report_is_served_over_http(cbs_server, cbs_warehouse):
    with urllib.request.urlopen(cbs_server + "/regio/VT06/rapport", timeout=10) as response:
        page = response.read().decode()
        assert response.status == 200 and "/assets/report.css" in page and "/assets/report.js" in page
    with urllib.request.urlopen(cbs_server + "/assets/report.js", timeout=10) as response:
        script = response.read().decode()
        assert "data-action='print'" in script and "window.print()" in script
    status, body = _route(cbs_server, "/regio/VT06/rapport", "?periodetype=jaar")
    assert status == 200 and "Traceback" not in body
    assert "Regiorapport Gelderland-Zuid" in body and "report-print" in body
    where = "indicator_id = ? AND region_code = ? AND category_code IS NULL AND period_type = 'jaar'"
    value, status = _published(cbs_warehouse, where, ["ontvangen_meldingen", "VT06"])[-1]
    assert fmt.value_with_status(value, status, 0, "aantal", "nl") in body


@pytest.mark.parametrize("path", ["/regio/XX99/rapport", "/regio/%3Cscript%3E/rapport", "/regio/a/b/rapport"])
def test_unknown_regions_get_a_friendly_page_over_http(cbs_server, path):
    status, body = _route(cbs_server, path)
    assert status == 200 and "Regio niet gevonden" in body
    assert "Traceback" not in body and "<script>" not in body and "/work/" not in body


def test_the_national_report_does_not_set_the_netherlands_against_itself(cbs):
    article = _report(cbs, "NL01")
    trends = next(c for c in _walk(article) if getattr(c, "id", None) == "report-trends")
    words = _text(trends)
    assert "ten opzichte van Nederland" not in words and "stippellijn" not in words
    graphs = [c for c in _walk(trends) if type(c).__name__ == "Graph"]
    assert graphs and all(len([t for t in g.figure["data"] if t["x"] != [None]]) == 1 for g in graphs)
