"""Appeals against outcomes, each its own record (cases.models.Appeal).

- After a misconduct **meeting**: an appeal to the appropriate authority (CR 2020 reg 45),
  by written notice before the end of 7 working days beginning with the first working day
  after the reg 43 report is given (extendable by the appropriate authority for exceptional
  circumstances). The person determining it may confirm or reverse the decision, or deal with
  the officer in any way the meeting could have under reg 42 (reg 47(1)); the decision is
  substituted as from the date of the written notice of the meeting's outcome (reg 47(3)).
- After a misconduct **hearing** or **accelerated hearing** (the "original hearing", PAT Rules
  2020 r3(1)): the Police Appeals Tribunal (Police Act 1996 s85).

The result flows on: a substituted or overturned outcome stops counting in the live-warning
history (status superseded), the barred list is told (s88F further report when a dismissal is
overturned or varied away; a new entry when an appeal substitutes a dismissal) and vetting
hears of it (``cases.signals.appeal_decided``).
"""

import datetime

from django.db import transaction

from accounts.models import User
from deadlines import services as deadlines
from deadlines.models import DeadlineKind
from psd.domain import DomainError
from psd.rules import clock, guard, plausible_dates, refuse_if, rule

from ..models import (
    Appeal,
    AppealKind,
    AppealResult,
    Finding,
    Forum,
    Outcome,
    OutcomeStatus,
    SubjectTrack,
    TrackState,
)
from ..signals import appeal_decided
from . import lists
from ._core import (
    lock_case,
    lock_track,
    require,
    today,
    track_transition_refusal,
    transition_track,
)
from .outcomes import OutcomeData, outcome_live_until, validate_outcome
from .staff import is_police_staff

WINDOW_KIND = {
    AppealKind.APPROPRIATE_AUTHORITY: "appeal_meeting_window",
    AppealKind.TRIBUNAL: "pat_appeal_window",
}
FORUM_APPEAL = {
    Forum.MEETING: AppealKind.APPROPRIATE_AUTHORITY,
    Forum.HEARING: AppealKind.TRIBUNAL,
    Forum.ACCELERATED_HEARING: AppealKind.TRIBUNAL,
}
PROVEN = {Finding.MISCONDUCT_PROVEN, Finding.GROSS_MISCONDUCT_PROVEN}
DECIDED = [AppealResult.DISMISSED, AppealResult.VARIED, AppealResult.OVERTURNED]


@rule(
    "An appeal lies against an approved outcome in which misconduct or gross misconduct was "
    "found: after a misconduct meeting to the appropriate authority (against the finding or "
    "the disciplinary action), after a misconduct hearing or accelerated hearing to the Police "
    "Appeals Tribunal. Police staff appeal under the force's staff policy, not these routes.",
    "CR 2020 reg 45(1); PAT Rules 2020 r3(1) (“original hearing”); CR 2020 reg 4(1)",
    verified=True,
)
def appeal_kind_for(outcome: Outcome) -> str | None:
    """Where an appeal against ``outcome`` lies, or None when none lies under these rules."""
    if outcome.status != OutcomeStatus.APPROVED or outcome.track_id is None:
        return None
    if outcome.finding not in PROVEN or is_police_staff(outcome.track.person):
        return None
    return FORUM_APPEAL.get(outcome.forum or outcome.track.forum)


def appealable_outcomes(track: SubjectTrack) -> list[Outcome]:
    """The subject's approved outcomes an appeal lies against, none was lodged against and
    none was substituted on appeal (the appeal's decision is the last word)."""
    outcomes = (
        track.outcomes.filter(
            status=OutcomeStatus.APPROVED, appeals__isnull=True, varied_by_appeal__isnull=True
        )
        .select_related("allegation", "track__person")
        .order_by("allegation__number", "pk")
    )
    return [o for o in outcomes if appeal_kind_for(o)]


def _window_kind(kind: str) -> DeadlineKind:
    return DeadlineKind.objects.get(code=WINDOW_KIND[kind])


def appeal_window_ends(kind: str, notified_on: datetime.date) -> datetime.date:
    """The last day to give notice of appeal, from the kind's rule (editable data)."""
    return deadlines.due_date_for(_window_kind(kind), notified_on)


@guard(
    "An appeal is lodged only once an outcome it lies against has been approved: after a "
    "misconduct meeting to the appropriate authority, after a hearing to the Police Appeals "
    "Tribunal; one appeal per outcome.",
    "CR 2020 reg 45(1), (3); PAT Rules 2020 r3(1)",
    verified=True,
)
def track_lodge_appeal_refusal(*, actor: User, track: SubjectTrack, facts=None) -> str | None:
    refusal = track_transition_refusal(track, "appeal")
    if refusal:
        return refusal
    if not appealable_outcomes(track):
        return (
            f"{track.person.full_name} has no approved outcome of a misconduct meeting or "
            "hearing with misconduct found that an appeal lies against."
        )
    return None


@guard(
    "The result of an appeal is recorded for an appeal that is pending: dismissed, the "
    "outcome varied (to one the original forum could give), or the finding overturned.",
    "CR 2020 reg 47(1); Police Act 1996 s85",
    verified=False,
)
def track_record_appeal_result_refusal(
    *, actor: User, track: SubjectTrack, facts=None
) -> str | None:
    if track.state != TrackState.APPEAL:
        return f"{track.person.full_name} has no appeal pending."
    return None


@plausible_dates
@transaction.atomic
def track_lodge_appeal(
    *,
    actor: User,
    track: SubjectTrack,
    outcome: Outcome,
    lodged_on: datetime.date,
    grounds: str,
    extension_reason: str = "",
) -> Appeal:
    """Record a notice of appeal against one approved outcome, in time or (with the reason it
    was accepted) out of time."""
    require(actor, "change_case", track.case)
    case = lock_case(track.case)
    track = lock_track(case, track)
    refuse_if(track_lodge_appeal_refusal(actor=actor, track=track))
    outcome = next((o for o in appealable_outcomes(track) if o.pk == outcome.pk), None)
    if outcome is None:
        raise DomainError("Choose an approved outcome this appeal is against.", field="outcome")
    if not grounds.strip():
        raise DomainError("Give the grounds of appeal.", field="grounds")
    if lodged_on > today() or lodged_on < outcome.effective_on:
        raise DomainError(
            "The notice of appeal must be dated between the outcome and today.",
            field="lodged_on",
        )
    kind = appeal_kind_for(outcome)
    window_ends = appeal_window_ends(kind, outcome.effective_on)
    in_time = lodged_on <= window_ends
    if not in_time and not extension_reason.strip():
        raise DomainError(
            f"The time to appeal ended on {window_ends:%d/%m/%Y}. An appeal out of time needs "
            "the reason it was accepted (exceptional circumstances).",
            field="extension_reason",
        )
    appeal = Appeal.objects.create(
        track=track,
        outcome=outcome,
        kind=kind,
        lodged_on=lodged_on,
        window_ends_on=window_ends,
        in_time=in_time,
        extension_reason=extension_reason.strip() if not in_time else "",
        grounds=grounds.strip(),
        recorded_by=actor,
    )
    transition_track(
        track,
        "appeal",
        actor=actor,
        reason=f"{appeal.get_kind_display()} lodged {lodged_on:%d/%m/%Y} against allegation "
        f"{outcome.allegation.number} ({'in time' if in_time else 'out of time'}): {grounds}",
    )
    return appeal


@plausible_dates
@transaction.atomic
def track_record_appeal_result(
    *,
    actor: User,
    track: SubjectTrack,
    result: str,
    decided_on: datetime.date,
    reasons: str,
    new_action: str = "",
) -> Appeal:
    """Record the appeal's result and carry it through to the outcome, the barred list and
    vetting."""
    require(actor, "change_case", track.case)
    case = lock_case(track.case)
    track = lock_track(case, track)
    refuse_if(track_record_appeal_result_refusal(actor=actor, track=track))
    appeal = Appeal.objects.select_for_update().filter(track=track, result="").first()
    if appeal is None:
        raise DomainError(f"{track.person.full_name} has no appeal pending.")
    if result not in DECIDED:
        raise DomainError("Choose the appeal's result.", field="result")
    if not reasons.strip():
        raise DomainError("Give the reasons for the result.", field="reasons")
    if decided_on > today() or decided_on < appeal.lodged_on:
        raise DomainError(
            "The decision date must be between the appeal and today.", field="decided_on"
        )
    old = appeal.outcome
    new = None
    if old is not None and result != AppealResult.DISMISSED:
        new = substitute_on_appeal(case, track, old, result, new_action, reasons)
    elif new_action:
        raise DomainError(
            "A new outcome is given only when the appeal varies the outcome.", field="new_action"
        )
    appeal.result, appeal.decided_on, appeal.result_reasons = result, decided_on, reasons.strip()
    appeal.varied_outcome, appeal.decided_by = new, actor
    appeal.save()
    transition_track(
        track,
        "appeal_decided",
        actor=actor,
        reason=f"{appeal.get_kind_display()}: {appeal.get_result_display()}. {reasons}",
    )
    if new is not None:
        _barred_list(old, new, actor=actor, decided_on=decided_on, appeal=appeal)
    appeal_decided.send(
        sender=Appeal, appeal=appeal, superseded=old if new else None, substituted=new, actor=actor
    )
    return appeal


@rule(
    "On appeal the outcome may be varied only to one the original forum could have given "
    "(after a meeting: any reg 42 outcome of a meeting); the substituted outcome takes effect "
    "from the date of the original outcome's notice. A finding overturned leaves the "
    "allegation not proven.",
    "CR 2020 reg 47(1)(b), (3)",
    verified=True,
)
def substitute_on_appeal(
    case, track, old: Outcome, result: str, new_action: str, reasons: str
) -> Outcome:
    if result == AppealResult.OVERTURNED:
        finding, action = Finding.NOT_PROVEN, "none"
        if new_action:
            raise DomainError(
                "A finding overturned leaves no disciplinary action.", field="new_action"
            )
    else:
        finding, action = old.finding, new_action
        if not new_action or new_action == old.action:
            raise DomainError("Give the outcome substituted on appeal.", field="new_action")
        data = OutcomeData(
            old.allegation, track, finding, action, old.prior_warning_or_several_matters
        )
        try:
            validate_outcome(case, data)
        except DomainError as error:
            raise DomainError(str(error), field="new_action") from error
    Outcome.objects.filter(pk=old.pk).update(status=OutcomeStatus.SUPERSEDED)
    new = Outcome(
        allegation=old.allegation,
        track=track,
        decision=old.decision,
        finding=finding,
        action=action,
        forum=old.forum,
        prior_warning_or_several_matters=old.prior_warning_or_several_matters,
        effective_on=old.effective_on,
        rationale=f"Substituted on appeal: {reasons.strip()}",
        status=OutcomeStatus.APPROVED,
    )
    # The one live-period rule (reg 42 periods, an extended final written warning, staff list).
    new.live_until = outcome_live_until(new)
    new.save()
    return new


def _barred_list(old: Outcome, new: Outcome, *, actor, decided_on, appeal: Appeal) -> None:
    """s88F: a dismissal overturned or varied away is reported again and then removed; a
    dismissal substituted on appeal is reported like any other."""
    was, now = lists.counts_as_dismissal(old), lists.counts_as_dismissal(new)
    if was and not now:
        lists.dismissal_overturned(
            actor=actor,
            outcome=old,
            decided_on=decided_on,
            reason=f"{appeal.get_kind_display()}: {appeal.get_result_display().lower()} "
            f"on {decided_on:%d/%m/%Y}.",
        )
    elif now and not was:
        lists.after_outcomes([new], actor=actor)


# --- The appeal windows (data in deadlines.DeadlineKind; the rule of each) --------------------
clock(
    "appeal_meeting_window",
    "After a misconduct meeting the officer gives written notice of appeal to the appropriate "
    "authority before the end of 7 working days beginning with the first working day after "
    "the reg 43 report is given (the outcome's effective date here); the appropriate "
    "authority may extend this for exceptional circumstances.",
    "CR 2020 reg 45(3)(a)",
    verified=True,
    where=track_lodge_appeal,
)
clock(
    "pat_appeal_window",
    "After a misconduct hearing or accelerated hearing, notice of appeal to the Police "
    "Appeals Tribunal within the period the PAT Rules set (configured: 10 working days after "
    "the written decision); extension by the tribunal.",
    "PAT Rules 2020 (notice of appeal: rule not read)",
    verified=False,
    where=track_lodge_appeal,
)
