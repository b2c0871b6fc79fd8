"""Every transition of Case.state and SubjectTrack.state, legal and illegal, at the model level
(the FSM table) and through the services (logged, versioned, refused with a reason)."""

import datetime

import pytest
from django.utils import timezone
from django_fsm import can_proceed

from cases import services
from cases.models import (
    Case,
    CaseTransition,
    CaseType,
    InvestigationMode,
    Severity,
    State,
    SubjectTrack,
    TrackState,
)
from psd.domain import DomainError
from tests.accounts.factories import PersonFactory
from tests.cases.factories import OUTSIDE_NO, complaint, conduct_matter
from tests.cases.routes import fresh, investigating, snapshot

S, T = State, TrackState
TODAY = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)

# LIFECYCLE.md level 1, as built: name -> (sources, possible targets).
CASE_TABLE = {
    "record": ({S.RECEIVED}, {S.RECORDED}),
    "handle_outside_schedule_3": ({S.RECEIVED}, {S.OUTSIDE_SCH3}),
    "handle_under_conduct_regulations": ({S.RECEIVED}, {S.HANDLING_DECIDED}),
    "record_after_outside": ({S.OUTSIDE_SCH3}, {S.RECORDED}),
    "resolve_outside": ({S.OUTSIDE_SCH3}, {S.FINALISED}),
    "assess_referral": ({S.RECORDED}, {S.REFERRAL_ASSESSMENT}),
    "refer_to_iopc": ({S.REFERRAL_ASSESSMENT}, {S.AWAITING_IOPC}),
    "no_referral": ({S.REFERRAL_ASSESSMENT}, {S.HANDLING_DECIDED}),
    "iopc_decided": ({S.AWAITING_IOPC}, {S.HANDLING_DECIDED, S.INDEPENDENT_INVESTIGATION}),
    "start_investigation": ({S.HANDLING_DECIDED}, {S.INVESTIGATION}),
    "handle_otbi": ({S.HANDLING_DECIDED}, {S.OTBI}),
    "submit_report": ({S.INVESTIGATION, S.INDEPENDENT_INVESTIGATION}, {S.REPORT_SUBMITTED}),
    "decide_case_to_answer": ({S.REPORT_SUBMITTED}, {S.DECISIONS}),
    "start_proceedings": ({S.DECISIONS}, {S.PROCEEDINGS}),
    "propose_outcome": ({S.DECISIONS, S.PROCEEDINGS, S.OTBI}, {S.OUTCOME_PROPOSED}),
    "refuse_outcome": ({S.OUTCOME_PROPOSED}, {S.DECISIONS, S.PROCEEDINGS, S.OTBI}),
    "approve_outcome": ({S.OUTCOME_PROPOSED}, {S.OUTCOME_APPROVED}),
    "finalise": ({S.OUTCOME_APPROVED}, {S.FINALISED}),
    "request_review": ({S.FINALISED}, {S.REVIEW_REQUESTED}),
    "review_not_upheld": ({S.REVIEW_REQUESTED}, {S.FINALISED}),
    "review_upheld": ({S.REVIEW_REQUESTED}, {S.INVESTIGATION}),
    "withdraw": (
        {
            S.RECORDED,
            S.REFERRAL_ASSESSMENT,
            S.AWAITING_IOPC,
            S.HANDLING_DECIDED,
            S.INVESTIGATION,
            S.INDEPENDENT_INVESTIGATION,
            S.OTBI,
            S.REPORT_SUBMITTED,
            S.DECISIONS,
            S.PROCEEDINGS,
            S.REVIEW_REQUESTED,  # C&M Regs 2020 reg 38(4)
        },
        {S.WITHDRAWN},
    ),
    "discontinue": ({S.INVESTIGATION, S.INDEPENDENT_INVESTIGATION}, {S.DISCONTINUED}),
}
CASE_ARGS = {
    "record": {"on": TODAY},
    "record_after_outside": {"on": TODAY},
    "resolve_outside": {"at": NOW},
    "iopc_decided": {"mode": InvestigationMode.LOCAL},
    "finalise": {"at": NOW},
    "withdraw": {"at": NOW},
    "discontinue": {"at": NOW},
}

# LIFECYCLE.md level 2, as built.
TRACK_TABLE = {
    "assess_severity": ({T.PENDING, T.SEVERITY_ASSESSED, T.NOTICE_SERVED}, T.SEVERITY_ASSESSED),
    "serve_notice": ({T.SEVERITY_ASSESSED}, T.NOTICE_SERVED),
    "refer_to_rprp": ({T.SEVERITY_ASSESSED, T.NO_CASE_TO_ANSWER, T.CASE_TO_ANSWER}, T.RPRP),
    "no_misconduct": ({T.SEVERITY_ASSESSED}, T.NO_ACTION),
    "no_further_action": ({T.NO_CASE_TO_ANSWER, T.CASE_TO_ANSWER}, T.NO_ACTION),
    "report_received": ({T.NOTICE_SERVED}, T.AWAITING_DECISION),
    "case_to_answer": ({T.AWAITING_DECISION}, T.CASE_TO_ANSWER),
    "no_case_to_answer": ({T.AWAITING_DECISION}, T.NO_CASE_TO_ANSWER),
    "refer_to_meeting": ({T.CASE_TO_ANSWER}, T.MEETING),
    "refer_to_hearing": ({T.CASE_TO_ANSWER}, T.HEARING),
    "refer_to_accelerated_hearing": ({T.CASE_TO_ANSWER}, T.ACCELERATED_HEARING),
    "conclude_proceedings": ({T.MEETING, T.HEARING, T.ACCELERATED_HEARING}, T.OUTCOME),
    "complete_rprp": ({T.RPRP}, T.RPRP_COMPLETE),
    "appeal": ({T.OUTCOME}, T.APPEAL),
    "appeal_decided": ({T.APPEAL}, T.OUTCOME),
}
TRACK_ARGS = {
    "assess_severity": {"severity": Severity.GROSS_MISCONDUCT, "special_case": True},
    "serve_notice": {"on": TODAY},
    "no_misconduct": {"on": TODAY},
    "no_further_action": {"on": TODAY},
    "refer_to_meeting": {"date": TODAY, "notice_on": TODAY},
    "refer_to_hearing": {"date": TODAY, "notice_on": TODAY},
    "refer_to_accelerated_hearing": {"date": TODAY, "notice_on": TODAY},
    "conclude_proceedings": {"on": TODAY},
    "complete_rprp": {"on": TODAY},
}


def _targets(transition):
    target = transition.target
    return set(getattr(target, "allowed_states", None) or [target])


def _table(model):
    table = {}
    for transition in model._meta.get_field("state").get_all_transitions(model):
        sources, targets = table.setdefault(transition.name, (set(), set()))
        sources.add(transition.source)
        targets.update(_targets(transition))
    return table


def test_case_fsm_is_exactly_the_lifecycle():
    assert _table(Case) == {name: (set(s), set(t)) for name, (s, t) in CASE_TABLE.items()}


def test_track_fsm_is_exactly_the_lifecycle():
    assert _table(SubjectTrack) == {name: (set(s), {t}) for name, (s, t) in TRACK_TABLE.items()}


def _case(state, **fields):
    fields.setdefault("case_type", CaseType.COMPLAINT)
    fields.setdefault("state_before_proposal", S.PROCEEDINGS if state == S.OUTCOME_PROPOSED else "")
    return Case(state=state, received_on=TODAY, **fields)


def _track(state, severity=Severity.GROSS_MISCONDUCT, special_case=True):
    return SubjectTrack(state=state, severity=severity, special_case=special_case)


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("name", sorted(CASE_TABLE))
def test_every_case_transition_from_every_state(name, state):
    sources, targets = CASE_TABLE[name]
    conduct = {"handle_under_conduct_regulations": CaseType.CONDUCT_MATTER}
    case = _case(state, case_type=conduct.get(name, CaseType.COMPLAINT))
    method = getattr(case, name)
    assert can_proceed(method, check_conditions=False) is (state in sources)
    if state in sources:
        method(**CASE_ARGS.get(name, {}))
        assert case.state in targets


@pytest.mark.parametrize("state", T.values)
@pytest.mark.parametrize("name", sorted(TRACK_TABLE))
def test_every_track_transition_from_every_state(name, state):
    sources, target = TRACK_TABLE[name]
    severity = {"no_misconduct": Severity.NO_MISCONDUCT, "refer_to_meeting": Severity.MISCONDUCT}
    track = _track(state, severity=severity.get(name, Severity.GROSS_MISCONDUCT))
    # From a case to answer, reflective practice or no further action only without proceedings.
    track.proceedings_brought = name not in ("refer_to_rprp", "no_further_action")
    method = getattr(track, name)
    assert can_proceed(method, check_conditions=False) is (state in sources)
    if state in sources:
        method(**TRACK_ARGS.get(name, {}))
        assert track.state == target


def test_state_cannot_be_assigned_directly():
    case, track = _case(S.RECEIVED), _track(T.PENDING)
    with pytest.raises(AttributeError):
        case.state = S.FINALISED
    with pytest.raises(AttributeError):
        track.state = T.OUTCOME


# --- Guards (conditions) ----------------------------------------------------------------------
@pytest.mark.parametrize("case_type", CaseType.values)
def test_only_complaints_are_handled_outside_schedule_3_or_withdrawn(case_type):
    is_complaint = case_type == CaseType.COMPLAINT
    assert can_proceed(_case(S.RECEIVED, case_type=case_type).handle_outside_schedule_3) is (
        is_complaint
    )
    assert can_proceed(_case(S.INVESTIGATION, case_type=case_type).withdraw) is is_complaint


@pytest.mark.parametrize(
    ("case_type", "mode", "allowed"),
    [
        (CaseType.COMPLAINT, "", True),
        (CaseType.COMPLAINT, InvestigationMode.NONE, True),
        (CaseType.COMPLAINT, InvestigationMode.LOCAL, False),
        (CaseType.COMPLAINT, InvestigationMode.DIRECTED, False),
        (CaseType.CONDUCT_MATTER, "", False),
        (CaseType.DSI, InvestigationMode.NONE, False),
    ],
)
def test_otbi_only_for_complaints_the_iopc_did_not_direct(case_type, mode, allowed):
    case = _case(S.HANDLING_DECIDED, case_type=case_type, investigation_mode=mode)
    assert can_proceed(case.handle_otbi) is allowed


@pytest.mark.parametrize(
    ("mode", "target"),
    [
        (InvestigationMode.INDEPENDENT, S.INDEPENDENT_INVESTIGATION),
        (InvestigationMode.DIRECTED, S.HANDLING_DECIDED),
        (InvestigationMode.LOCAL, S.HANDLING_DECIDED),
        (InvestigationMode.NONE, S.HANDLING_DECIDED),
    ],
)
def test_iopc_mode_decides_the_next_state(mode, target):
    case = _case(S.AWAITING_IOPC)
    case.iopc_decided(mode=mode)
    assert case.state == target and case.investigation_mode == mode


@pytest.mark.parametrize("before", [S.DECISIONS, S.PROCEEDINGS, S.OTBI])
def test_refused_outcome_returns_to_where_it_came_from(before):
    case = _case(before)
    case.propose_outcome()
    assert case.state_before_proposal == before
    case.refuse_outcome()
    assert case.state == before and case.state_before_proposal == ""


def test_review_upheld_reopens_for_local_investigation():
    case = _case(S.REVIEW_REQUESTED, finalised_at=NOW, investigation_mode=InvestigationMode.OTBI)
    case.review_upheld()
    assert case.state == S.INVESTIGATION and case.finalised_at is None
    assert case.investigation_mode == InvestigationMode.LOCAL


@pytest.mark.parametrize(
    ("name", "severities"),
    [
        ("serve_notice", {Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT}),
        ("no_misconduct", {Severity.NO_MISCONDUCT}),
    ],
)
def test_track_severity_guards(name, severities):
    for severity in Severity.values:
        track = _track(T.SEVERITY_ASSESSED, severity=severity)
        assert can_proceed(getattr(track, name)) is (severity in severities), severity


@pytest.mark.parametrize(
    ("severity", "special", "meeting", "hearing", "accelerated"),
    [
        (Severity.MISCONDUCT, False, True, True, False),
        (Severity.MISCONDUCT, True, True, True, False),
        (Severity.GROSS_MISCONDUCT, False, False, True, False),
        (Severity.GROSS_MISCONDUCT, True, False, True, True),
    ],
)
def test_track_forum_guards(severity, special, meeting, hearing, accelerated):
    track = _track(T.CASE_TO_ANSWER, severity=severity, special_case=special)
    assert can_proceed(track.refer_to_meeting) is meeting
    assert can_proceed(track.refer_to_hearing) is hearing
    assert can_proceed(track.refer_to_accelerated_hearing) is accelerated


def test_special_case_only_for_gross_misconduct():
    track = _track(T.PENDING, severity="", special_case=False)
    track.assess_severity(Severity.MISCONDUCT, special_case=True)
    assert track.special_case is False
    track.assess_severity(Severity.GROSS_MISCONDUCT, special_case=True)
    assert track.special_case is True


# --- Through the services ---------------------------------------------------------------------
def _rows(case):
    return list(
        CaseTransition.objects.filter(case=case, track=None)
        .order_by("pk")
        .values_list("name", "from_state", "to_state", "actor__username")
    )


@pytest.mark.django_db
def test_each_service_step_logs_one_row_and_bumps_the_version(alice, bob):
    case = complaint(alice, supervisor=bob)
    steps = [
        ("record", lambda c: services.case_record(actor=alice, case=c)),
        (
            "assess_referral",
            lambda c: services.case_assess_referral(
                actor=alice, case=c, criteria=[], rationale="None met"
            ),
        ),
        (
            "no_referral",
            lambda c: services.decision_approve(
                actor=bob,
                decision=services.case_propose_no_referral(actor=alice, case=c, rationale="None"),
            ),
        ),
        ("start_investigation", lambda c: services.case_start_investigation(actor=alice, case=c)),
    ]
    for name, step in steps:
        before = fresh(case)
        step(before)
        after = fresh(case)
        assert after.version == before.version + 1
        last = _rows(case)[-1]
        assert last[:3] == (name, before.state, after.state)
        assert last[3] == ("bob" if name == "no_referral" else "alice")
    assert [r[0] for r in _rows(case)] == [
        "create",
        "record",
        "assess_referral",
        "no_referral",
        "start_investigation",
    ]
    assert fresh(case).recorded_on == timezone.localdate()


@pytest.mark.django_db
def test_track_steps_are_logged_against_the_track(alice, bob):
    case = investigating(conduct_matter(alice, supervisor=bob), alice, bob)
    track = case.tracks.get()
    services.track_assess_severity(
        actor=alice, track=track, severity=Severity.MISCONDUCT, rationale="Misconduct"
    )
    services.track_serve_notice(actor=alice, track=track)
    rows = list(
        CaseTransition.objects.filter(track=track)
        .order_by("pk")
        .values_list("name", "from_state", "to_state", "reason")
    )
    assert rows == [
        ("assess_severity", T.PENDING, T.SEVERITY_ASSESSED, "Misconduct"),
        ("serve_notice", T.SEVERITY_ASSESSED, T.NOTICE_SERVED, "Regulation 17 notice served"),
    ]


ILLEGAL_CASE_STEPS = {
    # name: (service call on an investigating complaint, expected words of the refusal)
    "record": (lambda c, u: services.case_record(actor=u, case=c), "cannot be recorded"),
    "outside": (
        lambda c, u: services.case_handle_outside_schedule_3(
            answers=OUTSIDE_NO, actor=u, case=c, reason="Quick"
        ),
        "cannot be handled outside Schedule 3",
    ),
    "resolve": (
        lambda c, u: services.case_resolve_outside(actor=u, case=c, reason="Resolved"),
        "cannot be resolved",
    ),
    "start": (
        lambda c, u: services.case_start_investigation(actor=u, case=c),
        "cannot be investigated",
    ),
    "otbi": (
        lambda c, u: services.case_handle_otbi(actor=u, case=c, reason="Apology"),
        "cannot be handled otherwise than by investigation",
    ),
    "assess": (
        lambda c, u: services.case_assess_referral(actor=u, case=c, criteria=[], rationale="x"),
        "once the case is recorded",
    ),
    "refer": (
        lambda c, u: services.case_refer_to_iopc(actor=u, case=c),
        "cannot be referred to the IOPC",
    ),
    "iopc": (
        lambda c, u: services.case_record_iopc_decision(actor=u, case=c, mode="local"),
        "no referral awaiting",
    ),
    "no_referral": (
        lambda c, u: services.case_propose_no_referral(actor=u, case=c, rationale="x"),
        "not at referral assessment",
    ),
    "case_to_answer": (
        lambda c, u: services.case_propose_case_to_answer(
            actor=u, case=c, answers={}, rationale="x"
        ),
        "follow the investigation report",
    ),
    "finalise": (
        lambda c, u: services.case_propose_finalisation(actor=u, case=c, rationale="x"),
        "once its outcome has been approved",
    ),
    "review": (
        lambda c, u: services.case_request_review(
            actor=u, case=c, received_on=timezone.localdate()
        ),
        "whose outcome was sent",
    ),
    "review_result": (
        lambda c, u: services.case_record_review_result(actor=u, case=c, result="upheld"),
        "no open review",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("step", sorted(ILLEGAL_CASE_STEPS))
def test_illegal_case_step_is_refused_with_a_reason_and_saves_nothing(step, alice, bob):
    call, words = ILLEGAL_CASE_STEPS[step]
    case = investigating(complaint(alice, supervisor=bob), alice, bob)
    before = snapshot(case)
    with pytest.raises(DomainError, match=words):
        call(fresh(case), alice)
    assert snapshot(case) == before


@pytest.mark.django_db
def test_illegal_step_message_names_the_state(alice):
    case = complaint(alice)
    with pytest.raises(DomainError) as error:
        services.case_start_investigation(actor=alice, case=case)
    assert str(error.value) == "A case that is “received” cannot be investigated."


@pytest.mark.django_db
def test_illegal_track_step_is_refused_and_saves_nothing(alice, bob):
    officer = PersonFactory(forename="Sam", surname="Reed")
    case = investigating(conduct_matter(alice, officer, supervisor=bob), alice, bob)
    track = case.tracks.get()
    before = snapshot(case)
    with pytest.raises(DomainError, match="Sam Reed is at “awaiting severity assessment”"):
        services.track_serve_notice(actor=alice, track=track)
    with pytest.raises(DomainError, match="Sam Reed is at"):
        services.track_conclude_proceedings(actor=alice, track=track, held_on=timezone.localdate())
    assert snapshot(case) == before
