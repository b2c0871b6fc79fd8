"""Outcomes per subject and allegation (CR 2020 reg 42): what each forum may give, what each
subject may receive, live periods, and proposals refused without saving anything."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import PersonStatus, Rank, RoleType
from accounts.services import person_set_status
from cases import services
from cases.models import (
    Action,
    Allegation,
    Case,
    Decision,
    Finding,
    Forum,
    Outcome,
    OutcomeStatus,
    Regime,
    State,
    SubjectTrack,
    TrackState,
)
from cases.services import OutcomeData, live_until, validate_outcome
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory, StaffPersonFactory
from tests.cases.factories import complaint
from tests.cases.routes import concluded, fresh, outcome_proposed, outcomes_for, snapshot

pytestmark = pytest.mark.django_db
A, F = Action, Finding


def _person(kind="constable", status=PersonStatus.SERVING):
    if kind == "staff":
        return StaffPersonFactory.build(forename="Sue", surname="Staff", status=status)
    if kind == "pcso":
        return StaffPersonFactory.build(
            forename="Pat", surname="Pcso", role_type=RoleType.PCSO, status=status
        )
    rank = Rank.objects.get(name="Sergeant" if kind == "sergeant" else "Constable")
    return PersonFactory.build(forename="Ola", surname="Officer", rank=rank, status=status)


def _check(
    forum, finding, action, *, kind="constable", prior=False, state=TrackState.OUTCOME, **kw
):
    track = SubjectTrack(state=state, forum=forum, person=_person(kind, **kw))
    data = OutcomeData(
        allegation=Allegation(number=1),
        track=track,
        finding=finding,
        action=action,
        prior_warning_or_several_matters=prior,
    )
    validate_outcome(Case(regime=Regime.R2020), data)


ALLOWED = [
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.NONE, {}),
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.WRITTEN_WARNING, {}),
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.FINAL_WRITTEN_WARNING, {}),
    (Forum.MEETING, F.NOT_PROVEN, A.RPRP, {}),
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.FINAL_WRITTEN_WARNING, {}),
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.DISMISSAL, {"prior": True}),
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, {"prior": True, "kind": "sergeant"}),
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.FINAL_WRITTEN_WARNING, {}),
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.DISMISSAL, {}),
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, {"kind": "sergeant"}),
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.WOULD_HAVE_BEEN_DISMISSED,
        {"status": PersonStatus.RESIGNED},
    ),
    (Forum.ACCELERATED_HEARING, F.GROSS_MISCONDUCT_PROVEN, A.DISMISSAL, {}),
    (Forum.HEARING, F.NOT_PROVEN, A.NONE, {}),
]


@pytest.mark.parametrize(("forum", "finding", "action", "kw"), ALLOWED)
def test_outcomes_the_forum_may_give(forum, finding, action, kw):
    _check(forum, finding, action, **kw)


REFUSED = [
    # Meeting: at most a final written warning, and only misconduct (CR 2020 reg 42).
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.DISMISSAL, {}, "at most a final written warning"),
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, {"kind": "sergeant"}, "at most"),
    (Forum.MEETING, F.GROSS_MISCONDUCT_PROVEN, A.FINAL_WRITTEN_WARNING, {}, "only find misconduct"),
    (Forum.MEETING, F.GROSS_MISCONDUCT_PROVEN, A.DISMISSAL, {}, "only find misconduct"),
    # Hearing, misconduct: the severe outcomes need a live FWW or several matters.
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.DISMISSAL, {}, "live final written warning"),
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, {"kind": "sergeant"}, "live final"),
    (Forum.HEARING, F.MISCONDUCT_PROVEN, A.LEARNING, {}, "not available for misconduct"),
    # Gross misconduct: FWW, reduction in rank or dismissal.
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.WRITTEN_WARNING, {}, "gross misconduct leads"),
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.NONE, {}, "gross misconduct leads"),
    # Who the subject is.
    # Police staff and PCSOs are outside the Conduct Regulations (CR 2020 reg 4(1)): the
    # force's staff outcome list applies (tests/cases/test_staff_outcomes.py).
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.REDUCTION_IN_RANK,
        {"kind": "staff"},
        "not under the Conduct Regulations",
    ),
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.DISMISSAL,
        {"kind": "pcso"},
        "not under the Conduct Regulations",
    ),
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.REDUCTION_IN_RANK,
        {},
        "a constable cannot be reduced in rank",
    ),
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.DISMISSAL,
        {"status": PersonStatus.RETIRED},
        "record “would have been dismissed”",
    ),
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.WOULD_HAVE_BEEN_DISMISSED,
        {},
        "only for those who have left",
    ),
    # Not proven: reflective practice or nothing.
    (Forum.HEARING, F.NOT_PROVEN, A.WRITTEN_WARNING, {}, "only reflective practice or no action"),
    (Forum.HEARING, F.NO_MISCONDUCT, A.NONE, {}, "proven or not proven"),
    # Outcomes that no longer exist.
    (Forum.MEETING, F.MISCONDUCT_PROVEN, A.MANAGEMENT_ADVICE, {}, "no longer exists"),
    (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.DISMISSAL_WITH_NOTICE, {}, "no longer exists"),
    # The track has not concluded.
    (
        Forum.HEARING,
        F.GROSS_MISCONDUCT_PROVEN,
        A.DISMISSAL,
        {"state": TrackState.HEARING},
        r"has not concluded \(misconduct hearing\)",
    ),
]


@pytest.mark.parametrize(("forum", "finding", "action", "kw", "words"), REFUSED)
def test_outcomes_refused_with_a_clear_message(forum, finding, action, kw, words):
    with pytest.raises(DomainError, match=words) as error:
        _check(forum, finding, action, **kw)
    assert str(error.value).startswith("Allegation 1, ")


def test_officer_without_a_recorded_rank_cannot_be_reduced():
    person = PersonFactory.build(rank=None)
    track = SubjectTrack(state=TrackState.OUTCOME, forum=Forum.HEARING, person=person)
    data = OutcomeData(Allegation(number=2), track, F.GROSS_MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK)
    with pytest.raises(DomainError, match="no rank is recorded"):
        validate_outcome(Case(regime=Regime.R2020), data)


@pytest.mark.parametrize(
    ("state", "finding", "action", "ok"),
    [
        (TrackState.NO_ACTION, F.NO_MISCONDUCT, A.NONE, True),
        (TrackState.NO_ACTION, F.NO_CASE_TO_ANSWER, A.LEARNING, True),
        (TrackState.NO_ACTION, F.MISCONDUCT_PROVEN, A.WRITTEN_WARNING, False),
        (TrackState.RPRP, F.PRI, A.RPRP, True),
        (TrackState.RPRP_COMPLETE, F.NO_CASE_TO_ANSWER, A.RPRP, True),
        (TrackState.RPRP, F.PRI, A.NONE, False),
        (TrackState.RPRP, F.MISCONDUCT_PROVEN, A.RPRP, False),
    ],
)
def test_outcomes_follow_the_subjects_route(state, finding, action, ok):
    track = SubjectTrack(state=state, forum="", person=_person())
    data = OutcomeData(Allegation(number=1), track, finding, action)
    if ok:
        validate_outcome(Case(regime=Regime.R2020), data)
    else:
        with pytest.raises(DomainError, match="no further action was decided|reflective practice"):
            validate_outcome(Case(regime=Regime.R2020), data)


@pytest.mark.parametrize(
    ("finding", "action", "ok"),
    [
        (F.SERVICE_ACCEPTABLE, A.NONE, True),
        (F.SERVICE_NOT_ACCEPTABLE, A.LEARNING, True),
        (F.NFA, A.NONE, True),
        (F.MISCONDUCT_PROVEN, A.NONE, False),
        (F.SERVICE_NOT_ACCEPTABLE, A.WRITTEN_WARNING, False),
    ],
)
def test_outcomes_for_allegations_about_the_service(finding, action, ok):
    data = OutcomeData(Allegation(number=3), None, finding, action)
    if ok:
        validate_outcome(Case(regime=Regime.R2020), data)
    else:
        with pytest.raises(DomainError, match="Allegation 3, the force/service"):
            validate_outcome(Case(regime=Regime.R2020), data)


# --- Live periods ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("action", "effective", "until"),
    [
        # CR 2020 reg 42: written warning live 18 months, final written warning 2 years.
        (A.WRITTEN_WARNING, datetime.date(2026, 1, 15), datetime.date(2027, 7, 15)),
        (A.FINAL_WRITTEN_WARNING, datetime.date(2026, 1, 15), datetime.date(2028, 1, 15)),
        (A.WRITTEN_WARNING, datetime.date(2025, 8, 31), datetime.date(2027, 2, 28)),
        (A.FINAL_WRITTEN_WARNING, datetime.date(2024, 2, 29), datetime.date(2026, 2, 28)),
        (A.DISMISSAL, datetime.date(2026, 1, 15), None),
        (A.NONE, datetime.date(2026, 1, 15), None),
        (A.REDUCTION_IN_RANK, datetime.date(2026, 1, 15), None),
    ],
)
def test_live_periods(action, effective, until):
    assert live_until(action, effective) == until


def test_approval_sets_the_live_period_and_status(alice, bob):
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    effective = case.received_on
    decision = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=outcomes_for(case, action=A.FINAL_WRITTEN_WARNING),
        rationale="FWW",
        effective_on=effective,
    )
    outcome = decision.outcomes.get()
    assert outcome.status == OutcomeStatus.PROPOSED and outcome.live_until is None
    assert outcome.forum == Forum.MEETING
    services.decision_approve(actor=bob, decision=decision)
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.APPROVED
    assert outcome.live_until == live_until(A.FINAL_WRITTEN_WARNING, effective)
    assert fresh(case).state == State.OUTCOME_APPROVED


# --- Through the service: refused, nothing saved ---------------------------------------------
def _propose_refused(case, alice, outcomes, words):
    before = snapshot(case)
    decisions = Decision.objects.count()
    with pytest.raises(DomainError, match=words):
        services.outcome_propose(actor=alice, case=case, outcomes=outcomes, rationale="x")
    assert snapshot(case) == before
    assert Decision.objects.count() == decisions and not Outcome.objects.exists()


@pytest.mark.parametrize(
    ("forum", "finding", "action", "words"),
    [
        (Forum.MEETING, F.MISCONDUCT_PROVEN, A.DISMISSAL, "at most a final written warning"),
        (Forum.MEETING, F.MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, "at most"),
        (Forum.MEETING, F.GROSS_MISCONDUCT_PROVEN, A.FINAL_WRITTEN_WARNING, "only find misconduct"),
        (Forum.HEARING, F.GROSS_MISCONDUCT_PROVEN, A.REDUCTION_IN_RANK, "constable cannot"),
    ],
)
def test_outcome_proposal_invalid_for_the_forum_saves_nothing(
    alice, bob, forum, finding, action, words
):
    case = concluded(complaint(alice, supervisor=bob), alice, bob, forum=forum)
    _propose_refused(case, alice, outcomes_for(case, finding=finding, action=action), words)


def test_reg_42_outcomes_for_police_staff_are_refused_by_the_service(alice, bob):
    case = concluded(
        complaint(alice, StaffPersonFactory(), supervisor=bob), alice, bob, forum="hearing"
    )
    _propose_refused(
        case,
        alice,
        outcomes_for(case, finding=F.GROSS_MISCONDUCT_PROVEN, action=A.REDUCTION_IN_RANK),
        "not under the Conduct Regulations",
    )


def test_every_subject_of_every_allegation_needs_exactly_one_outcome(alice, bob):
    case = concluded(complaint(alice, PersonFactory(), PersonFactory(), supervisor=bob), alice, bob)
    full = outcomes_for(case)
    for outcomes in (full[:1], full + full[:1], []):
        _propose_refused(case, alice, outcomes, "exactly one outcome for each subject")
    services.outcome_propose(actor=alice, case=case, outcomes=full, rationale="Warnings")
    assert fresh(case).state == State.OUTCOME_PROPOSED


def test_outcome_judged_against_the_track_as_it_is_now(alice, bob):
    """A caller's stale copy of a track (say, still "case to answer") does not decide."""
    case = concluded(complaint(alice, supervisor=bob), alice, bob)
    outcomes = outcomes_for(case)
    stale = SubjectTrack.objects.get(pk=outcomes[0].track.pk)
    outcomes[0].track = stale
    SubjectTrack.objects.filter(pk=stale.pk).update(forum=Forum.MEETING)
    outcomes[0].action = A.DISMISSAL
    stale.forum = Forum.HEARING  # the caller believes it was a hearing
    _propose_refused(case, alice, outcomes, "at most a final written warning")


def test_a_dismissal_proposed_before_the_subject_resigned_is_not_approved(alice, bob, ada):
    """Approval used to take the outcome as proposed, so a serving officer's dismissal was
    approved after they had resigned (seen when tests/cases/test_stateful.py began checking
    every approved outcome against reg 42). Approval judges it again."""
    case, decision = outcome_proposed(
        complaint(alice, supervisor=bob),
        alice,
        bob,
        forum=Forum.HEARING,
        finding=F.GROSS_MISCONDUCT_PROVEN,
        action=A.DISMISSAL,
    )
    subject = case.tracks.get().person
    person_set_status(
        actor=ada,
        person=subject,
        status=PersonStatus.RESIGNED,
        effective_date=timezone.localdate(),
        reason="Resigned",
    )
    before = snapshot(case)
    with pytest.raises(DomainError, match="record “would have been dismissed”.*changed since"):
        services.decision_approve(actor=bob, decision=decision)
    assert snapshot(case) == before
    assert decision.outcomes.get().status == OutcomeStatus.PROPOSED
    # Sent back, and proposed again as the rules now require, it is approved.
    services.decision_refuse(actor=bob, decision=decision, reason="The officer has resigned")
    again = services.outcome_propose(
        actor=alice,
        case=fresh(case),
        outcomes=outcomes_for(
            case, finding=F.GROSS_MISCONDUCT_PROVEN, action=A.WOULD_HAVE_BEEN_DISMISSED
        ),
        rationale="Would have been dismissed",
    )
    services.decision_approve(actor=bob, decision=again)
    assert again.outcomes.get().status == OutcomeStatus.APPROVED
    assert fresh(case).state == State.OUTCOME_APPROVED
