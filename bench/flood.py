"""Login flood: the events API's throughput with and without password guessing on the admin.

Each attempt at /admin/login/ costs a password hash (about 0.5 s of CPU with Django's PBKDF2),
so a few anonymous loops posting wrong passwords can starve every other request unless the
login is protected (issue 10: 4 loops cut the events API from 163 to 11 req/s). This measures
the API with the load generator of the run (wrk), first alone, then while `loops` threads each
fetch the login form once and post wrong passwords to it as fast as they are answered.
Target: the API keeps at least 80 % of its throughput under the flood.

Two ways in, each measured on its own (alone, then flooded):
- `gunicorn`: straight at gunicorn. Django's defences alone: axes locks the username and the
  client out, and later attempts are refused from the cache (accounts/lockout.py). A refusal
  is then cheap, but a loop that is answered at once asks again at once, so on a 2-core
  machine shared with the load generator the loops still take CPU (theirs and the server's).
- `nginx`: through deploy/nginx/timeline.conf as deployed, over TLS (needs Debian's nginx).
  Its `limit_req` holds a guessing loop's requests in nginx, where waiting costs no CPU.

Run by the benchmark runner: `python -m bench.run --login-flood 20` (seconds per phase;
`--login-flood-via gunicorn,nginx` picks the ways in).
"""

import contextlib
import http.client
import re
import ssl
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import nginx
from bench.run import HOST, Server

API_PATH = "/api/v1/events/?page_size=100"
TARGET = 0.8


def _login_form(conn: http.client.HTTPConnection) -> tuple[str, str]:
    """The CSRF cookie and form token a browser would have (the flood passes CSRF)."""
    conn.request("GET", "/admin/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if response.status != 200 or not cookie or not token:
        raise RuntimeError(f"no login form at /admin/login/ (HTTP {response.status})")
    return cookie[1], token[1]


@dataclass
class Entry:
    """Where the API and the login are reached: gunicorn itself, or nginx in front of it."""

    via: str
    origin: str
    connect: Callable[[], http.client.HTTPConnection]
    # Over HTTPS Django's CSRF check wants a Referer of the same host (nginx passes $host).
    referer: str | None = None


def _direct(server: Server) -> Entry:
    return Entry(
        "gunicorn", f"http://{HOST}:{server.port}",
        lambda: http.client.HTTPConnection(HOST, server.port, timeout=60),
    )  # fmt: skip


@contextlib.contextmanager
def _through_nginx(server: Server):
    program, openssl = nginx.find_program("nginx"), nginx.find_program("openssl")
    if not program or not openssl:
        raise RuntimeError("nginx is missing: apt-get install nginx-light (Debian's package)")
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as work:
        work = Path(work)
        with nginx.running_nginx(
            server.port, work / "static", work, nginx=program, openssl=openssl
        ) as running:
            tls = ssl._create_unverified_context()  # the run's own self-signed certificate
            yield Entry(
                "nginx", f"https://{HOST}:{running.https_port}",
                lambda: http.client.HTTPSConnection(
                    HOST, running.https_port, context=tls, timeout=60
                ),
                referer=f"https://{HOST}/admin/login/",
            )  # fmt: skip


def flood_loop(entry: Entry, stop: threading.Event, statuses: Counter, lock: threading.Lock):
    conn = entry.connect()
    cookie, token = _login_form(conn)
    attempt = 0
    while not stop.is_set():
        attempt += 1
        body = f"csrfmiddlewaretoken={token}&username=admin&password=wrong-{attempt}&next=/admin/"
        try:
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            }
            if entry.referer:
                headers["Referer"] = entry.referer
            conn.request("POST", "/admin/login/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            conn.close()
            conn = entry.connect()
        with lock:
            statuses[status] += 1


def run_flood(
    server: Server, load, seconds: float, connections: int, loops: int = 4,
    via: tuple[str, ...] = ("gunicorn", "nginx"),
) -> dict:  # fmt: skip
    """One measurement per way in; the target is judged on each."""
    runs = []
    for way in via:
        if way == "gunicorn":
            runs.append(_measure(_direct(server), load, seconds, connections, loops))
            continue
        try:
            with _through_nginx(server) as entry:
                runs.append(_measure(entry, load, seconds, connections, loops))
        except RuntimeError as error:
            runs.append({"via": way, "error": str(error), "kept": None, "target_met": None})
    return {"path": API_PATH, "loops": loops, "runs": runs}


def _measure(entry: Entry, load, seconds: float, connections: int, loops: int) -> dict:
    url = entry.origin + API_PATH
    load(url, {}, min(2, seconds), connections)  # warm-up
    alone = load(url, {}, seconds, connections)
    stop, lock, statuses = threading.Event(), threading.Lock(), Counter()
    threads = [
        threading.Thread(target=flood_loop, args=(entry, stop, statuses, lock))
        for _ in range(loops)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the loops are running before the measurement starts
    started = time.monotonic()
    flooded = load(url, {}, seconds, connections)
    elapsed = time.monotonic() - started + 1
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    kept = round(flooded["rps"] / alone["rps"], 2) if alone.get("rps") else None
    return {
        "via": entry.via,
        "alone": alone,
        "flooded": flooded,
        "kept": kept,
        "target_met": kept is not None and kept >= TARGET,
        "login_attempts": sum(statuses.values()),
        "login_attempts_per_s": round(sum(statuses.values()) / elapsed, 1),
        "login_statuses": {str(status): n for status, n in statuses.items()},
    }


def markdown(result: dict) -> list[str]:
    lines = [
        "## Login flood",
        "",
        f"`{result['path']}` alone, then while {result['loops']} loops post wrong passwords "
        "to /admin/login/, once straight at gunicorn and once through nginx as deployed.",
        "",
        "| way in | phase | req/s | p50 ms | p99 ms | errors | login attempts |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for run in result["runs"]:
        if "error" in run:
            lines.append(f"| {run['via']} | not run: {run['error']} | | | | | |")
            continue
        alone, flooded = run["alone"], run["flooded"]
        attempts = (
            f"{run['login_attempts']} ({run['login_attempts_per_s']}/s), "
            f"statuses {run['login_statuses']}"
        )
        lines += [
            f"| {run['via']} | alone | {alone.get('rps')} | {alone.get('p50_ms')} "
            f"| {alone.get('p99_ms')} | {alone.get('errors')} | |",
            f"| {run['via']} | under the flood | {flooded.get('rps')} | {flooded.get('p50_ms')} "
            f"| {flooded.get('p99_ms')} | {flooded.get('errors')} | {attempts} |",
        ]
    lines.append("")
    for run in result["runs"]:
        if run.get("kept") is not None:
            verdict = "met" if run["target_met"] else "**missed**"
            lines.append(
                f"Kept through {run['via']}: {run['kept']} of the throughput "
                f"(target ≥ {TARGET}: {verdict})."
            )
    return [*lines, ""]
