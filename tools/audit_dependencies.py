"""Dependency audit: fail when an installed Python package has a known vulnerability, as PyPI reports it.

pip-audit cannot run here: its PyPI service asks `pypi.org/pypi/<name>/<version>/json`, which this machine's and
CI's access to PyPI refuses (404 for every version), and OSV (`api.osv.dev`) is not reachable. What is reachable is
the project document `pypi.org/pypi/<name>/json`, whose `vulnerabilities` (the same PyPA/OSV records pip-audit
reads) belong to the project's latest release. So:

- a package installed at its latest release is audited exactly: any vulnerability not withdrawn fails the audit;
- a package behind its latest release (a pin not yet moved, or a release series held back for Python 3.11) cannot
  be audited from here: it is listed as not audited, and still fails when its release is yanked or when the latest
  release has a vulnerability (one not fixed even there most likely affects the older release too).

Every distribution installed in this environment is audited: requirements.txt, requirements-dev.txt and what they
pull in. `--ignore-vuln ID` skips one advisory (the Makefile says why); nothing is cached on disk.

`python tools/audit_dependencies.py [--ignore-vuln ID ...]`; exit status 1 on a finding, 2 when PyPI is unreachable.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

PROJECT_URL = "https://pypi.org/pypi/{name}/json"
TIMEOUT_SECONDS = 20
ATTEMPTS = 3
PARALLEL = 8


@dataclass
class Audit:
    """What PyPI says about one installed distribution."""

    name: str
    installed: str
    latest: str = ""
    findings: list[str] = field(default_factory=list)

    @property
    def audited(self) -> bool:
        return self.installed == self.latest


def installed_distributions() -> dict[str, str]:
    """Name -> version of every distribution in this interpreter's environment (the venv)."""
    found = {}
    for distribution in importlib.metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            found[name.lower().replace("_", "-").replace(".", "-")] = distribution.version
    return dict(sorted(found.items()))


def project_document(name: str) -> dict:
    """PyPI's JSON document of a project, retried a few times on network errors (an HTTP error status is final)."""
    attempts_left = ATTEMPTS
    while True:
        try:
            with urllib.request.urlopen(PROJECT_URL.format(name=name), timeout=TIMEOUT_SECONDS) as response:
                return json.load(response)
        except urllib.error.HTTPError:
            raise
        except OSError:
            attempts_left -= 1
            if not attempts_left:
                raise
            time.sleep(1)


def describe(vulnerability: dict) -> str:
    aliases = ", ".join(vulnerability.get("aliases") or [])
    fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fix released"
    return f"{vulnerability['id']} ({aliases or 'no aliases'}); fixed in {fixed}; {vulnerability.get('link', '')}"


def audit(name: str, installed: str, ignored: set[str]) -> Audit:
    """The findings for one distribution: vulnerabilities PyPI lists (not withdrawn, not ignored), a yanked release."""
    result = Audit(name, installed)
    document = project_document(name)
    result.latest = document["info"]["version"]
    for vulnerability in document.get("vulnerabilities") or []:
        ids = {vulnerability["id"], *(vulnerability.get("aliases") or [])}
        if not vulnerability.get("withdrawn") and not ids & ignored:
            scope = "" if result.audited else f" (listed for the latest release {result.latest})"
            result.findings.append(describe(vulnerability) + scope)
    files = document.get("releases", {}).get(installed) or []
    if files and all(item.get("yanked") for item in files):
        result.findings.append(f"release {installed} is yanked: {files[0].get('yanked_reason') or 'no reason given'}")
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tools/audit_dependencies.py", description=__doc__.split("\n")[0])
    parser.add_argument("--ignore-vuln", action="append", default=[], metavar="ID", help="an advisory id to skip")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    distributions = installed_distributions()
    try:
        with ThreadPoolExecutor(PARALLEL) as pool:
            results = list(pool.map(lambda item: audit(*item, set(options.ignore_vuln)), distributions.items()))
    except OSError as error:  # HTTPError included: no audit is not a passed audit
        print(f"dependency audit: PyPI did not answer ({error}); nothing was audited", file=sys.stderr)
        return 2
    for result in results:
        for finding in result.findings:
            print(f"VULNERABLE {result.name} {result.installed}: {finding}")
    behind = [f"{result.name} {result.installed} (latest {result.latest})" for result in results if not result.audited]
    if behind:
        print(f"not audited (behind the latest release, whose record is all PyPI serves here): {', '.join(behind)}")
    failed = sum(bool(result.findings) for result in results)
    print(
        f"dependency audit: {len(results) - len(behind)} of {len(results)} installed distributions audited, "
        f"{failed} with a known vulnerability, in {time.perf_counter() - started:.1f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
