"""Every refusal as JSON ``{"detail": "...", "errors": {field: [...]}}``, never a 500.

A service's ``DomainError`` is a 400 (with its field when it names one), its
``PermissionDenied`` a 403 and ``StaleObject`` a 409; a transition the state machine refuses
is a 400, a concurrent one a 409.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from psd.domain import DomainError, PermissionDenied, StaleObject

NON_FIELD = "non_field_errors"


def _domain(exc: DomainError) -> exceptions.APIException:
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(exc.message)
    if isinstance(exc, StaleObject):
        return Conflict(exc.message)
    return exceptions.ValidationError({exc.field or NON_FIELD: [exc.message]})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed meanwhile: read it again and retry."
    default_code = "conflict"


def _flat(errors) -> str:
    """The first message in a (possibly nested) error structure, for ``detail``."""
    if isinstance(errors, dict):
        for value in errors.values():
            found = _flat(value)
            if found:
                return found
        return ""
    if isinstance(errors, list):
        for value in errors:
            found = _flat(value)
            if found:
                return found
        return ""
    return str(errors)


def handler(exc, context):
    if isinstance(exc, DomainError):
        exc = _domain(exc)
    elif isinstance(exc, TransitionNotAllowed):
        exc = exceptions.ValidationError({NON_FIELD: ["This step is not allowed at this stage."]})
    elif isinstance(exc, ConcurrentTransition):
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError({NON_FIELD: list(exc.messages)})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {NON_FIELD: data}
        body = {"detail": _flat(errors) or "Invalid input.", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else _flat(data)
        body = {"detail": str(detail)}
    return Response(body, status=response.status_code, headers=_headers(response))


def _headers(response) -> dict:
    return {
        name: response[name]
        for name in ("WWW-Authenticate", "Allow", "Retry-After")
        if response.has_header(name)
    }
