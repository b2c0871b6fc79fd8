"""Sign-in and sign-out are audit events (who opened a session, and failed attempts)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import audit_event


@receiver(user_logged_in, dispatch_uid="audit_logged_in")
def _logged_in(sender, request, user, **kwargs):
    audit_event(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_event(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django masks the password in ``credentials``; only the username is kept.
    username = str(credentials.get("username", ""))[:150]
    audit_event(actor=None, action="auth.login_failed", target_label=username)
