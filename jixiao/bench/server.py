"""A Prefect server for the benchmark's refreshes "with a running server".

Reuses the server of ``PREFECT_API_URL`` when it is set; otherwise starts ``prefect server start``
on a free local port with its own ``PREFECT_HOME`` (a fresh database) and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(api_url: str, timeout: float = 120) -> bool:
    """True once ``<api_url>/health`` answers, False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as r:
            if r.status == 200:
                return True
        time.sleep(0.5)
    return False


@contextlib.contextmanager
def running_prefect_server(timeout: float = 120) -> Iterator[tuple[str, str]]:
    """Yields ``(api_url, how)``: ``how`` is ``reused`` or ``started``. Raises RuntimeError when a
    started server does not answer within ``timeout`` seconds (its log is in the message)."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        yield url, "reused"
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory(prefix="bench-prefect-") as home:
        env = {
            **os.environ,
            "PREFECT_HOME": home,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }
        prefect = Path(sys.executable).with_name("prefect")
        cmd = [str(prefect) if prefect.exists() else "prefect", "server", "start"]
        cmd += ["--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]
        log = open(Path(home) / "server.log", "w+b")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            if not wait_healthy(url, timeout):
                log.seek(0)
                raise RuntimeError(f"prefect server on port {port} did not start: {log.read()[-800:]!r}")
            yield url, "started"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


__all__ = ["running_prefect_server", "wait_healthy"]
