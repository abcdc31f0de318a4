"""gunicorn settings for production (``make serve``; README "Production").

Every value can be overridden on the command line (``gunicorn -c gunicorn.conf.py -w 8 …``)
or through the environment variables read below.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys

# Behind the reverse proxy (nginx, a load balancer) on the same host by default.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
# Several worker processes; WEB_CONCURRENCY is gunicorn's conventional variable.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Threaded workers (gthread): a worker serves `threads` requests at once while others wait on the
# database (the request-number row lock, the audit chain), and idle keep-alive connections wait in
# its poller instead of holding a worker — a sync worker serves one connection at a time, so 200
# clients queued behind 4 of them (p95 6.2 s in issue 19). bench/load.py measures the choice:
# on a 2-core host one worker per core with 4 threads (WEB_CONCURRENCY=2 GUNICORN_THREADS=4)
# served more than 4 x 2 — the app is CPU-bound Python, so processes beyond the cores only add
# switches, and more threads only GIL switches inside the numbering and audit sections.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request that runs longer than this is killed (big imports run as background jobs).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On restart (SIGHUP/SIGTERM) workers finish their requests for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A keep-alive connection is closed after this many requests (as nginx's `keepalive_requests`),
# so connections spread over the workers again. Without it, when a worker is recycled
# (max_requests below) the clients it served reconnect while its successor is still starting,
# all land on the workers still up, and stay there: the fresh worker idles while one worker
# serves every connection on its one core (bench/request_detail.py saw the throughput halve
# for the rest of a run after a recycling).
max_keepalive_requests = int(os.environ.get("GUNICORN_MAX_KEEPALIVE_REQUESTS", "100"))
# Recycle workers now and then (bounded memory growth), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The proxy's address: only it may set X-Forwarded-Proto (https) for gunicorn. The app
# trusts X-Forwarded-For (client address, used by the rate limits) when TRUSTED_PROXIES is set.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log on stdout, errors on stderr (the service manager collects both).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "charity-platform"

# Load the app once in the master: a configuration error stops start-up before any worker
# forks, and workers share the loaded code. Nothing opens a database connection while the
# app is built; post_fork still drops any pooled connection a worker inherited, so no two
# processes ever share one socket.
preload_app = True


def post_fork(server, worker):
    from core.extensions import db
    from wsgi import app

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)  # forget the parent's connections without closing them


def pre_request(worker, req):
    worker.log.debug("%s %s", req.method, req.path)  # gunicorn's own pre_request
    if req.req_number >= max_keepalive_requests:
        req.must_close = True  # answered with "Connection: close" (max_keepalive_requests)


def worker_exit(server, worker):
    """A worker that ends (recycled after max_requests, or stopped) leaves without Python's
    interpreter teardown: freeing every object of the app one by one touched each memory page
    the worker shared with the master, copying them all — 1.3 s of a core per recycled worker,
    more than its 2,000 requests cost together (bench/README.md, "Request detail served"). The
    jobs' threads have been waited for by then (Python joins them before its exit functions);
    the pooled database connections are closed and the logs flushed, then the process ends with
    the status it was ending with."""
    ending = sys.exc_info()[1]  # the SystemExit gunicorn is raising (this hook runs in its finally)
    code = ending.code if isinstance(ending, SystemExit) else (1 if ending else 0)
    atexit.register(_end_at_once, code if isinstance(code, int) else (0 if code is None else 1))
    server.log.info("Worker %s will end without the interpreter's teardown", worker.pid)


def _end_at_once(code: int) -> None:
    served = sys.modules.get("wsgi")  # the platform's app (another app served: nothing to close)
    try:
        if served is not None:
            from core.extensions import db

            with served.app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
    finally:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
