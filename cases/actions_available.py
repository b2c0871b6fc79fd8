"""Which actions the current user may take on a case right now, and how each one runs.

An action is offered exactly when the user's role holds its permission and its service's
guard (``<service>_refusal`` beside the service, see psd/rules.py) finds nothing against it:
the rule is written once, there. Each action runs exactly one service.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import User

from . import services
from .actions import forms as f
from .actions.runs import (
    _allegation,
    _approve,
    _assess,
    _assign,
    _case_to_answer,
    _document,
    _note,
    _outcome,
    _outside,
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
    DecisionStatus,
    ReflectivePractice,
    SubjectTrack,
    TrackState,
)
from .services import (
    aftercare,
    appeals,
    assignment,
    corrections,
    decisions,
    intake,
    investigation,
    outside,
    suspension,
    withdrawal,
)
from .services import notes as notes_services
from .services import referral as referral_services
from .services.intake import ALLEGATION_STATES  # noqa: F401 - re-exported
from .services.investigation import SEVERITY_STATES  # noqa: F401 - re-exported


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
    suspension: object = None  # the open suspension of the investigation, if any

    @property
    def has_allegations(self) -> bool:
        return bool(self.allegations)

    @property
    def pending(self) -> dict[str, Decision]:
        return {d.kind: d for d in self.decisions if d.status == DecisionStatus.PENDING}

    def open_deadline(self, kind: str, target) -> bool:
        return self._deadline_in(kind, target, "open")

    def deadline_met(self, kind: str, target) -> bool:
        return self._deadline_in(kind, target, "met")

    def running(self, kinds, target) -> list:
        return [
            d
            for d in self.deadlines
            if d.status == "open" and d.kind.code in kinds and d.object_id == target.pk
        ]

    def _deadline_in(self, kind: str, target, status: str) -> bool:
        return any(
            d.status == status and d.kind.code == kind and d.object_id == target.pk
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


class Offered:
    """``available(state, target)``: the action is offered when its guard returns None."""

    def __init__(self, guard: Callable, scope: str):
        self.guard, self.scope = guard, scope

    def refusal(self, state: PageState, target) -> str | None:
        keyword = {"decision": "decision", "rprp": "rprp", "track": "track"}.get(self.scope)
        if keyword is None:
            return self.guard(actor=state.user, case=target, facts=state)
        return self.guard(actor=state.user, facts=state, **{keyword: target})

    def __call__(self, state: PageState, target) -> bool:
        return self.refusal(state, target) is None


def _case(guard):
    return Offered(guard, "case")


def _on_track(guard):
    return Offered(guard, "track")


ACTIONS: dict[str, ActionSpec] = {}


def _add(spec: ActionSpec) -> None:
    ACTIONS[spec.name] = spec


for spec in [
    ActionSpec(
        "record",
        "Record the case",
        "case",
        f.RecordForm,
        _case(intake.case_record_refusal),
        _record,
        button="Record",
    ),
    ActionSpec(
        "handle_outside",
        "Handle outside Schedule 3",
        "case",
        f.OutsideSchedule3Form,
        _case(outside.case_handle_outside_schedule_3_refusal),
        _outside,
    ),
    ActionSpec(
        "recording_wish",
        "Complainant asked for it to be recorded",
        "case",
        f.RecordingWishForm,
        _case(outside.case_note_recording_wish_refusal),
        _simple(
            services.case_note_recording_wish,
            "Noted: the complainant wants the complaint recorded, so it must be recorded.",
            indicated_on="indicated_on",
            channel="channel",
        ),
        button="Note it",
    ),
    ActionSpec(
        "handle_under_conduct_regulations",
        "Not recordable: handle under the Conduct Regulations",
        "case",
        f.ReasonForm,
        _case(intake.case_handle_under_conduct_regulations_refusal),
        _simple(
            services.case_handle_under_conduct_regulations,
            "Handled under the Conduct Regulations (not recorded under Schedule 3).",
            reason="reason",
        ),
    ),
    ActionSpec(
        "resolve_outside",
        "Resolved outside Schedule 3",
        "case",
        f.ReasonForm,
        _case(outside.case_resolve_outside_refusal),
        _simple(services.case_resolve_outside, "Complaint resolved.", reason="reason"),
    ),
    ActionSpec(
        "assess_referral",
        "Assess for IOPC referral",
        "case",
        f.AssessReferralForm,
        _case(referral_services.case_assess_referral_refusal),
        _assess,
    ),
    ActionSpec(
        "refer_to_iopc",
        "Refer to the IOPC",
        "case",
        f.ReferToIOPCForm,
        _case(referral_services.case_refer_to_iopc_refusal),
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
        _case(decisions.case_propose_no_referral_refusal),
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
        _case(referral_services.case_record_iopc_decision_refusal),
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
        _case(investigation.case_start_investigation_refusal),
        _simple(services.case_start_investigation, "Investigation started.", reason="reason"),
        button="Start",
    ),
    ActionSpec(
        "handle_otbi",
        "Handle otherwise than by investigation",
        "case",
        f.ReasonForm,
        _case(investigation.case_handle_otbi_refusal),
        _simple(
            services.case_handle_otbi, "Handled otherwise than by investigation.", reason="reason"
        ),
    ),
    ActionSpec(
        "submit_report",
        "Record the investigation report",
        "case",
        f.SubmitReportForm,
        _case(investigation.case_submit_report_refusal),
        _simple(
            services.case_submit_report,
            "Investigation report recorded.",
            summary="summary",
            reg18_override_reason="reg18_override_reason",
        ),
    ),
    ActionSpec(
        "propose_case_to_answer",
        "Propose case-to-answer decisions",
        "case",
        f.CaseToAnswerForm,
        _case(decisions.case_propose_case_to_answer_refusal),
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
        _case(decisions.outcome_propose_refusal),
        _outcome,
        button="Propose outcome",
        form_kwargs=lambda s, c: {"pairs": s.outcome_pairs()},
    ),
    ActionSpec(
        "propose_finalisation",
        "Propose finalisation",
        "case",
        f.FinalisationForm,
        _case(decisions.case_propose_finalisation_refusal),
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
        _case(aftercare.case_request_review_refusal),
        _simple(
            services.case_request_review,
            "Review application recorded.",
            received_on="received_on",
            out_of_time_accepted="out_of_time_accepted",
            extension_reason="extension_reason",
        ),
    ),
    ActionSpec(
        "review_result",
        "Record the review result",
        "case",
        f.ReviewResultForm,
        _case(aftercare.case_record_review_result_refusal),
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
        _case(intake.allegation_add_refusal),
        _allegation,
        button="Add allegation",
    ),
    ActionSpec(
        "suspend",
        "Suspend the investigation",
        "case",
        f.SuspendForm,
        _case(suspension.case_suspend_refusal),
        _simple(
            services.case_suspend,
            "Investigation suspended.",
            reason="reason",
            started_on="started_on",
            note="note",
        ),
        button="Suspend",
    ),
    ActionSpec(
        "resume",
        "Resume the investigation",
        "case",
        f.ResumeForm,
        _case(suspension.case_resume_refusal),
        _simple(services.case_resume, "Investigation resumed.", ended_on="ended_on"),
        button="Resume",
    ),
    ActionSpec(
        "twelve_month_report",
        "Record a 12-month report",
        "case",
        f.TwelveMonthForm,
        _case(aftercare.case_record_twelve_month_report_refusal),
        _twelve_month,
    ),
    ActionSpec(
        "correct_received_on",
        "Correct the date received",
        "case",
        f.CorrectReceivedForm,
        _case(corrections.case_correct_received_on_refusal),
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
        _case(assignment.case_reassign_refusal),
        _assign,
        perm="approve_decision",
        button="Assign",
    ),
    ActionSpec(
        "withdraw",
        "Complainant withdraws",
        "case",
        f.WithdrawForm,
        _case(intake.case_withdraw_refusal),
        _simple(
            services.case_withdraw,
            "Complaint withdrawn.",
            reason="reason",
            signed_by="signed_by",
            wish="wish",
            continue_as_conduct="continue_as_conduct",
        ),
        button="Record withdrawal",
        warning=True,
    ),
    ActionSpec(
        "withdrawal_notified",
        "Record a withdrawal notification (C&M Regs 2020 reg 38)",
        "case",
        f.WithdrawalNoticeForm,
        _case(withdrawal.case_record_withdrawal_notice_refusal),
        _simple(
            services.case_record_withdrawal_notice,
            "Withdrawal notification recorded.",
            recipient="recipient",
            notified_on="notified_on",
        ),
        button="Record",
    ),
    ActionSpec(
        "discontinue",
        "Discontinue the investigation",
        "case",
        f.DiscontinueForm,
        _case(aftercare.case_discontinue_refusal),
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
        "note",
        "Add a note",
        "case",
        f.NoteForm,
        _case(notes_services.case_add_record_refusal),
        _note,
        button="Add note",
    ),
    ActionSpec(
        "document",
        "Upload a document",
        "case",
        f.DocumentForm,
        _case(notes_services.case_add_record_refusal),
        _document,
        button="Upload",
    ),
    # --- one subject ---
    ActionSpec(
        "assess_severity",
        "Assess severity",
        "track",
        f.SeverityForm,
        _on_track(investigation.track_assess_severity_refusal),
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
        _on_track(investigation.track_serve_notice_refusal),
        _track(services.track_serve_notice, "Notice served on {name}.", served_on="served_on"),
    ),
    ActionSpec(
        "lodge_appeal",
        "Appeal lodged (appropriate authority or Police Appeals Tribunal)",
        "track",
        f.LodgeAppealForm,
        _on_track(appeals.track_lodge_appeal_refusal),
        _track(
            services.track_lodge_appeal,
            "Appeal recorded for {name}.",
            outcome="outcome",
            lodged_on="lodged_on",
            grounds="grounds",
            extension_reason="extension_reason",
        ),
        button="Record appeal",
    ),
    ActionSpec(
        "record_appeal_result",
        "Record the appeal's result",
        "track",
        f.AppealResultForm,
        _on_track(appeals.track_record_appeal_result_refusal),
        _track(
            services.track_record_appeal_result,
            "Appeal result recorded for {name}.",
            result="result",
            decided_on="decided_on",
            reasons="reasons",
            new_action="new_action",
        ),
        button="Record result",
    ),
    ActionSpec(
        "correct_notice",
        "Correct the notice date",
        "track",
        f.CorrectNoticeForm,
        _on_track(corrections.track_correct_notice_date_refusal),
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
        _on_track(investigation.track_representations_received_refusal),
        _track(services.track_representations_received, "Representations from {name} recorded."),
        button="Record representations",
    ),
    ActionSpec(
        "refer_to_rprp",
        "Refer to reflective practice",
        "track",
        f.RPRPForm,
        _on_track(investigation.track_refer_to_rprp_refusal),
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
        _on_track(investigation.track_no_action_refusal),
        _track(services.track_no_action, "No further action for {name}.", reason="reason"),
    ),
    ActionSpec(
        "refer_to_proceedings",
        "Refer to a meeting or hearing",
        "track",
        f.ProceedingsForm,
        _on_track(investigation.track_refer_to_proceedings_refusal),
        _track(
            services.track_refer_to_proceedings,
            "{name} referred to proceedings.",
            forum="forum",
            date="date",
            notice_on="notice_on",
            reason="reason",
            agreed_shorter="agreed_shorter",
        ),
        button="Refer",
    ),
    ActionSpec(
        "extend_deadline",
        "Extend a period (reg 18 / reg 31)",
        "track",
        f.ExtendDeadlineForm,
        _on_track(investigation.track_extend_deadline_refusal),
        _track(
            services.track_extend_deadline,
            "Period extended for {name}.",
            kind="kind",
            due_date="due_date",
            reason="reason",
        ),
        button="Extend",
    ),
    ActionSpec(
        "reg31_response",
        "Response to the regulation 30 notice received",
        "track",
        f.ResponseForm,
        _on_track(investigation.track_record_response_refusal),
        _track(
            services.track_record_response,
            "Response from {name} recorded.",
            received_on="received_on",
        ),
        button="Record response",
    ),
    ActionSpec(
        "documents_to_chair",
        "Documents supplied to the chair (reg 32(6))",
        "track",
        f.DocumentsToChairForm,
        _on_track(investigation.track_documents_to_chair_refusal),
        _track(
            services.track_documents_to_chair,
            "Documents for {name}'s hearing recorded as with the chair.",
            supplied_on="supplied_on",
        ),
        button="Record",
    ),
    ActionSpec(
        "prehearing",
        "Pre-hearing held (reg 33)",
        "track",
        f.PreHearingForm,
        _on_track(investigation.track_prehearing_held_refusal),
        _track(
            services.track_prehearing_held,
            "Pre-hearing for {name} recorded.",
            held_on="held_on",
        ),
        button="Record",
    ),
    ActionSpec(
        "conclude_proceedings",
        "Proceedings concluded",
        "track",
        f.ConcludeForm,
        _on_track(investigation.track_conclude_proceedings_refusal),
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
        Offered(aftercare.rprp_record_stage_refusal, "rprp"),
        _rprp_stage,
    ),
    # --- four-eyes ---
    ActionSpec(
        "approve",
        "Approve",
        "decision",
        f.ApproveForm,
        Offered(decisions.decision_approve_refusal, "decision"),
        _approve,
        perm="approve_decision",
        button="Approve",
    ),
    ActionSpec(
        "refuse",
        "Refuse",
        "decision",
        f.RefuseForm,
        Offered(decisions.decision_refuse_refusal, "decision"),
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
