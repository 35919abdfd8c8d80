"""The optional shared cache: with HGKM_CACHE_REDIS_URL set, a callback answer computed by one instance is answered
from memory by another instance, and a Redis that goes away slows answers down but never fails one."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import redis

from config import PROJECT_ROOT, load_settings
from tests.servers import free_port, running_server

RECORDED = PROJECT_ROOT / "benchmarks" / "payloads" / "compare.json"


def post_callback(base: str, body: bytes) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(
        base + "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), response.headers.get("X-Callback-Memo")


def callback_body(variant: int) -> bytes:
    """The compare page's recorded measure switch; trailing spaces make a body no instance has answered yet."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    return json.dumps(recorded["payload"]).encode() + b" " * variant


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server (Debian's package, installed by `make test`) on a free loopback port."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is missing: `make test` installs Debian's redis-server"
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_answer_computed_by_one_instance_is_answered_from_memory_by_another(demo_warehouse, redis_url):
    shared = {"HGKM_CACHE_REDIS_URL": redis_url}
    with ExitStack() as stack:
        first, second = (
            stack.enter_context(running_server(demo_warehouse, "demo", workers=1, settings=shared)) for _ in range(2)
        )
        body = callback_body(3)
        status, computed, memo = post_callback(first, body)
        assert (status, memo) == (200, None)
        status, remembered, memo = post_callback(second, body)
        assert (status, memo) == (200, "hit")
        assert remembered == computed

        keys = redis.Redis.from_url(redis_url).keys("hgkm:callback:*")
        assert len(keys) == 1, "one answer kept, under the build's key"


def test_without_redis_every_answer_is_still_given(demo_warehouse, redis_url):

    redis.Redis.from_url(redis_url).shutdown(nosave=True)
    with running_server(demo_warehouse, "demo", workers=1, settings={"HGKM_CACHE_REDIS_URL": redis_url}) as base:
        answers = [post_callback(base, callback_body(5)) for _ in range(3)]
    assert [(status, memo) for status, _, memo in answers] == [(200, None)] * 3
    assert b"compare-content" in answers[0][1]


def test_a_redis_url_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="HGKM_CACHE_REDIS_URL"):
        load_settings({"HGKM_CACHE_REDIS_URL": "http://cache.example:6379"})
