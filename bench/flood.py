"""Login flood: the events API's throughput with and without password guessing on the admin.

Each attempt at /admin/login/ costs a password hash (about 0.5 s of CPU with Django's PBKDF2),
so a few anonymous loops posting wrong passwords can starve every other request unless the
login is protected (issue 10: 4 loops cut the events API from 163 to 11 req/s). This measures
the API with the load generator of the run (wrk), first alone, then while `loops` threads each
fetch the login form once and post wrong passwords to it as fast as they are answered.
Target: the API keeps at least 80 % of its throughput under the flood.

Run by the benchmark runner: `python -m bench.run --login-flood 20` (seconds per phase).
"""

import http.client
import re
import threading
import time
from collections import Counter

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


def flood_loop(port: int, stop: threading.Event, statuses: Counter, lock: threading.Lock):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    cookie, token = _login_form(conn)
    attempt = 0
    while not stop.is_set():
        attempt += 1
        body = f"csrfmiddlewaretoken={token}&username=admin&password=wrong-{attempt}&next=/admin/"
        try:
            conn.request("POST", "/admin/login/", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            })  # fmt: skip
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
        with lock:
            statuses[status] += 1


def run_flood(server: Server, load, seconds: float, connections: int, loops: int = 4) -> dict:
    url = server.url(API_PATH)
    load(url, {}, min(2, seconds), connections)  # warm-up
    alone = load(url, {}, seconds, connections)
    stop, lock, statuses = threading.Event(), threading.Lock(), Counter()
    threads = [
        threading.Thread(target=flood_loop, args=(server.port, stop, statuses, lock))
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
        "path": API_PATH,
        "loops": loops,
        "alone": alone,
        "flooded": flooded,
        "kept": kept,
        "target_met": kept is not None and kept >= TARGET,
        "login_attempts": sum(statuses.values()),
        "login_attempts_per_s": round(sum(statuses.values()) / elapsed, 1),
        "login_statuses": {str(status): n for status, n in statuses.items()},
    }


def markdown(result: dict) -> list[str]:
    alone, flooded = result["alone"], result["flooded"]
    return [
        "## Login flood",
        "",
        f"`{result['path']}` alone, then while {result['loops']} loops post wrong passwords "
        f"to /admin/login/ ({result['login_attempts']} attempts, "
        f"{result['login_attempts_per_s']}/s, statuses {result['login_statuses']}).",
        "",
        "| | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
        f"| alone | {alone.get('rps')} | {alone.get('p50_ms')} | {alone.get('p99_ms')} "
        f"| {alone.get('errors')} |",
        f"| under the flood | {flooded.get('rps')} | {flooded.get('p50_ms')} "
        f"| {flooded.get('p99_ms')} | {flooded.get('errors')} |",
        "",
        f"Kept: {result['kept']} of the throughput (target ≥ {TARGET}: "
        f"{'met' if result['target_met'] else '**missed**'}).",
        "",
    ]
