"""Random services fired by random actors over a few cases (Hypothesis stateful testing).

After every step: every case's state is reachable by replaying its logged transitions through
the FSM, every finalised case has an approved outcome for each allegation subject, nobody
approved their own proposal or their own investigation, and a refused service changed nothing.
"""

import collections
import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from accounts.models import Person, PersonStatus, Rank
from accounts.roles import Role
from accounts.services import person_set_status
from cases import services
from cases.models import (
    Action,
    AdvisoryListEntry,
    Allegation,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseTransition,
    CaseType,
    Complainant,
    Decision,
    DecisionStatus,
    Finding,
    Forum,
    InvestigationMode,
    IOPCReferral,
    Outcome,
    OutcomeStatus,
    ReferralAssessment,
    ReflectivePractice,
    ReflectiveStage,
    ReviewRequest,
    Severity,
    State,
    SubjectTrack,
    TrackState,
)
from cases.services import OutcomeData
from cases.services.outcomes import expected_pairs
from deadlines.models import Deadline
from psd.domain import DomainError, StaleObject
from tests.accounts.factories import PersonFactory, StaffPersonFactory, user_with_role
from tests.cases.factories import allegation, criterion
from tests.cases.routes import proceedings_dates

pytestmark = pytest.mark.django_db

EXAMPLES, STEPS_PER_EXAMPLE, MIN_STEPS = 24, 50, 1000  # 1,231 service calls (derandomised)
ACTORS = ["alice", "dave", "bob", "carol", "sam"]


def _fsm(model) -> dict[tuple[str, str], set[str]]:
    """(transition name, source) -> the targets the FSM allows."""
    allowed = {}
    for t in model._meta.get_field("state").get_all_transitions(model):
        targets = getattr(t.target, "allowed_states", None) or [t.target]
        allowed[(t.name, t.source)] = set(targets)
    return allowed


CASE_FSM, TRACK_FSM = _fsm(Case), _fsm(SubjectTrack)
CASE_NAMES = {name for name, _ in CASE_FSM}
TRACK_NAMES = {name for name, _ in TRACK_FSM}


COUNTED = [
    CaseTransition,
    ReviewRequest,
    IOPCReferral,
    ReferralAssessment,
    BarredListEntry,
    AdvisoryListEntry,
    Allegation,
]


def fingerprint() -> tuple:
    """Everything the case services write, to prove a refused service wrote nothing."""
    # One query for all the counts; the table names come from model metadata.
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in COUNTED)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return (
        row,
        list(Case.objects.order_by("pk").values_list("pk", "state", "version", "finalised_at")),
        list(SubjectTrack.objects.order_by("pk").values_list("pk", "state", "severity", "forum")),
        list(Decision.objects.order_by("pk").values_list("pk", "status")),
        list(Outcome.objects.order_by("pk").values_list("pk", "status", "live_until")),
        list(Deadline.objects.order_by("pk").values_list("pk", "status")),
        list(ReflectivePractice.objects.order_by("pk").values_list("pk", "stage")),
        list(IOPCReferral.objects.order_by("pk").values_list("pk", "decision_on")),
        list(Person.objects.order_by("pk").values_list("pk", "status")),
    )


def _sensible_outcome(track, allegation_obj) -> OutcomeData:
    """An outcome the rules accept for this subject as the track stands."""
    if track is None:
        return OutcomeData(allegation_obj, None, Finding.SERVICE_ACCEPTABLE)
    if track.state == TrackState.NO_ACTION:
        return OutcomeData(allegation_obj, track, Finding.NO_MISCONDUCT)
    if track.state in (TrackState.RPRP, TrackState.RPRP_COMPLETE):
        return OutcomeData(allegation_obj, track, Finding.PRI, Action.RPRP)
    if track.forum == Forum.MEETING:
        return OutcomeData(allegation_obj, track, Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING)
    left = track.person.status in (PersonStatus.RESIGNED, PersonStatus.RETIRED)
    dismissal = Action.WOULD_HAVE_BEEN_DISMISSED if left else Action.DISMISSAL
    return OutcomeData(allegation_obj, track, Finding.GROSS_MISCONDUCT_PROVEN, dismissal)


class CaseMachine(RuleBasedStateMachine):
    world: dict = {}
    steps = 0
    calls: collections.Counter = collections.Counter()

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
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
        before = fingerprint()
        try:
            call()
        except DomainError as error:
            assert str(error).strip(), f"{name}: refusal without a reason"
            assert fingerprint() == before, f"{name} was refused but changed the database"
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
            lambda: service(actor=self.user(who), case=self.case(c), reason="Local resolution"),
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

    @rule(c=st.integers(0, 2), who=st.sampled_from(ACTORS))
    def submit_report(self, c, who):
        self.act(
            "submit_report",
            lambda: services.case_submit_report(
                actor=self.user(who), case=self.case(c), summary="Report"
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
        tracks = {t.person_id: t for t in case.tracks.select_related("person", "person__rank")}
        outcomes = []
        for allegation_obj in case.allegations.prefetch_related("subjects").order_by("number"):
            if allegation_obj.about_force:
                outcomes.append(_sensible_outcome(None, allegation_obj))
            for person in allegation_obj.subjects.all():
                outcomes.append(_sensible_outcome(tracks[person.pk], allegation_obj))
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
                    actor=user, case=case, received_on=timezone.localdate(), body="lpb"
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
        before = fingerprint()
        with pytest.raises(DomainError) as error:
            services.case_start_investigation(
                actor=self.user(who), case=case, expected_version=case.version - 1
            )
        if who in ("alice", "bob", "carol"):  # they may act: refused as stale, not forbidden
            assert isinstance(error.value, StaleObject)
        assert fingerprint() == before
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

    # --- Depth: the next sensible step, by the right person ------------------------------
    SEVERITIES = [
        Severity.MISCONDUCT,
        Severity.GROSS_MISCONDUCT,
        Severity.PRI,
        Severity.NO_MISCONDUCT,
    ]

    def _next_step(self, case: Case):
        """The service call a diligent PSD would make next on ``case`` (or None)."""
        alice, bob, carol = self.world["alice"], self.world["bob"], self.world["carol"]
        pending = case.decisions.filter(status=DecisionStatus.PENDING).first()
        if pending is not None:
            approver = carol if pending.proposed_by_id == bob.pk else bob
            if pending.kind == "outcome" and not case.decisions.filter(status="refused").exists():
                # The first outcome proposal of a case is sent back once, with a reason.
                return "refuse outcome", lambda: services.decision_refuse(
                    actor=approver, decision=pending, reason="Reconsider the sanction"
                )
            return f"approve {pending.kind}", lambda: services.decision_approve(
                actor=approver, decision=pending
            )
        state, route = case.state, self.case_pks.index(case.pk)
        if state in (State.RECEIVED, State.OUTSIDE_SCH3):
            return "record", lambda: services.case_record(actor=alice, case=case)
        if state == State.RECORDED:
            return "assess_referral", lambda: services.case_assess_referral(
                actor=alice, case=case, criteria=[], rationale="Assessed"
            )
        if state == State.REFERRAL_ASSESSMENT:
            if services.referral_required(case):
                return "refer_to_iopc", lambda: services.case_refer_to_iopc(actor=alice, case=case)
            return "propose_no_referral", lambda: services.case_propose_no_referral(
                actor=alice, case=case, rationale="No criterion"
            )
        if state == State.AWAITING_IOPC:
            mode = InvestigationMode.INDEPENDENT if route == 1 else InvestigationMode.LOCAL
            return "iopc_decision", lambda: services.case_record_iopc_decision(
                actor=alice, case=case, mode=mode
            )
        if state == State.HANDLING_DECIDED:
            if route == 2 and case.investigation_mode in ("", "none"):
                return "otbi", lambda: services.case_handle_otbi(
                    actor=alice, case=case, reason="Apology"
                )
            return "start_investigation", lambda: services.case_start_investigation(
                actor=alice, case=case
            )
        tracks = list(case.tracks.select_related("person").order_by("pk"))
        if state in (State.INVESTIGATION, State.INDEPENDENT_INVESTIGATION, State.OTBI):
            for i, track in enumerate(tracks):
                step = self._track_step(case, track, alice, i + route)
                if step:
                    return step
            if state != State.OTBI:
                return "submit_report", lambda: services.case_submit_report(
                    actor=alice, case=case, summary="Report"
                )
        if state == State.REPORT_SUBMITTED:
            answers = {
                t.pk: bool((i + route) % 3)
                for i, t in enumerate(tracks)
                if t.state == TrackState.AWAITING_DECISION
            }
            return "propose_case_to_answer", lambda: services.case_propose_case_to_answer(
                actor=alice, case=case, answers=answers, rationale="Evidence"
            )
        if state in (State.DECISIONS, State.PROCEEDINGS, State.OTBI):
            for i, track in enumerate(tracks):
                step = self._track_step(case, track, alice, i + route)
                if step:
                    return step
            return None if any(not t.is_concluded for t in tracks) else self._outcome_step(case)
        if state == State.OUTCOME_APPROVED:
            return "propose_finalisation", lambda: services.case_propose_finalisation(
                actor=alice,
                case=case,
                rationale="Outcome sent",
                result="not_acceptable" if case.is_complaint else "",
                outcome_sent_on=timezone.localdate(),
            )
        if state == State.FINALISED and case.is_complaint and route == 0:
            return "request_review", lambda: services.case_request_review(
                actor=alice, case=case, received_on=timezone.localdate(), body="iopc"
            )
        if state == State.REVIEW_REQUESTED:
            # The first review is upheld (reinvestigation, a new outcome); later ones are not.
            result = "upheld" if case.reviews.count() == 1 else "not_upheld"
            return "review_result", lambda: services.case_record_review_result(
                actor=alice, case=case, result=result
            )
        return None

    def _track_step(self, case, track, alice, n):
        ts = track.state
        if ts == TrackState.PENDING and case.state != State.PROCEEDINGS:
            otbi = case.state == State.OTBI  # no investigation: PRI or no misconduct
            severity = self.SEVERITIES[2 + n % 2] if otbi else self.SEVERITIES[n % 4]
            return "assess_severity", lambda: services.track_assess_severity(
                actor=alice, track=track, severity=severity, rationale="Assessed"
            )
        if ts == TrackState.SEVERITY_ASSESSED:
            if track.severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT):
                return "serve_notice", lambda: services.track_serve_notice(actor=alice, track=track)
            if track.severity == Severity.PRI:
                return "rprp", lambda: services.track_refer_to_rprp(
                    actor=alice, track=track, reason="PRI"
                )
            return "no_action", lambda: services.track_no_action(
                actor=alice, track=track, reason="None"
            )
        if ts == TrackState.NO_CASE_TO_ANSWER:
            return "no_action", lambda: services.track_no_action(
                actor=alice, track=track, reason="No case"
            )
        if ts == TrackState.CASE_TO_ANSWER:
            forum = Forum.MEETING if track.severity == Severity.MISCONDUCT else Forum.HEARING
            notice_on, date = proceedings_dates()
            return "refer_to_proceedings", lambda: services.track_refer_to_proceedings(
                actor=alice, track=track, forum=forum, date=date, notice_on=notice_on
            )
        if ts in TrackState.in_proceedings():
            return "conclude_proceedings", lambda: services.track_conclude_proceedings(
                actor=alice, track=track, held_on=timezone.localdate()
            )
        return None

    def _outcome_step(self, case):
        tracks = {t.person_id: t for t in case.tracks.select_related("person", "person__rank")}
        outcomes = []
        for allegation_obj in case.allegations.prefetch_related("subjects").order_by("number"):
            if allegation_obj.about_force:
                outcomes.append(_sensible_outcome(None, allegation_obj))
            for person in allegation_obj.subjects.all():
                outcomes.append(_sensible_outcome(tracks[person.pk], allegation_obj))
        return "propose_outcome", lambda: services.outcome_propose(
            actor=self.world["alice"], case=case, outcomes=outcomes, rationale="Outcome"
        )

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
        self.history_explains_every_state()
        self.finalised_cases_have_approved_outcomes()
        self.nobody_approves_their_own_work()

    def history_explains_every_state(self):
        cases = {c.pk: c for c in Case.objects.all()}
        tracks = {t.pk: t for t in SubjectTrack.objects.all()}
        at_case = dict.fromkeys(cases)
        at_track = dict.fromkeys(tracks, TrackState.PENDING)
        rows = CaseTransition.objects.order_by("pk").values_list(
            "case_id", "track_id", "name", "from_state", "to_state"
        )
        for case_id, track_id, name, source, target in rows:
            if track_id is not None:
                if name in TRACK_NAMES:
                    assert source == at_track[track_id], (name, source, at_track[track_id])
                    assert target in TRACK_FSM.get((name, source), ()), (name, source, target)
                    at_track[track_id] = target
                else:
                    assert source == target == at_track[track_id], (name, source, target)
            elif name == "create":
                assert at_case[case_id] is None and target == State.RECEIVED
                at_case[case_id] = target
            elif name in CASE_NAMES:
                assert source == at_case[case_id], (name, source, at_case[case_id])
                assert target in CASE_FSM.get((name, source), ()), (name, source, target)
                at_case[case_id] = target
            else:
                assert source == target and source in ("", at_case[case_id]), (name, source)
        for pk, case in cases.items():
            assert at_case[pk] == case.state, (case.reference, at_case[pk], case.state)
        for pk, track in tracks.items():
            assert at_track[pk] == track.state, (pk, at_track[pk], track.state)

    def finalised_cases_have_approved_outcomes(self):
        for case in Case.objects.filter(state=State.FINALISED).exclude(handling="outside"):
            approved = set(
                Outcome.objects.filter(
                    allegation__case=case, status=OutcomeStatus.APPROVED
                ).values_list("allegation_id", "track_id")
            )
            missing = expected_pairs(case) - approved
            assert not missing, (case.reference, missing)

    def nobody_approves_their_own_work(self):
        parties = set(
            AllegationSubject.objects.filter(person__user__isnull=False).values_list(
                "allegation__case_id", "person__user_id"
            )
        ) | set(
            Complainant.objects.filter(person__user__isnull=False).values_list(
                "case_id", "person__user_id"
            )
        )
        decided = Decision.objects.exclude(status=DecisionStatus.PENDING).values_list(
            "case_id", "proposed_by_id", "decided_by_id", "case__investigator_id"
        )
        for case_id, proposer, decider, investigator in decided:
            assert decider not in (proposer, investigator, None), (case_id, decider)
            assert (case_id, decider) not in parties, (case_id, decider)


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


def test_random_services_by_random_actors_keep_the_invariants(world):
    CaseMachine.world, CaseMachine.steps = world, 0
    CaseMachine.calls = collections.Counter()
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS_PER_EXAMPLE,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    calls = CaseMachine.calls
    print(f"{CaseMachine.steps} steps: {sorted(calls.items())}")
    assert CaseMachine.steps >= MIN_STEPS
    # The walk went deep, not only bouncing off refusals.
    for reached in ("record", "approve outcome", "approve finalisation", "refer_to_proceedings"):
        assert calls[reached] > 0, reached
    assert Case.objects.count() == 0  # every example rolled back
