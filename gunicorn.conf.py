"""gunicorn settings, read by `gunicorn -c gunicorn.conf.py ump_portal.wsgi`.

Everything that differs between `make serve` and a container comes from the
environment:

- GUNICORN_BIND: address to listen on (default 127.0.0.1:$PORT, PORT default 8000;
  the Dockerfile sets 0.0.0.0:8000);
- GUNICORN_WORKERS (or WEB_CONCURRENCY): worker processes (default 2 x cores + 1);
- GUNICORN_TIMEOUT: seconds a request may take before its worker is replaced (30);
- GUNICORN_MAX_REQUESTS / GUNICORN_MAX_REQUESTS_JITTER: a worker is replaced after
  this many requests plus a random share of the jitter (20000 plus up to 20000), so
  that a slow leak could never pile up. A new worker first renders the main pages
  (post_worker_init below), which costs a few CPU-seconds, so workers are replaced
  rarely; and the jitter is as wide as the base because the workers start together
  and share the load evenly: a narrow one would have them all restart in the same
  second, leaving nobody to answer;
- GUNICORN_FORWARDED_ALLOW_IPS: proxies trusted for X-Forwarded-* (127.0.0.1).

The access log goes to stdout and gunicorn's own log to stderr, one line each;
the access line carries the X-Request-ID that Django's log lines carry too.
"""

import multiprocessing
import os
from pathlib import Path


def _int(name, default):
    return int(os.environ.get(name) or default)


wsgi_app = "ump_portal.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"]

default_workers = os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1
workers = _int("GUNICORN_WORKERS", default_workers)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 20000)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
)

# No control socket: by default it lives in $HOME/.gunicorn, which is not writable
# for the image's user and is shared by every gunicorn of one user on a machine.
control_socket_disable = True

# Heartbeat files in memory, not on a container's overlay file system (gunicorn's
# own advice for Docker); they hold no data, so a shared folder is no risk.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
if Path(SHARED_MEMORY).is_dir():
    worker_tmp_dir = SHARED_MEMORY


def post_worker_init(worker):
    """Render the main pages once before the worker accepts connections (see
    ump_portal/warm_up.py), so that no visitor waits for a cold worker."""
    from ump_portal.warm_up import warm_up

    warm_up(worker.wsgi)


def on_starting(server):
    """Load the search analysers' dictionaries (search/analysers.py: Polish about 32 MB,
    Ukrainian a few) in the master, once: the workers forked from it read the same
    memory instead of each loading a copy on its first search."""
    from search.analysers import polish, ukrainian

    polish("Kraków")
    ukrainian("Краків")
