"""Fault suite, part 2: faults around a refresh (issue #13) — signals, kills, injected I/O errors
at each publish sub-step, a stale ``.wal``, an analyst's connection, damaged or oddly named
warehouses.

Each case asserts that the warehouse is the old one or the new one (never anything else),
nothing from good files is lost, the exit code and the one-line reason are right, and no
process is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from conftest import ROOT, Warehouse, sample_files

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_report(wh: Warehouse) -> Path:
    new = sample_files()[-1]
    shutil.copy2(new, wh.reports / new.name)
    return new


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if ".building-" in p.name)


def table_count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def runs(db: Path) -> list[dict]:
    from jixiao.pipeline.runs import read_runs

    return read_runs(db)


def assert_old_or_new(db: Path, old_sha: str, old_reports: int) -> str:
    """The warehouse is byte-for-byte the old one, or a whole new one with every report."""
    if sha256(db) == old_sha:
        return "old"
    assert table_count(db, "dim_report") == old_reports + 1, "a new warehouse has every report"
    assert table_count(db, "fct_budget") > 0
    return "new"


# --------------------------------------------------------------------------- the command as a process
class CliProcess:
    """`python -m jixiao.cli ARGS` in its own process; stderr watched line by line."""

    def __init__(self, *args: str, env: dict[str, str] | None = None):
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        full_env.pop("PREFECT_API_URL", None)  # its own temporary server, as a user's command has
        for key in [k for k in full_env if k.startswith("PREFECT_LOGGING_HANDLERS_CONSOLE")]:
            del full_env[key]  # the command's own console settings, as a user has them
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", *args],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stderr: list[str] = []
        self.stdout = ""
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self._seen:
                self.stderr.append(line.rstrip("\n"))
                self._seen.notify_all()

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        with self._seen:
            while not any(text in line for line in self.stderr):
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, f"never saw {text!r}: {self.stderr[-20:]}"
                self._seen.wait(min(left, 1))

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def finish(self, timeout: float = 600) -> int:
        self.stdout = self.proc.stdout.read()
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    def messages(self) -> list[str]:
        """stderr without the progress lines."""
        return [line for line in self.stderr if line.strip() and not line.lstrip().startswith("[")]


def assert_no_orphans(processes: list[psutil.Process], timeout: float = 20) -> None:
    gone, alive = psutil.wait_procs(processes, timeout=timeout)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left running: {[(p.pid, p.cmdline()[:4]) for p in alive]}"


def refresh_args(wh: Warehouse, *extra: str) -> list[str]:
    return ["refresh", "--reports", str(wh.reports), "--db", str(wh.db), *extra]


# --------------------------------------------------------------------------- signals and kills
def test_sigint_during_dbt_build_stops_before_publish(warehouse: Warehouse):
    old_sha, old_reports = sha256(warehouse.db), table_count(warehouse.db, "dim_report")
    add_report(warehouse)
    cli = CliProcess(*refresh_args(warehouse))
    cli.wait_for("[4/6] dbt build")
    children = cli.descendants()
    assert children, "the temporary Prefect server runs as a child"
    time.sleep(2)
    cli.proc.send_signal(signal.SIGINT)
    code = cli.finish()
    assert code == 130, (cli.stderr, cli.stdout)
    assert len(cli.messages()) == 1, cli.messages()
    assert "interrupted by SIGINT" in cli.messages()[0] and "left as it was" in cli.messages()[0]
    assert sha256(warehouse.db) == old_sha and table_count(warehouse.db, "dim_report") == old_reports
    assert leftovers(warehouse.db) == []
    last = runs(warehouse.db)[-1]  # visible in SQL at once, before any other publish
    assert last["status"] == "interrupted" and "interrupted by SIGINT" in last["status_reason"]
    assert_no_orphans(children)


def test_sigterm_at_publish_leaves_the_old_or_the_new_warehouse(warehouse: Warehouse):
    old_sha, old_reports = sha256(warehouse.db), table_count(warehouse.db, "dim_report")
    add_report(warehouse)
    cli = CliProcess(*refresh_args(warehouse))
    cli.wait_for("[6/6] publish")
    children = cli.descendants()
    cli.proc.send_signal(signal.SIGTERM)
    code = cli.finish()
    assert code == 143, (cli.stderr, cli.stdout)
    outcome = assert_old_or_new(warehouse.db, old_sha, old_reports)
    last_line = cli.messages()[-1]
    if outcome == "new":
        assert "after publishing" in last_line and "is the new warehouse" in last_line
        assert runs(warehouse.db)[-1]["status"] == "published"
    else:
        assert "interrupted by SIGTERM" in last_line and "left as it was" in last_line
    assert leftovers(warehouse.db) == []
    assert_no_orphans(children)


def test_kill_9_leaves_the_warehouse_no_server_and_a_killed_run_in_sql(warehouse: Warehouse, prefect_harness):
    from jixiao.pipeline.refresh import refresh
    from jixiao.pipeline.runs import pending_failed_runs, run_log_path

    old_sha, old_reports = sha256(warehouse.db), table_count(warehouse.db, "dim_report")
    add_report(warehouse)
    cli = CliProcess(*refresh_args(warehouse))
    cli.wait_for("[4/6] dbt build")
    children = cli.descendants()
    server = [p for p in children if "uvicorn" in " ".join(p.cmdline())]
    assert server, "the temporary Prefect server runs"
    cli.proc.kill()
    cli.finish()
    assert_no_orphans(children)  # the server died with its parent
    assert sha256(warehouse.db) == old_sha

    # within a minute the run shows as killed: age its heartbeat by that minute instead of waiting
    log = run_log_path(warehouse.db)
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    log.write_text(
        "".join(json.dumps({**d, "heartbeat_epoch": d["heartbeat_epoch"] - 61}) + "\n" for d in lines), encoding="utf-8"
    )
    killed = runs(warehouse.db)[-1]
    assert killed["status"] == "killed" and "killed or crashed" in killed["status_reason"]
    assert [r.status for r in pending_failed_runs(warehouse.db)] == ["killed"]

    summary = refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db))  # the next refresh
    assert summary["status"] == "published" and table_count(warehouse.db, "dim_report") == old_reports + 1
    assert [r["status"] for r in runs(warehouse.db)][-2:] == ["killed", "published"]
    assert leftovers(warehouse.db) == []


def test_a_lock_conflict_is_one_line_naming_the_holder(warehouse: Warehouse):
    from jixiao.warehouse.publish import WarehouseLock, lock_path

    with WarehouseLock(lock_path(warehouse.db)):
        cli = CliProcess(*refresh_args(warehouse))
        code = cli.finish()
    assert code == 1
    assert len(cli.messages()) == 1, cli.stderr
    assert f"pid {os.getpid()}" in cli.messages()[0] and "lock:" in cli.messages()[0]
    assert "Traceback" not in "\n".join(cli.stderr)


# --------------------------------------------------------------------------- injected I/O errors in publish
def _fail_rename_of_build(real):
    def replace(src, dst, *a, **kw):
        if ".building-" in str(src):
            raise OSError(5, "Input/output error (injected)")
        return real(src, dst, *a, **kw)

    return replace


@pytest.mark.parametrize("substep", ["record", "move_aside", "keep_previous", "rename", "after_rename"])
def test_an_io_error_at_each_publish_substep(warehouse: Warehouse, monkeypatch, prefect_harness, substep: str):
    """The carry-over path (nothing changed) runs the same publish step, without a dbt build."""
    import jixiao.pipeline.tasks
    import jixiao.warehouse.publish
    from jixiao.pipeline.refresh import RefreshFailed, refresh

    db = warehouse.db
    old_sha, old_reports, old_runs = sha256(db), table_count(db, "dim_report"), len(runs(db))
    calls = []

    def once(real):
        def flaky(*a, **kw):
            calls.append(1)
            if len(calls) == 1:
                raise OSError(5, "Input/output error (injected)")
            return real(*a, **kw)

        return flaky

    def always(*a, **kw):
        raise OSError(5, "Input/output error (injected)")

    if substep == "record":
        monkeypatch.setattr(
            jixiao.pipeline.tasks, "write_published_files", once(jixiao.pipeline.tasks.write_published_files)
        )
        monkeypatch.setattr(jixiao.pipeline.tasks, "insert_runs", once(jixiao.pipeline.tasks.insert_runs))
    elif substep == "move_aside":
        monkeypatch.setattr(jixiao.warehouse.publish, "move_aside_side_files", always)
    elif substep == "keep_previous":
        monkeypatch.setattr(jixiao.warehouse.publish, "keep_previous", always)
    elif substep == "rename":
        monkeypatch.setattr(os, "replace", _fail_rename_of_build(os.replace))
    else:
        monkeypatch.setattr(jixiao.pipeline.tasks, "forget_failed_runs", always)

    if substep in ("record", "after_rename"):
        summary = refresh(reports_dir=str(warehouse.reports), db_path=str(db))
        assert summary["status"] in ("unchanged", "published")  # published when the code changed since
        assert sha256(db) != old_sha and table_count(db, "dim_report") == old_reports  # a whole warehouse
        assert len(runs(db)) == old_runs + 1
        if substep == "after_rename":
            assert any("could not trim the run log" in w for w in summary["warnings"])
        else:
            assert len(calls) >= 2, "the recording step was retried"
    else:
        with pytest.raises(RefreshFailed) as err:
            refresh(reports_dir=str(warehouse.reports), db_path=str(db))
        assert err.value.step == "publish" and "injected" in err.value.reason
        assert sha256(db) == old_sha, "nothing replaced the warehouse"
        assert runs(db)[-1]["status"] == "failed"
    assert leftovers(db) == []


# --------------------------------------------------------------------------- side files, analysts, damage
def test_a_stale_wal_beside_the_warehouse_is_moved_aside_not_replayed(warehouse: Warehouse, prefect_harness):
    from jixiao.pipeline.refresh import refresh

    db = warehouse.db
    budget_rows = table_count(db, "fct_budget")
    crash = (
        "import duckdb, os, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute('PRAGMA disable_checkpoint_on_shutdown')\n"
        "con.execute('DELETE FROM fct_budget WHERE rowid IN (SELECT rowid FROM fct_budget LIMIT 2)')\n"
        "con.execute('CREATE TABLE foreign_table AS SELECT 42 AS answer')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(db)], check=True)
    wal = db.with_name(db.name + ".wal")
    assert wal.exists() and wal.stat().st_size > 0, "a crashed read-write connection left its log"
    add_report(warehouse)
    summary = refresh(reports_dir=str(warehouse.reports), db_path=str(db))
    assert summary["status"] == "published"
    assert [n.split(".stale-")[0] for n in summary["moved_aside"]] == [wal.name]
    assert (db.parent / summary["moved_aside"][0]).exists(), "kept, not deleted"
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "foreign_table" not in tables
        assert con.execute("SELECT count(*) FROM fct_budget").fetchone()[0] > budget_rows - 2
    assert not wal.exists()


def test_an_analyst_read_write_connection_never_breaks_the_refresh(warehouse: Warehouse, prefect_harness):
    from jixiao.pipeline.refresh import refresh

    db = warehouse.db
    old_reports = table_count(db, "dim_report")
    analyst = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "con = duckdb.connect(sys.argv[1])\n"  # read-write, as `duckdb FILE` opens it
            "print(con.execute('SELECT count(*) FROM dim_report').fetchone()[0], flush=True)\n"
            "time.sleep(600)\n",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert int(analyst.stdout.readline()) == old_reports
        add_report(warehouse)
        summary = refresh(reports_dir=str(warehouse.reports), db_path=str(db))
        assert summary["status"] == "published" and summary["changes"]["unchanged"] == old_reports
    finally:
        analyst.terminate()
        analyst.wait(timeout=30)
    assert table_count(db, "dim_report") == old_reports + 1
    assert (db.with_name(db.name + ".previous")).exists()


def _cli_in_process(*args: str) -> tuple[int, str, str]:
    from jixiao import cli

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return code, out.getvalue(), err.getvalue()


def test_odd_names_damaged_warehouse_and_every_file_accounted_for(tmp_path: Path, prefect_harness, monkeypatch):
    import jixiao.pipeline.discover as discover_mod

    reports = tmp_path / "reports"
    (reports / "2024").mkdir(parents=True)
    good = sample_files()[:3]
    for f in good[:2]:
        shutil.copy2(f, reports / f.name)
    shutil.copy2(good[2], reports / "2024" / good[2].name)  # a subfolder belongs to the folder
    (reports / "locked.txt").write_bytes(good[0].read_bytes() + b"x")
    (reports / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(reports / "pipe.txt")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(good[0].read_bytes() + b"y")
    (reports / "outside.txt").symlink_to(outside)
    real = discover_mod.sha256_of

    def denied(path: Path) -> str:  # tests run as root: chmod 000 would not stop the read
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(discover_mod, "sha256_of", denied)

    db = tmp_path / "wh" / "o'brien's ware house.duckdb"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database" * 100)
    code, out, err = _cli_in_process("refresh", "--reports", str(reports), "--db", str(db))
    assert code == 1
    lines = [line for line in err.splitlines() if "refresh failed" in line]
    assert len(lines) == 1
    assert "not a DuckDB file: restore from" in lines[0] and ".previous or run with --full" in lines[0]

    code, out, err = _cli_in_process("refresh", "--reports", str(reports), "--db", str(db), "--full", "--json")
    assert code == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["status"] == "published"
    with duckdb.connect(str(db), read_only=True) as con:
        status = dict(con.execute("SELECT source_file, status FROM dim_report").fetchall())
        reasons = dict(con.execute("SELECT source_file, status_reason FROM pipeline_files").fetchall())
    assert status == {
        good[0].name: "loaded",
        good[1].name: "loaded",
        f"2024/{good[2].name}": "loaded",
        "locked.txt": "quarantined",
        "gone.txt": "quarantined",
        "pipe.txt": "quarantined",
    }
    assert "Permission denied" in reasons["locked.txt"] and "dangling" in reasons["gone.txt"]
    assert "FIFO" in reasons["pipe.txt"] and "leading out of the reports folder" in reasons["outside.txt"]
    assert summary["skipped"] == {"outside.txt": reasons["outside.txt"]}
    assert "outside.txt: skipped" in out


def test_an_api_failure_after_publishing_is_not_a_failed_refresh(warehouse: Warehouse, monkeypatch, prefect_harness):
    import httpx

    import jixiao.pipeline.refresh

    real = jixiao.pipeline.refresh.refresh

    def api_dies_after_the_flow(**kwargs):
        real(**kwargs)
        raise httpx.ConnectError("All connection attempts failed (injected)")

    monkeypatch.setattr(jixiao.pipeline.refresh, "refresh", api_dies_after_the_flow)
    old_sha = sha256(warehouse.db)
    code, out, err = _cli_in_process(*refresh_args(warehouse))
    assert code == 0, err
    assert "the Prefect API failed after the warehouse was published" in out
    assert out.startswith(("Nothing changed:", "Published "))
    assert sha256(warehouse.db) != old_sha and runs(warehouse.db)[-1]["status"] in ("unchanged", "published")
