"""Tiny runs of the data generator and the benchmark runner, so neither can rot unnoticed.

Both run as subprocesses against a database of their own (created and dropped here), exactly
as a developer runs them; the test database of the suite is left alone. PostgreSQL only: the
generator loads through COPY and the limit app speaks psycopg.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the generator and the limit app need PostgreSQL"
)


def _url(settings: dict, name: str) -> str:
    user = quote(settings.get("USER") or "postgres")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@contextmanager
def _empty_database(suffix: str):
    """An empty database named after the test database, dropped afterwards."""
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME'][: 63 - len(suffix)]}{suffix}"
    admin_url = _url(settings, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url(settings, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def smoke_database(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _empty_database("_benchsmoke") as url:
        yield url


def _run(args: list[str], database_url: str, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed


def _schema(database_url: str) -> tuple[set, set]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        indexes = set(
            conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            ).fetchall()
        )
        constraints = set(
            conn.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            ).fetchall()
        )
    return indexes, constraints


def _count(database_url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="module")
def generated(smoke_database):
    _run(["manage.py", "migrate", "--noinput", "-v0"], smoke_database, timeout=120)
    before = _schema(smoke_database)
    completed = _run(["-m", "bench.generate", "--scale", "tiny"], smoke_database, timeout=120)
    return smoke_database, before, completed.stdout


def test_the_generator_loads_every_table_at_tiny_scale(generated):
    database_url, _, output = generated
    assert "events table (COPY):" in output
    assert _count(database_url, "events_event") == 1_000
    assert 1_500 <= _count(database_url, "events_participation") <= 4_000
    assert 1_000 <= _count(database_url, "events_citation") <= 2_000
    assert _count(database_url, "events_countryvote") == 10 * 193
    assert _count(database_url, "events_timelineentry") == 500
    assert _count(database_url, "events_actor WHERE iso3 IS NOT NULL") == 249


def test_the_generator_rebuilds_exactly_the_indexes_and_constraints_migrations_made(generated):
    database_url, before, _ = generated
    assert _schema(database_url) == before


def test_the_generator_fills_the_search_vector_from_titles_and_participants(generated):
    import psycopg

    database_url, _, _ = generated
    with psycopg.connect(database_url) as conn:
        matches = conn.execute(
            "SELECT count(*) FROM events_event WHERE search_vector @@ "
            "websearch_to_tsquery('english', 'sanctions')"
        ).fetchone()[0]
        bounds_wrong = conn.execute(
            "SELECT count(*) FROM events_event WHERE date_upper < date_lower "
            "OR (start_precision = 'year' AND date_upper < make_date("
            "extract(year FROM start_date)::int, 12, 31) AND end_date IS NULL)"
        ).fetchone()[0]
    assert matches > 0
    assert bounds_wrong == 0


def test_the_generator_writes_each_events_participant_ids(generated):
    import psycopg

    database_url, _, _ = generated
    with psycopg.connect(database_url) as conn:
        drifted = conn.execute(
            "SELECT count(*) FROM events_event e WHERE e.participant_ids IS DISTINCT FROM "
            "(SELECT coalesce(array_agg(DISTINCT p.actor_id ORDER BY p.actor_id), '{}') "
            "FROM events_participation p WHERE p.event_id = e.id)"
        ).fetchone()[0]
        filled = conn.execute(
            "SELECT count(*) FROM events_event WHERE cardinality(participant_ids) > 0"
        ).fetchone()[0]
    assert drifted == 0
    assert filled == 1_000


def test_the_generator_refuses_a_database_not_named_for_benchmarks(generated, tmp_path):
    database_url, _, _ = generated
    env = {**os.environ, "DATABASE_URL": database_url.rsplit("/", 1)[0] + "/postgres"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.generate", "--scale", "tiny"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "refusing to truncate" in completed.stderr


def _free_port_block(size: int = 3) -> int:
    for start in range(20_000, 40_000, 97):
        try:
            for port in range(start, start + size):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
            return start
        except OSError:
            continue
    raise RuntimeError("no free ports on 127.0.0.1")


def test_the_runner_measures_the_three_apps_a_soak_and_a_login_flood(generated, tmp_path):
    database_url, _, _ = generated
    wrk = shutil.which("wrk")
    if not wrk and not os.environ.get("CI"):
        print("wrk is not installed (bench/setup.sh installs it): using the Python load loop")
    _run(
        ["-m", "bench.run", "--smoke", "--out", str(tmp_path), "--base-port",
         str(_free_port_block()), "--soak", "4", "--soak-rate", "5", "--login-flood", "2"],
        database_url,
        timeout=240,
    )  # fmt: skip
    report = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert report["meta"]["load_generator"] == ("wrk" if wrk else report["meta"]["load_generator"])
    rows = {row["name"]: row for row in report["results"]}
    assert set(rows) == {"list_first", "detail"}
    for app in ("timeline", "limit", "naive"):
        measured = rows["list_first"]["apps"][app]
        assert measured["available"], measured
        assert measured["rps"] > 0 and measured["p50_ms"] > 0
        assert measured["errors"] == 0
        assert measured["peak_rss_mb"] > 0
        assert measured["cpu_ms_per_request"] > 0 and 0 <= measured["idle_pct"] <= 100
    assert rows["list_first"]["timeline_over_limit"] > 0
    assert rows["list_first"]["limit_cpu_over_timeline_cpu"] > 0
    assert rows["list_first"]["apps"]["limit"]["queries"]["warm"] == 1
    assert (tmp_path / next(tmp_path.glob("*.md")).name).read_text().startswith("# Benchmark")
    # The robustness runs (their targets need the full runs, not seconds on a busy machine).
    soak = report["soak"]
    assert soak["requests"] > 0 and soak["server_errors"] == 0
    assert soak["rss_start_mb"] > 0 and soak["worker_restarts"] == 0
    runs = {run["via"]: run for run in report["login_flood"]["runs"]}
    assert set(runs) == ({"gunicorn", "nginx"} if wrk else {"gunicorn"})
    if os.environ.get("CI"):  # CI installs nginx (.ci/run); elsewhere it may be "not run"
        assert all("error" not in run for run in runs.values()), runs
    for run in runs.values():
        if "error" in run:
            continue
        assert run["alone"]["rps"] > 0 and run["flooded"]["errors"] == 0
        assert run["login_attempts"] > 0  # (without a lockout, the flooded API may answer none)


def test_the_export_benchmark_streams_the_public_events_twice_to_the_same_bytes(
    generated, tmp_path
):
    database_url, _, _ = generated
    _run(
        ["-m", "bench.export", "--twice", "-o", str(tmp_path / "dataset.jsonl"),
         "--out", str(tmp_path)],
        database_url,
        timeout=240,
    )  # fmt: skip
    report = json.loads(next(tmp_path.glob("export-*.json")).read_text())
    public = _count(database_url, "events_event WHERE status IN ('published', 'retracted')")
    assert report["run"]["events"] == report["second_run"]["events"] == public > 0
    assert report["identical_bytes"] is True
    assert report["run"]["peak_rss_mb"] > 0 and report["load_average_before"]
    assert (tmp_path / "dataset.jsonl").read_bytes().startswith(b'{"type":"dataset"')


def test_the_round_trip_benchmark_imports_the_export_elsewhere_and_exports_the_same_bytes(
    generated, tmp_path, django_db_blocker
):
    database_url, _, _ = generated
    with django_db_blocker.unblock(), _empty_database("_benchsmoke_into") as into:
        completed = _run(
            ["-m", "bench.roundtrip", "--into", into, "--out", str(tmp_path)],
            database_url,
            timeout=240,
        )
        imported = _count(into, "events_event")
    report = json.loads(next(tmp_path.glob("roundtrip-*.json")).read_text())
    assert report == json.loads(completed.stdout)
    public = _count(database_url, "events_event WHERE status IN ('published', 'retracted')")
    assert report["export"]["events"] == report["export_again"]["events"] == public > 0
    assert imported == public  # the default export holds the public events, and only those
    assert report["identical_bytes"] is True
    assert report["import"]["records"] > public and report["import"]["peak_rss_mb"] > 0
