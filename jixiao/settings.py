"""Process-wide settings of jixiao's command line and flow: telemetry off, a reachable Prefect API.

Call :func:`disable_telemetry` before importing dbt, Prefect or Great Expectations.
:func:`prefect_api` gives a flow run an API to report to: the configured server when
``PREFECT_API_URL`` is set, else one temporary local server for the whole process, announced
through Prefect's settings so that process-pool workers report to it too instead of each
starting a server of their own.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
}

# A cold first start of Prefect's temporary server (database migrations) takes well over
# Prefect's default 20 s on a busy two-core machine.
SERVER_STARTUP_TIMEOUT_S = 120


def disable_telemetry() -> None:
    """Switch off the usage statistics of dbt, Prefect and Great Expectations for this process."""
    os.environ.update(TELEMETRY_OFF)


def configure_prefect(quiet_console: bool = False) -> None:
    """Defaults for Prefect that make a local run start reliably; explicit settings win.

    ``quiet_console`` keeps Prefect's own console log at warnings (the command line shows its
    progress itself); the full log still goes to the Prefect API.
    """
    disable_telemetry()
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(SERVER_STARTUP_TIMEOUT_S))
    if "PREFECT_HOME" not in os.environ and not _writable(Path.home()):
        os.environ["PREFECT_HOME"] = str(Path(tempfile.gettempdir()) / "jixiao-prefect")
    if quiet_console:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "WARNING")


def _writable(path: Path) -> bool:
    try:
        return path.is_dir() and os.access(path, os.W_OK)
    except OSError:
        return False


def configured_api_url() -> str | None:
    """The Prefect API URL set in the environment or the active profile, if any."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


@contextmanager
def prefect_api() -> Iterator[str]:
    """Yield the URL of the Prefect API this process's flow runs report to.

    Without a configured server, start Prefect's temporary local server once (it stops when the
    process exits) and point ``PREFECT_API_URL`` at it for the duration of the block.
    """
    url = configured_api_url()
    if url:
        yield url
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()  # the instance Prefect itself would use in ephemeral mode
    server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
                                            SERVER_STARTUP_TIMEOUT_S)))
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield server.api_url
