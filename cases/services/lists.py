"""Barred and advisory lists (Police Act 1996 Part 4A; Police Barred List and Police Advisory
List Regulations 2017, SI 2017/1135: "the 2017 Regs").

Who is reported, when the 5-working-day clocks start, what each report holds, and the further
reports after which the College removes a person (s88F barred list, s88L advisory list).

Called by other services (one transaction with theirs):
- ``counts_as_dismissal(outcome)``: does this outcome put the person on the barred list?
- ``after_outcomes(outcomes, actor=...)``: at the approval of outcomes — barred entries
  (s88A), advisory entries ending (s88L(1)(c), s88L(5)).
- ``dismissal_overturned(actor=..., outcome=..., decided_on=..., reason=...)``: an appeal (or
  other decision) overturned a dismissal or finding — the further report under s88F.
- ``after_track_change(track, actor=...)`` and ``after_case_closed(case, actor=...)``: the
  subject's path changed — s88L(1)(a)/(b) further reports.
- ``advisory_entries_for_subjects(case, on=..., actor=...)``: subjects who had already
  resigned or retired when the allegation came to attention (s88I(1)(b)), or volunteers who
  stopped after it (s88I(1)(d)).
- ``advisory_entries_on_volunteer_leaving(change=..., actor=...)``: a designated volunteer's
  designation withdrawn or decision to stop volunteering (s88I(1)(c)-(d)).
"""

import datetime

from django.db import transaction

from accounts.models import (
    Person,
    PersonStatus,
    PersonStatusChange,
    RoleType,
    User,
    WithdrawalGround,
)
from audit.services import audit_event
from psd.domain import DomainError
from psd.rules import Refusal, guard, plausible_dates, refuse_if, rule

from .. import clocks
from ..models import (
    Action,
    AdvisoryListEntry,
    AdvisoryParagraph,
    AdvisoryReason,
    AdvisoryRemoval,
    BarredListEntry,
    BarredParagraph,
    Case,
    DismissalGround,
    ListStatus,
    Outcome,
    Severity,
    State,
    SubjectTrack,
    TrackState,
)
from ._core import log_track_event, log_transition, today

CIVILIAN = {RoleType.STAFF, RoleType.PCSO}
LEFT = {PersonStatus.RESIGNED, PersonStatus.RETIRED}
# The attribute of an Outcome holding a force-defined police staff outcome, whose boolean
# ``barred_list_dismissal`` says whether it is a dismissal (Police Act 1996 s88A(1)(c)/(d)).
STAFF_OUTCOME_ATTR = "staff_outcome"


# --- Who is reported -------------------------------------------------------------------------


def counts_as_dismissal(outcome: Outcome) -> bool:
    """Police Act 1996 s88A(1): a dismissal (with or without notice) or a 'would have been
    dismissed' finding — under the Conduct Regulations, or a police staff outcome the force
    marks as a dismissal (conduct, efficiency or effectiveness)."""
    if outcome.action in Action.barred_list_dismissals():
        return True
    staff = getattr(outcome, STAFF_OUTCOME_ATTR, None)
    return bool(getattr(staff, "barred_list_dismissal", False))


def _is_finding(outcome: Outcome, person: Person) -> bool:
    """s88A(1)(b)/(d): a former officer or employee, found they would have been dismissed."""
    return outcome.action == Action.WOULD_HAVE_BEEN_DISMISSED or person.status in LEFT


def barred_paragraph(person: Person, *, finding: bool) -> str:
    """s88A(1): (a)/(c) a dismissal, (b)/(d) a finding about a former officer or employee."""
    civilian = person.role_type in CIVILIAN
    if finding:
        return BarredParagraph.FORMER_STAFF if civilian else BarredParagraph.FORMER_OFFICER
    return BarredParagraph.STAFF_DISMISSED if civilian else BarredParagraph.OFFICER_DISMISSED


def dismissal_date(outcome: Outcome) -> datetime.date:
    """The date of the dismissal or finding as it happened (2017 Regs reg 3(1)): the day the
    meeting or hearing that decided it concluded; a dismissal with notice (police staff)
    dismisses on the date it takes effect, the outcome's effective date. Never the date the
    outcome was proposed or approved in this system."""
    track = outcome.track
    if outcome.action != Action.DISMISSAL_WITH_NOTICE and track and track.concluded_on:
        return track.concluded_on
    return outcome.effective_on


def _identity(person: Person) -> dict:
    """The identity details the College report needs, as they are at the relevant time
    (reg 3(2)(a)-(h), reg 12(2)(a)-(e)): copied, not linked."""
    return {
        "person": person,
        "forename": person.forename,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "rank": person.rank.name if person.rank else "",
        "number": person.number,
        "force": person.force.name,
        "role_type": person.get_role_type_display(),
    }


def _active_advisory(person: Person):
    return AdvisoryListEntry.objects.filter(person=person).exclude(status=ListStatus.REMOVED)


def _reasons(outcomes: list[Outcome]) -> tuple[str, str]:
    """Reg 3(2)(i): the reasons, with a description of the conduct and the Standards of
    Professional Behaviour breached — over every allegation behind the dismissal."""
    reasons, standards = [], []
    for outcome in outcomes:
        allegation = outcome.allegation
        reasons.append(
            f"Allegation {allegation.number}: {allegation.summary}\nFinding: "
            f"{outcome.get_finding_display()}; {outcome.get_action_display().lower()}. "
            f"{outcome.rationale}".strip()
        )
        standards += [s.name for s in allegation.standards.all() if s.name not in standards]
    return "\n\n".join(reasons), ", ".join(standards)


@rule(
    "Designated volunteers are not reported to the barred list: it holds police officers, "
    "special constables and civilian police employees (and former ones) dismissed or found "
    "they would have been; a volunteer whose designation is withdrawn for a reason relating to "
    "conduct, efficiency or effectiveness is reported to the advisory list instead.",
    "Police Barred List and Police Advisory List Regulations 2017 reg 3(2)(d); Police Act 1996 "
    "s88I(1)(c)",
    verified=True,
)
def barred_list_excludes(person: Person) -> str | None:
    """Why ``person`` is never on the barred list, or None."""
    if person.role_type in RoleType.volunteers():
        return (
            "A designated volunteer is not on the barred list: record that the designation was "
            "withdrawn (advisory list, Police Act 1996 s88I(1)(c))."
        )
    return None


def barred_entries_for(outcomes: list[Outcome], *, actor: User) -> list[BarredListEntry]:
    """s88A(1) and reg 3: a person dismissed (or found they would have been) is reported once,
    before the end of 5 working days beginning with the date of the dismissal or finding, with
    the reasons over every allegation, the Standards breached and any earlier advisory-list
    report (reg 3(2)(k)). The entry links the first of the outcomes."""
    by_track: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.track_id and counts_as_dismissal(outcome):
            by_track.setdefault(outcome.track_id, []).append(outcome)
    entries = []
    for dismissals in by_track.values():
        first = dismissals[0]
        if BarredListEntry.objects.filter(outcome__in=dismissals).exists():
            continue
        track = first.track
        if barred_list_excludes(track.person):
            continue
        reasons, standards = _reasons(dismissals)
        entries.append(
            _bar(
                track.person,
                actor=actor,
                paragraph=barred_paragraph(track.person, finding=_is_finding(first, track.person)),
                event_date=dismissal_date(first),
                reasons=reasons,
                standards=standards,
                case=track.case,
                outcome=first,
            )
        )
    return entries


# Part 4A came into force on 15 December 2017 (SI 2017/1135 reg 1; SI 2017/1139).
LISTS_IN_FORCE = datetime.date(2017, 12, 15)


@guard(
    "A dismissal decided outside a case on this system — at performance proceedings, or under "
    "the force's police staff procedures (conduct, efficiency or effectiveness) — is reported "
    "to the barred list by those who manage the lists, with the reasons and the date.",
    "Police Act 1996 s88A(1); Police Barred List and Police Advisory List Regulations 2017 reg 3",
    verified=True,
)
def barred_entry_record_refusal(*, actor: User) -> str | None:
    return _manager_refusal(actor)


@plausible_dates
@transaction.atomic
def barred_entry_record(
    *,
    actor: User,
    person: Person,
    ground: str,
    dismissed_on: datetime.date,
    reasons: str,
    standards: str = "",
    finding: bool = False,
) -> BarredListEntry:
    """Report a dismissal (or, for someone who has left, a 'would have been dismissed'
    finding) made outside a case here: performance (Police (Performance) Regulations) or police
    staff procedures. The clock begins with ``dismissed_on`` (reg 3(1))."""
    refuse_if(barred_entry_record_refusal(actor=actor))
    if ground not in DismissalGround.values:
        raise DomainError(
            "Say whether the dismissal was for conduct or performance.", field="ground"
        )
    if not reasons.strip():
        raise DomainError(
            "Give the reasons, with a description of the conduct or performance.", field="reasons"
        )
    if dismissed_on > today() or dismissed_on < LISTS_IN_FORCE:
        raise DomainError(
            f"The date must be between {LISTS_IN_FORCE:%d/%m/%Y} (when the barred list began) "
            "and today.",
            field="dismissed_on",
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if excluded := barred_list_excludes(person):
        raise DomainError(excluded, field="person")
    if finding and person.status not in LEFT:
        raise DomainError(
            "A 'would have been dismissed' finding is about someone who resigned or retired.",
            field="finding",
        )
    active = BarredListEntry.objects.filter(person=person).exclude(status=ListStatus.REMOVED)
    if active.filter(event_date=dismissed_on).exists():
        raise DomainError("This dismissal is already on the barred list.", field="dismissed_on")
    return _bar(
        person,
        actor=actor,
        paragraph=barred_paragraph(person, finding=finding),
        event_date=dismissed_on,
        reasons=reasons.strip(),
        standards=standards.strip(),
        ground=ground,
    )


def _bar(
    person: Person,
    *,
    actor: User,
    paragraph: str,
    event_date: datetime.date,
    reasons: str,
    standards: str,
    case: Case | None = None,
    outcome: Outcome | None = None,
    ground: str = DismissalGround.CONDUCT,
) -> BarredListEntry:
    """The entry, its reg 3(1) clock, its history row; then s88L(5) for a finding."""
    entry = BarredListEntry.objects.create(
        **_identity(person),
        case=case,
        outcome=outcome,
        paragraph=paragraph,
        ground=ground,
        event_date=event_date,
        report_due=clocks.list_report_due(event_date),
        reasons=reasons,
        standards_breached=standards,
        advisory_entry=_active_advisory(person).order_by("-event_date", "-pk").first(),
        created_by=actor,
    )
    clocks.list_entry_created(
        entry, kind="barred_list_report", owner=actor, escalate_to=case.supervisor if case else None
    )
    _log(entry, actor, "barred_list_entry", f"{entry}: {entry.get_paragraph_display()}")
    if paragraph in (BarredParagraph.FORMER_OFFICER, BarredParagraph.FORMER_STAFF):
        _removed_on_barring(person, entry, actor)
    return entry


def _removed_on_barring(person: Person, barred: BarredListEntry, actor: User) -> None:
    """s88L(5): included in the barred list under s88A(1)(b) or (d), the person is removed
    from the advisory list (by the College: no further report is needed)."""
    for entry in _active_advisory(person).select_for_update():
        _remove(
            entry,
            actor,
            on=barred.event_date,
            reason=f"Included in the barred list ({barred.get_paragraph_display()}): removed "
            "from the advisory list (Police Act 1996 s88L(5)).",
        )


def after_outcomes(outcomes: list[Outcome], *, actor: User) -> None:
    """The list consequences of approved outcomes: barred entries, then advisory entries whose
    proceedings concluded without a 'would have been dismissed' finding (s88L(1)(c))."""
    barred_entries_for(outcomes, actor=actor)
    by_track: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.track_id:
            by_track.setdefault(outcome.track_id, []).append(outcome)
    for track_outcomes in by_track.values():
        track = track_outcomes[0].track
        if not track.forum or any(counts_as_dismissal(o) for o in track_outcomes):
            continue
        for entry in _awaiting_removal(track):
            _removal_due(
                entry,
                actor,
                removal=AdvisoryRemoval.CONCLUDED,
                on=track.concluded_on or track_outcomes[0].effective_on,
            )


# --- Advisory list: who is reported ----------------------------------------------------------


@rule(
    "No advisory-list report for a person who resigns or retires once it has been determined "
    "that no disciplinary proceedings will be brought about the allegation (no case to answer, "
    "a case to answer without proceedings, reflective practice, no further action, a severity "
    "of no misconduct or practice requiring improvement), nor once proceedings have concluded.",
    "Police Act 1996 s88I(1)(a), s88I(2)",
    verified=True,
)
def advisory_exemption(track: SubjectTrack) -> str | None:
    """Why leaving now creates no advisory entry for this track, or None when it does."""
    # CR 2020 reg 23(1)(b): a case to answer on which no proceedings are brought (recorded on
    # the track as ``proceedings_brought`` False where the case-to-answer step records it).
    brought = getattr(track, "proceedings_brought", None)
    return exemption_in(track.state, track.severity, proceedings_brought=brought)


def exemption_in(state: str, severity: str, *, proceedings_brought=None) -> str | None:
    """``advisory_exemption`` for a track in ``state`` with ``severity`` (also used to review
    entries made before this rule, from the state logged when they were made)."""
    no_misconduct = severity in (Severity.NO_MISCONDUCT, Severity.PRI)
    if (
        state in TrackState.no_proceedings()
        or (state == TrackState.SEVERITY_ASSESSED and no_misconduct)
        or (state == TrackState.CASE_TO_ANSWER and proceedings_brought is False)
    ):
        return (
            "It had been determined that no disciplinary proceedings would be brought "
            f"({TrackState(state).label.lower()}): Police Act 1996 s88I(2)."
        )
    if state in TrackState.proceedings_concluded():
        return "The disciplinary proceedings had concluded (Police Act 1996 s88I(1)(a))."
    return None


def _open_tracks(person: Person):
    return (
        SubjectTrack.objects.select_for_update(of=("self",))
        .filter(person=person)
        .exclude(case__state__in=State.closed())
        .select_related("case", "case__investigator", "case__supervisor")
    )


def _proceedings_form(track: SubjectTrack) -> str:
    return track.get_forum_display() if track.forum else ""


def _create_advisory(
    track: SubjectTrack,
    *,
    paragraph: str,
    event_date: datetime.date,
    left_on: datetime.date | None,
    reason: str,
    actor: User | None,
    clock_from: datetime.date | None = None,
) -> AdvisoryListEntry:
    """An entry about the allegation of ``track``: its summary (reg 12(2)(d)(v), (e)(iv)) and
    the form of any proceedings (reg 12(2)(d)(vi))."""
    person = track.person
    summaries = "\n".join(
        a.summary for a in track.case.allegations.filter(subjects=person).order_by("number")
    )
    return _advise(
        person,
        actor=actor,
        paragraph=paragraph,
        event_date=event_date,
        clock_from=clock_from,
        left_on=left_on,
        reason=reason,
        details=f"{AdvisoryParagraph(paragraph).label}: {track.case.reference} "
        f"({track.get_state_display().lower()}).",
        track=track,
        allegation_summary=summaries,
        proceedings_form=_proceedings_form(track),
        owner=track.case.investigator,
        escalate_to=track.case.supervisor,
    )


def _advise(
    person: Person,
    *,
    actor: User | None,
    event_date: datetime.date,
    clock_from: datetime.date | None,
    track: SubjectTrack | None = None,
    owner: User | None = None,
    escalate_to: User | None = None,
    **fields,
) -> AdvisoryListEntry:
    """The entry, its reg 12(1) clock (beginning with ``clock_from``, else the event's date)
    and its history row."""
    start = clock_from or event_date
    entry = AdvisoryListEntry.objects.create(
        **_identity(person),
        case=track.case if track else None,
        track=track,
        event_date=event_date,
        report_due=clocks.list_report_due(start),
        created_by=actor,
        **fields,
    )
    clocks.list_entry_created(
        entry, kind="advisory_list_report", owner=owner, escalate_to=escalate_to, since=start
    )
    _log(entry, actor, "advisory_list_entry", f"{person.full_name}: {entry.details}")
    return entry


def advisory_entry_on_leaving(
    *, person: Person, status: str, left_on: datetime.date, actor: User | None
) -> list[AdvisoryListEntry]:
    """s88I(1)(a), reg 12(1)(a): someone who resigns or retires after an allegation came to
    the authority's attention and before proceedings are brought or concluded — unless it had
    been determined that no proceedings would be brought (s88I(2)). The clock begins with
    the date they left."""
    if status not in LEFT:
        return []
    entries = []
    for track in _open_tracks(person):
        if advisory_exemption(track) is not None:
            continue
        track.left_service_while_open = True
        track.save(update_fields=["left_service_while_open"])
        entries.append(
            _create_advisory(
                track,
                paragraph=AdvisoryParagraph.LEFT_DURING,
                event_date=left_on,
                left_on=left_on,
                reason=AdvisoryReason(status),
                actor=actor,
            )
        )
    return entries


def _left_on(person: Person, statuses=LEFT) -> PersonStatusChange | None:
    return (
        PersonStatusChange.objects.filter(person=person, status__in=statuses)
        .order_by("-effective_date", "-pk")
        .first()
    )


def advisory_entries_for_subjects(
    case: Case, *, on: datetime.date, actor: User | None
) -> list[AdvisoryListEntry]:
    """s88I(1)(b), reg 12(1)(a): a former officer or special constable who resigned or retired
    and about whom an allegation comes to the authority's attention (``on``) afterwards. The
    relevant event is the allegation coming to attention, not the leaving: reg 12(2)(e) asks
    for the date P ceased to be an officer (ii) and, apart, the date of the relevant event
    (iii); the clock begins with the latter. (An allegation received before they left is
    s88I(1)(a): the clock begins when they left.) A volunteer who had already decided to stop
    is s88I(1)(d) when the allegation came to attention before the decision."""
    entries = []
    for track in SubjectTrack.objects.filter(case=case, advisory_entries=None).select_related(
        "person", "case"
    ):
        person = track.person
        if person.status == PersonStatus.STOPPED:
            entries += advisory_entries_on_stopping(
                change=_left_on(person, [PersonStatus.STOPPED]),
                tracks=SubjectTrack.objects.filter(pk=track.pk),
                actor=actor,
            )
            continue
        change = _left_on(person) if person.status in LEFT else None
        if change is None:
            continue
        after = case.received_on > change.effective_date
        if after and person.role_type in CIVILIAN:
            continue  # s88I(1)(b) is about former officers and special constables only
        if _continued(track, actor):
            continue
        entries.append(
            _create_advisory(
                track,
                paragraph=AdvisoryParagraph.AROSE_AFTER if after else AdvisoryParagraph.LEFT_DURING,
                event_date=max(on, change.effective_date) if after else change.effective_date,
                left_on=change.effective_date,
                reason=AdvisoryReason(change.status),
                actor=actor,
            )
        )
    return entries


# --- Advisory list: designated volunteers (s88I(1)(c)-(d)) ------------------------------------


def advisory_entries_on_volunteer_leaving(
    *, change: PersonStatusChange, actor: User | None
) -> list[AdvisoryListEntry]:
    """For the status-change hook: a volunteer's designation withdrawn, or a volunteer who
    stopped volunteering (other statuses: nothing)."""
    if change.status == PersonStatus.WITHDRAWN:
        entry = advisory_entry_on_withdrawal(change=change, actor=actor)
        return [entry] if entry else []
    if change.status == PersonStatus.STOPPED:
        return advisory_entries_on_stopping(
            change=change, tracks=SubjectTrack.objects.filter(person=change.person), actor=actor
        )
    return []


@rule(
    "A community support or policing support volunteer whose designation is withdrawn is "
    "reported to the advisory list when the reason, or one of the reasons, for the withdrawal "
    "relates to conduct, efficiency or effectiveness (otherwise not), before the end of 5 "
    "working days beginning with the date of the withdrawal, saying which kind of volunteer "
    "they were and their number. Nothing exempts it (s88I(2) is about s88I(1)(a) only) and no "
    "further report removes it (s88L(1) is about reports under s88I(1)(a) or (b) only).",
    "Police Act 1996 s88I(1)(c), (2), s88L(1); Police Barred List and Police Advisory List "
    "Regulations 2017 reg 12(1)(a), (2)(f)",
    verified=True,
)
def advisory_entry_on_withdrawal(
    *, change: PersonStatusChange, actor: User | None
) -> AdvisoryListEntry | None:
    person = change.person
    if (
        person.role_type not in RoleType.volunteers()
        or change.grounds not in WithdrawalGround.reportable()
    ):
        return None
    return _advise(
        person,
        actor=actor,
        paragraph=AdvisoryParagraph.VOLUNTEER_WITHDRAWN,
        event_date=change.effective_date,
        clock_from=None,
        left_on=change.effective_date,
        reason=AdvisoryReason.VOLUNTEER,
        details=f"{AdvisoryParagraph.VOLUNTEER_WITHDRAWN.label}. {change.get_grounds_display()}: "
        f"{change.reason}".strip(),
        owner=actor,
    )


@rule(
    "A community support or policing support volunteer who decides to stop volunteering "
    "after an allegation about them came to the authority's attention (on or before the day of "
    "the decision) is reported to the advisory list, once for each case holding such an "
    "allegation, before the end of 5 working days beginning with the date the decision came to "
    "the authority's attention (every allegation recorded about them counts: the Act's "
    "definition of a 'relevant allegation' has not been read). An allegation that comes to "
    "attention only after the decision "
    "creates no entry (s88I(1)(b) is about former officers and special constables); nothing "
    "exempts it (s88I(2) is about s88I(1)(a) only) and no further report removes it (s88L(1)).",
    "Police Act 1996 s88I(1)(b), (d), (2), s88L(1); Police Barred List and Police Advisory List "
    "Regulations 2017 reg 12(1)(b)",
    verified=True,
)
def advisory_entries_on_stopping(
    *, change: PersonStatusChange | None, tracks, actor: User | None
) -> list[AdvisoryListEntry]:
    """``tracks`` (a queryset): the person's tracks to consider — all of them when they stop;
    a new case's when it is logged after they stopped, its allegation having come to attention
    before. "After" an allegation is, as for s88I(1)(a), received on or before the day."""
    if change is None or change.person.role_type not in RoleType.volunteers():
        return []
    reported = AdvisoryListEntry.objects.filter(
        person=change.person, paragraph=AdvisoryParagraph.VOLUNTEER_STOPPED
    ).values("track_id")
    return [
        _create_advisory(
            track,
            paragraph=AdvisoryParagraph.VOLUNTEER_STOPPED,
            event_date=change.effective_date,
            clock_from=change.noticed_on or change.effective_date,
            left_on=change.effective_date,
            reason=AdvisoryReason.STOPPED,
            actor=actor,
        )
        for track in tracks.filter(case__received_on__lte=change.effective_date)
        .exclude(pk__in=reported)
        .select_related("case", "case__investigator", "case__supervisor", "person")
        .order_by("pk")
    ]


def _continued(track: SubjectTrack, actor: User | None) -> bool:
    """An allegation continued from the linked case (a withdrawn complaint continued as a
    conduct matter) keeps its advisory entry, its dates and its report: it now follows
    this case's track."""
    if not track.case.linked_case_id:
        return False
    moved = AdvisoryListEntry.objects.filter(
        person=track.person,
        track__case_id=track.case.linked_case_id,
        status__in=[ListStatus.TO_REPORT, ListStatus.REPORTED],
    ).update(track=track, case=track.case)
    if moved:
        log_track_event(
            track.case,
            track,
            name="advisory_entry_continued",
            actor=actor,
            reason=f"Advisory list entry about {track.person.full_name} continues in this case",
        )
    return bool(moved)


# --- Advisory list: the further report (s88L) ------------------------------------------------


def _awaiting_removal(track: SubjectTrack):
    return AdvisoryListEntry.objects.select_for_update().filter(
        track=track,
        paragraph__in=[AdvisoryParagraph.LEFT_DURING, AdvisoryParagraph.AROSE_AFTER],
        status__in=[ListStatus.TO_REPORT, ListStatus.REPORTED],
    )


def _removal_due(
    entry: AdvisoryListEntry, actor: User | None, *, removal: str, on: datetime.date
) -> None:
    """s88L(1)-(3): the event after which the relevant authority makes a further report."""
    entry.status, entry.removal = ListStatus.TO_REMOVE, removal
    entry.further_event_on, entry.further_reason = on, AdvisoryRemoval(removal).label
    deadline = clocks.list_further_report_due(
        entry,
        kind="advisory_list_removal_report",
        owner=entry.case.investigator if entry.case_id else actor,
        escalate_to=entry.case.supervisor if entry.case_id else None,
    )
    entry.further_report_due = deadline.due_date
    entry.save()
    _log(entry, actor, "advisory_removal_due", f"{entry}: {entry.further_reason}")


def after_track_change(track: SubjectTrack, *, actor: User | None) -> None:
    """s88L(1)(a): once it is determined that no disciplinary proceedings will be brought, the
    advisory entry about this allegation calls for a further report."""
    if advisory_exemption(track) is None or track.state in TrackState.proceedings_concluded():
        return
    for entry in _awaiting_removal(track):
        _removal_due(entry, actor, removal=AdvisoryRemoval.NO_PROCEEDINGS, on=today())


def after_case_closed(case: Case, *, actor: User | None) -> None:
    """The case ends without proceedings (withdrawn and not continued, discontinued): no
    proceedings will be brought (s88L(1)(a)), or those brought are withdrawn (s88L(1)(b))."""
    for track in case.tracks.all():
        removal = (
            AdvisoryRemoval.WITHDRAWN
            if track.state in TrackState.in_proceedings()
            else AdvisoryRemoval.NO_PROCEEDINGS
        )
        if track.state in TrackState.proceedings_concluded():
            continue
        for entry in _awaiting_removal(track):
            _removal_due(entry, actor, removal=removal, on=today())


# --- Barred list: the further report (s88F) --------------------------------------------------


@guard(
    "When a dismissal or 'would have been dismissed' finding reported to the barred list is "
    "overturned (an appeal allowed, or the outcome varied to less than dismissal), the "
    "relevant authority makes a further report, after which the College removes the person.",
    "Police Act 1996 s88F; Police Barred List and Police Advisory List Regulations 2017 reg 5",
)
def barred_entry_overturned_refusal(*, actor: User, entry) -> str | None:
    if not actor.has_perm("cases.manage_lists"):
        return Refusal("Your role does not allow this action.")
    if not isinstance(entry, BarredListEntry):
        return "Only a barred-list entry is overturned on appeal."
    if entry.status not in (ListStatus.TO_REPORT, ListStatus.REPORTED):
        return "This entry already awaits its further report or was removed."
    return None


def _overturn(
    entry: BarredListEntry, *, actor: User, decided_on: datetime.date, reason: str
) -> BarredListEntry:
    if not reason.strip():
        raise DomainError("Say what was decided (e.g. the appeal's result).", field="reason")
    if decided_on > today() or decided_on < entry.event_date:
        raise DomainError(
            "The decision date must be between the dismissal and today.", field="decided_on"
        )
    entry.status, entry.further_event_on, entry.further_reason = (
        ListStatus.TO_REMOVE,
        decided_on,
        reason.strip(),
    )
    deadline = clocks.list_further_report_due(
        entry,
        kind="barred_list_further_report",
        owner=actor,
        escalate_to=entry.case.supervisor if entry.case_id else None,
    )
    entry.further_report_due = deadline.due_date
    entry.save()
    _log(entry, actor, "barred_dismissal_overturned", f"{entry}: {entry.further_reason}")
    return entry


@plausible_dates
@transaction.atomic
def barred_entry_overturned(
    *, actor: User, entry: BarredListEntry, decided_on: datetime.date, reason: str
) -> BarredListEntry:
    """Record that the dismissal or finding behind ``entry`` was overturned (s88F)."""
    entry = _lock_entry(entry)
    refuse_if(barred_entry_overturned_refusal(actor=actor, entry=entry))
    return _overturn(entry, actor=actor, decided_on=decided_on, reason=reason)


def dismissal_overturned(
    *, actor: User, outcome: Outcome, decided_on: datetime.date, reason: str
) -> BarredListEntry | None:
    """For the appeals service, in its transaction: the dismissal or finding of ``outcome``
    (any of the person's outcomes of that decision) was overturned or varied to less than
    dismissal on ``decided_on``, and no dismissal of that person remains from it. Starts the
    s88F further report on the barred entry; None when there is no active entry."""
    entry = (
        BarredListEntry.objects.select_for_update()
        .filter(
            outcome__track_id=outcome.track_id,
            outcome__decision_id=outcome.decision_id,
            status__in=[ListStatus.TO_REPORT, ListStatus.REPORTED],
        )
        .first()
    )
    if entry is None or outcome.track_id is None:
        return None
    return _overturn(entry, actor=actor, decided_on=decided_on, reason=reason)


# --- Reports made and removal ----------------------------------------------------------------


def _lock_entry(entry):
    return type(entry).objects.select_for_update().get(pk=entry.pk)


def _kind_of(entry) -> str:
    return "barred_list_report" if isinstance(entry, BarredListEntry) else "advisory_list_report"


def _further_kind_of(entry) -> str:
    if isinstance(entry, BarredListEntry):
        return "barred_list_further_report"
    return "advisory_list_removal_report"


def _log(entry, actor, name: str, reason: str) -> None:
    """The case's history (when the entry belongs to a case) and the audit trail."""
    if entry.case_id:
        # Not a transition of the case or the subject: their state, before and after.
        track = getattr(entry, "track", None)
        state = track.state if track else ""
        log_transition(
            Case.objects.get(pk=entry.case_id),
            name=name,
            from_state=state,
            to_state=state,
            actor=actor,
            reason=reason,
            track=track,
        )
    else:
        audit_event(actor=actor, action=f"lists.{name}", obj=entry, reason=reason)


def _manager_refusal(actor: User) -> str | None:
    if not actor.has_perm("cases.manage_lists"):
        return Refusal("Your role does not allow this action.")
    return None


@guard(
    "A barred or advisory list entry is reported to the College once, before the end of 5 "
    "working days beginning with the date of the dismissal, finding or event.",
    "Police Barred List and Police Advisory List Regulations 2017 regs 3(1), 12(1)",
    verified=True,
)
def list_entry_mark_reported_refusal(*, actor: User, entry) -> str | None:
    if refusal := _manager_refusal(actor):
        return refusal
    if entry.reported_on is not None or entry.status == ListStatus.REMOVED:
        return "This entry has already been reported or removed."
    return None


def _report_date(entry, reported_on: datetime.date, since: datetime.date) -> None:
    if reported_on > today() or reported_on < since:
        raise DomainError(
            "The report date must be between the event and today.", field="reported_on"
        )


@plausible_dates
@transaction.atomic
def list_entry_mark_reported(*, actor: User, entry, reported_on: datetime.date | None = None):
    entry = _lock_entry(entry)
    refuse_if(list_entry_mark_reported_refusal(actor=actor, entry=entry))
    reported_on = reported_on or today()
    _report_date(entry, reported_on, entry.event_date)
    entry.reported_on = reported_on
    if entry.status == ListStatus.TO_REPORT:
        entry.status = ListStatus.REPORTED
    entry.save(update_fields=["status", "reported_on"])
    clocks.list_entry_reported(entry, kind=_kind_of(entry), actor=actor)
    _log(entry, actor, "list_entry_reported", f"{entry} reported on {reported_on:%d/%m/%Y}")
    return entry


@guard(
    "The further report is made once its event has happened (for the barred list: the "
    "dismissal or finding overturned; for the advisory list: no proceedings, proceedings "
    "withdrawn, or concluded without a 'would have been dismissed' finding) and after the "
    "first report; on it the College removes the person.",
    "Police Act 1996 s88F, s88L(1)-(4); Police Barred List and Police Advisory List "
    "Regulations 2017 regs 5, 14",
)
def list_entry_further_report_refusal(*, actor: User, entry) -> str | None:
    if refusal := _manager_refusal(actor):
        return refusal
    if entry.status != ListStatus.TO_REMOVE:
        return "No further report is due for this entry."
    if entry.reported_on is None:
        return "Report the entry to the College first; the further report follows it."
    return None


@plausible_dates
@transaction.atomic
def list_entry_further_report(*, actor: User, entry, reported_on: datetime.date | None = None):
    """The further report is made: the College removes the person from the list."""
    entry = _lock_entry(entry)
    refuse_if(list_entry_further_report_refusal(actor=actor, entry=entry))
    reported_on = reported_on or today()
    _report_date(entry, reported_on, max(entry.further_event_on, entry.reported_on))
    entry.further_reported_on = reported_on
    clocks.list_further_report_made(entry, kind=_further_kind_of(entry), actor=actor)
    return _remove(
        entry,
        actor,
        on=reported_on,
        reason=f"Further report made: {entry.further_reason}",
    )


def _remove(entry, actor, *, on: datetime.date, reason: str):
    entry.status, entry.removed_on, entry.removal_reason = ListStatus.REMOVED, on, reason
    entry.save()
    clocks.list_entry_removed(entry, kind=_kind_of(entry), actor=actor)
    clocks.list_entry_removed(entry, kind=_further_kind_of(entry), actor=actor)
    _log(entry, actor, "list_entry_removed", f"{entry} removed: {reason}")
    return entry


@guard(
    "An entry the College removed for another reason (e.g. after a review application) is "
    "recorded as removed, with the reason; removal after an appeal or a further report goes "
    "through the further report."
)
def list_entry_remove_refusal(*, actor: User, entry) -> str | None:
    if refusal := _manager_refusal(actor):
        return refusal
    if entry.status == ListStatus.REMOVED:
        return "This entry was already removed."
    return None


@plausible_dates
@transaction.atomic
def list_entry_remove(*, actor: User, entry, reason: str, removed_on: datetime.date | None = None):
    entry = _lock_entry(entry)
    refuse_if(list_entry_remove_refusal(actor=actor, entry=entry))
    if not reason.strip():
        raise DomainError(
            "Give the reason for removal (e.g. the College's decision).", field="reason"
        )
    removed_on = removed_on or today()
    if removed_on > today() or removed_on < entry.event_date:
        raise DomainError(
            "The removal date must be between the event and today.", field="removed_on"
        )
    return _remove(entry, actor, on=removed_on, reason=reason.strip())
