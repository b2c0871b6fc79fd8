"""What a guard may need to know about a case beyond its own row.

A service builds ``CaseFacts`` for the case it has locked: each fact is read when a guard
first asks for it. The case page hands the guards its ``PageState`` instead, which has the
same attributes already loaded, so offering an action costs no further query.
"""

from functools import cached_property

from django.contrib.contenttypes.models import ContentType

from deadlines.models import Deadline
from psd.rules import rule

from ..models import Case, CaseType, Decision, DecisionStatus, State, SubjectTrack


@rule(
    "A referral to the IOPC is required when a mandatory referral criterion applies, when the "
    "IOPC calls the matter in, and always for a death or serious injury matter.",
    "PRA 2002 Sch 3 paras 4, 13, 14C; C&M Regs 2020 reg 4(1)",
)
def referral_required(case: Case) -> bool:
    """A referral is required when the latest assessment found a mandatory criterion, when
    the IOPC called it in, or always for a DSI matter (PRA 2002 Sch 3 paras 4, 13, 14C)."""
    if case.case_type == CaseType.DSI:
        return True
    latest = case.referral_assessments.order_by("-assessed_at", "-id").first()
    if latest is None:
        return False
    return latest.called_in or latest.criteria.filter(mandatory=True).exists()


class CaseFacts:
    def __init__(self, case: Case, *, tracks: list[SubjectTrack] | None = None):
        self.case = case
        if tracks is not None:
            self.tracks = tracks

    @cached_property
    def tracks(self) -> list[SubjectTrack]:
        return list(self.case.tracks.select_related("person").order_by("pk"))

    @cached_property
    def pending(self) -> dict[str, Decision]:
        pending = self.case.decisions.filter(status=DecisionStatus.PENDING)
        return {d.kind: d for d in pending}

    @cached_property
    def suspension(self):
        """The open suspension of the investigation, if any."""
        return self.case.suspensions.filter(ended_on__isnull=True).first()

    @cached_property
    def has_allegations(self) -> bool:
        return self.case.allegations.exists()

    @cached_property
    def has_assessment(self) -> bool:
        return (
            self.case.state == State.REFERRAL_ASSESSMENT and self.case.referral_assessments.exists()
        )

    @cached_property
    def referral_required(self) -> bool:
        return self.case.state == State.REFERRAL_ASSESSMENT and referral_required(self.case)

    def open_deadline(self, kind: str, target) -> bool:
        return self._deadline_in(kind, target, "open")

    def running(self, kinds, target) -> list[Deadline]:
        """The open clocks of ``kinds`` running against ``target``."""
        return list(
            Deadline.objects.filter(
                kind__code__in=kinds,
                object_id=target.pk,
                status="open",
                content_type=ContentType.objects.get_for_model(target),
            )
        )

    def deadline_met(self, kind: str, target) -> bool:
        return self._deadline_in(kind, target, "met")

    def _deadline_in(self, kind: str, target, status: str) -> bool:
        return Deadline.objects.filter(
            kind__code=kind,
            object_id=target.pk,
            status=status,
            content_type=ContentType.objects.get_for_model(target),
        ).exists()


def facts_for(case: Case, facts=None):
    """The facts a guard was given, or lazily loaded ones for ``case``."""
    return facts if facts is not None else CaseFacts(case)
