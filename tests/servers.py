"""Starting the real production server (gunicorn) on a free loopback port for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, seconds: float = 15.0) -> None:
    """Ask a server to stop (SIGTERM, gunicorn's graceful shutdown); kill it when it has not within `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(
    warehouse_dir: Path, dataset: str = "cbs", workers: int = 2, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """gunicorn serving app:server for one warehouse (and further HGKM_* settings); yields its base URL and stops
    it afterwards."""
    port = free_port()
    env = {**os.environ, "HGKM_DATASET": dataset, "HGKM_WAREHOUSE_DIR": str(warehouse_dir), **(settings or {})}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers", str(workers), "--threads", "4", "--preload", "--limit-request-line", "8190",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "app:server",
    ]  # fmt: skip
    log_path = Path(tempfile.mkstemp(prefix="hgkm-server-", suffix=".log")[1])
    log = log_path.open("wb")  # a file, not a pipe: a pipe nobody reads would block a chatty server
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        stop(process)
        log.close()
        _report_server_errors(log_path)


def _report_server_errors(log_path: Path) -> None:
    """Keep the server log when it recorded an unexpected error, so a failing run can be read afterwards."""
    text = log_path.read_text(errors="replace")
    if "unexpected error" in text or "Traceback" in text:
        kept = PROJECT_ROOT / "artifacts" / "server-errors.log"
        kept.parent.mkdir(parents=True, exist_ok=True)
        with kept.open("a", encoding="utf-8") as handle:
            handle.write(text)
    log_path.unlink(missing_ok=True)
