"""``jixiao deploy``: ``prefect deploy`` with the pinned server's 422 worked around.

With fastapi 0.154 the Prefect 3.8 server rejects ``"offset": null`` and ``"limit": null`` in
the body of ``POST /work_pools/{name}/workers/filter`` (HTTP 422).  ``prefect deploy`` sends exactly that
after it has registered the deployment (to list the pool's online workers for a hint), so it
exits 1 although the deployment was created.  This command runs Prefect's own ``deploy`` with
the client sending ``"offset": 0`` and ``"limit": <PREFECT_SERVER_API_DEFAULT_LIMIT>`` (the server's own
defaults) instead, so its exit status is a verdict automation can trust.
"""

from __future__ import annotations

import sys


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
