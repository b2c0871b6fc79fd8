"""Case services: the only way case state changes (views, API and tasks call these)."""

from .aftercare import (
    case_discontinue,
    case_record_review_result,
    case_record_twelve_month_report,
    case_request_review,
    criminal_referral_update,
    review_deadline,
    rprp_record_stage,
    track_refer_to_cps,
)
from .appeals import track_lodge_appeal, track_record_appeal_result
from .assignment import case_reassign, cases_hand_over
from .corrections import case_correct_received_on, track_correct_notice_date
from .decisions import (
    case_propose_case_to_answer,
    case_propose_finalisation,
    case_propose_no_referral,
    decision_approve,
    decision_refuse,
    outcome_propose,
)
from .intake import (
    AllegationData,
    ComplainantData,
    allegation_add,
    case_assign,
    case_create,
    case_handle_outside_schedule_3,
    case_record,
    case_resolve_outside,
    case_withdraw,
)
from .investigation import (
    case_handle_otbi,
    case_start_investigation,
    case_submit_report,
    track_assess_severity,
    track_conclude_proceedings,
    track_no_action,
    track_refer_to_proceedings,
    track_refer_to_rprp,
    track_representations_received,
    track_serve_notice,
)
from .lists import (
    barred_entry_overturned,
    list_entry_further_report,
    list_entry_mark_reported,
    list_entry_remove,
)
from .outcomes import OutcomeData, live_until, validate_outcome
from .referral import (
    case_assess_referral,
    case_record_iopc_decision,
    case_refer_to_iopc,
    referral_required,
)
from .withdrawal import case_record_withdrawal_notice

__all__ = [
    "AllegationData",
    "ComplainantData",
    "OutcomeData",
    "allegation_add",
    "case_assess_referral",
    "case_assign",
    "case_reassign",
    "cases_hand_over",
    "case_correct_received_on",
    "track_correct_notice_date",
    "case_create",
    "case_discontinue",
    "case_handle_otbi",
    "case_handle_outside_schedule_3",
    "case_propose_case_to_answer",
    "case_propose_finalisation",
    "case_propose_no_referral",
    "case_record",
    "case_record_iopc_decision",
    "case_record_review_result",
    "case_record_twelve_month_report",
    "case_record_withdrawal_notice",
    "case_refer_to_iopc",
    "case_request_review",
    "case_resolve_outside",
    "case_start_investigation",
    "case_submit_report",
    "case_withdraw",
    "criminal_referral_update",
    "barred_entry_overturned",
    "decision_approve",
    "decision_refuse",
    "list_entry_further_report",
    "list_entry_mark_reported",
    "list_entry_remove",
    "live_until",
    "outcome_propose",
    "referral_required",
    "review_deadline",
    "rprp_record_stage",
    "track_assess_severity",
    "track_conclude_proceedings",
    "track_no_action",
    "track_lodge_appeal",
    "track_record_appeal_result",
    "track_refer_to_cps",
    "track_refer_to_proceedings",
    "track_refer_to_rprp",
    "track_representations_received",
    "track_serve_notice",
    "validate_outcome",
]
