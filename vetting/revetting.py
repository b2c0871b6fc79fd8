"""Clearances and re-vetting: grant, record, suspend, reinstate, withdraw; the triggers that
bring re-vetting forward; and the one open ``revetting_due`` deadline per person.

DOMAIN.md "Vetting": re-vetting is due at the end of the level's interval, or earlier after a
promotion or move to a post needing a higher level, a relevant conduct outcome, or a reported
change of circumstances. Each trigger is a RevettingTrigger row with its reason and due date.
The deadline's due date is the earliest of the person's clearance expiry and open triggers.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PersonStatus
from audit.services import audit_event
from cases.models import Action
from deadlines import selectors as deadline_selectors
from deadlines import services as deadlines
from psd.domain import DomainError, PermissionDenied
from psd.rules import clock, guard, refuse_if

from .models import (
    Clearance,
    ClearanceEvent,
    ClearanceEventKind,
    ClearanceStatus,
    RevettingTrigger,
    TriggerKind,
    VettingLevel,
)
from .selectors import revetting_due

DEADLINE_KIND = "revetting_due"

# Days from a trigger to the re-vetting it brings forward. Force policy (check): override
# with settings.VETTING_TRIGGER_DAYS = {"conduct": 30, ...}.
DEFAULT_TRIGGER_DAYS = {
    TriggerKind.POST_CHANGE: 30,
    TriggerKind.CONDUCT: 30,
    TriggerKind.CIRCUMSTANCES: 60,
}


def trigger_days(kind: str) -> int:
    overrides = getattr(settings, "VETTING_TRIGGER_DAYS", {}) or {}
    return int(overrides.get(kind, DEFAULT_TRIGGER_DAYS[kind]))


def require_vetting_officer(actor, action: str) -> None:
    if actor is None or not actor.has_perm("vetting.change_vettingapplication"):
        raise PermissionDenied(f"Only a vetting officer may {action}.")


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _check_expiry(granted_on: datetime.date, expires_on: datetime.date | None) -> None:
    if expires_on is not None and expires_on <= granted_on:
        raise DomainError(
            f"The expiry date ({expires_on:%d %B %Y}) must be after the date of grant "
            f"({granted_on:%d %B %Y}).",
            field="expires_on",
        )


def _event(clearance: Clearance, kind: str, *, on, by, note: str = "") -> ClearanceEvent:
    audit_event(actor=by, action=f"vetting.clearance_{kind}", obj=clearance, reason=note)
    return ClearanceEvent.objects.create(
        clearance=clearance, kind=kind, on=on, by=by, note=note[:500]
    )


# --- The re-vetting deadline ----------------------------------------------------------------
def revetting_sync(*, person, actor=None) -> None:
    """Open, move or cancel the person's ``revetting_due`` deadline to match ``revetting_due``.
    The deadline has no owner: the vetting sweep tells the vetting unit and the line manager.
    """
    due = revetting_due(person)
    current = (
        deadline_selectors.deadlines_for(target=person)
        .filter(kind__code=DEADLINE_KIND, status="open")
        .first()
    )
    if current is not None and current.due_date == due:
        return
    if current is not None:
        why = f"re-vetting now due {due:%d %B %Y}" if due else "no re-vetting due"
        deadlines.deadline_cancel(
            kind=DEADLINE_KIND, target=person, actor=actor, reason=f"Date changed: {why}"
        )
    if due is not None:
        deadlines.deadline_open(
            kind=DEADLINE_KIND,
            target=person,
            trigger_date=min(timezone.localdate(), due),
            due_date=due,
            label=f"Re-vetting: {person.number}",
        )


# --- Clearances -----------------------------------------------------------------------------
def clearance_from_application(*, application, person, actor) -> Clearance:
    """Create the clearance a granted application gives ``person`` (called by the services in
    their transaction). A new managed clearance replaces the person's earlier ones, closes
    their open triggers and meets the running re-vetting deadline."""
    level = application.level
    if not level.recorded_only:
        earlier = list(
            Clearance.objects.select_for_update()
            .filter(
                person=person,
                level__recorded_only=False,
                status__in=ClearanceStatus.current() | {ClearanceStatus.EXPIRED},
            )
            .order_by("pk")
        )
        for old in earlier:
            old.status = ClearanceStatus.SUPERSEDED
            old.save(update_fields=["status"])
            _event(
                old,
                ClearanceEventKind.SUPERSEDED,
                on=application.decided_on,
                by=actor,
                note=f"Replaced by the {level.label} clearance granted",
            )
        RevettingTrigger.objects.filter(person=person, closed_on__isnull=True).update(
            closed_on=application.decided_on
        )
        deadlines.deadline_meet(kind=DEADLINE_KIND, target=person, actor=actor)
    clearance = Clearance.objects.create(
        person=person,
        level=level,
        application=application,
        granted_on=application.decided_on,
        expires_on=application.expires_on,
    )
    _event(clearance, ClearanceEventKind.GRANTED, on=clearance.granted_on, by=actor)
    revetting_sync(person=person, actor=actor)
    return clearance


@transaction.atomic
def clearance_record(
    *,
    actor,
    person,
    level: VettingLevel,
    granted_on: datetime.date,
    expires_on: datetime.date | None = None,
    note: str = "",
) -> Clearance:
    """Record a national security clearance (CTC/SC/DV), managed elsewhere."""
    require_vetting_officer(actor, "record a clearance")
    if not level.recorded_only:
        raise DomainError(
            f"{level.label} clearance is granted through an application, not recorded.",
            field="level",
        )
    if granted_on > timezone.localdate():
        raise DomainError("The date of grant cannot be in the future.", field="granted_on")
    _check_expiry(granted_on, expires_on)
    clearance = Clearance.objects.create(
        person=person, level=level, granted_on=granted_on, expires_on=expires_on
    )
    _event(clearance, ClearanceEventKind.RECORDED, on=granted_on, by=actor, note=note)
    return clearance


# Allowed status changes: action -> (from statuses, to status, event kind)
_CHANGES = {
    "suspend": ({ClearanceStatus.ACTIVE}, ClearanceStatus.SUSPENDED, ClearanceEventKind.SUSPENDED),
    "reinstate": (
        {ClearanceStatus.SUSPENDED},
        ClearanceStatus.ACTIVE,
        ClearanceEventKind.REINSTATED,
    ),
    # Vetting Regs 2025 Part 3: withdrawal after a withdrawal assessment (appeal possible).
    "withdraw": (
        ClearanceStatus.current(),
        ClearanceStatus.WITHDRAWN,
        ClearanceEventKind.WITHDRAWN,
    ),
}


_PAST = {"suspend": "suspended", "reinstate": "reinstated", "withdraw": "withdrawn"}


@guard(
    "An active clearance may be suspended, a suspended one reinstated, and either withdrawn "
    "after a withdrawal assessment.",
    "Police (Vetting) Regulations 2025 Part 3",
)
def clearance_change_status_refusal(*, actor, clearance: Clearance, action: str) -> str | None:
    if action not in _CHANGES:
        return f"Unknown action {action!r}."
    if clearance.status not in _CHANGES[action][0]:
        return (
            f"This clearance is {clearance.get_status_display().lower()}: it cannot be "
            f"{_PAST[action]}."
        )
    return None


def clearance_status_actions(*, actor, clearance: Clearance) -> list[str]:
    """The status changes the clearance can take now (what the person page offers)."""
    return [
        action
        for action in _CHANGES
        if clearance_change_status_refusal(actor=actor, clearance=clearance, action=action) is None
    ]


@transaction.atomic
def clearance_change_status(
    *, actor, clearance: Clearance, action: str, reason: str, on: datetime.date | None = None
) -> Clearance:
    """Suspend, reinstate or withdraw a clearance, with a reason; history keeps each change."""
    require_vetting_officer(actor, f"{action} a clearance")
    refuse_if(clearance_change_status_refusal(actor=actor, clearance=clearance, action=action))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"Give a reason to {action} the clearance.", field="reason")
    on = _today(on)
    if on > timezone.localdate():
        raise DomainError("The date cannot be in the future.", field="on")
    _, target, event_kind = _CHANGES[action]
    locked = Clearance.objects.select_for_update().select_related("level").get(pk=clearance.pk)
    refuse_if(clearance_change_status_refusal(actor=actor, clearance=locked, action=action))
    locked.status = target
    locked.save(update_fields=["status"])
    _event(locked, event_kind, on=on, by=actor, note=reason)
    if target == ClearanceStatus.WITHDRAWN:
        revetting_sync(person=locked.person, actor=actor)
    clearance.status = target
    return locked


# --- Triggers -------------------------------------------------------------------------------
def _raise_trigger(
    *, actor, person, kind, reason, on, due_on=None, post=None, outcome=None
) -> RevettingTrigger:
    due_on = due_on or on + datetime.timedelta(days=trigger_days(kind))
    if due_on < on:
        raise DomainError("Re-vetting cannot be due before the trigger.", field="due_on")
    trigger = RevettingTrigger.objects.create(
        person=person,
        kind=kind,
        reason=reason,
        raised_on=on,
        due_on=due_on,
        post=post,
        outcome=outcome,
        raised_by=actor,
    )
    audit_event(actor=actor, action="vetting.revetting_triggered", obj=trigger, reason=reason)
    revetting_sync(person=person, actor=actor)
    return trigger


def highest_level(person) -> VettingLevel | None:
    clearance = (
        Clearance.objects.filter(person=person, status=ClearanceStatus.ACTIVE)
        .select_related("level")
        .order_by("-level__order")
        .first()
    )
    return clearance.level if clearance else None


@transaction.atomic
def clearance_post_change(
    *, actor, person, post, on: datetime.date | None = None
) -> RevettingTrigger | None:
    """A promotion or move to ``post``: re-vetting is brought forward when the post needs a
    higher level than the person holds (DOMAIN.md "Vetting"). None when the clearance held
    already covers the post."""
    require_vetting_officer(actor, "record a move to a post")
    on = _today(on)
    held = highest_level(person)
    needed = post.required_level
    if held is not None and held.order >= needed.order:
        return None
    holding = f"holds {held.label}" if held else "holds no active clearance"
    reason = f"Moving to {post.name}, which needs {needed.label}; {holding}."
    return _raise_trigger(
        actor=actor, person=person, kind=TriggerKind.POST_CHANGE, reason=reason, on=on, post=post
    )


@transaction.atomic
def circumstances_report(
    *, actor, person, reason: str, on: datetime.date | None = None, due_on=None
) -> RevettingTrigger:
    """A reported change of circumstances (partner, finances, associations). Vetting Regs
    2025 reg 5: officers report anything that may affect their suitability promptly."""
    require_vetting_officer(actor, "record a change of circumstances")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Describe the change of circumstances.", field="reason")
    on = _today(on)
    if on > timezone.localdate():
        raise DomainError("The date reported cannot be in the future.", field="on")
    return _raise_trigger(
        actor=actor,
        person=person,
        kind=TriggerKind.CIRCUMSTANCES,
        reason=reason,
        on=on,
        due_on=due_on,
    )


def conduct_outcome_trigger(*, outcome, person, actor) -> RevettingTrigger | None:
    """A final written warning or worse (cases: outcomes approved). Once per outcome; none
    for someone who has left (their clearance ended with their service)."""
    if person.status in PersonStatus.left_service():
        return None
    if RevettingTrigger.objects.filter(person=person, outcome=outcome).exists():
        return None
    reason = (
        f"Conduct outcome: {outcome.get_action_display().lower()} "
        f"effective {outcome.effective_on:%d %B %Y}."
    )
    on = max(outcome.effective_on, timezone.localdate())
    return _raise_trigger(
        actor=actor,
        person=person,
        kind=TriggerKind.CONDUCT,
        reason=reason,
        on=on,
        outcome=outcome,
    )


def conduct_outcome_changed_on_appeal(*, superseded, substituted, actor, on: datetime.date):
    """An appeal replaced ``superseded`` by ``substituted``: a re-vetting trigger raised for
    the old outcome closes unless the new one is still a final written warning or worse, and
    a new final written warning or worse raises one (once per outcome)."""
    severe = Action.final_written_warning_or_worse()
    person = superseded.track.person
    if substituted is None or substituted.action not in severe:
        for trigger in RevettingTrigger.objects.select_for_update().filter(
            person=person, outcome=superseded, closed_on__isnull=True
        ):
            trigger.closed_on = on
            trigger.reason = f"{trigger.reason} Outcome changed on appeal {on:%d %B %Y}."
            trigger.save(update_fields=["closed_on", "reason"])
            audit_event(
                actor=actor,
                action="vetting.revetting_trigger_closed",
                obj=trigger,
                reason="Outcome changed on appeal",
            )
        revetting_sync(person=person, actor=actor)
    elif superseded.action not in severe:
        conduct_outcome_trigger(outcome=substituted, person=person, actor=actor)


@transaction.atomic
def service_ended(*, person, actor, on: datetime.date) -> int:
    """Vetting Regs 2025 reg 6: clearance ends when service ends. Current clearances are
    withdrawn, open triggers closed and the re-vetting deadline stopped."""
    ended = 0
    for clearance in (
        Clearance.objects.select_for_update()
        .filter(person=person, status__in=ClearanceStatus.current())
        .order_by("pk")
    ):
        clearance.status = ClearanceStatus.WITHDRAWN
        clearance.save(update_fields=["status"])
        _event(
            clearance,
            ClearanceEventKind.WITHDRAWN,
            on=on,
            by=actor,
            note="Service ended (Vetting Regs 2025 reg 6)",
        )
        ended += 1
    RevettingTrigger.objects.filter(person=person, closed_on__isnull=True).update(closed_on=on)
    deadlines.deadline_cancel(
        kind=DEADLINE_KIND, target=person, actor=actor, reason="Service ended"
    )
    return ended


clock(
    DEADLINE_KIND,
    "Every officer holds and maintains vetting clearance: re-vetting is due at the renewal "
    "date of the clearance's level, brought forward by a move to a post needing a higher "
    "level or a change of circumstances.",
    "Police (Vetting) Regulations 2025 reg 5; College of Policing Vetting APP",
    where=revetting_sync,
)
