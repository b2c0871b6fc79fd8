"""Who may see which case, decided in SQL (never in Python loops).

Visibility (issue 4): an investigator sees cases assigned to them or to their team; a
supervisor sees their team's (and those of any team that names them its supervisor, issue
12); holders of ``cases.view_all_cases`` (PSD heads, the appropriate authority, auditors)
see all; explicit django-guardian grants add single cases. Whatever the
rule, a user who is a subject or a complainant of a case never sees it.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Team, User

from ..models import (
    AllegationSubject,
    Case,
    CaseNote,
    CaseUserObjectPermission,
    Complainant,
    NoteVisibility,
)


def _party_filter(user: User) -> Q:
    """Cases in which ``user`` is a subject or a complainant (through their Person record)."""
    subject = AllegationSubject.objects.filter(allegation__case=OuterRef("pk"), person__user=user)
    complainant = Complainant.objects.filter(case=OuterRef("pk"), person__user=user)
    return Q(Exists(subject)) | Q(Exists(complainant))


def cases_visible_to(user: User) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    if not user.has_perm("cases.view_case"):
        return Case.objects.none()
    cases = Case.objects.all()
    if not user.has_perm("cases.view_all_cases"):
        granted = CaseUserObjectPermission.objects.filter(
            user=user, permission__codename="view_case", content_object=OuterRef("pk")
        )
        # The supervised teams as a subquery, not a join to the team table: PostgreSQL then
        # filters the list's index scan without a team lookup per case.
        supervised = Team.objects.filter(supervisor=user).values("pk")
        rule = (
            Q(investigator=user)
            | Q(supervisor=user)
            | Q(team_id__in=supervised)
            | Q(Exists(granted))
        )
        if user.team_id:
            rule |= Q(team_id=user.team_id)
        cases = cases.filter(rule)
    return cases.exclude(_party_filter(user))


def case_is_visible_to(case: Case, user: User) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def user_is_party_to(case: Case, user: User) -> bool:
    return Case.objects.filter(pk=case.pk).filter(_party_filter(user)).exists()


def notes_visible_to(user: User, case: Case) -> QuerySet[CaseNote]:
    """The internal notes of ``case`` that ``user`` may read (issue 12), filtered in SQL.

    Everyone who may see the case reads "team" notes; "PSD heads only" notes need
    ``cases.view_all_cases``. A complainant, subject or anyone else who cannot see the case
    gets no notes at all, whatever channel asks (page, API, export): call this, never
    ``case.notes``.
    """
    if not case_is_visible_to(case, user):  # includes the subject/complainant exclusion
        return CaseNote.objects.none()
    notes = CaseNote.objects.filter(case=case)
    if not user.has_perm("cases.view_all_cases"):
        notes = notes.filter(visibility=NoteVisibility.TEAM)
    return notes.select_related("author")
