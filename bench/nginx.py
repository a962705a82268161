"""nginx with deploy/nginx/timeline.conf in front of a gunicorn on 127.0.0.1, as the current user.

Used by the deployment tests (tests/deploy) and by the benchmark's login flood, so that both run
the site file as written: only its addresses and paths are replaced, and each replacement must
match, so the file cannot drift away from what is tested and measured.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"


def find_program(program: str) -> str | None:
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")


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


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx/timeline.conf no longer contains {old!r}"
    return text.replace(old, new)


def render_site(
    backend_port: int, static_root: Path, work: Path, http_port: int, https_port: int
) -> str:
    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    for old, new in [
        ("server unix:/run/timeline/gunicorn.sock", f"server {HOST}:{backend_port}"),
        ("listen 80;", f"listen {HOST}:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen {HOST}:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/timeline.example.org/fullchain.pem", str(work / "cert.pem")),
        ("/etc/letsencrypt/live/timeline.example.org/privkey.pem", str(work / "key.pem")),
        ("/srv/timeline/var/static/", f"{static_root}/"),
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


@dataclass
class RunningNginx:
    http_port: int
    https_port: int
    process: subprocess.Popen


@contextlib.contextmanager
def running_nginx(
    backend_port: int, static_root: Path, work: Path, *, nginx: str, openssl: str
) -> Iterator[RunningNginx]:
    """nginx in front of the gunicorn on `backend_port`, on free ports, over TLS (self-signed)."""
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=localhost", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    http_port, https_port = free_port(), free_port()
    site = render_site(backend_port, static_root, work, http_port, https_port)
    (work / "timeline.conf").write_text(site)
    (work / "nginx.conf").write_text(render_main(work))
    log = work / "error.log"
    log.touch()
    command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(log)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
    process = subprocess.Popen(command, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        wait_for_port(https_port, process, log)
        yield RunningNginx(http_port=http_port, https_port=https_port, process=process)
    finally:
        stop(process)
