"""Memoised callback answers: a callback's answer depends only on its request (inputs, state, which input changed)
and the published build. The same request within a build gets the kept answer without running the callback again,
as a burst of visitors opening the same shared link or switching the same control does. Kept per worker, bounded
by bytes, or in Redis for all instances when configured (serving/shared_kept.py); a new build starts afresh
because its id is part of the key."""

from __future__ import annotations

import hashlib

from flask import Response, g, request

from serving.kept import KeptBytes
from serving.shared_kept import RedisKept
from store import runtime
from store.connection import NoWarehouseError

CALLBACK_PATH = "/_dash-update-component"
KEPT_BYTES = 32 * 1024 * 1024  # per worker
MAX_BODY = 256 * 1024  # a callback request larger than this is not a page's own (and is not kept)


def answer_key(req) -> str | None:
    """The key of a callback request (build id and a hash of the body), or None for anything else."""
    if req.method != "POST" or not req.path.endswith(CALLBACK_PATH):
        return None
    if req.content_length is None or req.content_length > MAX_BODY:
        return None
    try:
        build_id = runtime.current().build_id
    except NoWarehouseError:  # nothing published yet: pages explain that, and nothing is worth keeping
        return None
    digest = hashlib.blake2b(req.get_data(cache=True), digest_size=20).hexdigest()
    return f"callback:{build_id}:{digest}"


def configure(server, redis_url: str | None = None) -> None:
    """Answer repeated callback requests from the kept answers; keep every successful new answer."""
    kept = RedisKept(server, redis_url) if redis_url else KeptBytes(KEPT_BYTES)

    @server.before_request
    def _answer_from_memory():
        key = answer_key(request)
        if key is None:
            return None
        answer = kept.get(key)
        if answer is not None:
            return Response(answer, mimetype="application/json", headers={"X-Callback-Memo": "hit"})
        g.callback_answer_key = key
        return None

    @server.after_request
    def _keep_answer(response: Response) -> Response:
        key = g.pop("callback_answer_key", None)
        if key and response.status_code == 200 and response.mimetype == "application/json":
            kept.set(key, response.get_data())
        return response
