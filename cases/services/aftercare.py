"""After the outcome, and other steps off the main path: review, discontinuance, the
12-month report, reflective practice stages, the criminal route (appeals: appeals.py)."""

import datetime

from django.db import transaction

from accounts.models import User
from deadlines.calendar import add_months
from deadlines.models import DeadlineKind
from deadlines.services import due_date_for
from psd.domain import DomainError
from psd.rules import guard, plausible_dates, refuse_if, rule

from .. import clocks
from ..models import (
    Case,
    CriminalReferral,
    InvestigationMode,
    Outcome,
    OutcomeStatus,
    ReflectivePractice,
    ReflectiveStage,
    ReviewBody,
    ReviewRequest,
    ReviewResult,
    Severity,
    State,
    SubjectTrack,
)
from ._core import (
    case_transition_refusal,
    close_case,
    lock_case,
    log_transition,
    require,
    today,
    transition_case,
    transition_track,
)
from .facts import facts_for, referral_required


@rule(
    "A review application is made within 28 days starting with the day after the day the "
    "information about the right of review was provided (with the outcome).",
    "C&M Regs 2020 reg 29(2)",
    verified=True,
)
def review_deadline(case: Case) -> datetime.date | None:
    """Last day to apply: 28 days starting with the day after the outcome (with the right of
    review) was sent (C&M Regs 2020 reg 29(2)), i.e. outcome date + 28: the review_window
    clock's own rule."""
    if case.outcome_sent_on is None:
        return None
    return due_date_for(DeadlineKind.objects.get(code="review_window"), case.outcome_sent_on)


@rule(
    "An application out of time is accepted only when the review body extends the period, "
    "with the reason recorded.",
    "C&M Regs 2020 reg 29(4)",
)
def _check_in_time(
    received_on: datetime.date, last_day: datetime.date, accepted: bool, reason: str
) -> None:
    if received_on > last_day and not (accepted and reason.strip()):
        raise DomainError(
            f"The review window closed on {last_day:%d/%m/%Y}. An application out of time "
            "needs the review body's extension and its reason (reg 29(4)).",
            field="received_on",
        )


@rule(
    "The IOPC is the review body for a complaint about a senior officer; one the appropriate "
    "authority cannot be satisfied, from the complaint alone, would not justify criminal or "
    "disciplinary proceedings or involve an Article 2 or 3 infringement; one referred (or "
    "that must be referred, or treated as referred) to the IOPC; one from the same incident "
    "as any of those; the local policing body for every other complaint. Derived from the "
    "case's records, never chosen by hand.",
    "C&M Regs 2020 reg 32; PRA 2002 Sch 3 para 30(1)(a)",
    verified=True,
)
def review_body_reasons(case: Case) -> list[str]:
    """Why the IOPC is the relevant review body (empty: the local policing body). The records
    used: subjects holding a chief-officer rank (above chief superintendent, PRA 2002 s29(1));
    the severity assessment (misconduct or gross misconduct: would justify disciplinary
    proceedings) and criminal referrals; referral criteria (death or serious injury, Article
    2/3; same incident); referrals, required referrals and call-ins."""
    reasons = []
    tracks = list(case.tracks.select_related("person__rank"))
    if any(t.person.rank_id and t.person.rank.is_chief_officer for t in tracks):
        reasons.append("about a senior officer (reg 32(a))")
    if any(t.severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT) for t in tracks) or (
        any(t.criminal_referral for t in tracks)
    ):
        reasons.append("could justify criminal or disciplinary proceedings (reg 32(b)(i))")
    latest = case.referral_assessments.order_by("-assessed_at", "-id").first()
    codes = set(latest.criteria.values_list("code", flat=True)) if latest else set()
    if codes & {"death_serious_injury", "dsi_matter"}:
        reasons.append("could involve an Article 2 or 3 infringement (reg 32(b)(ii))")
    if case.referrals.exists() or referral_required(case):
        reasons.append("referred, or must be referred, to the IOPC (reg 32(c))")
    if latest and latest.called_in:
        reasons.append("treated by the IOPC as referred (reg 32(d))")
    if "same_incident" in codes:
        reasons.append("from the same incident as such a complaint (reg 32(e))")
    return reasons


def review_body_for(case: Case) -> str:
    return ReviewBody.IOPC if review_body_reasons(case) else ReviewBody.LPB


@guard(
    "Only the complainant's review of a finalised complaint whose outcome was sent; conduct "
    "and DSI matters have none.",
    "C&M Regs 2020 reg 29(1)-(2)",
    verified=True,
)
def case_request_review_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if not case.is_complaint or case.outcome_sent_on is None:
        return "Only a complaint whose outcome was sent can be reviewed."
    return case_transition_refusal(case, "request_review")


@guard(
    "The review body's result is recorded for a review that was requested.",
    "C&M Regs 2020 reg 30",
)
def case_record_review_result_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state != State.REVIEW_REQUESTED:
        return "There is no open review for this case."
    return None


@guard(
    "An investigation is discontinued only while it is under way (with the IOPC's agreement "
    "when the case was referred).",
)
def case_discontinue_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "discontinue")


@guard(
    "The force reports on a relevant period of its own investigation while that period's "
    "clock runs (the 12 months, then each 6 months); the IOPC reports on investigations it "
    "directs or carries out.",
    "C&M Regs 2020 reg 13(1)-(3); CR 2020 reg 19(1)-(2)",
    verified=True,
)
def case_record_twelve_month_report_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.is_closed:
        return "The case is closed."
    if case.recorded_on is None:
        return "The 12-month report is made for a recorded case."
    if case.investigation_mode in (InvestigationMode.DIRECTED, InvestigationMode.INDEPENDENT):
        return clocks.twelve_month_duty(case)
    periods = facts_for(case, facts).running(clocks.PERIOD_KINDS, case)
    period = max(periods, key=lambda d: d.due_date, default=None)
    if period is None:
        return "No relevant period is running: the investigation is concluded or not begun."
    if today() <= period.due_date:
        return f"The relevant period ends on {period.due_date:%d/%m/%Y}: report after it ends."
    return None


@guard(
    "Reflective practice advances one stage at a time until the development review.",
    "CR 2020 Part 6 (regs 66-70)",
)
def rprp_record_stage_refusal(*, actor: User, rprp: ReflectivePractice, facts=None) -> str | None:
    if rprp.stage == ReflectiveStage.REVIEWED:
        return "Reflective practice is complete."
    return None


@plausible_dates
@transaction.atomic
def case_request_review(
    *,
    actor: User,
    case: Case,
    received_on: datetime.date,
    out_of_time_accepted: bool = False,
    extension_reason: str = "",
    expected_version: int | None = None,
) -> ReviewRequest:
    """The complainant's review application; the review body follows from reg 32."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_request_review_refusal(actor=actor, case=case))
    body = review_body_for(case)
    last_day = review_deadline(case)
    # C&M Regs 2020 reg 29: the review is the complainant's; conduct and DSI matters have none.
    if last_day is None or not case.is_complaint:
        raise DomainError("Only a complaint whose outcome was sent can be reviewed.")
    if received_on > today() or received_on < case.outcome_sent_on:
        raise DomainError(
            "The application date must be between the outcome and today.", field="received_on"
        )
    _check_in_time(received_on, last_day, out_of_time_accepted, extension_reason)
    transition_case(
        case, "request_review", actor=actor, reason=f"Review requested ({ReviewBody(body).label})"
    )
    clocks.review_requested(case, actor=actor)
    return ReviewRequest.objects.create(
        case=case,
        received_on=received_on,
        body=body,
        recorded_by=actor,
        out_of_time_accepted=received_on > last_day,
        extension_reason=extension_reason,
    )


@plausible_dates
@transaction.atomic
def case_record_review_result(
    *,
    actor: User,
    case: Case,
    result: str,
    decided_on: datetime.date | None = None,
    recommendations: str = "",
    expected_version: int | None = None,
) -> ReviewRequest:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_record_review_result_refusal(actor=actor, case=case))
    review = case.reviews.select_for_update().filter(result="").first()
    if review is None:
        raise DomainError("There is no open review for this case.")
    if result not in ReviewResult.values:
        raise DomainError("Choose whether the review was upheld.", field="result")
    name = "review_upheld" if result == ReviewResult.UPHELD else "review_not_upheld"
    transition_case(case, name, actor=actor, reason=recommendations or f"Review {result}")
    review.result, review.decided_on = result, decided_on or today()
    review.recommendations = recommendations
    review.save()
    if result == ReviewResult.UPHELD:
        # The reinvestigation ends in a new outcome: the old one no longer stands.
        Outcome.objects.filter(allegation__case=case, status=OutcomeStatus.APPROVED).update(
            status=OutcomeStatus.SUPERSEDED
        )
        clocks.case_recorded(case)
    return review


@transaction.atomic
def case_discontinue(
    *,
    actor: User,
    case: Case,
    reason: str,
    iopc_agreed: bool = False,
    expected_version: int | None = None,
) -> Case:
    require(actor, "approve_decision", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_discontinue_refusal(actor=actor, case=case))
    if not reason.strip():
        raise DomainError("Give the reasons for discontinuing.", field="reason")
    if case.referrals.exists() and not iopc_agreed:
        raise DomainError("A referred case is discontinued only with the IOPC's agreement.")
    return close_case(
        case, "discontinue", actor=actor, reason=reason, audit_reason="Investigation discontinued"
    )


@plausible_dates
@transaction.atomic
def case_record_twelve_month_report(
    *, actor: User, case: Case, reported_on: datetime.date | None = None, summary: str = ""
) -> Case:
    """C&M Regs 2020 reg 13 / CR 2020 reg 19: report to the LPB (and IOPC for complaints)."""
    require(actor, "change_case", case)
    case = lock_case(case)
    refuse_if(case_record_twelve_month_report_refusal(actor=actor, case=case))
    reported_on = reported_on or today()
    period = clocks.current_period(case)
    if period is not None and reported_on <= period.due_date:
        raise DomainError(
            f"The relevant period ends on {period.due_date:%d/%m/%Y}: the report on it is "
            "made after it ends.",
            field="reported_on",
        )
    clocks.twelve_month_report_made(case, actor=actor, on=reported_on)
    log_transition(
        case,
        name="twelve_month_report",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=summary or "12-month report made",
    )
    return case


STAGE_ORDER = [
    ReflectiveStage.NOTICE,
    ReflectiveStage.ACCOUNT,
    ReflectiveStage.FACT_FINDING,
    ReflectiveStage.DISCUSSION,
    ReflectiveStage.REPORT,
    ReflectiveStage.REVIEWED,
]


@plausible_dates
@transaction.atomic
def rprp_record_stage(
    *,
    actor: User,
    rprp: ReflectivePractice,
    stage: str,
    on: datetime.date | None = None,
    notes: str = "",
) -> ReflectivePractice:
    """Advance reflective practice one stage at a time (CR 2020 regs 66-70)."""
    require(actor, "change_case", rprp.track.case)
    rprp = (
        ReflectivePractice.objects.select_for_update()
        .select_related("track__case", "track__person")
        .get(pk=rprp.pk)
    )
    refuse_if(rprp_record_stage_refusal(actor=actor, rprp=rprp))
    on = on or today()
    if stage not in ReflectiveStage.values:
        raise DomainError("Choose a stage.", field="stage")
    if STAGE_ORDER.index(stage) != STAGE_ORDER.index(rprp.stage) + 1:
        raise DomainError(
            f"The next stage is “{STAGE_ORDER[STAGE_ORDER.index(rprp.stage) + 1].label}”."
            if rprp.stage != ReflectiveStage.REVIEWED
            else "Reflective practice is complete."
        )
    if on > today() or on < rprp.notice_on:
        raise DomainError("The date must be between the notice and today.", field="on")
    rprp.stage = stage
    if stage == ReflectiveStage.ACCOUNT:
        rprp.account_received_on = on
    elif stage == ReflectiveStage.DISCUSSION:
        rprp.discussion_on = on
    elif stage == ReflectiveStage.REPORT:
        rprp.report_sent_on, rprp.review_due = on, add_months(on, 12)
    elif stage == ReflectiveStage.REVIEWED:
        rprp.reviewed_on = on
    if notes:
        rprp.notes = f"{rprp.notes}\n{on:%d/%m/%Y}: {notes}".strip()
    rprp.save()
    if stage == ReflectiveStage.REVIEWED:
        track = SubjectTrack.objects.select_for_update().get(pk=rprp.track_id)
        transition_track(
            track, "complete_rprp", actor=actor, reason="Development review held", on=on
        )
    clocks.rprp_advanced(rprp, actor=actor)
    return rprp


@plausible_dates
@transaction.atomic
def track_refer_to_cps(
    *, actor: User, track: SubjectTrack, referred_on: datetime.date, pause_proceedings: bool = True
) -> CriminalReferral:
    require(actor, "change_case", track.case)
    track = SubjectTrack.objects.select_for_update().get(pk=track.pk)
    if referred_on > today():
        raise DomainError("The referral date cannot be in the future.", field="referred_on")
    track.criminal_referral, track.proceedings_paused = True, pause_proceedings
    track.save(update_fields=["criminal_referral", "proceedings_paused"])
    return CriminalReferral.objects.create(track=track, referred_to_cps_on=referred_on)


@transaction.atomic
def criminal_referral_update(
    *, actor: User, referral: CriminalReferral, **fields
) -> CriminalReferral:
    require(actor, "change_case", referral.track.case)
    referral = CriminalReferral.objects.select_for_update().get(pk=referral.pk)
    allowed = {"charging_decision", "charging_decision_on", "court_result", "court_result_on"}
    for name, value in fields.items():
        if name not in allowed:
            raise DomainError(f"Unknown field {name}.")
        setattr(referral, name, value)
    referral.save()
    if referral.court_result:
        SubjectTrack.objects.filter(pk=referral.track_id).update(proceedings_paused=False)
    return referral
