from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from accounts import person_sections
        from accounts.navigation import NavEntry, register

        from . import receivers  # noqa: F401 - connect signal receivers
        from .views.people import person_cases_section

        register(NavEntry("Cases", "cases:list", "cases.view_case"))
        register(NavEntry("Approvals", "cases:approvals", "cases.approve_decision"))
        register(NavEntry("Barred & advisory lists", "cases:lists", "cases.view_barredlistentry"))
        person_sections.register(person_cases_section)
