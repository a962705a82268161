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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable


def run(command: list[str], database_url: str, **env: str) -> tuple[float, str, float]:
    """Run one step; its wall time, its output and its own peak resident size in MB (from
    wait4: Linux reports kB)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", **env}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
        if process.returncode:
            err.seek(0)
            print(text[-4000:], err.read().decode()[-4000:], sep="\n", file=sys.stderr)
            raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, text, round(usage.ru_maxrss / 1024, 1)


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
    seconds, out, _rss = run([*export, str(first), *scope, "--out", str(folder)], source)
    result["export"] = {"seconds": round(seconds, 1), **json.loads(out)["run"]}
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], args.into)
    run([*manage, "flush", "--noinput", "--verbosity", "0"], args.into)
    lines = sum(1 for _ in first.open("rb")) - 1
    # The command on the server takes a file of any size (IMPORT_MAX_UPLOAD_MB, importing.md).
    size_mb = str(first.stat().st_size // 1_000_000 + 1)
    seconds, _out, rss = run(
        [*manage, "import_data", str(first), "--format", "jsonl"],
        args.into,
        IMPORT_MAX_UPLOAD_MB=size_mb,
    )
    result["import"] = {
        "seconds": round(seconds, 1),
        "records": lines,
        "records_per_s": round(lines / seconds),
        "peak_rss_mb": rss,
    }
    seconds, out, _rss = run([*export, str(second), *scope, "--out", str(folder)], args.into)
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
