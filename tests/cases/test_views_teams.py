"""Team pages (issue 12): the queue, the workload and the bulk handover form."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case
from deadlines.models import Deadline
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import complaint
from tests.reporting.factories import SubmittedReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def led_team(team_a, bob):
    team_a.supervisor = bob
    team_a.save()
    return team_a


def test_the_queue_shows_unassigned_cases_and_reports_routed_to_the_team(
    client, led_team, alice, bob, dave
):
    waiting = complaint(bob, unassigned=True)
    allocated = complaint(alice)
    led_team.receives_anonymous_reports = True
    led_team.save()
    report = SubmittedReportFactory().report
    assert report.team == led_team
    elsewhere = complaint(dave, unassigned=True)  # team B's queue

    client.force_login(bob)
    response = client.get(reverse("cases:team", args=[led_team.pk]))
    assert response.status_code == 200
    assert list(response.context["queue"]) == [waiting]
    [section] = response.context["sections"]  # registered by reporting
    assert list(section["reports"]) == [report]
    page = response.content.decode()
    assert waiting.reference in page and report.reference in page
    assert allocated.reference not in page and elsewhere.reference not in page


def test_a_supervisor_cannot_open_another_teams_page(client, led_team, team_b, bob, alice):
    client.force_login(bob)
    assert client.get(reverse("cases:team", args=[team_b.pk])).status_code == 404
    assert client.get(reverse("cases:teams")).url == reverse("cases:team", args=[led_team.pk])
    client.force_login(alice)
    assert client.get(reverse("cases:team", args=[led_team.pk])).status_code == 403


def test_workload_counts_open_cases_and_overdue_deadlines(client, led_team, alice, bob):
    anna = user_with_role(Role.INVESTIGATOR, "anna", team=led_team)
    complaint(alice)
    case = complaint(alice)
    services.case_record(actor=alice, case=case)
    # The 12-month clock made overdue (recording also starts the complainant's update clock).
    Deadline.objects.filter(owner=alice, kind__code="twelve_month_report").update(
        trigger_date=timezone.localdate() - datetime.timedelta(days=400),
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(bob)
    workload = client.get(reverse("cases:team", args=[led_team.pk])).context["workload"]
    rows = {u.username: (u.open_cases, u.overdue_deadlines) for u in workload}
    assert rows == {"alice": (2, 1), "anna": (0, 0)}
    assert anna.username in rows


def test_the_team_page_costs_the_same_queries_for_3_or_9_investigators(
    client, led_team, bob, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            user = user_with_role(
                Role.INVESTIGATOR, f"inv{Case.objects.count()}-{i}", team=led_team
            )
            complaint(user)
            complaint(bob, unassigned=True)

    url = reverse("cases:team", args=[led_team.pk])
    client.force_login(bob)
    add(3)
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(6)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["workload"]) == 9


def test_handover_form_moves_the_cases(client, led_team, alice, bob):
    anna = user_with_role(Role.INVESTIGATOR, "anna", team=led_team)
    first, second = complaint(alice), complaint(alice)
    client.force_login(bob)
    url = reverse("cases:team_handover", args=[led_team.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"from_user": alice.pk, "to_user": anna.pk, "reason": "Alice retires"}
    )
    assert response.status_code == 302
    assert set(Case.objects.values_list("investigator__username", flat=True)) == {"anna"}
    assert first.transitions.filter(name="assign", actor=bob).exists()
    assert second.transitions.filter(name="assign", actor=bob).exists()


def test_handover_form_refuses_with_a_reason_and_changes_nothing(client, led_team, alice, bob):
    sam = user_with_role(Role.SUPERVISOR, "sam", team=led_team)
    complaint(alice)
    client.force_login(bob)
    url = reverse("cases:team_handover", args=[led_team.pk])
    response = client.post(url, {"from_user": alice.pk, "to_user": alice.pk, "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" in page
    response = client.post(url, {"from_user": alice.pk, "to_user": sam.pk, "reason": "x"})
    assert response.status_code == 400  # not an investigator: not even offered
    response = client.post(url, {"from_user": alice.pk, "to_user": alice.pk, "reason": "x"})
    assert response.status_code == 400
    assert "Choose a different investigator" in response.content.decode()
    assert set(Case.objects.values_list("investigator__username", flat=True)) == {"alice"}


def test_teams_are_in_the_navigation_of_supervisors_only(client, led_team, alice, bob):
    client.force_login(bob)
    assert reverse("cases:teams") in client.get(reverse("cases:list")).content.decode()
    client.force_login(alice)
    assert reverse("cases:teams") not in client.get(reverse("cases:list")).content.decode()


def test_a_new_case_can_be_sent_to_the_team_queue_from_the_wizard(client, led_team, alice, bob):
    from tests.cases.test_views_wizard import add_allegation, start

    client.force_login(alice)
    response = start(client, case_type="conduct", source="internal", to_queue="on")
    assert response.status_code == 302, response.context["form"].errors
    assert add_allegation(client, PersonFactory()).status_code == 302
    assert "your team's queue" in client.get(reverse("cases:new_check")).content.decode()
    client.post(reverse("cases:new_check"))
    case = Case.objects.get()
    assert case.investigator is None and case.team == led_team and case.supervisor == bob
    client.force_login(bob)
    queue = client.get(reverse("cases:team", args=[led_team.pk])).context["queue"]
    assert list(queue) == [case]
