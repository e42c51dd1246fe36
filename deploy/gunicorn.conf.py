"""gunicorn for Idhini: ``gunicorn --config deploy/gunicorn.conf.py`` (the systemd unit
deploy/systemd/idhini-web.service does this), behind nginx (deploy/nginx/idhini.conf).

Sized for the two-core machine of DESIGN.md, where the Celery worker, PostgreSQL and Redis run
too: 3 sync workers by default. Sync, one thread each, because a worker forks its sandbox to
read an uploaded PDF or render a preview (forms_templates/printing/sandbox.py), and forking a
multi-threaded process is how locks end up held forever in the child; nginx buffers slow clients,
so a sync worker never waits on one. Set IDHINI_WEB_THREADS above 1 to get gthread workers anyway.

Measured with ``make bench-load`` (README, "Sized by the load test"): 3 sync workers x 1 thread,
with PostgreSQL connections kept CONN_MAX_AGE = 60 s (config/settings.py: one per worker, so a
psycopg pool would add nothing; it pays only with threads, and the prepared statements of
config/database.py live as long as the connection), served 50 Locust users with 0 errors at
49 requests/s, p95 230 ms, on a quiet 2-core machine that also ran PostgreSQL, Redis, the Celery
worker and Locust; 4 workers did worse there (p95 410 ms, in an earlier run).

Logs go through config/logs.py, as the application's do: one JSON object a line (the access
line carries the request id, the user and the document), to stderr or IDHINI_LOG_FILE.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import settings as idhini  # noqa: E402 - the environment, read and checked once
from config.env import env_int, env_str  # noqa: E402

wsgi_app = "config.wsgi:application"
chdir = str(ROOT)
bind = [b.strip() for b in env_str("IDHINI_WEB_BIND", "127.0.0.1:8000").split(",")]
workers = env_int("IDHINI_WEB_WORKERS", 3, minimum=1)
threads = env_int("IDHINI_WEB_THREADS", 1, minimum=1)
# Longer than a preview rendered in the request without a broker (IDHINI_PDF_RENDER_TIMEOUT,
# 60 s, then the seal); nginx waits a little longer still (proxy_read_timeout 95s).
timeout = env_int("IDHINI_WEB_TIMEOUT", 90, minimum=10)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests: WeasyPrint and pyHanko keep caches that grow
# (previews and uploaded PDFs are read in a forked sandbox, so slowly). Not sooner: a new worker
# costs about 2.6 s of a core (Django, the apps, the URLconf) and is one worker fewer while it
# starts. At 1,000 the 50-user load test replaced a worker every 30 s, a tenth of its web CPU.
max_requests = 10_000
max_requests_jitter = 1_000
# Only the local proxy may say which scheme and address a request came with.
forwarded_allow_ips = env_str("IDHINI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# The workers' heartbeat files on tmpfs: a slow disk never makes the master kill a live worker.
_SHM = Path("/dev/shm")  # noqa: S108 - gunicorn's own advice for its heartbeat files
worker_tmp_dir = str(_SHM) if _SHM.is_dir() else None
limit_request_line = 8190
limit_request_fields = 100

# The application's own LOGGING: gunicorn's lines look like Django's.
logconfig_dict = idhini.LOGGING
proc_name = "idhini-web"
