"""In-process cost of Timeline's uncached reads: CPU and wall per request (medians), per scenario.

Runs each of `bench.run`'s scenarios through Django's test client in this process, with the
benchmark server's settings (DEBUG off, the throttle out of the way) and the response cache
off, so every request runs the view. CPU is `time.process_time()` (this process only: the
database's work is not in it); wall includes the database. Read-only: nothing is written.

    DATABASE_URL=postgres://…/timeline_bench_1m flock /work/bench.lock \
      .venv/bin/python -m bench.cpu --requests 30 [--scenarios list_first,detail] \
      [--profile list_first]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per scenario")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scenarios", default="", help="comma-separated names (default: all)")
    parser.add_argument("--profile", default="", help="a scenario to profile with cProfile")
    parser.add_argument(
        "--static-root", default="/tmp/timeline-bench-cpu-static", help="collected once, reused"
    )
    args = parser.parse_args()

    os.environ.update(
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        API_ANON_THROTTLE_RATE="1000000000/second",
        RESPONSE_CACHE="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=args.static_root,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    if not (Path(args.static_root) / "staticfiles.json").exists():  # DEBUG off: the manifest
        call_command("collectstatic", interactive=False, verbosity=0)

    from bench.run import probe_data, scenarios

    wanted = {name for name in args.scenarios.split(",") if name}
    client = Client()
    print(f"{'scenario':<20} {'status':>6} {'CPU ms':>8} {'wall ms':>8} {'bytes':>9}  (medians)")
    for scenario in scenarios(probe_data()):
        if (wanted and scenario.name not in wanted) or scenario.expect != 200:
            continue
        path = scenario.paths["timeline"]
        for _ in range(args.warmup):
            response = client.get(path)
        cpus, walls = [], []
        for _ in range(args.requests):
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        # Medians: one request delayed by the machine's other work does not move them.
        cpu, wall = statistics.median(cpus) * 1000, statistics.median(walls) * 1000
        size = len(response.content)
        print(f"{scenario.name:<20} {response.status_code:>6} {cpu:>8.1f} {wall:>8.1f} {size:>9}")
        if scenario.name == args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.requests):
                client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
