"""Handling a complaint outside Schedule 3, and the complainant's wish to have it recorded.

PRA 2002 Sch 3 para 2(6A) (inserted by the Policing and Crime Act 2017, Sch 5 para 2(3)): the
appropriate authority "must record the complaint if— (a) at any time the complainant indicates
a wish for the complaint to be recorded, or (b) [it] determines that the complaint is to be
handled in accordance with this Schedule"; para 2(6B) lists when it must so determine, and
para 2(6C) says how a complaint handled otherwise is handled.

What the complainant said about recording is kept on the case
(``Case.handling_answers["recording_wish"]``): their answer on the public complaint form,
what staff noted when they logged the complaint, or a wish indicated later (a letter, a
call). A "yes", whenever and however it came, answers the para 2(6A)(a) question: the guard
``case_handle_outside_schedule_3_refusal`` (the one place that rule is applied) then refuses
handling outside Schedule 3, so the action is not offered, and a complaint handled outside
Schedule 3 whose complainant then asks is not closed as resolved but recorded
(``intake.case_record``).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from psd.domain import DomainError
from psd.rules import guard, plausible_dates, refuse_if, rule

from ..models import Case, CaseType, State
from ._core import (
    case_transition_refusal,
    lock_case,
    log_transition,
    now,
    require,
    today,
    transition_case,
)

KEY = "recording_wish"
# The public form's answers (correspondence.complaint_forms.RECORD), also offered to staff.
ANSWERS = ("yes", "no", "unsure")
# How the complainant said it, in the words the case page and the refusals use.
CHANNELS = {
    "public_form": "on the public complaint form",
    "intake": "when the complaint was made",
    "letter": "by letter",
    "email": "by email",
    "phone": "by phone",
    "in_person": "in person",
}
# How a wish indicated after the complaint was logged may have reached the force.
LATER_CHANNELS = {key: CHANNELS[key] for key in ("letter", "email", "phone", "in_person")}
# Para 2(6A)(a) "at any time": until the complaint is recorded, also while it is handled
# outside Schedule 3 (it is then recorded: ``intake.case_record``).
OPEN_STATES = (State.RECEIVED, State.OUTSIDE_SCH3)


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class RecordingWish:
    answer: str  # one of ANSWERS
    on: datetime.date
    channel: str  # a key of CHANNELS

    @classmethod
    def of(cls, case: Case) -> "RecordingWish | None":
        """The wish kept on the case (no query: it is a column of the case row)."""
        data = (case.handling_answers or {}).get(KEY)
        if not data:
            return None
        return cls(data["answer"], datetime.date.fromisoformat(data["on"]), data["channel"])

    def as_json(self) -> dict:
        return {"answer": self.answer, "on": self.on.isoformat(), "channel": self.channel}

    @property
    def wants_recorded(self) -> bool:
        return self.answer == "yes"

    @property
    def said(self) -> str:
        """The sentence on its own: capitalised, with its full stop."""
        return f"{self.sentence()[0].upper()}{self.sentence()[1:]}."

    def sentence(self) -> str:
        """Where the answer came from: "the complainant asked for it to be recorded on the
        public complaint form on 5 December 2026"."""
        how = f"{CHANNELS[self.channel]} on {_long(self.on)}"
        if self.wants_recorded:
            return f"the complainant asked for it to be recorded {how}"
        if self.answer == "no":
            return (
                f"the complainant said no to having it formally recorded {how}; they may "
                "still ask for it at any time"
            )
        return f"the complainant was not sure about having it formally recorded {how}: ask them"


def recording_wish_problem(
    wish: RecordingWish, *, case_type: str, received_on: datetime.date
) -> str | None:
    """Why a wish given with a new case cannot be kept as it is, or None."""
    if case_type != CaseType.COMPLAINT:
        return "Only a complaint is recorded at its complainant's wish."
    if wish.answer not in ANSWERS:
        return "Say whether the complainant wants the complaint recorded."
    if wish.channel not in CHANNELS:
        return "Say how the complainant said so."
    if not received_on <= wish.on <= today():
        return "The complainant's answer is dated between the date received and today."
    return None


@guard(
    "A complainant's wish for the complaint to be recorded is noted, with when and how they "
    "indicated it, at any time until the complaint is recorded (also while it is handled "
    "outside Schedule 3). Once noted, the complaint must be recorded: it is not handled, or "
    "resolved, outside Schedule 3.",
    "PRA 2002 Sch 3 para 2(6A)(a)",
    verified=True,
)
def case_note_recording_wish_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.case_type != CaseType.COMPLAINT:
        return "Only a complaint is recorded at its complainant's wish."
    if case.state not in OPEN_STATES:
        return "The complaint is no longer waiting to be recorded."
    wish = RecordingWish.of(case)
    if wish is not None and wish.wants_recorded:
        return f"Already noted: {wish.sentence()}."
    return None


@plausible_dates
@transaction.atomic
def case_note_recording_wish(
    *,
    actor: User,
    case: Case,
    indicated_on: datetime.date,
    channel: str,
    expected_version: int | None = None,
) -> Case:
    """Note that the complainant has asked, after the complaint was logged, for it to be
    recorded (PRA 2002 Sch 3 para 2(6A)(a)). The case keeps when and how they asked."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_note_recording_wish_refusal(actor=actor, case=case))
    if channel not in LATER_CHANNELS:
        raise DomainError("Say how the complainant asked.", field="channel")
    if not case.received_on <= indicated_on <= today():
        raise DomainError(
            "The date they asked must be between the date received and today.",
            field="indicated_on",
        )
    wish = RecordingWish("yes", indicated_on, channel)
    case.handling_answers = {**case.handling_answers, KEY: wish.as_json()}
    case.version += 1
    case.save(update_fields=["handling_answers", "version", "updated_at"])
    log_transition(
        case,
        name="recording_wish",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=wish.said,
    )
    return case


# PRA 2002 Sch 3 para 2(6A)(a) and (6B)(a)-(d): each question the handling outside Schedule 3
# is decided on; a "yes" to any means the complaint must be recorded and handled under it.
OUTSIDE_QUESTIONS: dict[str, tuple[str, str]] = {
    "complainant_wants_recorded": (
        "Has the complainant indicated a wish for the complaint to be recorded?",
        "para 2(6A)(a)",
    ),
    "death_or_serious_injury": (
        "Does the complaint allege that the conduct or matter complained of resulted in death "
        "or serious injury?",
        "para 2(6B)(a)",
    ),
    "criminal_or_disciplinary": (
        "Does the complaint allege conduct by a person serving with the police which, if "
        "proved, might constitute a criminal offence or justify disciplinary proceedings?",
        "para 2(6B)(b)",
    ),
    "article_2_or_3": (
        "Might the conduct or matter complained of, if proved, have infringed a person's "
        "rights under Article 2 or 3 of the Convention?",
        "para 2(6B)(c)",
    ),
    "referral_description": (
        "Is the complaint of a description that must be referred to the IOPC (C&M Regs 2020 "
        "reg 4(1), for Sch 3 para 4(1)(b))?",
        "para 2(6B)(d)",
    ),
}


def _must_be_recorded(provision: str, why: str) -> str:
    return (
        f"The complaint must be recorded and handled under Schedule 3 "
        f"(PRA 2002 Sch 3 {provision}): {why}."
    )


def _asked_to_record(case: Case) -> str | None:
    """The para 2(6A)(a) refusal, once the complainant has indicated a wish to record."""
    wish = RecordingWish.of(case)
    if wish is not None and wish.wants_recorded:
        provision = OUTSIDE_QUESTIONS["complainant_wants_recorded"][1]
        return _must_be_recorded(provision, wish.sentence())
    return None


@rule(
    "A complaint is handled outside Schedule 3 only when each question the law asks is "
    "answered no: the complainant has not indicated a wish for it to be recorded; it does not "
    "allege death or serious injury, conduct that might be a criminal offence or justify "
    "disciplinary proceedings, or an Article 2 or 3 infringement; and it is not of a mandatory "
    "referral description. A yes means it must be recorded.",
    "PRA 2002 Sch 3 para 2(6A), (6B), (6C)",
    verified=True,
)
def outside_schedule_3_answers_refusal(answers: dict) -> tuple[str, str] | None:
    """(field, sentence) for the first question unanswered or answered yes, else None."""
    for name, (question, provision) in OUTSIDE_QUESTIONS.items():
        if answers.get(name) is None:
            return name, f"Answer the question: {question}"
        if answers[name]:
            return name, _must_be_recorded(provision, f"{question[:-1].lower()} — yes")
    return None


@guard(
    "Only a complaint, on receipt and before recording, may be handled outside Schedule 3, "
    "and not once the complainant has indicated a wish for it to be recorded (at any time: on "
    "the public complaint form, when it was logged or later): it must then be recorded.",
    "PRA 2002 Sch 3 para 2(6A)(a), (6B)",
    verified=True,
)
def case_handle_outside_schedule_3_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "handle_outside_schedule_3") or _asked_to_record(case)


@guard(
    "A complaint handled outside Schedule 3 may be closed as resolved, unless the complainant "
    "has since asked for it to be recorded: it must then be recorded.",
    "PRA 2002 Sch 3 para 2(6A)(a)",
    verified=True,
)
def case_resolve_outside_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "resolve_outside") or _asked_to_record(case)


@transaction.atomic
def case_handle_outside_schedule_3(
    *,
    actor: User,
    case: Case,
    reason: str,
    answers: dict[str, bool] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Handle a complaint outside Schedule 3 (PRA 2002 Sch 3 para 2(6C)), on the answers to
    the para 2(6A)/(6B) questions (``OUTSIDE_QUESTIONS``), which are kept on the case."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_handle_outside_schedule_3_refusal(actor=actor, case=case))
    answers = dict(answers or {})
    refusal = outside_schedule_3_answers_refusal(answers)
    if refusal:
        field, sentence = refusal
        raise DomainError(sentence, field=field)
    if not reason.strip():
        raise DomainError(
            "Say why the complaint can be handled outside Schedule 3.", field="reason"
        )
    case.handling_answers = {
        **case.handling_answers,
        "outside_schedule_3": {name: bool(answers[name]) for name in OUTSIDE_QUESTIONS},
    }
    return transition_case(case, "handle_outside_schedule_3", actor=actor, reason=reason)


@transaction.atomic
def case_resolve_outside(
    *, actor: User, case: Case, reason: str, expected_version: int | None = None
) -> Case:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_resolve_outside_refusal(actor=actor, case=case))
    if not reason.strip():
        raise DomainError("Say how the complaint was resolved.", field="reason")
    return transition_case(case, "resolve_outside", actor=actor, reason=reason, at=now())
