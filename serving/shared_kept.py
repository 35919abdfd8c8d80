"""Callback answers kept in Redis (through flask-caching), shared by every worker of every instance.

Off by default: each worker keeps its own answers in memory (serving/kept.py). With HGKM_CACHE_REDIS_URL set, an
answer computed by one instance behind the load balancer is a memory answer for all the others. The cache only
speeds things up and must never fail a request: when Redis is unreachable the worker carries on computing, and
leaves Redis alone for a few seconds before trying again. Values are stored as the raw response bytes, never
pickled: a pickle read back from a shared store could run code.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from flask_caching import Cache
from redis.exceptions import RedisError

LOG = logging.getLogger(__name__)
TIMEOUT_SECONDS = 24 * 3600  # keys carry the build id: a new build never reads older answers, Redis expires them
SOCKET_TIMEOUT_SECONDS = 0.25
RETRY_AFTER_SECONDS = 5.0
KEY_PREFIX = "hgkm:"


class RawBytes:
    """A flask-caching serializer that keeps bytes as they are."""

    @staticmethod
    def dumps(value: bytes) -> bytes:
        return value

    @staticmethod
    def loads(value: bytes | None) -> bytes | None:
        return value


class RedisKept:
    """The get/set of serving.kept.KeptBytes over a Redis server; a miss whenever Redis is not answering."""

    def __init__(self, server: Flask, url: str):
        cache = Cache(
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": url,
                "CACHE_KEY_PREFIX": KEY_PREFIX,
                "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
                "CACHE_OPTIONS": {
                    "socket_timeout": SOCKET_TIMEOUT_SECONDS,
                    "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
                },
            }
        )
        cache.init_app(server)
        self._backend = cache.cache
        self._backend.serializer = RawBytes()
        self._resting_until = 0.0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._call("get", key)

    def set(self, key: str, value: bytes) -> None:
        self._call("set", key, value)

    def _call(self, method: str, *args):
        if time.monotonic() < self._resting_until:
            return None
        try:
            return getattr(self._backend, method)(*args)
        except RedisError as error:
            with self._lock:
                if time.monotonic() >= self._resting_until:
                    LOG.warning("Redis cache unavailable (%s); computing for %.0f s", error, RETRY_AFTER_SECONDS)
                self._resting_until = time.monotonic() + RETRY_AFTER_SECONDS
            return None
