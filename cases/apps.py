from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from accounts.navigation import NavEntry, register

        from . import receivers  # noqa: F401 - connect signal receivers

        register(NavEntry("Barred & advisory lists", "cases:lists", "cases.view_barredlistentry"))
