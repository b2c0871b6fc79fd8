"""Cases stored before the issue 18 rules that those rules would not have allowed, listed for a
person to review (``manage.py handling_review``). Nothing is changed or deleted here."""

from django.db.models import Exists, OuterRef, Q

from ..models import Action, Case, CaseType, Handling, Outcome, OutcomeStatus
from .outcomes import FINAL_WARNINGS, WARNINGS


def handling_problems(limit: int = 50) -> list[str]:
    """One line per case or outcome to review, with the rule it would now break."""
    lines = []
    unrecorded_grounds = (
        Case.objects.filter(
            handling=Handling.SCHEDULE_3,
            case_type__in=[CaseType.CONDUCT_MATTER, CaseType.RECORDABLE_CONDUCT_MATTER],
        )
        .exclude(handling_answers__has_key="recordable_grounds")
        .values_list("reference", flat=True)
    )
    lines += [
        f"{ref}: conduct matter recorded under Schedule 3 with no recorded ground (C&M Regs "
        "2020 reg 7(1); PRA 2002 Sch 3 para 11): check it was recordable."
        for ref in unrecorded_grounds[:limit]
    ]
    unanswered = (
        Case.objects.filter(handling=Handling.OUTSIDE_SCHEDULE_3)
        .exclude(handling_answers__has_key="outside_schedule_3")
        .values_list("reference", flat=True)
    )
    lines += [
        f"{ref}: handled outside Schedule 3 without answers to the PRA 2002 Sch 3 para "
        "2(6A)/(6B) questions: check none required recording."
        for ref in unanswered[:limit]
    ]
    # PRA 2002 Sch 3 para 2(6A)(a): a complainant's "yes" means the complaint must be recorded.
    wished = Case.objects.filter(
        handling=Handling.OUTSIDE_SCHEDULE_3, handling_answers__recording_wish__answer="yes"
    ).values_list("reference", flat=True)
    lines += [
        f"{ref}: handled outside Schedule 3 although the complainant asked for it to be "
        "recorded (PRA 2002 Sch 3 para 2(6A)(a)): record it."
        for ref in wished[:limit]
    ]
    live_fww = Outcome.objects.filter(
        track__person_id=OuterRef("track__person_id"),
        status=OutcomeStatus.APPROVED,
        action__in=FINAL_WARNINGS,
        effective_on__lte=OuterRef("effective_on"),
        live_until__gt=OuterRef("effective_on"),
    ).exclude(track_id=OuterRef("track_id"))
    warned = (
        Outcome.objects.filter(Q(action__in=WARNINGS), status=OutcomeStatus.APPROVED)
        .filter(Exists(live_fww))
        .values_list("allegation__case__reference", "allegation__number", "action")
    )
    lines += [
        f"{ref}: allegation {number}: “{Action(action).label}” was given while a final "
        "written warning was in force (CR 2020 reg 42): check it."
        for ref, number, action in warned[:limit]
    ]
    return lines
