"""Property-based test of the HTTP API against its own OpenAPI document (schemathesis over the real gunicorn server).

For every operation schemathesis generates valid and invalid query strings from the document the server serves
at /api/v1/openapi.json and checks each response: no 5xx, a documented status code and content type, JSON
bodies and headers that match the documented schemas, invalid input refused. The document lists the build's
indicator ids and region codes, so valid requests reach the data. Bounded and derandomised: a run is
reproducible and takes seconds.

Two drivers: Hypothesis `@given` over schemathesis' strategies (fuzzing, valid and invalid data, on both
datasets), and schemathesis' own command line for its deterministic coverage phase (boundary values, missing
and mistyped parameters). Not schemathesis' pytest integration: `schemathesis.pytest.from_fixture` (4.32.5) reads
`Function._nodeid`, which pytest 9.2 no longer has.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from api.openapi import document

# Every built-in check, with two settings of our own. The document cannot express a cross-parameter rule (`from`
# must not come after `to`), so a request that is valid by the schema may rightly get a 400: no check that
# schema-valid requests succeed. Invalid input must get our JSON 400, or the HTTP server's 414 (documented) when
# the generated request line is longer than it accepts.
CONFIG_TOML = """
[checks.positive_data_acceptance]
enabled = false

[checks.negative_data_rejection]
expected-statuses = ["400", "414"]
"""
CONFIG = schemathesis.Config.from_str(CONFIG_TOML)
OPERATIONS = [
    (path, mode)
    for path, item in sorted(document()["paths"].items())
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if item["get"]["parameters"] or mode is GenerationMode.POSITIVE  # no parameters: nothing invalid to send
]


def _check_operation(schema, path: str, mode: GenerationMode, examples: int) -> None:
    @given(case=schema[path]["GET"].as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(timeout=10)

    check()


@pytest.fixture(scope="module")
def cbs_schema(cbs_server):
    return schemathesis.openapi.from_url(f"{cbs_server}/api/v1/openapi.json", config=CONFIG)


@pytest.fixture(scope="module")
def demo_schema(demo_server):
    return schemathesis.openapi.from_url(f"{demo_server}/api/v1/openapi.json", config=CONFIG)


@pytest.mark.parametrize(("path", "mode"), OPERATIONS)
def test_the_cbs_api_conforms_to_its_openapi_document(cbs_schema, path, mode):
    _check_operation(cbs_schema, path, mode, examples=100)


@pytest.mark.parametrize(("path", "mode"), OPERATIONS)
def test_the_demo_api_conforms_to_its_openapi_document(demo_schema, path, mode):
    """The demo has every region and period, so valid requests return many more rows (and fictitious ones)."""
    _check_operation(demo_schema, path, mode, examples=25)


def test_the_coverage_phase_finds_no_failure(cbs_server, tmp_path):
    """schemathesis' coverage phase: for every operation, boundary and just-out-of-range values of each parameter,
    missing required parameters and wrong types; every check on, the same settings as above."""
    (tmp_path / "schemathesis.toml").write_text(CONFIG_TOML, encoding="utf-8")  # found in the working directory
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run", f"{cbs_server}/api/v1/openapi.json",
        "--phases", "coverage", "--checks", "all",
        "--seed", "1", "--no-color", "--request-timeout", "10",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    tested = len(document()["paths"]) - 1  # every operation but the document itself, which schemathesis skips
    assert f"Tested: {tested}" in result.stdout, result.stdout[-3000:]
