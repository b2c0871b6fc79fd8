"""Retention: records past their retention period, and reviews that approve their deletion.

Nothing is deleted automatically (DPA 2018 s39(2): periodic review). ``retention_review``
lists what is due; an administrator proposes a review; a different administrator approves it
(four-eyes); only then may the records be deleted. Every step is an audit event and the
deletions themselves are captured by the audit triggers with the review as their reason.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from psd.domain import DomainError, PermissionDenied

from . import context
from .models import RetentionPolicy, RetentionReview, RetentionReviewStatus
from .services import audit_event

AUDIT_RECORD_TYPE = "audit.auditentry"


class PolicyUnavailable(Exception):
    """The policy names a model or field this installation does not have (yet)."""


def _model_for(policy: RetentionPolicy) -> type[models.Model]:
    try:
        return apps.get_model(policy.record_type)
    except (LookupError, ValueError):
        raise PolicyUnavailable(f"{policy.record_type} is not installed") from None


def _basis_is_datetime(model, path: str) -> bool:
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            raise PolicyUnavailable(f"{model._meta.label} has no field {path}") from None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    if not isinstance(field, models.DateField):
        raise PolicyUnavailable(f"{path} is not a date field")
    return isinstance(field, models.DateTimeField)


def cutoff_for(policy: RetentionPolicy, today: datetime.date) -> datetime.date:
    """Records whose basis date is before this day are past retention."""
    return today - relativedelta(months=policy.period_months)


def past_retention(policy: RetentionPolicy, today: datetime.date | None = None):
    """The records of ``policy`` past retention, oldest basis first (``basis`` annotated)."""
    model = _model_for(policy)
    is_datetime = _basis_is_datetime(model, policy.basis_field)
    cutoff = cutoff_for(policy, today or timezone.localdate())
    if is_datetime:
        cutoff = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        model._base_manager.filter(**(policy.conditions or {}))
        .annotate(basis=Max(policy.basis_field))
        .filter(basis__isnull=False, basis__lt=cutoff)
        .order_by("basis", "pk")
    )


def _require(actor, codename: str) -> None:
    if not actor.has_perm(f"audit.{codename}"):
        raise PermissionDenied("Your role does not allow retention decisions.")


@transaction.atomic
def retention_review_propose(
    *, actor, policy: RetentionPolicy, today: datetime.date | None = None
) -> RetentionReview:
    _require(actor, "add_retentionreview")
    pks = list(past_retention(policy, today).values_list("pk", flat=True))
    if not pks:
        raise DomainError(f"No {policy.description.lower()} records are past retention.")
    review = RetentionReview.objects.create(
        policy=policy, object_pks=pks, proposed_by=actor, status=RetentionReviewStatus.PROPOSED
    )
    audit_event(
        actor=actor,
        action="retention.proposed",
        obj=review,
        data={"record_type": policy.record_type, "count": len(pks)},
    )
    return review


def _locked(review: RetentionReview, status: str) -> RetentionReview:
    locked = RetentionReview.objects.select_for_update().select_related("policy").get(pk=review.pk)
    if locked.status != status:
        raise DomainError(f"This review is {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def retention_review_approve(*, actor, review: RetentionReview) -> RetentionReview:
    _require(actor, "change_retentionreview")
    review = _locked(review, RetentionReviewStatus.PROPOSED)
    if review.proposed_by_id == actor.pk:
        raise PermissionDenied("Someone other than the proposer must approve a deletion.")
    review.status = RetentionReviewStatus.APPROVED
    review.approved_by = actor
    review.approved_at = timezone.now()
    review.save(update_fields=["status", "approved_by", "approved_at"])
    audit_event(actor=actor, action="retention.approved", obj=review)
    return review


@transaction.atomic
def retention_review_reject(*, actor, review: RetentionReview, note: str) -> RetentionReview:
    _require(actor, "change_retentionreview")
    review = _locked(review, RetentionReviewStatus.PROPOSED)
    review.status = RetentionReviewStatus.REJECTED
    review.note = note
    review.save(update_fields=["status", "note"])
    audit_event(actor=actor, action="retention.rejected", obj=review, reason=note)
    return review


@transaction.atomic
def retention_review_execute(
    *, actor, review: RetentionReview, today: datetime.date | None = None
) -> int:
    """Delete the approved records that are still past retention; returns how many."""
    _require(actor, "change_retentionreview")
    review = _locked(review, RetentionReviewStatus.APPROVED)
    policy = review.policy
    if policy.record_type == AUDIT_RECORD_TYPE:
        raise DomainError(
            "The audit trail refuses deletion. The database administrator archives and removes "
            "entries past retention outside the application, with this approved review as "
            "authority, and records the new head of the chain."
        )
    still_due = past_retention(policy, today).filter(pk__in=review.object_pks)
    pks = list(still_due.values_list("pk", flat=True))
    model = _model_for(policy)
    with context.reason(f"Retention review {review.pk} approved by {review.approved_by}"):
        model._base_manager.filter(pk__in=pks).delete()
    review.status = RetentionReviewStatus.EXECUTED
    review.executed_at = timezone.now()
    review.save(update_fields=["status", "executed_at"])
    audit_event(
        actor=actor,
        action="retention.executed",
        obj=review,
        data={"record_type": policy.record_type, "deleted": len(pks)},
    )
    return len(pks)
