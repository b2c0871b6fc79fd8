"""Every state change and decision of a case is in the audit trail: who, what, why."""

import pytest

from audit.models import AuditEntry, AuditKind
from cases import services
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def test_transition_and_decision_are_audited_with_actor_and_reason(alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case, reason="Meets the definition of a complaint")
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    decision = services.case_propose_no_referral(actor=alice, case=case, rationale="None met")
    services.decision_approve(actor=bob, decision=decision, reason="Agreed")

    record = AuditEntry.objects.get(kind=AuditKind.EVENT, action="case.record")
    assert record.actor == alice
    assert record.reason == "Meets the definition of a complaint"
    assert record.data == {"from": "received", "to": "recorded"}
    approved = AuditEntry.objects.get(kind=AuditKind.EVENT, action="decision.approved")
    assert approved.actor == bob and approved.reason == "Agreed"


def test_case_rows_are_captured_by_the_change_triggers(alice):
    case = complaint(alice)
    changes = AuditEntry.objects.filter(
        kind=AuditKind.CHANGE, table_name="cases_case", object_pk=str(case.pk)
    )
    assert changes.filter(action="insert").exists()
