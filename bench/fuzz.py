"""The long property-based run of the API: schemathesis against a real server (docs/operations.md).

    .venv/bin/python -m bench.fuzz                 # or: make fuzz
    .venv/bin/python -m bench.fuzz --max-examples 20 --max-time 120
    .venv/bin/python -m bench.fuzz --conformance    # or: make fuzz-conformance

The suite's tests/events/api/test_schemathesis.py runs a few examples per operation in
process; this runs at least 100 per operation over HTTP, positive and negative data, every
phase (the schema's examples, coverage of its edge values, random fuzzing, and stateful
sequences following the links schemathesis infers) and every check, twice: anonymously and
with an editor's token. The server is gunicorn with deploy/gunicorn.conf.py and DEBUG off, on
a throwaway SQLite copy of the demo data (the runs write), so nothing else is touched.
Output: schemathesis' own reports and a summary in bench/results/fuzz-<time>/.

`--conformance` is the shorter run that measures whether the schema and the API agree on which
requests are valid: anonymously, 10 examples per operation, the coverage and fuzzing phases,
positive and negative data, and only the input-conformance checks (ST201: a request the schema
forbids was accepted; ST202: a request the schema allows was rejected) with
not_a_server_error and status_code_conformance. Both runs read schemathesis.toml at the root,
which says why some 400s to well-formed requests are right.
"""

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.run import HOST, ROOT, Server, stop_servers, wait_until_up

PREPARE = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # pages (a 404 too) need it
from django.conf import settings
from django.contrib.auth.models import Group, User
editor = User.objects.create_user("fuzz-editor", password="fuzz-editor-password-9f3a")
editor.groups.add(Group.objects.get(name="Editor"))
if "knox" in settings.INSTALLED_APPS:  # hashed, expiring tokens
    from knox.models import AuthToken
    print(AuthToken.objects.create(editor)[1])
else:
    from rest_framework.authtoken.models import Token
    print(Token.objects.create(user=editor).key)
"""
PHASES = "examples,coverage,fuzzing,stateful"
CONFORMANCE_PHASES = "coverage,fuzzing"
CONFORMANCE_CHECKS = (
    "not_a_server_error,status_code_conformance,positive_data_acceptance,negative_data_rejection"
)


def prepare(env: dict) -> str:
    """Migrate and load the demo data into the throwaway database; the editor's token."""
    done = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    return done.stdout.strip().splitlines()[-1]


def serve(env: dict, port: int, work: Path, workers: int) -> Server:
    log = work / "gunicorn.log"
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         f"--bind={HOST}:{port}", f"--workers={workers}", "--threads=4",
         f"--access-logfile={work / 'access.log'}", f"--error-logfile={log}"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server("timeline", port, process, log)
    wait_until_up(server)
    return server


def schemathesis(args, port: int, work: Path, name: str, headers: list[str]) -> dict:
    report = work / f"{name}.ndjson"
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file", str(args.config), "run", str(work / "schema.json"),
        "--url", f"http://{HOST}:{port}/", "--checks", args.checks, "--mode", "all",
        "--phases", args.phases, "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        "--workers", str(args.st_workers), "--no-color", "--request-timeout", "30",
        "--suppress-health-check", "all", "--generation-database", "none",
        "--report", "ndjson,junit", "--report-ndjson-path", str(report),
        "--report-junit-path", str(work / f"{name}.xml"),
    ]  # fmt: skip
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    for header in headers:
        command += ["--header", header]
    started = time.monotonic()
    with (work / f"{name}.txt").open("w") as out:
        code = subprocess.run(command, cwd=work, stdout=out, stderr=subprocess.STDOUT).returncode
    seconds = round(time.monotonic() - started)
    text = (work / f"{name}.txt").read_text()
    return {"run": name, "exit": code, "seconds": seconds, **summarise(text)}


def summarise(text: str) -> dict:
    """The figures schemathesis prints in its summary at the end of a run."""
    summary = text.rsplit(" SUMMARY ", 1)[-1]
    tested = re.search(r"^\s*Tested: (\d+)", summary, re.M)
    cases = re.search(r"^Test cases:\s*\n\s*(.+)$", summary, re.M)
    failures = dict(re.findall(r"^\s*❌ (ST\d+ [^:\n]+): (\d+)$", summary, re.M))
    errors = dict(re.findall(r"^\s*🚫 ([^:\n]+): (\d+)$", summary, re.M))
    return {
        "operations": int(tested[1]) if tested else None,
        "cases": cases[1].strip() if cases else None,
        "failures": {name: int(count) for name, count in failures.items()},
        "errors": {name: int(count) for name, count in errors.items()},
        "server_errors": int(failures.get("ST101 Server error", 0)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conformance", action="store_true", help="input conformance only")
    parser.add_argument("--max-examples", type=int, default=None, help="per operation")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "schemathesis.toml",
        help="schemathesis' configuration; /dev/null shows what the repository's accepts",
    )  # fmt: skip
    parser.add_argument("--max-time", type=int, default=0, help="seconds per run; 0: no limit")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--port", type=int, default=8831)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--st-workers", type=int, default=2, help="schemathesis workers")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    if args.max_examples is None:
        args.max_examples = 10 if args.conformance else 100
    args.checks = CONFORMANCE_CHECKS if args.conformance else "all"
    args.phases = CONFORMANCE_PHASES if args.conformance else PHASES

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = (args.out / f"fuzz-{stamp}").resolve()
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "fuzz-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{work / 'timeline.sqlite3'}",
        "TIMELINE_VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "API_ANON_THROTTLE_RATE": "1000000000/second",  # the API's answers, not the throttle's
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "timeline.settings",
    }
    for name in ("REDIS_URL", "DATABASE_REPLICA_URLS"):
        env.pop(name, None)
    token = prepare(env)
    server = serve(env, args.port, work, args.workers)
    runs = []
    try:
        # Fetched once, patiently: building the schema takes seconds on a busy machine, longer
        # than schemathesis waits for it.
        with urllib.request.urlopen(server.url("/api/schema/?format=json"), timeout=300) as got:
            (work / "schema.json").write_bytes(got.read())
        identities = [("anonymous", [])]
        if not args.conformance:
            identities.append(("editor", [f"Authorization: Token {token}"]))
        for name, headers in identities:
            runs.append(schemathesis(args, args.port, work, name, headers))
            print(json.dumps(runs[-1]), flush=True)
    finally:
        stop_servers({"timeline": server})
    log = server.log.read_text()
    summary = {
        "started": stamp,
        "max_examples": args.max_examples,
        "phases": args.phases,
        "checks": args.checks,
        "runs": runs,
        "gunicorn_tracebacks": log.count("Traceback"),
    }
    (work / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {work}/summary.json; schemathesis' output in {work}/*.txt", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
