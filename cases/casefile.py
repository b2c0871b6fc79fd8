"""The case file: one printable document of a case for a hearing panel or the IOPC – an index,
the summary, allegations, subjects, decisions, outcomes and the timeline – as a page (the
browser prints it) and as a PDF (fpdf2, like the letters).

Internal notes are left out: they are never shown outside the force (cases.models.notes), and
a case file is made to be handed over. Documents are listed; their content is in the case
bundle (correspondence.bundle).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User

from .actions.page import page_state, page_timeline
from .models import Case, DecisionStatus
from .selectors.decisions import describe_payload
from .selectors.detail import Records, TimelineEntry, records_get

SECTIONS = (
    ("summary", "Summary"),
    ("allegations", "Allegations"),
    ("subjects", "Subjects"),
    ("decisions", "Decisions"),
    ("outcomes", "Outcomes"),
    ("documents", "Documents"),
    ("timeline", "Timeline"),
)


@dataclass
class Item:
    """One entry of a section: a heading, its facts (label, value) and free text."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""


@dataclass
class CaseFile:
    case: Case
    made_at: datetime.datetime
    made_by: User
    summary: list[tuple[str, str]]
    allegations: list[Item]
    subjects: list[Item]
    decisions: list[Item]
    outcomes: list[Item]
    documents: list[Item]
    timeline: list[TimelineEntry]

    @property
    def title(self) -> str:
        return f"Case file {self.case.reference}"

    def sections(self) -> list[tuple[str, str, list]]:
        """(anchor, heading, items) in the order of the index."""
        return [(anchor, title, getattr(self, anchor)) for anchor, title in SECTIONS]


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _when(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y %H:%M}"


def _name(user) -> str:
    return (user.get_full_name() or str(user)) if user else ""


def case_file_get(*, user: User, case: Case) -> CaseFile:
    """The case file of a case the user may see (the caller has checked and logged the read).
    A fixed number of queries whatever the size of the case."""
    state = page_state(user=user, case=case)
    for decision in state.decisions:
        describe_payload(decision, state.tracks)
    # The notes are internal: only the documents go into the file.
    records = Records(notes=[], documents=records_get(user=user, case=case).documents)
    timeline = page_timeline(state, records)
    timeline.reverse()  # a file reads from the start
    return CaseFile(
        case=case,
        made_at=timezone.now(),
        made_by=user,
        summary=_summary(case),
        allegations=[_allegation(a) for a in state.allegations],
        subjects=[_subject(t) for t in state.tracks],
        decisions=[_decision(d) for d in state.decisions],
        outcomes=[
            _outcome(o)
            for d in state.decisions
            if d.status == DecisionStatus.APPROVED
            for o in d.outcomes.all()
        ],
        documents=[
            Item(doc.original_name, [("Uploaded", _when(doc.uploaded_at))], doc.description)
            for doc in records.documents
        ],
        timeline=timeline,
    )


def _summary(case: Case) -> list[tuple[str, str]]:
    complainants = "; ".join(str(c) for c in case.complainants.all())
    rows = [
        ("Reference", case.reference),
        ("Type", case.get_case_type_display()),
        ("State", case.get_state_display()),
        ("Summary", case.summary),
        ("Received", _day(case.received_on)),
        ("Recorded", _day(case.recorded_on) or "Not recorded"),
        ("Handling", case.get_handling_display() or "Not decided"),
        ("Mode of investigation", case.get_investigation_mode_display()),
        ("Investigator", _name(case.investigator) or "Unassigned"),
        ("Supervisor", _name(case.supervisor)),
        ("Regime", case.get_regime_display()),
        ("Complainants", complainants),
        ("Result for the complainant", case.get_complaint_result_display()),
        ("Finalised", _when(case.finalised_at) if case.finalised_at else ""),
    ]
    return [(label, value) for label, value in rows if value]


def _allegation(allegation) -> Item:
    about = [p.rank_and_name for p in allegation.subjects.all()]
    if allegation.about_force or not about:
        about.append("the force/service")
    facts = [("Category", str(allegation.category)), ("About", ", ".join(about))]
    standards = ", ".join(str(s) for s in allegation.standards.all())
    if standards:
        facts.append(("Standards", standards))
    return Item(f"Allegation {allegation.number}", facts, allegation.summary)


def _subject(track) -> Item:
    facts = [
        ("Number", track.person.number),
        ("Stage", track.get_state_display()),
        ("Severity", track.get_severity_display() or "Not assessed"),
    ]
    if track.notice_served_on:
        facts.append(("Regulation 17 notice served", _day(track.notice_served_on)))
    if track.forum:
        held = f" on {_day(track.proceedings_date)}" if track.proceedings_date else ""
        facts.append(("Forum", f"{track.get_forum_display()}{held}"))
    if track.concluded_on:
        facts.append(("Concluded", _day(track.concluded_on)))
    return Item(track.person.rank_and_name, facts)


def _decision(decision) -> Item:
    facts = [
        ("Status", decision.get_status_display()),
        ("Proposed", f"{_when(decision.proposed_at)} by {_name(decision.proposed_by)}"),
    ]
    if decision.decided_at:
        facts.append(("Decided", f"{_when(decision.decided_at)} by {_name(decision.decided_by)}"))
    for answer in decision.answers:
        facts.append((answer.name, answer.text))
    for o in decision.outcomes.all():
        who = o.track.person.rank_and_name if o.track else "Force/service"
        facts.append((f"Allegation {o.allegation.number}, {who}", _finding(o)))
    if decision.result_label:
        facts.append(("Result for the complainant", decision.result_label))
    text = decision.rationale
    if decision.decision_reason:
        text += f"\n\nDecision: {decision.decision_reason}"
    return Item(decision.get_kind_display(), facts, text)


def _finding(outcome) -> str:
    return f"{outcome.get_finding_display()}: {outcome.get_action_display().lower()}"


def _outcome(outcome) -> Item:
    who = outcome.track.person.rank_and_name if outcome.track else "Force/service"
    facts = [("Outcome", _finding(outcome))]
    if outcome.live_until:
        facts.append(("Live until", _day(outcome.live_until)))
    return Item(f"Allegation {outcome.allegation.number} – {who}", facts)
