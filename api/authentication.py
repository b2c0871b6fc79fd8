"""Who is calling: a personal API token, or a signed-in session that passed two-factor.

DRF authenticates inside the view, after ``audit.middleware.AuditContextMiddleware`` has run
with an anonymous user; a token caller is therefore attributed to the audit context here, so
the database triggers record who changed what, as they do for the pages.
"""

from rest_framework import authentication, exceptions

from audit import context as audit_context

from . import services


class AuditedTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (keys from /api/token/, stored hashed: ``services``)."""

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header.") from None
        user = services.token_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        audit_context.set_context(
            actor_id=user.pk,
            request_id=getattr(request._request, "audit_request_id", ""),
        )
        return (user, None)

    def authenticate_header(self, request):
        return self.keyword


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
