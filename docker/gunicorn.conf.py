"""gunicorn settings for psd (docker/Dockerfile, docker/compose.yml and ``make soak``).

    gunicorn -c docker/gunicorn.conf.py psd.wsgi:application

Every value can be overridden from the environment (GUNICORN_*). Settings that the installed
gunicorn does not know are ignored, so the file works with gunicorn 23 to 27.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 3)
# A worker silent for this long (a stuck request) is killed and replaced. The slowest page, the
# statistics for a whole financial year at national scale, takes a few seconds.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (docker stop, a deploy) workers stop accepting and finish the requests they hold
# for up to this long before they are killed. compose's stop_grace_period is longer.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# The workers' heartbeat files on tmpfs: on an overlay or network disk a slow write can make
# the arbiter think a healthy worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108

# gunicorn 25+ opens a control socket, by default at one path per user
# (~/.gunicorn/gunicorn.ctl) shared by every instance on the host: stopping one instance
# removed the socket of another. Off unless GUNICORN_CONTROL_SOCKET names a path of this
# instance's own.
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control
if _control:
    control_socket = _control

# Access log to stdout without the query string or the client's address (no personal data).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = "%(m)s %(U)s %(s)s %(L)ss"
