"""JSONL dataset export: events per second and memory (docs/benchmarks.md, "Dataset export").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench \\
        .venv/bin/python -m bench.export [--all] [-o FILE] [--twice]

Writes the dataset (`export_data --format jsonl`, in-process, through the same generator) to a
file (default: a temporary one, removed afterwards) and reports events/s, lines, bytes, the
SHA-256 of the file, and the process's resident memory sampled as the events stream: after
the first 10 % of the events and at the end, plus the peak (VmHWM). Flat memory means the
end is close to the 10 % mark, whatever the number of events. `--twice` exports a second
time and says whether the bytes are identical. Also records the load average (`uptime`),
since the machine may be shared. Results: bench/results/export-<time>.json.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def memory_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in kB, from /proc."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def export_once(path: str, *, include_drafts: bool, total_events: int) -> dict:
    from events.dataset.jsonl import encode
    from events.dataset.records import dataset_records

    digest = hashlib.sha256()
    events = lines = size = 0
    mark = max(1, total_events // 10)
    rss_at_mark = None
    started = time.perf_counter()
    first_event = None
    with open(path, "wb") as stream:
        for record in dataset_records(include_drafts=include_drafts, parallel=True):
            line = encode(record)
            stream.write(line)
            digest.update(line)
            lines += 1
            size += len(line)
            if record["type"] == "event":
                if first_event is None:
                    first_event = time.perf_counter()
                events += 1
                if events == mark:
                    rss_at_mark = memory_kb("VmRSS")
    elapsed = time.perf_counter() - started
    return {
        "events": events,
        "lines": lines,
        "bytes": size,
        "sha256": digest.hexdigest(),
        "seconds": round(elapsed, 1),
        "seconds_before_first_event": round((first_event or started) - started, 1),
        "events_per_s": round(events / elapsed) if elapsed else None,
        "rss_mb_after_10pct": round((rss_at_mark or 0) / 1024, 1),
        "rss_mb_end": round(memory_kb("VmRSS") / 1024, 1),
        "peak_rss_mb": round(memory_kb("VmHWM") / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="include drafts (export_data --all)")
    parser.add_argument("-o", "--output", help="keep the file here (default: a temporary file)")
    parser.add_argument("--twice", action="store_true", help="export again, compare the bytes")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    from events.models import Event

    if "bench" not in connection.settings_dict["NAME"]:
        print("Run against a benchmark database (its name contains 'bench').", file=sys.stderr)
        return 2
    scope = Event.objects.all() if args.all else Event.objects.public()
    total = scope.count()
    result: dict = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": f"{connection.vendor} {connection.settings_dict['NAME']}",
        "scope": "all" if args.all else "public",
        "load_average_before": load_average(),
        "cpus": os.cpu_count(),
    }
    path = args.output or tempfile.mkstemp(suffix=".jsonl")[1]
    try:
        result["run"] = export_once(path, include_drafts=args.all, total_events=total)
        result["load_average_after"] = load_average()
        if args.twice:
            again = export_once(path, include_drafts=args.all, total_events=total)
            result["second_run"] = again
            result["identical_bytes"] = again["sha256"] == result["run"]["sha256"]
    finally:
        if not args.output:
            os.unlink(path)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    (args.out / f"export-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
