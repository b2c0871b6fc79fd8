"""The next sensible step on a case, by the right person: how the state-machine test
(tests/cases/test_stateful.py) goes deep, where a random walk alone rarely gets."""

from django.utils import timezone

from accounts.models import PersonStatus
from cases import services
from cases.models import (
    Action,
    Case,
    DecisionStatus,
    Finding,
    Forum,
    InvestigationMode,
    Severity,
    StaffOutcomeKind,
    State,
    TrackState,
)
from cases.services import OutcomeData
from cases.services.staff import is_police_staff
from tests.cases.routes import proceedings_dates


def _sensible_outcome(track, allegation_obj) -> OutcomeData:
    """An outcome the rules accept for this subject as the track stands."""
    if track is None:
        return OutcomeData(allegation_obj, None, Finding.SERVICE_ACCEPTABLE)
    if track.state == TrackState.NO_ACTION:
        return OutcomeData(allegation_obj, track, Finding.NO_MISCONDUCT)
    if track.state in (TrackState.RPRP, TrackState.RPRP_COMPLETE):
        return OutcomeData(allegation_obj, track, Finding.PRI, Action.RPRP)
    meeting = track.forum == Forum.MEETING
    left = track.person.status in (PersonStatus.RESIGNED, PersonStatus.RETIRED)
    if is_police_staff(track.person) and not left:
        # Police staff: the force's staff outcome list, not CR 2020 reg 42.
        code = "first_written_warning" if meeting else "dismissal_without_notice"
        finding = Finding.MISCONDUCT_PROVEN if meeting else Finding.GROSS_MISCONDUCT_PROVEN
        data = OutcomeData(allegation_obj, track, finding)
        data.staff_outcome = StaffOutcomeKind.objects.get(code=code)
        return data
    if meeting:
        return OutcomeData(allegation_obj, track, Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING)
    dismissal = Action.WOULD_HAVE_BEEN_DISMISSED if left else Action.DISMISSAL
    return OutcomeData(allegation_obj, track, Finding.GROSS_MISCONDUCT_PROVEN, dismissal)


def sensible_outcomes(case: Case) -> list[OutcomeData]:
    """One sensible outcome for every subject of every allegation (and the force/service)."""
    tracks = {t.person_id: t for t in case.tracks.select_related("person", "person__rank")}
    outcomes = []
    for allegation_obj in case.allegations.prefetch_related("subjects").order_by("number"):
        if allegation_obj.about_force:
            outcomes.append(_sensible_outcome(None, allegation_obj))
        for person in allegation_obj.subjects.all():
            outcomes.append(_sensible_outcome(tracks[person.pk], allegation_obj))
    return outcomes


class DiligentPSD:
    """Mixed into the state machine: ``world`` holds the users, ``case_pks`` the cases."""

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
                    actor=alice,
                    case=case,
                    summary="Report",
                    reg18_override_reason="The subjects declined to make representations",
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
                actor=alice, case=case, received_on=timezone.localdate()
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
        outcomes = sensible_outcomes(case)
        return "propose_outcome", lambda: services.outcome_propose(
            actor=self.world["alice"], case=case, outcomes=outcomes, rationale="Outcome"
        )
