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
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"


def _require(program: str, package: str) -> str:
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if not found:
        message = f"{program} is missing: apt-get install {package} (Debian's package)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} not open after {timeout} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx/timeline.conf no longer contains {old!r}"
    return text.replace(old, new)


def render_site(backend: Backend, work: Path, http_port: int, https_port: int) -> str:
    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    for old, new in [
        ("server unix:/run/timeline/gunicorn.sock", f"server {HOST}:{backend.port}"),
        ("listen 80;", f"listen {HOST}:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen {HOST}:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/timeline.example.org/fullchain.pem", str(work / "cert.pem")),
        ("/etc/letsencrypt/live/timeline.example.org/privkey.pem", str(work / "key.pem")),
        ("/srv/timeline/var/static/", f"{backend.static_root}/"),
    ]:
        site = _replace(site, old, new)
    return site


def render_main(work: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, for an unprivileged run."""
    user = "user root;" if os.geteuid() == 0 else ""  # as root, workers would drop to nobody
    temp = "\n".join(
        f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return f"""
daemon off;
master_process on;
worker_processes 1;
{user}
pid {work / "nginx.pid"};
error_log {work / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work / "access.log"};
{temp}
    uwsgi_temp_path {work / "uwsgi"};
    scgi_temp_path {work / "scgi"};
    include {work / "timeline.conf"};
}}
"""


@contextlib.contextmanager
def running_nginx(backend: Backend, work: Path):
    """nginx with deploy/nginx/timeline.conf in front of `backend`, on free ports, over TLS."""
    nginx = _require("nginx", "nginx-light")
    openssl = _require("openssl", "openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    (work / "timeline.conf").write_text(render_site(backend, work, http_port, https_port))
    (work / "nginx.conf").write_text(render_main(work))
    log = work / "error.log"
    log.touch()
    command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(log)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        wait_for_port(https_port, process, log)
        yield Proxy(http_port=http_port, https_port=https_port, backend=backend)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def proxy(backend, tmp_path_factory):
    with running_nginx(backend, tmp_path_factory.mktemp("deploy-nginx")) as running:
        warm_up(f"https://{HOST}:{running.https_port}", running.tls())
        yield running
