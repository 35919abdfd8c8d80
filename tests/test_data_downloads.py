"""Whole-dataset downloads (/data/download) over the real server, and the /data page in real Chromium."""

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from api.downloads import allowed_files, zip_name
from tests.browser import open_page, screenshot
from tests.http_client import get, get_as_written


def _build(warehouse: Path) -> tuple[str, Path, dict]:
    build_id = (warehouse / "CURRENT").read_text(encoding="utf-8").strip()
    folder = warehouse / build_id
    return build_id, folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_every_allowed_file_downloads_as_on_disk(cbs_server, cbs_warehouse):
    build_id, folder, manifest = _build(cbs_warehouse)
    names = allowed_files(manifest, build_id)
    on_disk = sorted(path.name for path in folder.glob("*.parquet"))
    assert names == [*on_disk, "manifest.json", zip_name(build_id)]
    assert "observations.parquet" in names
    for name in names:
        if name == zip_name(build_id):
            continue
        status, headers, body = get(f"{cbs_server}/data/download/{name}")
        assert status == 200, name
        assert body == (folder / name).read_bytes(), name
        assert headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert headers["ETag"] == f'W/"{build_id}"'
        assert "max-age" in headers["Cache-Control"]
    status, _, body = get(f"{cbs_server}/data/download/manifest.json", {"If-None-Match": f'"{build_id}"'})
    assert status == 304 and body == b""


def test_the_csv_zip_holds_every_table_and_the_published_numbers(cbs_server, cbs_warehouse):
    build_id, _, manifest = _build(cbs_warehouse)
    status, headers, body = get(f"{cbs_server}/data/download/{zip_name(build_id)}")
    assert status == 200 and headers["Content-Type"] == "application/zip"
    assert headers["Content-Disposition"] == f'attachment; filename="{zip_name(build_id)}"'
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert {f"{table}.csv" for table in manifest["tables"]} <= set(archive.namelist())
    assert json.loads(archive.read("manifest.json")) == manifest
    assert "value_status" in archive.read("README.txt").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(archive.read("observations.csv").decode("utf-8"))))
    assert len(rows) == manifest["tables"]["observations"]
    total = [
        row
        for row in rows
        if row["indicator_id"] == "ontvangen_meldingen"
        and row["region_code"] == "NL01"
        and row["period_code"] == "2020JJ00"
        and row["category_code"] == ""
    ]
    assert [row["value"] for row in total] == ["127410"]


@pytest.mark.parametrize(
    "path",
    [
        "/data/download/../manifest.json",
        "/data/download/%2e%2e/CURRENT",
        "/data/download/..%2fCURRENT",
        "/data/download/%2e%2e%2f%2e%2e%2fconfig.py",
        "/data/download/geo/",
        "/data/download/CURRENT",
        "/data/download/",
        "/data/download/observations.parquet/",
        "/data/download/Manifest.JSON",
        "/data/download/.%2Fmanifest.json",
        "/data/download/hgkm-current-csv.zip",
    ],
)
def test_names_off_the_allow_list_get_a_json_404(cbs_server, path):
    status, _, body = get_as_written(cbs_server, path)
    assert status == 404, path
    assert "no such download" in json.loads(body)["error"]


def test_the_zip_of_an_earlier_build_leads_to_the_current_one(cbs_server, cbs_warehouse):
    """A /data page opened before a publish links its build's zip; after the publish that link still works."""
    current = (cbs_warehouse / "CURRENT").read_text(encoding="utf-8").strip()
    earlier = "/data/download/hgkm-20000101T000000Z-0123abcd-csv.zip"
    status, headers, _ = get_as_written(cbs_server, earlier)
    assert status == 307
    assert urllib.parse.urljoin(earlier, headers["Location"]) == f"/data/download/hgkm-{current}-csv.zip"


@pytest.mark.browser
def test_the_data_page_shows_the_build_and_working_links(chromium, cbs_server, cbs_warehouse):
    build_id, _, manifest = _build(cbs_warehouse)
    page, errors = open_page(chromium, cbs_server + "/data")
    page.wait_for_selector("#data-downloads")
    assert page.locator("h1").count() == 1
    assert build_id in page.locator("#data-dataset").inner_text()
    observations = page.locator("#data-downloads tr", has=page.locator("a", has_text="observations.parquet"))
    assert observations.locator("td").first.inner_text() == f"{manifest['tables']['observations']:,}".replace(",", ".")
    for link in (f"/data/download/{zip_name(build_id)}", "/api/v1/observations?indicator=ontvangen_meldingen"):
        href = page.locator(f'main a[href^="{link}"]').first.get_attribute("href")
        status, _, _ = get(cbs_server + href)
        assert status == 200, href
    assert page.locator("#data-endpoints tbody tr").count() == 7
    assert f"{cbs_server}/data/download/observations.parquet" in page.locator("#data-samples").inner_text()
    screenshot(page, "data-cbs-desktop")
    assert errors == []
    page.close()


@pytest.mark.browser
def test_the_demo_data_page_says_fictitious_in_english(chromium, demo_server):
    page, errors = open_page(chromium, demo_server + "/data?lang=en")
    page.wait_for_selector("#data-dataset")
    assert "FICTITIOUS" in page.locator("#data-dataset").inner_text()
    assert page.locator("h1").inner_text() == "Data and API"
    screenshot(page, "data-demo-desktop")
    assert errors == []
    page.close()
