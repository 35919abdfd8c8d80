"""Checks of a staged build, run on its database opened as the app opens it, before it may be published."""

from __future__ import annotations

from pathlib import Path

from etl.catalog import Catalog
from etl.codes import PUBLISHED_STATUSES, VALUE_STATUSES
from store.connection import open_build

# Each check: a description and a query counting offending rows. Table names come from this module only.
CHECKS = (
    ("observations has rows", "SELECT (COUNT(*) = 0)::INT FROM observations"),
    (
        "every indicator in the data has a catalog entry with definitions",
        "SELECT COUNT(*) FROM (SELECT DISTINCT indicator_id FROM observations) o "
        "LEFT JOIN indicators i USING (indicator_id) "
        "WHERE i.indicator_id IS NULL OR coalesce(i.definition_nl, '') = '' OR coalesce(i.definition_en, '') = ''",
    ),
    (
        "observation keys are unique",
        "SELECT COUNT(*) FROM (SELECT 1 FROM observations "
        "GROUP BY indicator_id, category_code, region_code, period_code HAVING COUNT(*) > 1)",
    ),
    ("value_status is known", "SELECT COUNT(*) FROM observations WHERE value_status NOT IN ({statuses})"),
    (
        "a value is present exactly when its status is a published status",
        "SELECT COUNT(*) FROM observations WHERE (value IS NULL) = (value_status IN ({published}))",
    ),
    (
        "categories exist exactly for indicators with a breakdown",
        "SELECT COUNT(*) FROM observations o JOIN indicators i USING (indicator_id) "
        "LEFT JOIN categories c ON c.breakdown = i.breakdown AND c.category_code = o.category_code "
        "WHERE (i.breakdown IS NULL) <> (o.category_code IS NULL) "
        "OR (i.breakdown IS NOT NULL AND c.category_code IS NULL)",
    ),
    (
        "every region code is in the regions table",
        "SELECT COUNT(*) FROM (SELECT DISTINCT region_code FROM observations) o "
        "WHERE region_code NOT IN (SELECT region_code FROM regions)",
    ),
    (
        "counts are not negative",
        "SELECT COUNT(*) FROM observations o JOIN indicators i USING (indicator_id) "
        "WHERE i.unit = 'aantal' AND value < 0",
    ),
    (
        "every period is described",
        "SELECT COUNT(*) FROM (SELECT DISTINCT period_code FROM observations) o "
        "WHERE period_code NOT IN (SELECT period_code FROM periods)",
    ),
)


class BuildCheckError(RuntimeError):
    """A staged build failed a check; it is not published."""


def check_build(build_dir: Path, catalog: Catalog) -> None:
    """Run every check; raise BuildCheckError naming each failed check and its offending row count."""
    statuses = ", ".join(f"'{s}'" for s in VALUE_STATUSES)
    published = ", ".join(f"'{s}'" for s in PUBLISHED_STATUSES)
    connection = open_build(build_dir)  # as the app will open it
    try:
        failures = []
        for description, query in CHECKS:
            (count,) = connection.execute(query.format(statuses=statuses, published=published)).fetchone()
            if count:
                failures.append(f"{description}: {count} offending row(s)")
        missing = set(catalog.indicators) - {
            row[0] for row in connection.execute("SELECT indicator_id FROM indicators").fetchall()
        }
        if missing:
            failures.append(f"indicators table lacks {sorted(missing)}")
    finally:
        connection.close()
    if failures:
        raise BuildCheckError(f"build {build_dir.name} failed its checks: " + "; ".join(failures))
