"""Keeping each complainant informed: one clock per complainant (deadline kind
``complainant_update``; its period and citation are data, deadlines migration 0005).

The clock opens when the complaint is recorded (or a complainant is added to a recorded,
open complaint), is met and restarted by every update sent (a letter or a recorded note), and
stops when the case closes. ``receivers`` call ``case_changed``/``complainant_added`` from
the case's own transition log inside the same transaction.
"""

import datetime

from django.urls import reverse

from cases.models import Case, Complainant, State
from deadlines import services as deadlines
from deadlines.models import Deadline
from psd.rules import clock

KIND = "complainant_update"
# Transitions after which the complainant must be kept informed again (handling restarts).
STARTS = {"record", "record_after_outside", "review_upheld"}


def _label(complainant: Complainant) -> str:
    who = "anonymous complainant" if complainant.anonymous else str(complainant)
    return f"{complainant.case.reference}: update {who}"


def _open(complainant: Complainant, trigger: datetime.date) -> None:
    case = complainant.case
    deadline = deadlines.deadline_open(
        kind=KIND,
        target=complainant,
        trigger_date=trigger,
        owner=case.investigator,
        escalate_to=case.supervisor,
        label=_label(complainant),
    )
    if not deadline.url:  # a complainant has no page: reminders link to the case's letters
        url = reverse("correspondence:case_letters", args=[case.reference])
        Deadline.objects.filter(pk=deadline.pk).update(url=url)


def is_running(case: Case) -> bool:
    return case.is_complaint and case.recorded_on is not None and not case.is_closed


def case_changed(case: Case, *, name: str, on: datetime.date, actor=None) -> None:
    """React to one transition of ``case`` (see ``STARTS`` and ``State.closed``)."""
    if not case.is_complaint:
        return
    complainants = list(case.complainants.order_by("pk"))
    if name in STARTS:
        for complainant in complainants:
            _open(complainant, on)
    elif case.state in State.closed():
        for complainant in complainants:
            deadlines.deadline_cancel(
                kind=KIND, target=complainant, actor=actor, reason="Case closed"
            )


def complainant_added(complainant: Complainant, on: datetime.date) -> None:
    if is_running(complainant.case):
        _open(complainant, on)


def update_sent(complainant: Complainant, *, case: Case, on: datetime.date, actor) -> bool:
    """Meet the running clock and start the next interval from ``on``. False when no clock
    was running (e.g. before recording, or after the case closed)."""
    met = deadlines.deadline_meet(kind=KIND, target=complainant, actor=actor, when=on)
    if met is None:
        return False
    if is_running(case):
        _open(complainant, on)
    return True


clock(
    KIND,
    "Each complainant is told of the progress of the handling within four weeks (28 days) of "
    "its start, then within four weeks of the previous notification: one clock per "
    "complainant, started when the complaint is recorded (or the handling restarts after an "
    "upheld review), met and restarted by every update sent, stopped when the case closes.",
    "C&M Regs 2020 reg 34(2)(a)",
    verified=True,
    where=case_changed,
)
