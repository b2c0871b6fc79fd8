from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Anonymous reporting"

    def ready(self):
        from cases import team_sections
        from psd.navigation import NavEntry, register

        from .sections import team_reports_section

        team_sections.register(team_reports_section)
        register(NavEntry("Anonymous reports", "reporting:triage_list", "reporting.triage_report"))
