"""The only way vetting applications change. One user action, one transaction.

Clearances and re-vetting triggers live in ``vetting.revetting``; both are this app's
public interface (other apps call ``clearance_post_change`` and ``circumstances_report``).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_event
from psd.domain import DomainError
from psd.rules import four_eyes_refusal, guard, refuse_if

from . import selectors
from .models import (
    Appeal,
    AppealOutcome,
    Applicant,
    ApplicationStatus,
    CheckResult,
    ListMatchResolution,
    MatchResolution,
    RefusalReason,
    VettingApplication,
    VettingCheck,
)
from .revetting import (  # noqa: F401 - re-exported: the app's public interface
    circumstances_report,
    clearance_change_status,
    clearance_from_application,
    clearance_post_change,
    clearance_record,
    clearance_status_actions,
    require_vetting_officer,
)


def _not_future(day: datetime.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise DomainError(f"{what} cannot be in the future.", field=field)


def _lock(application: VettingApplication) -> VettingApplication:
    return (
        VettingApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "person", "level")
        .get(pk=application.pk)
    )


def _audit(actor, action: str, application, reason: str = "") -> None:
    audit_event(actor=actor, action=f"vetting.{action}", obj=application, reason=reason)


# --- Guards: why an action may not be taken on this application now (None: it may) -------
# Each service calls its guard first; the application page offers an action exactly when its
# guard returns None (vetting.views).


def _status_refusal(application, statuses, action: str) -> str | None:
    if application.status not in statuses:
        return (
            f"This application is {application.get_status_display().lower()}: "
            f"it cannot be {action}."
        )
    return None


@guard("Checks and list matches are recorded while the application is open.")
def application_change_refusal(*, actor, application: VettingApplication) -> str | None:
    return _status_refusal(application, (ApplicationStatus.OPEN,), "changed")


@guard(
    "Clearance is granted only on an open application with every mandatory check recorded "
    "and no barred or advisory list match unresolved or confirmed.",
    "Police Barred List and Police Advisory List Regulations 2017; College of Policing Vetting APP",
)
def application_grant_refusal(*, actor, application: VettingApplication) -> str | None:
    refusal = _status_refusal(application, (ApplicationStatus.OPEN,), "granted")
    if refusal:
        return refusal
    missing = selectors.missing_mandatory_checks(application)
    if missing:
        names = ", ".join(check.name for check in missing)
        return f"Record every mandatory check before granting. Missing: {names}."
    for match in selectors.list_matches(application):
        described = (
            f"The possible {match.entry_type_label.lower()} match "
            f"({match.entry.full_name}, {match.entry.number})"
        )
        if match.is_unresolved:
            # Vetting APP / Barred List Regs 2017: both lists are checked before appointment.
            return (
                f"{described} is unresolved: record whether it is the same person before granting."
            )
        if match.is_same_person:
            return f"{described} is the same person: the application must be refused."
    return None


@guard("A refusal is proposed on an open application, for a second officer to approve.")
def application_propose_refusal_refusal(*, actor, application: VettingApplication) -> str | None:
    return _status_refusal(application, (ApplicationStatus.OPEN,), "refused")


def _second_officer(actor, application: VettingApplication, what: str) -> str | None:
    return four_eyes_refusal(
        actor=actor,
        excluded=[
            (
                application.refusal_proposed_by_id,
                f"A second vetting officer must {what} this refusal: you proposed it.",
            )
        ],
    )


@guard(
    "A proposed refusal is approved by a second vetting officer, never its proposer (four-eyes)."
)
def application_approve_refusal_refusal(*, actor, application: VettingApplication) -> str | None:
    return _status_refusal(
        application, (ApplicationStatus.REFUSAL_PROPOSED,), "refused"
    ) or _second_officer(actor, application, "approve")


@guard(
    "A proposed refusal is returned to open by a second vetting officer, never its proposer "
    "(four-eyes)."
)
def application_reject_refusal_refusal(*, actor, application: VettingApplication) -> str | None:
    return _status_refusal(
        application, (ApplicationStatus.REFUSAL_PROPOSED,), "returned"
    ) or _second_officer(actor, application, "reject")


@guard("An application is withdrawn while it is undecided.")
def application_withdraw_refusal(*, actor, application: VettingApplication) -> str | None:
    return _status_refusal(application, ApplicationStatus.undecided(), "withdrawn")


@guard("One appeal is recorded against a refusal.", "College of Policing Vetting APP")
def appeal_record_refusal(*, actor, application: VettingApplication) -> str | None:
    refusal = _status_refusal(application, (ApplicationStatus.REFUSED,), "appealed")
    if refusal is None and Appeal.objects.filter(application=application).exists():
        return "An appeal against this refusal is already recorded."
    return refusal


@guard(
    "An appeal is decided once, by someone who took no part in the refusal (four-eyes).",
    "College of Policing Vetting APP",
)
def appeal_decide_refusal(*, actor, application: VettingApplication) -> str | None:
    appeal = Appeal.objects.filter(application=application).first()
    if appeal is None:
        return "No appeal is recorded for this application."
    if appeal.outcome != AppealOutcome.PENDING:
        return f"This appeal was already {appeal.get_outcome_display().lower()}."
    took_part = "An appeal is decided by someone who took no part in the refusal."
    return four_eyes_refusal(
        actor=actor,
        excluded=[
            (application.refusal_proposed_by_id, took_part),
            (application.decided_by_id, took_part),
        ],
    )


@guard("An applicant who joins is linked once to their entry in the personnel register.")
def applicant_link_person_refusal(*, actor, applicant: Applicant | None) -> str | None:
    if applicant is None:
        return "This application is from someone already on the register."
    if applicant.person_id:
        return f"{applicant.full_name} is already linked to {applicant.person}."
    return None


# --- Applicants and applications ------------------------------------------------------------
@transaction.atomic
def applicant_create(
    *, actor, forename: str, surname: str, date_of_birth: datetime.date, **contact
) -> Applicant:
    require_vetting_officer(actor, "record an applicant")
    if date_of_birth >= timezone.localdate():
        raise DomainError("Date of birth must be in the past.", field="date_of_birth")
    applicant = Applicant.objects.create(
        forename=forename.strip(), surname=surname.strip(), date_of_birth=date_of_birth, **contact
    )
    audit_event(actor=actor, action="vetting.applicant_created", obj=applicant)
    return applicant


@transaction.atomic
def applicant_link_person(*, actor, applicant: Applicant, person) -> Applicant:
    """The applicant joined: link them to their register entry. A clearance granted to them
    before they joined is created for the person now."""
    require_vetting_officer(actor, "link an applicant to the register")
    locked = Applicant.objects.select_for_update().get(pk=applicant.pk)
    refuse_if(applicant_link_person_refusal(actor=actor, applicant=locked))
    if Applicant.objects.filter(person=person).exists():
        raise DomainError(f"{person} is already linked to another applicant.", field="person")
    locked.person = person
    locked.save(update_fields=["person"])
    for application in locked.applications.filter(
        status=ApplicationStatus.GRANTED, clearance__isnull=True
    ).order_by("decided_on", "pk"):
        clearance_from_application(application=application, person=person, actor=actor)
    audit_event(actor=actor, action="vetting.applicant_linked", obj=locked)
    applicant.person = person
    return locked


@transaction.atomic
def application_create(
    *,
    actor,
    level,
    received_on: datetime.date,
    applicant: Applicant | None = None,
    person=None,
    post=None,
) -> VettingApplication:
    require_vetting_officer(actor, "record an application")
    if (applicant is None) == (person is None):
        raise DomainError("Choose an applicant or a person on the register, not both.")
    if level.recorded_only:
        raise DomainError(
            f"{level.label} is a national security level: record the clearance, "
            "it is not applied for here.",
            field="level",
        )
    _not_future(received_on, "received_on", "The date received")
    if post is not None and post.required_level.order > level.order:
        raise DomainError(
            f"{post.name} needs {post.required_level.label}; apply for that level.",
            field="level",
        )
    pending = VettingApplication.objects.filter(
        status__in=ApplicationStatus.undecided(), level=level
    )
    if pending.filter(applicant=applicant, person=person).exists():
        raise DomainError(f"An undecided {level.label} application is already open for them.")
    application = VettingApplication.objects.create(
        applicant=applicant,
        person=person,
        level=level,
        post=post,
        received_on=received_on,
        created_by=actor,
    )
    _audit(actor, "application_created", application)
    return application


# --- Checks and list matches ----------------------------------------------------------------
@transaction.atomic
def check_record(
    *,
    actor,
    application: VettingApplication,
    check: VettingCheck,
    result: str,
    done_on: datetime.date,
    notes: str = "",
) -> CheckResult:
    """Record (or correct) the result of one check on an undecided application."""
    require_vetting_officer(actor, "record a check")
    locked = _lock(application)
    refuse_if(application_change_refusal(actor=actor, application=locked))
    _not_future(done_on, "done_on", "The date of the check")
    if done_on < locked.received_on:
        raise DomainError(
            "The check cannot be before the application was received.", field="done_on"
        )
    row, _ = CheckResult.objects.update_or_create(
        application=locked,
        check_item=check,
        defaults={"result": result, "done_on": done_on, "done_by": actor, "notes": notes},
    )
    _audit(actor, "check_recorded", locked, reason=f"{check.name}: {result}")
    return row


@transaction.atomic
def list_match_resolve(
    *,
    actor,
    application: VettingApplication,
    entry_type: str,
    entry_id: int,
    resolution: str,
    reason: str,
) -> ListMatchResolution:
    """Record whether a possible barred/advisory list match is the applicant."""
    require_vetting_officer(actor, "resolve a list match")
    locked = _lock(application)
    refuse_if(application_change_refusal(actor=actor, application=locked))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say how you decided whether it is the same person.", field="reason")
    if resolution not in MatchResolution.values:
        raise DomainError("Choose whether it is the same person.", field="resolution")
    match = next(
        (
            m
            for m in selectors.list_matches(locked)
            if m.entry_type == entry_type and m.entry.pk == entry_id
        ),
        None,
    )
    if match is None:
        raise DomainError("That list entry is not a possible match for this application.")
    if match.resolution is not None:
        raise DomainError("That possible match has already been resolved.")
    try:
        with transaction.atomic():
            row = ListMatchResolution.objects.create(
                application=locked,
                entry_type=entry_type,
                entry_id=entry_id,
                resolution=resolution,
                reason=reason,
                resolved_by=actor,
            )
    except IntegrityError:
        raise DomainError("That possible match has already been resolved.") from None
    _audit(actor, "list_match_resolved", locked, reason=f"{entry_type} {resolution}")
    return row


# --- Decisions ------------------------------------------------------------------------------
@transaction.atomic
def application_grant(
    *,
    actor,
    application: VettingApplication,
    granted_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> VettingApplication:
    """Grant the clearance. Refused while a mandatory check is missing or a list match is
    unresolved. The expiry defaults to the level's renewal interval."""
    require_vetting_officer(actor, "grant clearance")
    locked = _lock(application)
    refuse_if(application_grant_refusal(actor=actor, application=locked))
    granted_on = granted_on or timezone.localdate()
    _not_future(granted_on, "granted_on", "The date of grant")
    if granted_on < locked.received_on:
        raise DomainError(
            "Clearance cannot be granted before the application was received.", field="granted_on"
        )
    expires_on = expires_on or locked.level.expiry_for(granted_on)
    if expires_on is not None and expires_on <= granted_on:
        raise DomainError(
            f"The expiry date ({expires_on:%d %B %Y}) must be after the date of grant "
            f"({granted_on:%d %B %Y}).",
            field="expires_on",
        )
    locked.grant(by=actor, on=granted_on, expires_on=expires_on)
    locked.save()
    person = locked.subject_person
    if person is not None:
        clearance_from_application(application=locked, person=person, actor=actor)
    _audit(actor, "application_granted", locked)
    return locked


@transaction.atomic
def application_propose_refusal(
    *, actor, application: VettingApplication, reason: RefusalReason | None, details: str = ""
) -> VettingApplication:
    """First half of a refusal: a second vetting officer must approve it (four-eyes)."""
    require_vetting_officer(actor, "propose a refusal")
    locked = _lock(application)
    refuse_if(application_propose_refusal_refusal(actor=actor, application=locked))
    if reason is None:
        raise DomainError("Choose the reason for the refusal.", field="reason")
    locked.propose_refusal(by=actor, at=timezone.now(), reason=reason, details=details.strip())
    locked.save()
    _audit(actor, "refusal_proposed", locked, reason=reason.name)
    return locked


@transaction.atomic
def application_approve_refusal(
    *, actor, application: VettingApplication, decided_on: datetime.date | None = None
) -> VettingApplication:
    require_vetting_officer(actor, "approve a refusal")
    locked = _lock(application)
    refuse_if(application_approve_refusal_refusal(actor=actor, application=locked))
    decided_on = decided_on or timezone.localdate()
    _not_future(decided_on, "decided_on", "The date of the decision")
    locked.approve_refusal(by=actor, on=decided_on)
    locked.save()
    _audit(actor, "refusal_approved", locked, reason=locked.refusal_reason.name)
    return locked


@transaction.atomic
def application_reject_refusal(
    *, actor, application: VettingApplication, note: str
) -> VettingApplication:
    """The second officer does not agree: the application is open again."""
    require_vetting_officer(actor, "reject a proposed refusal")
    locked = _lock(application)
    refuse_if(application_reject_refusal_refusal(actor=actor, application=locked))
    note = (note or "").strip()
    if not note:
        raise DomainError("Say why the refusal is not approved.", field="note")
    locked.reject_refusal()
    locked.save()
    _audit(actor, "refusal_rejected", locked, reason=note)
    return locked


@transaction.atomic
def application_withdraw(
    *, actor, application: VettingApplication, reason: str, on: datetime.date | None = None
) -> VettingApplication:
    require_vetting_officer(actor, "withdraw an application")
    locked = _lock(application)
    refuse_if(application_withdraw_refusal(actor=actor, application=locked))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason the application is withdrawn.", field="reason")
    on = on or timezone.localdate()
    _not_future(on, "on", "The date")
    locked.withdraw(by=actor, on=on, reason=reason[:300])
    locked.save()
    _audit(actor, "application_withdrawn", locked, reason=reason)
    return locked


# --- Appeals --------------------------------------------------------------------------------
@transaction.atomic
def appeal_record(
    *, actor, application: VettingApplication, lodged_on: datetime.date, grounds: str
) -> Appeal:
    require_vetting_officer(actor, "record an appeal")
    locked = _lock(application)
    refuse_if(appeal_record_refusal(actor=actor, application=locked))
    grounds = (grounds or "").strip()
    if not grounds:
        raise DomainError("Record the grounds of appeal.", field="grounds")
    _not_future(lodged_on, "lodged_on", "The date the appeal was lodged")
    if lodged_on < locked.decided_on:
        raise DomainError("An appeal cannot be lodged before the refusal.", field="lodged_on")
    appeal = Appeal.objects.create(
        application=locked, lodged_on=lodged_on, grounds=grounds, recorded_by=actor
    )
    _audit(actor, "appeal_recorded", locked)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor, appeal: Appeal, outcome: str, decided_on: datetime.date, notes: str = ""
) -> Appeal:
    """Upheld: the application is reconsidered (open again). Dismissed: the refusal stands.
    Decided by someone who took no part in the refusal."""
    require_vetting_officer(actor, "decide an appeal")
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    application = _lock(locked.application)
    refuse_if(appeal_decide_refusal(actor=actor, application=application))
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.DISMISSED):
        raise DomainError("Choose upheld or dismissed.", field="outcome")
    _not_future(decided_on, "decided_on", "The date of the decision")
    if decided_on < locked.lodged_on:
        raise DomainError("The appeal cannot be decided before it was lodged.", field="decided_on")
    locked.outcome, locked.decided_on, locked.decided_by = outcome, decided_on, actor
    locked.notes = notes.strip()
    locked.save()
    if outcome == AppealOutcome.UPHELD:
        application.reopen_on_appeal()
        application.save()
    _audit(actor, f"appeal_{outcome}", application, reason=notes)
    appeal.outcome = outcome
    return locked


@transaction.atomic
def application_receive(
    *,
    actor,
    level,
    received_on: datetime.date,
    post=None,
    person=None,
    applicant_details: dict | None = None,
) -> VettingApplication:
    """Record an application from someone on the register (``person``) or from a new
    applicant (``applicant_details``: forename, surname, date_of_birth, contact fields)."""
    applicant = None
    if person is None and applicant_details:
        applicant = applicant_create(actor=actor, **applicant_details)
    return application_create(
        actor=actor,
        level=level,
        received_on=received_on,
        applicant=applicant,
        person=person,
        post=post,
    )
