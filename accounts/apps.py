from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and personnel"

    def ready(self):
        from audit.registry import track

        from .models import GrantRequest
        from .navigation import NavEntry, register

        track(GrantRequest)  # every proposal and decision is on the trail (issue 20)
        register(NavEntry("Grants", "accounts:grants", "accounts.manage_grants"))
