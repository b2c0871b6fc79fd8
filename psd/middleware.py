"""Requests that must not become a 500: a refused action that escapes a view is shown as a
page with its reason; a disallowed Host header is a 400."""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from .domain import DomainError, PermissionDenied, StaleObject

logger = logging.getLogger(__name__)


class DomainErrorMiddleware:
    """Views normally catch DomainError and show it on their form; this is the backstop for
    one raised where no form can hold it (e.g. a record the current key cannot open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, PermissionDenied):
            status = 403
        elif isinstance(exception, StaleObject):
            status = 409
        else:
            status = 400
        return render(request, "domain_error.html", {"message": exception.message}, status=status)


class DisallowedHostMiddleware:
    """A request for a host not in ALLOWED_HOSTS (or a malformed Host header) is answered 400
    here, before any other middleware reads the host (issue 20: it was a 500, because later
    middleware asked for the host again while the 400 page was being made). The answer is a
    fixed text with no template, cookie or header taken from the request."""

    BODY = b"Bad request: unknown host.\n"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            logger.warning("Refused a request for a host not in ALLOWED_HOSTS")
            response = HttpResponseBadRequest(self.BODY, content_type="text/plain")
            response["Content-Security-Policy"] = "default-src 'none'"
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
