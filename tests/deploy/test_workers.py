"""Gunicorn, as deploy/ configures it behind nginx, gives each request to a worker with a free
thread: two requests at once are answered by two workers, never queued behind each other in
one while the other idles (gunicorn's defaults let a busy worker accept, and nginx's kept-alive
upstream connections stay with the worker that took them)."""

import concurrent.futures
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench import nginx as bench_nginx
from bench.nginx import DEPLOY, HOST, free_port, stop, wait_for_port
from tests.deploy.conftest import ROOT, _require
from tests.deploy.helpers import https_get

pytestmark = pytest.mark.deploy

HOLD = 0.6


@dataclass
class PidProxy:
    https_port: int

    def tls(self):
        return ssl._create_unverified_context()  # the test's own self-signed certificate


@pytest.fixture(scope="module")
def two_workers_behind_nginx(tmp_path_factory):
    nginx, openssl = _require("nginx", "nginx-light"), _require("openssl", "openssl")
    work = tmp_path_factory.mktemp("deploy-workers")
    port = free_port()
    log = work / "gunicorn.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c", str(DEPLOY / "gunicorn.conf.py"),
            f"--bind={HOST}:{port}", "--workers=2", "--threads=1",
            "--access-logfile=-", f"--error-logfile={log}",
            "tests.deploy.pid_app:application",
        ],
        cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, process, log)
        with bench_nginx.running_nginx(port, work, work, nginx=nginx, openssl=openssl) as running:
            proxy = PidProxy(running.https_port)
            deadline = time.monotonic() + 30
            pids = set()
            while len(pids) < 2 and time.monotonic() < deadline:  # both workers have booted
                with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                    pids |= set(pool.map(lambda _: _pid(proxy, hold=0.2), range(2)))
            yield proxy
    finally:
        stop(process)


def _pid(proxy, hold: float) -> int:
    answer = https_get(proxy, f"/held?hold={hold}", timeout=10)
    assert answer.status == 200, answer.body[:300]
    return int(answer.body)


def test_two_requests_at_once_are_answered_by_two_workers(two_workers_behind_nginx):
    for _ in range(6):
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            pids = list(pool.map(lambda _: _pid(two_workers_behind_nginx, HOLD), range(2)))
        elapsed = time.monotonic() - started
        assert len(set(pids)) == 2, f"both requests went to worker {pids[0]}"
        assert elapsed < 2 * HOLD  # side by side, not one after the other


def test_requests_beyond_the_threads_wait_for_a_free_one_and_are_shared_out(
    two_workers_behind_nginx,
):
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        pids = list(pool.map(lambda _: _pid(two_workers_behind_nginx, HOLD), range(4)))
    elapsed = time.monotonic() - started
    # A worker holds one request per thread: the two that waited went one to each worker.
    assert sorted(pids.count(pid) for pid in set(pids)) == [2, 2]
    assert elapsed < 3 * HOLD
