"""The pieces of deploy/ agree with each other: one socket, timeouts that nest."""

import configparser
import re
import runpy

import pytest

from tests.deploy.conftest import DEPLOY

pytestmark = pytest.mark.deploy


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / name)
    return unit


@pytest.fixture
def gunicorn_conf(monkeypatch) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def _nginx(directive: str) -> str:
    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    return re.search(rf"^\s*{directive}\s+([^;{{\n]+);", site, re.M)[1]


def test_nginx_systemd_and_gunicorn_name_the_same_socket(gunicorn_conf):
    socket_path = _unit("timeline.socket")["Socket"]["ListenStream"]
    assert _nginx("server") == f"unix:{socket_path} fail_timeout=0"
    assert gunicorn_conf["bind"] == [f"unix:{socket_path}"]
    assert _unit("timeline.service")["Unit"]["Requires"] == "timeline.socket"


def test_the_service_runs_the_gunicorn_config_in_deploy(gunicorn_conf):
    start = _unit("timeline.service")["Service"]["ExecStart"]
    assert start.endswith("/deploy/gunicorn.conf.py")
    assert gunicorn_conf["wsgi_app"] == "timeline.wsgi:application"
    assert gunicorn_conf["worker_class"] == "gthread"


def test_timeouts_nest_so_the_inner_one_answers_first(gunicorn_conf):
    seconds = int(_nginx("proxy_read_timeout").rstrip("s"))
    assert seconds > gunicorn_conf["timeout"]
    stop = int(_unit("timeline.service")["Service"]["TimeoutStopSec"])
    assert stop > gunicorn_conf["graceful_timeout"]


def test_the_link_check_timer_runs_check_links_with_options_it_accepts():
    from django.core.management import load_command_class

    service = _unit("timeline-check-links.service")["Service"]
    assert _unit("timeline-check-links.timer")["Timer"]["OnCalendar"]
    _program, manage, command, *options = service["ExecStart"].split()
    assert (manage, command) == ("manage.py", "check_links")
    parsed = load_command_class("events", "check_links").create_parser("manage.py", command)
    parsed = parsed.parse_args(options)
    assert (parsed.older_than, parsed.limit) == (20, 2000)
    worker = _unit("timeline-worker.service")["Service"]["ExecStart"]
    assert worker.endswith("manage.py db_worker")


def test_a_worker_takes_one_connection_per_thread_whatever_the_command_line_says(gunicorn_conf):
    from gunicorn.config import Config

    class Arbiter:
        cfg = Config()

    Arbiter.cfg.set("threads", 3)  # as --threads=3 would
    gunicorn_conf["on_starting"](Arbiter)
    assert Arbiter.cfg.worker_connections == 3
    # and closes each after its answer: nginx opens one per request, nothing is kept alive
    assert gunicorn_conf["keepalive"] == 0
    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    assert not re.search(r"^\s*keepalive\s", site, re.M)
