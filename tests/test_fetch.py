"""Fetching CBS tables from a real local HTTP server that replays recorded OData v4 and v3 responses."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from etl import fetch
from etl.sources import odata_v3, odata_v4

FIXTURES = Path(__file__).parent / "fixtures" / "odata"
V4_SNAPSHOT = FIXTURES / "v4" / "84849NED" / "2025-07-01"
V3_SNAPSHOT = FIXTURES / "v3" / "84852NED" / "2025-07-01"
RECORDED_V4 = "https://datasets.cbs.nl/odata/v1/CBS/"
RECORDED_V3 = "https://opendata.cbs.nl/ODataApi/OData/"
V4_PATH = "/odata/v1/CBS/"
V3_PATH = "/ODataApi/OData/"
TODAY = date(2025, 7, 2)
FAST = {"backoff_seconds": 0.01, "retries": 3}


class CbsServer(ThreadingHTTPServer):
    """A real HTTP server on 127.0.0.1 answering from a route table; unknown paths get a CBS-style 404."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, list[tuple[int, bytes]]] = {}
        self.delays: dict[str, list[float]] = {}
        self.requests: list[str] = []
        self.dropped: list[str] = []

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def route(self, path: str, *responses: tuple[int, bytes]) -> None:
        """Answer path with the responses in turn, repeating the last one."""
        self.routes[unquote(path)] = list(responses)

    def replay(self, snapshot: Path, api: str, table_id: str, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
        """Serve a recorded snapshot (service document, entity pages along their next links) on this host."""
        recorded, local, next_link = (
            (RECORDED_V4, self.root + V4_PATH, "@odata.nextLink")
            if api == "v4"
            else (RECORDED_V3, self.root + V3_PATH, "odata.nextLink")
        )
        service = urlsplit(local).path + f"{table_id}/"
        served: dict[str, bytes] = {}
        entities = sorted({p.name.split("-")[0].removesuffix(".json") for p in snapshot.glob("*.json")} | set(skip))
        for entity in entities:
            path, page = service + entity, 1
            while (snapshot / odata_v4.page_name(entity, page)).is_file():
                data = (
                    (snapshot / odata_v4.page_name(entity, page))
                    .read_bytes()
                    .replace(recorded.encode(), local.encode())
                )
                self.route(path, (200, data))
                served[odata_v4.page_name(entity, page)] = data
                link = json.loads(data).get(next_link)
                path, page = (urlsplit(link).path + "?" + urlsplit(link).query if link else None), page + 1
        for entity in skip:
            self.route(service + entity, (500, b"not to be fetched"))
        if api == "v4":
            listing = {
                "@odata.context": f"{local}{table_id}/$metadata",
                "value": [
                    {"name": e, "kind": "Singleton" if e == "Properties" else "EntitySet", "url": e} for e in entities
                ],
            }
        else:
            listing = {
                "odata.metadata": f"{local}{table_id}/$metadata",
                "value": [{"name": e, "url": f"{local}{table_id}/{e}"} for e in entities],
            }
        self.route(service, (200, json.dumps(listing).encode()))
        return served

    def count(self, path: str) -> int:
        return self.requests.count(unquote(path))

    def handle_error(self, request, client_address) -> None:
        """A client that timed out and hung up; recorded instead of printed."""
        self.dropped.append(str(client_address))


class _Handler(BaseHTTPRequestHandler):
    server: CbsServer

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        path = unquote(self.path)
        self.server.requests.append(path)
        delays = self.server.delays.get(path)
        if delays:
            time.sleep(delays.pop(0))
        responses = self.server.routes.get(path)
        if responses is None:
            status, body = (
                404,
                json.dumps({"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": "Not found"}}}).encode(),
            )
        else:
            status, body = responses.pop(0) if len(responses) > 1 else responses[0]
        self.send_response(status)
        self.send_header("Content-Type", "application/json;odata.metadata=minimal")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server API)
        return


@pytest.fixture
def server() -> Iterator[CbsServer]:
    cbs = CbsServer()
    thread = threading.Thread(target=cbs.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield cbs
    cbs.shutdown()
    cbs.server_close()
    thread.join()


def fetch_from(server: CbsServer, table_id: str, dest: Path, **options) -> Path:
    settings = {"base_url_v4": server.root + V4_PATH, "base_url_v3": server.root + V3_PATH, "today": TODAY, **FAST}
    return fetch.fetch_table(table_id, dest, **{**settings, **options})


def assert_nothing_written(dest: Path) -> None:
    leftovers = [p for p in dest.rglob("*") if p.is_file() or p.name.endswith(".partial")]
    assert leftovers == []


def test_v4_table_is_saved_page_by_page_with_manifest_and_parses(server: CbsServer, tmp_path: Path):
    served = server.replay(V4_SNAPSHOT, "v4", "84849NED")
    dest = tmp_path / "raw" / "cbs"
    folder = fetch_from(server, "84849NED", dest)

    assert folder == dest / "84849NED" / "2025-07-02"
    assert sorted(p.name for p in dest.joinpath("84849NED").iterdir()) == ["2025-07-02"]
    assert {p.name for p in folder.iterdir()} == set(served) | {"manifest.json"}
    for name, data in served.items():
        assert (folder / name).read_bytes() == data
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["table_id"] == "84849NED" and manifest["api"] == "v4"
    assert manifest["base_url"] == server.root + V4_PATH + "84849NED/"
    assert datetime.fromisoformat(manifest["fetched_at"]).tzinfo is not None
    pages = [entry for entry in manifest["files"] if entry["name"].startswith("Observations")]
    assert [entry["name"] for entry in pages] == [
        "Observations.json",
        "Observations-0002.json",
        "Observations-0003.json",
    ]
    assert pages[2]["url"].endswith("Observations?$skip=40")
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)

    source = odata_v4.parse(folder)
    expected = odata_v4.parse(V4_SNAPSHOT).frame.drop(columns="source_url")
    assert source.snapshot == "2025-07-02"
    assert source.frame.drop(columns="source_url").equals(expected)
    assert set(source.frame["source_url"]) == {manifest["base_url"]}


def test_retries_a_503_then_succeeds(server: CbsServer, tmp_path: Path):
    served = server.replay(V4_SNAPSHOT, "v4", "84849NED")
    page = V4_PATH + "84849NED/Observations?$skip=20"
    server.route(page, (503, b"Service Unavailable"), (200, served["Observations-0002.json"]))
    folder = fetch_from(server, "84849NED", tmp_path)
    assert server.count(page) == 2
    assert (folder / "Observations-0002.json").read_bytes() == served["Observations-0002.json"]
    assert len(odata_v4.parse(folder).frame) == 51


def test_retries_after_a_read_timeout(server: CbsServer, tmp_path: Path):
    server.replay(V4_SNAPSHOT, "v4", "84849NED")
    page = V4_PATH + "84849NED/Observations?$skip=40"
    server.delays[page] = [0.5]
    folder = fetch_from(server, "84849NED", tmp_path, timeout_seconds=0.1)
    assert server.count(page) == 2
    assert len(odata_v4.parse(folder).frame) == 51


def test_gives_up_after_bounded_retries_and_writes_nothing(server: CbsServer, tmp_path: Path):
    server.replay(V4_SNAPSHOT, "v4", "84849NED")
    page = V4_PATH + "84849NED/Observations?$skip=40"
    server.route(page, (503, b"Service Unavailable"))
    with pytest.raises(fetch.FetchError, match=r"giving up after 4 attempts \(HTTP 503\)"):
        fetch_from(server, "84849NED", tmp_path)
    assert server.count(page) == 4
    assert_nothing_written(tmp_path)


def test_malformed_json_from_the_server_writes_nothing(server: CbsServer, tmp_path: Path):
    served = server.replay(V4_SNAPSHOT, "v4", "84849NED")
    server.route(V4_PATH + "84849NED/Observations?$skip=20", (200, served["Observations-0002.json"][:300]))
    with pytest.raises(fetch.FetchError, match=r"Observations\?\$skip=20: malformed JSON from the server"):
        fetch_from(server, "84849NED", tmp_path)
    assert_nothing_written(tmp_path)


def test_falls_back_to_v3_when_v4_answers_404(server: CbsServer, tmp_path: Path):
    served = server.replay(V3_SNAPSHOT, "v3", "84852NED", skip=("TypedDataSet",))
    folder = fetch_from(server, "84852NED", tmp_path)
    assert server.requests[0] == V4_PATH + "84852NED/"
    assert server.count(V3_PATH + "84852NED/TypedDataSet") == 0
    assert {p.name for p in folder.iterdir()} == set(served) | {"manifest.json"}
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["api"] == "v3"
    source = odata_v3.parse(folder)
    assert source.frame.drop(columns="source_url").equals(odata_v3.parse(V3_SNAPSHOT).frame.drop(columns="source_url"))


def test_unknown_table_is_404_on_both_apis(server: CbsServer, tmp_path: Path):
    with pytest.raises(fetch.FetchError, match="table 99999NED not found: both OData v4 .* and v3 .* answer 404"):
        fetch_from(server, "99999NED", tmp_path, allowed=["99999NED"])
    assert server.requests == [V4_PATH + "99999NED/", V3_PATH + "99999NED/"]
    assert_nothing_written(tmp_path)


def test_table_outside_the_allow_list_is_refused_before_any_request(server: CbsServer, tmp_path: Path):
    with pytest.raises(fetch.FetchError, match="'83648NED' is not in the allow-list"):
        fetch_from(server, "83648NED", tmp_path)
    assert server.requests == []
    assert not any(tmp_path.iterdir())
    assert "70072ned" in fetch.ALLOWED_TABLES and len(fetch.ALLOWED_TABLES) == 13


def test_existing_snapshot_is_not_overwritten(server: CbsServer, tmp_path: Path):
    server.replay(V4_SNAPSHOT, "v4", "84849NED")
    fetch_from(server, "84849NED", tmp_path)
    before = server.requests.copy()
    with pytest.raises(fetch.FetchError, match="already exists"):
        fetch_from(server, "84849NED", tmp_path)
    assert server.requests == before


def test_connection_errors_are_retried_then_reported(tmp_path: Path):
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]
    base = f"http://127.0.0.1:{port}/odata/v1/CBS/"
    with pytest.raises(fetch.FetchError, match="giving up after 4 attempts \\(ConnectError"):
        fetch.fetch_table("84849NED", tmp_path, base_url_v4=base, base_url_v3=base, today=TODAY, **FAST)
    assert_nothing_written(tmp_path)


def test_links_to_other_hosts_are_refused(server: CbsServer, tmp_path: Path):
    server.replay(V4_SNAPSHOT, "v4", "84849NED")
    page = json.loads(server.routes[V4_PATH + "84849NED/Observations"][0][1])
    page["@odata.nextLink"] = "https://example.org/Observations?$skip=20"
    server.route(V4_PATH + "84849NED/Observations", (200, json.dumps(page).encode()))
    with pytest.raises(fetch.FetchError, match="points to another host"):
        fetch_from(server, "84849NED", tmp_path)
    assert_nothing_written(tmp_path)


def test_uses_a_given_client(server: CbsServer, tmp_path: Path):
    server.replay(V4_SNAPSHOT, "v4", "84849NED")
    with httpx.Client(timeout=5) as client:
        folder = fetch_from(server, "84849ned", tmp_path, client=client)
        assert not client.is_closed
    assert folder.parent.name == "84849NED"
