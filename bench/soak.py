"""Soak: Timeline under a fixed request rate for a long time (docs/benchmarks.md, "Robustness").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench \\
        .venv/bin/python -m bench.soak --duration 600 --rate 40

Serves Timeline with the benchmark's gunicorn settings (bench.run: DEBUG off, gthread), then
sends requests at a fixed rate, whatever the answers' speed (an open loop: a slow answer does
not slow the load down, and latency counts from when a request was due, so queueing shows).
The mix covers every public surface: event lists (plain, by actor, conditional), event detail,
the grouped timeline, a timeline page, its embed and embed.js, with paths read from the data.

Reports every status (5xx must be 0; any other non-2xx/304 is listed), p50/p99/max latency,
and the workers' resident memory, sampled every few seconds: its growth from the end of the
warm-up to the end of the run must stay under 10 %. A worker that restarts is reported, since
a fresh process would hide growth. Any database with data works (the demo data too).
Results: bench/results/soak-<time>.json and .md.
"""

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import http.client
import json
import os
import re
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench.run import HOST, RESULTS, Server, collect_static, start_servers, stop_servers

RSS_EVERY = 5  # seconds between memory samples
GROWTH_LIMIT = 0.10


def get_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
        return json.loads(body)
    finally:
        conn.close()


def request_mix(port: int) -> list[tuple[str, dict]]:
    """Paths of every public surface, read from the served data, with a few conditional GETs."""
    events = get_json(port, "/api/v1/events/?page_size=20")["results"]
    timelines = get_json(port, "/api/v1/timelines/")["results"]
    actors = get_json(port, "/api/v1/actors/?page_size=20")["results"]
    if not events:
        raise SystemExit("The database has no public events: load some (load_demo or generate).")
    mix = [("/api/v1/events/?page_size=100", {})]
    mix += [(f"/api/v1/events/{event['slug']}/", {}) for event in events[:10]]
    mix += [(f"/api/v1/events/?actor={actor['slug']}&page_size=100", {}) for actor in actors[:5]]
    mix += [("/api/v1/timeline/?group_by=year", {}), ("/embed.js", {})]
    for timeline in timelines[:2]:
        slug = timeline["slug"]
        mix += [(f"/timelines/{slug}/", {}), (f"/embed/timelines/{slug}/", {})]
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/api/v1/events/?page_size=100")
    response = conn.getresponse()
    response.read()
    conn.close()
    if etag := response.headers.get("ETag"):
        mix += [("/api/v1/events/?page_size=100", {"If-None-Match": etag})] * 3
    return mix


def worker_rss_kb(server: Server) -> dict[int, int]:
    sizes = {}
    for pid in server.workers():
        with contextlib.suppress(OSError):
            found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            if found:
                sizes[pid] = int(found[1])
    return sizes


class FixedRateLoad:
    """Sends the mix in turn at `rate` requests per second from a pool of keep-alive clients."""

    def __init__(self, port: int, mix: list[tuple[str, dict]], rate: float, clients: int):
        self.port, self.mix, self.rate = port, mix, rate
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=clients)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.unexpected: Counter = Counter()
        self.latencies: list[float] = []
        self.sent = 0
        self.reconnects = 0

    def _get(self, path: str, headers: dict) -> int:
        reused = getattr(self.local, "conn", None)
        conn = reused or http.client.HTTPConnection(HOST, self.port, timeout=60)
        self.local.conn = conn
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            if reused is None:
                raise
        # The server closed the idle keep-alive connection as this request went out: send it
        # again on a new connection, as every HTTP client does, and count it.
        with self.lock:
            self.reconnects += 1
        return self._get(path, headers)

    def _send(self, path: str, headers: dict, due: float) -> None:
        try:
            status = self._get(path, headers)
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        latency = (time.monotonic() - due) * 1000
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(latency)
            if status not in (200, 304):
                self.unexpected[f"{status} {path}"] += 1

    def run(self, seconds: float, stop: threading.Event) -> None:
        started = time.monotonic()
        count = int(seconds * self.rate)
        for i in range(count):
            due = started + i / self.rate
            delay = due - time.monotonic()
            if delay > 0 and stop.wait(delay):
                break
            path, headers = self.mix[self.sent % len(self.mix)]
            self.sent += 1
            self.pool.submit(self._send, path, headers, due)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 1)


def run_soak(server: Server, duration: float, warmup: float, rate: float, clients: int) -> dict:
    """The fixed-rate load against a running server, with its memory sampled as it goes."""
    warmup = min(warmup, duration / 2)
    mix = request_mix(server.port)
    load = FixedRateLoad(server.port, mix, rate, clients)
    stop = threading.Event()
    runner = threading.Thread(target=load.run, args=(duration, stop))
    samples: list[tuple[float, dict[int, int]]] = []
    started = time.monotonic()
    runner.start()
    baseline = None
    try:
        while runner.is_alive():
            runner.join(timeout=min(RSS_EVERY, warmup or RSS_EVERY))
            elapsed = time.monotonic() - started
            samples.append((round(elapsed, 1), worker_rss_kb(server)))
            if baseline is None and elapsed >= warmup:
                baseline = samples[-1]
    finally:
        stop.set()
        runner.join()
        load.close()
    final = (round(time.monotonic() - started, 1), worker_rss_kb(server))
    baseline = baseline or samples[0]
    start_kb, end_kb = sum(baseline[1].values()), sum(final[1].values())
    growth = (end_kb - start_kb) / start_kb if start_kb else None
    pids_seen = {pid for _, sizes in samples for pid in sizes}
    statuses = load.statuses
    server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    return {
        "duration": duration,
        "warmup": warmup,
        "rate": rate,
        "mix": [f"{path} (If-None-Match)" if headers else path for path, headers in mix],
        "requests": sum(statuses.values()),
        "reconnects": load.reconnects,
        "statuses": {str(status): n for status, n in sorted(statuses.items(), key=str)},
        "server_errors": server_errors,
        "other_errors": sum(load.unexpected.values()) - server_errors,
        "unexpected": dict(load.unexpected.most_common(20)),
        "p50_ms": percentile(load.latencies, 0.50),
        "p99_ms": percentile(load.latencies, 0.99),
        "max_ms": round(max(load.latencies), 1) if load.latencies else None,
        "rss_start_mb": round(start_kb / 1024, 1),
        "rss_end_mb": round(end_kb / 1024, 1),
        "rss_growth_pct": round(growth * 100, 1) if growth is not None else None,
        "rss_growth_met": growth is not None and growth < GROWTH_LIMIT,
        "worker_restarts": len(pids_seen) - len(final[1]),
        "rss_samples_mb": [
            [t, round(sum(sizes.values()) / 1024, 1)] for t, sizes in [*samples, final]
        ],
    }


def markdown(r: dict) -> list[str]:
    return [
        "## Soak",
        "",
        f"{r['rate']} req/s fixed for {r['duration']} s (memory baseline after {r['warmup']} s), "
        f"{len(r['mix'])} paths in turn; {r['reconnects']} requests sent again on a new "
        "connection after the server had closed an idle one.",
        "",
        "| requests | 5xx | other errors | p50 ms | p99 ms | max ms | RSS start MB "
        "| RSS end MB | growth | worker restarts |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['requests']} | {r['server_errors']} | {r['other_errors']} | {r['p50_ms']} "
        f"| {r['p99_ms']} | {r['max_ms']} | {r['rss_start_mb']} | {r['rss_end_mb']} "
        f"| {r['rss_growth_pct']} % | {r['worker_restarts']} |",
        "",
        f"Targets: no 5xx: {'met' if r['server_errors'] == 0 else '**missed**'}; "
        f"memory growth < 10 %: {'met' if r['rss_growth_met'] else '**missed**'}.",
        "",
    ]  # fmt: skip


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of load, in all")
    parser.add_argument("--warmup", type=float, default=60, help="seconds before the RSS baseline")
    parser.add_argument("--rate", type=float, default=40, help="requests per second")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--keep-alive", action="store_true", help="gunicorn's defaults (bench.run --help)"
    )
    parser.add_argument("--base-port", type=int, default=8841)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM events_event")
        data = f"{cur.fetchone()[0]:,} events in {connection.settings_dict['NAME']}"
    connection.close()

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = args.out / f"soak-{stamp}"
    work.mkdir()
    collect_static(work / "static")
    signal.signal(signal.SIGTERM, _interrupt)
    servers = start_servers(args, ["timeline"], work / "static", work)
    try:
        result = run_soak(servers["timeline"], args.duration, args.warmup, args.rate, args.clients)
    finally:
        stop_servers(servers)
    report = {"meta": {"started": stamp, "data": data, "workers": args.workers,
                       "threads": args.threads}, "soak": result}  # fmt: skip
    text = "\n".join([
        f"# Soak {stamp}", "",
        f"Data: {data}. Gunicorn: {args.workers} workers × {args.threads} threads (gthread), "
        "DEBUG off.", "",
        *markdown(result),
    ])  # fmt: skip
    (args.out / f"soak-{stamp}.json").write_text(json.dumps(report, indent=2))
    (args.out / f"soak-{stamp}.md").write_text(text)
    print(text, flush=True)
    print(f"wrote {args.out}/soak-{stamp}.json and .md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
