from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "vetting"
    verbose_name = "Vetting"

    def ready(self) -> None:
        from accounts import person_sections
        from audit.registry import track
        from psd.navigation import NavEntry, register

        from . import models, receivers  # noqa: F401 - connect signal receivers
        from .sections import vetting_section

        register(NavEntry("Vetting", "vetting:queue", "vetting.view_vettingapplication"))
        person_sections.register(vetting_section)
        for model in (
            models.Applicant,
            models.VettingApplication,
            models.CheckResult,
            models.ListMatchResolution,
            models.Appeal,
            models.Clearance,
            models.ClearanceEvent,
            models.RevettingTrigger,
        ):
            track(model)
