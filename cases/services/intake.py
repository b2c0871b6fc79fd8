"""Creating a case, its complainants and allegations; recording; assignment; withdrawal."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from guardian.shortcuts import assign_perm

from accounts.models import Person, Team, User
from psd.domain import DomainError
from psd.rules import (
    EARLIEST_DATE,
    LATEST_DATE,
    date_range_refusal,
    guard,
    plausible_dates,
    refuse_if,
    rule,
)

from .. import clocks
from ..models import (
    Allegation,
    AllegationCategory,
    AllegationSubject,
    Case,
    CaseType,
    Complainant,
    RecordableGround,
    ReferenceCounter,
    Source,
    Standard,
    State,
    SubjectTrack,
)
from . import lists
from ._core import (
    case_transition_refusal,
    close_case,
    lock_case,
    log_transition,
    require,
    today,
    transition_case,
)
from .assignment import case_reassign
from .facts import facts_for
from .outside import KEY as WISH_KEY
from .outside import RecordingWish, recording_wish_problem
from .withdrawal import SIGNATORIES, WISHES, withdrawal_notifications, withdrawal_sentence

# Allegations are added until the investigation's findings are in.
ALLEGATION_STATES = (
    State.RECEIVED,
    State.RECORDED,
    State.OUTSIDE_SCH3,
    State.REFERRAL_ASSESSMENT,
    State.HANDLING_DECIDED,
    State.INVESTIGATION,
    State.OTBI,
)


@rule(
    "A complaint or conduct matter is logged with at least one allegation; a death or "
    "serious injury (DSI) matter may be logged before any allegation is known.",
)
def case_allegations_refusal(*, case_type: str, allegations: list) -> str | None:
    if case_type != CaseType.DSI and not allegations:
        return "Add at least one allegation."
    return None


@dataclass
class ComplainantData:
    name: str = ""
    kind: str = "person"
    organisation: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    anonymous: bool = False
    acting_for: str = ""
    person: Person | None = None


@dataclass
class AllegationData:
    summary: str
    category: AllegationCategory
    subjects: list[Person] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)
    about_force: bool = False


def allocate_reference(year: int) -> str:
    """Next reference for ``year`` (``PSD-2026-000123``): gapless and race-free.

    The counter row is created if missing (ignoring a concurrent creator) and then locked, so
    two transactions never take the same number, and a rollback gives the number back.
    """
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"PSD-{year}-{counter.last:06d}"


def _validate_allegation(data: AllegationData) -> None:
    if not data.summary.strip():
        raise DomainError("Describe the allegation.", field="summary")
    if not data.subjects and not data.about_force:
        raise DomainError(
            "An allegation needs at least one subject, or must be about the force/service.",
            field="subjects",
        )
    if len({p.pk for p in data.subjects}) != len(data.subjects):
        raise DomainError("The same person is named twice in one allegation.", field="subjects")


def _validate_complainant(data: ComplainantData) -> None:
    if data.anonymous:
        return
    if data.kind == "organisation" and not data.organisation.strip():
        raise DomainError("Give the organisation's name.", field="organisation")
    if data.kind == "person" and not data.name.strip():
        raise DomainError("Give the complainant's name, or mark them anonymous.", field="name")


def _add_allegation(case: Case, data: AllegationData, number: int) -> Allegation:
    allegation = Allegation.objects.create(
        case=case,
        number=number,
        summary=data.summary.strip(),
        category=data.category,
        about_force=data.about_force,
    )
    allegation.standards.set(data.standards)
    AllegationSubject.objects.bulk_create(
        [AllegationSubject(allegation=allegation, person=person) for person in data.subjects]
    )
    existing = set(SubjectTrack.objects.filter(case=case).values_list("person_id", flat=True))
    SubjectTrack.objects.bulk_create(
        [SubjectTrack(case=case, person=p) for p in data.subjects if p.pk not in existing]
    )
    return allegation


@plausible_dates
@transaction.atomic
def case_create(
    *,
    actor: User,
    case_type: str,
    summary: str,
    received_on: datetime.date,
    source: str = Source.PUBLIC,
    complainants: Iterable[ComplainantData] = (),
    allegations: Iterable[AllegationData] = (),
    investigator: User | None = None,
    team: Team | None = None,
    supervisor: User | None = None,
    linked_case: Case | None = None,
    unassigned: bool = False,
    recording_wish: RecordingWish | None = None,
) -> Case:
    """Log a new case with its complainants and allegations, all or nothing.

    ``unassigned`` puts the case in the team's queue (``team``, else the actor's) for its
    supervisor to allocate, instead of giving it to ``investigator`` (default: the actor).
    ``recording_wish``: what the complainant said, when they complained, about having it
    recorded (kept on the case for the PRA 2002 Sch 3 para 2(6A)(a) question)."""
    require(actor, "add_case")
    if case_type not in CaseType.values:
        raise DomainError("Choose the type of case.", field="case_type")
    if received_on > today():
        raise DomainError("The date received cannot be in the future.", field="received_on")
    if not summary.strip():
        raise DomainError("Give a short summary of the case.", field="summary")
    complainants, allegations = list(complainants), list(allegations)
    if case_type == CaseType.COMPLAINT and not complainants:
        raise DomainError("A complaint needs a complainant (who may be anonymous).")
    for data in complainants:
        _validate_complainant(data)
    for data in allegations:
        _validate_allegation(data)
    sentence = case_allegations_refusal(case_type=case_type, allegations=allegations)
    if sentence:
        raise DomainError(sentence, field="allegations")
    if recording_wish is not None:
        sentence = recording_wish_problem(
            recording_wish, case_type=case_type, received_on=received_on
        )
        if sentence:
            raise DomainError(sentence, field="recording_wish")

    if unassigned:
        investigator, team = None, team or actor.team
        if team is None:
            raise DomainError("Choose the team whose queue the case goes to.", field="team")
        supervisor = supervisor or team.supervisor
    else:
        investigator = investigator or actor
    case = Case(
        reference=allocate_reference(received_on.year),
        case_type=case_type,
        summary=summary.strip(),
        received_on=received_on,
        source=source,
        investigator=investigator,
        team=team or (investigator.team if investigator else None),
        supervisor=supervisor,
        created_by=actor,
        linked_case=linked_case,
        handling_answers={WISH_KEY: recording_wish.as_json()} if recording_wish else {},
    )
    case.save()
    Complainant.objects.bulk_create([Complainant(case=case, **vars(data)) for data in complainants])
    for number, data in enumerate(allegations, start=1):
        _add_allegation(case, data, number)
    log_transition(
        case, name="create", from_state="", to_state=case.state, actor=actor, reason="Case logged"
    )
    lists.advisory_entries_for_subjects(case, on=case.received_on, actor=actor)
    if investigator is not None:
        assign_perm("cases.view_case", investigator, case)
        assign_perm("cases.change_case", investigator, case)
    return case


def case_rule_problems(limit: int = 20) -> list[str]:
    """Cases already stored (e.g. by an import of rows) that break the rules ``case_create``
    applies: an allegation unless DSI, and a plausible date received. One query each."""
    no_allegation = (
        Case.objects.exclude(case_type=CaseType.DSI)
        .filter(allegations__isnull=True)
        .values_list("reference", "case_type")
    )
    problems = [
        f"{ref}: {case_allegations_refusal(case_type=kind, allegations=[])}"
        for ref, kind in no_allegation[:limit]
    ]
    implausible = Case.objects.exclude(received_on__range=(EARLIEST_DATE, LATEST_DATE)).values_list(
        "reference", "received_on"
    )
    problems += [f"{ref}: {date_range_refusal(day)}" for ref, day in implausible[:limit]]
    return problems


@guard("Allegations are added until the investigation's findings are in.")
def allegation_add_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    if case.state not in ALLEGATION_STATES:
        return "Allegations can no longer be added at this stage of the case."
    return None


@transaction.atomic
def allegation_add(
    *, actor: User, case: Case, data: AllegationData, expected_version: int | None = None
) -> Allegation:
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(allegation_add_refusal(actor=actor, case=case))
    _validate_allegation(data)
    number = (case.allegations.aggregate(n=Max("number"))["n"] or 0) + 1
    allegation = _add_allegation(case, data, number)
    lists.advisory_entries_for_subjects(case, on=today(), actor=actor)
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    log_transition(
        case,
        name="allegation_add",
        from_state=case.state,
        to_state=case.state,
        actor=actor,
        reason=f"Allegation {number} added",
    )
    return allegation


@transaction.atomic
def complainant_add(*, actor: User, case: Case, data: ComplainantData) -> Complainant:
    require(actor, "change_case", case)
    case = lock_case(case)
    if case.case_type != CaseType.COMPLAINT:
        raise DomainError("Only complaints have complainants.")
    _validate_complainant(data)
    return Complainant.objects.create(case=case, **vars(data))


def _record_transition(case: Case) -> str:
    return "record_after_outside" if case.state == State.OUTSIDE_SCH3 else "record"


@guard(
    "A case is recorded once received (or when handling outside Schedule 3 ends without "
    "resolution: the complainant wants it recorded, or it is not resolved), and only with at "
    "least one allegation. It keeps the date it was received.",
    "PRA 2002 Sch 3 para 2(6A)",
    verified=True,
)
def case_record_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    refusal = case_transition_refusal(case, _record_transition(case))
    if refusal is None and not facts_for(case, facts).has_allegations:
        return "Add at least one allegation before recording the case."
    return refusal


@rule(
    "A conduct matter is recorded under Schedule 3 only on a ground that makes it recordable: "
    "it must (or it would be appropriate to) be referred to the IOPC, or its conduct is of a "
    "description in C&M Regs 2020 reg 7(1). One with no such ground is handled under the "
    "Conduct Regulations directly.",
    "PRA 2002 Sch 3 para 11(2)(c), (3), (3A); C&M Regs 2020 reg 7(1)",
    verified=True,
)
def recordable_grounds_refusal(*, case: Case, grounds: list[str]) -> str | None:
    unknown = [g for g in grounds if g not in RecordableGround.values]
    if unknown:
        return f"Not a ground for recording a conduct matter: {', '.join(unknown)}."
    if case.case_type == CaseType.CONDUCT_MATTER and not grounds:
        return (
            "Say which ground makes this conduct matter recordable (C&M Regs 2020 reg 7(1), "
            "or a referral to the IOPC); a conduct matter with none is handled under the "
            "Conduct Regulations instead."
        )
    return None


@plausible_dates
@transaction.atomic
def case_record(
    *,
    actor: User,
    case: Case,
    recorded_on: datetime.date | None = None,
    reason: str = "",
    recordable_grounds: Iterable[str] = (),
    expected_version: int | None = None,
) -> Case:
    """Record under Schedule 3: a complaint (also one first handled outside Schedule 3, which
    keeps its date received), a conduct matter on a ground that makes it recordable, or a DSI
    matter. Referral assessment follows."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_record_refusal(actor=actor, case=case))
    recorded_on = recorded_on or today()
    if recorded_on > today() or recorded_on < case.received_on:
        raise DomainError(
            "The date recorded must be between the date received and today.", field="recorded_on"
        )
    grounds = list(dict.fromkeys(recordable_grounds))
    if case.case_type in (CaseType.CONDUCT_MATTER, CaseType.RECORDABLE_CONDUCT_MATTER):
        sentence = recordable_grounds_refusal(case=case, grounds=grounds)
        if sentence:
            raise DomainError(sentence, field="recordable_grounds")
        case.handling_answers = {**case.handling_answers, "recordable_grounds": grounds}
        # Recorded on a ground that makes it recordable: a recordable conduct matter.
        case.case_type = CaseType.RECORDABLE_CONDUCT_MATTER
    elif grounds:
        raise DomainError(
            "Grounds for recording apply to conduct matters only.", field="recordable_grounds"
        )
    transition_case(case, _record_transition(case), actor=actor, reason=reason, on=recorded_on)
    clocks.case_recorded(case)
    return case


@guard(
    "A conduct matter that is not recordable is, on receipt, handled under the Conduct "
    "Regulations directly: not recorded under Schedule 3, no referral assessment, and not "
    "counted in the Schedule 3 figures.",
    "PRA 2002 Sch 3 para 11(3B)-(3D); C&M Regs 2020 reg 7",
    verified=True,
)
def case_handle_under_conduct_regulations_refusal(
    *, actor: User, case: Case, facts=None
) -> str | None:
    refusal = case_transition_refusal(case, "handle_under_conduct_regulations")
    if refusal is None and not facts_for(case, facts).has_allegations:
        return "Add at least one allegation first."
    return refusal


@transaction.atomic
def case_handle_under_conduct_regulations(
    *, actor: User, case: Case, reason: str, expected_version: int | None = None
) -> Case:
    """A conduct matter none of whose grounds for recording applies: investigated under the
    Conduct Regulations (Part 3) without a Schedule 3 record. Its 12-month clock runs from
    when it came to the appropriate authority's attention (CR 2020 reg 19)."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_handle_under_conduct_regulations_refusal(actor=actor, case=case))
    if not reason.strip():
        raise DomainError(
            "Say why the conduct matter is not recordable (no C&M Regs 2020 reg 7(1) "
            "description and no referral applies).",
            field="reason",
        )
    case.handling_answers = {**case.handling_answers, "recordable_grounds": []}
    transition_case(case, "handle_under_conduct_regulations", actor=actor, reason=reason)
    clocks.case_recorded(case)
    return case


@guard(
    "A complaint is withdrawn, or no further steps taken on it, on a notification signed by "
    "the complainant or their solicitor or other authorised agent, only while it is open; "
    "the withdrawal is recorded and Part 2 of the 2002 Act ceases to apply to the complaint.",
    "C&M Regs 2020 reg 38(1), (2)",
    verified=True,
)
def case_withdraw_refusal(*, actor: User, case: Case, facts=None) -> str | None:
    return case_transition_refusal(case, "withdraw")


def case_assign(
    *, actor: User, case: Case, investigator: User, supervisor: User | None = None, reason: str = ""
) -> Case:
    """Give the case to an investigator (and their team): see ``assignment.case_reassign``."""
    return case_reassign(
        actor=actor, case=case, investigator=investigator, supervisor=supervisor, reason=reason
    )


@transaction.atomic
def case_withdraw(
    *,
    actor: User,
    case: Case,
    reason: str,
    signed_by: str = "complainant",
    wish: str = "withdraw",
    continue_as_conduct: bool = False,
    expected_version: int | None = None,
) -> Case:
    """The complainant withdraws (C&M Regs 2020 reg 38). ``signed_by`` and ``wish`` say who
    signed the notification and what it says (reg 38(1): ``SIGNATORIES``, ``WISHES``); both
    are kept in the withdrawal's history entry. The AA may continue a conduct matter; the
    IOPC or the review body is told where reg 38(3)/(4) requires (services/withdrawal.py)."""
    require(actor, "change_case", case)
    case = lock_case(case, expected_version=expected_version)
    refuse_if(case_withdraw_refusal(actor=actor, case=case))
    if signed_by not in SIGNATORIES:
        raise DomainError(
            "Say who signed the notification: the complainant, their solicitor or another "
            "authorised agent (C&M Regs 2020 reg 38(1)).",
            field="signed_by",
        )
    if wish not in WISHES:
        raise DomainError(
            "Say whether the complainant withdraws the complaint or does not wish any further "
            "steps to be taken (C&M Regs 2020 reg 38(1)).",
            field="wish",
        )
    if not reason.strip():
        raise DomainError("Record how and when the complainant withdrew.", field="reason")
    close_case(
        case,
        "withdraw",
        actor=actor,
        reason=f"{withdrawal_sentence(signed_by, wish)} {reason.strip()}",
        audit_reason="Complaint withdrawn",
        continued=continue_as_conduct,
    )
    case.allegations.update(withdrawn=True)
    # C&M Regs 2020 reg 38(3)-(4): tell the IOPC / the review body, as tasks with deadlines.
    withdrawal_notifications(case, actor=actor, on=today())
    if continue_as_conduct:
        conduct = case_create(
            actor=actor,
            case_type=CaseType.CONDUCT_MATTER,
            received_on=today(),
            summary=f"Conduct matter continued from withdrawn complaint {case.reference}.\n\n"
            f"{case.summary}",
            source=Source.INTERNAL,
            investigator=case.investigator,
            team=case.team,
            supervisor=case.supervisor,
            linked_case=case,
            allegations=[
                AllegationData(
                    summary=a.summary,
                    category=a.category,
                    standards=list(a.standards.all()),
                    subjects=list(a.subjects.all()),
                    about_force=a.about_force,
                )
                for a in case.allegations.filter(about_force=False)
            ],
        )
        log_transition(
            case,
            name="continued_as_conduct",
            from_state=case.state,
            to_state=case.state,
            actor=actor,
            reason=f"Continued as conduct matter {conduct.reference}",
        )
    return case
