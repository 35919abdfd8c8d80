"""Per-chart downloads in real Chromium: click a chart's download links, open the files and compare every row with
the chart's HTML table, the formats with each other, the full series with the warehouse, and the saved images.

Expected numbers are never written here: they are the page's own table cells (parsed from Dutch notation) and, for
the full series, counts read from the warehouse's Parquet with DuckDB.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from layouts import format as fmt
from layouts.labels import text
from store.queries import Store
from tests.browser import VIEWPORTS

pytestmark = pytest.mark.browser

NL = "NL01"
MARKS = {"voorlopig": "*", "nader_voorlopig": "**"}
# Statuses a shown cell has without an observation behind it (so they are not in the full series).
NOT_OBSERVED = {"niet_gepubliceerd", "regio_bestaat_niet"}
FULL_KEY = ["indicator_id", "category_code", "region_code", "period_code", "value", "value_status"]
EXTENSIONS = {"csv": ".csv", "csv-nl": ".nl.csv", "xlsx": ".xlsx", "json": ".json"}
JSON_TOLERANCE = 1e-15  # exports.files writes JSON numbers with 15 decimals, CSV and Excel with every digit
NUMBER = re.compile(r"(?P<number>\u2212?\d{1,3}(?:\.\d{3})*(?:,(?P<decimals>\d+))?)(?P<percent>%?)(?P<mark>\**)")


@dataclass
class Site:
    """One dataset as served: its base URL, its warehouse folder and a store over it."""

    name: str
    base: str
    warehouse: Path
    store: Store

    @property
    def kind(self) -> str:
        return "fictitious_demo" if self.name == "demo" else "published"

    @property
    def observations(self) -> str:
        build = (self.warehouse / "CURRENT").read_text().strip()
        return str(self.warehouse / build / "observations.parquet")

    def sql(self, query: str, *params) -> list[tuple]:
        """Rows of a query over the warehouse's observations (`obs`), read directly with DuckDB."""
        with duckdb.connect() as connection:
            connection.execute(f"CREATE VIEW obs AS SELECT * FROM read_parquet('{self.observations}')")
            return connection.execute(query, list(params)).fetchall()


@pytest.fixture(scope="module")
def cbs(cbs_server, cbs_warehouse) -> Site:
    return Site("cbs", cbs_server, cbs_warehouse, Store(cbs_warehouse))


@pytest.fixture(scope="module")
def demo(demo_server, demo_warehouse) -> Site:
    return Site("demo", demo_server, demo_warehouse, Store(demo_warehouse))


# -- the page side ---------------------------------------------------------------------------------------------------


def new_page(chromium):
    """A desktop page and the list collecting its console errors, page errors and server errors (5xx)."""
    page = chromium.new_page(viewport=VIEWPORTS["desktop"], accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda answer: errors.append(f"{answer.status} {answer.url}") if answer.status >= 500 else None)
    return page, errors


def visit(page, site: Site, path: str, ready: str) -> None:
    """Go to a page and wait until its callbacks have settled (a re-render would close an opened menu)."""
    response = page.goto(site.base + path)
    assert response.status == 200, path
    page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")


def table(page, selector: str) -> dict:
    """A table's header texts and, per body row, its data attributes and cell texts (hidden tables too)."""
    found = page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            if (!table) return null;
            const clean = (cell) => cell.textContent.replace(/\\s+/g, " ").trim();
            return {
                headers: [...table.querySelectorAll("thead th")].map(clean),
                rows: [...table.querySelectorAll("tbody tr")].map((row) => ({
                    attrs: {...row.dataset},
                    cells: [...row.querySelectorAll("th, td")].map(clean),
                })),
            };
        }""",
        selector,
    )
    assert found is not None, f"no table {selector!r} on {page.url}"
    return found


def menu(page, selector: str):
    """The download menu, opened by clicking its summary (once)."""
    details = page.locator(selector)
    assert details.count() == 1, f"expected one download menu {selector!r} on {page.url}, found {details.count()}"
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def download(page, menu_selector: str, scope: str, file_format: str) -> tuple[bytes, str]:
    """Click one data link of a menu; the downloaded bytes and the link's address (for messages)."""
    link = menu(page, menu_selector).locator(f"a.download-link[data-scope='{scope}'][data-format='{file_format}']")
    assert link.count() == 1, f"no {scope}/{file_format} link in {menu_selector!r} on {page.url}"
    href = link.get_attribute("href")
    with page.expect_download() as info:
        link.click()
    saved = info.value
    assert saved.failure() is None, f"{href}: {saved.failure()}"
    name = saved.suggested_filename
    assert name.startswith("hgkm-") and name.endswith(EXTENSIONS[file_format]), f"{href}: saved as {name!r}"
    return Path(saved.path()).read_bytes(), href


def save_image(page, menu_selector: str, image_format: str) -> bytes:
    button = menu(page, menu_selector).locator(f"button.chart-image[data-image-format='{image_format}']")
    assert button.count() == 1, f"no {image_format} button in {menu_selector!r} on {page.url}"
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def footer_build_id(page) -> str:
    version = page.locator("#footer-version").inner_text()
    match = re.search(r":\s*(\S+)\s*\(", version)
    assert match, f"no build id in the footer {version!r}"
    return match.group(1)


# -- the file side ---------------------------------------------------------------------------------------------------


def read_csv(body: bytes, site: Site, href: str) -> pd.DataFrame:
    """A downloaded CSV as text cells (empty = no value), after the checks every download must pass."""
    frame = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    assert len(frame), f"{href}: no rows"
    assert set(frame["dataset_kind"]) == {site.kind}, f"{href}: dataset_kind {set(frame['dataset_kind'])}"
    assert set(frame["build_id"]) == {site.store.build_id}, f"{href}: build_id {set(frame['build_id'])}"
    suppressed = frame[frame["value_status"] == "geheim"]
    assert (suppressed["value"] == "").all(), f"{href}: a suppressed cell has a value: {suppressed.head(3)}"
    return frame


def keyed(frame: pd.DataFrame, columns: list[str], href: str) -> dict[tuple, pd.Series]:
    rows = {tuple(row[column] for column in columns): row for _, row in frame.iterrows()}
    assert len(rows) == len(frame), f"{href}: rows repeat a ({', '.join(columns)}) cell"
    return rows


def canonical(value) -> object:
    """A cell as comparable across CSV text, Excel and JSON: empty -> '', numbers -> float, else text."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        return str(value)


def assert_same_rows(got, expected: pd.DataFrame, where: str, tolerance: float = 0.0) -> None:
    """Rows of another format (tuples in the CSV's column order) equal the CSV's rows; numbers may differ by
    `tolerance` (JSON writes at most 15 decimals)."""
    got = [tuple(canonical(value) for value in row) for row in got]
    want = [tuple(canonical(value) for value in row) for row in expected.itertuples(index=False, name=None)]
    assert len(got) == len(want), f"{where}: {len(got)} rows, the CSV has {len(want)}"
    for number, (left, right) in enumerate(zip(got, want, strict=True)):
        same = all(
            math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
            if isinstance(a, float) and isinstance(b, float)
            else a == b
            for a, b in zip(left, right, strict=True)
        )
        assert same, f"{where}: row {number} is {left}, in the CSV {right}"


# -- comparing a cell's text with a row of the file ------------------------------------------------------------------


def parse_shown(shown: str) -> tuple[float, int, bool, str]:
    """'127.410' -> (127410, 0, False, ''); '7,3*' -> (7.3, 1, False, '*'); '12,5%' -> (12.5, 1, True, '')."""
    match = NUMBER.fullmatch(shown)
    assert match, f"{shown!r} is not a number in Dutch notation"
    number = float(match["number"].replace(".", "").replace(",", ".").replace("\u2212", "-"))
    return number, len(match["decimals"] or ""), bool(match["percent"]), match["mark"]


def assert_number(shown: str, row: pd.Series, measure: str, where: str) -> None:
    """A shown number equals the file's number at the shown precision, is a percentage exactly when the file's
    number is one (a share, or a value in per cent) and carries the mark of the row's status."""
    parsed, decimals, percent, mark = parse_shown(shown)
    number, status = float(row[measure]), row["value_status"]
    assert abs(parsed - number) <= 0.5 * 10**-decimals + 1e-9, f"{where}: page {shown!r}, file {row[measure]}"
    per_cent = measure == "share_pct" or (measure == "value" and row["unit"] == "procent")
    assert percent == per_cent, f"{where}: page {shown!r} for {measure} in {row['unit']}"
    assert mark == MARKS.get(status, ""), f"{where}: page {shown!r}, file status {status!r}"


def assert_cell(shown: str, row: pd.Series, measure: str, where: str, *, no_measure: tuple[str, ...] = ()) -> None:
    """A table cell against the file's row: the number, or -- when the file's number is empty -- the page's words
    for the row's status (a missing count), or one of `no_measure` (a count without a rate or share)."""
    number, status = row[measure], row["value_status"]
    where = f"{where} ({row['region_code']} {row['period_code']} {row['category_code'] or ''})"
    if number != "":
        assert_number(shown, row, measure, where)
    elif measure != "value" and row["value"] != "":
        assert shown in no_measure, f"{where}: page {shown!r} for a count {row['value']} without {measure}"
    else:
        assert shown == fmt.status_note(status, "nl"), f"{where}: page {shown!r}, file empty with status {status!r}"


def assert_rate(shown: str, row: pd.Series, where: str, *, without_population: str) -> None:
    """A rate column of a table that shows counts and rates side by side: the rate, the page's words for a count
    without a population, or a dash when there is no count at all."""
    if row["rate_per_1000"] != "":
        assert_number(shown, row, "rate_per_1000", where)
    elif row["value"] != "":
        assert shown == without_population, f"{where}: page rate {shown!r} for a count without a rate"
    else:
        assert shown == "–", f"{where}: page rate {shown!r}, file has no value (status {row['value_status']!r})"


def period_grid(found: dict, skip: tuple[str, ...] = ()) -> dict[tuple[str, str], str]:
    """A table with a row per period and a column per line (region or category): (period, column) -> text."""
    grid = {}
    for row in found["rows"]:
        label, *cells = row["cells"]
        for header, cell in zip(found["headers"][1:], cells, strict=True):
            if header not in skip:
                grid[(label, header)] = cell
    return grid


def assert_grid(found: dict, frame: pd.DataFrame, column: str, measure: str, href: str, **options) -> None:
    """Exactly the table's cells are in the file (matched on period label and region name or category title) and
    each shown number equals the file's."""
    grid = period_grid(found, options.pop("skip", ()))
    rows = keyed(frame, ["period_label", column], href)
    assert set(rows) == set(grid), f"{href}: only in the file {set(rows) - set(grid)}; only on the page " + str(
        set(grid) - set(rows)
    )
    for key, shown in grid.items():
        assert_cell(shown, rows[key], measure, href, **options)


def assert_full_series(site: Site, shown: pd.DataFrame, full: pd.DataFrame, indicator: str, href: str) -> None:
    """The full series holds every observation of the indicator in the warehouse and the shown rows."""
    (count,) = site.sql("SELECT count(*) FROM obs WHERE indicator_id = ?", indicator)[0]
    assert len(full) == count, f"{href}: {len(full)} rows, the warehouse has {count} observations of {indicator}"
    assert set(full["indicator_id"]) == {indicator}
    columns = FULL_KEY + [column for column in ("rate_per_1000", "share_pct") if column in shown and column in full]
    observed = shown[~shown["value_status"].isin(NOT_OBSERVED)]
    assert len(observed), f"{href}: nothing shown to look for"
    everything = set(full[columns].itertuples(index=False, name=None))
    missing = [row for row in observed[columns].itertuples(index=False, name=None) if row not in everything]
    assert missing == [], f"{href}: shown rows not in the full series: {missing[:3]}"
    assert set(full["dataset_kind"]) == {site.kind} and set(full["build_id"]) == {site.store.build_id}


def check_json(page, site: Site, body: bytes, frame: pd.DataFrame, href: str) -> None:
    """The JSON download: metadata naming the page's build and the dataset kind, records equal to the CSV's rows."""
    document = json.loads(body)
    assert document["metadata"]["build_id"] == site.store.build_id == footer_build_id(page), href
    assert document["metadata"]["dataset_kind"] == site.kind, href
    assert all(list(record) == list(frame.columns) for record in document["data"]), f"{href}: other columns"
    assert_same_rows([record.values() for record in document["data"]], frame, href, JSON_TOLERANCE)
    assert all(record["value"] is None for record in document["data"] if record["value_status"] == "geheim"), href


# -- the national page -----------------------------------------------------------------------------------------------

TREND_MENU = "section.national-trend details.downloads"
BREAKDOWN_MENU = "section.national-breakdown details.downloads"


def check_national_trend(page, site: Site, path: str, per_1000: bool) -> pd.DataFrame:
    visit(page, site, path, "#national-trend-table")
    body, href = download(page, TREND_MENU, "getoond", "csv")
    frame = read_csv(body, site, href)
    population = text("national_population_column", "nl")
    found = table(page, "#national-trend-table")
    measure = "rate_per_1000" if per_1000 else "value"
    no_rate = (fmt.status_note("niet_van_toepassing", "nl"),)
    assert_grid(found, frame, "region_name", measure, href, skip=(population,), no_measure=no_rate)
    if per_1000:  # the population year column is the Netherlands' population year
        years = {row["cells"][0]: row["cells"][found["headers"].index(population)] for row in found["rows"]}
        national = frame[frame["region_code"] == NL].set_index("period_label")["population_year"]
        assert {label: year or "–" for label, year in national.items()} == years, href
    return frame


def test_national_downloads_on_cbs(chromium, cbs):
    page, errors = new_page(chromium)
    path = "/landelijk/ontvangen_meldingen?weergave=tabel"
    numbers = check_national_trend(page, cbs, path, per_1000=False)
    assert "voorlopig" in set(numbers["value_status"]) and "niet_gepubliceerd" in set(numbers["value_status"])

    full_body, full_href = download(page, TREND_MENU, "volledig", "csv")
    full = read_csv(full_body, cbs, full_href)
    assert_full_series(cbs, numbers, full, "ontvangen_meldingen", full_href)

    rates = check_national_trend(page, cbs, path + "&maat=per1000&periodetype=jaar", per_1000=True)
    dutch_body, dutch_href = download(page, TREND_MENU, "getoond", "csv-nl")
    assert dutch_body.startswith("\ufeff".encode()), f"{dutch_href}: no byte order mark"
    dutch = pd.read_csv(io.BytesIO(dutch_body), sep=";", decimal=",", encoding="utf-8-sig")
    plain = pd.read_csv(io.BytesIO(rates.to_csv(index=False).encode()))
    pd.testing.assert_frame_equal(dutch, plain, obj=dutch_href)
    assert dutch["rate_per_1000"].notna().any() and dutch["rate_per_1000"].dtype == "float64"

    visit(
        page,
        cbs,
        "/landelijk/meldingen_naar_kenmerk_melder?weergave=tabel&verdeling=aandeel",
        "#national-breakdown-table",
    )
    body, href = download(page, BREAKDOWN_MENU, "getoond", "csv")
    shares = read_csv(body, cbs, href)
    assert "share_pct" in shares.columns and (shares["share_pct"] != "").any(), href
    no_share = (fmt.status_note("niet_van_toepassing", "nl"),)
    assert_grid(
        table(page, "#national-breakdown-table"), shares, "category_title", "share_pct", href, no_measure=no_share
    )
    assert errors == []
    page.close()


def test_national_downloads_on_the_demo(chromium, demo):
    page, errors = new_page(chromium)
    path = "/landelijk/voorwaarden_en_vervolg_naar_aanvullende_informatie?weergave=tabel"
    check_national_trend(page, demo, path, per_1000=False)
    body, href = download(page, BREAKDOWN_MENU, "getoond", "csv")
    breakdown = read_csv(body, demo, href)
    assert "geheim" in set(breakdown["value_status"]), f"{href}: no suppressed cell to check"
    assert_grid(table(page, "#national-breakdown-table"), breakdown, "category_title", "value", href)
    assert errors == []
    page.close()


# -- the regional page -----------------------------------------------------------------------------------------------

REGIONAL_DATA_MENU = "#regional-table details.downloads"
REGIONAL_MAP_MENU = "#regional-map-source details.downloads"


def check_regional_row(cells: list[str], row: pd.Series, where: str, has_rate: bool) -> None:
    """One row of the regional table ([rank, name, code, value, rate, population]) against the file's row."""
    if row["value"] == "":
        reason = text("regional_no_data_reason", "nl").format(reason=fmt.status_note(row["value_status"], "nl"))
        assert cells[3] == reason, f"{where}: page {cells[3]!r}, file empty with status {row['value_status']!r}"
    else:
        assert_number(cells[3], row, "value", where)
    if has_rate:
        assert_rate(cells[4], row, where, without_population=text("regional_no_population", "nl"))
    assert cells[2] == row["region_code"], f"{where}: page code {cells[2]!r}"
    assert cells[1] == row["region_name"], f"{where}: page name {cells[1]!r}, file {row['region_name']!r}"
    if has_rate and row["population"] == "":
        assert cells[5] == "", f"{where}: page population {cells[5]!r}, file none"
    elif has_rate:
        assert parse_shown(cells[5])[0] == float(row["population"]), (
            f"{where}: page population {cells[5]!r}, file " + (row["population"])
        )


def check_regional(page, site: Site, path: str) -> tuple[pd.DataFrame, str]:
    """The regional table's rows (by region code) against the shown CSV: value, rate and population."""
    visit(page, site, path, "#regional-table tbody tr[data-region]")
    body, href = download(page, REGIONAL_DATA_MENU, "getoond", "csv")
    frame = read_csv(body, site, href)
    found = table(page, "#regional-table table")
    shown = {row["attrs"]["region"]: row["cells"] for row in found["rows"]}
    rows = {code: row for (code,), row in keyed(frame, ["region_code"], href).items()}
    assert set(rows) == set(shown), f"{href}: only in the file {set(rows) - set(shown)}, only on the page " + str(
        set(shown) - set(rows)
    )
    has_rate = "rate_per_1000" in frame.columns
    problems = []
    for code, cells in shown.items():
        try:
            check_regional_row(cells, rows[code], f"{href} {code}", has_rate)
        except AssertionError as error:
            problems.append(str(error).splitlines()[0])
    assert problems == [], f"{len(problems)} of {len(shown)} rows differ:\n" + "\n".join(problems[:8])
    return frame, href


def test_regional_downloads_on_cbs(chromium, cbs):
    page, errors = new_page(chromium)
    frame, _ = check_regional(page, cbs, "/regionaal/ontvangen_meldingen?periode=2023JJ00")
    assert {"voorlopig", "niet_gepubliceerd"} <= set(frame["value_status"])
    assert errors == []
    page.close()


def test_regional_downloads_on_the_demo_with_excel_and_the_full_series(chromium, demo):
    indicator = "afgeronde_onderzoeken"
    (period,) = demo.sql(
        "SELECT period_code FROM obs WHERE indicator_id = ? AND region_level = 'gemeente' AND value_status = 'geheim' "
        "AND period_type = 'jaar' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        indicator,
    )[0]
    page, errors = new_page(chromium)
    frame, href = check_regional(page, demo, f"/regionaal/{indicator}?niveau=gemeente&periode={period}&maat=per1000")
    assert (frame["value_status"] == "geheim").any(), f"{href}: no suppressed cell to check"

    body, xlsx_href = download(page, REGIONAL_DATA_MENU, "getoond", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    assert book.sheetnames == ["data", "metadata"], xlsx_href
    header, *data = book["data"].iter_rows(values_only=True)
    assert list(header) == list(frame.columns), xlsx_href
    assert_same_rows(data, frame, xlsx_href)
    metadata = {field: value for field, value in book["metadata"].iter_rows(min_row=2, values_only=True)}
    assert metadata["build_id"] == demo.store.build_id == footer_build_id(page), xlsx_href
    assert metadata["dataset_kind"] == "fictitious_demo", xlsx_href

    full_body, full_href = download(page, REGIONAL_DATA_MENU, "volledig", "csv")
    full = read_csv(full_body, demo, full_href)
    assert_full_series(demo, frame, full, indicator, full_href)
    assert errors == []
    page.close()


# -- the region profile ----------------------------------------------------------------------------------------------


def check_profile_table(page, site: Site, code: str) -> tuple[pd.DataFrame, str]:
    """Each profile row (indicator, period) has the region's and the Netherlands' cell in the file, with the same
    value and rate."""
    visit(page, site, f"/regio/{code}", "#profile-table")
    body, href = download(page, "details.downloads[data-chart='profiel']", "getoond", "csv")
    frame = read_csv(body, site, href)
    rows = keyed(frame, ["indicator_id", "region_code", "period_code"], href)
    found = table(page, "#profile-table")
    expected = set()
    for row in found["rows"]:
        indicator, period = row["attrs"]["indicator"], row["attrs"]["period"]
        _, label, value, rate, nl_value, nl_rate, *_ = row["cells"]
        for region, shown_value, shown_rate in ((code, value, rate), (NL, nl_value, nl_rate)):
            key = (indicator, region, period)
            expected.add(key)
            assert key in rows, f"{href}: no row {key}"
            assert rows[key]["period_label"] == label, f"{href} {key}: period {label!r}"
            assert_cell(shown_value, rows[key], "value", href)
            assert_rate(shown_rate, rows[key], f"{href} {key}", without_population="–")
    assert set(rows) == expected, f"{href}: only in the file {set(rows) - expected}"
    return frame, href


def check_profile_card(page, site: Site, indicator: str) -> pd.DataFrame:
    card = f"section.profile-chart[data-indicator='{indicator}']"
    body, href = download(page, f"{card} details.downloads", "getoond", "csv")
    frame = read_csv(body, site, href)
    measure = "rate_per_1000" if site.store.has_rate(indicator) else "value"
    assert_grid(table(page, f"{card} details table"), frame, "region_name", measure, href)
    return frame


def test_profile_downloads_on_cbs_with_json(chromium, cbs):
    page, errors = new_page(chromium)
    frame, href = check_profile_table(page, cbs, "VT02")
    body, json_href = download(page, "details.downloads[data-chart='profiel']", "getoond", "json")
    check_json(page, cbs, body, frame, json_href)
    cards = page.locator("section.profile-chart[data-indicator]")
    assert cards.count() > 0, "no trend card on /regio/VT02"
    check_profile_card(page, cbs, cards.first.get_attribute("data-indicator"))
    assert errors == []
    page.close()


def test_profile_downloads_on_the_demo(chromium, demo):
    (code,) = demo.sql(
        "SELECT region_code FROM obs WHERE indicator_id = 'afgeronde_onderzoeken' AND region_level = 'gemeente' "
        "AND period_code = (SELECT max(period_code) FROM obs WHERE period_type = 'halfjaar') "
        "AND value_status = 'geheim' ORDER BY 1 LIMIT 1"
    )[0]
    page, errors = new_page(chromium)
    frame, href = check_profile_table(page, demo, code)
    assert (frame["value_status"] == "geheim").any(), f"{href}: no suppressed cell to check"
    check_profile_card(page, demo, "ontvangen_meldingen")
    assert errors == []
    page.close()


# -- the compare page ------------------------------------------------------------------------------------------------

COMPARE_MENU = "details.downloads[data-chart='vergelijk']"


def check_compare(page, site: Site, path: str, measure: str) -> tuple[pd.DataFrame, str]:
    visit(page, site, path, "#compare-table")
    body, href = download(page, COMPARE_MENU, "getoond", "csv")
    frame = read_csv(body, site, href)
    assert_grid(table(page, "#compare-table"), frame, "region_name", measure, href)
    return frame, href


def test_compare_downloads_on_cbs(chromium, cbs):
    page, errors = new_page(chromium)
    frame, href = check_compare(page, cbs, "/vergelijk?regios=VT02,VT09,NL01&periodetype=jaar", "value")
    assert "niet_gepubliceerd" in set(frame["value_status"]), href
    assert errors == []
    page.close()


def test_compare_downloads_on_the_demo_per_1000_with_json(chromium, demo):
    indicator = "afgeronde_onderzoeken"
    codes = [
        code
        for code, _ in demo.sql(
            "SELECT region_code, count(*) FROM obs WHERE indicator_id = ? AND region_level = 'gemeente' "
            "AND period_type = 'halfjaar' AND value_status = 'geheim' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2",
            indicator,
        )
    ]
    path = f"/vergelijk?indicator={indicator}&regios={','.join(codes)},NL01&maat=per1000"
    page, errors = new_page(chromium)
    frame, href = check_compare(page, demo, path, "rate_per_1000")
    assert (frame["value_status"] == "geheim").any(), f"{href}: no suppressed cell to check"
    body, json_href = download(page, COMPARE_MENU, "getoond", "json")
    check_json(page, demo, body, frame, json_href)
    assert errors == []
    page.close()


# -- chart images ----------------------------------------------------------------------------------------------------


def assert_images(page, site: Site, menu_selector: str, title: str) -> None:
    png = save_image(page, menu_selector, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000, f"{page.url}: PNG of {len(png)} bytes"
    svg = html.unescape(save_image(page, menu_selector, "svg").decode("utf-8"))
    source = "CBS" if site.name == "cbs" else text("source_line_demo", "nl")
    for expected in (title, site.store.build_id, source):
        assert expected in svg, f"{page.url}: {expected!r} is not in the SVG"


def test_chart_images_carry_title_source_and_version(chromium, cbs, demo):
    page, errors = new_page(chromium)
    visit(page, cbs, "/landelijk/ontvangen_meldingen", "#national-trend-chart .main-svg")
    caption = page.locator("section.national-trend .chart-caption").inner_text().strip()
    assert_images(page, cbs, TREND_MENU, caption)

    visit(page, demo, "/regionaal/ontvangen_meldingen", "#regional-map path.choroplethlocation")
    indicators = demo.store.indicators().set_index("indicator_id")
    assert_images(page, demo, REGIONAL_MAP_MENU, indicators.loc["ontvangen_meldingen", "title_nl"])
    assert errors == []
    page.close()
