"""nginx keeps slow clients away from gunicorn, whose one thread would otherwise wait on them."""

import concurrent.futures
import threading
import time

import pytest

from tests.deploy.helpers import direct_get, https_get, https_request, stalled_upload

pytestmark = pytest.mark.deploy

ORDINARY = "/api/v1/events/?page_size=5"


def test_it_answers_ordinary_requests_while_slow_clients_stall_their_uploads(proxy):
    stalled = [stalled_upload(proxy.https_port, proxy.tls()) for _ in range(8)]
    try:
        time.sleep(0.5)  # the uploads have reached nginx
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
            answers = list(pool.map(lambda _: https_get(proxy, ORDINARY, timeout=8), range(10)))
        elapsed = time.monotonic() - started
    finally:
        for sock in stalled:
            sock.close()
    assert [answer.status for answer in answers] == [200] * 10
    # Under nginx's client_body_timeout (10 s): without buffering, gunicorn's one thread would
    # be held until nginx dropped the stalled clients.
    assert elapsed < 8


def test_one_stalled_upload_sent_straight_to_gunicorn_blocks_it_which_is_why_nginx_is_there(
    backend, proxy
):
    stalled = stalled_upload(backend.port)
    try:
        time.sleep(0.5)
        with pytest.raises(TimeoutError):
            direct_get(backend, ORDINARY, timeout=2)
        # Meanwhile the same request through nginx waits too (the one thread is taken), so the
        # protection is nginx holding bodies, not more capacity behind it.
    finally:
        stalled.close()
    # The stalled client gone, gunicorn serves again.
    assert direct_get(backend, ORDINARY, timeout=10).status == 200
    assert https_get(proxy, ORDINARY, timeout=10).status == 200


def test_it_refuses_a_body_over_djangos_upload_limit_before_reading_it(proxy, settings):
    too_big = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    answer = https_request(
        proxy, "POST", "/api/v1/events/",
        {"Content-Type": "application/json", "Content-Length": str(too_big)},
    )  # fmt: skip
    assert answer.status == 413
    assert answer.headers["Content-Type"] == "application/json"  # like every /api/ error
    assert "larger than 2.5 MiB" in answer.json()["detail"]


def test_its_body_limit_is_djangos_upload_limit(settings):
    from tests.deploy.conftest import DEPLOY

    site = (DEPLOY / "nginx" / "timeline.conf").read_text()
    assert f"client_max_body_size {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024}k;" in site


def test_it_limits_password_attempts_on_the_admin_login_per_client(proxy):
    """16 guesses at once: 1 at the rate and 3 more pass, 7 wait in nginx (a guessing loop
    idles there), and the 5 beyond the queue are refused without reaching gunicorn."""
    statuses, lock = [], threading.Lock()

    def guess():
        try:
            answer = https_request(
                proxy, "POST", "/admin/login/",
                {"Content-Type": "application/x-www-form-urlencoded"},
                b"username=admin&password=wrong", timeout=4.5,
            )  # fmt: skip
            status = answer.status
        except TimeoutError:
            status = "waiting"
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The 4 that pass reach Django (403: no CSRF token here). On a very slow machine one may
    # outlast the timeout too, so "waiting" is at least the 7 that nginx holds.
    assert statuses.count(429) == 5, statuses
    assert statuses.count("waiting") >= 7, statuses
    assert all(s == 403 for s in statuses if s not in (429, "waiting")), statuses
    assert https_get(proxy, "/admin/login/").status == 200  # showing the form is not limited


def test_with_gunicorn_down_api_clients_get_json_and_a_time_to_retry(backend, tmp_path):
    from dataclasses import replace

    from tests.deploy.conftest import free_port, running_nginx

    nothing_there = replace(backend, port=free_port())
    with running_nginx(nothing_there, tmp_path) as proxy:
        api = https_get(proxy, "/api/v1/events/")
        page = https_get(proxy, "/")
    assert api.status == 503
    assert api.headers["Content-Type"] == "application/json"
    assert api.headers["Retry-After"] == "30"
    assert "try again" in api.json()["detail"]
    assert page.status == 502  # pages keep nginx's own error page
