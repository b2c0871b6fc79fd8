"""Invariants of the case services, for the state-machine test (tests/cases/test_stateful.py).

Each is a function that raises AssertionError when the database breaks it; ``fingerprint``
captures everything the services write, to prove a refused call wrote nothing.
"""

from django.db import connection

from accounts.models import Person
from audit.models import AuditEntry
from cases.models import (
    AdvisoryListEntry,
    Allegation,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseTransition,
    Complainant,
    Decision,
    DecisionStatus,
    IOPCReferral,
    Outcome,
    OutcomeStatus,
    ReferralAssessment,
    ReflectivePractice,
    ReviewRequest,
    State,
    SubjectTrack,
    TrackState,
)
from cases.services import OutcomeData, live_until, validate_outcome
from cases.services.outcomes import expected_pairs
from cases.services.staff import staff_live_until
from deadlines.models import Deadline, Notification
from psd.domain import DomainError


def _fsm(model) -> dict[tuple[str, str], set[str]]:
    """(transition name, source) -> the targets the FSM allows."""
    allowed = {}
    for t in model._meta.get_field("state").get_all_transitions(model):
        targets = getattr(t.target, "allowed_states", None) or [t.target]
        allowed[(t.name, t.source)] = set(targets)
    return allowed


CASE_FSM, TRACK_FSM = _fsm(Case), _fsm(SubjectTrack)
CASE_NAMES = {name for name, _ in CASE_FSM}
TRACK_NAMES = {name for name, _ in TRACK_FSM}


COUNTED = [
    CaseTransition,
    ReviewRequest,
    IOPCReferral,
    ReferralAssessment,
    BarredListEntry,
    AdvisoryListEntry,
    Allegation,
    Notification,
    AuditEntry,  # a refused call leaves no trace in the audit trail either
]


# Rows compared field by field (the counts above catch rows added or removed elsewhere).
COMPARED = {
    Case: ("state", "version", "finalised_at"),
    SubjectTrack: ("state", "severity", "forum"),
    Decision: ("status",),
    Outcome: ("status", "live_until"),
    Deadline: ("status",),
    ReflectivePractice: ("stage",),
    IOPCReferral: ("decision_on",),
    Person: ("status",),
}


def fingerprint() -> dict[str, object]:
    """Everything the case services write, by what it is ("audit.AuditEntry rows"), to prove
    a refused service wrote nothing: ``changes(before, fingerprint())`` names what changed."""
    # One query for all the counts; the table names come from model metadata.
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in COUNTED)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    found = {f"{m._meta.label} rows": n for m, n in zip(COUNTED, row, strict=True)}
    for model, fields in COMPARED.items():
        found[f"{model._meta.label} {', '.join(fields)}"] = list(
            model.objects.order_by("pk").values_list("pk", *fields)
        )
    return found


def changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return [what for what, value in before.items() if after[what] != value]


def history_explains_every_state():
    cases = {c.pk: c for c in Case.objects.all()}
    tracks = {t.pk: t for t in SubjectTrack.objects.all()}
    at_case = dict.fromkeys(cases)
    at_track = dict.fromkeys(tracks, TrackState.PENDING)
    rows = CaseTransition.objects.order_by("pk").values_list(
        "case_id", "track_id", "name", "from_state", "to_state"
    )
    for case_id, track_id, name, source, target in rows:
        if track_id is not None:
            if name in TRACK_NAMES:
                assert source == at_track[track_id], (name, source, at_track[track_id])
                assert target in TRACK_FSM.get((name, source), ()), (name, source, target)
                at_track[track_id] = target
            else:
                assert source == target == at_track[track_id], (name, source, target)
        elif name == "create":
            assert at_case[case_id] is None and target == State.RECEIVED
            at_case[case_id] = target
        elif name in CASE_NAMES:
            assert source == at_case[case_id], (name, source, at_case[case_id])
            assert target in CASE_FSM.get((name, source), ()), (name, source, target)
            at_case[case_id] = target
        else:
            assert source == target and source in ("", at_case[case_id]), (name, source)
    for pk, case in cases.items():
        assert at_case[pk] == case.state, (case.reference, at_case[pk], case.state)
    for pk, track in tracks.items():
        assert at_track[pk] == track.state, (pk, at_track[pk], track.state)


def finalised_cases_have_approved_outcomes():
    for case in Case.objects.filter(state=State.FINALISED).exclude(handling="outside"):
        approved = set(
            Outcome.objects.filter(
                allegation__case=case, status=OutcomeStatus.APPROVED
            ).values_list("allegation_id", "track_id")
        )
        missing = expected_pairs(case) - approved
        assert not missing, (case.reference, missing)


def nobody_approves_their_own_work():
    parties = set(
        AllegationSubject.objects.filter(person__user__isnull=False).values_list(
            "allegation__case_id", "person__user_id"
        )
    ) | set(
        Complainant.objects.filter(person__user__isnull=False).values_list(
            "case_id", "person__user_id"
        )
    )
    # Withdrawing or discontinuing a case refuses its pending proposals in the name of whoever
    # closed it (possibly the proposer): a closure, not a decision on the proposal's merits.
    closers = set(
        CaseTransition.objects.filter(name__in=["withdraw", "discontinue"]).values_list(
            "case_id", "actor_id"
        )
    )
    decided = Decision.objects.exclude(status=DecisionStatus.PENDING).values_list(
        "case_id", "status", "proposed_by_id", "decided_by_id", "case__investigator_id"
    )
    for case_id, status, proposer, decider, investigator in decided:
        closed = status == DecisionStatus.REFUSED and (case_id, decider) in closers
        assert decider is not None, case_id
        assert closed or decider not in (proposer, investigator), (case_id, decider)
        assert closed or (case_id, decider) not in parties, (case_id, decider)


def proposed_outcomes_await_their_decision():
    """An outcome stays "proposed" only while its decision is pending."""
    stale = Outcome.objects.filter(status=OutcomeStatus.PROPOSED).exclude(
        decision__status=DecisionStatus.PENDING
    )
    assert not stale.exists(), list(stale.values_list("pk", "decision__status"))


def approved_outcomes_meet_reg_42(checked: set[int]) -> None:
    """Every outcome approved since the last check passes the project's own outcome rules
    (CR 2020 reg 42: cases.services.outcomes.validate_outcome), judged as things stood when it
    was approved (a subject who leaves later does not make a dismissal wrong), and carries the
    live period of its warning (CR 2020 Sch 2). ``checked`` holds the outcomes already judged."""
    approved = (
        Outcome.objects.filter(status=OutcomeStatus.APPROVED)
        .exclude(pk__in=checked)
        .select_related("allegation__case", "track__person__rank", "staff_outcome")
    )
    for outcome in approved:
        data = OutcomeData(
            outcome.allegation,
            outcome.track,
            outcome.finding,
            outcome.action,
            outcome.prior_warning_or_several_matters,
            staff_outcome=outcome.staff_outcome,
        )
        try:
            validate_outcome(outcome.allegation.case, data)
        except DomainError as error:
            raise AssertionError(f"approved outcome breaks CR 2020 reg 42: {error}") from error
        assert outcome.forum == (outcome.track.forum if outcome.track else ""), outcome.pk
        expected = live_until(outcome.action, outcome.effective_on) or staff_live_until(
            outcome.staff_outcome, outcome.effective_on
        )
        assert outcome.live_until == expected, outcome.pk
        checked.add(outcome.pk)
