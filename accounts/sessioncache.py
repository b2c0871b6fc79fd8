"""The signed-in user, their roles, permissions and verified device, cached per session
(issue 21: a lean request path).

Every page of a signed-in user used to load, before its own work, the user, the OTP device,
the groups and two permission queries. They are now one cache entry per session, read with
the versions it depends on in one cache round trip (``get_many``); a page then costs the
session row and the audit context only.

The entry holds the user as ``django.contrib.auth.get_user`` returned it, with Django's
permission caches (``_perm_cache`` …), the roles (``psd.roles``) and the device of the
session's two-factor verification. It is current while two versions are (``psd.cache``):

- the user's, renewed when the user row is saved or deleted, their groups or direct
  permissions change, or one of their two-factor devices is saved or deleted;
- the roles', renewed when a group is saved or deleted, a group's permissions change or a
  permission is deleted.

On every hit the session is still checked as Django checks it: the same user id, an
authentication backend still configured, and the session hash (so a password change signs
other sessions out). A cache failure means no caching: Django's own loading runs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from psd import cache as psd_cache
from psd.roles import user_roles

from .models import User

# Seconds an entry or version lives: bounds a change made outside the ORM.
TTL = 300
ROLES_VERSION = "roles"
_DEVICE = "_psd_session_device"  # (persistent id, device or None) on the cached user
_ENTRY = "_psd_session_entry"  # on the request: the entry's key and versions


def _user_version(user_id) -> str:
    return psd_cache.key("session-user", "version", str(user_id))


def _roles_version() -> str:
    return psd_cache.key("session-user", "version", ROLES_VERSION)


def _entry_key(session_key: str) -> str:
    return psd_cache.key("session-user", "entry", session_key)


def cached_user(request):
    """``django.contrib.auth.get_user(request)``, from the session's cache entry when it is
    current."""
    session = request.session
    user_id, session_key = session.get(SESSION_KEY), session.session_key
    if user_id is None or not session_key:
        return auth.get_user(request)
    keys = [_entry_key(session_key), _user_version(user_id), _roles_version()]
    found = psd_cache.quietly("get_many", keys, default={}) or {}
    versions = (found.get(keys[1]), found.get(keys[2]))
    entry = found.get(keys[0])
    if entry and None not in versions and entry["versions"] == versions:
        user = entry["user"]
        if _session_matches(session, user):
            request._psd_session_entry = (keys[0], versions)
            return user
    # The versions are read before the rows: a change committed after this read renews
    # them, so what is loaded below can never be stored under a version that follows it.
    versions = tuple(found.get(key) or psd_cache.version(key, TTL) for key in (keys[1], keys[2]))
    user = auth.get_user(request)
    if user.is_authenticated and all(versions):
        _load_everything(user, session.get(DEVICE_ID_SESSION_KEY))
        _store(keys[0], versions, user)
        request._psd_session_entry = (keys[0], versions)
    return user


def _session_matches(session, user) -> bool:
    """What Django's ``get_user`` checks on every request, against the cached user."""
    if str(user.pk) != str(session.get(SESSION_KEY)):
        return False
    if session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return False
    session_hash = session.get(HASH_SESSION_KEY)
    return bool(session_hash) and constant_time_compare(session_hash, user.get_session_auth_hash())


def _load_everything(user, persistent_id: str | None) -> None:
    """Fill the user's permission and role caches and attach the session's device."""
    ModelBackend().get_all_permissions(user)  # sets _perm_cache, _user_perm_cache, ...
    user_roles(user)  # sets _psd_roles
    setattr(user, _DEVICE, (persistent_id, _device(persistent_id)))


def _device(persistent_id: str | None):
    if not persistent_id:
        return None
    return Device.from_persistent_id(
        otp_middleware.OTPMiddleware._normalize_persistent_id(persistent_id)
    )


def _store(entry_key: str, versions: tuple, user) -> None:
    clean = {k: v for k, v in user.__dict__.items() if k not in ("otp_device", "is_verified")}
    copy = user.__class__.__new__(user.__class__)
    copy.__dict__.update(clean)
    psd_cache.quietly("set", entry_key, {"versions": versions, "user": copy}, TTL)


def session_device(request, user, persistent_id: str):
    """The device of the session's verification: the cached one when it is the session's,
    else loaded (and the entry updated)."""
    cached = getattr(user, _DEVICE, None)
    if cached and cached[0] == persistent_id:
        return cached[1]
    device = _device(persistent_id)
    setattr(user, _DEVICE, (persistent_id, device))
    entry = getattr(request, _ENTRY, None)
    if entry:
        _store(entry[0], entry[1], user)
    return device


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` from the session's cache entry."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's, with the verified device from the session's cache entry."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = session_device(request, user, persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
        return user


# --- invalidation ---------------------------------------------------------------------------


def forget_user(*user_ids) -> None:
    psd_cache.renew(*(_user_version(pk) for pk in user_ids if pk is not None), ttl=TTL)


def forget_roles() -> None:
    psd_cache.renew(_roles_version(), ttl=TTL)


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender, instance, **kwargs):
    forget_user(instance.pk)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups.add(...): the instance is the user
        forget_user(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): everyone in it
        forget_user(*instance.user_set.values_list("pk", flat=True))
    else:  # group.user_set.add(...): the users are pk_set
        forget_user(*(pk_set or ()))


@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)
@receiver(m2m_changed, sender=Group.permissions.through)
def _roles_changed(sender, **kwargs):
    forget_roles()


def device_changed(sender, instance, **kwargs):
    """Connected in AccountsConfig.ready() for every two-factor device model."""
    forget_user(instance.user_id)
