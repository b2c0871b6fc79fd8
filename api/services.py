"""A user's own API token: issue (or rotate) and revoke, each audited; and the check of a
presented key. Keys are stored hashed (``accounts.models.ApiToken``), expire after
``PSD_API_TOKEN_DAYS`` days and record when they were last used."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from audit.services import audit_event

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Issued:
    key: str  # shown once, never stored
    token: ApiToken


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_rotate(*, user) -> Issued:
    """A new key for ``user``; the old one (if any) stops working at once."""
    replaced = ApiToken.objects.filter(user=user).delete()[0] > 0
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + datetime.timedelta(days=settings.PSD_API_TOKEN_DAYS),
    )
    audit_event(
        actor=user,
        action="api.token_rotated" if replaced else "api.token_issued",
        obj=user,
        data={"prefix": token.prefix, "expires_at": token.expires_at},
    )
    return Issued(key=key, token=token)


@transaction.atomic
def token_revoke(*, user) -> bool:
    revoked = ApiToken.objects.filter(user=user).delete()[0] > 0
    if revoked:
        audit_event(actor=user, action="api.token_revoked", obj=user)
    return revoked


def token_user(key: str):
    """The active user whose unexpired token this is (None otherwise); notes the use."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(key), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
