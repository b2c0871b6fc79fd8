"""A backend that is down answers 503 with ``Retry-After``, never a 500 with a traceback page.

The database, the cache (Redis) and the task queue (the Celery broker on Redis) can each be
unreachable. Any request that needs one of them then fails with that library's connection
error, and it can fail anywhere: in the session or authentication middleware (loading the
signed-in user), in a view, in the API's authentication, in a template. Django turns an
exception raised inside a middleware into a response right there, so no middleware further
out ever sees it; the one place every uncaught exception reaches, with the exception still
being handled, is the 500 handler. ``server_error`` is that handler (``psd.urls.handler500``):

- an outage answers **503** with ``Retry-After`` and a sentence naming the service in words
  ("The database is not answering"), no exception text, host or port;
- under ``/api/`` (or for a client that asks for JSON only) the body is the API's error shape
  ``{"detail": "..."}``; pages get ``503.html``, rendered without the request (its context
  processors would need the database that is down);
- anything else is the usual 500 page.

The full error still goes to the server log (``django.request`` logs every 5xx with its
traceback). ``/healthz`` checks the backends itself and keeps answering 503 with its own body.
"""

import sys

import redis.exceptions
from django.db import utils as db_utils
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from kombu import exceptions as kombu_exceptions

RETRY_AFTER_SECONDS = 30

DATABASE = "The database is not answering"
CACHE = "The cache (Redis) is not answering"
TASK_QUEUE = "The task queue (Redis) is not answering"

# PostgreSQL SQLSTATEs that mean "no usable server" rather than a bad statement: class 08
# (connection exception), 57P01-57P03 (shut down, crashed, not accepting connections yet) and
# 53300 (too many connections). A deadlock or a statement timeout is not an outage: it stays
# a 500 (and the services retry what can be retried).
_UNAVAILABLE_STATES = ("57P01", "57P02", "57P03", "53300")


def _database_down(exc: BaseException) -> bool:
    if isinstance(exc, db_utils.InterfaceError):
        return True  # the connection is closed or unusable
    if not isinstance(exc, db_utils.OperationalError):
        return False
    state = getattr(exc.__cause__, "sqlstate", None)
    # No SQLSTATE: the client could not reach the server (refused, timed out, reset), or
    # SQLite could not open its file.
    return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES


def unavailable_service(exc: BaseException | None) -> str | None:
    """The sentence naming the backend ``exc`` says is down, or None if it is no outage."""
    if exc is None:
        return None
    if _database_down(exc):
        return DATABASE
    if isinstance(exc, kombu_exceptions.OperationalError):
        return TASK_QUEUE  # kombu wraps the broker's connection errors when publishing
    if isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
        return CACHE
    return None


def wants_json(request) -> bool:
    if request.path_info.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "html" not in accept


def outage_response(request, service: str) -> HttpResponse:
    message = f"{service}. Please try again in a minute."
    if wants_json(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """handler500: Django calls it while the uncaught exception is being handled."""
    service = unavailable_service(sys.exc_info()[1])
    if service is not None:
        return outage_response(request, service)
    if wants_json(request):
        return JsonResponse({"detail": "Sorry, there is a problem with the service."}, status=500)
    return HttpResponseServerError(loader.get_template(template_name).render())
