"""Reads of cases, always filtered by what the user may see (in SQL, never in Python loops).

Visibility (issue 4): an investigator sees cases assigned to them or to their team; a
supervisor sees their team's (and those of any team that names them its supervisor, issue
12); holders of ``cases.view_all_cases`` (PSD heads, the appropriate authority, auditors)
see all; explicit django-guardian grants add single cases. Whatever the
rule, a user who is a subject or a complainant of a case never sees it.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from rapidfuzz import fuzz

from accounts.models import Team, User

from .models import (
    AdvisoryListEntry,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseNote,
    CaseUserObjectPermission,
    Complainant,
    Decision,
    ListStatus,
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


def case_get(*, user: User, reference: str) -> Case:
    """The case, or Case.DoesNotExist when it does not exist *or* the user may not see it."""
    return (
        cases_visible_to(user)
        .select_related("investigator", "supervisor", "team", "created_by")
        .get(reference=reference)
    )


def decisions_awaiting(*, user: User) -> QuerySet[Decision]:
    """Proposals this user could approve: visible cases, proposed by someone else."""
    if not user.has_perm("cases.approve_decision"):
        return Decision.objects.none()
    return (
        Decision.objects.filter(status="pending", case__in=cases_visible_to(user))
        .exclude(proposed_by=user)
        .exclude(case__investigator=user)  # four-eyes: not their own investigation's work
        .select_related("case", "proposed_by")
        .order_by("proposed_at", "id")
    )


def _name_score(forename: str, surname: str, entry) -> float:
    """Fuzzy similarity of two names (0-100): token-sorted, so word order does not matter."""
    return fuzz.token_sort_ratio(
        f"{forename} {surname}".lower(), f"{entry.forename} {entry.surname}".lower()
    )


def list_lookup(
    *, forename: str, surname: str, date_of_birth: datetime.date | None, threshold: int = 85
) -> list:
    """Barred and advisory list entries that may be this person: same date of birth (when
    known on both sides) and a fuzzy name match. Removed entries are ignored."""
    matches = []
    for model in (BarredListEntry, AdvisoryListEntry):
        entries = model.objects.exclude(status=ListStatus.REMOVED)
        if date_of_birth:
            entries = entries.filter(Q(date_of_birth=date_of_birth) | Q(date_of_birth=None))
        else:
            entries = entries.filter(surname__istartswith=surname[:2])
        for entry in entries:
            score = _name_score(forename, surname, entry)
            if score >= threshold:
                matches.append((score, entry))
    matches.sort(key=lambda pair: -pair[0])
    return [entry for _, entry in matches]
