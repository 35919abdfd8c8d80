"""The command line: python -m etl {build,validate,list,demo,fetch}."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from config import DATASETS, load_settings
from etl.catalog import CatalogError, load_catalog
from etl.checks import BuildCheckError
from etl.fetch import FetchError
from etl.normalise import normalise_source
from etl.problems import InputError, one_line
from etl.publish import BuildLockedError, current_build_dir
from etl.reference import build_reference
from etl.sources import FORMAT_MODULES, parse_input


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Build the HGKM warehouse from raw exports.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="raw exports -> validated warehouse, published atomically")
    build.add_argument("--dataset", choices=DATASETS, help="overrides HGKM_DATASET")
    build.add_argument("--if-stale", action="store_true", help="only build when inputs or code changed")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    validate = commands.add_parser("validate", help="check export files; writes nothing")
    validate.add_argument("files", nargs="+", type=Path)
    validate.add_argument("--format", choices=FORMAT_MODULES, help="force a format instead of detecting it")
    listing = commands.add_parser("list", help="sources, tables, snapshot dates and row counts of the published build")
    listing.add_argument("--dataset", choices=DATASETS)
    listing.add_argument("--json", action="store_true")
    demo = commands.add_parser("demo", help="generate the fictitious demo exports")
    demo.add_argument("--out", type=Path, help="default: <data>/demo/raw")
    fetch = commands.add_parser("fetch", help="download CBS tables into data/raw/cbs/<table>/<date>/")
    fetch.add_argument("tables", nargs="+")
    fetch.add_argument("--base-url-v4", default="https://datasets.cbs.nl/odata/v1/CBS")
    fetch.add_argument("--base-url-v3", default="https://opendata.cbs.nl/ODataApi/odata")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 must not stop a message being printed
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        overrides = {"HGKM_DATASET": args.dataset} if getattr(args, "dataset", None) else {}
        settings = load_settings({**os.environ, **overrides})
        return COMMANDS[args.command](args, settings)
    except InputError as exc:
        for item in exc.problems:
            print(item, file=sys.stderr)
        print(f"error: {len(exc.problems)} problem(s); nothing was published", file=sys.stderr)
        return 1
    except (CatalogError, BuildCheckError, BuildLockedError, FetchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(one_line(f"{exc.filename or ''}::: error: {exc.strerror or exc}"), file=sys.stderr)
        return 1


def _build(args, settings) -> int:
    from etl.build import build
    from etl.demo_inputs import ensure_demo_exports

    if settings.dataset == "demo":
        ensure_demo_exports(settings)
    result = build(settings, progress=not args.quiet, if_stale=args.if_stale)
    if result.skipped:
        print(f"warehouse up to date: {result.path.name} ({settings.dataset})")
    else:
        count = f"{result.observations:,} observations"
        print(f"built {result.build_id} ({settings.dataset}): {count} in {result.seconds:.1f} s")
        _print_warnings(settings.data_dir, result.path)
    return 0


def _print_warnings(data_dir: Path, build_dir: Path) -> None:
    """The warnings of the inputs a build accepted, as `etl validate` prints them: recorded in the manifest, and
    said where the operator sees them (also with --quiet)."""
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["inputs"]:
        path = data_dir / item["path"]
        for warning in item.get("warnings", []):
            print(f"{path}:::warning: {warning}", file=sys.stderr)
        for unmapped in item.get("unmapped", []):
            print(f"{path}:::warning: not in the catalog, skipped: {unmapped}", file=sys.stderr)


def _validate(args, settings) -> int:
    catalog = load_catalog(settings.catalog_dir)
    labels = build_reference(settings.reference_dir, settings.geo_dir).label_to_code
    failed = 0
    for path in args.files:
        try:
            source = parse_input(path, args.format)
            normalised = normalise_source(source, catalog, labels)
        except InputError as exc:
            failed += 1
            for item in exc.problems:
                print(item)
            continue
        except Exception as exc:  # noqa: BLE001 - as in the build: one line naming the file, never a traceback
            failed += 1
            print(one_line(f"{path}::: could not be read: unexpected {type(exc).__name__}: {exc}"))
            continue
        for warning in source.warnings:
            print(f"{path}:::warning: {warning}")
        for unmapped in normalised.unmapped:
            print(f"{path}:::warning: not in the catalog, skipped: {unmapped}")
        print(f"{path}: ok ({source.format}, {len(normalised.observations):,} observations)", file=sys.stderr)
    print(f"{len(args.files) - failed} valid, {failed} invalid", file=sys.stderr)
    return 1 if failed else 0


def _list(args, settings) -> int:
    build_dir = current_build_dir(settings.warehouse_dir)
    if build_dir is None:
        print(f"nothing published in {settings.warehouse_dir}; run: python -m etl build", file=sys.stderr)
        return 1
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    if args.json:
        print(json.dumps(manifest, indent=2, ensure_ascii=False))
        return 0
    kind = "FICTIEVE DEMODATA" if manifest["is_fictitious"] else "published figures"
    print(f"build {manifest['build_id']}  dataset {manifest['dataset_kind']} ({kind})  built {manifest['built_at']}")
    print(f"code {manifest['code_version']}")
    print("\ntables:")
    for name, rows in manifest["tables"].items():
        print(f"  {name:<20} {rows:>12,} rows")
    print("\nsources:")
    for item in manifest["inputs"]:
        print(
            f"  {item['path']:<70} {item['format']:<13} {item['snapshot'] or '-':<10} {item['observations']:>10,} obs"
        )
    return 0


def _demo(args, settings) -> int:
    from etl.demo_inputs import generate_demo_exports

    summary = generate_demo_exports(settings, args.out)
    print(f"demo exports: {summary.total:,} observations in {len(summary.tables)} tables -> {summary.out_root}")
    return 0


def _fetch(args, settings) -> int:
    from etl.fetch import fetch_table

    for table in args.tables:
        folder = fetch_table(
            table, settings.data_dir / "raw" / "cbs", base_url_v4=args.base_url_v4, base_url_v3=args.base_url_v3
        )
        print(f"{table}: saved {folder}")
    return 0


COMMANDS = {"build": _build, "validate": _validate, "list": _list, "demo": _demo, "fetch": _fetch}
__all__ = ["main"]
