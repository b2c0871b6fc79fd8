"""The case page: visibility, content, the actions offered, and a pinned query count."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Severity
from tests.accounts.factories import PersonFactory
from tests.cases.factories import complaint, to_handling_decided
from tests.cases.test_views_list import count_queries

pytestmark = pytest.mark.django_db


def offered(response) -> set[str]:
    return {a.spec.name for a in response.context["case_actions"]} | {
        a.spec.name for a in response.context["record_actions"]
    }


def test_case_page_shows_summary_allegations_subjects_and_timeline(client, alice):
    officer = PersonFactory(forename="Nadia", surname="Okafor")
    case = complaint(alice, officer)
    client.force_login(alice)
    page = client.get(case.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Complaint about an arrest" in html
    assert "Allegation 1" in html and "Okafor" in html
    assert "Case logged" in html  # the creation transition, on the timeline
    assert 'class="govuk-skip-link"' in html


def test_case_user_may_not_see_is_404(client, alice, dave, eve, victor):
    case = complaint(alice)
    client.force_login(dave)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:detail", args=["PSD-1999-000001"])).status_code == 404
    client.force_login(victor)  # no case permission at all
    assert client.get(case.get_absolute_url()).status_code == 403
    client.force_login(eve)  # auditor sees every case, read only
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert offered(response) == set()


def test_subject_of_a_case_never_sees_it(client, alice, bob):
    officer = PersonFactory(user=bob)
    case = complaint(alice, officer)
    client.force_login(bob)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_only_actions_for_the_state_and_role_are_offered(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    client.force_login(alice)
    assert offered(client.get(case.get_absolute_url())) == {
        "record",
        "handle_outside",
        "recording_wish",
        "add_allegation",
        "correct_received_on",
        "note",
        "document",
    }
    to_handling_decided(case, alice, bob)
    names = offered(client.get(case.get_absolute_url()))
    assert {"start_investigation", "handle_otbi", "suspend"} <= names
    # C&M Regs 2020 reg 13(3): no 12-month report before the first period (received 30
    # days ago) ends.
    assert "twelve_month_report" not in names
    assert "record" not in names and "assign" not in names  # assign needs a supervisor
    client.force_login(bob)
    assert "assign" in offered(client.get(case.get_absolute_url()))


def test_approve_is_not_offered_to_the_proposer_or_investigator(client, alice, bob):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="None met")
    services.case_propose_no_referral(actor=alice, case=case, rationale="None met")
    client.force_login(alice)
    page = client.get(case.get_absolute_url())
    assert page.context["pending"] and not page.context["pending"][0].ui_actions
    client.force_login(bob)
    page = client.get(case.get_absolute_url())
    assert {a.spec.name for a in page.context["pending"][0].ui_actions} == {"approve", "refuse"}


def _build(alice, bob, allegations: int):
    people = [PersonFactory() for _ in range(allegations)]
    case = complaint(alice, *people, supervisor=bob)
    case = to_handling_decided(case, alice, bob)
    services.case_start_investigation(actor=alice, case=case)
    for track in case.tracks.all():
        services.track_assess_severity(
            actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Misconduct"
        )
        services.track_serve_notice(actor=alice, track=track)
    from cases.services.notes import case_add_note

    for n in range(allegations):
        case_add_note(actor=alice, case=case, text=f"Note {n}")
    return case


def test_case_page_query_count_is_the_same_for_3_and_30_allegations(
    client, alice, bob, django_assert_num_queries
):
    small, large = _build(alice, bob, 3), _build(alice, bob, 30)
    client.force_login(alice)
    client.get(small.get_absolute_url())  # warm per-process caches
    with_3, _ = count_queries(client, small.get_absolute_url())
    assert with_3 <= 40
    with django_assert_num_queries(with_3):
        response = client.get(large.get_absolute_url())
    assert len(response.context["tracks"]) == 30
    assert len(response.context["allegations"]) == 30
