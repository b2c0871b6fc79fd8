"""Reads are logged (DPA 2018 s62) and auditors can search the trail."""

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Person
from audit import context
from audit.models import AuditEntry, AuditKind
from audit.reads import get_logged_or_404
from audit.selectors import PAGE_SIZE
from audit.services import audit_event, audit_read
from tests.accounts.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_opening_a_person_page_is_logged(client, alice):
    person = PersonFactory()
    client.force_login(alice)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    read = AuditEntry.objects.get(kind=AuditKind.READ, object_pk=str(person.pk))
    assert read.actor == alice and read.action == "read.page"
    assert read.table_name == "accounts_person"
    assert read.request_id == response["X-Request-ID"]
    assert read.data == {"path": person.get_absolute_url()}


def test_get_logged_or_404_logs_a_refused_read_of_a_hidden_record(alice):
    hidden = PersonFactory()
    request = RequestFactory().get("/x/")
    request.user = alice
    with pytest.raises(Http404):
        get_logged_or_404(request, Person.objects.exclude(pk=hidden.pk), pk=hidden.pk)
    refused = AuditEntry.objects.get(action="read.refused")
    assert refused.actor == alice and refused.object_pk == str(hidden.pk)

    with pytest.raises(Http404):  # a record that does not exist leaves no refusal
        get_logged_or_404(request, Person.objects.all(), pk=hidden.pk + 1000)
    assert AuditEntry.objects.filter(action="read.refused").count() == 1

    assert get_logged_or_404(request, Person.objects.all(), pk=hidden.pk) == hidden
    assert AuditEntry.objects.filter(action="read.page", object_pk=str(hidden.pk)).exists()


def test_exports_are_logged_per_record(alice):
    person = PersonFactory()
    audit_read(user=alice, obj=person, what="export")
    assert AuditEntry.objects.filter(action="read.export", object_pk=str(person.pk)).exists()


def test_events_take_the_reason_from_the_context(carol):
    person = PersonFactory()
    with context.reason("Gross misconduct proven"):
        entry = audit_event(actor=carol, action="outcome.recorded", obj=person)
    assert entry.reason == "Gross misconduct proven"
    assert entry.target_label == str(person)


@pytest.mark.parametrize("role_user, status", [("eve", 200), ("ada", 200), ("alice", 403)])
def test_only_auditors_and_administrators_search_the_trail(client, request, role_user, status):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("audit:search")).status_code == status


def test_the_audit_entry_is_in_the_auditors_navigation(client, eve):
    client.force_login(eve)
    assert 'href="/audit/"' in client.get("/personnel/").content.decode()


def test_search_by_person_finds_the_record_and_its_related_rows(client, eve, ada):
    person = PersonFactory()
    other = PersonFactory()
    from accounts import services

    services.person_set_status(
        actor=ada,
        person=person,
        status="suspended",
        effective_date=datetime.date.today(),
        reason="Criminal investigation",
    )
    client.force_login(eve)
    response = client.get(reverse("audit:search"), {"person": person.pk})
    rows = [entry for entry, _ in response.context["entries"]]
    tables = {(e.table_name, e.action) for e in rows}
    assert ("accounts_person", "insert") in tables
    assert ("accounts_person", "update") in tables
    assert ("accounts_personstatuschange", "insert") in tables
    assert all(e.object_pk != str(other.pk) or e.table_name != "accounts_person" for e in rows)
    # The auditor's own search is on the trail.
    assert AuditEntry.objects.filter(actor=eve, action="audit.searched").exists()


def test_search_by_user_action_and_date(client, eve, alice):
    person = PersonFactory()
    audit_read(user=alice, obj=person)
    client.force_login(eve)
    today = datetime.date.today().isoformat()
    response = client.get(
        reverse("audit:search"),
        {"username": "alice", "action": "read", "date_from": today, "date_to": today},
    )
    rows = [entry for entry, _ in response.context["entries"]]
    assert [e.action for e in rows] == ["read.page"]
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    response = client.get(reverse("audit:search"), {"username": "alice", "date_to": yesterday})
    assert response.context["entries"] == []


def test_a_reversed_date_range_is_an_error(client, eve):
    client.force_login(eve)
    response = client.get(
        reverse("audit:search"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "The end date must be on or after the start date" in response.content.decode()


def test_the_trail_pages_by_sequence(client, eve):
    for n in range(PAGE_SIZE + 5):
        audit_event(actor=None, action="test.page", target_label=str(n))
    client.force_login(eve)
    first = client.get(reverse("audit:search"), {"action": "test.page"})
    assert len(first.context["entries"]) == PAGE_SIZE
    next_seq = first.context["next_seq"]
    second = client.get(reverse("audit:search"), {"action": "test.page", "before": next_seq})
    assert len(second.context["entries"]) == 5
    seen = {e.pk for e, _ in first.context["entries"]} | {
        e.pk for e, _ in second.context["entries"]
    }
    assert len(seen) == PAGE_SIZE + 5
