"""Retention: records past their period are listed; deletion needs a second person."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Person, PersonStatus, PersonStatusChange
from audit import retention
from audit.models import AuditEntry, RetentionPolicy, RetentionReviewStatus
from psd.domain import DomainError, PermissionDenied
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def policy():
    return RetentionPolicy.objects.get(record_type="accounts.person")


@pytest.fixture
def ada2(db):
    return user_with_role(Role.ADMINISTRATOR, "ada2")


def left_service(on: datetime.date, status=PersonStatus.RETIRED) -> Person:
    person = PersonFactory(status=status)
    PersonStatusChange.objects.create(person=person, status=status, effective_date=on)
    return person


def test_policies_are_seeded_for_each_record_type():
    types = set(RetentionPolicy.objects.values_list("record_type", flat=True))
    assert {
        "accounts.person",
        "cases.case",
        "vetting.vettingapplication",
        "reporting.report",
        "audit.auditentry",
    } <= types


def test_only_people_who_left_service_long_enough_ago_are_due(policy):
    due = left_service(TODAY - datetime.timedelta(days=365 * 7))
    recent = left_service(TODAY - datetime.timedelta(days=365 * 2))
    serving = PersonFactory()
    PersonStatusChange.objects.create(
        person=serving, status=PersonStatus.SERVING, effective_date=datetime.date(2001, 1, 1)
    )
    pks = set(retention.past_retention(policy, TODAY).values_list("pk", flat=True))
    assert due.pk in pks
    assert recent.pk not in pks and serving.pk not in pks


def test_the_period_is_configurable(policy):
    person = left_service(TODAY - datetime.timedelta(days=400))
    assert not retention.past_retention(policy, TODAY).filter(pk=person.pk).exists()
    policy.period_months = 12
    policy.save()
    assert retention.past_retention(policy, TODAY).filter(pk=person.pk).exists()


def test_deletion_needs_a_second_administrator_and_is_audited(policy, ada, ada2):
    person = left_service(TODAY - datetime.timedelta(days=365 * 7))
    review = retention.retention_review_propose(actor=ada, policy=policy, today=TODAY)
    assert person.pk in review.object_pks

    with pytest.raises(PermissionDenied, match="other than the proposer"):
        retention.retention_review_approve(actor=ada, review=review)
    with pytest.raises(DomainError, match="proposed"):
        retention.retention_review_execute(actor=ada, review=review, today=TODAY)
    assert Person.objects.filter(pk=person.pk).exists()

    retention.retention_review_approve(actor=ada2, review=review)
    deleted = retention.retention_review_execute(actor=ada, review=review, today=TODAY)
    assert deleted == len(review.object_pks)
    assert not Person.objects.filter(pk=person.pk).exists()
    review.refresh_from_db()
    assert review.status == RetentionReviewStatus.EXECUTED and review.approved_by == ada2

    actions = set(
        AuditEntry.objects.filter(table_name="audit_retentionreview").values_list(
            "action", flat=True
        )
    )
    assert {"retention.proposed", "retention.approved", "retention.executed"} <= actions
    gone = AuditEntry.objects.get(
        table_name="accounts_person", object_pk=str(person.pk), action="delete"
    )
    assert gone.reason.startswith(f"Retention review {review.pk}")


def test_roles_without_the_permission_cannot_propose(policy, alice, eve):
    left_service(TODAY - datetime.timedelta(days=365 * 7))
    for user in (alice, eve):
        with pytest.raises(PermissionDenied):
            retention.retention_review_propose(actor=user, policy=policy, today=TODAY)


def test_a_rejected_review_deletes_nothing(policy, ada, ada2):
    person = left_service(TODAY - datetime.timedelta(days=365 * 7))
    review = retention.retention_review_propose(actor=ada, policy=policy, today=TODAY)
    retention.retention_review_reject(actor=ada2, review=review, note="Subject of a live appeal")
    with pytest.raises(DomainError, match="rejected"):
        retention.retention_review_execute(actor=ada, review=review, today=TODAY)
    assert Person.objects.filter(pk=person.pk).exists()


def test_audit_entries_are_never_deleted_by_the_application(ada, ada2):
    policy = RetentionPolicy.objects.get(record_type="audit.auditentry")
    policy.period_months = 0
    policy.save()
    PersonFactory()
    review = retention.retention_review_propose(
        actor=ada, policy=policy, today=TODAY + datetime.timedelta(days=400)
    )
    retention.retention_review_approve(actor=ada2, review=review)
    with pytest.raises(DomainError, match="refuses deletion"):
        retention.retention_review_execute(actor=ada, review=review)


def test_the_command_lists_what_is_due_and_never_deletes(policy, capsys):
    person = left_service(datetime.date(2001, 1, 1))
    call_command("retention_review")
    out = capsys.readouterr().out
    assert "accounts.person: keep 72 months" in out
    assert str(person.pk) in out
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_command_takes_decisions_by_two_people(policy, ada, ada2, capsys):
    person = left_service(datetime.date(2001, 1, 1))
    call_command("retention_review", "--propose", "accounts.person", "--as", "ada")
    review_id = int(capsys.readouterr().out.split()[1])
    with pytest.raises(CommandError, match="other than the proposer"):
        call_command("retention_review", "--approve", str(review_id), "--as", "ada")
    call_command("retention_review", "--approve", str(review_id), "--as", "ada2")
    call_command("retention_review", "--execute", str(review_id), "--as", "ada")
    assert not Person.objects.filter(pk=person.pk).exists()
