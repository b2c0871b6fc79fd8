"""Appeals and police staff outcomes recorded before issue 18 that the corrected rules would
not have allowed, for a person to review. Read-only: nothing is changed or deleted.

    manage.py appeals_review

- An appeal recorded as a subject's state ("PAT appeal", offered from any outcome, with no
  window) became an Appeal record with no outcome (migration 0006): say which outcome it was
  against and whether it was in time.
- An appeal against an outcome no appeal lies against (CR 2020 reg 45(1); PAT Rules 2020
  r3(1)): not proven, not from a meeting or hearing, or a member of police staff.
- A member of police staff given Conduct Regulations disciplinary action in a 2020-regime case
  (CR 2020 reg 4(1): their outcomes come from the force's staff outcome list).
"""

from django.core.management.base import BaseCommand

from cases.models import Action, Appeal, Outcome, OutcomeStatus, Regime
from cases.services.appeals import appeal_kind_for
from cases.services.staff import STAFF_ROLE_TYPES


def findings() -> list[str]:
    found = []
    appeals = Appeal.objects.select_related("track__case", "track__person", "outcome__track")
    for appeal in appeals.order_by("pk"):
        where = f"appeal {appeal.pk} ({appeal.track.case.reference}, {appeal.track.person})"
        if appeal.outcome is None:
            found.append(f"{where}: no outcome recorded — say which outcome it is against")
        elif appeal_kind_for(appeal.outcome) is None and appeal.outcome.status == "approved":
            found.append(f"{where}: no appeal lies against “{appeal.outcome}”")
    staff = (
        Outcome.objects.filter(
            status=OutcomeStatus.APPROVED,
            track__person__role_type__in=STAFF_ROLE_TYPES,
            allegation__case__regime=Regime.R2020,
            staff_outcome__isnull=True,
        )
        .exclude(action__in=[Action.NONE, Action.LEARNING, Action.WOULD_HAVE_BEEN_DISMISSED])
        .select_related("allegation__case", "track__person")
    )
    for outcome in staff.order_by("pk"):
        found.append(
            f"outcome {outcome.pk} ({outcome.allegation.case.reference}, "
            f"{outcome.track.person}): police staff given “{outcome.get_action_display()}” "
            "— choose the outcome from the staff disciplinary list"
        )
    return found


class Command(BaseCommand):
    help = (
        "Report appeals and police staff outcomes the corrected rules (CR 2020 regs 4(1), 45; "
        "PAT Rules 2020) would not have allowed. Read-only."
    )

    def handle(self, *args, **options):
        found = findings()
        self.stdout.write(f"{len(found)} record(s) to review; nothing was changed.")
        for line in found:
            self.stdout.write(f"- {line}")
