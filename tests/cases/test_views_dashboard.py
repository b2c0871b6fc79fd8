"""Dashboard panels: my cases, my deadlines, my proposals; approvals and team cases."""

import pytest
from django.urls import reverse

from cases import services
from tests.cases.factories import complaint

pytestmark = pytest.mark.django_db


def dashboard(client, user, role):
    client.force_login(user)
    response = client.get(reverse("accounts:dashboard", args=[role]))
    assert response.status_code == 200
    return response.content.decode()


def test_investigator_panels(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)  # opens the 12-month clock
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None")
    services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    html = dashboard(client, alice, "investigator")
    assert "My cases" in html and case.reference in html
    assert "My proposals awaiting approval" in html
    assert "Referral to the IOPC not required" in html


def test_supervisor_sees_the_approval_count_and_team_cases(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None")
    services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    html = dashboard(client, bob, "supervisor")
    assert "Waiting for your approval" in html
    assert '<span class="big-number">1</span> proposal' in html
    assert case.reference in html


def test_appropriate_authority_panels(client, carol, alice):
    complaint(alice)
    html = dashboard(client, carol, "appropriate_authority")
    assert '<span class="big-number">0</span> proposals' in html
