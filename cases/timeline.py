"""The case timeline in plain English: what each logged step and each kind of event reads as
on the case page and in the case file. No state codes or method names reach the page: every
transition name has a sentence here, and tests/cases/test_timeline_wording.py fails when a
new transition (a model @transition or a ``log_transition`` name) has none.

A sentence may name the subject with ``{person}`` (for a subject's step).
"""

from .models import State, TrackState

# One sentence per step of the case, or of one subject's track ({person}).
TRANSITIONS: dict[str, str] = {
    # Case: intake and recording
    "create": "Case logged",
    "allegation_add": "Allegation added",
    "record": "Case recorded",
    "record_after_outside": "Recorded under Schedule 3 after being handled outside it",
    "handle_outside_schedule_3": "Complaint to be handled outside Schedule 3",
    "handle_under_conduct_regulations": "To be dealt with under the Conduct Regulations only",
    "resolve_outside": "Complaint resolved outside Schedule 3",
    "recording_wish": "Complainant asked for the complaint to be recorded",
    "correct_received_on": "Date received corrected",
    "assign": "Case assigned",
    "withdraw": "Complainant withdrew the complaint",
    "continued_as_conduct": "Continued as a conduct matter after the withdrawal",
    "withdrawal_notified": "Withdrawal notified",
    # IOPC referral
    "assess_referral": "Assessed for referral to the IOPC",
    "refer_to_iopc": "Referred to the IOPC",
    "no_referral": "Referral to the IOPC not required (approved)",
    "iopc_decided": "IOPC decided the mode of investigation",
    # Handling and investigation
    "start_investigation": "Investigation started",
    "handle_otbi": "To be handled otherwise than by investigation",
    "submit_report": "Investigation report recorded",
    "twelve_month_report": "12-month progress report made",
    "discontinue": "Investigation discontinued",
    "suspend": "Investigation suspended",
    "resume": "Investigation resumed",
    # Decisions and outcome
    "decide_case_to_answer": "Case-to-answer decisions approved",
    "start_proceedings": "Misconduct proceedings started",
    "propose_outcome": "Outcome proposed for approval",
    "refuse_outcome": "Proposed outcome refused",
    "approve_outcome": "Outcome approved",
    "finalise": "Case finalised",
    # After the outcome
    "request_review": "Complainant applied for a review",
    "review_not_upheld": "Review not upheld: the outcome stands",
    "review_upheld": "Review upheld: the case is reinvestigated",
    # One subject
    "assess_severity": "Severity assessed for {person}",
    "serve_notice": "Regulation 17 notice served on {person}",
    "correct_notice_date": "Notice date corrected for {person}",
    "report_received": "{person} awaits a case-to-answer decision",
    "case_to_answer": "Case to answer for {person}",
    "no_case_to_answer": "No case to answer for {person}",
    "no_misconduct": "No misconduct: no further action for {person}",
    "no_further_action": "No further action for {person}",
    "refer_to_rprp": "{person} referred to reflective practice",
    "complete_rprp": "Reflective practice completed by {person}",
    "refer_to_meeting": "{person} referred to a misconduct meeting",
    "refer_to_hearing": "{person} referred to a misconduct hearing",
    "refer_to_accelerated_hearing": "{person} referred to an accelerated hearing",
    "conclude_proceedings": "Proceedings concluded for {person}",
    "appeal": "{person} appealed to the Police Appeals Tribunal",
    "appeal_decided": "Appeal decided for {person}",
    # The barred and advisory lists
    "barred_list_entry": "Barred list entry made, to report to the College of Policing",
    "advisory_list_entry": "Advisory list entry made for {person}, to report to the College "
    "of Policing",
    "advisory_removal_due": "Advisory list: further report due for {person} (removal)",
    "barred_dismissal_overturned": "Barred list: dismissal overturned, further report due",
    "advisory_entry_continued": "Advisory list entry about {person} continues in this case",
    "list_entry_reported": "List entry reported to the College of Policing",
    "list_entry_removed": "Barred or advisory list entry removed",
}

# The kinds of timeline entry and the filter each belongs to (the page's filter checkboxes).
KINDS: dict[str, str] = {
    "transition": "history",
    "referral": "history",
    "decision": "decisions",
    "note": "notes",
    "document": "documents",
    "deadline": "deadlines",
}
FILTERS: dict[str, str] = {
    "history": "Case history",
    "decisions": "Decisions",
    "notes": "Notes",
    "documents": "Documents",
    "deadlines": "Deadlines",
}


def transition_title(name: str, person: str = "") -> str:
    """The sentence for a logged step; an unknown name (a new step nobody worded yet: the
    wording test fails) still reads as words, never as a code."""
    text = TRANSITIONS.get(name) or name.replace("_", " ").capitalize()
    if "{person}" in text:
        return text.format(person=person or "the subject")
    return f"{text} ({person})" if person else text


def state_label(value: str, *, track: bool) -> str:
    """The label of a case or track state ("Referral assessment"), or "" for none."""
    if not value:
        return ""
    choices = TrackState if track else State
    try:
        return choices(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def transition_detail(from_state: str, to_state: str, reason: str, *, track: bool) -> str:
    """ "Now: Under investigation. <reason>" – the state reached in words, then the reason."""
    parts = []
    if to_state and to_state != from_state:
        parts.append(f"Now: {state_label(to_state, track=track)}.")
    if reason.strip():
        parts.append(reason.strip())
    return " ".join(parts)
