from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Anonymous reporting"

    def ready(self):
        from accounts.navigation import NavEntry, register

        register(NavEntry("Anonymous reports", "reporting:triage_list", "reporting.triage_report"))
