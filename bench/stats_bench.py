"""Benchmark of the statistics page's tables on the configured database.

Builds a realistic financial year (default 20,000 allegations in about 8,000 cases, with
subjects, tracks, approved outcomes, IOPC referrals and barred list entries) with bulk_create,
then times each table of the statistics page. Everything runs inside ONE transaction that is
rolled back at the end, so the database is left as it was.

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/stats_bench.py [--allegations N]

This is a benchmark script, not a test.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psd.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Department, Force, Person, Rank, RoleType, User  # noqa: E402
from cases.models import (  # noqa: E402
    Action,
    Allegation,
    AllegationCategory,
    AllegationSubject,
    BarredListEntry,
    Case,
    CaseType,
    Decision,
    DecisionKind,
    DecisionStatus,
    Finding,
    Forum,
    Handling,
    InvestigationMode,
    IOPCReferral,
    Outcome,
    OutcomeStatus,
    State,
    SubjectTrack,
    TrackState,
)
from stats.periods import Scope, financial_year  # noqa: E402
from stats.selectors import TABLES, Filters  # noqa: E402

YEAR = 2025
# (finding, action, forum, weight): a plausible mix of outcomes for one subject.
OUTCOMES = [
    (Finding.NO_CASE_TO_ANSWER, Action.NONE, "", 30),
    (Finding.NO_MISCONDUCT, Action.NONE, "", 20),
    (Finding.PRI, Action.RPRP, "", 15),
    (Finding.NOT_PROVEN, Action.NONE, Forum.MEETING, 4),
    (Finding.MISCONDUCT_PROVEN, Action.WRITTEN_WARNING, Forum.MEETING, 5),
    (Finding.MISCONDUCT_PROVEN, Action.FINAL_WRITTEN_WARNING, Forum.HEARING, 3),
    (Finding.GROSS_MISCONDUCT_PROVEN, Action.REDUCTION_IN_RANK, Forum.HEARING, 1),
    (Finding.GROSS_MISCONDUCT_PROVEN, Action.DISMISSAL, Forum.HEARING, 2),
    (Finding.WITHDRAWN, Action.NONE, "", 5),
]
SERVICE_OUTCOMES = [
    (Finding.SERVICE_ACCEPTABLE, Action.NONE, "", 6),
    (Finding.SERVICE_NOT_ACCEPTABLE, Action.LEARNING, "", 3),
    (Finding.NFA, Action.NONE, "", 3),
]
MODES = [InvestigationMode.OTBI] * 6 + [InvestigationMode.LOCAL] * 3 + [InvestigationMode.DIRECTED]


class Rollback(Exception):
    pass


def pick(rng, weighted):
    return rng.choices(weighted, weights=[w for *_, w in weighted])[0][:3]


def build(allegation_target: int, rng: random.Random) -> dict:
    start = time.perf_counter()
    force = Force.objects.get_or_create(code="BENCH", defaults={"name": "Bench Constabulary"})[0]
    departments = [
        Department.objects.get_or_create(name=f"Bench department {i}")[0] for i in range(6)
    ]
    constable = Rank.objects.filter(order=1).first()
    people = Person.objects.bulk_create(
        [
            Person(
                force=force,
                forename="Officer",
                surname=f"Bench{i}",
                number=f"BENCH{i:06d}",
                role_type=RoleType.OFFICER,
                rank=constable,
                department=rng.choice(departments),
            )
            for i in range(max(allegation_target // 8, 50))
        ]
    )
    proposer = User.objects.create(username="bench-proposer")
    approver = User.objects.create(username="bench-approver")
    categories = list(AllegationCategory.objects.filter(parent=None))
    fy = financial_year(YEAR)

    plans, total = [], 0
    while total < allegation_target:
        n = min(rng.choice([1, 1, 2, 2, 3, 4]), allegation_target - total)
        plans.append(n)
        total += n
    cases = []
    for i in range(len(plans)):
        recorded = fy.start + datetime.timedelta(days=rng.randrange(365))
        outside = rng.random() < 0.1
        finalised = rng.random() < 0.75
        end = recorded + datetime.timedelta(days=rng.randint(5, 330))
        finalised_at = (
            timezone.make_aware(datetime.datetime.combine(end, datetime.time(11)))
            if finalised
            else None
        )
        state = State.FINALISED if finalised else State.INVESTIGATION
        if outside:
            state = State.FINALISED if finalised else State.OUTSIDE_SCH3
        cases.append(
            Case(
                reference=f"BENCH-{i:07d}",
                case_type=CaseType.COMPLAINT if rng.random() < 0.85 else CaseType.CONDUCT_MATTER,
                summary="Benchmark case",
                received_on=recorded - datetime.timedelta(days=rng.randint(0, 10)),
                recorded_on=None if outside else recorded,
                handling=Handling.OUTSIDE_SCHEDULE_3 if outside else Handling.SCHEDULE_3,
                investigation_mode="" if outside else rng.choice(MODES),
                finalised_at=finalised_at,
                state=state,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=2000)

    allegations, subjects, tracks = [], [], {}
    for case, n in zip(cases, plans, strict=True):
        for number in range(1, n + 1):
            person = rng.choice(people) if rng.random() < 0.85 else None
            allegation = Allegation(
                case=case,
                number=number,
                summary="Benchmark allegation",
                category=rng.choice(categories),
                about_force=person is None,
            )
            allegations.append((allegation, person))
            if person is not None:
                tracks.setdefault((case.pk, person.pk), SubjectTrack(case=case, person=person))
    Allegation.objects.bulk_create([a for a, _ in allegations], batch_size=2000)
    for allegation, person in allegations:
        if person is not None:
            subjects.append(AllegationSubject(allegation=allegation, person=person))
    AllegationSubject.objects.bulk_create(subjects, batch_size=2000)
    for track in tracks.values():
        track.__dict__["state"] = TrackState.OUTCOME
    SubjectTrack.objects.bulk_create(list(tracks.values()), batch_size=2000)

    finalised_cases = [c for c in cases if c.finalised_at and c.handling == Handling.SCHEDULE_3]
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                case=c,
                kind=DecisionKind.OUTCOME,
                rationale="Benchmark outcome",
                status=DecisionStatus.APPROVED,
                proposed_by=proposer,
                decided_by=approver,
                decided_at=c.finalised_at,
            )
            for c in finalised_cases
        ],
        batch_size=2000,
    )
    decision_of = {d.case_id: d for d in decisions}
    outcomes = []
    for allegation, person in allegations:
        decision = decision_of.get(allegation.case_id)
        if decision is None:
            continue
        finding, action, forum = pick(rng, OUTCOMES if person else SERVICE_OUTCOMES)
        outcomes.append(
            Outcome(
                allegation=allegation,
                track=tracks[(allegation.case_id, person.pk)] if person else None,
                decision=decision,
                finding=finding,
                action=action,
                forum=forum,
                effective_on=timezone.localtime(decision.decided_at).date(),
                status=OutcomeStatus.APPROVED,
            )
        )
    Outcome.objects.bulk_create(outcomes, batch_size=2000)

    referred = rng.sample(cases, len(cases) // 20)
    IOPCReferral.objects.bulk_create(
        [
            IOPCReferral(
                case=c,
                referred_on=c.received_on + datetime.timedelta(days=3),
                referred_by=proposer,
                mode=rng.choice(["", "none", "local", "directed", "independent"]),
            )
            for c in referred
        ]
    )
    dismissals = [o for o in outcomes if o.action == Action.DISMISSAL]
    BarredListEntry.objects.bulk_create(
        [
            BarredListEntry(
                person=o.track.person,
                case_id=o.allegation.case_id,
                forename=o.track.person.forename,
                surname=o.track.person.surname,
                number=o.track.person.number,
                force=force.name,
                role_type=RoleType.OFFICER,
                event_date=o.effective_on,
                report_due=o.effective_on + datetime.timedelta(days=7),
                reasons="Benchmark dismissal",
            )
            for o in dismissals
        ]
    )
    return {
        "cases": len(cases),
        "allegations": len(allegations),
        "outcomes": len(outcomes),
        "referrals": len(referred),
        "barred": len(dismissals),
        "departments": departments,
        "seconds": time.perf_counter() - start,
    }


def time_tables(filters: Filters, repeats: int) -> list[tuple[str, float, float, int]]:
    results = []
    for name, build_table in TABLES.items():
        timings = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                build_table(filters)
                timings.append(time.perf_counter() - began)
        results.append((name, timings[0], statistics.median(timings), len(queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allegations", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(2025)  # nosec B311: reproducible benchmark data, not security
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    try:
        with transaction.atomic():
            data = build(options.allegations, rng)
            print(
                f"Built {data['allegations']} allegations in {data['cases']} cases, "
                f"{data['outcomes']} outcomes, {data['referrals']} referrals, "
                f"{data['barred']} barred list entries in {data['seconds']:.1f} s"
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            for label, scope in [
                ("all allegations", Scope()),
                ("one department", Scope(department=data["departments"][0])),
            ]:
                filters = Filters(period=financial_year(YEAR), scope=scope)
                rows = time_tables(filters, options.repeats)
                print(f"\nStatistics for {YEAR}/{YEAR + 1 - 2000}, {label}:")
                print(f"  {'table':<20} {'first ms':>9} {'median ms':>10} {'queries':>8}")
                for name, first, median, queries in rows:
                    print(f"  {name:<20} {first * 1000:9.1f} {median * 1000:10.1f} {queries:8d}")
                print(
                    f"  {'whole page':<20} {sum(r[1] for r in rows) * 1000:9.1f} "
                    f"{sum(r[2] for r in rows) * 1000:10.1f} {sum(r[3] for r in rows):8d}"
                )
            raise Rollback
    except Rollback:
        print("\nRolled back: nothing was kept.")


if __name__ == "__main__":
    main()
