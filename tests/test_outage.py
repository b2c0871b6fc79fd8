"""A backend outage (database, cache, task queue) answers 503 with Retry-After: JSON under
/api/, the 503 page elsewhere, naming the service in words and nothing of its internals.

The outages are real: the database and Redis are pointed at a closed port on 127.0.0.1, so
the drivers raise the errors they raise in production (connection refused)."""

import logging
import socket

import pytest
from django.db import connection
from django.db import utils as db_utils
from django.test import Client, override_settings
from rest_framework.test import APIClient

from api.services import token_rotate
from psd import outage
from psd.celery import app as celery_app
from reporting import receipt, tokens

INTERNALS = ("127.0.0.1", "Traceback", "Error", "refused", "psycopg", "redis.", "kombu")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_outage_json(response, service: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    detail = response.json()["detail"]
    assert detail.startswith(service)
    assert not any(word in detail for word in INTERNALS)


def assert_outage_page(response, service: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page and service in page
    assert not any(word in page for word in INTERNALS)


# --- the database ------------------------------------------------------------------------
@pytest.fixture
def database_down():
    """Every new connection of the test process goes to a closed port until the test ends."""
    if connection.vendor != "postgresql":
        pytest.skip("points PostgreSQL at a closed port (CI runs PostgreSQL)")
    params = connection.settings_dict
    saved = params["HOST"], params["PORT"]
    connection.close()
    params["HOST"], params["PORT"] = "127.0.0.1", str(closed_port())
    yield
    connection.close()
    params["HOST"], params["PORT"] = saved


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_api_with_the_database_down_answers_503_json(alice, database_down_after_login):
    api, _ = database_down_after_login
    assert_outage_json(api.get("/api/cases/"), outage.DATABASE)
    assert_outage_json(api.post("/api/cases/", {}, format="json"), outage.DATABASE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_with_the_database_down_show_the_503_page(alice, database_down_after_login):
    _, browser = database_down_after_login
    # The session is loaded by the middleware, before any view: the failure is there.
    assert_outage_page(browser.get("/cases/"), outage.DATABASE)
    assert_outage_page(browser.get("/statistics/"), outage.DATABASE)


@pytest.fixture
def database_down_after_login(alice, request):
    """A token client and a signed-in browser for alice, then the database goes away."""
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_rotate(user=alice).key}")
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)
    request.getfixturevalue("database_down")
    return api, browser


# --- the cache (Redis) ---------------------------------------------------------------------
@pytest.fixture
def cache_down(db):
    closed = f"redis://127.0.0.1:{closed_port()}/0"
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": closed,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=cache):
        yield


def test_a_page_that_needs_the_cache_shows_the_503_page_when_redis_is_down(cache_down):
    browser = Client(raise_request_exception=False)
    # A well-formed code with a fresh form token (a malformed one is refused before the cache
    # is asked); the token's single use is recorded in the cache.
    code = receipt.display(receipt.generate())
    response = browser.post("/report/follow-up/", {"code": code, "token": tokens.issue("code")})
    assert_outage_page(response, outage.CACHE)


def test_the_api_does_not_depend_on_the_cache(cache_down, alice):
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_rotate(user=alice).key}")
    assert api.get("/api/cases/").status_code == 200


# --- the task queue (the Celery broker) ----------------------------------------------------
@pytest.fixture
def broker_down():
    """Celery publishes to a closed port (not eagerly) until the test ends. Its connection
    pools are looked up by broker URL, so dropping the app's references is enough."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, conf.broker_connection_timeout

    def forget_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    forget_pools()
    conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    conf.task_always_eager = False
    conf.broker_connection_timeout = 1
    yield
    forget_pools()
    conf.broker_url, conf.task_always_eager, conf.broker_connection_timeout = saved


def publish_error() -> Exception:
    """The exception Celery raises when it cannot reach the broker."""
    from deadlines.tasks import sweep_deadlines

    try:
        sweep_deadlines.apply_async(retry=False)
    except Exception as error:  # noqa: BLE001 - whatever it is, the test inspects it
        return error
    raise AssertionError("published to a closed port")


def test_an_api_call_that_cannot_queue_its_task_answers_503_json(broker_down, alice, monkeypatch):
    error = publish_error()
    assert outage.unavailable_service(error) == outage.TASK_QUEUE

    def queue_fails(*args, **kwargs):
        raise error

    monkeypatch.setattr("api.views.CaseViewSet.list", queue_fails)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_rotate(user=alice).key}")
    assert_outage_json(api.get("/api/cases/"), outage.TASK_QUEUE)


def test_a_task_queued_after_commit_never_fails_the_saved_action(
    db, broker_down, django_capture_on_commit_callbacks, caplog
):
    """Work queued after commit (``delay_on_commit``: reminders, e-mails, exports) cannot undo
    the action that committed: the error is logged and the sweep (every five minutes) finds the
    due work in the database instead."""
    from deadlines.tasks import alert_deadline

    with (
        caplog.at_level(logging.WARNING, logger="deadlines.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_deadline.delay_on_commit(1)
    assert "broker unavailable: deadlines.alert_deadline not queued" in caplog.text


# --- the mapping itself --------------------------------------------------------------------
class _Cause(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


def _wrapped(sqlstate):
    error = db_utils.OperationalError("x")
    error.__cause__ = _Cause(sqlstate)
    return error


@pytest.mark.parametrize(
    ("error", "service"),
    [
        (_wrapped(None), outage.DATABASE),  # connection refused / timed out
        (_wrapped("08006"), outage.DATABASE),  # connection failure
        (_wrapped("57P01"), outage.DATABASE),  # administrator shutdown
        (_wrapped("53300"), outage.DATABASE),  # too many connections
        (db_utils.InterfaceError("connection already closed"), outage.DATABASE),
        (_wrapped("40P01"), None),  # a deadlock is not an outage
        (_wrapped("57014"), None),  # nor a statement timeout
        (db_utils.IntegrityError("x"), None),
        (ValueError("x"), None),
    ],
)
def test_which_errors_are_outages(error, service):
    assert outage.unavailable_service(error) == service


def test_any_other_api_error_is_json_500_without_internals(db, alice, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("api.views.CaseViewSet.list", broken)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_rotate(user=alice).key}")
    response = api.get("/api/cases/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Sorry, there is a problem with the service."}
