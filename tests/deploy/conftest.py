"""The deployment in deploy/, run for real: nginx with deploy/nginx/timeline.conf in front of
gunicorn with deploy/gunicorn.conf.py, both as the current user on free 127.0.0.1 ports.

The nginx site is used as written, with only its addresses and paths replaced (each
replacement must match, so the file cannot drift away from what is tested). Gunicorn serves
a SQLite file migrated and loaded with the demo data here, with DEBUG off, and runs one worker
with one thread: the smallest backend, so a single request held by a slow client would block
it. Without nginx the tests skip with the install command; in CI (env CI set) they fail.
"""

import contextlib
import os
import ssl
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench import nginx as bench_nginx
from bench.nginx import DEPLOY, HOST, free_port, stop, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def _require(program: str, package: str) -> str:
    found = bench_nginx.find_program(program)
    if not found:
        message = f"{program} is missing: apt-get install {package} (Debian's package)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def warm_up(origin: str, context: ssl.SSLContext | None) -> None:
    """A first request imports and connects lazily (seconds on a busy machine): not measured."""
    headers = {"X-Forwarded-Proto": "https"}
    for path in ("/api/v1/events/?page_size=5", "/api/v1/timelines/"):
        request = urllib.request.Request(origin + path, headers=headers)
        with urllib.request.urlopen(request, timeout=60, context=context) as response:
            response.read()


@dataclass
class Backend:
    port: int
    static_root: Path
    access_log: Path
    env: dict


@dataclass
class Proxy:
    http_port: int
    https_port: int
    backend: Backend

    def tls(self) -> ssl.SSLContext:
        return ssl._create_unverified_context()  # the test's own self-signed certificate


def backend_env(work: Path) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "deploy-test-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{work / 'timeline.sqlite3'}",
        "TIMELINE_VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "SECURE_HSTS_SECONDS": "3600",
        "TIMELINE_TRUSTED_PROXIES": "1",
        # Tests here make many requests from one address; throttling has its own tests.
        "API_ANON_THROTTLE_RATE": "100000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_REPLICA_URLS", None)
    return env


PREPARE = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
"""


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    nginx = _require("nginx", "nginx-light")  # before the slow part: skip early
    assert nginx
    work = tmp_path_factory.mktemp("deploy-backend")
    env = backend_env(work)
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**env, "DJANGO_SETTINGS_MODULE": "timeline.settings"},
    )  # fmt: skip
    assert prepared.returncode == 0, prepared.stdout[-3000:] + prepared.stderr[-3000:]
    port = free_port()
    log = work / "gunicorn.log"
    access_log = work / "access.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c", str(DEPLOY / "gunicorn.conf.py"),
            f"--bind={HOST}:{port}", "--workers=1", "--threads=1",
            f"--access-logfile={access_log}", f"--error-logfile={log}",
        ],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, process, log)
        warm_up(f"http://{HOST}:{port}", None)
        yield Backend(port=port, static_root=work / "static", access_log=access_log, env=env)
    finally:
        stop(process)


@contextlib.contextmanager
def running_nginx(backend: Backend, work: Path):
    """nginx with deploy/nginx/timeline.conf in front of `backend`, on free ports, over TLS."""
    nginx = _require("nginx", "nginx-light")
    openssl = _require("openssl", "openssl")
    with bench_nginx.running_nginx(
        backend.port, backend.static_root, work, nginx=nginx, openssl=openssl
    ) as running:
        yield Proxy(http_port=running.http_port, https_port=running.https_port, backend=backend)


@pytest.fixture(scope="session")
def proxy(backend, tmp_path_factory):
    with running_nginx(backend, tmp_path_factory.mktemp("deploy-nginx")) as running:
        warm_up(f"https://{HOST}:{running.https_port}", running.tls())
        yield running
