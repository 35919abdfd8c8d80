"""Settings: every setting is documented in the README, and bad values are refused with a reason."""

import pytest

from config import PROJECT_ROOT, SETTINGS, load_settings


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| `{setting.env}` |" in readme, setting.env


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HGKM_DATASET": "fake"}, "HGKM_DATASET='fake'"),
        ({"HGKM_PORT": "eighty"}, "integers"),
        ({"HGKM_KEEP_BUILDS": "0"}, "at least 1"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(env, message):
    with pytest.raises(ValueError, match=message):
        load_settings(env)


def test_the_warehouse_folder_follows_the_dataset(tmp_path):
    settings = load_settings({"HGKM_DATASET": "demo", "HGKM_DATA_DIR": str(tmp_path)})
    assert settings.warehouse_dir == tmp_path / "warehouse" / "demo"
    assert settings.raw_dir == tmp_path / "demo" / "raw"
