"""Lighthouse accessibility report: the score of every page and the audits that fail, with the elements they name.

A report, not a test (the axe-core browser tests are the gate): Lighthouse comes from npm (about 180 MB) into
.cache/lighthouse, which git ignores, and runs Debian's Chromium against the production server (gunicorn, as
tests/servers.py starts it) on the `cbs` dataset built into a temporary folder. Each page is scored as Lighthouse's
phone (its default, 412 px wide, emulated) and desktop presets; the goal is 100 everywhere.

    python -m benchmarks.lighthouse [--form-factor mobile|desktop] [PATH ...]    (or: make lighthouse)

Prints a table and writes benchmarks/results/lighthouse.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import PROJECT_ROOT, load_settings
from tests.browser import chromium_path
from tests.servers import running_server

LIGHTHOUSE_VERSION = "13.5.0"
CACHE = PROJECT_ROOT / ".cache" / "lighthouse"
RESULTS = PROJECT_ROOT / "benchmarks" / "results"
PAGES = (
    "/",
    "/landelijk/ontvangen_meldingen",
    "/regionaal/ontvangen_meldingen",
    "/regio/VT09",
    "/regio/VT09/rapport",
    "/vergelijk",
    "/data",
    "/toegankelijkheid",
    "/?lang=en",
)
FORM_FACTORS = ("mobile", "desktop")
RUN_TIMEOUT_SECONDS = 180
SNIPPET_CHARS = 200


def install() -> Path:
    """The pinned Lighthouse command line, installed from npm into the cache folder when it is not there yet."""
    package = CACHE / "node_modules" / "lighthouse" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != LIGHTHOUSE_VERSION:
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} from npm into {CACHE.relative_to(PROJECT_ROOT)}")
        subprocess.run(
            ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )
    return CACHE / "node_modules" / ".bin" / "lighthouse"


def build_cbs(workdir: Path) -> tuple[Path, str]:
    """The `cbs` dataset from the shipped exports, built into `workdir`; (warehouse folder, build id)."""
    from etl.build import build

    settings = load_settings({"HGKM_DATASET": "cbs", "HGKM_WAREHOUSE_DIR": str(workdir / "warehouse")})
    build(settings, progress=False)
    return settings.warehouse_dir, (settings.warehouse_dir / "CURRENT").read_text().strip()


def run_lighthouse(command: Path, url: str, form_factor: str, output: Path) -> dict:
    """One Lighthouse run of the accessibility category; its JSON report (a failed run raises with its stderr)."""
    arguments = [
        str(command),
        url,
        "--only-categories=accessibility",
        "--output=json",
        f"--output-path={output}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    if form_factor == "desktop":
        arguments.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    if result.returncode != 0 or not output.exists():
        raise RuntimeError(f"lighthouse {url} ({form_factor}) failed:\n{result.stderr[-3000:]}")
    return json.loads(output.read_text())


def _element(item: dict) -> dict:
    node = item.get("node") or {}
    return {
        "selector": node.get("selector"),
        "snippet": (node.get("snippet") or "")[:SNIPPET_CHARS],
        "explanation": node.get("explanation"),
    }


def summarise(report: dict) -> dict:
    """Score (0-100), the audits that applied and passed (few means the page did not render), and every audit that
    failed or could not run, with the elements it names."""
    category = report["categories"]["accessibility"]
    failing, passed = [], []
    for reference in category["auditRefs"]:
        audit = report["audits"][reference["id"]]
        mode = audit["scoreDisplayMode"]
        if mode in ("binary", "numeric") and audit["score"] == 1:
            passed.append(reference["id"])
        if mode == "error" or (mode in ("binary", "numeric") and audit["score"] is not None and audit["score"] < 1):
            items = (audit.get("details") or {}).get("items", [])
            failing.append(
                {
                    "id": reference["id"],
                    "title": audit["title"],
                    "weight": reference["weight"],
                    "error": audit.get("errorMessage"),
                    "elements": [_element(item) for item in items],
                }
            )
    score = category["score"]
    return {
        "score": None if score is None else round(score * 100),
        "passed": passed,
        "failing": failing,
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
        "warnings": report.get("runWarnings", []),
    }


def run_pages(base: str, command: Path, paths: tuple[str, ...], form_factors: tuple[str, ...]) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="hgkm-lighthouse-") as tmp:
        for path in paths:
            for form_factor in form_factors:
                started = time.perf_counter()
                output = Path(tmp) / f"{len(rows)}.json"
                report = run_lighthouse(command, base + path, form_factor, output)
                rows.append(
                    {
                        "path": path,
                        "form_factor": form_factor,
                        "seconds": round(time.perf_counter() - started, 1),
                        "final_url": report.get("finalDisplayedUrl", "").removeprefix(base),
                        **summarise(report),
                    }
                )
                row = rows[-1]
                print(f"  {path:<36} {form_factor:<8} {row['score']} ({len(row['passed'])} audits passed)", flush=True)
    return rows


def print_table(result: dict) -> None:
    factors = result["form_factors"]
    print(f"\nLighthouse {result['lighthouse_version']} accessibility score (goal 100), cbs build {result['build_id']}")
    print(f"  {'page':<36}" + "".join(f"{factor:>9}" for factor in factors))
    scores = {(row["path"], row["form_factor"]): row["score"] for row in result["pages"]}
    for path in dict.fromkeys(row["path"] for row in result["pages"]):
        print(f"  {path:<36}" + "".join(f"{str(scores.get((path, f), '-')):>9}" for f in factors))
    for row in result["pages"]:
        for audit in row["failing"]:
            where = f"{row['path']} ({row['form_factor']})"
            weight = f"weight {audit['weight']}" + (", not counted in the score" if audit["weight"] == 0 else "")
            print(f"\n  FAIL {where}: {audit['id']} ({weight}) — {audit['title']}")
            if audit["error"]:
                print(f"       error: {audit['error']}")
            for element in audit["elements"]:
                print(f"       {element['selector']}\n         {element['snippet']}")
        if row["runtime_error"]:
            print(f"\n  RUNTIME ERROR {row['path']} ({row['form_factor']}): {row['runtime_error']}")


def _version(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse")
    parser.add_argument("paths", nargs="*", default=list(PAGES), help="paths with query, default: every page")
    parser.add_argument("--form-factor", choices=FORM_FACTORS, action="append", help="default: both")
    args = parser.parse_args(argv)
    form_factors = tuple(args.form_factor or FORM_FACTORS)
    command = install()
    with tempfile.TemporaryDirectory(prefix="hgkm-lighthouse-build-") as tmp:
        warehouse, build_id = build_cbs(Path(tmp))
        with running_server(warehouse) as base:
            print(f"lighthouse {LIGHTHOUSE_VERSION} against {base} (cbs build {build_id})")
            pages = run_pages(base, command, tuple(args.paths), form_factors)
    result = {
        "lighthouse_version": LIGHTHOUSE_VERSION,
        "node": _version(["node", "--version"]),
        "chromium": _version([chromium_path(), "--version"]),
        "build_id": build_id,
        "form_factors": list(form_factors),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "pages": pages,
    }
    print_table(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "lighthouse.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten {out.relative_to(PROJECT_ROOT)}")
    return 1 if any(row["runtime_error"] for row in pages) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
