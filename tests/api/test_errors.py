"""The API's exception handler: every refusal a service or the state machine raises becomes
a 4xx JSON answer with its reason, never a 500."""

import pytest
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework.exceptions import NotAuthenticated

from api.exceptions import handler
from psd.domain import DomainError, PermissionDenied, StaleObject


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (
            DomainError("Give a reason.", field="reason"),
            400,
            {"detail": "Give a reason.", "errors": {"reason": ["Give a reason."]}},
        ),
        (
            DomainError("Not now."),
            400,
            {"detail": "Not now.", "errors": {"non_field_errors": ["Not now."]}},
        ),
        (PermissionDenied("Not yours."), 403, {"detail": "Not yours."}),
        (StaleObject(), 409, {"detail": StaleObject().message}),
        (
            TransitionNotAllowed("nope"),
            400,
            {
                "detail": "This step is not allowed at this stage.",
                "errors": {"non_field_errors": ["This step is not allowed at this stage."]},
            },
        ),
        (ConcurrentTransition("raced"), 409, None),
        (NotAuthenticated(), 401, None),
    ],
)
def test_refusals_become_json_with_their_status(error, status, body):
    response = handler(error, {})
    assert response.status_code == status
    if body is not None:
        assert response.data == body
    assert response.data["detail"]


def test_anything_else_is_left_to_django():
    assert handler(ValueError("a bug"), {}) is None  # a real bug stays a 500, and is logged
