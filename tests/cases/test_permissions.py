"""Who may do what: every service's permission check, visibility, and four-eyes approval."""

import pytest

from accounts.models import PersonStatus
from accounts.services import person_set_status
from cases import selectors, services
from cases.models import (
    AdvisoryListEntry,
    CaseType,
    DecisionKind,
    DecisionStatus,
    Finding,
    OutcomeStatus,
    State,
)
from cases.services import ComplainantData
from cases.services.intake import complainant_add
from deadlines.models import Notification
from psd.domain import DomainError, PermissionDenied
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import (
    OUTSIDE_NO,
    allegation,
    complaint,
    conduct_matter,
    days_ago,
)
from tests.cases.routes import fresh, investigating, outcome_proposed, pending, snapshot

pytestmark = pytest.mark.django_db

ROLE_DENIED = "Your role does not allow this action."
NO_ACCESS = "You do not have access to this case."


@pytest.fixture
def people(team_a):
    """Users who are also in the personnel register: sam (an investigator on team A) and sid
    (an appropriate authority) are subjects; cora (a supervisor on team A) is a complainant."""
    sam = user_with_role(Role.INVESTIGATOR, "sam", team=team_a)
    sid = user_with_role(Role.APPROPRIATE_AUTHORITY, "sid")
    cora = user_with_role(Role.SUPERVISOR, "cora", team=team_a)
    return {
        "sam": (sam, PersonFactory(user=sam)),
        "sid": (sid, PersonFactory(user=sid)),
        "cora": (cora, PersonFactory(user=cora)),
    }


@pytest.fixture
def world(alice, bob, people):
    """case1: investigating, subjects sam and another officer (in reflective practice, with
    a CPS referral); case2: at referral assessment with a no-referral proposal pending,
    subjects sam and sid. cora complained in both."""
    sam_person, sid_person = people["sam"][1], people["sid"][1]
    cora_person = people["cora"][1]
    other = PersonFactory()

    def complained_of(*subjects):
        return services.case_create(
            actor=alice,
            case_type=CaseType.COMPLAINT,
            summary="Complaint by a colleague",
            received_on=days_ago(10),
            supervisor=bob,
            complainants=[ComplainantData(name="Cora", person=cora_person)],
            allegations=[allegation(s) for s in subjects],
        )

    case1 = complained_of(sam_person, other)
    case1 = investigating(case1, alice, bob)
    track = case1.tracks.get(person=other)
    services.track_assess_severity(actor=alice, track=track, severity="pri", rationale="PRI")
    rprp = services.track_refer_to_rprp(actor=alice, track=track, reason="PRI")
    cps = services.track_refer_to_cps(actor=alice, track=track, referred_on=days_ago(1))
    case2 = complained_of(sam_person, sid_person)
    services.case_record(actor=alice, case=case2)
    services.case_assess_referral(actor=alice, case=case2, criteria=[], rationale="None")
    decision = services.case_propose_no_referral(actor=alice, case=case2, rationale="None")
    return {
        "case": fresh(case1),
        "track": case1.tracks.get(person=sam_person),
        "rprp": rprp,
        "cps": cps,
        "case2": fresh(case2),
        "decision": decision,
    }


# Every service that acts on a case, with arguments that would otherwise be acceptable.
CASE_SERVICES = {
    "allegation_add": lambda u, w: services.allegation_add(
        actor=u, case=w["case"], data=allegation(PersonFactory())
    ),
    "complainant_add": lambda u, w: complainant_add(
        actor=u, case=w["case"], data=ComplainantData(name="Another")
    ),
    "case_record": lambda u, w: services.case_record(actor=u, case=w["case"]),
    "case_handle_under_conduct_regulations": (
        lambda u, w: services.case_handle_under_conduct_regulations(
            actor=u, case=w["case"], reason="x"
        )
    ),
    "case_handle_outside_schedule_3": lambda u, w: services.case_handle_outside_schedule_3(
        answers=OUTSIDE_NO, actor=u, case=w["case"], reason="x"
    ),
    "case_resolve_outside": lambda u, w: services.case_resolve_outside(
        actor=u, case=w["case"], reason="x"
    ),
    "case_note_recording_wish": lambda u, w: services.case_note_recording_wish(
        actor=u, case=w["case"], indicated_on=days_ago(0), channel="letter"
    ),
    "case_withdraw": lambda u, w: services.case_withdraw(actor=u, case=w["case"], reason="x"),
    "case_assess_referral": lambda u, w: services.case_assess_referral(
        actor=u, case=w["case"], criteria=[], rationale="x"
    ),
    "case_refer_to_iopc": lambda u, w: services.case_refer_to_iopc(actor=u, case=w["case"]),
    "case_record_iopc_decision": lambda u, w: services.case_record_iopc_decision(
        actor=u, case=w["case"], mode="local"
    ),
    "case_propose_no_referral": lambda u, w: services.case_propose_no_referral(
        actor=u, case=w["case"], rationale="x"
    ),
    "case_start_investigation": lambda u, w: services.case_start_investigation(
        actor=u, case=w["case"]
    ),
    "case_handle_otbi": lambda u, w: services.case_handle_otbi(actor=u, case=w["case"], reason="x"),
    "case_submit_report": lambda u, w: services.case_submit_report(
        actor=u, case=w["case"], summary="x", reg18_override_reason="x"
    ),
    "case_propose_case_to_answer": lambda u, w: services.case_propose_case_to_answer(
        actor=u, case=w["case"], answers={}, rationale="x"
    ),
    "outcome_propose": lambda u, w: services.outcome_propose(
        actor=u, case=w["case"], outcomes=[], rationale="x"
    ),
    "case_propose_finalisation": lambda u, w: services.case_propose_finalisation(
        actor=u, case=w["case"], rationale="x"
    ),
    "case_request_review": lambda u, w: services.case_request_review(
        actor=u, case=w["case"], received_on=days_ago(0)
    ),
    "case_record_review_result": lambda u, w: services.case_record_review_result(
        actor=u, case=w["case"], result="upheld"
    ),
    "case_record_twelve_month_report": lambda u, w: services.case_record_twelve_month_report(
        actor=u, case=w["case"]
    ),
    "track_assess_severity": lambda u, w: services.track_assess_severity(
        actor=u, track=w["track"], severity="misconduct", rationale="x"
    ),
    "track_serve_notice": lambda u, w: services.track_serve_notice(actor=u, track=w["track"]),
    "track_representations_received": lambda u, w: services.track_representations_received(
        actor=u, track=w["track"]
    ),
    "track_no_action": lambda u, w: services.track_no_action(actor=u, track=w["track"], reason="x"),
    "track_refer_to_rprp": lambda u, w: services.track_refer_to_rprp(
        actor=u, track=w["track"], reason="x"
    ),
    "track_refer_to_proceedings": lambda u, w: services.track_refer_to_proceedings(
        actor=u, track=w["track"], forum="meeting", date=days_ago(0), notice_on=days_ago(30)
    ),
    "track_conclude_proceedings": lambda u, w: services.track_conclude_proceedings(
        actor=u, track=w["track"], held_on=days_ago(0)
    ),
    "track_refer_to_cps": lambda u, w: services.track_refer_to_cps(
        actor=u, track=w["track"], referred_on=days_ago(0)
    ),
    "rprp_record_stage": lambda u, w: services.rprp_record_stage(
        actor=u, rprp=w["rprp"], stage="account"
    ),
    "criminal_referral_update": lambda u, w: services.criminal_referral_update(
        actor=u, referral=w["cps"], charging_decision="Charged"
    ),
}
# Services that need the approve_decision permission (not just change_case).
APPROVER_SERVICES = {
    "decision_approve": lambda u, w: services.decision_approve(actor=u, decision=w["decision"]),
    "decision_refuse": lambda u, w: services.decision_refuse(
        actor=u, decision=w["decision"], reason="x"
    ),
    "case_assign": lambda u, w: services.case_assign(
        actor=u, case=w["case"], investigator=w["case"].investigator
    ),
    "case_discontinue": lambda u, w: services.case_discontinue(actor=u, case=w["case"], reason="x"),
}


def _denied(call, user, world, message):
    before = [snapshot(world["case"]), snapshot(world["case2"])]
    with pytest.raises(PermissionDenied) as error:
        call(user, world)
    if message:
        assert str(error.value) == message
    assert [snapshot(world["case"]), snapshot(world["case2"])] == before


@pytest.mark.parametrize("name", sorted(CASE_SERVICES))
def test_case_services_refuse_a_role_without_change_permission(name, world, victor, eve):
    _denied(CASE_SERVICES[name], victor, world, ROLE_DENIED)  # vetting officer
    _denied(CASE_SERVICES[name], eve, world, ROLE_DENIED)  # auditor: may read, not act


@pytest.mark.parametrize("name", sorted(CASE_SERVICES))
def test_case_services_refuse_an_investigator_of_another_team(name, world, dave):
    _denied(CASE_SERVICES[name], dave, world, NO_ACCESS)


@pytest.mark.parametrize("name", sorted(CASE_SERVICES))
def test_case_services_refuse_a_subject_of_the_case(name, world, people):
    _denied(CASE_SERVICES[name], people["sam"][0], world, NO_ACCESS)


@pytest.mark.parametrize("name", sorted(APPROVER_SERVICES))
def test_approver_services_refuse_investigators(name, world, alice, dave):
    _denied(APPROVER_SERVICES[name], alice, world, ROLE_DENIED)
    _denied(APPROVER_SERVICES[name], dave, world, ROLE_DENIED)


@pytest.mark.parametrize("name", sorted(APPROVER_SERVICES))
def test_approver_services_refuse_a_supervisor_of_another_team(name, world, team_b):
    brian = user_with_role(Role.SUPERVISOR, "brian", team=team_b)
    _denied(APPROVER_SERVICES[name], brian, world, NO_ACCESS)


@pytest.mark.parametrize("who", ["sid", "cora"])
def test_a_subject_or_complainant_cannot_decide(world, people, who):
    """sid (an appropriate authority) is a subject of case2; cora (a supervisor) complained."""
    user = people[who][0]
    for name in ("decision_approve", "decision_refuse"):
        _denied(APPROVER_SERVICES[name], user, world, None)
    assert world["decision"].status == DecisionStatus.PENDING


def test_case_create_needs_the_add_permission(victor, eve):
    for user in (victor, eve):
        with pytest.raises(PermissionDenied, match="role does not allow"):
            complaint(user)


def test_inactive_user_is_refused(alice):
    case = complaint(alice)
    alice.is_active = False
    alice.save()
    with pytest.raises(PermissionDenied, match="signed in"):
        services.case_record(actor=alice, case=case)


def test_list_services_need_manage_lists(alice, bob, eve, victor, carol, ada):
    officer = PersonFactory()
    conduct_matter(alice, officer, supervisor=bob)
    investigating(officer.tracks.get().case, alice, bob)  # leaving while under investigation
    person_set_status(
        actor=ada,
        person=officer,
        status=PersonStatus.RETIRED,
        effective_date=days_ago(0),
        reason="x",
    )
    entry = AdvisoryListEntry.objects.get(person=officer)
    for user in (alice, bob, eve, victor):
        with pytest.raises(PermissionDenied, match="role does not allow"):
            services.list_entry_mark_reported(actor=user, entry=entry)
        with pytest.raises(PermissionDenied, match="role does not allow"):
            services.list_entry_remove(actor=user, entry=entry, reason="Appeal")
    entry.refresh_from_db()
    assert entry.status == "to_report"
    services.list_entry_mark_reported(actor=carol, entry=entry)
    entry.refresh_from_db()
    assert entry.status == "reported"


# --- Visibility -----------------------------------------------------------------------------
def test_visibility_by_assignment_team_grant_and_role(alice, bob, dave, carol, eve, victor, team_a):
    mine = complaint(alice)
    teammate = user_with_role(Role.INVESTIGATOR, "tom", team=team_a)
    other_team = complaint(dave)
    visible = lambda user: set(selectors.cases_visible_to(user))  # noqa: E731
    assert visible(alice) == {mine}
    assert visible(teammate) == {mine}  # same team
    assert visible(bob) == {mine}  # supervisor of team A
    assert visible(dave) == {other_team}
    assert visible(carol) == visible(eve) == {mine, other_team}  # view_all_cases
    assert visible(victor) == set()  # no case permission at all
    # A supervisor named on a case sees it whatever the team.
    lone = services.case_create(
        actor=dave,
        case_type=CaseType.CONDUCT_MATTER,
        summary="x",
        received_on=days_ago(1),
        allegations=[allegation(PersonFactory())],
        supervisor=bob,
    )
    assert lone in visible(bob) and lone not in visible(alice)


def test_a_team_supervisor_sees_the_team_cases_without_being_in_the_team(alice, dave, team_b):
    supervisor = user_with_role(Role.SUPERVISOR, "sally", team=None)
    team_b.supervisor = supervisor
    team_b.save()
    theirs, others = complaint(dave), complaint(alice)
    visible = set(selectors.cases_visible_to(supervisor))
    assert theirs in visible and others not in visible


def test_assignment_moves_the_case_and_grants_the_new_investigator(alice, bob, dave, carol):
    case = complaint(alice, supervisor=bob)
    services.case_assign(actor=carol, case=case, investigator=dave, reason="Workload")
    case = fresh(case)
    assert case.investigator == dave and case.team == dave.team
    assert case in selectors.cases_visible_to(dave)
    assert case.transitions.filter(name="assign", actor=carol).exists()
    with pytest.raises(DomainError, match="is not an investigator"):
        services.case_assign(actor=carol, case=case, investigator=user_with_role(Role.AUDITOR))


def test_parties_never_see_the_case_even_with_view_all(world, people, alice):
    case1, case2 = world["case"], world["case2"]
    neutral = complaint(alice)
    sam, sid, cora = (people[k][0] for k in ("sam", "sid", "cora"))
    assert sid.has_perm("cases.view_all_cases")
    assert set(selectors.cases_visible_to(sid)) == {case1, neutral}
    assert set(selectors.cases_visible_to(sam)) == {neutral}
    assert set(selectors.cases_visible_to(cora)) == {neutral}
    assert not selectors.case_is_visible_to(case2, sid)
    with pytest.raises(type(case2).DoesNotExist):
        selectors.case_get(user=sid, reference=case2.reference)
    assert not selectors.decisions_awaiting(user=sid).exists()
    assert not selectors.decisions_awaiting(user=cora).exists()


def test_a_guardian_grant_does_not_override_being_a_party(world, people):
    from guardian.shortcuts import assign_perm

    sam = people["sam"][0]
    assign_perm("cases.view_case", sam, world["case"])
    assert world["case"] not in selectors.cases_visible_to(sam)


# --- Four-eyes ------------------------------------------------------------------------------
def test_proposer_cannot_approve_or_refuse_their_own_proposal(alice, bob, carol):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    decision = services.case_propose_no_referral(actor=bob, case=case, rationale="None")
    before = snapshot(case)
    with pytest.raises(PermissionDenied) as error:
        services.decision_approve(actor=bob, decision=decision)
    assert str(error.value) == "You cannot approve or refuse a decision you proposed."
    with pytest.raises(PermissionDenied, match="you proposed"):
        services.decision_refuse(actor=bob, decision=decision, reason="Changed my mind")
    assert snapshot(case) == before
    services.decision_approve(actor=carol, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.decided_by == carol


def test_the_case_investigator_cannot_approve(alice, bob, carol):
    case = services.case_create(
        actor=bob,
        case_type=CaseType.CONDUCT_MATTER,
        summary="x",
        received_on=days_ago(1),
        allegations=[allegation(PersonFactory())],
        investigator=bob,
    )
    services.case_record(actor=alice, case=case, recordable_grounds=["gravity"])
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    decision = services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    assert not selectors.decisions_awaiting(user=bob).exists()  # not offered to him either
    assert selectors.decisions_awaiting(user=carol).get() == decision
    before = snapshot(case)
    with pytest.raises(PermissionDenied, match="investigator whose work this is"):
        services.decision_approve(actor=bob, decision=decision)
    assert snapshot(case) == before
    services.decision_approve(actor=carol, decision=decision)
    assert fresh(case).state == State.HANDLING_DECIDED


def test_an_approved_proposal_cannot_be_decided_again(alice, bob, carol):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    decision = services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    services.decision_approve(actor=bob, decision=decision)
    before = snapshot(case)
    for call in (
        lambda: services.decision_approve(actor=carol, decision=decision),
        lambda: services.decision_refuse(actor=carol, decision=decision, reason="No"),
    ):
        with pytest.raises(DomainError, match="already approved"):
            call()
    assert snapshot(case) == before


def test_refusal_needs_a_reason_returns_the_case_and_tells_the_proposer(alice, bob):
    case, decision = outcome_proposed(
        complaint(alice, supervisor=bob), alice, bob, finding=Finding.MISCONDUCT_PROVEN
    )
    assert case.state == State.OUTCOME_PROPOSED
    before = snapshot(case)
    with pytest.raises(DomainError, match="Say why you are refusing") as error:
        services.decision_refuse(actor=bob, decision=decision, reason="  ")
    assert error.value.field == "reason"
    assert snapshot(case) == before
    services.decision_refuse(actor=bob, decision=decision, reason="Consider a final warning")
    case = fresh(case)
    assert case.state == State.PROCEEDINGS  # where the proposal came from
    assert case.version == before["version"] + 1
    assert set(decision.outcomes.values_list("status", flat=True)) == {OutcomeStatus.REFUSED}
    note = Notification.objects.get(recipient=alice, title__contains="refused")
    assert "Consider a final warning" in note.body and case.reference in note.title
    # A new proposal may be made for the same subjects once the old one was refused.
    again = services.outcome_propose(
        actor=alice,
        case=case,
        outcomes=[
            services.OutcomeData(
                allegation=o.allegation, track=o.track, finding=o.finding, action="fww"
            )
            for o in decision.outcomes.all()
        ],
        rationale="Final written warning",
    )
    services.decision_approve(actor=bob, decision=again)
    assert fresh(case).state == State.OUTCOME_APPROVED


def test_proposals_notify_an_approver_who_is_not_the_proposer(alice, bob, carol):
    case = complaint(alice, supervisor=bob)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    assert Notification.objects.filter(recipient=bob, title__contains="awaits approval").exists()
    assert not Notification.objects.filter(recipient=alice).exists()
    assert selectors.decisions_awaiting(user=bob).get().kind == DecisionKind.REFERRAL_NOT_REQUIRED
    assert not selectors.decisions_awaiting(user=alice).exists()
    assert pending(case, DecisionKind.REFERRAL_NOT_REQUIRED).proposed_by == alice


def test_a_subject_who_could_approve_is_not_told_of_the_proposal(alice, carol, people):
    """No supervisor on the case: the appropriate authorities are asked, but not sid, a
    subject (the notification would reveal the case to him)."""
    sid, sid_person = people["sid"]
    case = complaint(alice, sid_person)
    services.case_record(actor=alice, case=case)
    services.case_assess_referral(actor=alice, case=case, criteria=[], rationale="x")
    services.case_propose_no_referral(actor=alice, case=case, rationale="None")
    assert Notification.objects.filter(recipient=carol, title__contains=case.reference).exists()
    assert not Notification.objects.filter(recipient=sid).exists()
