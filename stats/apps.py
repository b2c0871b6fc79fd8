from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from psd.navigation import NavEntry, register

        register(NavEntry("Statistics", "stats:statistics", "stats.view_statistics"))
