from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines and notifications"

    def ready(self) -> None:
        from psd.navigation import NavEntry, register

        from . import receivers  # noqa: F401 - connects the unread-count receivers

        register(NavEntry("Deadlines", "deadlines:list", "deadlines.view_deadline"))
