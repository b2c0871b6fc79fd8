"""Keep the anonymous reporting pages from identifying their visitors.

``AnonymityMiddleware`` runs first. For paths under ``/report/`` it deletes the client address,
forwarding headers, user agent, referrer and cookies from ``request.META`` before any other
middleware, view or logger sees them (throttling does not use them: ``throttle``); on the
way out it drops every cookie and sets ``Cache-Control: no-store`` and
``Referrer-Policy: no-referrer``.

``AnonymousRequestFilter`` (logging) and ``AnonymousExceptionReporterFilter`` (error reports)
make sure a failure on these pages does not carry the request into a log line or an e-mail.
"""

import logging

from django.views.debug import SafeExceptionReporterFilter

PUBLIC_PREFIX = "/report/"

IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_COOKIE",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
)


def is_anonymous_path(path: str) -> bool:
    return (path or "").startswith(PUBLIC_PREFIX)


def _path_of(request) -> str:
    return getattr(request, "path", "") or ""


class AnonymityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_path(request.path):
            return self.get_response(request)
        for key in IDENTIFYING_META:
            request.META.pop(key, None)
        # Keep the WSGI environ (shared with the server) consistent with META.
        environ = getattr(request, "environ", None)
        if environ is not None and environ is not request.META:
            for key in IDENTIFYING_META:
                environ.pop(key, None)
        request.COOKIES = {}
        response = self.get_response(request)
        response.cookies.clear()
        if "Set-Cookie" in response.headers:
            del response.headers["Set-Cookie"]
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Pragma"] = "no-cache"
        # No cookies, so no Vary; and no per-request id that could link this response to
        # other records made at the same moment.
        for header in ("Vary", "X-Request-ID"):
            if header in response.headers:
                del response.headers[header]
        return response


class AnonymousRequestFilter(logging.Filter):
    """Scrub log records about anonymous reporting requests down to the bare event.

    The record keeps its level and a fixed message, but loses the request object (headers,
    body), arguments and traceback locals, so no handler (console, AdminEmailHandler, a future
    monitoring hook) can see what the request carried.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and is_anonymous_path(_path_of(request)):
            record.request = None
            record.msg = "Anonymous reporting request: %s (details withheld)"
            record.args = (getattr(record, "status_code", "error"),)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


class AnonymousExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports about ``/report/`` requests show no POST data, headers or local variables."""

    def _anonymous(self, request) -> bool:
        return request is not None and is_anonymous_path(_path_of(request))

    def get_post_parameters(self, request):
        if self._anonymous(request):
            return {}
        return super().get_post_parameters(request)

    def get_safe_request_meta(self, request):
        if self._anonymous(request):
            return {}
        return super().get_safe_request_meta(request)

    def get_safe_cookies(self, request):
        if self._anonymous(request):
            return {}
        return super().get_safe_cookies(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        if self._anonymous(request):
            return []
        return super().get_traceback_frame_variables(request, tb_frame)
