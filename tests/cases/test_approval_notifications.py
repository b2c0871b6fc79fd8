"""Issue 22: an approver's "awaits approval" notification is marked read once the proposal is
decided, so the header badge no longer counts work that is done."""

import pytest

from cases import services
from deadlines.models import Notification
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def proposal(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    return services.case_propose_no_referral(actor=alice, case=case, rationale="None met")


def awaiting(user):
    return Notification.objects.filter(recipient=user, title__endswith="awaits approval")


def test_approving_marks_the_approvers_notification_read(alice, bob):
    decision = proposal(alice, bob)
    assert awaiting(bob).get().read_at is None
    services.decision_approve(actor=bob, decision=decision)
    assert awaiting(bob).get().read_at is not None


def test_refusing_marks_it_read_and_a_new_proposal_notifies_afresh(alice, bob):
    decision = proposal(alice, bob)
    services.decision_refuse(actor=bob, decision=decision, reason="Criterion 3 applies")
    assert awaiting(bob).get().read_at is not None
    services.case_propose_no_referral(actor=alice, case=decision.case, rationale="Looked again")
    assert awaiting(bob).filter(read_at__isnull=True).count() == 1
