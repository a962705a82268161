"""Settings come from the environment; production values must pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from timeline.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp9Lm2Vb8Nc4Zr6Tw1Ys5Ud3Fg0Hj" * 2,
    "ALLOWED_HOSTS": "timeline.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_env_helpers_read_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST") == ["a", "b", "c"]


@pytest.mark.parametrize(("name", "value"), [("X_BOOL", "perhaps"), ("X_INT", "ten")])
def test_env_helpers_fail_loudly_on_a_bad_value(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        env_bool(name) if name == "X_BOOL" else env_int(name, 0)


def read_settings(*names: str, env: dict[str, str]) -> list[str]:
    code = f"from django.conf import settings as s; print(*[getattr(s, n) for n in {names!r}])"
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DEBUG"}
    assert read_settings("DEBUG", env=env) == ["False"]
    assert read_settings("DEBUG", env={"DEBUG": "1"}) == ["True"]


def test_hsts_preload_and_subdomains_are_an_operators_opt_in():
    names = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    assert read_settings(*names, env=PRODUCTION_ENV) == ["31536000", "False", "False"]
    opted_in = {**PRODUCTION_ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    assert read_settings(*names, env=opted_in) == ["31536000", "True", "True"]


def test_make_run_asks_for_development_mode_explicitly():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "runserver" in run
    commands = [line for line in run.splitlines()[1:] if "manage.py" in line]
    assert len(commands) >= 4  # migrate, load_demo, ensure_admin, db_worker, runserver
    assert all("$(DEV) $(PY) manage.py" in line for line in commands), commands
    assert "DEV := DEBUG=1" in makefile


def test_make_run_starts_the_task_worker_beside_the_server():
    # Large imports and their undo run in the worker: a newcomer's `make run` sees them end.
    run = (ROOT / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    worker = [line for line in run.splitlines() if "manage.py db_worker" in line]
    assert worker and run.index("db_worker") < run.index("runserver")


def test_fetching_reaches_no_internal_host_unless_listed_by_host_and_port():
    assert read_settings("TIMELINE_FETCH_ALLOW_HOSTS", env=PRODUCTION_ENV) == ["[]"]
    listed = {**PRODUCTION_ENV, "TIMELINE_FETCH_ALLOW_HOSTS": "News.internal:443, [::1]:8080"}
    assert read_settings("TIMELINE_FETCH_ALLOW_HOSTS", env=listed) == [
        "['news.internal:443',",
        "'[::1]:8080']",
    ]
    result = run_manage("check", env={**PRODUCTION_ENV, "TIMELINE_FETCH_ALLOW_HOSTS": "intranet"})
    assert result.returncode != 0
    assert "TIMELINE_FETCH_ALLOW_HOSTS entries are host:port" in result.stderr


def test_archived_copies_go_to_local_files_by_default_or_to_any_configured_storage(tmp_path):
    code = (
        "from django.core.files.storage import storages; s = storages['archive']; "
        "print(type(s).__name__, s.location)"
    )
    env = {**PRODUCTION_ENV, "TIMELINE_ARCHIVE_DIR": str(tmp_path)}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["FileSystemStorage", str(tmp_path)], result.stderr
    elsewhere = {**env, "ARCHIVE_STORAGE_OPTIONS": f'{{"location": "{tmp_path / "other"}"}}'}
    result = run_manage("shell", "--no-imports", "-c", code, env=elsewhere)
    assert result.stdout.split()[1] == str(tmp_path / "other"), result.stderr
    result = run_manage("check", env={**PRODUCTION_ENV, "ARCHIVE_STORAGE_OPTIONS": "bucket=x"})
    assert result.returncode != 0
    assert "ARCHIVE_STORAGE_OPTIONS must be a JSON object" in result.stderr


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit_or_parallel_workers():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's session settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        # A parallel worker is a process started for one statement: the alignment of two
        # states started one a request (docs/benchmarks.md, 5 December 2026).
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
