from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        _unregister_token_admin()


def _unregister_token_admin():
    """DRF's token admin lists every user's API key to staff: a key acts as its user, so
    only the user sees it, once (/api/token/), and rotates or revokes it there."""
    from django.contrib import admin
    from rest_framework.authtoken.models import TokenProxy

    if admin.site.is_registered(TokenProxy):
        admin.site.unregister(TokenProxy)
