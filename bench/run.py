"""Benchmark runner: Timeline, the limit and the naive baseline, side by side, on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench \\
        .venv/bin/python -m bench.run --duration 10 --warmup 2

Serves the three apps with the same gunicorn settings (DEBUG off), each on its own 127.0.0.1
port, then drives every scenario against each app from this second process with wrk (a
bounded Python load loop stands in when wrk is missing; `bench/setup.sh` installs wrk).
Per scenario and app it records requests per second, p50 and p99 latency, queries per request
(counted in-process with CaptureQueriesContext; the limit app reports its own) and the peak
resident memory of the gunicorn workers (VmHWM, reset before each scenario). Results go to
bench/results/<timestamp>.json and .md, with Timeline/limit and Timeline/naive ratios.

A scenario whose endpoint is missing or fails is reported as "not available", never a crash.
Only 127.0.0.1 is ever contacted; every load run is bounded by --duration.
"""

import argparse
import base64
import contextlib
import datetime as dt
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
APPS = ("timeline", "limit", "naive")
SEARCH_TERM = "sanctions"
PAGE_PATHS = {"timeline": "/api/v1/events/?page_size="}
PERIOD = ("2015", "2020")


@dataclass
class Scenario:
    name: str
    title: str
    paths: dict[str, str | None]  # app -> path (None: the app has no equivalent)
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200


@dataclass
class Probe:
    """Parameters read from the loaded data, so scenarios hit real rows."""

    actor: str
    state_a: str
    state_b: str
    detail_slug: str
    deep_date: str
    deep_id: int
    deep_page: int


def probe_data() -> Probe:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT a.slug FROM events_participation p JOIN events_actor a ON a.id = p.actor_id "
            "GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1"
        )
        actor = cur.fetchone()[0]
        cur.execute(
            "SELECT a.iso3 FROM events_countryvote v JOIN events_actor a ON a.id = v.actor_id "
            "WHERE a.iso3 IN ('USA', 'GBR') GROUP BY a.iso3 ORDER BY a.iso3 DESC"
        )
        states = [row[0].lower() for row in cur.fetchall()] or ["usa", "gbr"]
        cur.execute(
            "SELECT e.slug FROM events_event e WHERE e.status = 'published' AND "
            "(SELECT count(*) FROM events_participation p WHERE p.event_id = e.id) >= 3 "
            "ORDER BY e.id LIMIT 1"
        )
        detail = cur.fetchone()
        cur.execute("SELECT count(*) FROM events_event WHERE status IN ('published', 'retracted')")
        public = cur.fetchone()[0]
        offset = max(0, int(public * 0.8) // 100 * 100)  # a page 80 % of the way down
        cur.execute(
            "SELECT date_lower, id FROM events_event WHERE status IN ('published', 'retracted') "
            "ORDER BY date_lower, id OFFSET %s LIMIT 1",
            [max(0, offset - 1)],
        )
        deep_date, deep_id = cur.fetchone()
    return Probe(
        actor=actor,
        state_a=states[0],
        state_b=states[1] if len(states) > 1 else states[0],
        detail_slug=detail[0] if detail else "missing",
        deep_date=deep_date.isoformat(),
        deep_id=deep_id,
        deep_page=offset // 100 + 1,
    )


def cursor_token(date: str, event_id: int) -> str:
    """Timeline's keyset cursor (events.api.pagination): base64 of ordering and key values."""
    payload = orjson.dumps({"o": ["date_lower", "id"], "v": [date, event_id], "b": False})
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def scenarios(p: Probe) -> list[Scenario]:
    page = "page_size=100"
    since, until = PERIOD
    q = SEARCH_TERM
    return [
        Scenario("list_first", "Event list, first page of 100", {
            "timeline": f"/api/v1/events/?{page}",
            "limit": "/events/?limit=100",
            "naive": "/api/v1/events/",
        }),
        Scenario("list_actor", "Event list, one actor", {
            "timeline": f"/api/v1/events/?actor={p.actor}&{page}",
            "limit": f"/events/?actor={p.actor}&limit=100",
            "naive": f"/api/v1/events/?actor={p.actor}",
        }),
        Scenario("list_actor_period", f"Event list, one actor, {since}–{until}", {
            "timeline": f"/api/v1/events/?actor={p.actor}&from={since}&to={until}&{page}",
            "limit": f"/events/?actor={p.actor}&from={since}-01-01&to={until}-12-31&limit=100",
            "naive": f"/api/v1/events/?actor={p.actor}&from={since}-01-01&to={until}-12-31",
        }),
        Scenario("list_deep", "Event list, a page 80 % down (cursor / page number)", {
            "timeline": f"/api/v1/events/?{page}&cursor={cursor_token(p.deep_date, p.deep_id)}",
            "limit": f"/events/?limit=100&after_date={p.deep_date}&after_id={p.deep_id}",
            "naive": f"/api/v1/events/?page={p.deep_page}",
        }),
        Scenario("timeline_month", "Grouped timeline by month, one actor, 80 years", {
            "timeline": f"/api/v1/timeline/?group_by=month&actor={p.actor}",
            "limit": f"/timeline/?actor={p.actor}",
            "naive": f"/api/v1/timeline/?actor={p.actor}",
        }),
        Scenario("search", f"Full-text search q={q}", {
            "timeline": f"/api/v1/events/?q={q}&{page}",
            "limit": f"/events/?q={q}&limit=100",
            "naive": f"/api/v1/events/?q={q}",
        }),
        Scenario("search_actor", f"Full-text search q={q} with one actor", {
            "timeline": f"/api/v1/events/?q={q}&actor={p.actor}&{page}",
            "limit": f"/events/?q={q}&actor={p.actor}&limit=100",
            "naive": f"/api/v1/events/?q={q}&actor={p.actor}",
        }),
        Scenario("detail", "Event detail", {
            "timeline": f"/api/v1/events/{p.detail_slug}/",
            "limit": f"/events/{p.detail_slug}/",
            "naive": f"/api/v1/events/{p.detail_slug}/",
        }),
        Scenario("votes_country", f"Votes of one state ({p.state_a})", {
            "timeline": f"/api/v1/votes/?actor={p.state_a}&{page}",
            "limit": f"/votes/?actor={p.state_a}",
            "naive": f"/api/v1/votes/?actor={p.state_a}",
        }),
        Scenario("alignment", f"Alignment {p.state_a}/{p.state_b}, all years", {
            "timeline": f"/api/v1/alignment/?a={p.state_a}&b={p.state_b}",
            "limit": f"/alignment/?a={p.state_a}&b={p.state_b}",
            "naive": None,
        }),
        Scenario("api_500", "The 500 events of a timeline as JSON (API)", {
            "timeline": "/api/v1/events/?timeline=bench-500&page_size=500",
            "limit": "/events/?timeline=bench-500&limit=500",
            "naive": None,
        }),
        Scenario("embed_500", "Embed of a 500-event timeline (HTML)", {
            "timeline": "/embed/timelines/bench-500/",
            "limit": "/events/?timeline=bench-500&limit=500",
            "naive": None,
        }),
        # The 304s are compared with the limit's plain query (the target).
        Scenario("list_304", "Event list, If-None-Match → 304", {
            "timeline": f"/api/v1/events/?{page}",
            "limit": "/events/?limit=100",
            "naive": None,
        }, expect=304),
        Scenario("embed_304", "Embed, If-None-Match → 304", {
            "timeline": "/embed/timelines/bench-500/",
            "limit": "/events/?limit=100",
            "naive": None,
        }, expect=304),
    ]  # fmt: skip


# Serving ---------------------------------------------------------------------------------


@dataclass
class Server:
    app: str
    port: int
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def workers(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                text = stat.read_text()
                ppid = int(text.rsplit(")", 1)[1].split()[1])
                if ppid == self.process.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def reset_peak_memory(self) -> None:
        for pid in self.workers():  # "5" resets VmHWM to the current RSS (Linux >= 4.0)
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_memory_mb(self) -> float | None:
        peaks = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
                if match:
                    peaks.append(int(match[1]))
        return round(max(peaks) / 1024, 1) if peaks else None


def server_env(args, static_root: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "API_ANON_THROTTLE_RATE": "1000000000/second",  # measure the app, not the throttle
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def connection_policy(args) -> list[str]:
    """How a worker takes connections: as deploy/gunicorn.conf.py does unless --keep-alive.

    The deployment's rule: a worker holds at most one connection per thread and closes it
    after the answer, so a worker whose threads are all busy leaves new connections to one
    that is free. With wrk's keep-alive connections and gunicorn's defaults, the kernel handed
    all of a burst to one of the two workers in about a third of the runs (docs/benchmarks.md),
    and that worker ran Python on one core while the other idled."""
    if args.keep_alive:
        return []
    return [f"--worker-connections={args.threads}", "--keep-alive=0"]


def start_servers(args, apps: list[str], static_root: Path, log_dir: Path) -> dict[str, Server]:
    env = server_env(args, static_root)
    wsgi = {
        "timeline": ("timeline.wsgi:application", "timeline.settings"),
        "limit": ("bench.limit_app:application", "timeline.settings"),
        "naive": ("timeline.wsgi:application", "bench.naive.settings"),
    }
    servers = {}
    for offset, app in enumerate(apps):
        port = args.base_port + offset
        target, settings_module = wsgi[app]
        log = log_dir / f"gunicorn-{app}.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            target,
            f"--bind={HOST}:{port}",
            f"--workers={args.workers}",
            "--worker-class=gthread",
            f"--threads={args.threads}",
            *connection_policy(args),
            "--timeout=120",
            "--log-level=warning",
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        servers[app] = Server(app, port, process, log)
    for server in servers.values():
        wait_until_up(server)
    return servers


def wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.app} exited; see {server.log}")
        try:
            with socket_connection(server.port):
                if len(server.workers()) >= 1:
                    time.sleep(0.5)
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.app} did not start within {timeout} s; see {server.log}")


@contextlib.contextmanager
def socket_connection(port: int):
    import socket

    with socket.create_connection((HOST, port), timeout=1) as sock:
        yield sock


def stop_servers(servers: dict[str, Server]) -> None:
    for server in servers.values():
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers.values():
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()


def collect_static(static_root: Path) -> None:
    env = server_env(None, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "timeline.settings"},
        check=True,
    )


# Measuring -------------------------------------------------------------------------------


def fetch_once(url: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def count_queries(app: str, path: str, headers: dict[str, str]) -> dict:
    """Queries per request, in-process: cold (first call) and warm (a repeat)."""
    if app == "limit":
        return {"cold": 1, "warm": 1, "count_over_events": False}
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    urlconf = "bench.naive.urls" if app == "naive" else "timeline.urls"
    client = Client(headers=headers)
    counts = []
    counted_events = False
    with override_settings(ROOT_URLCONF=urlconf, ALLOWED_HOSTS=["*"]):
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            counts.append(len(captured.captured_queries))
            # A total count of events (what page-number pagination runs); grouped counts per
            # period or facet are answers, not pagination, and are reported as queries.
            counted_events |= any(
                "COUNT(" in q["sql"].upper()
                and 'FROM "events_event"' in q["sql"]
                and "GROUP BY" not in q["sql"].upper()
                for q in captured.captured_queries
            )
    return {"cold": counts[0], "warm": counts[1], "count_over_events": counted_events}


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected latency {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output: str) -> dict:
    result: dict = {}
    for pct, value in re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M):
        result[f"p{pct}_ms"] = round(_ms(value), 2)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    result["rps"] = float(rps[1]) if rps else 0.0
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    result["requests"] = int(total[1]) if total else 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(bad[1]) if bad else 0
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        result["errors"] += int(sockets[1]) + int(sockets[3]) + int(sockets[4])
    return result


def run_wrk(url: str, headers: dict[str, str], seconds: float, connections: int) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "60s"]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout.strip()}")
    result = parse_wrk(completed.stdout)
    if "p99_ms" not in result:  # keep what wrk said, to see why
        result["wrk_output"] = completed.stdout[-600:]
    return result


def run_python_load(url: str, headers: dict[str, str], seconds: float, connections: int) -> dict:
    """A bounded keep-alive load loop, for machines without wrk (smoke runs only)."""
    path = url.split(str(HOST), 1)[1].split("/", 1)[1]
    port = int(url.split(":")[2].split("/")[0])
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        local, bad = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", "/" + path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
            local.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += bad

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 2)

    return {
        "rps": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": pct(0.50) if latencies else None,
        "p99_ms": pct(0.99) if latencies else None,
        "requests": len(latencies),
        "errors": errors[0],
    }


def measure(args, scenario: Scenario, app: str, server: Server, load) -> dict:
    path = scenario.paths.get(app)
    if path is None:
        return {"available": False, "reason": "no equivalent in this app"}
    headers = dict(scenario.headers)
    url = server.url(path)
    status, response_headers, body = fetch_once(url, {})
    if status != 200:
        return {
            "available": False,
            "reason": f"HTTP {status}: {body[:160].decode('utf-8', 'replace')}",
            "path": path,
        }
    if scenario.expect == 304 and app == "timeline":
        etag = response_headers.get("ETag")
        if not etag:
            return {"available": False, "reason": "no ETag on the response", "path": path}
        headers["If-None-Match"] = etag
        status, _, _ = fetch_once(url, headers)
        if status != 304:
            return {"available": False, "reason": f"If-None-Match got {status}", "path": path}
    result = {"available": True, "path": path, "bytes": len(body)}
    result["queries"] = count_queries(app, path, headers)
    server.reset_peak_memory()
    if args.warmup:
        load(url, headers, args.warmup, args.connections)
    before = machine_cpu()
    result.update(load(url, headers, args.duration, args.connections))
    result.update(cpu_per_request(before, machine_cpu(), result.get("requests")))
    result["peak_rss_mb"] = server.peak_memory_mb()
    return result


def machine_cpu() -> tuple[int, int] | None:
    """(busy, idle) clock ticks of the whole machine so far (Linux's /proc/stat), or None."""
    try:
        ticks = [
            int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        ]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle, iowait
    steal = ticks[7] if len(ticks) > 7 else 0
    return sum(ticks[:8]) - idle - steal, idle


def cpu_per_request(before, after, requests) -> dict:
    """The machine's CPU per request during a measured run (the app, PostgreSQL, wrk and the
    kernel together) and the share of it left idle. Unlike req/s, the CPU per request does not
    depend on how the kernel happened to hand wrk's keep-alive connections to the gunicorn
    workers (all to one of two workers about half the time: docs/benchmarks.md), which leaves
    a core idle while one worker's threads wait for each other."""
    if not (before and after and requests):
        return {}
    busy, idle = after[0] - before[0], after[1] - before[1]
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    return {
        "cpu_ms_per_request": round(busy * tick_ms / requests, 2),
        "idle_pct": round(100 * idle / (busy + idle), 1) if busy + idle else None,
    }


# Reporting -------------------------------------------------------------------------------


def ratio(a, b) -> float | None:
    return round(a / b, 2) if a and b else None


def add_ratios(results: list[dict]) -> None:
    for row in results:
        t, lim, nai = (row["apps"].get(app, {}) for app in APPS)
        if t.get("available"):
            row["timeline_over_limit"] = ratio(t.get("rps"), lim.get("rps"))
            row["timeline_over_naive"] = ratio(t.get("rps"), nai.get("rps"))
            # The same ratio by CPU per request: what req/s would be with the cores kept busy.
            row["limit_cpu_over_timeline_cpu"] = ratio(
                lim.get("cpu_ms_per_request"), t.get("cpu_ms_per_request")
            )


def targets(results: list[dict], report_page_sizes: dict) -> list[dict]:
    """The issue's targets, checked against this run."""
    by = {row["name"]: row for row in results}

    def app(name, which="timeline"):
        return by.get(name, {}).get("apps", {}).get(which, {})

    checks = []

    def check(label, value, ok):
        checks.append({"target": label, "value": value, "met": ok if value is not None else None})

    for name in ("list_first", "list_actor", "list_actor_period", "list_deep", "timeline_month"):
        row = by.get(name, {})
        t = app(name)
        if not t.get("available"):
            continue
        r_limit, r_naive = row.get("timeline_over_limit"), row.get("timeline_over_naive")
        check(f"{name}: ≥ 0.5× the limit's req/s", r_limit, r_limit is not None and r_limit >= 0.5)
        check(f"{name}: ≥ 10× the naive req/s", r_naive, r_naive is not None and r_naive >= 10)
        tail = ratio(t.get("p99_ms"), t.get("p50_ms"))
        check(f"{name}: p99 < 4× p50", tail, tail is not None and tail < 4)
        check(f"{name}: no COUNT(*) over events", not t["queries"]["count_over_events"],
              not t["queries"]["count_over_events"])  # fmt: skip
    for name in ("search", "search_actor"):
        t, lim = app(name), app(name, "limit")
        if t.get("available") and lim.get("available"):
            r = ratio(t.get("p50_ms"), lim.get("p50_ms"))
            check(f"{name}: p50 within 3× of raw tsquery", r, r is not None and r <= 3)
    first, deep = app("list_first"), app("list_deep")
    if first.get("available") and deep.get("available"):
        r = ratio(deep.get("p50_ms"), first.get("p50_ms"))
        check("deep page p50 / first page p50 (keyset: ≈ 1)", r, r is not None and r <= 1.5)
    embed, api = app("embed_500"), app("api_500")
    if embed.get("available") and api.get("available"):
        r = ratio(api.get("rps"), embed.get("rps"))  # server time per request, inverted rps
        check("embed 500 server time ≤ 3× the same 500 as JSON", r, r is not None and r <= 3)
    for name in ("list_304", "embed_304"):
        t, lim = app(name), app(name, "limit")
        if t.get("available") and lim.get("available"):
            r = ratio(t.get("rps"), lim.get("rps"))
            check(f"{name}: 304 req/s ≥ the limit's plain query", r, r is not None and r >= 1)
    sizes = report_page_sizes.get("timeline") or {}
    if sizes:
        same = len(set(sizes.values())) == 1
        check("same queries for pages of 10, 100 and 500 (list)", sizes, same)
    return checks


def fmt(value, suffix="") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}" if value >= 10 else f"{value:.2f}{suffix}"
    return f"{value}{suffix}"


def markdown(report: dict) -> str:
    meta = report["meta"]
    lines = [
        f"# Benchmark {meta['started']}",
        "",
        f"Data: {meta['data']}. Gunicorn: {meta['workers']} workers × {meta['threads']} threads "
        f"(gthread), connections per worker: {meta['connections_per_worker']}, DEBUG off; "
        f"load: {meta['load_generator']}, {meta['connections']} connections, "
        f"{meta['duration']} s per scenario after {meta['warmup']} s warm-up.",
        "",
        "| scenario | app | req/s | p50 ms | p99 ms | queries (cold/warm) | peak RSS MB "
        "| CPU ms/req | idle % | T/limit | T/limit by CPU | T/naive |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["results"]:
        for app in APPS:
            r = row["apps"].get(app, {})
            if not r.get("available"):
                reason = r.get("reason", "not run")
                lines.append(
                    f"| {row['title']} | {app} | not available: {reason[:60]} | | | | | | | | |"
                )
                continue
            q = r["queries"]
            first = app == "timeline"
            lines.append(
                f"| {row['title']} | {app} | {fmt(r.get('rps'))} | {fmt(r.get('p50_ms'))} | "
                f"{fmt(r.get('p99_ms'))} | {q['cold']}/{q['warm']}"
                f"{' COUNT' if q['count_over_events'] else ''} | {fmt(r.get('peak_rss_mb'))} | "
                f"{fmt(r.get('cpu_ms_per_request'))} | {fmt(r.get('idle_pct'))} | "
                f"{fmt(row.get('timeline_over_limit')) if first else ''} | "
                f"{fmt(row.get('limit_cpu_over_timeline_cpu')) if first else ''} | "
                f"{fmt(row.get('timeline_over_naive')) if first else ''} |"
            )
    lines += ["", "## Targets", "", "| target | value | met |", "|---|---|---|"]
    for item in report["targets"]:
        met = {True: "yes", False: "**no**", None: "–"}[item["met"]]
        lines.append(f"| {item['target']} | {item['value']} | {met} |")
    return "\n".join(lines) + "\n"


def run_extras(args, servers: dict[str, Server], load) -> dict:
    """The robustness runs on Timeline's server (docs/benchmarks.md): soak and login flood."""
    from bench import flood, soak

    extras: dict = {}
    if "timeline" not in servers:
        return extras
    if args.soak:
        extras["soak"] = soak.run_soak(
            servers["timeline"], args.soak, warmup=args.soak / 10, rate=args.soak_rate, clients=16
        )
        print(f"soak: {soak.markdown(extras['soak'])[6]}", flush=True)
    if args.login_flood:
        extras["login_flood"] = flood.run_flood(
            servers["timeline"], load, args.login_flood, args.connections,
            # The Python load loop speaks plain HTTP only: through nginx (TLS) needs wrk.
            via=tuple(
                way for way in args.login_flood_via.split(",")
                if load is run_wrk or way != "nginx"
            ),
        )  # fmt: skip
        for run in extras["login_flood"]["runs"]:
            print(f"login flood via {run['via']}: kept {run['kept']}", flush=True)
    return extras


def extra_targets(extras: dict) -> list[dict]:
    checks = []
    if soak := extras.get("soak"):
        checks.append({"target": "soak: no 5xx", "value": soak["server_errors"],
                       "met": soak["server_errors"] == 0})  # fmt: skip
        checks.append({"target": "soak: worker memory growth < 10 %",
                       "value": soak["rss_growth_pct"], "met": soak["rss_growth_met"]})  # fmt: skip
    for run in extras.get("login_flood", {}).get("runs", []):
        checks.append({"target": f"login flood via {run['via']}: events API keeps ≥ 80 % of "
                       "its req/s", "value": run["kept"], "met": run["target_met"]})  # fmt: skip
    return checks


def extras_markdown(extras: dict) -> str:
    from bench import flood, soak

    lines = [""]
    if "soak" in extras:
        lines += soak.markdown(extras["soak"])
    if "login_flood" in extras:
        lines += flood.markdown(extras["login_flood"])
    return "\n".join(lines) if len(lines) > 1 else ""


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# Main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--keep-alive", action="store_true",
        help="gunicorn's defaults: keep connections open, any number per worker (before 5 Dec)",
    )  # fmt: skip
    parser.add_argument("--base-port", type=int, default=8811)
    parser.add_argument("--apps", default=",".join(APPS))
    parser.add_argument("--scenarios", default="", help="comma-separated names; default all")
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--smoke", action="store_true", help="two scenarios, 2 s each after 1 s of warm-up (CI)"
    )
    parser.add_argument("--soak", type=float, default=0, help="then a soak of this many s")
    parser.add_argument("--soak-rate", type=float, default=40, help="the soak's req/s")
    parser.add_argument(
        "--login-flood", type=float, default=0, help="then the login flood, s per phase"
    )
    parser.add_argument(
        "--login-flood-via", default="gunicorn,nginx",
        help="ways in for the login flood: gunicorn, nginx (deploy/nginx, needs nginx-light)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.smoke:
        # Long enough that a loaded CI machine still completes requests in the window.
        args.duration, args.warmup = 2, 1
        args.scenarios = args.scenarios or "list_first,detail"

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("API_ANON_THROTTLE_RATE", "1000000000/second")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        parser.error("DATABASE_URL must point at PostgreSQL (the limit app speaks psycopg).")
    # Indexes added since the data was generated must be there, or the run measures old code.
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if args.load == "wrk" or (args.load == "auto" and shutil.which("wrk")):
        load, load_name = run_wrk, "wrk"
    else:
        load, load_name = run_python_load, "Python load loop (wrk not installed)"
        print("wrk not found: using the Python load loop; run bench/setup.sh for wrk", flush=True)

    probe = probe_data()
    wanted = {name for name in args.scenarios.split(",") if name}
    chosen = [s for s in scenarios(probe) if not wanted or s.name in wanted]
    apps = [app for app in args.apps.split(",") if app in APPS]
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM events_event")
        data = f"{cur.fetchone()[0]:,} events in {connection.settings_dict['NAME']}"

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = args.out / f"run-{stamp}"
    work.mkdir()
    collect_static(work / "static")
    # A SIGTERM (timeout, CI) must still stop the gunicorns: make it unwind like Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    servers = start_servers(args, apps, work / "static", work)
    results = []
    try:
        for scenario in chosen:
            row = {"name": scenario.name, "title": scenario.title, "apps": {}}
            for app in apps:
                try:
                    row["apps"][app] = measure(args, scenario, app, servers[app], load)
                except Exception as exc:  # one broken scenario must not end the run
                    row["apps"][app] = {
                        "available": False,
                        "reason": f"{type(exc).__name__}: {exc}",
                    }
                r = row["apps"][app]
                print(
                    f"{scenario.name:18} {app:8} "
                    + (
                        f"{r.get('rps', 0):9.1f} req/s  p50 {r.get('p50_ms')} ms  "
                        f"p99 {r.get('p99_ms')} ms  queries {r['queries']['warm']}  "
                        f"rss {r.get('peak_rss_mb')} MB"
                        if r.get("available")
                        else f"not available ({r.get('reason', '')[:80]})"
                    ),
                    flush=True,
                )
            results.append(row)
        extras = run_extras(args, servers, load)
    finally:
        stop_servers(servers)
        shutil.rmtree(work / "static", ignore_errors=True)
    add_ratios(results)
    report = {
        "meta": {
            "started": stamp,
            "data": data,
            "probe": probe.__dict__,
            "workers": args.workers,
            "threads": args.threads,
            "connections_per_worker": "any, kept alive"
            if args.keep_alive
            else "one per thread, closed after each answer",
            "connections": args.connections,
            "duration": args.duration,
            "warmup": args.warmup,
            "load_generator": load_name,
        },
        "results": results,
    }
    report["page_size_queries"] = page_sizes = {
        app: {
            size: count_queries(app, f"{PAGE_PATHS[app]}{size}", {})["warm"]
            for size in (10, 100, 500)
        }
        for app in apps
        if app in PAGE_PATHS
    }
    report.update(extras)
    report["targets"] = targets(results, page_sizes) + extra_targets(extras)
    (args.out / f"{stamp}.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    )
    (args.out / f"{stamp}.md").write_text(markdown(report) + extras_markdown(extras))
    print(f"wrote {args.out / stamp}.json and .md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
