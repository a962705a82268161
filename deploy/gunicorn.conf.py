"""Gunicorn's settings for Timeline behind nginx (docs/operations.md).

    gunicorn -c deploy/gunicorn.conf.py

Threads (gthread) rather than more processes: most of a request's time is spent waiting on
PostgreSQL, and a thread costs far less memory than a worker. nginx in front buffers whole
requests and answers, so a thread is only ever busy with Django's own work. GUNICORN_BIND,
GUNICORN_WORKERS and GUNICORN_THREADS override the defaults; the command line overrides all.
"""

import os

wsgi_app = "timeline.wsgi:application"

# Under systemd the socket comes from deploy/systemd/timeline.socket (LISTEN_FDS), not bind.
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/timeline/gunicorn.sock")]
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A worker silent for 30 s is killed and replaced; nginx waits 35 s (proxy_read_timeout).
timeout = 30
# On SIGTERM or a reload (SIGHUP), requests in flight get 25 s to finish; systemd waits 30.
graceful_timeout = 25
# A worker takes a connection only when it has a thread free for it, and closes it after the
# answer (nginx opens one per request: a Unix socket connect costs microseconds). Otherwise a
# worker whose threads are all busy still accepts, and kept-alive connections stay with the
# worker that took them: under load the kernel handed a burst of them all to one of two
# workers in about a third of the benchmark's runs, which left one core idle while the
# other's threads queued for one interpreter (docs/benchmarks.md, 5 December 2026).
keepalive = 0


def on_starting(server):
    # Here rather than as a plain setting, so that it follows --threads on the command line.
    server.cfg.set("worker_connections", server.cfg.threads)


# Requests come from nginx on this machine, which sets X-Forwarded-Proto itself.
forwarded_allow_ips = "127.0.0.1,::1"
# The control interface (gunicornc) is not used; it would otherwise write under $HOME.
control_socket_disable = True

accesslog = "-"
# The forwarded chain is logged whole: its last entry is the client nginx saw.
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
