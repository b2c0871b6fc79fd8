"""Who is calling: a personal API token, or a signed-in session that passed two-factor.

DRF authenticates inside the view, after ``audit.middleware.AuditContextMiddleware`` has run
with an anonymous user; a token caller is therefore attributed to the audit context here, so
the database triggers record who changed what, as they do for the pages.
"""

from rest_framework import authentication, exceptions

from audit import context as audit_context


class AuditedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` (keys from /api/token/)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            audit_context.set_context(
                actor_id=user.pk,
                request_id=getattr(request._request, "audit_request_id", ""),
            )
        return result


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The pages' session, only once two-factor verified (as ``OTPRequiredMiddleware`` asks of
    every page); CSRF-checked for writes."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            raise exceptions.AuthenticationFailed(
                "Two-factor verification is required: verify your sign-in, or use a token."
            )
        self.enforce_csrf(request)
        return (user, None)
