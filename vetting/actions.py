"""The actions the application and person pages post: form, guard, service call, message.

One table instead of a view per action keeps each view short (see vetting.views). The page
offers an application action exactly when its service's guard (vetting.services) returns
None for the user and the application.
"""

from collections.abc import Callable
from dataclasses import dataclass

from psd.domain import DomainError
from psd.rules import refuse_if

from . import forms, services
from .models import Clearance


def _always(*, actor, **target) -> None:
    """Person actions: a vetting officer may record them at any time (their services check
    the input)."""
    return None


@dataclass(frozen=True)
class ActionSpec:
    form: type
    run: Callable  # run(actor, target, cleaned_data)
    done: str
    guard: Callable = _always  # guard(actor=, application=) -> str | None


def _link_guard(*, actor, application):
    return services.applicant_link_person_refusal(actor=actor, applicant=application.applicant)


def _calls(service: Callable, target: str) -> Callable:
    """run() for a service that takes the form's fields as they are: ``target`` names the
    keyword the page's object is passed as (``application`` or ``person``)."""

    def run(actor, obj, d):
        return service(actor=actor, **{target: obj}, **d)

    return run


def _check(actor, application, d):
    return services.check_record(
        actor=actor,
        application=application,
        check=d["check"],
        result=d["result"],
        done_on=d["done_on"],
        notes=d["notes"],
    )


def _resolve(actor, application, d):
    return services.list_match_resolve(
        actor=actor,
        application=application,
        entry_type=d["entry_type"],
        entry_id=d["entry_id"],
        resolution=d["resolution"],
        reason=d["reason"],
    )


def _appeal_decide(actor, application, d):
    appeal = getattr(application, "appeal", None)
    if appeal is None:
        raise DomainError("No appeal is recorded for this application.")
    return services.appeal_decide(
        actor=actor,
        appeal=appeal,
        outcome=d["outcome"],
        decided_on=d["decided_on"],
        notes=d["notes"],
    )


def _link(actor, application, d):
    refuse_if(_link_guard(actor=actor, application=application))
    return services.applicant_link_person(
        actor=actor, applicant=application.applicant, person=d["person"]
    )


APPLICATION_ACTIONS = {
    "check": ActionSpec(
        forms.CheckForm, _check, "Check recorded.", services.application_change_refusal
    ),
    "resolve": ActionSpec(
        forms.ResolveMatchForm,
        _resolve,
        "List match resolved.",
        services.application_change_refusal,
    ),
    "grant": ActionSpec(
        forms.GrantForm,
        _calls(services.application_grant, "application"),
        "Clearance granted.",
        services.application_grant_refusal,
    ),
    "propose_refusal": ActionSpec(
        forms.ProposeRefusalForm,
        _calls(services.application_propose_refusal, "application"),
        "Refusal proposed: a second vetting officer must approve it.",
        services.application_propose_refusal_refusal,
    ),
    "approve_refusal": ActionSpec(
        forms.ApproveRefusalForm,
        _calls(services.application_approve_refusal, "application"),
        "Refusal approved.",
        services.application_approve_refusal_refusal,
    ),
    "reject_refusal": ActionSpec(
        forms.RejectRefusalForm,
        _calls(services.application_reject_refusal, "application"),
        "Refusal not approved: the application is open again.",
        services.application_reject_refusal_refusal,
    ),
    "withdraw": ActionSpec(
        forms.WithdrawForm,
        _calls(services.application_withdraw, "application"),
        "Application withdrawn.",
        services.application_withdraw_refusal,
    ),
    "appeal": ActionSpec(
        forms.AppealForm,
        _calls(services.appeal_record, "application"),
        "Appeal recorded.",
        services.appeal_record_refusal,
    ),
    "appeal_decide": ActionSpec(
        forms.AppealDecisionForm, _appeal_decide, "Appeal decided.", services.appeal_decide_refusal
    ),
    "link": ActionSpec(
        forms.LinkPersonForm, _link, "Applicant linked to the register.", _link_guard
    ),
}


def _clearance_status(actor, person, d):
    clearance = Clearance.objects.filter(pk=d["clearance"], person=person).first()
    if clearance is None:
        raise DomainError("That clearance does not belong to this person.")
    return services.clearance_change_status(
        actor=actor, clearance=clearance, action=d["action"], reason=d["reason"], on=d["on"]
    )


def _post_change(actor, person, d):
    trigger = services.clearance_post_change(actor=actor, person=person, **d)
    if trigger is None:
        raise DomainError(
            f"The clearance held already covers {d['post'].name}: no re-vetting is needed."
        )
    return trigger


PERSON_ACTIONS = {
    "post_change": ActionSpec(
        forms.PostChangeForm, _post_change, "Re-vetting brought forward for the new post."
    ),
    "circumstances": ActionSpec(
        forms.CircumstancesForm,
        _calls(services.circumstances_report, "person"),
        "Change of circumstances recorded: re-vetting brought forward.",
    ),
    "clearance_status": ActionSpec(
        forms.ClearanceStatusForm, _clearance_status, "Clearance updated."
    ),
    "record": ActionSpec(
        forms.RecordClearanceForm,
        _calls(services.clearance_record, "person"),
        "National security clearance recorded.",
    ),
}


def offered_application_actions(actor, application) -> dict[str, str | None]:
    """Each application action with its guard's answer for ``actor`` now (None: offered)."""
    return {
        name: spec.guard(actor=actor, application=application)
        for name, spec in APPLICATION_ACTIONS.items()
    }
