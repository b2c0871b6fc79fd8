"""Changes to tracked tables reach the audit trail through database triggers."""

import pytest
from django.db import connection

from accounts import services as person_services
from accounts.models import Person, PersonStatus
from audit import context
from audit.models import AuditEntry, AuditKind, AuditSeal
from audit.registry import tracked
from audit.sealer import seal_pending
from audit.triggers import install_triggers, installed_tables
from tests.accounts.factories import ForceFactory, PersonFactory

pytestmark = pytest.mark.django_db


def person_entries(person, **filters):
    return AuditEntry.objects.filter(
        table_name="accounts_person", object_pk=str(person.pk), **filters
    ).order_by("seq")


def test_every_tracked_table_carries_a_trigger():
    expected = {item.table for item in tracked()}
    assert {"accounts_person", "accounts_personstatuschange"} <= expected
    assert expected <= installed_tables()


def test_insert_update_and_delete_are_recorded_with_old_and_new_rows():
    person = PersonFactory(surname="Hale")
    Person.objects.filter(pk=person.pk).update(surname="Hale-Smith")
    pk = person.pk
    Person.objects.filter(pk=pk).delete()

    insert, update, delete = person_entries(person)
    assert (insert.kind, insert.action) == (AuditKind.CHANGE, "insert")
    assert insert.old_row is None and insert.new_row["surname"] == "Hale"
    assert update.action == "update"
    assert update.old_row["surname"] == "Hale" and update.new_row["surname"] == "Hale-Smith"
    assert delete.action == "delete" and delete.new_row is None
    assert delete.old_row["id"] == pk


def test_bulk_queryset_update_records_one_row_per_person(alice):
    people = PersonFactory.create_batch(3)
    context.set_context(actor_id=alice.pk, request_id="bulk-1")
    try:
        with context.reason("Department merger"):
            changed = Person.objects.filter(pk__in=[p.pk for p in people]).update(
                status=PersonStatus.SUSPENDED
            )
    finally:
        context.clear()
    assert changed == 3
    updates = AuditEntry.objects.filter(table_name="accounts_person", action="update")
    assert sorted(int(e.object_pk) for e in updates) == sorted(p.pk for p in people)
    for entry in updates:
        assert entry.actor_id == alice.pk
        assert entry.request_id == "bulk-1"
        assert entry.reason == "Department merger"
        assert entry.new_row["status"] == "suspended"


def test_bulk_create_is_recorded():
    force = ForceFactory()
    Person.objects.bulk_create(
        [
            Person(force=force, forename="A", surname="One", number="B1", role_type="staff"),
            Person(force=force, forename="B", surname="Two", number="B2", role_type="staff"),
        ]
    )
    labels = AuditEntry.objects.filter(table_name="accounts_person", action="insert")
    assert {e.new_row["number"] for e in labels} == {"B1", "B2"}


def test_update_that_changes_nothing_is_not_recorded():
    person = PersonFactory()
    person.save()  # every column written, none changed
    assert person_entries(person, action="update").count() == 0


def test_service_change_is_attributed_to_the_actor_and_reason(ada):
    person = PersonFactory()
    context.set_context(actor_id=ada.pk, request_id="r-42")
    try:
        person_services.person_update(actor=ada, person=person, surname="Renamed")
    finally:
        context.clear()
    entry = person_entries(person, action="update").get()
    assert entry.actor_id == ada.pk and entry.request_id == "r-42"


def test_excluded_fields_are_left_out_of_the_row(alice):
    entry = AuditEntry.objects.filter(
        table_name="accounts_user", object_pk=str(alice.pk), action="insert"
    ).get()
    assert "password" not in entry.new_row and "last_login" not in entry.new_row
    assert entry.new_row["username"] == "alice"


def test_context_outside_a_request_is_empty():
    person = PersonFactory()
    entry = person_entries(person).get()
    assert entry.actor_id is None and entry.request_id == "" and entry.reason == ""


def test_reinstalling_triggers_is_idempotent():
    install_triggers()
    install_triggers()
    person = PersonFactory()
    assert person_entries(person).count() == 1


def test_trail_rows_are_sealed_into_the_chain():
    first = PersonFactory()
    second = PersonFactory()
    a = person_entries(first).get()
    b = person_entries(second).get()
    assert b.seq > a.seq
    assert seal_pending() == 2
    seal_a, seal_b = AuditSeal.objects.get(entry=a), AuditSeal.objects.get(entry=b)
    assert seal_b.position == seal_a.position + 1 and seal_b.prev_hash == seal_a.hash
    assert len(seal_a.hash) == 64 and len(seal_b.hash) == 64
    assert connection.vendor in ("postgresql", "sqlite")
