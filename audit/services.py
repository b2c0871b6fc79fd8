"""Explicit audit entries: decisions and transitions (``audit_event``) and reads (``audit_read``).

Changes to tracked tables are captured by database triggers (``audit.triggers``); these
functions record what a row change cannot say: that a decision was taken, and who consulted
which record (DPA 2018 s62: logs of consultation and disclosure).
"""

from __future__ import annotations

from django.db import models

from . import context
from .models import AuditEntry, AuditKind

READ_KINDS = ("page", "export", "refused")


def _label(obj: models.Model | None, target_label: str) -> str:
    return (target_label or (str(obj) if obj is not None else ""))[:200]


def _actor_id(actor) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


def _create(*, kind, actor, action, obj, target_label, reason, data, table="", pk="") -> AuditEntry:
    current = context.current()
    if obj is not None:
        table, pk = obj._meta.db_table, str(obj.pk)
    return AuditEntry.objects.create(
        kind=kind,
        action=action[:60],
        actor_id=_actor_id(actor),
        table_name=table,
        object_pk=pk,
        target_label=_label(obj, target_label),
        request_id=current["request_id"],
        reason=reason or current["reason"],
        data=data,
    )


def audit_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    target_label: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Record a decision or transition, e.g. ``audit_event(actor=carol, action="case.referred",
    obj=case, reason="Serious corruption (Sch 3 para 4)")``. Call it inside the service's
    transaction so the entry and the change commit or roll back together."""
    if not action:
        raise ValueError("an audit event needs an action")
    return _create(
        kind=AuditKind.EVENT,
        actor=actor,
        action=action,
        obj=obj,
        target_label=target_label,
        reason=reason,
        data=data,
    )


def audit_read(*, user, obj: models.Model, request=None, what: str = "page") -> AuditEntry:
    """Record that ``user`` consulted ``obj`` (a page, or an export of it). DPA 2018 s62."""
    if what not in READ_KINDS:
        raise ValueError(f"what must be one of {READ_KINDS}")
    data = {"path": request.path} if request is not None else None
    return _create(
        kind=AuditKind.READ,
        actor=user,
        action=f"read.{what}",
        obj=obj,
        target_label="",
        reason="",
        data=data,
    )


def audit_refused_read(*, user, model: type[models.Model], pk, request=None) -> AuditEntry:
    """Record an attempt to open a record the user may not see (they are shown a 404)."""
    data = {"path": request.path} if request is not None else None
    return _create(
        kind=AuditKind.READ,
        actor=user,
        action="read.refused",
        obj=None,
        target_label=f"{model._meta.verbose_name} {pk}",
        reason="",
        data=data,
        table=model._meta.db_table,
        pk=str(pk),
    )
