"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis).

Every operation gets generated requests (valid and invalid); every response must not be a
server error and must match the schema (status code, content type, headers, body). The
stateful run follows the schema's links (create a case -> read it -> its allegations...).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation.modes import GenerationMode

from api.services import token_rotate
from cases import services as case_services
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, conduct_matter

EXAMPLES = 40  # per operation and phase: ~11 operations, several hundred requests in all


@pytest.fixture
def api_world(alice, bob, team_a):
    """Data the caller (bob, supervisor of team A: every API permission but the vetting
    ones) can see: cases in several states, a pending proposal, people."""
    PersonFactory.create_batch(3)
    received = complaint(alice, supervisor=bob)
    recorded = conduct_matter(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=recorded)
    assessed = complaint(alice, supervisor=bob)
    case_services.case_record(actor=alice, case=assessed)
    case_services.case_assess_referral(
        actor=alice, case=assessed, criteria=[], rationale="None met"
    )
    case_services.case_propose_no_referral(actor=alice, case=assessed, rationale="None")
    return {"token": token_rotate(user=bob).key, "cases": [received, recorded, assessed]}


@pytest.fixture
def wsgi_app():
    """The real WSGI application, called in-process inside the test's transaction: as
    Django's test client does, requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_world, wsgi_app):
    headers = {"Authorization": f"Token {api_world['token']}"}
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)


# A schema-valid request may still break a rule the schema cannot state: a date in the
# future, an id that names nothing, a step the case's state does not allow, one date of a
# range without the other. Those answer 400 by design, so "valid data is accepted" is checked
# only where no such rule applies (the lists and reads).
RULE_BOUND = {"POST", "GET /api/statistics/"}


def _run(operation, mode: GenerationMode, headers: dict, counter: list) -> None:
    rule_bound = operation.method.upper() in RULE_BOUND or operation.label in RULE_BOUND
    excluded = [checks.positive_data_acceptance] if rule_bound else []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same requests on every run: CI failures reproduce
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        counter.append(1)
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


@pytest.mark.django_db
def test_every_operation_conforms_to_the_schema_and_never_errs(api_schema, api_world):
    headers = {"Authorization": f"Token {api_world['token']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 12
    failures, counter = [], []
    for operation in operations:
        for mode in GenerationMode:
            try:
                _run(operation, mode, headers, counter)
            except Unsatisfiable:
                # Nothing breaks the schema of this operation (one free-text path
                # parameter, no query or body): no negative request to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect all
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
    assert len(counter) >= 300, len(counter)
