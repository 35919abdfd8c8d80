"""Tests for etl.demo: the fictitious demo exports in the CBS OData v4 layout."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from config import PROJECT_ROOT
from etl.catalog import load_catalog
from etl.demo import TABLES, DemoSummary, generate_demo
from etl.normalise import normalise_source
from etl.reference import build_reference
from etl.sources import detect_format
from etl.sources.odata_v4 import parse

DATA = PROJECT_ROOT / "data"
DIRS = (DATA / "catalog", DATA / "reference", DATA / "geo")
SUBSET = ["84847NED", "84850NED", "84852NED", "84853NED", "85361NED"]
PAGE_SIZE = 50_000
UNITS = {"aantal": "aantal", "%": "procent"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_demo(tmp_path_factory.mktemp("demo"), *DIRS, tables=SUBSET, page_size=PAGE_SIZE)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _pages(folder: Path) -> list[str]:
    return [f["name"] for f in _json(folder / "manifest.json")["files"] if f["name"].startswith("Observations")]


@cache
def _table(folder: Path) -> pd.DataFrame:
    """Observations with measure title, unit and one title column per category dimension."""
    frame = pd.DataFrame.from_records([r for name in _pages(folder) for r in _json(folder / name)["value"]])
    measures = {m["Identifier"]: m for m in _json(folder / "MeasureCodes.json")["value"]}
    frame["measure_title"] = frame["Measure"].map(lambda code: measures[code]["Title"])
    frame["unit"] = frame["Measure"].map(lambda code: UNITS[measures[code]["Unit"]])
    for dim in _json(folder / "Dimensions.json")["value"]:
        if dim["Kind"] == "Dimension":
            titles = {c["Identifier"]: c["Title"] for c in _json(folder / f"{dim['Identifier']}Codes.json")["value"]}
            frame[f"dim:{dim['Title']}"] = frame[dim["Identifier"]].map(titles)
    return frame


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_layout_pagination_and_manifest(demo: DemoSummary) -> None:
    folder = demo.folders["85361NED"]
    assert folder == demo.out_root / "cbs" / "85361NED" / "2026-01-15"
    n = demo.tables["85361NED"]
    pages = ["Observations.json"] + [f"Observations-{k:04d}.json" for k in range(2, -(-n // PAGE_SIZE) + 1)]
    entities = ["Properties.json", "Dimensions.json", "MeasureCodes.json", "PeriodenCodes.json", "RegioSCodes.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*entities, *pages, "manifest.json"])
    assert _pages(folder) == pages
    base = "https://datasets.cbs.nl/odata/v1/CBS/85361NED"
    ids = []
    for k, name in enumerate(pages, start=1):
        body = _json(folder / name)
        assert body["@odata.context"] == f"{base}/$metadata#Observations"
        assert len(body["value"]) == (PAGE_SIZE if k < len(pages) else n - PAGE_SIZE * (len(pages) - 1))
        if k < len(pages):
            assert body["@odata.nextLink"] == f"{base}/Observations?$skip={PAGE_SIZE * k}"
        else:
            assert "@odata.nextLink" not in body
        ids += [r["Id"] for r in body["value"]]
    assert ids == list(range(n))
    first = _json(folder / "Observations.json")["value"][0]
    assert list(first) == ["Id", "Measure", "Perioden", "RegioS", "Value", "ValueAttribute", "StringValue"]
    assert first["StringValue"] is None

    manifest = _json(folder / "manifest.json")
    assert {k: manifest[k] for k in ("table_id", "api", "base_url", "dataset_kind", "generator", "seed")} == {
        "table_id": "85361NED",
        "api": "v4",
        "base_url": base,
        "dataset_kind": "demo",
        "generator": "etl.demo",
        "seed": 2019,
    }
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert manifest["files"][-1]["url"] == f"{base}/Observations?$skip={PAGE_SIZE * (len(pages) - 1)}"

    properties = _json(folder / "Properties.json")
    assert properties["Identifier"] == "85361NED" and properties["DatasetKind"] == "demo"
    assert properties["Title"] == f"FICTIEVE DEMODATA — {TABLES['85361NED'][0]}"
    assert "not CBS figures" in properties["Description"]


def test_dimensions_and_code_lists(demo: DemoSummary) -> None:
    folder = demo.folders["84850NED"]
    dimensions = _json(folder / "Dimensions.json")["value"]
    assert [(d["Identifier"], d["Title"], d["Kind"]) for d in dimensions] == [
        ("AardVanHetGeweld", "Aard van het geweld", "Dimension"),
        ("AanvullendeInformatie", "Aanvullende informatie", "Dimension"),
        ("Perioden", "Perioden", "TimeDimension"),
        ("RegioS", "Regio's", "GeoDimension"),
    ]
    aard = _json(folder / "AardVanHetGeweldCodes.json")["value"]
    assert aard[0] == {"Identifier": "T001", "Index": 1, "Title": "Totaal", "Description": "", "DimensionGroupId": None}
    assert all(c["Identifier"][0] == "A" and len(c["Identifier"]) == 7 for c in aard[1:])
    measures = _json(demo.folders["85361NED"] / "MeasureCodes.json")["value"]
    assert {(m["Unit"], m["Decimals"], m["PresentationType"]) for m in measures} == {
        ("aantal", 0, "Absolute"),
        ("%", 1, "Relative"),
    }
    assert all(m["Identifier"].startswith("M") and not m["Title"].endswith(("(aantal)", "(%)")) for m in measures)
    regions = {r["Identifier"]: r["Title"] for r in _json(demo.folders["84847NED"] / "RegioSCodes.json")["value"]}
    assert regions["NL01"] == "Nederland" and regions["PV21"] == "Fryslân (PV)" and regions["VT16"].endswith("(VT)")
    assert regions["GM0014"] == "Groningen (gemeente)" and regions["GM0106"] == "Assen"
    assert [c[:2] for c in regions] == sorted((c[:2] for c in regions), key=["NL", "LD", "PV", "VT", "GM"].index)


@pytest.mark.parametrize("table", SUBSET)
def test_every_observation_maps_onto_the_catalog(demo: DemoSummary, table: str) -> None:
    catalog = load_catalog(DATA / "catalog")
    frame = _table(demo.folders[table])
    dims = [c for c in frame.columns if c.startswith("dim:")]
    assert frame[dims].notna().all().all()
    found = set()
    for combo in frame[["measure_title", "unit", *dims]].drop_duplicates().to_dict("records"):
        matches, error = catalog.match(table, combo["measure_title"], combo["unit"], {d[4:]: combo[d] for d in dims})
        assert error is None and matches, combo
        found |= {m.indicator_id for m in matches}
    assert found == {ind.id for ind in catalog.indicators.values() if any(r.table == table for r in ind.rules)}


@pytest.mark.parametrize("table", SUBSET)
def test_rounding_suppression_and_shares(demo: DemoSummary, table: str) -> None:
    frame = _table(demo.folders[table])
    published = frame["Value"].notna()
    assert (published == frame["ValueAttribute"].eq("None")).all()
    assert set(frame.loc[~published, "ValueAttribute"]) <= {"Confidential", "NotAvailable"}
    counts = frame.loc[published & frame["unit"].eq("aantal"), "Value"]
    assert (counts % 5 == 0).all() and (counts >= 10).all()
    shares = frame.loc[published & frame["unit"].eq("procent"), "Value"]
    assert shares.between(0, 100).all() and np.allclose(shares, shares.round(1))
    if len(shares):
        total_rows = frame["unit"].eq("procent") & frame["measure_title"].eq("Ontvangen meldingen, totaal") & published
        assert (frame.loc[total_rows, "Value"] == 100.0).all()
    if frame["RegioS"].str.startswith("GM").any():
        assert frame.loc[frame["RegioS"].str.startswith("GM"), "ValueAttribute"].eq("Confidential").any()


def test_period_statuses(demo: DemoSummary) -> None:
    periods = _json(demo.folders["84853NED"] / "PeriodenCodes.json")["value"]
    expected = {
        f"{year}{kind}": "Voorlopig" if year == 2025 else "Nader voorlopig" if year == 2024 else "Definitief"
        for year in range(2019, 2026)
        for kind in ("JJ00", "HJ01", "HJ02")
    }
    assert {p["Identifier"]: p["Status"] for p in periods} == expected
    assert {p["Identifier"]: p["Title"] for p in periods}["2023HJ02"] == "2e halfjaar 2023"
    assert set(_table(demo.folders["84853NED"])["Perioden"]) == set(expected)


def test_veilig_thuis_regions_follow_the_classification(demo: DemoSummary) -> None:
    frame = _table(demo.folders["84847NED"])
    year = frame["Perioden"].str[:4].astype(int)
    vt = frame[frame["RegioS"].str.startswith("VT")]
    per_year = vt.groupby(year[vt.index])["RegioS"].agg(lambda s: sorted(set(s)))
    before = [f"VT{n:02d}" for n in range(1, 27)]
    after = [f"VT{n:02d}" for n in range(1, 28) if n not in (16, 26)]
    assert all(per_year[y] == before for y in range(2019, 2023))
    assert per_year[2023] == sorted([*after, "VT16"])
    assert per_year[2024] == per_year[2025] == after
    vt16 = vt[vt["RegioS"].eq("VT16")]
    stale = vt16[vt16["Perioden"].str.startswith("2023")]
    assert len(stale) == 5 * 3 and stale["Value"].isna().all() and stale["ValueAttribute"].ne("None").all()
    assert vt16.loc[~vt16.index.isin(stale.index), "Value"].notna().all()
    gemeenten = frame[frame["RegioS"].str.startswith("GM")].groupby("Perioden")["RegioS"].nunique()
    assert (gemeenten == 342).all() and len(gemeenten) == 21


def test_figures_are_coherent(demo: DemoSummary) -> None:
    key = ["Perioden", "RegioS"]
    kern = _table(demo.folders["84847NED"])
    meldingen = kern[kern["measure_title"].eq("Ontvangen meldingen")].set_index(key)["Value"]
    eerder = _table(demo.folders["85361NED"])
    totaal = eerder[eerder["measure_title"].eq("Ontvangen meldingen, totaal") & eerder["unit"].eq("aantal")]
    pd.testing.assert_series_equal(totaal.set_index(key)["Value"], meldingen.loc[totaal.set_index(key).index])
    aard = _table(demo.folders["84850NED"])
    both_totals = aard["dim:Aard van het geweld"].eq("Totaal") & aard["dim:Aanvullende informatie"].eq("Totaal")
    aard_meldingen = aard[both_totals & aard["measure_title"].eq("Ontvangen meldingen")].set_index(key)["Value"]
    pd.testing.assert_series_equal(aard_meldingen, meldingen.loc[aard_meldingen.index])

    national = meldingen.xs("NL01", level="RegioS")
    assert 50_000 < national["2019HJ01"] < 80_000
    for y in range(2019, 2026):
        assert abs(national[f"{y}JJ00"] - national[f"{y}HJ01"] - national[f"{y}HJ02"]) <= 5
    vt_2024 = meldingen.xs("2024HJ01", level="Perioden").filter(like="VT")
    assert abs(vt_2024.sum() - national["2024HJ01"]) <= 2.5 * len(vt_2024)
    casussen = kern[kern["measure_title"].eq("Casussen met ontvangen melding(en)")].set_index(key)["Value"]
    assert (casussen.dropna() <= meldingen.loc[casussen.dropna().index] + 5).all()
    by_aard = aard["dim:Aanvullende informatie"].eq("Totaal") & ~both_totals
    summed = aard[by_aard & aard["measure_title"].eq("Ontvangen meldingen")].groupby(key)["Value"].sum(min_count=1)
    national_parts = summed.xs("NL01", level="RegioS")
    assert (abs(national_parts - national.loc[national_parts.index]) <= 2.5 * 7).all()


@pytest.mark.parametrize("table", SUBSET)
def test_odata_v4_parser_reads_every_observation(demo: DemoSummary, table: str) -> None:
    folder = demo.folders[table]
    assert detect_format(folder) == "odata_v4"
    source = parse(folder)
    assert len(source.frame) == demo.tables[table] and not source.warnings
    assert source.snapshot == "2026-01-15" and source.title.startswith("FICTIEVE DEMODATA")
    labels = build_reference(DATA / "reference", DATA / "geo").label_to_code
    normalised = normalise_source(source, load_catalog(DATA / "catalog"), labels)
    assert not normalised.unmapped
    assert set(normalised.observations["source_row"]) == set(range(1, demo.tables[table] + 1))


def test_deterministic_and_independent_of_other_tables(demo: DemoSummary, tmp_path: Path) -> None:
    again = generate_demo(tmp_path / "a", *DIRS, tables=["84853NED", "84852NED"], page_size=PAGE_SIZE)
    for table in ("84853NED", "84852NED"):
        assert _files(again.folders[table]) == _files(demo.folders[table])
    other = generate_demo(tmp_path / "b", *DIRS, tables=["84853NED"], page_size=PAGE_SIZE, seed=7)
    assert (
        _files(other.folders["84853NED"])["Observations.json"] != _files(demo.folders["84853NED"])["Observations.json"]
    )


def test_regenerating_replaces_a_demo_folder_but_never_other_data(tmp_path: Path) -> None:
    first = generate_demo(tmp_path, *DIRS, tables=["84853NED"], page_size=1_000)
    folder = first.folders["84853NED"]
    assert len(list(folder.glob("Observations*.json"))) == -(-first.total // 1_000)
    generate_demo(tmp_path, *DIRS, tables=["84853NED"])
    assert [p.name for p in folder.glob("Observations*.json")] == ["Observations.json"]
    assert not any(p.name.startswith(".") for p in folder.parent.iterdir())
    real = tmp_path / "cbs" / "84852NED" / "2026-01-15"
    real.mkdir(parents=True)
    (real / "manifest.json").write_text(json.dumps({"dataset_kind": "cbs"}), encoding="utf-8")
    with pytest.raises(FileExistsError, match="not demo data"):
        generate_demo(tmp_path, *DIRS, tables=["84852NED"])
    assert [p.name for p in real.iterdir()] == ["manifest.json"]


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="84854NED"):
        generate_demo(tmp_path, *DIRS, tables=["84854NED"])
    with pytest.raises(ValueError, match="snapshot"):
        generate_demo(tmp_path, *DIRS, tables=["84853NED"], snapshot="latest")
    with pytest.raises(ValueError, match="page_size"):
        generate_demo(tmp_path, *DIRS, tables=["84853NED"], page_size=0)


@pytest.mark.slow
def test_full_demo_dataset_size(tmp_path: Path) -> None:
    summary = generate_demo(tmp_path, *DIRS)
    assert sorted(summary.tables) == sorted(TABLES)
    for table, folder in summary.folders.items():
        rows = sum(len(_json(folder / name)["value"]) for name in _pages(folder))
        assert rows == summary.tables[table], table
    assert summary.total == sum(summary.tables.values()) > 1_200_000
