"""The fictitious demo dataset end to end: generated exports, full build, labelled as fictitious."""

import json
import os
import subprocess
import sys

from store.queries import Store
from tests.conftest import PROJECT_ROOT


def test_the_demo_build_covers_every_region_and_half_year(demo_warehouse):
    store = Store(demo_warehouse)
    manifest = store.manifest()
    assert manifest["dataset_kind"] == "demo" and manifest["is_fictitious"]
    assert manifest["tables"]["observations"] > 1_000_000
    assert all(item["unmapped"] == [] for item in manifest["inputs"])
    series = store.national_series("ontvangen_meldingen", "halfjaar")
    assert list(series["period_code"]) == [f"{y}HJ0{h}" for y in range(2019, 2026) for h in (1, 2)]
    for year, expected in ((2022, 26), (2023, 25)):
        frame = store.regional_values("ontvangen_meldingen", f"{year}JJ00", "veilig_thuis_regio", None)
        in_classification = frame[frame["missing_reason"].ne("regio_bestaat_niet")]
        assert len(in_classification) == expected
    gemeenten = store.regional_values("ontvangen_meldingen", "2024JJ00", "gemeente", None)
    assert len(gemeenten) == 342


def test_demo_counts_are_rounded_like_cbs_and_small_cells_suppressed(demo_warehouse):
    store = Store(demo_warehouse)
    frame = store.regional_values("meldingen_naar_kenmerk_melder", "2024HJ01", "gemeente", "org_bureau_leerplicht")
    published = frame["value"].dropna()
    assert len(published) and (published % 5 == 0).all()
    assert (frame["value_status"] == "geheim").any()


def test_list_says_the_build_is_fictitious(demo_warehouse):
    result = subprocess.run(
        [sys.executable, "-m", "etl", "list"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HGKM_DATASET": "demo", "HGKM_WAREHOUSE_DIR": str(demo_warehouse)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "FICTIEVE DEMODATA" in result.stdout and "observations" in result.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "etl", "list", "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HGKM_DATASET": "demo", "HGKM_WAREHOUSE_DIR": str(demo_warehouse)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(as_json.stdout)["is_fictitious"] is True
