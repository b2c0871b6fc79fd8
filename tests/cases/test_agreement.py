"""Offered ⇔ accepted: the case page (and the API, which lists the same actions) offers an
action exactly when its service would take it.

Nothing here is listed by hand except how to fill each action's input. The walk starts from a
new complaint and takes every action the page offers (with each input variant), inside
savepoints, until no new configuration of the case appears; at each configuration it asks,
for every action in ``ACTIONS``, every target and every person below, whether the page offers
it, and runs the service in a savepoint that is rolled back. Every state of the case's and the
subject's state machines must be reached, so a new action or state is covered (or the test
says what it lacks).
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.actions.page import page_state
from cases.actions_available import ACTIONS, available_actions, targets
from cases.models import Action as OutcomeAction
from cases.models import (
    AppealResult,
    Case,
    ComplaintResult,
    Finding,
    Forum,
    InvestigationMode,
    Outcome,
    ReflectivePractice,
    ReviewResult,
    Severity,
    State,
    SuspensionReason,
    TrackState,
)
from cases.selectors import cases_visible_to
from cases.services import AllegationData, ComplainantData, OutcomeData
from cases.services._core import case_transition_refusal
from cases.services.aftercare import STAGE_ORDER
from cases.services.appeals import appealable_outcomes
from cases.services.decisions import APPROVAL_TRANSITION
from cases.services.facts import CaseFacts
from cases.services.notes import case_add_document, case_add_note
from cases.services.outside import OUTSIDE_QUESTIONS
from cases.services.withdrawal import NOTIFY_IOPC, RECIPIENTS
from deadlines.calendar import add_working_days
from psd.domain import DomainError
from psd.roles import Role
from tests.accounts.factories import PersonFactory, user_with_role
from tests.cases.factories import allegation, category, criterion, days_ago

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> datetime.date:
    return timezone.localdate()


# --- How to fill each action's input (the only per-action list; a new action must add one) --


def _outcomes(case: Case, proven=None) -> list[OutcomeData]:
    """An outcome each subject's track can receive: no further action, reflective practice, or
    after proceedings not proven or (``proven``) misconduct proven with a written warning at a
    meeting, gross misconduct with a final written warning at a hearing (appealable); the
    force's service acceptable."""
    findings = {
        TrackState.NO_ACTION: (Finding.NFA, OutcomeAction.NONE),
        TrackState.RPRP: (Finding.PRI, OutcomeAction.RPRP),
        TrackState.RPRP_COMPLETE: (Finding.PRI, OutcomeAction.RPRP),
    }
    tracks = {t.person_id: t for t in case.tracks.all()}
    result = []
    for item in case.allegations.prefetch_related("subjects"):
        if item.about_force:
            result.append(OutcomeData(item, None, Finding.SERVICE_ACCEPTABLE))
        for person in item.subjects.all():
            track = tracks[person.pk]
            finding, action = findings.get(track.state, (Finding.NOT_PROVEN, OutcomeAction.NONE))
            if proven and track.state == TrackState.OUTCOME:
                finding, action = (
                    (Finding.MISCONDUCT_PROVEN, OutcomeAction.WRITTEN_WARNING)
                    if track.forum == Forum.MEETING
                    else (Finding.GROSS_MISCONDUCT_PROVEN, OutcomeAction.FINAL_WRITTEN_WARNING)
                )
            result.append(OutcomeData(item, track, finding, action))
    return result


def _appeal(actor, track):
    # Where none is appealable, any outcome (or none yet): the guard refuses first.
    outcome = next(iter(appealable_outcomes(track)), None) or Outcome(pk=0, effective_on=today())
    return services.track_lodge_appeal(
        actor=actor, track=track, outcome=outcome, lodged_on=outcome.effective_on, grounds=R
    )


# An outcome varied on appeal: one the original forum could also have given.
VARIED = {
    OutcomeAction.WRITTEN_WARNING: OutcomeAction.FINAL_WRITTEN_WARNING,
    OutcomeAction.FINAL_WRITTEN_WARNING: OutcomeAction.DISMISSAL,
}


def _appeal_result(actor, track, result):
    appeal = track.appeals.filter(result="").select_related("outcome").first()
    varied = result == AppealResult.VARIED and appeal is not None
    return services.track_record_appeal_result(
        actor=actor,
        track=track,
        result=result,
        decided_on=today(),
        reasons=R,
        new_action=VARIED.get(appeal.outcome.action, "") if varied else "",
    )


def _forum(track) -> str:
    if track.answer_level == Severity.MISCONDUCT:
        return Forum.MEETING
    return Forum.ACCELERATED_HEARING if track.special_case else Forum.HEARING


def _proceedings(actor, track):
    notice_on = days_ago(60)
    return services.track_refer_to_proceedings(
        actor=actor,
        track=track,
        forum=_forum(track),
        notice_on=notice_on,
        date=add_working_days(notice_on, 12),
    )


def _extend(actor, case, track):
    """Extend the first running period this actor may extend (the investigator: reg 18)."""
    facts = CaseFacts(case)
    for kind in ("reg17_representations", "reg31_response", "reg33_prehearing"):
        running = facts.running([kind], track)
        if running and (kind != "reg17_representations" or case.investigator_id == actor.pk):
            return services.track_extend_deadline(
                actor=actor,
                track=track,
                kind=kind,
                due_date=running[0].due_date + datetime.timedelta(days=5),
                reason=R,
            )
    return services.track_extend_deadline(
        actor=actor, track=track, kind="reg31_response", due_date=today(), reason=R
    )


def _assign(actor, case, world):
    other = world.people["ian"] if case.investigator_id != world.people["ian"].pk else None
    return services.case_reassign(
        actor=actor, case=case, investigator=other or world.people["alice"], reason="Workload"
    )


def _outstanding_notice(case) -> str:
    """The withdrawal notification still to be recorded (the IOPC's first)."""
    facts = CaseFacts(case)
    return next((k for k in RECIPIENTS if facts.open_deadline(k, case)), NOTIFY_IOPC)


def _next_stage(rprp) -> str:
    return STAGE_ORDER[min(STAGE_ORDER.index(rprp.stage) + 1, len(STAGE_ORDER) - 1)]


R = "Reasons given"
# name -> (run(actor, case, target, variant, world), input variants; the first is checked)
INPUTS = {
    "record": (lambda a, c, t, v, w: services.case_record(actor=a, case=c), [None]),
    "handle_outside": (
        lambda a, c, t, v, w: services.case_handle_outside_schedule_3(
            actor=a, case=c, reason=R, answers=dict.fromkeys(OUTSIDE_QUESTIONS, False)
        ),
        [None],
    ),
    "handle_under_conduct_regulations": (
        lambda a, c, t, v, w: services.case_handle_under_conduct_regulations(
            actor=a, case=c, reason=R
        ),
        [None],
    ),
    "resolve_outside": (
        lambda a, c, t, v, w: services.case_resolve_outside(actor=a, case=c, reason=R),
        [None],
    ),
    "recording_wish": (
        lambda a, c, t, v, w: services.case_note_recording_wish(
            actor=a, case=c, indicated_on=timezone.localdate(), channel="letter"
        ),
        [None],
    ),
    "assess_referral": (
        lambda a, c, t, v, w: services.case_assess_referral(
            actor=a, case=c, criteria=[criterion(code) for code in v], rationale=R
        ),
        [[], ["serious_assault"]],
    ),
    "refer_to_iopc": (lambda a, c, t, v, w: services.case_refer_to_iopc(actor=a, case=c), [None]),
    "propose_no_referral": (
        lambda a, c, t, v, w: services.case_propose_no_referral(actor=a, case=c, rationale=R),
        [None],
    ),
    "iopc_decision": (
        lambda a, c, t, v, w: services.case_record_iopc_decision(actor=a, case=c, mode=v),
        [InvestigationMode.LOCAL, InvestigationMode.INDEPENDENT],
    ),
    "start_investigation": (
        lambda a, c, t, v, w: services.case_start_investigation(actor=a, case=c),
        [None],
    ),
    "handle_otbi": (
        lambda a, c, t, v, w: services.case_handle_otbi(actor=a, case=c, reason=R),
        [None],
    ),
    "submit_report": (
        lambda a, c, t, v, w: services.case_submit_report(
            actor=a, case=c, summary=R, reg18_override_reason=R
        ),
        [None],
    ),
    "suspend": (
        lambda a, c, t, v, w: services.case_suspend(
            actor=a, case=c, reason=SuspensionReason.CRIMINAL_PROCEEDINGS
        ),
        [None],
    ),
    "resume": (lambda a, c, t, v, w: services.case_resume(actor=a, case=c), [None]),
    "propose_case_to_answer": (
        lambda a, c, t, v, w: services.case_propose_case_to_answer(
            actor=a,
            case=c,
            answers={x.pk: v for x in c.tracks.filter(state=TrackState.AWAITING_DECISION)},
            rationale=R,
        ),
        [True, False, "misconduct_no_proceedings"],
    ),
    "propose_outcome": (
        lambda a, c, t, v, w: services.outcome_propose(
            actor=a, case=c, outcomes=_outcomes(c, v), rationale=R
        ),
        # Proven first: the same configurations follow, and only a proven outcome is appealed.
        ["proven", None],
    ),
    "propose_finalisation": (
        lambda a, c, t, v, w: services.case_propose_finalisation(
            actor=a,
            case=c,
            rationale=R,
            result=ComplaintResult.SERVICE_ACCEPTABLE,
            outcome_sent_on=today(),
        ),
        [None],
    ),
    "request_review": (
        lambda a, c, t, v, w: services.case_request_review(actor=a, case=c, received_on=today()),
        [None],
    ),
    "review_result": (
        lambda a, c, t, v, w: services.case_record_review_result(actor=a, case=c, result=v),
        # Upheld reopens the investigation: states the walk has already been through.
        [ReviewResult.NOT_UPHELD],
    ),
    "add_allegation": (
        lambda a, c, t, v, w: services.allegation_add(
            actor=a,
            case=c,
            data=AllegationData(summary=R, category=category(), about_force=True),
        ),
        [None],
    ),
    "twelve_month_report": (
        lambda a, c, t, v, w: services.case_record_twelve_month_report(actor=a, case=c),
        [None],
    ),
    "correct_received_on": (
        lambda a, c, t, v, w: services.case_correct_received_on(
            actor=a, case=c, received_on=c.received_on - datetime.timedelta(days=1), reason=R
        ),
        [None],
    ),
    "assign": (lambda a, c, t, v, w: _assign(a, c, w), [None]),
    "withdraw": (lambda a, c, t, v, w: services.case_withdraw(actor=a, case=c, reason=R), [None]),
    "discontinue": (
        lambda a, c, t, v, w: services.case_discontinue(
            actor=a, case=c, reason=R, iopc_agreed=True
        ),
        [None],
    ),
    "note": (lambda a, c, t, v, w: case_add_note(actor=a, case=c, text=R), [None]),
    "document": (
        lambda a, c, t, v, w: case_add_document(
            actor=a, case=c, upload=SimpleUploadedFile("report.pdf", PDF)
        ),
        [None],
    ),
    "assess_severity": (
        lambda a, c, t, v, w: services.track_assess_severity(
            actor=a, track=t, severity=v[0], rationale=R, special_case=v[1]
        ),
        [
            (Severity.MISCONDUCT, False),
            (Severity.PRI, False),
            (Severity.NO_MISCONDUCT, False),
            (Severity.GROSS_MISCONDUCT, True),
            (Severity.GROSS_MISCONDUCT, False),
        ],
    ),
    "serve_notice": (lambda a, c, t, v, w: services.track_serve_notice(actor=a, track=t), [None]),
    "lodge_appeal": (lambda a, c, t, v, w: _appeal(a, t), [None]),
    "record_appeal_result": (
        lambda a, c, t, v, w: _appeal_result(a, t, v),
        [AppealResult.VARIED, AppealResult.DISMISSED, AppealResult.OVERTURNED],
    ),
    "withdrawal_notified": (
        lambda a, c, t, v, w: services.case_record_withdrawal_notice(
            actor=a, case=c, recipient=_outstanding_notice(c), notified_on=today()
        ),
        [None],
    ),
    "correct_notice": (
        lambda a, c, t, v, w: services.track_correct_notice_date(
            actor=a, track=t, served_on=days_ago(1), reason=R
        ),
        [None],
    ),
    "representations": (
        lambda a, c, t, v, w: services.track_representations_received(actor=a, track=t),
        [None],
    ),
    "refer_to_rprp": (
        lambda a, c, t, v, w: services.track_refer_to_rprp(actor=a, track=t, reason=R),
        [None],
    ),
    "no_action": (
        lambda a, c, t, v, w: services.track_no_action(actor=a, track=t, reason=R),
        [None],
    ),
    "refer_to_proceedings": (lambda a, c, t, v, w: _proceedings(a, t), [None]),
    "extend_deadline": (lambda a, c, t, v, w: _extend(a, c, t), [None]),
    "documents_to_chair": (
        lambda a, c, t, v, w: services.track_documents_to_chair(actor=a, track=t),
        [None],
    ),
    "prehearing": (
        lambda a, c, t, v, w: services.track_prehearing_held(actor=a, track=t),
        [None],
    ),
    "reg31_response": (
        lambda a, c, t, v, w: services.track_record_response(actor=a, track=t),
        [None],
    ),
    "conclude_proceedings": (
        lambda a, c, t, v, w: services.track_conclude_proceedings(
            actor=a, track=t, held_on=today()
        ),
        [None],
    ),
    "rprp_stage": (
        lambda a, c, t, v, w: services.rprp_record_stage(
            actor=a, rprp=t, stage=_next_stage(t), on=today()
        ),
        [None],
    ),
    "approve": (lambda a, c, t, v, w: services.decision_approve(actor=a, decision=t), [None]),
    "refuse": (
        lambda a, c, t, v, w: services.decision_refuse(actor=a, decision=t, reason=R),
        [None],
    ),
}
# Steps that leave the case where it was (or only add records): checked everywhere, but the
# walk does not follow them.
NOT_WALKED = {
    "note",
    "document",
    "assign",
    "correct_received_on",
    "correct_notice",
    "suspend",
    "resume",
    "extend_deadline",
    "reg31_response",
    "documents_to_chair",
    "prehearing",
}
# Who takes each step on the walk: the first of these the page offers it to. Proposals come
# from bob, the team's supervisor, who could approve others' proposals: four-eyes, not the
# role, is what keeps him from approving his own.
DRIVERS = ("bob", "carol", "alice", "ian")


# --- The people and their relationship to the case ------------------------------------------


@dataclass
class World:
    people: dict
    case: Case


@pytest.fixture
def world(team_a, team_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sam = user_with_role(Role.INVESTIGATOR, "sam", team=team_a)
    pat = user_with_role(Role.SUPERVISOR, "pat", team=team_a)
    people = {
        "alice": user_with_role(Role.INVESTIGATOR, "alice", team=team_a),  # the investigator
        "ian": user_with_role(Role.INVESTIGATOR, "ian", team=team_a),  # a colleague
        "bob": user_with_role(Role.SUPERVISOR, "bob", team=team_a),  # supervises, proposes
        "carol": user_with_role(Role.APPROPRIATE_AUTHORITY, "carol"),  # AA and PSD head
        "dave": user_with_role(Role.INVESTIGATOR, "dave", team=team_b),  # another team
        "eve": user_with_role(Role.AUDITOR, "eve"),
        "victor": user_with_role(Role.VETTING_OFFICER, "victor"),
        "sam": sam,  # an investigator on the team who is the subject
        "pat": pat,  # a supervisor on the team who is the complainant
    }
    team_a.supervisor = people["bob"]
    team_a.save()
    case = services.case_create(
        actor=people["alice"],
        case_type="complaint",
        summary="Complaint about an arrest",
        received_on=days_ago(30),
        supervisor=people["bob"],
        complainants=[ComplainantData(name="Pat", person=PersonFactory(user=pat))],
        allegations=[allegation(PersonFactory(user=sam))],
    )
    return World(people, case)


# --- The walk -------------------------------------------------------------------------------


def _severity(track) -> tuple:
    """Severity decides the next steps until the forum of proceedings is chosen."""
    if track.state == TrackState.CASE_TO_ANSWER:
        return (track.answer_level, track.special_case, track.proceedings_brought)
    if track.state in (
        TrackState.SEVERITY_ASSESSED,
        TrackState.NOTICE_SERVED,
        TrackState.AWAITING_DECISION,
    ):
        return (track.severity, track.special_case)
    return ()


def stale(case: Case, kind: str) -> bool:
    """A pending proposal the case has moved past (its approval's transition is no longer
    possible): it can only be refused, wherever the case is."""
    return case_transition_refusal(case, APPROVAL_TRANSITION[kind]) is not None


def configuration(case: Case) -> tuple:
    """What the walk tells apart: the case's state (and whether a referral is required),
    each subject's state (and severity while it decides the next step) and the proposals
    pending. A closed case is one configuration whatever its subjects' states."""
    facts = CaseFacts(case)
    if case.is_closed and case.state not in (State.FINALISED, State.REVIEW_REQUESTED):
        # A withdrawal may leave the IOPC or the review body to be told (C&M reg 38).
        return (case.state, tuple(k for k in RECIPIENTS if facts.open_deadline(k, case)))
    pending = sorted(
        (kind, json.dumps(d.payload, sort_keys=True))
        for kind, d in facts.pending.items()
        if not stale(case, kind)
    )
    stages = ReflectivePractice.objects.filter(track__case=case).values_list("stage", flat=True)
    return (
        case.state,
        case.investigation_mode,
        facts.referral_required,
        tuple((t.state, *_severity(t)) for t in facts.tracks),
        tuple(pending),
        tuple(stages),
    )


def offered_to(user, case: Case) -> set[tuple[str, int]]:
    """What the page and GET .../actions/ list for ``user`` (nothing on a case they cannot
    see: the page answers 404)."""
    visible = cases_visible_to(user).filter(pk=case.pk).first()
    if visible is None:
        return set()
    return {(s.name, t.pk) for s, t in available_actions(page_state(user=user, case=visible))}


def service_refusal(name: str, user, case: Case, target, world: World) -> str | None:
    """None when the service takes the action; else its refusal. Always rolled back."""
    run, variants = INPUTS[name]
    savepoint = transaction.savepoint()
    try:
        run(user, case, target, variants[0], world)
    except DomainError as error:
        return error.message
    finally:
        transaction.savepoint_rollback(savepoint)
    return None


def every_target(case: Case) -> list[tuple[object, object]]:
    state = page_state(user=None, case=case)
    return [(spec, t) for spec in ACTIONS.values() for t in targets(state, spec.scope)]


def _target_state(target) -> tuple:
    return tuple(getattr(target, f, None) for f in ("state", "severity", "stage", "kind"))


class Checker:
    """Runs the service wherever the page's answer, the guard's sentence or the state of the
    case and target is one not yet seen for that action and person: every (action, person)
    is tried in every state reached, refused or accepted, without repeating a known answer."""

    def __init__(self, world: World):
        self.world, self.done, self.disagreements = world, set(), []

    def check(self, case: Case) -> dict[str, set]:
        """Compare, and return what the page offers each person."""
        pairs, facts, offers = every_target(case), CaseFacts(case), {}
        for who, user in self.world.people.items():
            offered = offers[who] = offered_to(user, case)
            visible = bool(offered) or cases_visible_to(user).filter(pk=case.pk).exists()
            for spec, target in pairs:
                is_offered = (spec.name, target.pk) in offered
                if not visible:
                    why = "cannot see the case"
                elif not user.has_perm(f"cases.{spec.perm}"):
                    why = "role"
                else:
                    why = spec.available.guard(
                        actor=user, facts=facts, **_keyword(spec.scope, target)
                    )
                key = (spec.name, who, is_offered, why)
                if why is None or is_offered:
                    key += (case.state, _target_state(target))
                if key in self.done:
                    continue
                self.done.add(key)
                fresh = Case.objects.get(pk=case.pk)
                refusal = service_refusal(spec.name, user, fresh, target, self.world)
                if is_offered != (refusal is None):
                    self.disagreements.append(
                        f"{spec.name} on {type(target).__name__} {target.pk} for {who} at "
                        f"{configuration(case)}: offered={is_offered}, "
                        f"service said {refusal or 'yes'}"
                    )
        return offers


def _keyword(scope: str, target) -> dict:
    return {"case": {"case": target}}.get(scope, {scope: target})


def walk(world: World) -> tuple[set, list]:
    seen, checker = set(), Checker(world)

    def visit() -> None:
        case = Case.objects.get(pk=world.case.pk)
        key = configuration(case)
        if key in seen:
            return
        seen.add(key)
        offered = checker.check(case)
        for spec, target in every_target(case):
            if spec.name in NOT_WALKED:
                continue
            driver = next((w for w in DRIVERS if (spec.name, target.pk) in offered[w]), None)
            if driver is None:
                continue
            run, variants = INPUTS[spec.name]
            for variant in variants:
                savepoint = transaction.savepoint()
                try:
                    run(world.people[driver], Case.objects.get(pk=case.pk), target, variant, world)
                except DomainError:
                    pass  # an input variant this configuration refuses (e.g. the forum)
                else:
                    visit()
                transaction.savepoint_rollback(savepoint)

    visit()
    return seen, checker.disagreements


def test_every_action_has_an_input_to_try():
    assert set(INPUTS) == set(ACTIONS), "give each action in ACTIONS an input in INPUTS"


def test_offered_exactly_when_the_service_accepts(world):
    seen, disagreements = walk(world)
    assert not disagreements, "\n".join(disagreements[:20])
    case_states = {key[0] for key in seen}
    track_states = {track[0] for key in seen if len(key) > 3 for track in key[3]}
    missing = (set(State.values) - case_states) | (set(TrackState.values) - track_states)
    assert not missing, f"the walk never reached {sorted(missing)}"
