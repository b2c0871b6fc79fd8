"""Events the cases app announces to other apps, sent inside the transaction that caused them
(a rollback takes their consequences back too).

The apps that react build on cases (vetting imports cases), so cases cannot call them: the
consequences hang on these signals instead, and ``CONSEQUENCES`` names every one of them, so
they can be read where the event is sent. tests/cases/test_signals.py fails when a receiver is
connected that this list does not name, or a named one is not connected.
"""

from django.dispatch import Signal

# Sent by cases.services.decisions when a proposal of outcomes is approved (CR 2020 reg 42).
# kwargs: outcomes (list[Outcome], approved), actor
outcomes_approved = Signal()

# Sent by cases.services.appeals when an appeal's result is recorded (CR 2020 reg 47; Police
# Appeals Tribunals Rules 2020). kwargs: appeal, superseded (the Outcome replaced, or None when
# the appeal was dismissed), substituted (the Outcome now standing, or None), actor
appeal_decided = Signal()

# Sent by cases.services._core.transition_track after a subject's track moved (and was logged).
# kwargs: track (SubjectTrack), name (the transition), actor
track_transitioned = Signal()

# Sent by cases.services._core.close_case when a case ends early (withdrawn, discontinued).
# kwargs: case, name (the transition), actor
case_closed_early = Signal()

CONSEQUENCES: dict[Signal, list[str]] = {
    outcomes_approved: [
        # A final written warning or worse brings re-vetting forward (DOMAIN.md "Vetting"):
        # a conduct RevettingTrigger for the subject (vetting/revetting.py
        # conduct_outcome_trigger), once per outcome, none for someone who has left.
        "vetting.receivers.revetting_after_conduct_outcome",
    ],
    appeal_decided: [
        # The outcome now standing flows to vetting: a substituted final written warning or
        # worse raises re-vetting; the trigger of an outcome overturned or varied below that
        # is closed (vetting/revetting.py conduct_outcome_changed_on_appeal).
        "vetting.receivers.revetting_after_appeal",
    ],
    track_transitioned: [
        # An advisory-list entry about this subject calls for the further report once it is
        # determined that no proceedings will be brought (Police Act 1996 s88L(1)(a);
        # cases/services/lists.py after_track_change).
        "cases.receivers.advisory_after_track_change",
    ],
    case_closed_early: [
        # Withdrawn without being continued, or discontinued: s88L(1)(a)/(b) further reports
        # (cases/services/lists.py after_case_closed).
        "cases.receivers.advisory_after_case_closed",
    ],
}
