"""What each kind of letter may say and what the law says it MUST say.

``PLACEHOLDERS[kind]`` names the values a template of that kind may use; ``build(kind, case,
inputs)`` fills them from the case. A value the law (or the letter's purpose) requires is
declared in ``REQUIRED`` with the rule and the sentence shown when it is missing: rendering is
refused, listing every missing item, rather than sending a letter without it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from accounts.models import RoleType
from cases.models import (
    AdvisoryListEntry,
    BarredListEntry,
    Case,
    CaseTransition,
    Complainant,
    OutcomeStatus,
    ReviewBody,
    Severity,
    State,
    SubjectTrack,
)
from cases.services.aftercare import review_body_for, review_deadline
from cases.services.withdrawal import withdrawal_note
from deadlines.models import DeadlineKind
from deadlines.services import due_date_for

from .models import LetterKind

K = LetterKind


@dataclass
class Inputs:
    """What the person generating a letter supplies besides the case."""

    sent_on: datetime.date
    complainant: Complainant | None = None
    track: SubjectTrack | None = None
    entry: BarredListEntry | AdvisoryListEntry | None = None
    reasons: str = ""
    progress: str = ""


@dataclass(frozen=True)
class Requirement:
    message: str
    rule: str


class MissingFields(Exception):
    """Rendering refused: the letter would lack what the law (or its purpose) requires."""

    def __init__(self, missing: list[Requirement]):
        self.missing = missing
        super().__init__(self.message)

    @property
    def message(self) -> str:
        items = "; ".join(f"{r.message} ({r.rule})" for r in self.missing)
        return f"This letter cannot be produced yet. Missing: {items}."


COMMON = {
    "reference": "the case reference",
    "force_name": "the force's name",
    "date": "the date of the letter",
    "recipient_name": "whom the letter is addressed to",
    "recipient_address": "the recipient's postal address",
    "received_on": "the date the complaint or matter was received",
}
_COMPLAINANT = {"case_summary": "the case summary"}
_SUBJECT = {
    "officer_name": "the officer's rank and name",
    "investigator_name": "the investigator's name",
    "conduct": "the conduct alleged (allegations naming the officer)",
    "standards": "the Standards of Professional Behaviour said to be breached",
    "severity": "the severity assessment",
}
_LIST = {
    "full_name": "full name",
    "force": "the police force concerned",
    "date_of_birth": "date of birth",
    "role_at_time": "police officer, former officer, staff or former staff at the time",
    "rank": "rank at the time",
    "number": "warrant or staff number",
    "event_date": "date of the dismissal, finding or leaving",
}

PLACEHOLDERS: dict[str, dict[str, str]] = {
    K.ACKNOWLEDGEMENT: _COMPLAINANT,
    K.RECORDING_DECISION: _COMPLAINANT
    | {"decision": "recorded or not recorded", "reasons": "the reasons for the decision"},
    K.ALLEGATION_SUMMARY: _COMPLAINANT | {"allegations": "the numbered allegations"},
    K.OUTSIDE_SCHEDULE_3: _COMPLAINANT | {"reasons": "why it is handled outside Schedule 3"},
    K.UPDATE: _COMPLAINANT | {"progress": "what has happened since the last update"},
    K.REG17_NOTICE: _SUBJECT
    | {
        "likely_forum": "the likely form of any misconduct proceedings",
        "representations_due": "the last day for representations (CR 2020 reg 18)",
    },
    K.REFERRAL_NOTICE: _SUBJECT
    | {"forum": "meeting or hearing", "proceedings_date": "the date of the proceedings"},
    K.OUTCOME: _COMPLAINANT
    | {
        "result": "the outcome of the complaint",
        "outcomes": "the outcome of each allegation",
        "review_body": "the body that reviews the outcome",
        "review_deadline": "the last day to apply for a review",
    },
    K.REVIEW_RESULT: _COMPLAINANT
    | {
        "review_body": "the body that reviewed it",
        "review_result": "upheld or not upheld",
        "decided_on": "the date of the review decision",
        "recommendations": "the review body's findings and recommendations",
    },
    K.WITHDRAWAL: _COMPLAINANT
    | {"withdrawn_on": "the date of the withdrawal", "reasons": "how the complainant withdrew"},
    K.BARRED_LIST_REPORT: _LIST
    | {
        "reasons": "the reasons, with a description of the conduct",
        "standards": "the Standards of Professional Behaviour breached",
        "advisory_report": "any earlier advisory list report",
    },
    K.ADVISORY_LIST_REPORT: _LIST
    | {
        "reason": "resigned, retired or designation withdrawn",
        "allegation_summary": "a summary of the relevant allegation",
    },
}
PLACEHOLDERS = {kind: COMMON | fields for kind, fields in PLACEHOLDERS.items()}

# Who receives each kind (decides which input picks the addressee).
TO_COMPLAINANT = {
    K.ACKNOWLEDGEMENT,
    K.RECORDING_DECISION,
    K.ALLEGATION_SUMMARY,
    K.OUTSIDE_SCHEDULE_3,
    K.UPDATE,
    K.OUTCOME,
    K.REVIEW_RESULT,
    K.WITHDRAWAL,
}
TO_SUBJECT = {K.REG17_NOTICE, K.REFERRAL_NOTICE}
TO_COLLEGE = {K.BARRED_LIST_REPORT, K.ADVISORY_LIST_REPORT}

CM = "C&M Regs 2020"
# Barred List Regs 2017 (SI 2017/1135) reg 3(2) and reg 12(2), read on legislation.gov.uk.
REG3 = "Barred List Regs 2017 reg 3(2)"
REG12 = "Barred List Regs 2017 reg 12(2)"
# The content of a reg 17 notice is taken from a Police Federation summary of CR 2020 reg 17;
# the regulation's own text was not found: "unverified" until a legal adviser confirms it.
REG17 = "CR 2020 reg 17 (contents unverified)"

REQUIRED: dict[str, dict[str, Requirement]] = {
    **{
        kind: {"recipient_name": Requirement("the complainant's name", "addressee")}
        for kind in TO_COMPLAINANT
    },
    K.RECORDING_DECISION: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        # PRA 2002 Sch 3 para 2(8) (unverified): the complainant is told of a decision not to
        # record, with the reasons.
        "reasons": Requirement(
            "the reasons for not recording the complaint", "PRA 2002 Sch 3 para 2 (unverified)"
        ),
    },
    K.ALLEGATION_SUMMARY: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "allegations": Requirement("at least one allegation", "the summary's purpose"),
    },
    K.OUTSIDE_SCHEDULE_3: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "reasons": Requirement(
            "the recorded reason for handling outside Schedule 3", "PRA 2002 Sch 3 para 2(6A)"
        ),
    },
    K.UPDATE: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "progress": Requirement("what has happened since the last update", "the update itself"),
    },
    K.REG17_NOTICE: {
        "officer_name": Requirement("the officer the notice is for", REG17),
        "investigator_name": Requirement("the investigator's name", REG17),
        "conduct": Requirement("the conduct under investigation", REG17),
        "severity": Requirement("a severity of misconduct or gross misconduct", REG17),
    },
    K.REFERRAL_NOTICE: {
        "officer_name": Requirement("the officer the notice is for", "CR 2020 reg 30"),
        "conduct": Requirement("the conduct referred", "CR 2020 reg 30"),
        "forum": Requirement("the form of the proceedings", "CR 2020 reg 30"),
        "proceedings_date": Requirement("the date of the proceedings", "CR 2020 reg 30"),
    },
    K.OUTCOME: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "result": Requirement("the outcome of the complaint", f"{CM} reg 29"),
        "review_body": Requirement("the review body (IOPC or local policing body)", f"{CM} reg 32"),
        # C&M Regs 2020 reg 29(2): the window runs from the day after the outcome is sent.
        "review_deadline": Requirement(
            "the date the outcome is sent (finalise the case with it)", f"{CM} reg 29(2)"
        ),
    },
    K.REVIEW_RESULT: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "review_result": Requirement("a decided review", f"{CM} reg 30"),
    },
    K.WITHDRAWAL: {
        "recipient_name": Requirement("the complainant's name", "addressee"),
        "withdrawn_on": Requirement("the complaint to be withdrawn", f"{CM} reg 38"),
    },
    K.BARRED_LIST_REPORT: {
        "full_name": Requirement("the person's full name", f"{REG3}(a)"),
        "force": Requirement("the police force concerned", f"{REG3}(b)"),
        "date_of_birth": Requirement("the date of birth", f"{REG3}(c)"),
        "role_at_time": Requirement("the person's role at the time", f"{REG3}(d)"),
        "reasons": Requirement("the reasons and a description of the conduct", f"{REG3}(i)"),
        "event_date": Requirement("the date of the dismissal or finding", f"{REG3}(j)"),
    },
    K.ADVISORY_LIST_REPORT: {
        "full_name": Requirement("the person's full name", f"{REG12}(a)"),
        "force": Requirement("the police force concerned", f"{REG12}(b)"),
        "date_of_birth": Requirement("the date of birth", f"{REG12}(c)"),
        "role_at_time": Requirement("the person's role at the time", f"{REG12}(d)"),
        "event_date": Requirement("the date of the relevant event", f"{REG12}(d)(iv)"),
        "allegation_summary": Requirement("a summary of the allegation", f"{REG12}(d)(v)"),
    },
}
# Where P was an officer, the rank at the time is required (reg 3(2)(e)(i), reg 12(2)(d)(ii)).
RANK_RULES = {K.BARRED_LIST_REPORT: f"{REG3}(e)", K.ADVISORY_LIST_REPORT: f"{REG12}(d)(ii)"}


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.day} {value:%B %Y}" if value else ""


def _common(case: Case, inputs: Inputs) -> dict[str, str]:
    return {
        "reference": case.reference,
        "force_name": settings.PSD_FORCE_NAME,
        "date": _date(inputs.sent_on),
        "received_on": _date(case.received_on),
        "recipient_name": "",
        "recipient_address": "",
    }


def _last_reason(case: Case, name: str) -> str:
    row = CaseTransition.objects.filter(case=case, name=name).order_by("-at", "-id").first()
    return row.reason if row else ""


def _complainant_values(case: Case, inputs: Inputs, kind: str) -> dict[str, str]:
    complainant = inputs.complainant or case.complainants.first()
    values = {"case_summary": case.summary}
    if complainant is not None and not complainant.anonymous:
        values["recipient_name"] = str(complainant)
        values["recipient_address"] = complainant.address
    return values | _complainant_kind_values(case, inputs, kind)


def _allegations(case: Case) -> str:
    return "\n".join(
        f"{a.number}. {a.category.name}: {a.summary}"
        for a in case.allegations.select_related("category").order_by("number")
    )


def _outcomes(case: Case) -> str:
    lines = []
    for allegation in case.allegations.order_by("number"):
        for outcome in allegation.outcomes.filter(status=OutcomeStatus.APPROVED).select_related(
            "track__person"
        ):
            who = outcome.track.person.rank_and_name if outcome.track_id else "The force"
            lines.append(
                f"Allegation {allegation.number} ({who}): {outcome.get_finding_display()}"
                f" – {outcome.get_action_display()}"
            )
    return "\n".join(lines)


def _complainant_kind_values(case: Case, inputs: Inputs, kind: str) -> dict[str, str]:
    if kind == K.RECORDING_DECISION:
        if case.recorded_on:
            decision = f"recorded your complaint on {_date(case.recorded_on)}"
            reasons = (
                inputs.reasons
                or "It is a complaint under Schedule 3 to the Police Reform Act 2002."
            )
            return {"decision": decision, "reasons": reasons}
        return {"decision": "decided not to record your complaint", "reasons": inputs.reasons}
    if kind == K.ALLEGATION_SUMMARY:
        return {"allegations": _allegations(case)}
    if kind == K.OUTSIDE_SCHEDULE_3:
        return {"reasons": _last_reason(case, "handle_outside_schedule_3")}
    if kind == K.UPDATE:
        return {"progress": inputs.progress.strip()}
    if kind == K.OUTCOME:
        last_day = review_deadline(case)
        # C&M Regs 2020 reg 32: the review body follows from the case, it is not chosen.
        body = ReviewBody(review_body_for(case)).label
        return {
            "result": case.get_complaint_result_display() if case.complaint_result else "",
            "outcomes": _outcomes(case),
            "review_body": body,
            "review_deadline": _date(last_day),
        }
    if kind == K.REVIEW_RESULT:
        review = case.reviews.exclude(result="").order_by("-decided_on", "-id").first()
        if review is None:
            return {"review_body": "", "review_result": "", "decided_on": "", "recommendations": ""}
        return {
            "review_body": review.get_body_display(),
            "review_result": review.get_result_display(),
            "decided_on": _date(review.decided_on),
            "recommendations": review.recommendations,
        }
    if kind == K.WITHDRAWAL:
        withdrawn = case.state == State.WITHDRAWN
        return {
            "withdrawn_on": _date(case.finalised_at) if withdrawn else "",
            "reasons": withdrawal_note(_last_reason(case, "withdraw")) if withdrawn else "",
        }
    return {}


def _subject_values(case: Case, inputs: Inputs, kind: str) -> dict[str, str]:
    track = inputs.track
    if track is None:
        return {}
    person = track.person
    allegations = case.allegations.filter(subjects=person).order_by("number")
    standards = sorted({s.name for a in allegations for s in a.standards.all()})
    severe = track.severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT)
    values = {
        "recipient_name": person.rank_and_name,
        "officer_name": person.rank_and_name,
        "investigator_name": str(case.investigator) if case.investigator else "",
        "conduct": "\n".join(f"{a.number}. {a.summary}" for a in allegations),
        "standards": ", ".join(standards),
        "severity": track.get_severity_display() if severe else "",
    }
    if kind == K.REG17_NOTICE:
        # CR 2020 reg 17: the notice says whether proceedings would likely be a meeting
        # (misconduct) or a hearing (gross misconduct); reg 18: 10 working days to respond.
        values["likely_forum"] = (
            "a misconduct hearing"
            if track.severity == Severity.GROSS_MISCONDUCT
            else "a misconduct meeting"
        )
        served = track.notice_served_on or inputs.sent_on
        kind_obj = DeadlineKind.objects.get(code="reg17_representations")
        values["representations_due"] = _date(due_date_for(kind_obj, served))
    else:
        values["forum"] = track.get_forum_display() if track.forum else ""
        values["proceedings_date"] = _date(track.proceedings_date)
    return values


def _list_values(inputs: Inputs, kind: str) -> dict[str, str]:
    entry = inputs.entry
    if entry is None:
        return {}
    role = dict(RoleType.choices).get(entry.role_type, entry.role_type)
    values = {
        "recipient_name": "The College of Policing",
        "full_name": entry.full_name.strip(),
        "force": entry.force,
        "date_of_birth": _date(entry.date_of_birth),
        "role_at_time": role,
        "rank": entry.rank,
        "number": entry.number,
        "event_date": _date(entry.event_date),
    }
    if isinstance(entry, BarredListEntry):
        earlier = entry.advisory_entry
        # Reg 3(2)(d): officer, former officer, civilian police employee or former employee.
        if entry.paragraph:
            values["role_at_time"] = entry.capacity
        values |= {
            "reasons": entry.reasons,
            "standards": entry.standards_breached,
            "advisory_report": (
                f"Reported to the advisory list on {_date(earlier.reported_on)}"
                if earlier and earlier.reported_on
                else "None"
            ),
        }
    else:
        values |= {
            "reason": entry.get_reason_display(),
            "allegation_summary": entry.allegation_summary or entry.details,
        }
    return values


def build(kind: str, case: Case, inputs: Inputs) -> dict[str, str]:
    """Every placeholder of ``kind`` filled from the case (blank when unknown)."""
    values = dict.fromkeys(PLACEHOLDERS[kind], "") | _common(case, inputs)
    if kind in TO_COMPLAINANT:
        values |= _complainant_values(case, inputs, kind)
    elif kind in TO_SUBJECT:
        values |= _subject_values(case, inputs, kind)
    else:
        values |= _list_values(inputs, kind)
    return {key: (value or "") for key, value in values.items()}


def missing(kind: str, values: dict[str, str], inputs: Inputs) -> list[Requirement]:
    """What the law (or the letter's purpose) requires that ``values`` lack."""
    gaps = [req for name, req in REQUIRED.get(kind, {}).items() if not values.get(name, "").strip()]
    entry = inputs.entry
    # Entries copy the role's label ("Police officer"); older ones may hold its code.
    ranked = {*RoleType.holding_rank(), *(RoleType(r).label for r in RoleType.holding_rank())}
    holds_rank = entry is not None and entry.role_type in ranked
    if kind in RANK_RULES and holds_rank and not values["rank"].strip():
        gaps.append(Requirement("the rank at the time", RANK_RULES[kind]))
    return gaps
