"""The lists page: each entry offers the reports its guards allow, and each runs its one
service (tests/cases/test_list_duties.py holds the rules themselves)."""

import pytest

from cases.models import BarredListEntry, CaseTransition, ListStatus
from tests.accounts.factories import PersonFactory
from tests.cases.factories import days_ago
from tests.cases.list_routes import dismissed

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice, bob, carol):
    return dismissed(alice, bob, carol)


def url(entry, name):
    return f"/cases/lists/barred/{entry.pk}/{name}/"


def test_the_page_offers_what_the_guards_allow(client, carol, victor, entry):
    client.force_login(carol)
    page = client.get("/cases/lists/").content.decode()
    assert url(entry, "report") in page and url(entry, "overturned") in page
    assert url(entry, "further_report") not in page  # nothing to report further yet
    client.force_login(victor)  # the vetting officer reads the lists, records nothing
    page = client.get("/cases/lists/").content.decode()
    assert entry.full_name in page and url(entry, "report") not in page


def test_recording_the_report_and_the_overturned_dismissal(client, carol, entry):
    client.force_login(carol)
    day = days_ago(0).isoformat()
    prefix = f"barred{entry.pk}"
    response = client.post(url(entry, "report"), {f"{prefix}-report-reported_on": day})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ListStatus.REPORTED and entry.reported_on == days_ago(0)
    response = client.post(
        url(entry, "overturned"),
        {f"{prefix}-overturned-decided_on": day, f"{prefix}-overturned-reason": "Appeal allowed"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == ListStatus.TO_REMOVE
    page = client.get("/cases/lists/").content.decode()
    assert url(entry, "further_report") in page


def test_refusals_change_nothing(client, alice, carol, entry):
    client.force_login(carol)
    transitions = CaseTransition.objects.count()
    prefix = f"barred{entry.pk}"
    response = client.post(
        url(entry, "overturned"),
        {
            f"{prefix}-overturned-decided_on": days_ago(30).isoformat(),
            f"{prefix}-overturned-reason": "x",
        },
    )
    assert response.status_code == 400
    assert "between the dismissal and today" in response.content.decode()
    response = client.post(url(entry, "further_report"), {})
    assert response.status_code == 409
    client.force_login(alice)  # an investigator: no list permissions at all
    assert client.post(url(entry, "report"), {}).status_code == 403
    assert client.post("/cases/lists/barred/999999/report/", {}).status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.status == ListStatus.TO_REPORT and entry.further_event_on is None
    assert CaseTransition.objects.count() == transitions


def test_unknown_entry_or_action_is_404(client, carol, entry):
    client.force_login(carol)
    assert client.post("/cases/lists/barred/999999/report/", {}).status_code == 404
    assert client.post(f"/cases/lists/other/{entry.pk}/report/", {}).status_code == 404
    assert client.post(url(entry, "nothing"), {}).status_code == 404


def test_recording_a_dismissal_made_outside_a_case(client, alice, carol):
    officer = PersonFactory(number="PC7788")
    client.force_login(carol)
    data = {
        "record-number": "pc7788",
        "record-ground": "performance",
        "record-dismissed_on": days_ago(2).isoformat(),
        "record-reasons": "Gross incompetence",
    }
    assert client.post("/cases/lists/record/", data | {"record-number": "X1"}).status_code == 400
    assert not BarredListEntry.objects.exists()
    response = client.post("/cases/lists/record/", data)
    assert response.status_code == 302
    entry = BarredListEntry.objects.get(person=officer)
    assert entry.event_date == days_ago(2) and entry.ground == "performance"
    client.force_login(alice)
    assert client.post("/cases/lists/record/", data).status_code == 403
