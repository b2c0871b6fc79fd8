"""Random services fired by random actors over a few cases (Hypothesis stateful testing).

After every step (tests/cases/invariants.py): every case's state is reachable by replaying its
logged transitions through the FSM, every finalised case has an approved outcome for each
allegation subject, every approved outcome is one CR 2020 reg 42 allows, nobody approved their
own proposal or their own investigation, and a refused service changed nothing (not even the
audit trail).

Two walks run: the same derandomised one every time, and one from a random seed, printed and
recorded (the run's last lines say ``replay ...: PSD_STATEFUL_SEED=<n>``). Replay it with
``PSD_STATEFUL_SEED=<n> pytest tests/cases/test_stateful.py -k random -s``.
"""

import collections
import datetime
import os
import secrets

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from accounts.models import Person, PersonStatus, Rank
from accounts.services import person_set_status
from audit.services import audit_event
from cases import services
from cases.models import (
    Action,
    Case,
    CaseType,
    Finding,
    Forum,
    InvestigationMode,
    OutcomeStatus,
    ReflectivePractice,
    ReflectiveStage,
    Severity,
    SubjectTrack,
    TrackState,
)
from psd.domain import DomainError, StaleObject
from psd.roles import Role
from tests.accounts.factories import PersonFactory, StaffPersonFactory, user_with_role
from tests.cases import invariants
from tests.cases.diligent import DiligentPSD, sensible_outcomes
from tests.cases.factories import OUTSIDE_NO, allegation, complaint, criterion
from tests.cases.routes import outcome_proposed, proceedings_dates

pytestmark = pytest.mark.django_db

EXAMPLES, STEPS_PER_EXAMPLE, MIN_STEPS = 24, 50, 1000  # 1,231 service calls (derandomised)
ACTORS = ["alice", "dave", "bob", "carol", "sam"]
SEED_VARIABLE = "PSD_STATEFUL_SEED"


class CaseMachine(DiligentPSD, RuleBasedStateMachine):
    world: dict = {}
    steps = 0
    calls: collections.Counter = collections.Counter()

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.judged_outcomes: set[int] = set()
        w = self.world
        alice, bob = w["alice"], w["bob"]
        make = services.case_create
        received = timezone.localdate() - datetime.timedelta(days=40)
        self.case_pks = [
            make(
                actor=alice,
                case_type=CaseType.COMPLAINT,
                summary="Arrest complaint",
                received_on=received,
                supervisor=bob,
                complainants=[services.ComplainantData(name="Pat Member")],
                allegations=[
                    allegation(w["sam_person"]),
                    allegation(w["officer"], w["sergeant"]),
                    allegation(about_force=True),
                ],
            ).pk,
            make(
                actor=alice,
                case_type=CaseType.CONDUCT_MATTER,
                summary="Audit hit",
                received_on=received,
                supervisor=bob,
                allegations=[allegation(w["sergeant"])],
            ).pk,
            make(
                actor=alice,
                case_type=CaseType.COMPLAINT,
                summary="Front counter complaint",
                received_on=received,
                supervisor=bob,
                complainants=[services.ComplainantData(anonymous=True)],
                allegations=[allegation(w["staff"])],
            ).pk,
        ]
        self.verify()

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # --- Helpers ----------------------------------------------------------------------------
    def case(self, index: int) -> Case:
        return Case.objects.get(pk=self.case_pks[index % len(self.case_pks)])

    def track(self, case: Case, index: int) -> SubjectTrack | None:
        tracks = list(case.tracks.select_related("person").order_by("pk"))
        return tracks[index % len(tracks)] if tracks else None

    def act(self, name: str, call) -> None:
        type(self).steps += 1
        before = invariants.fingerprint()
        try:
            call()
        except DomainError as error:
            assert str(error).strip(), f"{name}: refusal without a reason"
            changed = invariants.changes(before, invariants.fingerprint())
            assert not changed, f"{name} was refused ({error}) but changed {changed}"
            type(self).calls[f"{name}: refused"] += 1
        else:
            type(self).calls[name] += 1
            self.verify()  # after a refusal nothing changed, so the invariants still hold

    def user(self, name: str):
        return self.world[name]

    # --- Intake and referral -------------------------------------------------------------------
    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def record(self, c, who):
        self.act("record", lambda: services.case_record(actor=self.user(who), case=self.case(c)))

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS), resolve=st.booleans())
    def outside_schedule_3(self, c, who, resolve):
        service = (
            services.case_resolve_outside if resolve else services.case_handle_outside_schedule_3
        )
        self.act(
            "outside",
            lambda: service(
                actor=self.user(who),
                case=self.case(c),
                reason="Local resolution",
                **({} if resolve else {"answers": OUTSIDE_NO}),
            ),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS), mandatory=st.booleans())
    def assess_referral(self, c, who, mandatory):
        criteria = [criterion("serious_assault")] if mandatory else []
        self.act(
            "assess_referral",
            lambda: services.case_assess_referral(
                actor=self.user(who), case=self.case(c), criteria=criteria, rationale="Assessed"
            ),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def refer_to_iopc(self, c, who):
        self.act(
            "refer_to_iopc",
            lambda: services.case_refer_to_iopc(actor=self.user(who), case=self.case(c)),
        )

    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        mode=st.sampled_from(
            [
                InvestigationMode.NONE,
                InvestigationMode.LOCAL,
                InvestigationMode.DIRECTED,
                InvestigationMode.INDEPENDENT,
            ]
        ),
    )
    def iopc_decision(self, c, who, mode):
        self.act(
            "iopc_decision",
            lambda: services.case_record_iopc_decision(
                actor=self.user(who), case=self.case(c), mode=mode
            ),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def propose_no_referral(self, c, who):
        self.act(
            "propose_no_referral",
            lambda: services.case_propose_no_referral(
                actor=self.user(who), case=self.case(c), rationale="No criterion"
            ),
        )

    # --- Decisions -------------------------------------------------------------------------
    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        refuse=st.booleans(),
        reason=st.sampled_from(["", "Needs more detail"]),
    )
    def decide(self, c, who, refuse, reason):
        decision = self.case(c).decisions.order_by("-pk").first()
        if decision is None:
            return
        if refuse:
            call = lambda: services.decision_refuse(  # noqa: E731
                actor=self.user(who), decision=decision, reason=reason
            )
        else:
            call = lambda: services.decision_approve(actor=self.user(who), decision=decision)  # noqa: E731
        self.act(f"{'refuse' if refuse else 'approve'} {decision.kind}", call)

    # --- Handling and investigation -------------------------------------------------------
    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS), otbi=st.booleans())
    def handle(self, c, who, otbi):
        case, user = self.case(c), self.user(who)
        if otbi:
            self.act(
                "otbi", lambda: services.case_handle_otbi(actor=user, case=case, reason="Apology")
            )
        else:
            self.act(
                "start_investigation",
                lambda: services.case_start_investigation(actor=user, case=case),
            )

    @rule(
        c=st.integers(0, 2),
        t=st.integers(0, 3),
        who=st.sampled_from(ACTORS),
        severity=st.sampled_from(Severity.values),
        special=st.booleans(),
    )
    def assess_severity(self, c, t, who, severity, special):
        track = self.track(self.case(c), t)
        if track is None:
            return
        self.act(
            "assess_severity",
            lambda: services.track_assess_severity(
                actor=self.user(who),
                track=track,
                severity=severity,
                rationale="Assessed",
                special_case=special,
            ),
        )

    @rule(c=st.integers(0, 2), t=st.integers(0, 3), who=st.sampled_from(ACTORS))
    def serve_notice(self, c, t, who):
        track = self.track(self.case(c), t)
        if track is None:
            return
        self.act(
            "serve_notice", lambda: services.track_serve_notice(actor=self.user(who), track=track)
        )

    @rule(c=st.integers(0, 2), t=st.integers(0, 3), who=st.sampled_from(ACTORS))
    def representations(self, c, t, who):
        track = self.track(self.case(c), t)
        if track is None:
            return
        self.act(
            "representations",
            lambda: services.track_representations_received(actor=self.user(who), track=track),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS), override=st.booleans())
    def submit_report(self, c, who, override):
        # CR 2020 reg 18: with a window still open the report needs a recorded reason.
        self.act(
            "submit_report",
            lambda: services.case_submit_report(
                actor=self.user(who),
                case=self.case(c),
                summary="Report",
                reg18_override_reason="Declined to comment" if override else "",
            ),
        )

    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        answers=st.lists(st.booleans(), min_size=3, max_size=3),
        drop_one=st.booleans(),
    )
    def propose_case_to_answer(self, c, who, answers, drop_one):
        case = self.case(c)
        waiting = list(
            case.tracks.filter(state=TrackState.AWAITING_DECISION).values_list("pk", flat=True)
        )
        given = dict(zip(waiting, answers, strict=False))
        if drop_one and given:
            given.pop(waiting[0])
        self.act(
            "propose_case_to_answer",
            lambda: services.case_propose_case_to_answer(
                actor=self.user(who), case=case, answers=given, rationale="Evidence"
            ),
        )

    @rule(
        c=st.integers(0, 2),
        t=st.integers(0, 3),
        who=st.sampled_from(ACTORS),
        step=st.sampled_from(["no_action", "rprp"]),
    )
    def close_track(self, c, t, who, step):
        track = self.track(self.case(c), t)
        if track is None:
            return
        service = services.track_no_action if step == "no_action" else services.track_refer_to_rprp
        self.act(step, lambda: service(actor=self.user(who), track=track, reason="Decided"))

    @rule(
        c=st.integers(0, 2),
        t=st.integers(0, 3),
        who=st.sampled_from(ACTORS),
        forum=st.sampled_from([Forum.MEETING, Forum.HEARING, Forum.ACCELERATED_HEARING]),
        conclude=st.booleans(),
    )
    def proceedings(self, c, t, who, forum, conclude):
        track = self.track(self.case(c), t)
        if track is None:
            return
        user = self.user(who)
        if conclude:
            self.act(
                "conclude_proceedings",
                lambda: services.track_conclude_proceedings(
                    actor=user, track=track, held_on=timezone.localdate()
                ),
            )
            return
        notice_on, date = proceedings_dates()
        self.act(
            "refer_to_proceedings",
            lambda: services.track_refer_to_proceedings(
                actor=user, track=track, forum=forum, date=date, notice_on=notice_on
            ),
        )

    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        stage=st.sampled_from([None, *ReflectiveStage.values]),
    )
    def rprp_stage(self, c, who, stage):
        rprp = ReflectivePractice.objects.filter(track__case=self.case(c)).first()
        if rprp is None:
            return
        order = list(ReflectiveStage.values)
        if stage is None and rprp.stage != ReflectiveStage.REVIEWED:
            stage = order[order.index(rprp.stage) + 1]
        self.act(
            "rprp_stage",
            lambda: services.rprp_record_stage(
                actor=self.user(who), rprp=rprp, stage=stage or ReflectiveStage.NOTICE
            ),
        )

    # --- Outcome and after -----------------------------------------------------------------
    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        wild=st.none() | st.sampled_from(Action.values),
    )
    def propose_outcome(self, c, who, wild):
        case = self.case(c)
        outcomes = sensible_outcomes(case)
        if wild and outcomes:
            outcomes[-1].action = wild
        self.act(
            "propose_outcome",
            lambda: services.outcome_propose(
                actor=self.user(who), case=case, outcomes=outcomes, rationale="Outcome"
            ),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def propose_finalisation(self, c, who):
        case = self.case(c)
        self.act(
            "propose_finalisation",
            lambda: services.case_propose_finalisation(
                actor=self.user(who),
                case=case,
                rationale="Outcome sent",
                result="acceptable" if case.is_complaint else "",
                outcome_sent_on=timezone.localdate(),
            ),
        )

    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        result=st.none() | st.sampled_from(["upheld", "not_upheld"]),
    )
    def review(self, c, who, result):
        case, user = self.case(c), self.user(who)
        if result is None:
            self.act(
                "request_review",
                lambda: services.case_request_review(
                    actor=user, case=case, received_on=timezone.localdate()
                ),
            )
        else:
            self.act(
                "review_result",
                lambda: services.case_record_review_result(actor=user, case=case, result=result),
            )

    @rule(
        c=st.integers(0, 2),
        who=st.sampled_from(ACTORS),
        close=st.sampled_from(["withdraw", "discontinue"]),
        flag=st.booleans(),
    )
    def close_case(self, c, who, close, flag):
        case, user = self.case(c), self.user(who)
        if close == "withdraw":
            call = lambda: services.case_withdraw(  # noqa: E731
                actor=user, case=case, reason="Complainant withdrew", continue_as_conduct=flag
            )
        else:
            call = lambda: services.case_discontinue(  # noqa: E731
                actor=user, case=case, reason="No evidence", iopc_agreed=flag
            )
        self.act(close, call)

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS), p=st.integers(0, 4))
    def add_allegation(self, c, who, p):
        people = ["sam_person", "officer", "sergeant", "staff", None]
        person = self.world[people[p]] if people[p] else None
        data = allegation(person) if person else allegation(about_force=True)
        self.act(
            "allegation_add",
            lambda: services.allegation_add(actor=self.user(who), case=self.case(c), data=data),
        )

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def stale_edit(self, c, who):
        case = self.case(c)
        type(self).steps += 1
        before = invariants.fingerprint()
        with pytest.raises(DomainError) as error:
            services.case_start_investigation(
                actor=self.user(who), case=case, expected_version=case.version - 1
            )
        if who in ("alice", "bob", "carol"):  # they may act: refused as stale, not forbidden
            assert isinstance(error.value, StaleObject)
        assert not invariants.changes(before, invariants.fingerprint())
        type(self).calls["stale edit: refused"] += 1

    @rule(p=st.sampled_from(["officer", "sergeant", "staff"]))
    def subject_leaves(self, p):
        person = Person.objects.get(pk=self.world[p].pk)
        if person.status != PersonStatus.SERVING:
            return  # leaving twice is refused by accounts, not a case rule
        self.act(
            "leaves",
            lambda: person_set_status(
                actor=self.world["ada"],
                person=person,
                status=PersonStatus.RESIGNED,
                effective_date=timezone.localdate(),
                reason="Resigned",
            ),
        )

    # --- Depth: the next sensible step, by the right person (tests/cases/diligent.py) -------
    @rule(c=st.integers(0, 2), n=st.integers(1, 6))
    def advance(self, c, n):
        for _ in range(n):
            step = self._next_step(self.case(c))
            if step is None:
                return
            self.act(*step)

    # The same, twice more: a random walk rarely goes deep enough on its own.
    @rule(c=st.integers(0, 2), n=st.integers(1, 10))
    def advance_further(self, c, n):
        self.advance(c, n)

    @rule(c=st.integers(0, 2), n=st.integers(1, 10))
    def advance_again(self, c, n):
        self.advance(c, n)

    # --- Invariants, checked after every service call (and once the cases are made) -----------
    def verify(self):
        invariants.history_explains_every_state()
        invariants.finalised_cases_have_approved_outcomes()
        invariants.proposed_outcomes_await_their_decision()
        invariants.approved_outcomes_meet_reg_42(self.judged_outcomes)
        invariants.nobody_approves_their_own_work()


@pytest.fixture
def world(alice, dave, bob, carol, ada, team_a):
    sam = user_with_role(Role.INVESTIGATOR, "sam", team=team_a)
    return {
        "alice": alice,
        "dave": dave,
        "bob": bob,
        "carol": carol,
        "ada": ada,
        "sam": sam,
        "sam_person": PersonFactory(user=sam),
        "officer": PersonFactory(),
        "sergeant": PersonFactory(rank=Rank.objects.get(name="Sergeant")),
        "staff": StaffPersonFactory(),
    }


def walk(world, *, walk_seed: int | None = None) -> collections.Counter:
    """Run the machine: derandomised, or from ``walk_seed``; return the calls made."""
    CaseMachine.world, CaseMachine.steps = world, 0
    CaseMachine.calls = collections.Counter()

    def machine() -> CaseMachine:
        return CaseMachine()

    if walk_seed is not None:
        machine = seed(walk_seed)(machine)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS_PER_EXAMPLE,
            deadline=None,
            derandomize=walk_seed is None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"{CaseMachine.steps} steps: {sorted(CaseMachine.calls.items())}")
    assert Case.objects.count() == 0  # every example rolled back
    return CaseMachine.calls


def test_the_fixed_walk_keeps_the_invariants(world):
    calls = walk(world)
    assert CaseMachine.steps >= MIN_STEPS
    # The walk went deep, not only bouncing off refusals.
    for reached in ("record", "approve outcome", "approve finalisation", "refer_to_proceedings"):
        assert calls[reached] > 0, reached


def test_a_random_walk_keeps_the_invariants(world, record_property):
    """A new walk each run; its seed is printed, recorded for the run's summary and added to
    the failure, and ``PSD_STATEFUL_SEED=<seed>`` replays it."""
    given = os.environ.get(SEED_VARIABLE, "").strip()
    walk_seed = int(given) if given else secrets.randbelow(2**32)
    replay = f"{SEED_VARIABLE}={walk_seed}"
    record_property("replay", replay)
    print(f"random walk: {replay}")
    try:
        calls = walk(world, walk_seed=walk_seed)
    except BaseException as error:
        error.add_note(f"Replay this walk: {replay} pytest {__file__} -k random_walk -s")
        raise
    # As many calls as the fixed walk, give or take (every seed tried made over 1,000).
    assert CaseMachine.steps >= MIN_STEPS // 2, replay
    assert calls["record"] > 0, replay


def test_the_invariants_catch_what_they_guard(alice, bob, ada):
    """An approved dismissal for a subject who has left breaks reg 42; an audit row written by
    a call counts as a change."""
    case, decision = outcome_proposed(
        complaint(alice, supervisor=bob),
        alice,
        bob,
        forum=Forum.HEARING,
        finding=Finding.GROSS_MISCONDUCT_PROVEN,
        action=Action.DISMISSAL,
    )
    Person.objects.filter(pk=case.tracks.get().person_id).update(status=PersonStatus.RESIGNED)
    before = invariants.fingerprint()
    audit_event(actor=bob, action="test.approved", target_label=case.reference)
    assert invariants.changes(before, invariants.fingerprint()) == ["audit.AuditEntry rows"]
    decision.outcomes.update(status=OutcomeStatus.APPROVED, live_until=None)
    with pytest.raises(AssertionError, match="reg 42: .*would have been dismissed"):
        invariants.approved_outcomes_meet_reg_42(set())
