"""A refused action that escapes a view is shown as a page with its reason, never a 500."""

from django.shortcuts import render

from .domain import DomainError, PermissionDenied, StaleObject


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
