"""Which actions the current user may take on a case right now, and how each one runs.

An action is offered only when the state machine allows it (``can_proceed`` on the case or
subject track), the user's role holds the permission, and, for approvals, four-eyes holds:
never the proposer, never the case's investigator. Each action runs exactly one service.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django_fsm import can_proceed

from accounts.models import User

from . import forms_actions as f
from . import services
from .action_runs import (
    _allegation,
    _approve,
    _assess,
    _assign,
    _case_to_answer,
    _document,
    _note,
    _outcome,
    _record,
    _refuse,
    _rprp_stage,
    _simple,
    _track,
    _twelve_month,
)
from .models import (
    Allegation,
    Case,
    Decision,
    DecisionKind,
    DecisionStatus,
    ReflectivePractice,
    ReflectiveStage,
    Severity,
    State,
    SubjectTrack,
    TrackState,
)
from .services.assignment import may_allocate

SEVERITY_STATES = (
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
    State.INDEPENDENT_INVESTIGATION,
    State.OTBI,
)
ALLEGATION_STATES = (
    State.RECEIVED,
    State.RECORDED,
    State.OUTSIDE_SCH3,
    State.REFERRAL_ASSESSMENT,
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
    State.OTBI,
)


@dataclass
class PageState:
    """What the case page loaded, so availability needs no further queries."""

    case: Case
    user: User
    tracks: list[SubjectTrack]
    allegations: list[Allegation]
    decisions: list[Decision]
    deadlines: list = field(default_factory=list)
    has_assessment: bool = False
    referral_required: bool = False

    @property
    def pending(self) -> dict[str, Decision]:
        return {d.kind: d for d in self.decisions if d.status == DecisionStatus.PENDING}

    def open_deadline(self, kind: str, target) -> bool:
        return any(
            d.status == "open" and d.kind.code == kind and d.object_id == target.pk
            for d in self.deadlines
        )

    def outcome_pairs(self) -> list[tuple[Allegation, SubjectTrack | None]]:
        by_person = {t.person_id: t for t in self.tracks}
        pairs = []
        for allegation in self.allegations:
            if allegation.about_force:
                pairs.append((allegation, None))
            pairs.extend((allegation, by_person[p.pk]) for p in allegation.subjects.all())
        return pairs


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    scope: str  # "case", "track", "rprp" or "decision"
    form: type
    available: Callable[[PageState, object], bool]
    run: Callable[..., str]
    perm: str = "change_case"
    button: str = "Save"
    warning: bool = False
    form_kwargs: Callable[[PageState, object], dict] = lambda state, target: {}


# --- Availability -------------------------------------------------------------------------


def _can(name):
    return lambda s, target: can_proceed(getattr(s.case, name))


def _not_pending(kind):
    return lambda s: kind not in s.pending


def _four_eyes(s: PageState, decision: Decision) -> bool:
    return (
        decision.status == DecisionStatus.PENDING
        and s.user.pk != decision.proposed_by_id
        and s.user.pk != s.case.investigator_id
    )


def _track_can(name):
    return lambda s, t: can_proceed(getattr(t, name))


ACTIONS: dict[str, ActionSpec] = {}


def _add(spec: ActionSpec) -> None:
    ACTIONS[spec.name] = spec


S = State
for spec in [
    ActionSpec(
        "record",
        "Record the case",
        "case",
        f.RecordForm,
        lambda s, c: can_proceed(c.record) or can_proceed(c.record_after_outside),
        _record,
        button="Record",
    ),
    ActionSpec(
        "handle_outside",
        "Handle outside Schedule 3",
        "case",
        f.ReasonForm,
        _can("handle_outside_schedule_3"),
        _simple(
            services.case_handle_outside_schedule_3, "Handled outside Schedule 3.", reason="reason"
        ),
    ),
    ActionSpec(
        "resolve_outside",
        "Resolved outside Schedule 3",
        "case",
        f.ReasonForm,
        _can("resolve_outside"),
        _simple(services.case_resolve_outside, "Complaint resolved.", reason="reason"),
    ),
    ActionSpec(
        "assess_referral",
        "Assess for IOPC referral",
        "case",
        f.AssessReferralForm,
        lambda s, c: c.state in (S.RECORDED, S.REFERRAL_ASSESSMENT),
        _assess,
    ),
    ActionSpec(
        "refer_to_iopc",
        "Refer to the IOPC",
        "case",
        f.ReferToIOPCForm,
        lambda s, c: can_proceed(c.refer_to_iopc) and s.has_assessment,
        _simple(
            services.case_refer_to_iopc,
            "Referred to the IOPC.",
            referred_on="referred_on",
            iopc_reference="iopc_reference",
            reason="reason",
        ),
        button="Refer",
    ),
    ActionSpec(
        "propose_no_referral",
        "Propose: no referral needed",
        "case",
        f.RationaleForm,
        lambda s, c: (
            can_proceed(c.no_referral)
            and s.has_assessment
            and not s.referral_required
            and _not_pending(DecisionKind.REFERRAL_NOT_REQUIRED)(s)
        ),
        _simple(
            services.case_propose_no_referral,
            "Proposal sent for approval.",
            rationale="rationale",
        ),
        button="Propose",
    ),
    ActionSpec(
        "iopc_decision",
        "Record the IOPC's decision",
        "case",
        f.IOPCDecisionForm,
        _can("iopc_decided"),
        _simple(
            services.case_record_iopc_decision,
            "IOPC decision recorded.",
            mode="mode",
            decided_on="decided_on",
            notes="notes",
        ),
    ),
    ActionSpec(
        "start_investigation",
        "Start the investigation",
        "case",
        f.OptionalReasonForm,
        _can("start_investigation"),
        _simple(services.case_start_investigation, "Investigation started.", reason="reason"),
        button="Start",
    ),
    ActionSpec(
        "handle_otbi",
        "Handle otherwise than by investigation",
        "case",
        f.ReasonForm,
        _can("handle_otbi"),
        _simple(
            services.case_handle_otbi, "Handled otherwise than by investigation.", reason="reason"
        ),
    ),
    ActionSpec(
        "submit_report",
        "Record the investigation report",
        "case",
        f.SubmitReportForm,
        lambda s, c: (
            can_proceed(c.submit_report) and all(t.state != TrackState.PENDING for t in s.tracks)
        ),
        _simple(services.case_submit_report, "Investigation report recorded.", summary="summary"),
    ),
    ActionSpec(
        "propose_case_to_answer",
        "Propose case-to-answer decisions",
        "case",
        f.CaseToAnswerForm,
        lambda s, c: c.state == S.REPORT_SUBMITTED and _not_pending(DecisionKind.CASE_TO_ANSWER)(s),
        _case_to_answer,
        button="Propose",
        form_kwargs=lambda s, c: {
            "awaiting": [t for t in s.tracks if t.state == TrackState.AWAITING_DECISION]
        },
    ),
    ActionSpec(
        "propose_outcome",
        "Propose the outcome",
        "case",
        f.OutcomeProposalForm,
        lambda s, c: (
            can_proceed(c.propose_outcome)
            and all(t.is_concluded for t in s.tracks)
            and _not_pending(DecisionKind.OUTCOME)(s)
        ),
        _outcome,
        button="Propose outcome",
        form_kwargs=lambda s, c: {"pairs": s.outcome_pairs()},
    ),
    ActionSpec(
        "propose_finalisation",
        "Propose finalisation",
        "case",
        f.FinalisationForm,
        lambda s, c: c.state == S.OUTCOME_APPROVED and _not_pending(DecisionKind.FINALISATION)(s),
        _simple(
            services.case_propose_finalisation,
            "Finalisation proposed for approval.",
            rationale="rationale",
            result="result",
            outcome_sent_on="outcome_sent_on",
        ),
        button="Propose",
    ),
    ActionSpec(
        "request_review",
        "Record a review application",
        "case",
        f.ReviewRequestForm,
        lambda s, c: can_proceed(c.request_review) and c.is_complaint and bool(c.outcome_sent_on),
        _simple(
            services.case_request_review,
            "Review application recorded.",
            received_on="received_on",
            body="body",
            out_of_time_accepted="out_of_time_accepted",
            extension_reason="extension_reason",
        ),
    ),
    ActionSpec(
        "review_result",
        "Record the review result",
        "case",
        f.ReviewResultForm,
        lambda s, c: c.state == S.REVIEW_REQUESTED,
        _simple(
            services.case_record_review_result,
            "Review result recorded.",
            result="result",
            decided_on="decided_on",
            recommendations="recommendations",
        ),
    ),
    ActionSpec(
        "add_allegation",
        "Add an allegation",
        "case",
        f.AllegationForm,
        lambda s, c: c.state in ALLEGATION_STATES,
        _allegation,
        button="Add allegation",
    ),
    ActionSpec(
        "twelve_month_report",
        "Record a 12-month report",
        "case",
        f.TwelveMonthForm,
        lambda s, c: not c.is_closed and c.recorded_on is not None,
        _twelve_month,
    ),
    ActionSpec(
        "correct_received_on",
        "Correct the date received",
        "case",
        f.CorrectReceivedForm,
        lambda s, c: not c.is_closed,
        _simple(
            services.case_correct_received_on,
            "Date received corrected; the 12-month clock was recomputed.",
            received_on="received_on",
            reason="reason",
        ),
        button="Correct date",
    ),
    ActionSpec(
        "assign",
        "Reassign the case",
        "case",
        f.AssignForm,
        lambda s, c: not c.is_closed and may_allocate(s.user, c),
        _assign,
        perm="approve_decision",
        button="Assign",
    ),
    ActionSpec(
        "withdraw",
        "Complainant withdraws",
        "case",
        f.WithdrawForm,
        _can("withdraw"),
        _simple(
            services.case_withdraw,
            "Complaint withdrawn.",
            reason="reason",
            continue_as_conduct="continue_as_conduct",
        ),
        button="Record withdrawal",
        warning=True,
    ),
    ActionSpec(
        "discontinue",
        "Discontinue the investigation",
        "case",
        f.DiscontinueForm,
        _can("discontinue"),
        _simple(
            services.case_discontinue,
            "Investigation discontinued.",
            reason="reason",
            iopc_agreed="iopc_agreed",
        ),
        perm="approve_decision",
        button="Discontinue",
        warning=True,
    ),
    ActionSpec(
        "note", "Add a note", "case", f.NoteForm, lambda s, c: True, _note, button="Add note"
    ),
    ActionSpec(
        "document",
        "Upload a document",
        "case",
        f.DocumentForm,
        lambda s, c: True,
        _document,
        button="Upload",
    ),
    # --- one subject ---
    ActionSpec(
        "assess_severity",
        "Assess severity",
        "track",
        f.SeverityForm,
        lambda s, t: (
            s.case.state in SEVERITY_STATES
            and t.state in (TrackState.PENDING, TrackState.SEVERITY_ASSESSED)
        ),
        _track(
            services.track_assess_severity,
            "Severity assessed for {name}.",
            severity="severity",
            rationale="rationale",
            special_case="special_case",
        ),
    ),
    ActionSpec(
        "serve_notice",
        "Serve a regulation 17 notice",
        "track",
        f.ServeNoticeForm,
        _track_can("serve_notice"),
        _track(services.track_serve_notice, "Notice served on {name}.", served_on="served_on"),
    ),
    ActionSpec(
        "appeal",
        "Appeal lodged (Police Appeals Tribunal)",
        "track",
        f.AppealForm,
        _track_can("appeal"),
        _track(
            services.track_record_appeal,
            "Appeal recorded for {name}.",
            lodged_on="lodged_on",
            reason="reason",
        ),
        button="Record appeal",
    ),
    ActionSpec(
        "correct_notice",
        "Correct the notice date",
        "track",
        f.CorrectNoticeForm,
        lambda s, t: t.state in (TrackState.NOTICE_SERVED, TrackState.AWAITING_DECISION),
        _track(
            services.track_correct_notice_date,
            "Notice date corrected for {name}; the reg 18 window was recomputed.",
            served_on="served_on",
            reason="reason",
        ),
        button="Correct date",
    ),
    ActionSpec(
        "representations",
        "Representations received (reg 18)",
        "track",
        f.ConfirmForm,
        lambda s, t: (
            t.state in (TrackState.NOTICE_SERVED, TrackState.AWAITING_DECISION)
            and s.open_deadline("reg17_representations", t)
        ),
        _track(services.track_representations_received, "Representations from {name} recorded."),
        button="Record representations",
    ),
    ActionSpec(
        "refer_to_rprp",
        "Refer to reflective practice",
        "track",
        f.RPRPForm,
        lambda s, t: (
            can_proceed(t.refer_to_rprp)
            and (t.state == TrackState.NO_CASE_TO_ANSWER or t.severity == Severity.PRI)
        ),
        _track(
            services.track_refer_to_rprp,
            "{name} referred to reflective practice.",
            reason="reason",
            notice_on="notice_on",
        ),
        button="Refer",
    ),
    ActionSpec(
        "no_action",
        "No further action",
        "track",
        f.ReasonForm,
        lambda s, t: can_proceed(t.no_misconduct) or can_proceed(t.no_further_action),
        _track(services.track_no_action, "No further action for {name}.", reason="reason"),
    ),
    ActionSpec(
        "refer_to_proceedings",
        "Refer to a meeting or hearing",
        "track",
        f.ProceedingsForm,
        lambda s, t: t.state == TrackState.CASE_TO_ANSWER,
        _track(
            services.track_refer_to_proceedings,
            "{name} referred to proceedings.",
            forum="forum",
            date="date",
            notice_on="notice_on",
            reason="reason",
        ),
        button="Refer",
    ),
    ActionSpec(
        "conclude_proceedings",
        "Proceedings concluded",
        "track",
        f.ConcludeForm,
        _track_can("conclude_proceedings"),
        _track(
            services.track_conclude_proceedings,
            "Proceedings for {name} concluded.",
            held_on="held_on",
        ),
    ),
    ActionSpec(
        "rprp_stage",
        "Record the next reflective practice stage",
        "rprp",
        f.RPRPStageForm,
        lambda s, r: r.stage != ReflectiveStage.REVIEWED,
        _rprp_stage,
    ),
    # --- four-eyes ---
    ActionSpec(
        "approve",
        "Approve",
        "decision",
        f.ApproveForm,
        _four_eyes,
        _approve,
        perm="approve_decision",
        button="Approve",
    ),
    ActionSpec(
        "refuse",
        "Refuse",
        "decision",
        f.RefuseForm,
        _four_eyes,
        _refuse,
        perm="approve_decision",
        button="Refuse",
        warning=True,
    ),
]:
    _add(spec)


def targets(state: PageState, scope: str) -> list:
    if scope == "case":
        return [state.case]
    if scope == "track":
        return state.tracks
    if scope == "rprp":
        return [t.rprp for t in state.tracks if _rprp_of(t)]
    return [d for d in state.decisions if d.status == DecisionStatus.PENDING]


def _rprp_of(track: SubjectTrack) -> ReflectivePractice | None:
    try:
        return track.rprp
    except ReflectivePractice.DoesNotExist:
        return None


def resolve_target(case: Case, scope: str, pk: int):
    """The action's object within this case, or None (the view answers 404)."""
    if scope == "case":
        return case if pk == 0 else None
    model, lookup = {
        "track": (SubjectTrack.objects.select_related("person__rank", "case"), "case"),
        "rprp": (ReflectivePractice.objects.select_related("track__person"), "track__case"),
        "decision": (Decision.objects.select_related("proposed_by"), "case"),
    }[scope]
    return model.filter(pk=pk, **{lookup: case}).first()


def allowed(spec: ActionSpec, user: User) -> bool:
    return user.has_perm(f"cases.{spec.perm}")


def available_actions(state: PageState) -> list[tuple[ActionSpec, object]]:
    """(action, target) pairs the user may take now, in the order of ``ACTIONS``."""
    result = []
    for spec in ACTIONS.values():
        if not allowed(spec, state.user):
            continue
        for target in targets(state, spec.scope):
            if spec.available(state, target):
                result.append((spec, target))
    return result
