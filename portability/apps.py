from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "portability"
    verbose_name = "Data export and import"

    def ready(self) -> None:
        from psd.navigation import NavEntry, register

        register(NavEntry("Data export", "portability:exports", "portability.export_data"))
