"""Routing (issue 12): a new report lands in the queue of the team that receives them; other
teams' supervisors cannot open it, PSD heads can; unrouted reports stay in the shared list."""

import pytest
from django.urls import reverse

from psd.roles import Role
from reporting.models import ReportEvent
from tests.accounts.factories import user_with_role
from tests.reporting.factories import SubmittedReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(team_a, team_b):
    team_b.receives_anonymous_reports = True
    team_b.save()
    return SubmittedReportFactory().report


def test_a_new_report_goes_to_the_receiving_team(routed, team_b):
    assert routed.team == team_b


def test_without_a_receiving_team_reports_are_shared(db):
    assert SubmittedReportFactory().report.team is None


def test_another_teams_supervisor_gets_404_and_reads_nothing(client, routed, bob):
    client.force_login(bob)  # supervisor of team A
    for name in ("triage_detail", "triage_ask", "triage_close", "triage_events"):
        assert client.get(reverse(f"reporting:{name}", args=[routed.pk])).status_code == 404
    listing = client.get(reverse("reporting:triage_list")).content.decode()
    assert routed.reference not in listing
    assert not ReportEvent.objects.exists()


def test_the_receiving_teams_supervisor_and_psd_heads_open_it(client, routed, team_b, carol):
    tess = user_with_role(Role.SUPERVISOR, "tess", team=team_b)
    for user in (tess, carol):
        client.force_login(user)
        assert client.get(reverse("reporting:triage_detail", args=[routed.pk])).status_code == 200
        listing = client.get(reverse("reporting:triage_list")).content.decode()
        assert routed.reference in listing and team_b.name in listing
