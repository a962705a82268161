"""Backups (docs/operations.md, "Backups"): pg_dump/pg_restore gives every table back, row
for row; dumpdata/loaddata loads into an empty database (it is not the backup, see the doc)."""

import json
import os
import re
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from events.dataset.jsonl import jsonl_lines
from tests.factories import ActorFactory, TimelineFactory, event_type

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL"
)


@pytest.fixture
def saved_query_timeline(transactional_db, export_dataset):
    """A saved query: its actors and types are many-to-many rows with history of their own."""
    timeline = TimelineFactory(slug="saved", kind="saved_query")
    timeline.query_actors.set([ActorFactory(slug="queried")])
    timeline.query_types.set([event_type("summit")])
    return timeline


@pytest.mark.flushes_database
def test_dumpdata_loads_back_into_an_empty_database(saved_query_timeline, tmp_path):
    fixture = tmp_path / "dump.json"
    options = {
        "natural_foreign": True,
        "exclude": ["contenttypes", "auth.permission", "sessions"],
        "output": str(fixture),
        "verbosity": 0,
    }
    call_command("dumpdata", **options)
    before = fixture.read_bytes()
    dataset = b"".join(jsonl_lines(include_drafts=True))
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)
    call_command("dumpdata", **options)
    # Every row comes back; only the change stamps move (loading is a change readers' caches
    # must see).
    assert _without_stamps(fixture.read_bytes()) == _without_stamps(before)
    # ... but dumpdata's JSON cuts times to milliseconds: it is not a lossless backup.
    restored = b"".join(jsonl_lines(include_drafts=True))
    assert _to_milliseconds(restored) == _to_milliseconds(dataset)


def _to_milliseconds(data: bytes) -> bytes:
    """Every instant cut to milliseconds, always written with them (`12:00:00.000Z`): a time
    whose microseconds were all below the millisecond loses its fraction entirely."""

    def cut(match: re.Match) -> bytes:
        fraction = (match[2] or b"")[1:4].ljust(3, b"0")
        return match[1] + b"." + fraction + b"Z"

    return re.sub(rb"(T\d\d:\d\d:\d\d)(\.\d+)?Z", cut, data)


def _without_stamps(dump: bytes) -> list[dict]:
    # Times compared as dumpdata can keep them: a time whose microseconds were below the
    # millisecond is written `…:02.000Z` first and, once loaded with none, `…:02Z`.
    rows = json.loads(_to_milliseconds(dump))
    return [row for row in rows if row["model"] != "events.changestamp"]


def _connection_options(name: str) -> dict:
    settings = connection.settings_dict
    return {
        "dbname": name,
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }


def _table_rows(name: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: (row count, digest of all rows in a fixed order)."""
    with psycopg.connect(**_connection_options(name), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        found = {}
        for table in tables:
            found[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: E501
            ).fetchone()
        return found


def _pg_env() -> dict:
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_args() -> list[str]:
    settings = connection.settings_dict
    args = []
    if settings["HOST"]:
        args += ["-h", settings["HOST"]]
    if settings["PORT"]:
        args += ["-p", str(settings["PORT"])]
    if settings["USER"]:
        args += ["-U", settings["USER"]]
    return args


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client tools")
def test_pg_dump_and_pg_restore_give_back_every_table_row_for_row(saved_query_timeline, tmp_path):
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "timeline.dump"
    env, args = _pg_env(), _pg_args()
    subprocess.run(
        ["pg_dump", *args, "--format=custom", "--file", str(dump), source], check=True, env=env
    )
    subprocess.run(["createdb", *args, scratch], check=True, env=env)
    try:
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "--dbname", scratch, str(dump)],
            check=True,
            env=env,
        )
        original, restored = _table_rows(source), _table_rows(scratch)
        assert original == restored
        assert original["events_event"][0] == 4
        assert "reversion_version" in original  # the history comes along
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", scratch], check=True, env=env)
