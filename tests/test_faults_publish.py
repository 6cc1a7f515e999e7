"""Fault suite, part 3: the publish step, side files and the run log, without a refresh (fast).

The refresh-level versions of these cases are in test_faults.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest


def make_db(path: Path, value: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE t AS SELECT {value} AS v")
    return path


def value_of(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT v FROM t").fetchone()[0]


CRASH_WITH_WAL = (
    "import duckdb, os, sys\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "con.execute('PRAGMA disable_checkpoint_on_shutdown')\n"
    "con.execute('DELETE FROM t')\n"
    "con.execute('CREATE TABLE foreign_table AS SELECT 1 AS x')\n"
    "os._exit(0)\n"
)


def test_a_stale_wal_is_moved_aside_before_the_rename(tmp_path: Path):
    from jixiao.warehouse.publish import building_path, publish

    db = make_db(tmp_path / "w.duckdb", 1)
    subprocess.run([sys.executable, "-c", CRASH_WITH_WAL, str(db)], check=True)
    wal = db.with_name("w.duckdb.wal")
    assert wal.stat().st_size > 0
    building = make_db(building_path(db, "r2"), 2)
    moved = publish(building, db, "r2")
    assert [m.name for m in moved] == ["w.duckdb.wal.stale-r2"] and moved[0].exists()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT v FROM t").fetchall() == [(2,)]  # the log was not replayed onto it
        assert "foreign_table" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert value_of(db.with_name("w.duckdb.previous")) == 1


@pytest.mark.parametrize("substep", ["fsync", "move_aside", "keep_previous", "rename"])
def test_an_io_error_before_or_at_the_rename_leaves_the_old_warehouse(tmp_path: Path, monkeypatch, substep: str):
    import jixiao.warehouse.publish as pub

    db = make_db(tmp_path / "w.duckdb", 1)
    building = make_db(pub.building_path(db, "r2"), 2)

    def broken(*a, **kw):
        raise OSError(5, "Input/output error (injected)")

    if substep == "fsync":
        monkeypatch.setattr(pub.os, "fsync", broken)
    elif substep == "rename":
        real = os.replace
        monkeypatch.setattr(pub.os, "replace", lambda s, d: broken() if ".building-" in str(s) else real(s, d))
    else:
        monkeypatch.setattr(
            pub, {"move_aside": "move_aside_side_files", "keep_previous": "keep_previous"}[substep], broken
        )
    with pytest.raises(pub.PublishError, match="injected"):
        pub.publish(building, db, "r2")
    assert value_of(db) == 1 and building.exists(), "old warehouse, and the build is still there to retry"
    monkeypatch.undo()
    pub.publish(building, db, "r2")  # the steps before the rename are safe to repeat
    assert value_of(db) == 2 and value_of(db.with_name("w.duckdb.previous")) == 1


def test_a_missing_build_is_never_published_as_an_empty_warehouse(tmp_path: Path):
    from jixiao.warehouse.publish import PublishError, building_path, publish

    db = make_db(tmp_path / "w.duckdb", 1)
    with pytest.raises(PublishError, match="missing"):
        publish(building_path(db, "gone"), db, "gone")
    assert value_of(db) == 1


def test_a_damaged_warehouse_is_named_and_never_kept_as_previous(tmp_path: Path):
    from jixiao.warehouse.publish import building_path, keep_previous, publish
    from jixiao.warehouse.published import NotADuckDBFile, readable_published

    db = tmp_path / "w.duckdb"
    good_previous = make_db(tmp_path / "w.duckdb.previous", 7)
    db.write_bytes(b"not a database" * 100)
    expected = r"not a DuckDB file: restore from .*w\.duckdb\.previous or run with --full"
    with pytest.raises(NotADuckDBFile, match=expected), readable_published(db):
        pass
    assert keep_previous(db) is None
    publish(make_db(building_path(db, "r"), 3), db, "r")
    assert value_of(db) == 3 and value_of(good_previous) == 7


def test_a_read_write_connection_elsewhere_does_not_block_reading_the_published_file(tmp_path: Path):
    from jixiao.pipeline.runs import PublishedFile, RunRecord, insert_runs, read_published_state, write_published_files
    from jixiao.warehouse.published import readable_published

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        write_published_files(con, "r1", [PublishedFile("a.txt", "ab" * 32, "txt-tab", "loaded", None)])
        record = RunRecord("r1", datetime(2024, 1, 1), status="published", build_fingerprint="fp")
        insert_runs(con, [record])
    analyst = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(300)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    gone = subprocess.Popen(["true"])
    gone.wait()
    orphan = tmp_path / ".jixiao" / f"w.duckdb.snapshot-{gone.pid}"  # left by a killed refresh
    orphan.parent.mkdir()
    orphan.write_bytes(b"old snapshot")
    try:
        assert analyst.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(db), read_only=True)
        files, fingerprint = read_published_state(db)
        assert list(files) == ["a.txt"] and fingerprint == "fp"
        with readable_published(db) as readable:
            assert readable != db
        assert not list((tmp_path / ".jixiao").glob("*.snapshot-*")), "the snapshot is removed"
    finally:
        analyst.kill()
        analyst.wait()


def test_pipeline_runs_shows_failed_interrupted_and_killed_runs_before_any_publish(tmp_path: Path):
    from jixiao.pipeline.runs import (
        RunRecord,
        create_runs_view,
        ensure_run_log,
        insert_runs,
        log_run,
        pending_failed_runs,
        read_runs,
        run_log_path,
    )

    db = tmp_path / "it's a warehouse.duckdb"  # a quote in the name reaches the view's SQL
    with duckdb.connect(str(db)) as con:
        insert_runs(con, [RunRecord("r1", datetime(2024, 1, 1), status="published")])
        ensure_run_log(db)
        create_runs_view(con, db)
    log_run(db, RunRecord("r2", datetime(2024, 1, 2), status="failed", status_reason="dbt_build: x"))
    log_run(
        db, RunRecord("r3", datetime(2024, 1, 3), status="interrupted", status_reason="land: interrupted by SIGINT")
    )
    log_run(db, RunRecord("r4", datetime(2024, 1, 4)))  # running, then killed: no further heartbeat

    def in_sql() -> list[tuple[str, str, str | None]]:
        with duckdb.connect(str(db), read_only=True) as con:  # what an analyst sees
            return con.execute("SELECT run_id, status, status_reason FROM pipeline_runs ORDER BY started_at").fetchall()

    assert [r[:2] for r in in_sql()] == [
        ("r1", "published"),
        ("r2", "failed"),
        ("r3", "interrupted"),
        ("r4", "running"),
    ]
    assert [(r["run_id"], r["status"]) for r in read_runs(db)] == [r[:2] for r in in_sql()]
    log = run_log_path(db)
    aged = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    aged[-1]["heartbeat_epoch"] -= 61  # a minute without a heartbeat
    log.write_text("".join(json.dumps(d) + "\n" for d in aged), encoding="utf-8")
    run_id, status, reason = in_sql()[-1]
    assert status == "killed" and "killed or crashed" in reason and f"pid {os.getpid()}" in reason
    assert read_runs(db)[-1]["status"] == "killed"
    assert [r.status for r in pending_failed_runs(db)] == ["failed", "interrupted", "killed"]


def test_an_odd_db_name_gets_a_plain_build_name(tmp_path: Path):
    from jixiao.warehouse.publish import building_path, stale_building_files

    db = tmp_path / "o'brien's [ware]house.duckdb"
    building = building_path(db, "r1")
    assert "'" not in building.name and " " not in building.name and building.parent == tmp_path
    building.write_bytes(b"x")
    assert stale_building_files(db) == [building]
    assert building_path(tmp_path / "jixiao.duckdb", "r1").name == "jixiao.duckdb.building-r1"


def test_the_temporary_prefect_server_is_tied_to_its_parent():
    import subprocess as real_subprocess

    import prefect.server.api.server as server_module

    from jixiao.pipeline.settings import tie_to_parent

    class Dummy:
        pass

    saved = server_module.subprocess
    try:
        tie_to_parent(Dummy())
        popen = server_module.subprocess.Popen
        assert popen is not real_subprocess.Popen and real_subprocess.Popen is not popen
        probe = popen(
            [sys.executable, "-c", "import os; print(os.getsid(0) == os.getpid())"],
            stdout=real_subprocess.PIPE,
            text=True,
        )
        assert probe.communicate(timeout=30)[0].strip() == "True"  # its own session: no terminal Ctrl-C
    finally:
        server_module.subprocess = saved
