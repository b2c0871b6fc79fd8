"""Dashboard panels: my cases, my deadlines, my proposals; approvals and team cases."""

import datetime
import re

import pytest
from django.urls import reverse

from cases import services
from deadlines.models import DeadlineKind
from tests.cases.factories import complaint
from tests.deadlines.factories import DeadlineFactory

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
    assert '<span class="psd-figure">1</span> proposal' in html
    assert case.reference in html


def test_appropriate_authority_panels(client, carol, alice):
    complaint(alice)
    html = dashboard(client, carol, "appropriate_authority")
    assert '<span class="psd-figure">0</span> proposals' in html


def test_the_supervisor_sees_workload_and_overdue_charts_for_their_team(client, alice, bob):
    complaint(alice, supervisor=bob)
    complaint(alice, supervisor=bob)
    DeadlineFactory(
        kind=DeadlineKind.objects.get(code="proceedings_fixed"),
        owner=alice,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
    )
    html = dashboard(client, bob, "supervisor")
    assert "Workload: open cases by investigator" in html
    assert "Overdue deadlines by investigator" in html
    rows = re.findall(r'<li class="psd-bars__row">(.*?)</li>', html, re.S)
    text = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert f"{alice} 2 open cases" in text
    assert f"{alice} 1 overdue deadline" in text
    assert 'class="psd-bars__bar psd-w-100"' in html  # the busiest fills the chart


def test_an_investigator_sees_no_team_charts(client, alice, bob):
    complaint(alice, supervisor=bob)
    assert "Workload: open cases by investigator" not in dashboard(client, alice, "investigator")
