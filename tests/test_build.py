"""Building and publishing: atomic switch, failed and killed builds leave the published build untouched."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from etl.build import build
from etl.catalog import load_catalog
from etl.checks import check_build
from etl.problems import InputError
from etl.publish import current_build_id
from store.queries import Store
from tests.conftest import DATA, PROJECT_ROOT, tree_checksum

BAD_CSV = (
    "table_id,table_title,region_label,region_level,region_code_derived,period_label,period_code_derived,"
    "provisional,measure,value_raw,value,source_url\n"
    '85361NED,"t",Atlantis,gemeente,,2023*,2023JJ00,1,"Ontvangen meldingen, totaal (aantal)",10,10,https://x\n'
)


def test_build_publishes_an_immutable_folder_with_manifest(private_data):
    result = build(private_data, progress=False)
    assert current_build_id(private_data.warehouse_dir) == result.build_id
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["dataset_kind"] == "cbs" and manifest["is_fictitious"] is False
    assert manifest["tables"]["observations"] == result.observations > 1000
    paths = {item["path"] for item in manifest["inputs"]}
    assert "raw/cbs-published/curated/84852NED.csv" in paths
    for item in manifest["inputs"]:
        assert len(item["sha256"]) == 64 and item["bytes"] > 0
    for table in manifest["tables"]:
        assert (result.path / f"{table}.parquet").is_file()
    assert (result.path / "geo" / "veiligthuisregio_2023.topojson").is_file()


def test_a_bad_export_dropped_into_raw_fails_the_build_and_leaves_the_published_build_byte_identical(private_data):
    build(private_data, progress=False)
    before = tree_checksum(private_data.warehouse_dir)
    bad = private_data.raw_dir / "cbs-published" / "extra" / "bad.csv"
    bad.parent.mkdir()
    bad.write_text(BAD_CSV, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(private_data, progress=False)
    assert f"{bad}:2:region_label: unknown region 'Atlantis'" in str(caught.value)
    assert tree_checksum(private_data.warehouse_dir) == before


def test_the_cli_exits_non_zero_and_names_file_row_and_column(private_data):
    build(private_data, progress=False)
    before = tree_checksum(private_data.warehouse_dir)
    bad = private_data.raw_dir / "cbs-published" / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--quiet"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **_env(private_data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{bad}:2:region_label: unknown region 'Atlantis'" in result.stderr
    assert "nothing was published" in result.stderr
    assert tree_checksum(private_data.warehouse_dir) == before


def test_an_unknown_file_type_in_raw_is_an_error_not_ignored(private_data):
    (private_data.raw_dir / "cbs-published" / "figures.ods").write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="unexpected file"):
        build(private_data, progress=False)


def test_a_demo_export_is_refused_in_the_real_dataset(private_data):
    folder = private_data.raw_dir / "cbs" / "84847NED" / "2026-01-15"
    folder.mkdir(parents=True)
    (folder / "Observations.json").write_text('{"value": []}', encoding="utf-8")
    (folder / "manifest.json").write_text('{"dataset_kind": "demo"}', encoding="utf-8")
    with pytest.raises(InputError, match="demo export in the cbs dataset"):
        build(private_data, progress=False)


def test_if_stale_skips_an_unchanged_build_and_rebuilds_after_a_change(private_data):
    first = build(private_data, progress=False)
    assert build(private_data, progress=False, if_stale=True).skipped
    curated = private_data.raw_dir / "cbs-published" / "curated" / "84853NED.csv"
    curated.write_text(curated.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", encoding="utf-8")
    second = build(private_data, progress=False, if_stale=True)
    assert not second.skipped and second.build_id != first.build_id


def test_old_builds_are_pruned_but_the_published_one_is_kept(private_data):
    ids = []
    for _ in range(private_data.keep_builds + 2):
        ids.append(build(private_data, progress=False).build_id)
        time.sleep(1.05)  # build ids carry the second they were made
    kept = sorted(p.name for p in private_data.warehouse_dir.iterdir() if p.is_dir())
    assert kept == sorted(ids[-private_data.keep_builds :])
    assert current_build_id(private_data.warehouse_dir) == ids[-1]


def test_the_store_switches_to_a_newly_published_build_without_restart(private_data):
    build(private_data, progress=False)
    store = Store(private_data.warehouse_dir)
    first = store.build_id
    before = store.national_series("afgeronde_onderzoeken")
    time.sleep(1.05)
    curated = private_data.raw_dir / "cbs-published" / "curated" / "84853NED.csv"
    curated.write_text(curated.read_text(encoding="utf-8").replace(",7.350,7350,", ",7.355,7355,"), encoding="utf-8")
    build(private_data, progress=False)
    assert store.build_id != first
    after = store.national_series("afgeronde_onderzoeken").set_index("period_code")["value"]
    assert before.set_index("period_code")["value"]["2023JJ00"] == 7350
    assert after["2023JJ00"] == 7355


def _env(settings) -> dict[str, str]:
    return {
        "HGKM_DATASET": settings.dataset,
        "HGKM_DATA_DIR": str(settings.data_dir),
        "HGKM_WAREHOUSE_DIR": str(settings.warehouse_dir),
    }


def test_killing_the_build_at_random_moments_never_breaks_the_published_build(private_data):
    """SIGKILL `etl build` at random points; CURRENT must always name a complete build that passes its checks."""
    build(private_data, progress=False)
    catalog = load_catalog(DATA / "catalog")
    rng = random.Random(20261122)
    env = {**os.environ, **_env(private_data)}
    killed = 0
    for _ in range(20):
        process = subprocess.Popen(
            [sys.executable, "-m", "etl", "build", "--quiet"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.9))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        published = current_build_id(private_data.warehouse_dir)
        assert published is not None
        check_build(private_data.warehouse_dir / published, catalog)
        manifest = json.loads((private_data.warehouse_dir / published / "manifest.json").read_text())
        assert manifest["build_id"] == published
    assert killed >= 5, "the kill points should interrupt many builds"
    assert build(private_data, progress=False).build_id


def test_conflicting_publications_of_one_number_fail_naming_both_files(private_data):
    curated = private_data.raw_dir / "cbs-published" / "curated" / "84852NED.csv"
    header, *rows = curated.read_text(encoding="utf-8").splitlines()
    nl_2020 = next(row for row in rows if ",Nederland,land,NL01,2020,2020JJ00," in row)
    conflicting = private_data.raw_dir / "cbs-published" / "later" / "84852NED_revised.csv"
    conflicting.parent.mkdir()
    conflicting.write_text(f"{header}\n{nl_2020.replace('127.410,127410', '127.415,127415')}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(private_data, progress=False)
    message = str(caught.value)
    assert "ontvangen_meldingen" in message and "NL01 2020JJ00" in message
    assert "127415 (definitief) conflicts with 127410 (definitief)" in message
    assert str(conflicting) in message and str(curated) in message
