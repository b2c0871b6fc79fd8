from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from accounts import person_sections
        from psd.navigation import NavEntry, register

        from . import receivers  # noqa: F401 - connect signal receivers
        from .views.people import person_cases_section

        register(NavEntry("Cases", "cases:list", "cases.view_case"))
        register(NavEntry("Approvals", "cases:approvals", "cases.approve_decision"))
        register(NavEntry("Teams", "cases:teams", "cases.approve_decision"))
        register(NavEntry("Barred & advisory lists", "cases:lists", "cases.view_barredlistentry"))
        person_sections.register(person_cases_section)
        self._track_changes()

    def _track_changes(self) -> None:
        """Every create/update/delete on case records goes to the audit trail (issue 10)."""
        from audit.registry import track

        from . import models

        for model in (
            models.Case,
            models.CaseTransition,
            models.Complainant,
            models.Allegation,
            models.AllegationSubject,
            models.SubjectTrack,
            models.Outcome,
            models.Decision,
            models.ReferralAssessment,
            models.IOPCReferral,
            models.ReviewRequest,
            models.CriminalReferral,
            models.ReflectivePractice,
            models.BarredListEntry,
            models.AdvisoryListEntry,
            models.CaseNote,
            models.CaseDocument,
            models.CaseUserObjectPermission,
            models.CaseGroupObjectPermission,
        ):
            track(model)
