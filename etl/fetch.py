"""Downloading CBS tables over OData v4 (falling back to v3) into complete, immutable raw snapshot folders."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from etl.sources.odata_v4 import MANIFEST_NAME, page_name

ALLOWED_TABLES = (
    "84847NED",
    "84848NED",
    "84849NED",
    "84850NED",
    "84851NED",
    "84852NED",
    "84853NED",
    "84854NED",
    "84855NED",
    "85361NED",
    "70072ned",
    "03759ned",
    "82975NED",
)
BASE_URL_V4 = "https://datasets.cbs.nl/odata/v1/CBS/"
BASE_URL_V3 = "https://opendata.cbs.nl/ODataApi/odata/"
# v3 serves every table twice; UntypedDataSet keeps the statistical symbols, so TypedDataSet is not fetched.
SKIPPED_V3_ENTITIES = ("TypedDataSet",)
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_DELAY_SECONDS = 60.0
MAX_PAGES_PER_ENTITY = 10_000
USER_AGENT = "hgkm-impactmonitor-etl"

_ENTITY_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
log = logging.getLogger(__name__)


class FetchError(Exception):
    """A table could not be downloaded completely; nothing was written."""


@dataclass(frozen=True)
class _Api:
    name: str
    next_link: str
    skipped: tuple[str, ...]


_V4 = _Api("v4", "@odata.nextLink", ())
_V3 = _Api("v3", "odata.nextLink", SKIPPED_V3_ENTITIES)


def fetch_table(
    table_id: str,
    dest_root: Path,
    *,
    base_url_v4: str = BASE_URL_V4,
    base_url_v3: str = BASE_URL_V3,
    client: httpx.Client | None = None,
    today: date | None = None,
    allowed: Iterable[str] = ALLOWED_TABLES,
    retries: int = 4,
    backoff_seconds: float = 1.0,
    timeout_seconds: float = 60.0,
) -> Path:
    """Download one CBS table into dest_root/<table-id>/<YYYY-MM-DD>/ and return that folder.

    Tries OData v4 first and falls back to v3 when v4 answers 404. Every response page is saved byte for byte
    ('<Entity>.json', '<Entity>-0002.json', ...) with a manifest.json of sha256 checksums. The snapshot appears
    only when complete: it is written to a temporary folder beside it and renamed at the end.
    """
    table_id = _allowed_table(table_id, allowed)
    snapshot = Path(dest_root) / table_id / (today or date.today()).isoformat()
    if snapshot.exists():
        raise FetchError(f"{snapshot} already exists; snapshots are immutable (remove it to fetch again)")
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    session = client or httpx.Client(
        timeout=httpx.Timeout(timeout_seconds), follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    fetcher = _Fetcher(session, retries, backoff_seconds)
    staging = Path(tempfile.mkdtemp(prefix=f".{snapshot.name}-", suffix=".partial", dir=snapshot.parent))
    try:
        api, service_url, entities = _service(fetcher, table_id, base_url_v4, base_url_v3)
        files = []
        for name, url in entities:
            files += fetcher.download_entity(api, service_url, name, url, staging)
        manifest = {
            "table_id": table_id,
            "api": api.name,
            "base_url": service_url,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": files,
        }
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        staging.rename(snapshot)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        if client is None:
            session.close()
    log.info("fetched %s over OData %s into %s (%d files)", table_id, api.name, snapshot, len(files))
    return snapshot


def _allowed_table(table_id: str, allowed: Iterable[str]) -> str:
    """The allow-listed spelling of a table id; refuses any other id before a request is made."""
    by_key = {table.casefold(): table for table in allowed}
    if table_id.casefold() not in by_key:
        raise FetchError(f"table {table_id!r} is not in the allow-list ({', '.join(by_key.values())})")
    return by_key[table_id.casefold()]


def _service(fetcher: _Fetcher, table_id: str, base_url_v4: str, base_url_v3: str) -> tuple[_Api, str, list]:
    """The API that serves the table, its service URL and its entity sets (name, URL)."""
    for api, base in ((_V4, base_url_v4), (_V3, base_url_v3)):
        service_url = urljoin(base.rstrip("/") + "/", f"{table_id}/")
        response = fetcher.get(service_url)
        if response.status_code == 404:
            log.info("%s: not on OData %s (404)", table_id, api.name)
            continue
        document = fetcher.json_body(response, service_url)
        entries = document.get("value")
        if not isinstance(entries, list) or not entries:
            raise FetchError(f"{service_url}: expected a service document listing the entity sets in 'value'")
        return api, service_url, _entities(api, service_url, entries)
    raise FetchError(f"table {table_id} not found: both OData v4 ({base_url_v4}) and v3 ({base_url_v3}) answer 404")


def _entities(api: _Api, service_url: str, entries: list) -> list[tuple[str, str]]:
    entities = []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        url = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not _ENTITY_NAME.match(name) or not isinstance(url, str):
            raise FetchError(f"{service_url}: unexpected entity set entry {entry!r}")
        if name not in api.skipped:
            entities.append((name, _same_host(service_url, urljoin(service_url, url))))
    return entities


def _same_host(service_url: str, url: str) -> str:
    """Refuse links that leave the CBS host the table was found on."""
    expected, actual = urlsplit(service_url), urlsplit(url)
    if (actual.scheme, actual.netloc) != (expected.scheme, expected.netloc):
        raise FetchError(f"{service_url}: link {url} points to another host")
    return url


class _Fetcher:
    """GET with bounded retries and exponential backoff; pages saved as served."""

    def __init__(self, client: httpx.Client, retries: int, backoff_seconds: float):
        self.client = client
        self.retries = retries
        self.backoff_seconds = backoff_seconds

    def get(self, url: str) -> httpx.Response:
        """The response to GET url, retrying on 429, 5xx and transport errors; other statuses are returned."""
        for attempt in range(self.retries + 1):
            try:
                response = self.client.get(url)
            except httpx.TransportError as exc:
                reason, delay = f"{type(exc).__name__}: {exc}", None
            except httpx.RequestError as exc:
                raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason, delay = f"HTTP {response.status_code}", _retry_after(response)
            if attempt == self.retries:
                break
            wait = min(max(self.backoff_seconds * 2**attempt, delay or 0.0), MAX_RETRY_DELAY_SECONDS)
            log.warning("%s: %s; retry %d of %d in %.1f s", url, reason, attempt + 1, self.retries, wait)
            time.sleep(wait)
        raise FetchError(f"{url}: giving up after {self.retries + 1} attempts ({reason})")

    def json_body(self, response: httpx.Response, url: str) -> dict:
        """The response's JSON object; any other status or malformed JSON is an error."""
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
        try:
            body = json.loads(response.content)
        except json.JSONDecodeError as exc:
            raise FetchError(
                f"{url}: malformed JSON from the server: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except UnicodeDecodeError as exc:
            raise FetchError(f"{url}: response is not UTF-8 JSON (byte {exc.start})") from None
        if not isinstance(body, dict):
            raise FetchError(f"{url}: expected a JSON object, found {type(body).__name__}")
        return body

    def download_entity(self, api: _Api, service_url: str, name: str, url: str, folder: Path) -> list[dict]:
        """Save every page of one entity set, following next links; returns the manifest entries."""
        files = []
        seen = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(files) >= MAX_PAGES_PER_ENTITY:
                raise FetchError(f"{next_url}: next links of {name} loop or exceed {MAX_PAGES_PER_ENTITY} pages")
            seen.add(next_url)
            response = self.get(next_url)
            body = self.json_body(response, next_url)
            if "value" in body and not isinstance(body["value"], list):
                raise FetchError(f"{next_url}: 'value' is not a list")
            file_name = page_name(name, len(files) + 1)
            (folder / file_name).write_bytes(response.content)
            files.append(
                {
                    "name": file_name,
                    "url": next_url,
                    "sha256": hashlib.sha256(response.content).hexdigest(),
                    "bytes": len(response.content),
                }
            )
            link = body.get(api.next_link)
            if link is not None and not isinstance(link, str):
                raise FetchError(f"{next_url}: {api.next_link} is not a URL: {link!r}")
            next_url = _same_host(service_url, urljoin(next_url, link)) if link else None
        return files


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None
