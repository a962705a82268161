"""Import speed and memory (docs/benchmarks.md, "Imports").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench_import \\
        .venv/bin/python -m bench.imports sheet --rows 100000
    DATABASE_URL=… .venv/bin/python -m bench.imports votes --resolutions 2000 --members 193
    DATABASE_URL=… .venv/bin/python -m bench.imports votes --seed 1 [--dry-run]   # again: re-import
    DATABASE_URL=… .venv/bin/python -m bench.imports sheet --rows 100000 --undo   # then undo it

Generates the file in memory (a TimelineJS sheet of distinct dated events, each with a group
that names an actor and a source URL; or a UN voting-data CSV), migrates the database, then
imports it through the pipeline the command uses (`start_import`, full validation, history,
ImportItems) in the foreground, and reports rows/s, the time, the counts and the process's
peak resident memory (VmHWM), with the load average (`uptime`: the machine may be shared).
With `--undo` it then undoes the import as the admin's button does and times that too.
The database's name must contain "bench": the import adds thousands of rows to it.
Results: bench/results/import-<kind>-<time>.json.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
GROUPS = ["United States", "Russia", "Ukraine", "Diplomacy", "Sanctions", "Unknown group"]


def memory_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def backend_cpu_seconds(connection) -> float | None:
    """CPU time so far of this connection's PostgreSQL backend, when the server runs on this
    machine (its /proc entry readable); None otherwise. With this process's CPU it tells how
    much of the wall time the two spent working, and so how much was waiting (load, disk)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def database_cpu_since(connection, before: float | None) -> float | None:
    """The backend's CPU seconds since `before` (a backend_cpu_seconds reading), or None."""
    if before is None:
        return None
    return round(backend_cpu_seconds(connection) - before, 2)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def sheet_file(rows: int, seed: int) -> bytes:
    from events.imports.formats.timelinejs_sheet import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    start = dt.date(1900, 1, 1)
    for number in range(rows):
        day = start + dt.timedelta(days=number % 40000)
        cells = dict.fromkeys(COLUMNS, "")
        cells.update(
            {
                "Year": day.year,
                "Month": day.month if number % 10 else "",  # some month, some year precision
                "Day": day.day if number % 5 else "",
                "Headline": f"Benchmark event {seed}-{number}",
                "Text": f"What happened in event {number}, in a sentence or two.",
                "Media": f"https://bench.example.org/{seed}/{number}",
                "Media Credit": "Bench wire",
                "Group": GROUPS[number % len(GROUPS)],
            }
        )
        writer.writerow([cells[name] for name in COLUMNS])
    return out.getvalue().encode()


def votes_file(resolutions: int, members: int, seed: int) -> bytes:
    import pycountry

    from events.imports.formats.un_votes import COLUMNS

    codes = sorted(country.alpha_3 for country in pycountry.countries)[:members]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for number in range(resolutions):
        symbol = f"A/RES/{seed}/{number + 1}"
        date = (dt.date(1990, 1, 1) + dt.timedelta(days=number)).isoformat()
        for index, code in enumerate(codes):
            vote = "YNAX"[(index * 7 + number) % 4] if index % 3 else "Y"
            writer.writerow(
                [f"{seed}{number:06d}", code, code, vote, date, seed, symbol, "", f"Text {number}"]
            )
    return out.getvalue().encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["sheet", "votes"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--resolutions", type=int, default=2000)
    parser.add_argument("--members", type=int, default=193)
    parser.add_argument(
        "--seed",
        type=int,
        help="the file's seed (default: the time); the same seed twice re-imports the same file",
    )
    parser.add_argument("--dry-run", action="store_true", help="plan and report, write nothing")
    parser.add_argument(
        "--undo",
        action="store_true",
        help="then undo the import as the admin does (undo_problems, import_undo) and time it",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        print("Run against a benchmark database (its name contains 'bench').", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    from events.imports.pipeline import start_import

    _ensure_actors()
    seed = args.seed if args.seed is not None else int(time.time())
    if args.kind == "sheet":
        data, rows = sheet_file(args.rows, seed), args.rows
    else:
        data, rows = (
            votes_file(args.resolutions, args.members, seed),
            (args.resolutions * args.members),
        )
    rss_before = memory_kb("VmRSS")
    load_before = load_average()
    database_cpu = backend_cpu_seconds(connection)
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = start_import(
        data=data,
        file_name=f"bench-{args.kind}.csv",
        user=None,
        background=False,
        dry_run=args.dry_run,
    )
    seconds = time.perf_counter() - started
    figures = {
        "kind": args.kind,
        "database": connection.vendor,
        "rows": rows,
        "seed": seed,
        "dry_run": args.dry_run,
        "bytes": len(data),
        "status": result.status,
        "created": result.created_count,
        "updated": result.updated_count,
        "unchanged": result.unchanged_count,
        "rejected": result.rejected_count,
        "seconds": round(seconds, 2),
        # This process's CPU only: the rest of the wall time is the database (and the load).
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        # The PostgreSQL backend's CPU over the same time (None when it cannot be read).
        "database_cpu_seconds": database_cpu_since(connection, database_cpu),
        "rows_per_second": round(rows / seconds),
        "rss_before_import_mb": round(rss_before / 1024),
        "peak_rss_mb": round(memory_kb("VmHWM") / 1024),
        "load_before": load_before,
        "load_after": load_average(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if args.kind == "votes":
        figures.update(resolutions=args.resolutions, members=args.members)
    if args.undo and not args.dry_run:
        figures.update(_undo(result, connection))
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"import-{args.kind}-{stamp}.json").write_text(json.dumps(figures, indent=2))
    return 0


def _undo(import_run, connection) -> dict:
    """Undo the import as the admin's button does: its check, then the undo itself."""
    from events.imports.undo import import_undo, undo_problems

    started = time.perf_counter()
    problems = undo_problems(import_run)
    checked = time.perf_counter()
    database_cpu = backend_cpu_seconds(connection)
    cpu_started = time.process_time()
    counts = import_undo(import_run=import_run, user=None)
    seconds = time.perf_counter() - checked
    return {
        "undo_check_seconds": round(checked - started, 2),
        "undo_problems": len(problems),
        "undo_seconds": round(seconds, 2),
        "undo_cpu_seconds": round(time.process_time() - cpu_started, 2),
        "undo_database_cpu_seconds": database_cpu_since(connection, database_cpu),
        "undo_rows_per_second": round(import_run.created_count / seconds),
        "undo_counts": counts,
        "undo_peak_rss_mb": round(memory_kb("VmHWM") / 1024),
    }


def _ensure_actors() -> None:
    """The actors the sheet's groups name, and the General Assembly."""
    from events.choices import ActorKind
    from events.models import Actor

    for slug, name, kind, iso3 in (
        ("united-states", "United States", ActorKind.STATE, "USA"),
        ("russia", "Russia", ActorKind.STATE, "RUS"),
        ("ukraine", "Ukraine", ActorKind.STATE, "UKR"),
        ("un-general-assembly", "United Nations General Assembly", ActorKind.ORGAN, None),
    ):
        if not Actor.objects.filter(slug=slug).exists():
            Actor.objects.create(
                slug=slug,
                name=name,
                kind=kind,
                iso3=iso3 if not Actor.objects.filter(iso3=iso3).exists() else None,
                voting_members=193 if kind == ActorKind.ORGAN else None,
            )


if __name__ == "__main__":
    sys.exit(main())
