import hashlib

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


def _sha256(text):
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _on_connection_created(sender, connection, **kwargs):
    from . import context

    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("psd_context", 1, context.sqlite_lookup)
        raw.create_function("psd_sha256", 1, _sha256, deterministic=True)
    elif connection.vendor == "postgresql":
        # A connection opened mid-request picks up the context already in force.
        context.push_to_connection(connection)


def _before_migrate(sender, using="default", **kwargs):
    from .triggers import drop_sqlite_triggers

    drop_sqlite_triggers(using)


def _after_migrate(sender, using="default", verbosity=1, **kwargs):
    from .dbroles import grant_after_migrate
    from .triggers import install_triggers

    install_triggers(using)
    done = grant_after_migrate(using)  # only when migrate runs as the owner role
    if done and verbosity:
        print(f"  audit: {done}")  # migrate's own progress output


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail and retention"

    def ready(self):
        from psd.navigation import NavEntry, register

        from . import checks, signals  # noqa: F401 - system checks, sign-in events

        connection_created.connect(_on_connection_created, dispatch_uid="audit_connection")
        pre_migrate.connect(_before_migrate, sender=self, dispatch_uid="audit_pre_migrate")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="audit_post_migrate")

        register(NavEntry("Audit", "audit:search", "audit.view_auditentry"))
        _unregister_otp_admin()


def _unregister_otp_admin():
    """django-otp's admin shows any user's TOTP secret (its QR "config" page) to staff with
    device permissions. Devices are managed by their owner (enrolment) and reset with the
    audited ``manage.py twofactor_reset``; the admin does not offer them."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
