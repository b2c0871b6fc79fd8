"""Request middleware: audit context and request id, and refusal of oversize bodies."""

import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from . import context

REQUEST_ID_HEADER = "X-Request-ID"
logger = logging.getLogger(__name__)


class AuditContextMiddleware:
    """Attribute every change made while handling a request to its user and a request id.

    The id is returned in the ``X-Request-ID`` response header so a user reporting a problem
    can quote it and an auditor can find every change the request made. Place after
    ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = context.new_request_id()
        request.audit_request_id = request_id
        user = getattr(request, "user", None)
        actor_id = user.pk if user is not None and user.is_authenticated else None
        try:
            context.set_context(actor_id=actor_id, request_id=request_id)
        except Exception:  # noqa: BLE001 - the database is down: /healthz must still answer
            logger.warning("audit context not set: database unavailable")
        try:
            response = self.get_response(request)
        finally:
            try:
                context.clear()
            except Exception:  # noqa: BLE001 - as above; the next request sets it afresh
                logger.warning("audit context not cleared: database unavailable")
        response[REQUEST_ID_HEADER] = request_id
        return response


class MaxBodySizeMiddleware:
    """Refuse a request whose declared body exceeds ``PSD_MAX_REQUEST_BYTES`` with a 413 page.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds form fields (Django answers 400); this bounds the
    whole body, uploads included, before anything reads it. Place first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PSD_MAX_REQUEST_BYTES:
            limit_mb = settings.PSD_MAX_REQUEST_BYTES // (1024 * 1024)
            # Rendered without the request: no session or user has been loaded yet.
            page = render_to_string("413.html", {"limit_mb": limit_mb})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class SessionActivityMiddleware:
    """Idle timeout: ``SESSION_COOKIE_AGE`` counts from the user's last request.

    Instead of saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``, one
    UPDATE per page), the expiry slides at most once a minute. Place right after
    ``SessionMiddleware``.
    """

    TOUCH_EVERY_SECONDS = 60
    KEY = "_psd_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.TOUCH_EVERY_SECONDS:
                session[self.KEY] = now  # modified: saved with a fresh expiry and cookie
        return response
