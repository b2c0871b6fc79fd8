"""Four-eyes grants (issue 20): the only way roles, object permissions and the person <-> user
link change.

One administrator proposes (``grant_request``), a second approves (``grant_approve``) and only
then does the change take effect, in the approval's transaction, attributed to the approver on
the audit trail (the database triggers record the group or permission row; ``audit_event``
records the decision). Neither the proposer nor the approver may be someone the change affects:
the grantee, or for a person link the account linked now or to be linked (the link hides a
case from its own subject, so unlinking oneself would open one's own case). The rule is kept
in one guard per action (``*_refusal``); the page offers the action exactly when it is None,
and the database constraints on ``GrantRequest`` are the backstop.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from audit import context as audit_context
from audit.services import audit_event
from psd.domain import DomainError, PermissionDenied
from psd.roles import Role

from .models import GrantKind, GrantRequest, GrantStatus, Person, User

MANAGE = "accounts.manage_grants"
# Object-level permissions the page offers (django-guardian, direct foreign-key tables).
OBJECT_PERMISSIONS = ("cases.view_case", "cases.change_case")
ROLE_KINDS = (GrantKind.ROLE_ADD, GrantKind.ROLE_REMOVE)
OBJECT_KINDS = (GrantKind.OBJECT_PERMISSION_ADD, GrantKind.OBJECT_PERMISSION_REMOVE)


def affected_users(grant: GrantRequest) -> set[int]:
    """The accounts whose access the grant changes."""
    users = {grant.grantee_id}
    if grant.kind == GrantKind.PERSON_LINK and grant.person_id:
        users.add(
            Person.objects.filter(pk=grant.person_id).values_list("user_id", flat=True).first()
        )
    return {pk for pk in users if pk is not None}


def _target_object(grant: GrantRequest):
    model = grant.permission.content_type.model_class()
    return model._base_manager.filter(pk=grant.object_pk).first() if model else None


def _shape_refusal(grant: GrantRequest) -> str | None:
    """What the request is missing or gets wrong for its kind (None: well formed)."""
    if grant.kind not in GrantKind.values:
        return "Choose what the grant does."
    if grant.kind in (*ROLE_KINDS, *OBJECT_KINDS) and grant.grantee_id is None:
        return "Choose the user the grant is for."
    if grant.kind in ROLE_KINDS and grant.role not in Role.values:
        return "Choose a role."
    if grant.kind in OBJECT_KINDS:
        if grant.permission_id is None or not grant.object_pk:
            return "Choose the permission and the record it applies to."
        label = f"{grant.permission.content_type.app_label}.{grant.permission.codename}"
        if label not in OBJECT_PERMISSIONS:
            return "That permission is not given on single records."
        if _target_object(grant) is None:
            return "There is no such record."
    if grant.kind == GrantKind.PERSON_LINK:
        if grant.person_id is None:
            return "Choose the person to link."
        taken = Person.objects.filter(user_id=grant.grantee_id).exclude(pk=grant.person_id)
        if grant.grantee_id and taken.exists():
            return "That account is already linked to another person."
    return None


def grant_request_refusal(*, actor: User, grant: GrantRequest) -> str | None:
    if not actor.has_perm(MANAGE):
        return "Only an administrator may propose a grant."
    if actor.pk in affected_users(grant):
        return "Nobody may propose a grant that changes their own access."
    return _shape_refusal(grant)


def grant_decide_refusal(*, actor: User, grant: GrantRequest) -> str | None:
    """Why ``actor`` may not approve or refuse ``grant`` (None: they may)."""
    if not actor.has_perm(MANAGE):
        return "Only an administrator may decide a grant."
    if grant.status != GrantStatus.PENDING:
        return "This grant has already been decided."
    if actor.pk == grant.requested_by_id:
        return "A second administrator must decide: you proposed this grant."
    if actor.pk in affected_users(grant):
        return "Nobody may decide a grant that changes their own access."
    return None


def grant_withdraw_refusal(*, actor: User, grant: GrantRequest) -> str | None:
    if grant.status != GrantStatus.PENDING:
        return "This grant has already been decided."
    if actor.pk != grant.requested_by_id:
        return "Only the administrator who proposed it may withdraw it."
    return None


@transaction.atomic
def grant_request(*, actor: User, reason: str, **fields) -> GrantRequest:
    """Propose a grant. Nothing changes until a second administrator approves it."""
    grant = GrantRequest(requested_by=actor, reason=(reason or "").strip(), **fields)
    if not grant.reason:
        raise DomainError("Give the reason for the grant.", field="reason")
    refusal = grant_request_refusal(actor=actor, grant=grant)
    if refusal:
        raise PermissionDenied(refusal)
    grant.save()
    audit_event(actor=actor, action="grant.requested", obj=grant, reason=grant.reason)
    return grant


def _locked(grant: GrantRequest) -> GrantRequest:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the permission.
    rows = GrantRequest.objects.select_for_update(of=("self",))
    return rows.select_related("permission__content_type").get(pk=grant.pk)


def _apply(grant: GrantRequest) -> None:
    if grant.kind in ROLE_KINDS:
        group = Group.objects.get(name=Role(grant.role).label)
        if grant.kind == GrantKind.ROLE_ADD:
            grant.grantee.groups.add(group)
        else:
            grant.grantee.groups.remove(group)
    elif grant.kind in OBJECT_KINDS:
        perm: Permission = grant.permission
        label = f"{perm.content_type.app_label}.{perm.codename}"
        target = _target_object(grant)
        if grant.kind == GrantKind.OBJECT_PERMISSION_ADD:
            assign_perm(label, grant.grantee, target)
        else:
            remove_perm(label, grant.grantee, target)
    else:
        person = Person.objects.select_for_update().get(pk=grant.person_id)
        person.user_id = grant.grantee_id
        person.save(update_fields=["user"])


@transaction.atomic
def grant_approve(*, actor: User, grant: GrantRequest, note: str = "") -> GrantRequest:
    """The second administrator's approval: the change takes effect now."""
    locked = _locked(grant)
    refusal = grant_decide_refusal(actor=actor, grant=locked) or _shape_refusal(locked)
    if refusal:
        raise PermissionDenied(refusal)
    with audit_context.acting(actor=actor, reason=locked.reason):
        _apply(locked)
        locked.status = GrantStatus.APPROVED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_note = (note or "").strip()[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_event(actor=actor, action="grant.approved", obj=locked, reason=locked.reason)
    return locked


@transaction.atomic
def grant_refuse(*, actor: User, grant: GrantRequest, note: str) -> GrantRequest:
    locked = _locked(grant)
    refusal = grant_decide_refusal(actor=actor, grant=locked)
    if refusal:
        raise PermissionDenied(refusal)
    if not (note or "").strip():
        raise DomainError("Say why the grant is refused.", field="note")
    locked.status = GrantStatus.REFUSED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_note = note.strip()[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_event(actor=actor, action="grant.refused", obj=locked, reason=locked.decision_note)
    return locked


@transaction.atomic
def grant_withdraw(*, actor: User, grant: GrantRequest) -> GrantRequest:
    locked = _locked(grant)
    refusal = grant_withdraw_refusal(actor=actor, grant=locked)
    if refusal:
        raise PermissionDenied(refusal)
    locked.status = GrantStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    audit_event(actor=actor, action="grant.withdrawn", obj=locked)
    return locked
