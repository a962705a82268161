"""The dataset round trip at scale (docs/benchmarks.md, "Dataset round trip").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench \\
        .venv/bin/python -m bench.roundtrip \\
        --into postgres://postgres@127.0.0.1:5432/timeline_bench_roundtrip [--all]

Exports the dataset of DATABASE_URL (`bench.export`), empties the second database (migrate,
then `flush`: no row at all, as in the round-trip test), imports the file there with
`manage.py import_data` (the command's path: full validation, history, one transaction), and
exports that database again. Reports each step's wall time, the import's rows/s and peak
resident memory, and whether the two files are byte-identical (their SHA-256). Both
databases' names must contain "bench"; the second one is emptied. Each step is its own
process, so each one's memory is its own. Results: bench/results/roundtrip-<time>.json.
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable


def run(command: list[str], database_url: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def children_peak_rss_mb() -> float:
    """The largest peak resident size of the steps run so far (Linux reports kB)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", required=True, help="the database to empty and import into")
    parser.add_argument("--all", action="store_true", help="include drafts (export_data --all)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go")
    args = parser.parse_args(argv)
    source = os.environ.get("DATABASE_URL", "")
    if "bench" not in source.rsplit("/", 1)[-1] or "bench" not in args.into.rsplit("/", 1)[-1]:
        print("Both databases' names must contain 'bench'.", file=sys.stderr)
        return 2
    if source == args.into:
        print("Import into another database than DATABASE_URL.", file=sys.stderr)
        return 2
    scope = ["--all"] if args.all else []
    folder = Path(tempfile.mkdtemp(prefix="roundtrip-"))
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    result: dict = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scope": "all" if args.all else "public",
        "load_before": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    export = [PYTHON, "-m", "bench.export", "-o"]
    seconds, out = run([*export, str(first), *scope, "--out", str(folder)], source)
    result["export"] = {"seconds": round(seconds, 1), **json.loads(out)["run"]}
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], args.into)
    run([*manage, "flush", "--noinput", "--verbosity", "0"], args.into)
    lines = sum(1 for _ in first.open("rb")) - 1
    seconds, _out = run([*manage, "import_data", str(first), "--format", "jsonl"], args.into)
    result["import"] = {
        "seconds": round(seconds, 1),
        "records": lines,
        "records_per_s": round(lines / seconds),
        "peak_rss_mb_of_any_step_so_far": children_peak_rss_mb(),
    }
    seconds, out = run([*export, str(second), *scope, "--out", str(folder)], args.into)
    result["export_again"] = {"seconds": round(seconds, 1), **json.loads(out)["run"]}
    result["identical_bytes"] = first.read_bytes() == second.read_bytes()
    result["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    (args.out / f"roundtrip-{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["identical_bytes"] else 1


if __name__ == "__main__":
    sys.exit(main())
