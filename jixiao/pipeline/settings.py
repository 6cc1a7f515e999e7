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

    ``quiet_console`` keeps Prefect's own console log to critical messages (the command line shows
    its progress and its one-line result itself); the full log still goes to the Prefect API.
    """
    disable_telemetry()
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(SERVER_STARTUP_TIMEOUT_S))
    if "PREFECT_HOME" not in os.environ and not _writable(Path.home()):
        os.environ["PREFECT_HOME"] = str(Path(tempfile.gettempdir()) / "jixiao-prefect")
    if quiet_console:  # the command prints its own summary or one line; -v shows Prefect's log
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "CRITICAL")


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
    process exits, see :func:`tie_to_parent`) and point ``PREFECT_API_URL`` at it for the
    duration of the block.
    """
    url = configured_api_url()
    if url:
        yield url
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    server = SubprocessASGIServer()  # the instance Prefect itself would use in ephemeral mode
    tie_to_parent(server)
    server.start(
        timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", SERVER_STARTUP_TIMEOUT_S))
    )
    # A local server that stops answering is gone, not busy: minutes of retries would only delay
    # the command's verdict (the refresh's own outcome does not depend on the API).
    retries = {} if "PREFECT_CLIENT_MAX_RETRIES" in os.environ else {PREFECT_CLIENT_MAX_RETRIES: 1}
    with temporary_settings({PREFECT_API_URL: server.api_url, **retries}):
        yield server.api_url


def _parent_death_signal():
    """A ``preexec_fn`` that asks Linux to SIGTERM the child when its parent dies (``PR_SET_PDEATHSIG``),
    or None where that is not available.  ``prctl`` is looked up here, before any fork."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    sigterm = int(signal.SIGTERM)

    def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
        prctl(1, sigterm, 0, 0, 0)  # PR_SET_PDEATHSIG = 1

    return die_with_parent


def tie_to_parent(server) -> None:
    """Start Prefect's temporary server so that it dies with this process and ignores Ctrl-C.

    Its own session keeps a terminal's SIGINT (meant for the refresh) away from it, so the
    refresh can still report to it while stopping; the parent-death signal stops it when this
    process is killed (``kill -9``) instead of leaving it running.
    """
    import subprocess
    import types

    import prefect.server.api.server as server_module

    die_with_parent = _parent_death_signal()

    class _TiedPopen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("start_new_session", True)
            if die_with_parent is not None:
                kwargs.setdefault("preexec_fn", die_with_parent)
            super().__init__(*args, **kwargs)

    if (
        isinstance(getattr(server_module, "subprocess", None), types.ModuleType)
        and server_module.subprocess is subprocess
    ):
        tied = types.ModuleType("subprocess")
        tied.__dict__.update(subprocess.__dict__)
        tied.Popen = _TiedPopen  # type: ignore[attr-defined]
        server_module.subprocess = tied
