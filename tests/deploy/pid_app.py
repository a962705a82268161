"""A WSGI app that holds each request for ?hold= seconds and answers its worker's pid.

Served by gunicorn with deploy/gunicorn.conf.py in tests/deploy/test_workers.py, to see which
worker answered which request; Timeline's own requests are too quick to overlap reliably.
"""

import os
import time
from urllib.parse import parse_qs


def application(environ, start_response):
    hold = float(parse_qs(environ.get("QUERY_STRING", "")).get("hold", ["0"])[0])
    time.sleep(min(hold, 5))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
