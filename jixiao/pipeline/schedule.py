"""Scheduled refreshes: ``jixiao serve`` (one process serving a cron deployment) and ``jixiao deploy``.

``jixiao serve`` needs a running Prefect server (``PREFECT_API_URL``): the schedule lives there,
and every scheduled run executes in the serving process against that one server, so no run pays
the start of Prefect's temporary server.

``jixiao deploy`` runs ``prefect deploy`` with the pinned server's 422 worked around: with fastapi
0.154 the Prefect 3.8 server rejects ``"offset": null`` and ``"limit": null`` in the body of
``POST /work_pools/{name}/workers/filter`` (HTTP 422).  ``prefect deploy`` sends exactly that after
it has registered the deployment (to list the pool's online workers for a hint), so it exits 1
although the deployment was created.  The command runs Prefect's own ``deploy`` with the client
sending ``"offset": 0`` and ``"limit": <PREFECT_SERVER_API_DEFAULT_LIMIT>`` (the server's own
defaults) instead, so its exit status is a verdict automation can trust.
"""

from __future__ import annotations

import sys
from typing import Any


def schedule_parameters(
    reports_dir: str,
    db_path: str,
    landing: str = "seed",
    workers: int | None = None,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """The flow parameters of a scheduled refresh (unset options left to the flow's defaults)."""
    params: dict[str, Any] = {"reports_dir": reports_dir, "db_path": db_path, "landing": landing}
    if workers:
        params["workers"] = workers
    if dask_address:
        params["dask_address"] = dask_address
    return params


def serve(
    name: str,
    cron: str,
    reports_dir: str,
    db_path: str,
    landing: str = "seed",
    workers: int | None = None,
    timezone: str | None = None,
    dask_address: str | None = None,
) -> None:
    """Create the deployment ``jixiao-refresh/<name>`` with a cron schedule and run its refreshes until stopped.

    The schedule is not paused when this process stops (``pause_on_shutdown=False``), so it
    survives restarts of the server and of this process; runs never overlap (``limit=1``).
    """
    from prefect.schedules import Cron

    from jixiao.pipeline.refresh import refresh

    refresh.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=schedule_parameters(reports_dir, db_path, landing, workers, dask_address),
        description="Refresh the jixiao warehouse from a folder of reports.",
        tags=["jixiao"],
        pause_on_shutdown=False,
        limit=1,
    )


# --------------------------------------------------------------------------- jixiao deploy
def patch_worker_listing() -> None:
    """Make the Prefect client send the server's defaults instead of ``null`` when listing a pool's workers."""
    from prefect.client.orchestration import PrefectClient, SyncPrefectClient
    from prefect.settings import get_current_settings

    def default_limit() -> int:
        return get_current_settings().server.api.default_limit  # the most the server accepts, by default 200

    if getattr(PrefectClient.read_workers_for_work_pool, "_jixiao_patched", False):
        return
    async_original = PrefectClient.read_workers_for_work_pool
    sync_original = SyncPrefectClient.read_workers_for_work_pool

    async def read_workers(self, work_pool_name, worker_filter=None, offset=None, limit=None):
        return await async_original(
            self,
            work_pool_name,
            worker_filter=worker_filter,
            offset=0 if offset is None else offset,
            limit=default_limit() if limit is None else limit,
        )

    def read_workers_sync(self, work_pool_name, worker_filter=None, offset=None, limit=None):
        return sync_original(
            self,
            work_pool_name,
            worker_filter=worker_filter,
            offset=0 if offset is None else offset,
            limit=default_limit() if limit is None else limit,
        )

    read_workers._jixiao_patched = read_workers_sync._jixiao_patched = True  # type: ignore[attr-defined]
    PrefectClient.read_workers_for_work_pool = read_workers  # type: ignore[method-assign]
    SyncPrefectClient.read_workers_for_work_pool = read_workers_sync  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    """Run ``prefect deploy ARGV`` in this process with the patch; returns its exit status."""
    patch_worker_listing()
    from prefect.cli import app

    saved = sys.argv
    sys.argv = ["prefect", "--no-prompt", "deploy", *argv]
    try:
        app()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return 0
