"""Four-eyes proposals: the approval queue and one proposal, filtered by what the user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import User

from ..models import ComplaintResult, Decision, Outcome, SubjectTrack
from .visibility import cases_visible_to


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


def approval_list(*, user: User) -> list[Decision]:
    """Proposals the user could approve, with what they would approve (the outcome per
    allegation and subject, the case-to-answer decision per officer, the complainant's
    result), in a fixed number of queries."""
    decisions = list(
        decisions_awaiting(user=user)
        .select_related("case__investigator")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("allegation", "track__person__rank"),
            ),
            Prefetch("case__tracks", queryset=SubjectTrack.objects.select_related("person__rank")),
        )
    )
    for decision in decisions:
        describe_payload(decision, decision.case.tracks.all())
    return decisions


LEVELS = {"misconduct": "misconduct", "gross": "gross misconduct"}


@dataclass
class Answer:
    """One subject's case-to-answer decision in a proposal: for what (``level``: misconduct
    or gross misconduct, when the proposal says) and whether proceedings follow."""

    track: SubjectTrack | None
    name: str
    case_to_answer: bool
    level: str = ""
    proceedings: bool | None = None

    @property
    def text(self) -> str:
        """ "Case to answer for gross misconduct, no proceedings" / "No case to answer"."""
        if not self.case_to_answer:
            return "No case to answer"
        text = "Case to answer"
        if self.level:
            text += f" for {LEVELS.get(self.level, self.level)}"
        if self.proceedings is False:
            text += ", no proceedings"
        return text


def describe_payload(decision: Decision, tracks) -> Decision:
    """Set ``decision.answers`` (case to answer per subject, with their severity) and
    ``decision.result_label`` from the proposal's payload, for the page to show."""
    payload = decision.payload or {}
    by_pk = {str(t.pk): t for t in tracks}
    levels, proceedings = payload.get("levels", {}), payload.get("proceedings", {})
    decision.answers = [
        Answer(
            by_pk.get(pk),
            by_pk[pk].person.rank_and_name if pk in by_pk else "A subject",
            bool(value),
            levels.get(pk) or "",
            proceedings.get(pk),
        )
        for pk, value in payload.get("answers", {}).items()
    ]
    result = payload.get("result") or ""
    known = result in ComplaintResult.values
    decision.result_label = ComplaintResult(result).label if known else ""
    sent = payload.get("outcome_sent_on")
    decision.sent_on = datetime.date.fromisoformat(sent) if sent else None
    return decision


def decision_get(*, user: User, pk: int) -> Decision | None:
    return (
        Decision.objects.filter(pk=pk, case__in=cases_visible_to(user))
        .select_related("case", "proposed_by")
        .first()
    )
